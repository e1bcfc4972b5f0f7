// Package dbtest gives tests fresh, migrated databases of both dialects.
//
// PostgreSQL is used when THIDUA_TEST_DATABASE_URL names a server where the
// tests may create databases (e.g. postgres://postgres@127.0.0.1:5432/postgres);
// without it the PostgreSQL half of each test skips with a visible message,
// unless THIDUA_TEST_REQUIRE_POSTGRES=1, which makes it fail (CI sets it).
// Each test gets its own database cloned from a template migrated once per
// test binary, so tests are isolated and fast.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for creating databases

	"github.com/thidua/thidua/app/store"
)

// Each runs fn as a subtest on a fresh SQLite database and on a fresh
// PostgreSQL database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a fresh migrated embedded database in the test's temp dir.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Postgres opens a fresh migrated PostgreSQL database, or skips (fails when
// required) if no server is configured.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	u := PostgresURL(t)
	db, err := store.Open(context.Background(), u, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var (
	template struct {
		once  sync.Once
		admin *sql.DB
		base  *url.URL
		name  string
		err   error
	}
	counter atomic.Int64
)

// PostgresURL creates a fresh migrated PostgreSQL database for the test and
// returns its URL; it is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv("THIDUA_TEST_DATABASE_URL")
	if raw == "" {
		if os.Getenv("THIDUA_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal("THIDUA_TEST_REQUIRE_POSTGRES=1 but THIDUA_TEST_DATABASE_URL is not set")
		}
		t.Skip("PostgreSQL tests skipped: set THIDUA_TEST_DATABASE_URL to run them")
	}
	template.once.Do(func() { template.err = makeTemplate(raw) })
	if template.err != nil {
		t.Fatalf("PostgreSQL test template: %v", template.err)
	}
	name := fmt.Sprintf("%s_%d", template.name, counter.Add(1))
	if _, err := template.admin.Exec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template.name)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		template.admin.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	u := *template.base
	u.Path = "/" + name
	return u.String()
}

func makeTemplate(raw string) error {
	base, err := url.Parse(raw)
	if err != nil {
		return err
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		return err
	}
	admin.SetMaxOpenConns(2)
	name := fmt.Sprintf("thidua_test_%d", os.Getpid())
	admin.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	if _, err := admin.Exec(fmt.Sprintf(`CREATE DATABASE %s`, name)); err != nil {
		return err
	}
	u := *base
	u.Path = "/" + name
	db, err := store.Open(context.Background(), u.String(), "")
	if err != nil {
		return err
	}
	err = db.Migrate(context.Background())
	db.Close()
	if err != nil {
		return err
	}
	template.admin, template.base, template.name = admin, base, name
	return nil
}

// Main runs a package's tests and then drops its PostgreSQL template.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if template.admin != nil {
		template.admin.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, template.name))
		template.admin.Close()
	}
	os.Exit(code)
}

// Outage makes the PostgreSQL database of a URL from PostgresURL refuse
// connections and cuts those it has, as if its server had gone away; the
// function it returns lets the database serve again (the test's end does
// too).
func Outage(t testing.TB, dbURL string) (restore func()) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if _, err := template.admin.Exec(fmt.Sprintf(`ALTER DATABASE %s WITH ALLOW_CONNECTIONS false`, name)); err != nil {
		t.Fatalf("outage: %v", err)
	}
	if _, err := template.admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
		t.Fatalf("outage: %v", err)
	}
	var once sync.Once
	restore = func() {
		once.Do(func() {
			if _, err := template.admin.Exec(fmt.Sprintf(`ALTER DATABASE %s WITH ALLOW_CONNECTIONS true`, name)); err != nil {
				t.Errorf("end of the outage: %v", err)
			}
		})
	}
	t.Cleanup(restore)
	return restore
}
