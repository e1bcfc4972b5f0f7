package app

import (
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
)

// Languages of the user interface and of error messages: Vietnamese first.
const (
	langVI = "vi"
	langEN = "en"
)

var langMatcher = language.NewMatcher([]language.Tag{language.Vietnamese, language.English})

// lang picks the caller's language: ?lang=, then the lang cookie, then
// Accept-Language; Vietnamese when nothing says otherwise.
//
// Every public read asks (its language is part of its cache key), so the
// query and the cookie are compared where they lie, not copied out.
func lang(c *fiber.Ctx) string {
	for _, v := range [2][]byte{c.Context().QueryArgs().Peek("lang"), c.Request().Header.Cookie("lang")} {
		switch string(v) {
		case langVI:
			return langVI
		case langEN:
			return langEN
		}
	}
	if h := c.Request().Header.Peek(fiber.HeaderAcceptLanguage); len(h) > 0 {
		tags, _, err := language.ParseAcceptLanguage(string(h))
		if err == nil && len(tags) > 0 {
			if _, i, conf := langMatcher.Match(tags...); conf > language.No && i == 1 {
				return langEN
			}
		}
	}
	return langVI
}
