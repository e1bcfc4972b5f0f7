package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/thidua/thidua/app"
)

// TestSingleSignOnBrowser boots the real program with single sign-on at a
// real OpenID provider on loopback (zitadel/oidc's example provider, which
// checks the PKCE verifier against the challenge), and signs in through it in headless
// Chromium: a known person lands signed in as the user with the same
// verified address; an unknown one is refused with a clear page; a forged
// callback is refused.
func TestSingleSignOnBrowser(t *testing.T) {
	needChromium(t)
	appAddr, opAddr := freeAddr(t), freeAddr(t)
	base := "http://" + appAddr
	// The provider answers on localhost, the site on 127.0.0.1: two sites
	// to the browser, as in production.
	issuer := "http://localhost:" + portOf(opAddr)
	users := storage.NewUserStore(issuer)
	// The example replaces the process's default logger (to quiet its
	// request log): put it back afterwards.
	defaultLog := slog.Default()
	t.Cleanup(func() { slog.SetDefault(defaultLog) })
	op := exampleop.SetupServer(issuer, storage.NewStorageWithClients(users, map[string]*storage.Client{
		"thidua": storage.WebClient("thidua", "sso-secret", base+"/auth/oidc/callback"),
	}), slog.New(slog.DiscardHandler), false)
	l, err := net.Listen("tcp", opAddr)
	if err != nil {
		t.Fatal(err)
	}
	opSrv := &http.Server{Handler: op}
	go opSrv.Serve(l)
	t.Cleanup(func() { opSrv.Close() })

	dir := t.TempDir()
	serve(t, map[string]string{"THIDUA_ADDR": appAddr, "THIDUA_DB": filepath.Join(dir, "t.db"), "THIDUA_SCHEDULER": "off",
		"THIDUA_ARGON2_MEMORY_KIB": "1024", "THIDUA_LOG_LEVEL": "warn", "THIDUA_ADMIN_PASSWORD": "admin-password",
		"THIDUA_PUBLIC_URL": base, "THIDUA_OIDC_ISSUER": issuer, "THIDUA_OIDC_CLIENT_ID": "thidua", "THIDUA_OIDC_CLIENT_SECRET": "sso-secret"})
	admin := apiLogin(t, base, "admin", "admin-password")
	apiPost(t, base, admin, "/api/v1/users", map[string]any{"username": "giamkhao.lan", "password": "mật-khẩu-dài",
		"role": "judge", "email": "Test-User@zitadel.ch"}, 201)

	b := newBrowser(t)
	signInAtProvider := func(t *testing.T, username string) {
		t.Helper()
		b.do(t, chromedp.Navigate(base+"/login?next=/judge"),
			chromedp.Click(chromedp.ID("sso")),
			chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), username),
			chromedp.SendKeys(chromedp.ID("password"), "verysecure"),
			chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	}

	t.Run("a known person signs in as the user with the same address", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/login"))
		b.contains(t, "#sso", "Đăng nhập bằng tài khoản thành phố")
		signInAtProvider(t, "test-user@localhost")
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil || loc != base+"/judge" {
			t.Errorf("after signing in the browser is at %s (%v), want %s/judge", loc, err, base)
		}
		b.contains(t, "header", "giamkhao.lan")
		b.signOut(t)
	})

	t.Run("an unknown person is refused with a clear page", func(t *testing.T) {
		signInAtProvider(t, "test-user2")
		b.do(t, chromedp.WaitVisible(chromedp.ID("sso-error")))
		b.contains(t, "#sso-error", "test-user2@zitadel.ch", "chưa được cấp quyền")
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	})

	t.Run("a forged callback is refused", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/auth/oidc/callback?code=stolen&state=guessed"),
			chromedp.WaitVisible(chromedp.ID("sso-error")))
		b.contains(t, "#sso-error", "không còn hiệu lực")
	})
	if v := b.refused(); len(v) > 0 {
		t.Errorf("the content security policy refused: %v", v)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// serve runs `thidua serve` with env until the test ends, and waits until
// it is ready.
func serve(t *testing.T, env map[string]string) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- app.Main(ctx, []string{"thidua", "serve"}, func(k string) string { return env[k] }, io.Discard)
	}()
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("thidua serve did not stop")
		}
	})
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case code := <-done:
			t.Fatalf("thidua serve exited with %d", code)
		default:
		}
		if resp, err := http.Get("http://" + env["THIDUA_ADDR"] + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
	}
	t.Fatal("thidua serve was not ready within 60s")
}

func apiLogin(t *testing.T, base, username, password string) string {
	t.Helper()
	var s struct{ Token string }
	json.Unmarshal(apiPost(t, base, "", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, 200), &s)
	return s.Token
}

func apiPost(t *testing.T, base, token, path string, body any, want int) []byte {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s = %d %s, want %d", path, resp.StatusCode, out, want)
	}
	return out
}
