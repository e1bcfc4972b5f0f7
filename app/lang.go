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
func lang(c *fiber.Ctx) string {
	for _, v := range []string{c.Query("lang"), c.Cookies("lang")} {
		if v == langVI || v == langEN {
			return v
		}
	}
	if h := c.Get(fiber.HeaderAcceptLanguage); h != "" {
		tags, _, err := language.ParseAcceptLanguage(h)
		if err == nil && len(tags) > 0 {
			if _, i, conf := langMatcher.Match(tags...); conf > language.No && i == 1 {
				return langEN
			}
		}
	}
	return langVI
}
