package app

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestRoutesAreExact: a path is one route, whatever its letters' case or
// a trailing slash; the session cookie never signs in an API write, on
// any spelling of its path.
func TestRoutesAreExact(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		var p store.Project
		admin.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Gia đình số",
			"category": "community"}).want(201).decode(&p)
		cookie := &client{ts: ts, header: map[string]string{"Cookie": sessionCookie + "=" + admin.token}}
		before := auditCount(t, ts.db)
		for _, path := range []string{"/API/v1/projects/%d", "/Api/v1/projects/%d", "/api/V1/projects/%d", "/api/v1/projects/%d"} {
			path = strings.Replace(path, "%d", strconv.FormatInt(p.ID, 10), 1)
			r := cookie.do("PATCH", path, map[string]any{"summary": "đổi bởi một trang khác"})
			if r.Status != 404 && r.Status != 401 {
				t.Errorf("PATCH %s with the cookie alone = %d, want 404 or 401", path, r.Status)
			}
		}
		cookie.do("POST", "/Api/v1/campaigns/cds/judging/lock", nil).want(404)
		cookie.do("POST", "/API/v1/units/import", "code,name,level,kind,parent,clusters\nY-1,Y,commune,front,HN,\n").want(404)
		if after := auditCount(t, ts.db); after != before {
			t.Errorf("writes signed in by the cookie alone were carried out: %d audit entries", after-before)
		}
		// The query check is the route's: no spelling of a path escapes it.
		ts.as("").do("GET", "/api/v1/units?q=%00", nil).want(400)
		ts.as("").do("GET", "/API/v1/units?q=%00", nil).want(404)
		ts.as("").do("GET", "/api/v1/units/", nil).want(404)
		ts.as("").do("GET", "/c/cds/", nil).want(404)
	})
}

// TestHeadWhereGet: HEAD answers wherever GET does, with its headers and
// no body.
func TestHeadWhereGet(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		for _, path := range []string{"/api/v1/campaigns", "/api/v1/units/HN", "/healthz", "/", "/c/cds"} {
			r := ts.as("").do("HEAD", path, nil)
			if r.Status != 200 || len(r.Body) != 0 || r.Header.Get("Content-Type") == "" {
				t.Errorf("HEAD %s = %d, %d bytes, Content-Type %q; want 200 with headers only", path, r.Status, len(r.Body), r.Header.Get("Content-Type"))
			}
		}
	})
}

// TestForwardedHeaders: X-Forwarded-Host and -Proto are believed only from
// the proxies of THIDUA_TRUSTED_PROXIES.
func TestForwardedHeaders(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		feed := func(srv *Server) string {
			req := httptest.NewRequest("GET", "/c/cds/honours.atom", nil)
			req.Header.Set("X-Forwarded-Host", "evil.example")
			req.Header.Set("X-Forwarded-Proto", "https")
			resp, err := srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		if body := feed(ts.srv); strings.Contains(body, "evil.example") || !strings.Contains(body, "http://example.com/") {
			t.Errorf("an untrusted client's X-Forwarded-Host is believed:\n%.600s", body)
		}
		cfg := testConfig()
		cfg.TrustedProxies = []string{"0.0.0.0/0"}
		trusting := NewServer(cfg, ts.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if body := feed(trusting); !strings.Contains(body, "https://evil.example/") {
			t.Errorf("a trusted proxy's X-Forwarded-Host is ignored:\n%.600s", body)
		}
	})
}

// TestSignInLimit: sign-in attempts are counted per username, whatever its
// case or spaces, and address, for the API and the pages, on every
// replica; past the limit the answer is 429 with Retry-After.
func TestSignInLimit(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon := ts.as("")
		for i := range 20 {
			name := []string{"judge", " judge", "JUDGE ", "Judge"}[i%4]
			anon.do("POST", "/api/v1/auth/login", map[string]string{"username": name, "password": "sai"}).want(401)
		}
		r := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": " JuDgE ", "password": "judge-password"}).want(429)
		if ra := r.Header.Get("Retry-After"); ra == "" || ra == "0" {
			t.Errorf("429 without Retry-After: %q", ra)
		}
		// Another replica over the same database counts the same attempts.
		other := &testServer{t: t, db: ts.db, srv: NewServer(testConfig(), ts.db, slog.New(slog.NewTextHandler(io.Discard, nil)))}
		(&client{ts: other}).do("POST", "/api/v1/auth/login", map[string]string{"username": "judge", "password": "judge-password"}).want(429)
		// So does the sign-in form.
		get, _ := ts.srv.App().Test(httptest.NewRequest("GET", "/login", nil), -1)
		page, _ := io.ReadAll(get.Body)
		token := csrfField.FindSubmatch(page)
		form := "username=judge&password=judge-password&_csrf=" + string(token[1])
		req := httptest.NewRequest("POST", "/login", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range get.Cookies() {
			req.AddCookie(c)
		}
		resp, err := ts.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "thử lại sau") {
			t.Errorf("the sign-in form past the limit = %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// Other users are not locked out.
		ts.as("admin")
	})
}

// TestUsernamesIgnoreCase: ADMIN is admin, to sign in and to be taken.
func TestUsernamesIgnoreCase(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon := ts.as("")
		anon.do("POST", "/api/v1/auth/login", map[string]string{"username": " ADMIN ", "password": "admin-password"}).want(200)
		p := ts.as("admin").do("POST", "/api/v1/users", map[string]any{"username": "Admin", "password": "mật-khẩu-dài", "role": "judge"}).
			want(409).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "username" {
			t.Errorf("a username taken but for its case: %+v", p)
		}
	})
}

// TestSecurityHeaders: every response forbids framing and sniffing, keeps
// the referrer on the site and allows the pages only their own scripts and
// styles; problems vary with the language asked for.
func TestSecurityHeaders(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		for _, path := range []string{"/", "/admin/c/cds/runs", "/api/v1/campaigns", "/api/v1/nothing"} {
			r := ts.as("").do("GET", path, nil)
			csp := r.Header.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("GET %s: Content-Security-Policy %q lacks %s", path, csp, want)
				}
			}
			for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
				"Referrer-Policy": "strict-origin-when-cross-origin"} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("GET %s: %s = %q, want %q", path, h, got, want)
				}
			}
		}
		if v := ts.as("").do("GET", "/api/v1/nothing", nil).want(404).Header.Get("Vary"); !strings.Contains(v, "Accept-Language") {
			t.Errorf("a problem's Vary = %q, want Accept-Language", v)
		}
	})
}
