package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
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
		trusting := NewServer(cfg, ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
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
		other := &testServer{t: t, db: ts.db, srv: NewServer(testConfig(), ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))}
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

// TestSignInLimitSlides: twenty failed attempts at the end of one minute
// still count a second into the next, and have slid out a minute later.
func TestSignInLimitSlides(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon := ts.as("")
		login := func(password string) *response {
			return anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "judge", "password": password})
		}
		ts.at("2026-12-02T09:00:59Z")
		for range 20 {
			login("sai").want(401)
		}
		ts.at("2026-12-02T09:01:01Z")
		if ra := login("judge-password").want(429).Header.Get("Retry-After"); ra == "" || ra == "0" {
			t.Errorf("429 without Retry-After: %q", ra)
		}
		ts.at("2026-12-02T09:02:05Z")
		login("judge-password").want(200)
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
	want := map[string]string{
		"X-Xss-Protection": "0", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Opener-Policy": "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin", "Origin-Agent-Cluster": "?1",
		"Referrer-Policy": "strict-origin-when-cross-origin", "X-Dns-Prefetch-Control": "off",
		"X-Download-Options": "noopen", "X-Permitted-Cross-Domain-Policies": "none",
		"Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
	}
	eachDB(t, func(t *testing.T, ts *testServer) {
		// Twice: the second answer of a public read comes from the cache.
		for _, path := range []string{"/", "/admin/c/cds/runs", "/api/v1/campaigns", "/api/v1/nothing", "/", "/api/v1/campaigns"} {
			r := ts.as("").do("GET", path, nil)
			csp := r.Header.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("GET %s: Content-Security-Policy %q lacks %s", path, csp, want)
				}
			}
			for h, want := range want {
				if got := r.Header.Values(h); len(got) != 1 || got[0] != want {
					t.Errorf("GET %s: %s = %q, want %q", path, h, got, want)
				}
			}
			if v := r.Header.Get("Strict-Transport-Security"); v != "" {
				t.Errorf("GET %s over http: Strict-Transport-Security = %q", path, v)
			}
		}
		if v := ts.as("").do("GET", "/api/v1/nothing", nil).want(404).Header.Get("Vary"); !strings.Contains(v, "Accept-Language") {
			t.Errorf("a problem's Vary = %q, want Accept-Language", v)
		}

		// HSTS over https: said by a trusted proxy, never by anyone else.
		hsts := func(srv *Server) string {
			req := httptest.NewRequest("GET", "/api/v1/campaigns", nil)
			req.Header.Set("X-Forwarded-Proto", "https")
			resp, err := srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.Header.Get("Strict-Transport-Security")
		}
		if v := hsts(ts.srv); v != "" {
			t.Errorf("an untrusted client's X-Forwarded-Proto brings Strict-Transport-Security %q", v)
		}
		cfg := testConfig()
		cfg.TrustedProxies = []string{"0.0.0.0/0"}
		trusting := NewServer(cfg, ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if v := hsts(trusting); v != "max-age=31536000; includeSubDomains" {
			t.Errorf("over https by a trusted proxy: Strict-Transport-Security = %q", v)
		}
	})
}

