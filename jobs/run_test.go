package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestManualRunWaitsForTheCampaignLock: a manual run waits while another
// replica holds the campaign's lock (a scheduled run there), and runs once
// it is released.
func TestManualRunWaitsForTheCampaignLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("one process owns an SQLite database: no other replica to wait for")
		}
		ctx := context.Background()
		fixture(t, db, 5)
		runner := NewRunner(db, NewRulesets(db), func() time.Time { return at(time.UTC, "2025-10-20 03:00:00") })
		unlock, err := db.LockCampaign(ctx, "cds")
		if err != nil {
			t.Fatal(err)
		}
		waiting, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if run, err := runner.Run(waiting, Request{Campaign: "cds"}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("run while another replica holds the lock = %+v, %v; want it to wait until its deadline", run, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM runs"); n != 0 {
			t.Fatalf("%d runs recorded by a run that never got the lock", n)
		}
		unlock()
		if run, err := runner.Run(ctx, Request{Campaign: "cds"}); err != nil || run.Status != store.RunSucceeded {
			t.Fatalf("run after the lock was released = %+v, %v", run, err)
		}
	})
}
