package app

import (
	"net/textproto"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows the pages only what they are made of: their
// own scripts, styles, images and forms, never inline, never framed.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// securityHeaderValues are the security headers of every response (those of
// Fiber's helmet, with our policies): the content security policy, no
// framing, no sniffing, the referrer kept on the site, isolation from other
// origins.
var securityHeaderValues = [][2]string{
	{fiber.HeaderXXSSProtection, "0"},
	{fiber.HeaderXContentTypeOptions, "nosniff"},
	{fiber.HeaderXFrameOptions, "DENY"},
	{"Cross-Origin-Embedder-Policy", "require-corp"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Origin-Agent-Cluster", "?1"},
	{fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin"},
	{fiber.HeaderXDNSPrefetchControl, "off"},
	{fiber.HeaderXDownloadOptions, "noopen"},
	{fiber.HeaderXPermittedCrossDomainPolicies, "none"},
	{fiber.HeaderContentSecurityPolicy, contentSecurityPolicy},
	{fiber.HeaderPermissionsPolicy, "camera=(), microphone=(), geolocation=(), payment=()"},
}

// hsts is the Strict-Transport-Security header sent over https: a year,
// subdomains included.
const hsts = "max-age=31536000; includeSubDomains"

// securityHeaders sets the security headers of every response, and HSTS
// over https (said by a trusted proxy, when trustProxies). They are the
// same on every response, so their keys are put in the form Fiber sends
// them once, here, and set as they are: a request pays for copying them,
// not for normalising them again.
func securityHeaders(trustProxies bool) fiber.Handler {
	type header struct{ key, value []byte }
	headers := make([]header, len(securityHeaderValues))
	for i, h := range securityHeaderValues {
		headers[i] = header{[]byte(textproto.CanonicalMIMEHeaderKey(h[0])), []byte(h[1])}
	}
	hstsKey, hstsValue := []byte(fiber.HeaderStrictTransportSecurity), []byte(hsts)
	return func(c *fiber.Ctx) error {
		h := &c.Response().Header
		for _, kv := range headers {
			h.SetCanonical(kv.key, kv.value)
		}
		// Without trusted proxies only TLS of our own is https (c.Protocol
		// would say so too, after formatting the client's address).
		if c.Context().IsTLS() || trustProxies && c.Protocol() == "https" {
			h.SetCanonical(hstsKey, hstsValue)
		}
		return c.Next()
	}
}