// TestRulesetCost: a valid ruleset that would take too long to score every
// unit (the probe's: many criteria each mapping a long list) is refused
// when it is saved or tried, naming its costliest criterion; the current
// version stays in force.
func TestRulesetCost(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		cfg := testConfig()
		cfg.BodyLimit = 4 << 20
		big := &testServer{t: t, db: ts.db, srv: NewServer(cfg, ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))}
		admin := big.as("admin")
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", minimalRuleset).want(201)
		list := "[" + strings.Repeat("1, ", 159) + "1]" // within an expression's 500 nodes
		var b strings.Builder
		b.WriteString("schema: 1\nperiod: quarter\ncriteria:\n  - {key: cheap, title: Rẻ, weight: 10, value: \"projects.registered >= 1 ? 1 : 0\"}\n")
		for i := range 150 {
			fmt.Fprintf(&b, "  - {key: heavy_%d, title: Nặng %d, weight: 1, value: \"sum(map(%s, # * # + 1)) * 0\"}\n", i, i, list)
		}
		for _, path := range []string{"/api/v1/campaigns/cds/ruleset", "/api/v1/campaigns/cds/ruleset/dry-run"} {
			method := map[bool]string{true: "PUT", false: "POST"}[strings.HasSuffix(path, "/ruleset")]
			p := admin.yaml(method, path, b.String()).want(422).problem()
			if len(p.Errors) != 1 || !strings.HasPrefix(p.Errors[0].Field, "criteria[") || p.Errors[0].Field == "criteria[0].value" ||
				!strings.Contains(p.Errors[0].Message, "bước để chấm một đơn vị") {
				t.Errorf("%s %s of a costly ruleset: %+v, want a costly criterion named, in Vietnamese", method, path, p.Errors)
			}
		}
		var cur struct{ Version int }
		admin.do("GET", "/api/v1/campaigns/cds/ruleset", nil).want(200).decode(&cur)
		if cur.Version != 1 {
			t.Errorf("version %d in force, want 1", cur.Version)
		}
	})
}

// TestDatesBounded: dates are from the years 2000 to 2100, refused by name
// otherwise (a campaign of year 1 was a 500; one of year 9999 could never
// be scored on SQLite).
func TestDatesBounded(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		for _, tc := range []struct{ starts, ends, field string }{
			{"0001-01-01", "2026-12-31", "starts_on"},
			{"0002-01-01", "9999-12-31", "starts_on"},
			{"2026-01-01", "2101-01-01", "ends_on"},
		} {
			p := admin.do("POST", "/api/v1/campaigns", map[string]any{"slug": "old", "name": "Cũ", "starts_on": tc.starts,
				"ends_on": tc.ends, "units": "all"}).want(422).problem()
			if len(p.Errors) == 0 || p.Errors[0].Field != tc.field {
				t.Errorf("campaign %s…%s: %+v, want %s refused", tc.starts, tc.ends, p.Errors, tc.field)
			}
		}
		admin.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Cổ",
			"category": "community", "starts_on": "0001-01-01"}).want(422)
		admin.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Mới",
			"category": "community", "starts_on": "2026-01-01"}).want(201)
	})
}

// TestOutageAnswers503: while the database is out of reach, reads and
// writes answer 503 with Retry-After, not 500; once it is back, they work.
func TestOutageAnswers503(t *testing.T) {
	u := dbtest.PostgresURL(t) // only: the embedded database does not go away
	db, err := store.Open(context.Background(), u, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ts := fixture(t, db)
	admin := ts.as("admin")
	restore := dbtest.Outage(t, u)
	for _, r := range []*response{
		admin.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Trong lúc mất kết nối", "category": "community"}),
		ts.as("").do("GET", "/api/v1/campaigns/cds/projects", nil),
	} {
		if r.Status != 503 || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s during the outage = %d, Retry-After %q; want 503 with Retry-After", r.req, r.Status, r.Header.Get("Retry-After"))
		}
	}
	page := ts.as("").do("GET", "/c/cds/projects", nil)
	if page.Status != 503 || !strings.Contains(string(page.Body), "tạm gián đoạn") {
		t.Errorf("a page during the outage = %d, want 503 saying so", page.Status)
	}
	restore()
	admin.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Sau khi có kết nối", "category": "community"}).want(201)
}

// TestReadyOnceBoardsWarm: while a start reads the newest leaderboards
// into memory, /readyz is 503 with Retry-After (a load balancer sends no
// one to the replica yet); then 200.
func TestReadyOnceBoardsWarm(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon := ts.as("")
		ts.srv.warming.Store(true)
		if r := anon.do("GET", "/readyz", nil).want(503); r.Header.Get("Retry-After") == "" {
			t.Error("503 while warming without Retry-After")
		}
		warmBoards(context.Background(), ts.srv, slog.New(slog.NewTextHandler(io.Discard, nil)))
		anon.do("GET", "/readyz", nil).want(200)
	})
}
