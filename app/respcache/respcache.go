// Package respcache keeps public GET responses under the data version they
// were made from, so that a page or a list is made once per change of what
// it shows, not once per visitor, and answers with an ETag (304 when the
// client has it).
//
// Only what every anonymous visitor sees alike may be kept: the caller says
// which requests to leave alone (a signed-in visitor's, whose header menu and
// forms are theirs) and which responses are someone's (one that sets a
// cookie or carries a form's token).
package respcache

import (
	"bytes"
	"context"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// size bounds the cache: past it, it starts afresh.
const size = 4096

// Cache is a cache of responses; its zero value is not usable (see New).
type Cache struct {
	// version is the mark of the data (see platform.Service.DataVersion).
	version func(context.Context) (string, error)
	mu      sync.RWMutex
	m       map[string]*response
}

// New returns an empty cache whose entries hold while version returns the
// mark they were made under, and within the minute (for what depends on
// the day).
func New(version func(context.Context) (string, error)) *Cache {
	return &Cache{version: version, m: make(map[string]*response)}
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
	etag    string
	body    []byte
	headers [][2]string
}

// keptHeaders are the headers of a response replayed with it.
var keptHeaders = []string{fiber.HeaderContentType, fiber.HeaderContentEncoding, fiber.HeaderContentLanguage,
	fiber.HeaderVary, fiber.HeaderCacheControl, fiber.HeaderContentDisposition}

// Handler is the middleware: it serves a GET or HEAD from the cache while
// the data it was made from holds, or lets the route make it and keeps a
// 200 that is not private.
func (k *Cache) Handler(r Rules) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead || r.Skip != nil && r.Skip(c) {
			return c.Next()
		}
		version, err := k.version(c.UserContext())
		if err != nil {
			return c.Next() // the route says what is wrong, if anything
		}
		version += "@" + strconv.FormatInt(time.Now().Unix()/60, 10)
		key := c.Method() + " " + c.OriginalURL() + "|" +
			strconv.FormatBool(strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip"))
		if r.Vary != nil {
			key += "|" + r.Vary(c)
		}
		k.mu.RLock()
		p := k.m[key]
		k.mu.RUnlock()
		if p != nil && p.version == version {
			return p.send(c)
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
		p = &response{version: version, etag: `W/"` + strconv.FormatUint(sum.Sum64(), 36) + `"`, body: bytes.Clone(res.Body())}
		for _, h := range keptHeaders {
			if v := res.Header.Peek(h); len(v) > 0 {
				p.headers = append(p.headers, [2]string{h, string(v)})
			}
		}
		k.mu.Lock()
		if len(k.m) >= size {
			k.m = make(map[string]*response)
		}
		k.m[key] = p
		k.mu.Unlock()
		c.Set(fiber.HeaderETag, p.etag)
		return nil
	}
}

// send answers with the kept response, or 304 when the client has it.
func (p *response) send(c *fiber.Ctx) error {
	for _, h := range p.headers {
		c.Set(h[0], h[1])
	}
	c.Set(fiber.HeaderETag, p.etag)
	if c.Get(fiber.HeaderIfNoneMatch) == p.etag {
		c.Response().Header.Del(fiber.HeaderContentEncoding)
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(p.body)
}
