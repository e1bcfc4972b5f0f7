package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

//go:embed templates
var templateFS embed.FS

// views are the parsed templates: for each language, each page's template
// set (the layout, the shared partials and the page). They are parsed once,
// when the service starts.
type views struct {
	byLang map[string]map[string]*template.Template
}

// mustParseViews parses every page in both languages; a broken template is
// a bug found at start-up.
func mustParseViews(a *assets) *views {
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	v := &views{byLang: map[string]map[string]*template.Template{}}
	for _, lang := range []string{vi, en} {
		v.byLang[lang] = map[string]*template.Template{}
		for _, p := range pages {
			name := strings.TrimSuffix(path.Base(p), ".html")
			if name == "layout" {
				continue
			}
			t := template.New(name).Funcs(funcs(lang, a))
			t = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", p))
			v.byLang[lang][name] = t
		}
	}
	return v
}

// funcs are the template functions of one language.
func funcs(lang string, a *assets) template.FuncMap {
	f := formatsFor(lang)
	return template.FuncMap{
		"t": func(key string) (string, error) { return tr(lang, key) },
		"tf": func(key string, args ...any) (string, error) {
			s, err := tr(lang, key)
			return fmt.Sprintf(s, args...), err
		},
		"label":  func(prefix, key string) string { return label(lang, prefix, key) },
		"num":    func(n any) string { return f.number(toFloat(n)) },
		"score":  f.score,
		"pct":    f.percent,
		"share":  func(part, whole int) string { return f.percent(ratio(part, whole)) },
		"date":   func(d store.Date) string { return f.date(d.Time) },
		"day":    f.date,
		"moment": f.moment,
		"value":  f.indicatorValue,
		"period": f.period,
		// periodin names a period inside a sentence: "kỳ quý IV/2026".
		"periodin": f.periodInline,
		"asset":    a.url,
		"percent":  func(share float64) int { return int(share*100 + 0.5) },
		"ratio":    func(part, whole int) int { return int(ratio(part, whole)*100 + 0.5) },
		"query":    func(kv ...string) template.URL { return queryOf(kv...) },
		"clip":     clip,
		"nav":      func(slug, current string) campaignNav { return campaignNav{slug, current} },
		"add":      func(a, b int) int { return a + b },
		"has":      func(m map[string]float64, k string) bool { _, ok := m[k]; return ok },
		"neg":      func(n int) int { return -n },
		"status":   recordStatus,
		"deref":    func(n *int) int { return *n }, // comparisons (gt, lt) do not follow pointers
		"chart":    func(ch *lineChart, title string) titledChart { return titledChart{ch, title} },
		"dueby":    dueBy,
		"lastday":  lastDay,
		"field": func(name, label, value string, errs formErrors) formField {
			return formField{Name: name, Label: label, Value: value, Error: errs.For(name)}
		},
	}
}

// formField is a text field with its label and its problem, for the
// input template.
type formField struct {
	Name, Label, Value string
	Error              *fieldError
}

// titledChart is a line chart with its title, for the linechart template.
type titledChart struct {
	Chart *lineChart
	Title string
}

// campaignNav is what the campaign's navigation needs: which page is open.
type campaignNav struct{ Slug, Current string }

// clip shortens text to at most n letters, at a word boundary.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

func toFloat(n any) float64 {
	switch v := n.(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("num: not a number: %T", n)) // a template bug, caught by the page tests
}

func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// queryOf builds "?k=v&…" from pairs, leaving out empty values.
func queryOf(kv ...string) template.URL {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return template.URL("?" + q.Encode())
}

// page is what the layout needs; every view embeds it.
type page struct {
	Lang      string
	Title     string
	User      *store.User
	CSRF      string
	Path      string
	SwitchURL string // this page in the other language
	Year      int
	// Movement is the campaign the page belongs to, named with its
	// organiser at the foot; nil on the platform's own pages.
	Movement *store.Campaign
	// Description, URL and Image are what a search engine or a link's
	// preview shows (meta description, Open Graph); Image may be "".
	Description, URL, Image string
}

// base fills the layout's part of a view.
func (h *pages) base(c *fiber.Ctx, title string) page {
	lang := langOf(c)
	other := en
	if lang == en {
		other = vi
	}
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	q.Set("lang", other)
	return page{
		Lang:      lang,
		Title:     title,
		User:      userOf(c),
		CSRF:      csrfOf(c),
		Path:      c.Path(),
		SwitchURL: c.Path() + "?" + q.Encode(),
		Year:      time.Now().In(hoChiMinh).Year(),

		Description: seoText(lang, "site"),
		URL:         h.pageURL(c),
	}
}

// campaignBase fills the layout's part of a view of a campaign's page.
func (h *pages) campaignBase(c *fiber.Ctx, title string, camp *store.Campaign) page {
	p := h.base(c, title)
	p.Movement = camp
	p.Description = campaignDescription(p.Lang, camp)
	p.Image = h.boardImageURL(c, camp.Slug)
	return p
}

// render writes a page, or with fragment set only that named template (for
// htmx, which swaps it into the page).
func (h *pages) render(c *fiber.Ctx, status int, name, fragment string, view any) error {
	t, ok := h.views.byLang[langOf(c)][name]
	if !ok {
		return fmt.Errorf("no view %q", name)
	}
	if fragment == "" {
		fragment = "layout"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, fragment, view); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Language", langOf(c))
	c.Set(fiber.HeaderVary, "Cookie, HX-Request")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.Status(status).Send(buf.Bytes())
}

// isHTMX reports whether htmx sent the request, to swap a fragment in.
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") == ""
}
