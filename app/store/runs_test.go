package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestFailedRunLeavesNoSnapshot: a snapshot that cannot be written whole
// writes nothing, and the run is recorded as failed.
func TestFailedRunLeavesNoSnapshot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ImportUnits(ctx, []store.NewUnit{{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"}}, []int{1}); err != nil {
			t.Fatal(err)
		}
		d := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
		if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "c", Name: "C", StartsOn: d, EndsOn: d, AllUnits: true}); err != nil {
			t.Fatal(err)
		}
		units, _, err := db.Units(ctx, store.UnitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		run := &store.Run{Period: "2025-Q3", PeriodStart: d, PeriodEnd: d, RulesetVersion: 1, Closing: true, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", run); err != nil {
			t.Fatal(err)
		}
		board := func() ([]byte, error) { return []byte("board"), nil }
		good := store.RunResult{UnitID: units[0].ID, Position: 0, Total: 1, Eligible: true, RankOverall: 1}
		bad := good // the same unit twice: the snapshot cannot be written
		err = db.FinishRun(ctx, run, store.Snapshot{Board: board, Results: []store.RunResult{good, bad},
			Honours: []store.NewHonour{{Unit: "HN", Period: "2025-Q3", Title: "Điển hình", Scope: "overall"}}})
		if err == nil {
			t.Fatal("FinishRun with a bad row succeeded")
		}
		if err := db.FailRun(ctx, run, err); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RunSnapshot(ctx, run.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("snapshot of the failed run: %v, want none", err)
		}
		if h, err := db.UnitHistory(ctx, "c", "HN", 10); err != nil || len(h) != 0 {
			t.Errorf("results of the failed run = %v, %v; want none", h, err)
		}
		closed, _ := db.ClosedPeriods(ctx, "c")
		honours, _, _ := db.Honours(ctx, "c", store.HonourFilter{})
		if len(closed) != 0 || len(honours) != 0 {
			t.Errorf("a failed closing run left closed periods %v and honours %v", closed, honours)
		}
		runs, _, _ := db.Runs(ctx, "c", store.Page{})
		if len(runs) != 1 || runs[0].Status != store.RunFailed || runs[0].Error == "" || runs[0].FinishedAt == nil {
			t.Errorf("run history = %+v, want one failed run with its error", runs)
		}

		// A second closing of one period fails whole.
		for i := 0; i < 2; i++ {
			r := &store.Run{Period: "2025-Q3", PeriodStart: d, PeriodEnd: d, RulesetVersion: 1, Closing: true, Trigger: "manual"}
			if err := db.StartRun(ctx, "c", r); err != nil {
				t.Fatal(err)
			}
			err := db.FinishRun(ctx, r, store.Snapshot{Board: board, Results: []store.RunResult{good}})
			if i == 0 && err != nil {
				t.Fatal(err)
			}
			if i == 1 && !errors.Is(err, store.ErrConflict) {
				t.Errorf("second close = %v, want ErrConflict", err)
			}
		}
	})
}
