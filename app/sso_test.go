package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestLocalLoginOff: with THIDUA_LOCAL_LOGIN=off, passwords sign nobody
// in, through the API or the page, and the sign-in page offers the city's
// account alone; a provider out of reach is said plainly.
func TestLocalLoginOff(t *testing.T) {
	db := dbtest.SQLite(t)
	cfg := testConfig()
	cfg.OIDCIssuer, cfg.OIDCClientID, cfg.LocalLogin = "http://127.0.0.1:1", "thidua", false
	ts := &testServer{t: t, db: db, srv: NewServer(cfg, db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))}
	ts.addUser("admin", "admin", "")
	c := &client{ts: ts}
	p := c.do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "admin-password"}).want(403).problem()
	if !strings.Contains(p.Detail, "city account") && !strings.Contains(p.Detail, "tài khoản thành phố") {
		t.Errorf("the refusal says %q", p.Detail)
	}

	page := get(t, ts, "/login", "")
	for _, want := range []string{`id="sso"`, `id="local-off"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the sign-in page lacks %s", want)
		}
	}
	if strings.Contains(page.body, `id="f-password"`) {
		t.Error("the sign-in page offers a password")
	}
	// The form posted anyway, with a good CSRF token, is refused.
	form := url.Values{"username": {"admin"}, "password": {"admin-password"}, "_csrf": {formToken(page.presession)}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "thidua_csrf="+page.presession)
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 403 || !strings.Contains(string(body), "Đăng nhập bằng mật khẩu đã tắt") {
		t.Errorf("POST /login with passwords off = %d %s; want 403 saying passwords are off", resp.StatusCode, body)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM tokens"); n != 0 {
		t.Errorf("%d sessions opened with passwords off", n)
	}

	if r := get(t, ts, "/auth/oidc/start", ""); r.status != 503 || !strings.Contains(r.body, "Không kết nối được máy chủ đăng nhập") {
		t.Errorf("starting a sign-in with the provider down = %d %s", r.status, r.body)
	}
}

// TestNoSingleSignOn: without a provider the sign-in page offers none and
// its routes are not found.
func TestNoSingleSignOn(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	if r := get(t, ts, "/login", ""); strings.Contains(r.body, `id="sso"`) || !strings.Contains(r.body, `id="f-password"`) {
		t.Errorf("the sign-in page without single sign-on: %s", r.body)
	}
	for _, path := range []string{"/auth/oidc/start", "/auth/oidc/callback?code=x&state=y"} {
		if r := get(t, ts, path, ""); r.status != 404 {
			t.Errorf("GET %s without single sign-on = %d, want 404", path, r.status)
		}
	}
}

type fetched struct {
	status     int
	body       string
	presession string
}

func get(t *testing.T, ts *testServer, path, cookie string) fetched {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	p := fetched{status: resp.StatusCode, body: string(b)}
	for _, c := range resp.Cookies() {
		if c.Name == "thidua_csrf" {
			p.presession = c.Value
		}
	}
	return p
}

// formToken is the pages' CSRF token of a pre-session secret (web's
// csrfToken).
func formToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("thidua form token v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func count(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
