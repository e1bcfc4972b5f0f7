package store_test

import (
	"runtime"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestMaxConns: a pool opens four connections a core, from 8 to 32 (each
// SQLite connection holds a page cache of its own); PostgreSQL's as told
// otherwise (THIDUA_DB_CONNS), SQLite's is left alone.
func TestMaxConns(t *testing.T) {
	if n, want := store.DefaultMaxConns(), min(max(4*runtime.NumCPU(), 8), 32); n != want {
		t.Errorf("default = %d, want %d", n, want)
	}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		before := db.MaxOpenConns()
		db.SetMaxConns(3)
		switch got := db.MaxOpenConns(); {
		case db.Dialect() == store.Postgres && (before != store.DefaultMaxConns() || got != 3):
			t.Errorf("PostgreSQL pool: %d, then %d after SetMaxConns(3); want %d, then 3", before, got, store.DefaultMaxConns())
		case db.Dialect() != store.Postgres && (before != store.DefaultMaxConns() || got != before):
			t.Errorf("SQLite pool: %d, then %d after SetMaxConns(3); want %d, unchanged", before, got, store.DefaultMaxConns())
		}
		// Transactions queue for as many places as the pool has connections.
		if want := map[bool]int{true: 3, false: 0}[db.Dialect() == store.Postgres]; db.Turns() != want {
			t.Errorf("%s: %d turns, want %d", db.Dialect(), db.Turns(), want)
		}
	})
}
