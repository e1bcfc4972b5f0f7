// Package respcache keeps public GET responses under the data version they
// were made from, so that a page or a list is made once per change of what
// it shows, not once per visitor, and answers with an ETag (304 when the
// client has it).
//
// Only what every anonymous visitor sees alike may be kept: the caller says
// which requests to leave alone (a signed-in visitor's, whose header menu and
// forms are theirs) and which responses are someone's (one that sets a
// cookie or carries a form's token).
//
// A response is made once however many ask for it at once: when a run
// lands, a figure is written or the minute turns, the visitors of a busy
// page wait for the one of them that makes it anew, rather than each
// making it (on two cores, 64 at once held every visitor 150 ms). While
// it is being made under a version older than a visitor's (figures are
// being written), the visitor waits for the next making, which starts
// after they came: one at a time, it serves all who came meanwhile.
package respcache

import (
	"bytes"
	"context"
	"hash/fnv"
	"net/textproto"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// size and maxBytes bound the cache, in responses and in the bytes of
// their bodies: past either, it starts afresh. A crawler going through
// the unit pages of a national campaign would otherwise keep 4,096 of
// them, a hundred megabytes.
const (
	size     = 4096
	maxBytes = 32 << 20
)

// Cache is a cache of responses; its zero value is not usable (see New).
type Cache struct {
	// version is the mark of the data (see platform.Service.DataVersion).
	version func(context.Context) (string, error)
	now     func() time.Time // the clock of the minute
	mu      sync.RWMutex
	m       map[string]*response
	bytes   int // of the bodies in m
	// fills are the responses being made, by key: those who ask for one
	// meanwhile wait for it.
	fills map[string]*fill
}

// fill is a response being made under a version, within a minute; or one
// to be made once the fill before it is done (after), under the version of
// then: not started yet.
type fill struct {
	started bool
	version string
	minute  int64
	after   <-chan struct{}
	next    *fill         // the fill to start after this one
	done    chan struct{} // closed when made
	made    *response     // what was made, if it is kept
}

// New returns an empty cache whose entries hold while version returns the
// mark they were made under, and within the minute (for what depends on
// the day).
func New(version func(context.Context) (string, error)) *Cache {
	return &Cache{version: version, now: time.Now, m: make(map[string]*response), fills: make(map[string]*fill)}
}

// Rules say what a route's responses depend on and which to keep.
type Rules struct {
	// Skip leaves a request alone: neither served from the cache nor kept.
	Skip func(*fiber.Ctx) bool
	// Vary is what a response depends on beyond its address and encoding
	// (its language, an htmx fragment): part of the key.
	Vary func(*fiber.Ctx) string
	// Private says that a response made is someone's and must not be kept.
	Private func(*fiber.Ctx) bool
}

type response struct {
	version string
	minute  int64
	etag    []byte
	body    []byte
	headers []header
}

// header is a response header kept, its key as Fiber sends it.
type header struct{ key, value []byte }

// keptHeaders are the headers of a response replayed with it.
var keptHeaders = []string{fiber.HeaderContentType, fiber.HeaderContentEncoding, fiber.HeaderContentLanguage,
	fiber.HeaderVary, fiber.HeaderCacheControl, fiber.HeaderContentDisposition}

// etagKey is the ETag header's key as Fiber sends it.
var etagKey = []byte(textproto.CanonicalMIMEHeaderKey(fiber.HeaderETag))

// Handler is the middleware: it serves a GET or HEAD from the cache while
// the data it was made from holds, or lets the route make it and keeps a
// 200 that is not private.
//
// A response served from the cache is the hot path of the public reads:
// its key is put together in a buffer of the stack and looked up without
// becoming a string, and the kept body is sent as it is, never copied (it
// is never changed once kept).
func (k *Cache) Handler(r Rules) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead || r.Skip != nil && r.Skip(c) {
			return c.Next()
		}
		version, err := k.version(c.UserContext())
		if err != nil {
			return c.Next() // the route says what is wrong, if anything
		}
		minute := k.now().Unix() / 60
		var buf [256]byte
		key := append(buf[:0], c.Method()...)
		key = append(key, ' ')
		// The URI as parsed (its path normalised), read from the parse:
		// Request.RequestURI would make the next reader parse it again.
		key = append(key, c.Request().URI().RequestURI()...)
		key = strconv.AppendBool(append(key, '|'), bytes.Contains(c.Request().Header.Peek(fiber.HeaderAcceptEncoding), []byte("gzip")))
		if r.Vary != nil {
			key = append(append(key, '|'), r.Vary(c)...)
		}
		k.mu.RLock()
		p := k.m[string(key)]
		k.mu.RUnlock()
		if p != nil && p.version == version && p.minute == minute {
			return p.send(c)
		}
		f, first := k.filling(string(key), version, minute)
		if !first {
			if <-f.done; f.made != nil {
				return f.made.send(c)
			}
			return c.Next() // not kept: someone's, or not a 200
		}
		defer k.filled(string(key), f)
		if f.after != nil { // it starts now, under the version of now
			<-f.after
			if version, err = k.version(c.UserContext()); err != nil {
				return c.Next()
			}
			minute = k.now().Unix() / 60
			k.mu.Lock()
			f.version, f.minute, f.started = version, minute, true
			p = k.m[string(key)]
			k.mu.Unlock()
			if p != nil && p.version == version && p.minute == minute {
				f.made = p
				return p.send(c)
			}
		}
		if err := c.Next(); err != nil {
			return err
		}
		res := c.Response()
		if res.StatusCode() != fiber.StatusOK || r.Private != nil && r.Private(c) {
			return nil
		}
		sum := fnv.New64a()
		sum.Write(res.Body())
		p = &response{version: version, minute: minute, etag: []byte(`W/"` + strconv.FormatUint(sum.Sum64(), 36) + `"`),
			body: bytes.Clone(res.Body())}
		for _, h := range keptHeaders {
			if v := res.Header.Peek(h); len(v) > 0 {
				p.headers = append(p.headers, header{[]byte(textproto.CanonicalMIMEHeaderKey(h)), bytes.Clone(v)})
			}
		}
		k.mu.Lock()
		if old := k.m[string(key)]; old != nil {
			k.bytes -= len(old.body)
		}
		if len(k.m) >= size || k.bytes+len(p.body) > maxBytes {
			k.m, k.bytes = make(map[string]*response), 0
		}
		k.m[string(key)] = p
		k.bytes += len(p.body)
		k.mu.Unlock()
		f.made = p
		res.Header.SetCanonical(etagKey, p.etag)
		return nil
	}
}

