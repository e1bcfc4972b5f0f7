// Package app is the Thi Đua service: configuration, the HTTP API and pages
// on Fiber, and the commands serve, demo and migrate.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/mail"
	"github.com/thidua/thidua/app/remind"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/webhook"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
)

const usage = `thidua: the Thi Đua emulation-campaign platform

Commands:
  serve     serve the platform (the default)
  demo      serve a fresh demo campaign on an embedded database and open it
  migrate   apply database migrations and exit
  healthcheck  exit 0 when the service at THIDUA_ADDR is ready (for containers)
  openapi   print the API's OpenAPI 3.1 document (as served at /api/v1/openapi.json)

Configuration is read from the environment: see README.md.
`

// Main runs the command named by args[1] and returns the process's exit
// code. It stops when ctx ends (SIGTERM/SIGINT), after in-flight requests
// and jobs finish.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) int {
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		fmt.Fprintln(stdout, err)
		return 2
	}
	log := newLogger(stdout, cfg.LogLevel)
	switch cmd {
	case "serve":
		err = serve(ctx, cfg, log, nil)
	case "demo":
		err = runDemo(ctx, cfg, log, stdout)
	case "migrate":
		var db *store.DB
		if db, err = openDB(ctx, cfg); err == nil {
			db.Close()
			log.Info("migrations applied", "database", db.Dialect())
		}
	case "healthcheck":
		err = healthcheck(ctx, cfg.Addr)
	case "openapi":
		_, err = fmt.Fprintf(stdout, "%s\n", OpenAPIDocument())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stdout, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		log.Error(cmd+" failed", "err", err)
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// openDB opens the configured database and applies pending migrations; on
// the embedded database a file lock keeps two starting processes apart.
func openDB(ctx context.Context, cfg Config) (*store.DB, error) {
	if cfg.DatabaseURL == "" {
		unlock, err := store.LockFile(cfg.DBFile)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DBFile)
	if err != nil {
		return nil, err
	}
	if cfg.DBConns > 0 {
		db.SetMaxConns(cfg.DBConns)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// serve runs the service until ctx ends. ready, if not nil, is called once
// the database is prepared, before listening.
func serve(ctx context.Context, cfg Config, log *slog.Logger, ready func(*Server) error) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.AdminPassword != "" {
		hash, err := newHasher(cfg).Hash(ctx, cfg.AdminPassword)
		if err != nil {
			return err
		}
		if created, err := db.EnsureAdmin(ctx, hash); err != nil {
			return err
		} else if created {
			log.Info("created user admin from THIDUA_ADMIN_PASSWORD")
		}
	}
	bucket, err := files.Open(ctx, cfg.filesAt())
	if err != nil {
		return err
	}
	defer bucket.Close()
	s := NewServer(cfg, db, bucket, log)
	if ready != nil {
		if err := ready(s); err != nil {
			return err
		}
	}
	go sweepFiles(ctx, s, log)
	s.warming.Store(true)
	go warmBoards(ctx, s, log)
	hooks := webhook.New(db, webhook.Options{Guard: cfg.webhookGuard(), Log: log})
	s.svc.OnDelivery = hooks.Wake
	hooksCtx, stopHooks := context.WithCancel(ctx)
	hooksDone := make(chan struct{})
	go func() { hooks.Run(hooksCtx); close(hooksDone) }()
	defer func() { stopHooks(); <-hooksDone }() // attempts in flight end first
	stopMail, err := sendReminders(ctx, cfg, s, log)
	if err != nil {
		return err
	}
	defer stopMail()
	if !cfg.Scheduler {
		log.Info("scheduler off (THIDUA_SCHEDULER=off): no scheduled runs or closes on this replica")
		log.Info("serving", "addr", "http://"+cfg.Addr, "database", db.Dialect())
		return s.Listen(ctx)
	}
	sched := jobs.NewScheduler(db, s.svc.Rulesets(), s.svc.Runner(), log)
	if err := sched.Start(ctx); err != nil {
		return err
	}
	s.svc.OnRuleset = func(ctx context.Context, slug string) {
		if err := sched.Reschedule(ctx, slug); err != nil {
			log.Warn("reschedule after a new ruleset: the next refresh will retry", "campaign", slug, "err", err)
		}
	}
	log.Info("serving", "addr", "http://"+cfg.Addr, "database", db.Dialect())
	err = s.Listen(ctx)
	sched.Stop() // after the HTTP server: in-flight requests and jobs finish
	return err
}

// reminderTick is how often the reminder job looks for digests to send.
const reminderTick = 10 * time.Minute

// sendReminders starts the job that sends the reminder digests, when an
// SMTP server is configured and the scheduler is on; the returned function
// stops it and waits for the digest being sent.
func sendReminders(ctx context.Context, cfg Config, s *Server, log *slog.Logger) (stop func(), err error) {
	switch {
	case cfg.SMTPURL == "":
		log.Info("e-mail off (no THIDUA_SMTP_URL): no reminders are sent")
		return func() {}, nil
	case !cfg.Scheduler:
		log.Info("reminders are sent by the replicas whose scheduler is on (THIDUA_SCHEDULER=off here)")
		return func() {}, nil
	}
	m, err := mail.New(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return nil, err
	}
	sender := &remind.Sender{Builder: s.svc.Reminders(), Mailer: m, Log: log.With("component", "reminders"),
		Base: cfg.PublicURL, Hour: cfg.MailHour, MaxAttempts: 4, Replica: remind.ReplicaID()}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sender.Run(ctx, reminderTick)
	}()
	return func() { cancel(); <-done }, nil
}

// runDemo serves a fresh demo dataset on a new embedded database in a
// temporary directory, prints the accounts and opens a browser.
func runDemo(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "thidua-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// Never DATABASE_URL, which may be a real one: an empty PostgreSQL
	// database for the demo (benchmarks) is named on purpose.
	cfg.DatabaseURL = cfg.DemoDatabaseURL
	cfg.DBFile = filepath.Join(dir, "demo.db")
	if cfg.Files == "" {
		cfg.Files = filepath.Join(dir, "files")
	}
	return serve(ctx, cfg, log, func(s *Server) error {
		ds := demo.Generate(s.db.Now())
		if err := loadDemo(ctx, s, ds); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		// Loading is a one-off: give its garbage back to the system now
		// rather than keep it as the heap's headroom.
		debug.FreeOSMemory()
		url := "http://" + cfg.Addr + "/"
		fmt.Fprintf(stdout, "\nThi Đua demo: %s\n\nAccounts (username / password):\n", url)
		for _, u := range ds.Users {
			fmt.Fprintf(stdout, "  %-16s %-15s %-9s %s %s\n", u.Username, u.Password, u.Role, u.Unit, u.Scope)
		}
		fmt.Fprintf(stdout, "\nCampaigns: %s (the city's), %s (Định Công's own, run by org.dinhcong)\n", ds.Campaign.Slug, ds.Ward.Slug)
		fmt.Fprintln(stdout)
		openBrowser(url)
		return nil
	})
}

// loadDemo loads the demo dataset, subscribes the city's portal to its
// campaign's events (subscribeDemo), stores the rulesets of its campaigns
// (the city's is RULES.md's), closes every quarter that has ended
// (granting its honours), scores the open one, then has its people attach
// photos and revoke an honour (finishDemo).
func loadDemo(ctx context.Context, s *Server, ds *demo.Dataset) error {
	if err := demo.Load(ctx, s.db, ds, s.hasher.Hash); err != nil {
		return err
	}
	if err := subscribeDemo(ctx, s.svc, s.db, ds); err != nil {
		return err
	}
	for _, c := range []struct {
		slug, ruleset string
		starts        time.Time
	}{{ds.Campaign.Slug, demo.Ruleset, ds.Campaign.StartsOn}, {ds.Ward.Slug, ds.Ward.Ruleset, ds.Ward.StartsOn}} {
		if _, err := s.db.SaveRuleset(ctx, c.slug, c.ruleset, "yaml"); err != nil {
			return err
		}
		rs, _, err := s.svc.Rulesets().Get(ctx, c.slug, 0)
		if err != nil {
			return err
		}
		open := rules.PeriodOf(rs.Period, s.db.Now().In(rs.Location))
		for _, p := range rules.Periods(rs.Period, c.starts, open.Start) {
			if _, err := s.svc.Runner().Run(ctx, jobs.Request{Campaign: c.slug, Period: p.Key, Close: true}); err != nil {
				return fmt.Errorf("%s: close %s: %w", c.slug, p.Key, err)
			}
		}
		if _, err := s.svc.Runner().Run(ctx, jobs.Request{Campaign: c.slug}); err != nil {
			return err
		}
	}
	return finishDemo(ctx, s.svc, s.db, ds)
}

// healthcheck asks the local service whether it is ready.
func healthcheck(ctx context.Context, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", resp.Status)
	}
	return nil
}

// openBrowser opens url on a desktop; it does nothing when there is none.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return
		}
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err == nil {
		go cmd.Wait()
	}
}

// sweepFiles removes abandoned uploads and stray objects every hour, on
// every replica (the sweep is idempotent), until ctx ends.
func sweepFiles(ctx context.Context, s *Server, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := s.svc.SweepFiles(ctx); err != nil {
				log.Warn("sweep evidence files", "err", err)
			} else if n > 0 {
				log.Info("swept evidence files", "removed", n)
			}
		}
	}
}

// warmBoards reads every campaign's newest board into memory in the
// background of a start, so that the first reader does not wait for it;
// /readyz answers 503 until it is done (or failed), so that a load
// balancer sends no one to a replica still reading a national snapshot.
func warmBoards(ctx context.Context, s *Server, log *slog.Logger) {
	defer s.warming.Store(false)
	start := time.Now()
	n, err := s.svc.WarmBoards(ctx)
	if err != nil && ctx.Err() == nil {
		log.Warn("warming the leaderboards: the first reader of each will load it", "err", err)
		return
	}
	log.Info("leaderboards warmed", "boards", n, "took", time.Since(start).Round(time.Millisecond))
}
