package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestRetentionKeepsNewestRunsOfEachPeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 5)
		runner := NewRunner(db, NewRulesets(db), func() time.Time { return at(time.UTC, "2025-10-20 03:00:00") })
		runner.Keep, runner.Log = 3, slog.New(slog.NewTextHandler(io.Discard, nil))
		var q3 []int64
		run := func(req Request) *store.Run {
			t.Helper()
			r, err := runner.Run(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for range 5 {
			q3 = append(q3, run(Request{Campaign: "cds", Period: "2025-Q3"}).ID)
		}
		q4 := run(Request{Campaign: "cds", Period: "2025-Q4"}).ID // another period: prunes nothing of Q3
		closing := run(Request{Campaign: "cds", Period: "2025-Q3", Close: true}).ID

		// Q3 keeps its newest three (the closing run among them); Q4 its one.
		kept := []int64{q3[3], q3[4], closing, q4}
		pruned := []int64{q3[0], q3[1], q3[2]}
		runs, _, err := db.Runs(ctx, "cds", store.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 7 {
			t.Fatalf("%d runs in the history, want all 7", len(runs))
		}
		for _, r := range runs {
			_, snapErr := db.RunSnapshot(ctx, r.ID)
			var lines int
			if err := db.SQL().QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM run_results WHERE run_id = %d", r.ID)).Scan(&lines); err != nil {
				t.Fatal(err)
			}
			switch {
			case slices.Contains(kept, r.ID):
				if r.PrunedAt != nil || snapErr != nil || lines != 5 {
					t.Errorf("run %d (%s): pruned_at %v, snapshot %v, %d lines; want it kept whole", r.ID, r.Period, r.PrunedAt, snapErr, lines)
				}
			case slices.Contains(pruned, r.ID):
				if r.PrunedAt == nil || !errors.Is(snapErr, store.ErrNotFound) || lines != 0 || r.Status != store.RunSucceeded {
					t.Errorf("run %d (%s): pruned_at %v, snapshot %v, %d lines, %s; want it pruned, still succeeded", r.ID, r.Period, r.PrunedAt, snapErr, lines, r.Status)
				}
			default:
				t.Errorf("unexpected run %d", r.ID)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'prune' AND entity = 'run'"); n != len(pruned) {
			t.Errorf("%d prune audit entries, want %d", n, len(pruned))
		}
		// The leaderboard's runs are whole: the closing run and the one before.
		latest, previous, err := db.LatestRuns(ctx, "cds", "2025-Q3")
		if err != nil || latest.ID != closing || previous == nil || previous.ID != q3[4] {
			t.Errorf("LatestRuns(Q3) = %+v, %+v, %v; want %d and %d", latest, previous, err, closing, q3[4])
		}
		if _, err := db.PruneRuns(ctx, latest.CampaignID, "2025-Q3", 1); err == nil {
			t.Error("PruneRuns keeping 1 run: want an error, the leaderboard needs two")
		}
	})
}
