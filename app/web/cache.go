package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/thidua/thidua/app/respcache"
)

// pageRules say which public pages the cache keeps: those of visitors who
// are not signed in (a signed-in visitor's header menu and forms are
// theirs), by language and htmx fragment; never a page that sets a cookie
// (but the pre-session secret) or carries a form's token.
var pageRules = respcache.Rules{
	Skip: func(c *fiber.Ctx) bool { return userOf(c) != nil },
	Vary: func(c *fiber.Ctx) string {
		return langOf(c) + "|" + c.Get("HX-Request") + "|" + c.Get("HX-Boosted") + "|" + c.Get("HX-Target")
	},
	Private: func(c *fiber.Ctx) bool {
		r := c.Response()
		return setsCookie(r) || bytes.Contains(r.Body(), []byte(`name="_csrf"`))
	},
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
