package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store/dbtest"
)

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// safeBuffer collects a program's output while it runs.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// boot runs the real program with env until the test ends; it returns the
// base URL once /readyz answers, and a function that stops it (as SIGTERM
// does) and returns the exit code.
func boot(t *testing.T, env map[string]string, args ...string) (base string, stop func() int, out *safeBuffer) {
	t.Helper()
	addr := freeAddr(t)
	env["THIDUA_ADDR"] = addr
	env["THIDUA_SCHEDULER"] = "off"
	if env["THIDUA_ARGON2_MEMORY_KIB"] == "" {
		env["THIDUA_ARGON2_MEMORY_KIB"] = "1024"
	}
	ctx, cancel := context.WithCancel(context.Background())
	out = &safeBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"thidua"}, args...), func(k string) string { return env[k] }, out)
	}()
	base = "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	// Polls on connections of their own, so that no idle one is left for a test's POST.
	poll := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		resp, err := poll.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("program exited with %d before it was ready:\n%s", code, out)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("not ready after 60s:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A server of an earlier test may have had this port: drop the idle
	// connections the default client kept to it, or a POST may go down one.
	http.DefaultClient.CloseIdleConnections()
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(40 * time.Second):
				t.Fatal("program did not stop within 40s of the signal")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return base, stop, out
}

func TestProgramServesAndStops(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			env := map[string]string{"THIDUA_ADMIN_PASSWORD": "mật-khẩu-quản-trị", "THIDUA_BODY_LIMIT": "65536"}
			if dialect == "postgres" {
				env["DATABASE_URL"] = dbtest.PostgresURL(t)
			} else {
				env["THIDUA_DB"] = filepath.Join(t.TempDir(), "thidua.db")
			}
			base, stop, out := boot(t, env)

			resp, err := http.Post(base+"/api/v1/auth/login", "application/json",
				strings.NewReader(`{"username":"admin","password":"mật-khẩu-quản-trị"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("admin from THIDUA_ADMIN_PASSWORD: login = %d, want 200", resp.StatusCode)
			}

			// A body over the limit is refused from its length, before it is
			// read: the headers and the first 8 KiB alone are sent (the server
			// waits for those), so that no client write races the server
			// closing the connection.
			conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n{\"username\":\"%s", strings.Repeat("a", 8192))
			resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			conn.Close()
			if resp.StatusCode != 413 || !strings.Contains(string(body), "/problems/too-large") {
				t.Errorf("oversized body = %d %s, want 413 problem", resp.StatusCode, body)
			}

			resp, err = http.Get(base + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), `thidua_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 1`) {
				var ours []string
				for _, l := range strings.Split(string(body), "\n") {
					if strings.HasPrefix(l, "thidua_http_requests_total") {
						ours = append(ours, l)
					}
				}
				t.Errorf("metrics lack the login request by route template:\n%s", strings.Join(ours, "\n"))
			}
			if !strings.Contains(out.String(), `"request_id"`) {
				t.Errorf("logs carry no request id:\n%.2000s", out)
			}

			if code := Main(context.Background(), []string{"thidua", "healthcheck"}, func(k string) string { return env[k] }, io.Discard); code != 0 {
				t.Errorf("healthcheck exit code = %d, want 0", code)
			}
			if code := stop(); code != 0 {
				t.Errorf("exit code after the signal = %d, want 0\n%s", code, out)
			}
			if code := Main(context.Background(), []string{"thidua", "healthcheck"}, func(k string) string { return env[k] }, io.Discard); code != 1 {
				t.Errorf("healthcheck of a stopped service: exit code = %d, want 1", code)
			}
			if _, err := http.Get(base + "/healthz"); err == nil {
				t.Error("still serving after the signal")
			}
		})
	}
}

// TestGracefulShutdown starts a slow request, stops the program, and checks
// that the request still completes.
func TestGracefulShutdown(t *testing.T) {
	env := map[string]string{"THIDUA_DB": filepath.Join(t.TempDir(), "thidua.db"), "THIDUA_ADMIN_PASSWORD": "pw-12345678",
		"THIDUA_ARGON2_MEMORY_KIB": "262144"} // a deliberately slow password check
	base, stop, _ := boot(t, env)
	result := make(chan int, 1)
	go func() {
		resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"pw-12345678"}`))
		if err != nil {
			result <- -1
			return
		}
		resp.Body.Close()
		result <- resp.StatusCode
	}()
	time.Sleep(30 * time.Millisecond) // let the request start hashing
	if code := stop(); code != 0 {
		t.Errorf("exit code = %d, want 0", code)
	}
	if status := <-result; status != 200 {
		t.Errorf("in-flight login finished with %d, want 200", status)
	}
}

func TestMigrateCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "m.db")
	var out bytes.Buffer
	// Two processes starting at once on one file both succeed.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = Main(context.Background(), []string{"thidua", "migrate"}, func(k string) string {
				return map[string]string{"THIDUA_DB": file}[k]
			}, io.Discard)
		}()
	}
	wg.Wait()
	if codes[0] != 0 || codes[1] != 0 {
		t.Errorf("concurrent migrate exit codes = %v, want 0 0", codes)
	}
	if code := Main(context.Background(), []string{"thidua", "bogus"}, func(string) string { return "" }, &out); code != 2 {
		t.Errorf("unknown command exit code = %d, want 2", code)
	}
	if code := Main(context.Background(), []string{"thidua"}, func(k string) string {
		return map[string]string{"THIDUA_SCHEDULER": "maybe"}[k]
	}, &out); code != 2 || !strings.Contains(out.String(), "THIDUA_SCHEDULER") {
		t.Errorf("bad configuration: exit %d, output %q", code, out.String())
	}
}

func TestConcurrentMigrationsPostgres(t *testing.T) {
	url := dbtest.PostgresURL(t) // already migrated: run Up twice more at once
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := testConfig()
			cfg.DatabaseURL = url
			db, err := openDB(context.Background(), cfg)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migration %d: %v", i, err)
		}
	}

}
