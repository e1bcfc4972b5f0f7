package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

// Cross-site request forgery protection: every form carries a token (the
// hidden field _csrf, or the X-CSRF-Token header for scripts) that is an
// HMAC of a secret only this browser holds in an HttpOnly cookie — its
// session token when signed in, otherwise a random pre-session cookie (the
// sign-in form is the only form a visitor without a session can post). A
// page on another site can neither read the cookie nor compute the token,
// and the token is bound to the session: a token from one session is
// refused in another. It needs no server-side state. SameSite=Lax on both
// cookies is a second layer: browsers do not send them with cross-site POSTs.

// presessionCookie is the CSRF secret of a browser that is not signed in.
const presessionCookie = "thidua_csrf"

// csrfMessage is what a token is the HMAC of.
const csrfMessage = "thidua form token v1"

// csrfToken derives the forms' token from the browser's secret: the
// HMAC-SHA256 of csrfMessage (RFC 2104), worked out on the stack. Every
// page asks for one, and crypto/hmac allocates two hashes and their keys
// a call, most of what a page served from the cache allocates.
func csrfToken(secret string) string {
	var key [sha256.BlockSize]byte
	if len(secret) > len(key) {
		sum := sha256.Sum256([]byte(secret))
		copy(key[:], sum[:])
	} else {
		copy(key[:], secret)
	}
	var (
		inner [sha256.BlockSize + len(csrfMessage)]byte
		outer [sha256.BlockSize + sha256.Size]byte
	)
	for i, k := range key {
		inner[i], outer[i] = k^0x36, k^0x5c
	}
	copy(inner[sha256.BlockSize:], csrfMessage)
	sum := sha256.Sum256(inner[:])
	copy(outer[sha256.BlockSize:], sum[:])
	mac := sha256.Sum256(outer[:])
	var b [43]byte // base64.RawURLEncoding.EncodedLen(sha256.Size)
	base64.RawURLEncoding.Encode(b[:], mac[:])
	return string(b[:])
}

// presession returns the pre-session secret, setting a fresh one when the
// browser has none.
func (h *pages) presession(c *fiber.Ctx) string {
	if v := c.Cookies(presessionCookie); len(v) >= 32 {
		return v
	}
	b := make([]byte, 32)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: presessionCookie, Value: v, Path: "/",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
	return v
}

// checkCSRF refuses a POST whose token does not match this browser's.
func (h *pages) checkCSRF(c *fiber.Ctx) error {
	got := c.FormValue("_csrf")
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	if !hmac.Equal([]byte(got), []byte(csrfOf(c))) {
		return h.fail(c, errCSRF)
	}
	return c.Next()
}
