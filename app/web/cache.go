package web

import (
	"bytes"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// pageCacheSize bounds the cache of public pages: past it, it starts afresh.
const pageCacheSize = 4096

// pageCache keeps the public pages as sent to visitors who are not signed
// in, by address, language and encoding, under the data version they were
// made from (and the minute, for what depends on the day): a page is made
// once per change of what it shows, not once per visitor. A signed-in
// visitor's pages are never cached nor served from here: the header's menu
// and the forms are theirs. Neither is a page that sets a cookie (but the
// pre-session secret) or carries a form's token.
type pageCache struct {
	mu sync.RWMutex
	m  map[string]*cachedPage
}

type cachedPage struct {
	version string
	etag    string
	body    []byte
	headers [][2]string
}

// keptHeaders are the headers of a page replayed with it.
var keptHeaders = []string{fiber.HeaderContentType, fiber.HeaderContentEncoding, fiber.HeaderContentLanguage,
	fiber.HeaderVary, fiber.HeaderCacheControl, fiber.HeaderContentDisposition}

// cached serves a public page from the cache while the data it was made
// from holds, with an ETag (304 when the browser has it), or makes it and
// keeps it.
func (h *pages) cached(c *fiber.Ctx) error {
	if userOf(c) != nil || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
		return c.Next()
	}
	version, err := h.Platform.DataVersion(c.UserContext())
	if err != nil {
		return c.Next() // the page says what is wrong, if anything
	}
	version += "@" + strconv.FormatInt(time.Now().Unix()/60, 10)
	// What the page depends on: its address, language and encoding, and
	// whether htmx asks for a fragment of it.
	key := strings.Join([]string{c.OriginalURL(), langOf(c), strconv.FormatBool(strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip")),
		c.Get("HX-Request"), c.Get("HX-Boosted"), c.Get("HX-Target")}, "|")
	h.pageCache.mu.RLock()
	p := h.pageCache.m[key]
	h.pageCache.mu.RUnlock()
	if p != nil && p.version == version {
		return p.send(c)
	}
	if err := c.Next(); err != nil {
		return err
	}
	r := c.Response()
	if r.StatusCode() != fiber.StatusOK || setsCookie(r) || bytes.Contains(r.Body(), []byte(`name="_csrf"`)) {
		return nil
	}
	sum := fnv.New64a()
	sum.Write(r.Body())
	p = &cachedPage{version: version, etag: `W/"` + strconv.FormatUint(sum.Sum64(), 36) + `"`, body: bytes.Clone(r.Body())}
	for _, h := range keptHeaders {
		if v := r.Header.Peek(h); len(v) > 0 {
			p.headers = append(p.headers, [2]string{h, string(v)})
		}
	}
	h.pageCache.mu.Lock()
	if h.pageCache.m == nil || len(h.pageCache.m) >= pageCacheSize {
		h.pageCache.m = make(map[string]*cachedPage)
	}
	h.pageCache.m[key] = p
	h.pageCache.mu.Unlock()
	c.Set(fiber.HeaderETag, p.etag)
	return nil
}

// setsCookie reports whether the response sets a cookie other than the
// pre-session secret, which every visitor gets and only a page with a form
// needs (such a page is not kept).
func setsCookie(r *fasthttp.Response) bool {
	other := false
	r.Header.VisitAllCookie(func(key, _ []byte) {
		other = other || string(key) != presessionCookie
	})
	return other
}

// send answers with the kept page, or 304 when the browser has it.
func (p *cachedPage) send(c *fiber.Ctx) error {
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