// filling is the fill of key under version within minute that the caller
// is to wait for, or to make when first (and then call filled): one under
// that version, or one not started yet, or else the one to start after
// the fill under way.
func (k *Cache) filling(key, version string, minute int64) (f *fill, first bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch f = k.fills[key]; {
	case f == nil:
		f = &fill{started: true, version: version, minute: minute, done: make(chan struct{})}
		k.fills[key] = f
		return f, true
	case !f.started || f.version == version && f.minute == minute:
		return f, false
	case f.next == nil:
		f.next = &fill{after: f.done, done: make(chan struct{})}
		return f.next, true
	}
	return f.next, false
}

// filled ends f, the fill of key: its waiters take what it made, and the
// fill after it, if any, is the one under way.
func (k *Cache) filled(key string, f *fill) {
	k.mu.Lock()
	if k.fills[key] == f {
		if f.next != nil {
			k.fills[key] = f.next
		} else {
			delete(k.fills, key)
		}
	}
	k.mu.Unlock()
	close(f.done)
}

// send answers with the kept response, or 304 when the client has it.
func (p *response) send(c *fiber.Ctx) error {
	res := c.Response()
	for _, h := range p.headers {
		res.Header.SetCanonical(h.key, h.value)
	}
	res.Header.SetCanonical(etagKey, p.etag)
	if bytes.Equal(c.Request().Header.Peek(fiber.HeaderIfNoneMatch), p.etag) {
		res.Header.Del(fiber.HeaderContentEncoding)
		return c.SendStatus(fiber.StatusNotModified)
	}
	res.SetBodyRaw(p.body)
	return nil
}
