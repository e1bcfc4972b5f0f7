package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
)

// contentSecurityPolicy allows the pages only what they are made of: their
// own scripts, styles, images and forms, never inline, never framed.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// securityHeaders sets the security headers of every response: the
// content security policy, no framing, no sniffing, the referrer kept on
// the site, HSTS over https.
func securityHeaders() fiber.Handler {
	return helmet.New(helmet.Config{
		ContentSecurityPolicy: contentSecurityPolicy,
		XFrameOptions:         "DENY",
		ReferrerPolicy:        "strict-origin-when-cross-origin",
		PermissionPolicy:      "camera=(), microphone=(), geolocation=(), payment=()",
		HSTSMaxAge:            365 * 24 * 3600,
	})
}
