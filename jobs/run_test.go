package jobs

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestManualRunWaitsForTheCampaignLock: a manual run waits while another
// replica holds the campaign's lock (a scheduled run there), and runs once
// it is released.
func TestManualRunWaitsForTheCampaignLock(t *testing.T) {
	db := dbtest.Postgres(t) // only: one process owns an SQLite database, with no other replica to wait for
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
}

// TestRunRecoversFromAnInterruptedClose: a closing run cut off by a stopped
// process is recorded as failed by the next run of its campaign, which can
// then close the period.
func TestRunRecoversFromAnInterruptedClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 5)
		runner := NewRunner(db, NewRulesets(db), func() time.Time { return at(time.UTC, "2025-10-20 03:00:00") })
		runner.Log = slog.New(slog.DiscardHandler)
		cut := &store.Run{Period: "2025-Q3", PeriodStart: store.DateOf(at(time.UTC, "2025-07-01 00:00:00")),
			PeriodEnd: store.DateOf(at(time.UTC, "2025-10-01 00:00:00")), RulesetVersion: 1, Closing: true, Trigger: TriggerSchedule}
		if err := db.StartRun(ctx, "cds", cut); err != nil { // and then the process stopped
			t.Fatal(err)
		}
		run, err := runner.Run(ctx, Request{Campaign: "cds", Period: "2025-Q3", Close: true})
		if err != nil || run.Status != store.RunSucceeded {
			t.Fatalf("closing after an interrupted close = %+v, %v", run, err)
		}
		runs, _, err := db.Runs(ctx, "cds", store.Page{})
		if err != nil || len(runs) != 2 || runs[1].ID != cut.ID || runs[1].Status != store.RunFailed || runs[1].Error == "" {
			t.Errorf("runs = %+v, %v; want the interrupted one failed", runs, err)
		}
		if closed, err := db.ClosedPeriods(ctx, "cds"); err != nil || len(closed) != 1 {
			t.Errorf("closed periods = %v, %v; want 2025-Q3 once", closed, err)
		}
	})
}

// TestFailedCloseReopensAfterAnOutage: a closing run that fails while the
// database is out of reach reopens its period as soon as the database is
// back, in the same process, without waiting for another run.
func TestFailedCloseReopensAfterAnOutage(t *testing.T) {
	u := dbtest.PostgresURL(t) // only: the embedded database does not go away
	ctx := context.Background()
	db, err := store.Open(ctx, u, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fixture(t, db, 5)
	runner := NewRunner(db, NewRulesets(db), func() time.Time { return at(time.UTC, "2025-10-20 03:00:00") })
	runner.Log = slog.New(slog.DiscardHandler)
	run := &store.Run{Period: "2025-Q3", PeriodStart: store.DateOf(at(time.UTC, "2025-07-01 00:00:00")),
		PeriodEnd: store.DateOf(at(time.UTC, "2025-10-01 00:00:00")), RulesetVersion: 1, Closing: true, Trigger: TriggerManual}
	if err := db.StartRun(ctx, "cds", run); err != nil { // the period is closed as the run starts
		t.Fatal(err)
	}
	restore := dbtest.Outage(t, u)
	if err := runner.fail(ctx, run, errors.New("the database went away")); !store.Unavailable(err) {
		t.Fatalf("recording the failure during the outage = %v, want the database unavailable", err)
	}
	time.Sleep(300 * time.Millisecond)
	restore()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		closed, err := db.ClosedPeriods(ctx, "cds")
		runs, _, rerr := db.Runs(ctx, "cds", store.Page{})
		if err == nil && rerr == nil && len(closed) == 0 && len(runs) == 1 && runs[0].Status == store.RunFailed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the outage: closed %v (%v), runs %+v (%v); want the period open and the run failed", closed, err, runs, rerr)
		}
	}
}
