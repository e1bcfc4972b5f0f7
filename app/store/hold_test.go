package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
)

// holding begins a transaction that runs stmt (a lock, as another writer
// would take it) and keeps what it took until rolled back, at the latest
// when the test ends.
func holding(t *testing.T, db *store.DB, stmt string, args ...any) *sql.Tx {
	t.Helper()
	tx, err := db.SQL().BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	if _, err := tx.Exec(stmt, args...); err != nil {
		t.Fatal(err)
	}
	return tx
}

// holdingCampaign holds a campaign's lock until the test ends, shared as an
// everyday write does or alone as a change that decides over them does.
func holdingCampaign(t *testing.T, db *store.DB, slug string, alone bool) *sql.Tx {
	t.Helper()
	lock := "pg_advisory_xact_lock_shared"
	if alone {
		lock = "pg_advisory_xact_lock"
	}
	key := strings.Replace(store.CampaignLockKey, "?", "id", 1)
	return holding(t, db, "SELECT "+lock+"("+key+") FROM campaigns WHERE slug = $1", slug)
}

// waits checks that fn, given a short deadline, waits until it passes (for
// a lock held by another transaction) rather than going ahead.
func waits(t *testing.T, what string, fn func(context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := fn(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%s = %v, want it to wait until its deadline", what, err)
	}
}
