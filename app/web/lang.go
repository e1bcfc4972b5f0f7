package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Languages of the pages: Vietnamese first.
const (
	vi = "vi"
	en = "en"
)

// langCookie remembers the language a visitor chose with the switcher; the
// API reads the same cookie for its messages.
const langCookie = "lang"

// pickLang chooses the page's language: ?lang=, then the lang cookie;
// Vietnamese otherwise — many Vietnamese phones run in English, so the
// browser's Accept-Language does not decide. A ?lang= choice is remembered
// in the cookie, so that the switcher's choice sticks.
func pickLang(c *fiber.Ctx) string {
	if q := c.Query("lang"); q == vi || q == en {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
		return q
	}
	if v := c.Cookies(langCookie); v == en {
		return en
	}
	return vi
}

// hoChiMinh is Vietnam's time zone (UTC+7, no daylight saving).
var hoChiMinh = time.FixedZone("ICT", 7*3600)

// formats writes numbers and dates the way each language does.
type formats struct {
	lang           string
	thousands, dec string
}

func formatsFor(lang string) formats {
	if lang == en {
		return formats{lang: en, thousands: ",", dec: "."}
	}
	return formats{lang: vi, thousands: ".", dec: ","}
}

// number writes n with at most one decimal: 1.234,5 in Vietnamese.
func (f formats) number(n float64) string {
	neg := n < 0
	n = math.Round(math.Abs(n)*10) / 10
	whole, frac := math.Modf(n)
	digits := strconv.FormatFloat(whole, 'f', 0, 64)
	var b strings.Builder
	if neg && n != 0 {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(f.thousands)
		}
		b.WriteRune(r)
	}
	if d := int(math.Round(frac * 10)); d > 0 {
		b.WriteString(f.dec + strconv.Itoa(d))
	}
	return b.String()
}

// score writes points and totals always with one decimal (83,0 beside
// 83,6), so that a column of scores lines up and reads alike.
func (f formats) score(n float64) string {
	s := f.number(n)
	if math.Round(math.Abs(n)*10) == math.Round(math.Abs(n))*10 {
		s += f.dec + "0"
	}
	return s
}

// percent writes a fraction (1 = 100%) as a percentage: 86,6%.
func (f formats) percent(share float64) string {
	return f.number(share*100) + "%"
}

// date writes a calendar date: 01/04/2025, or 1 Apr 2025 in English.
func (f formats) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if f.lang == en {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// moment writes an instant in Vietnam's time.
func (f formats) moment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(hoChiMinh)
	if f.lang == en {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("15:04 02/01/2006")
}

// indicatorValue writes an indicator's value: a percentage or a count.
func (f formats) indicatorValue(unit string, v float64) string {
	if unit == "percent" {
		return f.percent(v)
	}
	return f.number(v)
}

// tr looks a key up in the translation table; an unknown key is an error,
// so that a typo in a template fails its test instead of showing the key.
func tr(lang, key string) (string, error) {
	m, ok := texts[key]
	if !ok {
		return "", fmt.Errorf("no text %q", key)
	}
	if lang == en {
		return m.en, nil
	}
	return m.vi, nil
}

// text is a translation in the handlers, where the keys are constants: an
// unknown key shows as itself and is caught by the tests of the pages.
func text(lang, key string) string {
	s, err := tr(lang, key)
	if err != nil {
		return key
	}
	return s
}

// label names a value of data (a status, a level, a kind…): its
// translation when there is one, else the value itself, since levels and
// kinds are open sets.
func label(lang, prefix, value string) string {
	if s, err := tr(lang, prefix+"."+value); err == nil {
		return s
	}
	return value
}
