// Package app is the Thi Đua service: configuration, the HTTP API and pages
// on Fiber, and the commands serve, demo and migrate.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/store"
)

const usage = `thidua: the Thi Đua emulation-campaign platform

Commands:
  serve     serve the platform (the default)
  demo      serve a fresh demo campaign on an embedded database and open it
  migrate   apply database migrations and exit

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
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// serve runs the service until ctx ends. ready, if not nil, is called once
// the database is prepared, before listening.
func serve(ctx context.Context, cfg Config, log *slog.Logger, ready func(*store.DB) error) error {
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
	if ready != nil {
		if err := ready(db); err != nil {
			return err
		}
	}
	s := NewServer(cfg, db, log)
	log.Info("serving", "addr", "http://"+cfg.Addr, "database", db.Dialect())
	return s.Listen(ctx)
}

// runDemo serves a fresh demo dataset on a new embedded database in a
// temporary directory, prints the accounts and opens a browser.
func runDemo(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "thidua-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.DatabaseURL = ""
	cfg.DBFile = filepath.Join(dir, "demo.db")
	return serve(ctx, cfg, log, func(db *store.DB) error {
		ds := demo.Generate(db.Now())
		if err := demo.Load(ctx, db, ds, newHasher(cfg).Hash); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		url := "http://" + cfg.Addr + "/"
		fmt.Fprintf(stdout, "\nThi Đua demo: %s\n\nAccounts (username / password):\n", url)
		for _, u := range ds.Users {
			fmt.Fprintf(stdout, "  %-16s %-12s %s %s\n", u.Username, u.Password, u.Role, u.Unit)
		}
		fmt.Fprintln(stdout)
		openBrowser(url)
		return nil
	})
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
