package app

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"github.com/gofiber/fiber/v2"
)

// englishWords are words of English that no Vietnamese message holds (API
// codes and field names are not among them).
var englishWords = map[string]bool{
	"the": true, "must": true, "is": true, "are": true, "not": true, "no": true, "such": true, "has": true,
	"have": true, "took": true, "too": true, "than": true, "limit": true, "request": true, "body": true,
	"cannot": true, "invalid": true, "only": true, "may": true, "already": true, "exists": true, "of": true,
	"and": true, "or": true, "to": true, "for": true, "your": true, "this": true, "be": true, "by": true,
	"path": true, "method": true, "large": true, "expired": true, "revoked": true, "wrong": true, "sign": true,
}

// vietnamese says whether s has a letter of Vietnamese beyond ASCII.
func vietnamese(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// oneLanguage is what is wrong with a problem's texts in lang ("" when
// nothing): Vietnamese text must have Vietnamese letters and no English
// word; English text no Vietnamese letter.
func oneLanguage(p problem, lang string) string {
	texts := []string{p.Title, p.Detail}
	for _, e := range p.Errors {
		texts = append(texts, e.Message)
	}
	for _, s := range texts {
		if s == "" {
			continue
		}
		if lang == langEN {
			if vietnamese(s) {
				return fmt.Sprintf("%q is not wholly English", s)
			}
			continue
		}
		if !vietnamese(s) {
			return fmt.Sprintf("%q is not Vietnamese", s)
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if englishWords[w] {
				return fmt.Sprintf("%q holds the English word %q", s, w)
			}
		}
	}
	return ""
}

// inLanguage is a copy of c that asks for lang.
func inLanguage(c *client, lang string) *client {
	return &client{ts: c.ts, token: c.token, header: map[string]string{"Accept-Language": lang}}
}

// TestProblemsInOneLanguage: every refusal of the API, each role's on every
// write and each status's, is wholly Vietnamese with Accept-Language: vi and
// wholly English with en.
func TestProblemsInOneLanguage(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newAuthzFixture(t, ts)
		for _, tc := range f.apiCases() {
			for _, who := range callers {
				if _, ok := tc.who[who]; ok {
					continue
				}
				for _, lang := range []string{langVI, langEN} {
					c := inLanguage(f.clients[who], lang)
					var r *response
					if tc.yaml {
						r = c.yaml(tc.method, tc.path, tc.body(who).(string))
					} else {
						var body any
						if tc.body != nil {
							body = tc.body(who)
						}
						r = c.do(tc.method, tc.path, body)
					}
					if r.Status < 400 {
						t.Errorf("%s %s as %s = %d, want a refusal", tc.method, tc.path, who, r.Status)
						continue
					}
					if bad := oneLanguage(r.problem(), lang); bad != "" {
						t.Errorf("%s %s as %s (%s) = %d: %s", tc.method, tc.path, who, lang, r.Status, bad)
					}
				}
			}
		}

		admin, own := f.clients["admin"], f.clients["own"]
		big := `{"code": "X-1", "name": "` + strings.Repeat("a", 70000) + `"}`
		for _, tc := range []struct {
			c            *client
			method, path string
			body         any
			status       int
		}{
			{admin, "POST", "/api/v1/units", `{"code": "X-1", "name": `, 400},
			{admin, "POST", "/api/v1/units", `[1]`, 400},
			{admin, "POST", "/api/v1/units", ``, 400},
			{admin, "POST", "/api/v1/units", `{"a":1} {"b":2}`, 400},
			{admin, "GET", "/api/v1/units?q=%ff", nil, 400},
			{f.clients["anon"], "PUT", "/api/v1/campaigns/dc/ruleset", `{}`, 401},
			{&client{ts: ts, token: "forged"}, "GET", "/api/v1/me", nil, 401},
			{f.clients["anon"], "POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "sai"}, 401},
			{admin, "GET", "/api/v1/nowhere", nil, 404},
			{admin, "GET", "/api/v1/projects/abc", nil, 404},
			{admin, "GET", "/api/v1/projects/999999", nil, 404},
			{admin, "GET", "/api/v1/campaigns/none", nil, 404},
			{admin, "GET", "/api/v1/campaigns/dc/leaderboard/around/NOWHERE", nil, 404},
			{admin, "POST", "/api/v1/units", map[string]any{"code": "P-DINHCONG", "name": "Trùng", "level": "commune", "kind": "front"}, 409},
			{admin, "POST", "/api/v1/units", big, 413},
			{own, "POST", "/api/v1/files", upload{"ảnh.exe", []byte("MZ\x90\x00 not a photo")}, 415},
			{admin, "POST", "/api/v1/units", map[string]any{"code": "bad code!", "level": "City Level"}, 422},
			{own, "POST", "/api/v1/campaigns/dc/projects", map[string]any{"unit": "P-DINHCONG-PN", "title": "X", "category": "shopping"}, 422},
			{own, "PUT", "/api/v1/campaigns/dc/units/P-DINHCONG-PN/reports/2025-Q3", map[string]any{"values": map[string]float64{"cashless": 1}}, 422},
		} {
			for _, lang := range []string{langVI, langEN} {
				r := inLanguage(tc.c, lang).do(tc.method, tc.path, tc.body)
				if r.Status != tc.status {
					t.Errorf("%s %s = %d %.200s, want %d", tc.method, tc.path, r.Status, r.Body, tc.status)
					continue
				}
				if bad := oneLanguage(r.problem(), lang); bad != "" {
					t.Errorf("%s %s (%s) = %d: %s", tc.method, tc.path, lang, r.Status, bad)
				}
			}
		}
		// A period is named in words in either language, never by its key.
		org := f.clients["organiser"]
		org.do("POST", "/api/v1/campaigns/dc/runs", map[string]any{"period": "2025-Q3", "close": true}).want(201)
		for _, tc := range []struct {
			path   string
			body   any
			vi, en string
		}{
			{"/api/v1/campaigns/dc/runs", map[string]any{"period": "2025-Q3", "close": true},
				"kỳ quý III/2025 đã được chốt", "Q3 2025 is closed already"},
			{"/api/v1/campaigns/dc/honours", map[string]any{"unit": "P-DINHCONG-PN", "title": "Mô hình hay", "period": "2025-Q3", "citation": "Lần nữa"},
				`"P-DINHCONG-PN" đã được khen "Mô hình hay" cho kỳ quý III/2025`, `"P-DINHCONG-PN" was granted "Mô hình hay" for Q3 2025 already`},
		} {
			for lang, want := range map[string]string{langVI: tc.vi, langEN: tc.en} {
				p := inLanguage(org, lang).do("POST", tc.path, tc.body).want(409).problem()
				if p.Detail != want {
					t.Errorf("POST %s (%s): %q, want %q", tc.path, lang, p.Detail, want)
				}
			}
		}

		for _, lang := range []string{langVI, langEN} {
			anon := inLanguage(f.clients["anon"], lang)
			var r *response
			for range 30 {
				if r = anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "limit-" + lang, "password": "sai"}); r.Status == 429 {
					break
				}
			}
			if r.Status != 429 {
				t.Fatalf("sign-in never limited: %d", r.Status)
			}
			if bad := oneLanguage(r.problem(), lang); bad != "" {
				t.Errorf("429 (%s): %s", lang, bad)
			}
		}

		// Fiber's own refusals and a request out of time, whose texts are
		// Fiber's and Go's English.
		fake := fiber.New(fiber.Config{ErrorHandler: ts.srv.errorHandler})
		for _, e := range []error{fiber.ErrMethodNotAllowed, fiber.ErrRequestEntityTooLarge, fiber.ErrRequestHeaderFieldsTooLarge,
			fiber.NewError(fiber.StatusBadRequest, "error when reading request headers"), fiber.ErrRequestTimeout,
			fmt.Errorf("read: %w", context.DeadlineExceeded)} {
			fake.Get(fmt.Sprintf("/%d", len(fake.GetRoutes())), func(error) fiber.Handler {
				return func(*fiber.Ctx) error { return e }
			}(e))
		}
		for _, r := range fake.GetRoutes() {
			if r.Method != "GET" {
				continue
			}
			for _, lang := range []string{langVI, langEN} {
				req := httptest.NewRequest("GET", r.Path, nil)
				req.Header.Set("Accept-Language", lang)
				resp, err := fake.Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				rr := &response{t: t, req: r.Path, Status: resp.StatusCode, Header: resp.Header}
				rr.Body, _ = io.ReadAll(resp.Body)
				p := rr.problem()
				if p.Detail == "" {
					t.Errorf("%s (%s) = %d without a detail", r.Path, lang, p.Status)
				}
				if bad := oneLanguage(p, lang); bad != "" {
					t.Errorf("%s (%s) = %d: %s", r.Path, lang, p.Status, bad)
				}
			}
		}
	})
}
