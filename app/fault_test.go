package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestKilledMidway kills the real program (SIGKILL: no shutdown at all)
// while it acknowledges writes and while it runs a scoring run, and starts
// it again over the same database: every acknowledged write is there once,
// and no run is left half-written (a run that did not finish has no
// snapshot and is recorded as failed by the next).
func TestKilledMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("fault tests skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "thidua")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/thidua/thidua").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			env := []string{"THIDUA_SCHEDULER=off", "THIDUA_ARGON2_MEMORY_KIB=1024", "THIDUA_LOG_LEVEL=error"}
			var db *store.DB
			if dialect == "postgres" {
				u := dbtest.PostgresURL(t)
				env = append(env, "DATABASE_URL="+u)
				var err error
				if db, err = store.Open(context.Background(), u, ""); err != nil {
					t.Fatal(err)
				}
			} else {
				file := filepath.Join(t.TempDir(), "thidua.db")
				env = append(env, "THIDUA_DB="+file)
				var err error
				if db, err = store.Open(context.Background(), "", file); err != nil {
					t.Fatal(err)
				}
				if err := db.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			defer db.Close()
			seedDemo(t, db)
			db.Close()
			p := startProgram(t, bin, env)

			// Writes, acknowledged one by one, until the program is killed.
			acked := p.writeUntilKilled(t, 60)
			p = startProgram(t, bin, env)
			var missing []string
			for key, value := range acked {
				unit, period, _ := strings.Cut(key, "|")
				var reports []store.Report
				if err := p.get("/api/v1/campaigns/"+demo.CampaignSlug+"/units/"+unit+"/reports", &struct{ Items *[]store.Report }{&reports}); err != nil {
					t.Fatal(err)
				}
				found := false
				for _, r := range reports {
					found = found || (r.Period == period && r.Values["cashless"] == value)
				}
				if !found {
					missing = append(missing, key)
				}
			}
			if len(acked) == 0 || len(missing) > 0 {
				t.Errorf("%d writes acknowledged before the kill, %d of them lost: %v", len(acked), len(missing), missing)
			}

			// A run, killed while it scores: as soon as it is recorded as running.
			watch, err := store.Open(context.Background(), envValue(env, "DATABASE_URL"), envValue(env, "THIDUA_DB"))
			if err != nil {
				t.Fatal(err)
			}
			defer watch.Close()
			done := make(chan struct{})
			go func() { p.post("/api/v1/campaigns/"+demo.CampaignSlug+"/runs", map[string]any{}); close(done) }()
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(2 * time.Millisecond) {
				var running int
				watch.SQL().QueryRow(`SELECT COUNT(*) FROM runs WHERE status = 'running'`).Scan(&running)
				if running > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the run never started")
				}
			}
			p.kill(t)
			<-done
			p = startProgram(t, bin, env)
			p.run(t) // the next run records the cut one as failed
			p.kill(t)
			var failed int
			if err := watch.SQL().QueryRow(`SELECT COUNT(*) FROM runs WHERE status = 'failed' AND error LIKE 'interrupted%'`).Scan(&failed); err != nil || failed != 1 {
				t.Errorf("%d runs recorded as interrupted (%v), want the one killed", failed, err)
			}

			check, err := store.Open(context.Background(), envValue(env, "DATABASE_URL"), envValue(env, "THIDUA_DB"))
			if err != nil {
				t.Fatal(err)
			}
			defer check.Close()
			var bad []string
			rows, err := check.SQL().Query(`SELECT r.id, r.status,
				(SELECT COUNT(*) FROM run_snapshots s WHERE s.run_id = r.id),
				(SELECT COUNT(*) FROM run_results x WHERE x.run_id = r.id)
				FROM runs r ORDER BY r.id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, snaps, results int
				var status string
				if err := rows.Scan(&id, &status, &snaps, &results); err != nil {
					t.Fatal(err)
				}
				if status == store.RunRunning || (status == store.RunFailed && snaps+results > 0) ||
					(status == store.RunSucceeded && (snaps != 1 || results == 0)) {
					bad = append(bad, fmt.Sprintf("run %d %s with %d snapshots and %d result lines", id, status, snaps, results))
				}
			}
			if len(bad) > 0 {
				t.Errorf("after the kill: %s", strings.Join(bad, "; "))
			}
		})
	}
}

// seedDemo loads the demo dataset with its city ruleset.
func seedDemo(t *testing.T, db *store.DB) {
	ctx := context.Background()
	hasher := password.New(1024, 1)
	if err := demo.Load(ctx, db, demo.Generate(db.Now()), hasher.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRuleset(ctx, demo.CampaignSlug, demo.Ruleset, "yaml"); err != nil {
		t.Fatal(err)
	}
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// program is the real binary running as a process of its own.
type program struct {
	cmd   *exec.Cmd
	base  string
	token string
}

// startProgram starts the binary on a free port and signs in as the demo's
// admin.
func startProgram(t *testing.T, bin string, env []string) *program {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), append(env, "THIDUA_ADDR="+addr)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &program{cmd: cmd, base: "http://" + addr}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program did not start:\n%s", out.String())
		}
	}
	var sess struct{ Token string }
	if status := p.post("/api/v1/auth/login", map[string]string{"username": "admin", "password": "demo-admin"}, &sess); status != 200 {
		t.Fatalf("sign in = %d", status)
	}
	p.token = sess.Token
	return p
}

// post sends a JSON body with the program's token, decoding the answer
// into out; a request cut by the kill is status 0.
func (p *program) post(path string, body any, out ...any) int {
	return p.send("POST", path, body, out...)
}

func (p *program) send(method, path string, body any, out ...any) int {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, p.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if len(out) > 0 && resp.StatusCode < 300 {
		json.Unmarshal(data, out[0])
	}
	return resp.StatusCode
}

func (p *program) get(path string, out any) error {
	resp, err := http.Get(p.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// kill ends the program with SIGKILL.
func (p *program) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// run scores the campaign now.
func (p *program) run(t *testing.T) {
	t.Helper()
	if status := p.post("/api/v1/campaigns/"+demo.CampaignSlug+"/runs", map[string]any{}); status != 201 {
		t.Fatalf("a run = %d, want 201", status)
	}
}

// writeUntilKilled sends reports of many units from several clients and
// kills the program once enough are acknowledged, while the others are
// being written; it returns what was acknowledged, by "unit|period".
func (p *program) writeUntilKilled(t *testing.T, enough int) map[string]float64 {
	t.Helper()
	var units struct{ Items []store.Unit }
	if err := p.get("/api/v1/units?level=commune&kind=front&limit=500", &units); err != nil || len(units.Items) < 100 {
		t.Fatalf("units: %d, %v", len(units.Items), err)
	}
	var mu sync.Mutex
	acked := map[string]float64{}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(units.Items); i += 8 {
				unit := units.Items[i].Code
				value := float64(i%97) / 100
				path := "/api/v1/campaigns/" + demo.CampaignSlug + "/units/" + unit + "/reports/2025-06"
				switch status := p.send("PUT", path, map[string]any{"values": map[string]float64{"cashless": value}}); status {
				case 200:
					mu.Lock()
					acked[unit+"|2025-06"] = value
					mu.Unlock()
				case 0: // cut by the kill
				default:
					t.Errorf("PUT %s = %d", path, status)
					return
				}
			}
		}()
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= enough {
			break
		}
	}
	p.kill(t)
	wg.Wait()
	return acked
}

// TestPostgresRestart restarts the PostgreSQL server under writes: every
// write acknowledged before, during or after the restart is stored exactly
// once, and the writes refused meanwhile are 503s. It needs the command that
// restarts the server in THIDUA_TEST_RESTART_POSTGRES (CI runs it alone,
// as the restart cuts every other test's connections).
func TestPostgresRestart(t *testing.T) {
	restart := os.Getenv("THIDUA_TEST_RESTART_POSTGRES")
	if restart == "" {
		t.Skip("PostgreSQL restart test skipped: set THIDUA_TEST_RESTART_POSTGRES to the command that restarts the server " +
			"(pg_ctlcluster --skip-systemctl-redirect 15 main restart), and run it alone")
	}
	bin := filepath.Join(t.TempDir(), "thidua")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/thidua/thidua").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	u := dbtest.PostgresURL(t)
	db, err := store.Open(context.Background(), u, "")
	if err != nil {
		t.Fatal(err)
	}
	seedDemo(t, db)
	db.Close()
	p := startProgram(t, bin, []string{"DATABASE_URL=" + u, "THIDUA_SCHEDULER=off", "THIDUA_ARGON2_MEMORY_KIB=1024", "THIDUA_LOG_LEVEL=error"})

	var (
		mu       sync.Mutex
		acked    []string
		refused  = map[int]int{}
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		restarts = make(chan error, 1)
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				title := fmt.Sprintf("Ghi %d-%d", w, i)
				status := p.post("/api/v1/campaigns/"+demo.CampaignSlug+"/projects",
					map[string]any{"unit": "P-DINHCONG", "title": title, "category": "community"})
				mu.Lock()
				if status == 201 {
					acked = append(acked, title)
				} else {
					refused[status]++
				}
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	time.Sleep(time.Second)
	go func() {
		args := strings.Fields(restart)
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			err = fmt.Errorf("%v: %s", err, out)
		}
		restarts <- err
	}()
	if err := <-restarts; err != nil {
		close(stop)
		wg.Wait()
		t.Fatalf("restart PostgreSQL: %v", err)
	}
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()

	check, err := store.Open(context.Background(), u, "")
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for _, title := range acked {
		var n int
		if err := check.SQL().QueryRow(`SELECT COUNT(*) FROM projects WHERE title = $1`, title).Scan(&n); err != nil || n != 1 {
			t.Errorf("acknowledged project %q stored %d times (%v)", title, n, err)
		}
	}
	for status, n := range refused {
		if status != 503 && status != 0 {
			t.Errorf("%d writes answered %d during the restart, want 503", n, status)
		}
	}
	t.Logf("%d writes acknowledged, refused meanwhile: %v", len(acked), refused)
	if len(acked) == 0 {
		t.Error("no write was acknowledged")
	}
}
