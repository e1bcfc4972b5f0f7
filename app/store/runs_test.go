package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
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

		// A closing run closes its period as it starts; a second one is
		// refused before it records anything.
		r := &store.Run{Period: "2025-Q3", PeriodStart: d, PeriodEnd: d, RulesetVersion: 1, Closing: true, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", r); err != nil {
			t.Fatal(err)
		}
		if closed, err := db.ClosedPeriods(ctx, "c"); err != nil || len(closed) != 1 {
			t.Errorf("closed periods while the closing run runs = %v, %v; want 2025-Q3", closed, err)
		}
		second := &store.Run{Period: "2025-Q3", PeriodStart: d, PeriodEnd: d, RulesetVersion: 1, Closing: true, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", second); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second close = %v, want ErrConflict", err)
		}
		if err := db.FinishRun(ctx, r, store.Snapshot{Board: board, Results: []store.RunResult{good}}); err != nil {
			t.Fatal(err)
		}
		// A failure reported late (the commit went through, its answer was
		// lost) leaves the succeeded run and its closed period alone.
		if err := db.FailRun(ctx, r, errors.New("connection reset")); err != nil {
			t.Fatal(err)
		}
		if closed, _ := db.ClosedPeriods(ctx, "c"); len(closed) != 1 {
			t.Errorf("closed periods after a late FailRun = %v, want 2025-Q3", closed)
		}
		if runs, _, _ := db.Runs(ctx, "c", store.Page{}); len(runs) != 2 || runs[0].Status != store.RunSucceeded {
			t.Errorf("runs = %+v, want the failed and the succeeded closing one", runs)
		}
	})
}

// closingFixture is campaign "c" over one unit "HN" with an indicator
// "x", and a closing run of 2025-Q3 started.
func closingFixture(t *testing.T, db *store.DB) (*store.Run, store.ReportPeriod) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ImportUnits(ctx, []store.NewUnit{{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"}}, []int{1}); err != nil {
		t.Fatal(err)
	}
	start, end := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)), store.DateOf(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "c", Name: "C", StartsOn: start, EndsOn: end, AllUnits: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateIndicator(ctx, "c", store.Indicator{Key: "x", Title: "X", Unit: "count", Target: 1}); err != nil {
		t.Fatal(err)
	}
	september := store.ReportPeriod{Key: "2025-09", Start: store.DateOf(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)), End: end}
	if _, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 1}, nil); err != nil {
		t.Fatal(err)
	}
	run := &store.Run{Period: "2025-Q3", PeriodStart: start, PeriodEnd: end, RulesetVersion: 1, Closing: true, Trigger: "schedule"}
	if err := db.StartRun(ctx, "c", run); err != nil {
		t.Fatal(err)
	}
	return run, september
}

// document decodes a JSON document: PostgreSQL keeps it as jsonb, which
// orders and spaces it its own way.
func document(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return m
}

// openFixture is closingFixture with its closing run failed: the period
// is open again, with September's report of x = 1.
func openFixture(t *testing.T, db *store.DB) store.ReportPeriod {
	t.Helper()
	run, september := closingFixture(t, db)
	if err := db.FailRun(context.Background(), run, errors.New("reopen for the test")); err != nil {
		t.Fatal(err)
	}
	return september
}

// TestClosingFreezesReportsFromItsStart: once a closing run has started, its
// period's reports are refused; if it fails, the period opens again.
func TestClosingFreezesReportsFromItsStart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		run, september := closingFixture(t, db)
		if _, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 2}, nil); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a report while the period closes = %v, want ErrConflict", err)
		}
		if err := db.FailRun(ctx, run, errors.New("boom")); err != nil {
			t.Fatal(err)
		}
		if closed, err := db.ClosedPeriods(ctx, "c"); err != nil || len(closed) != 0 {
			t.Errorf("closed periods after the closing run failed = %v, %v; want none", closed, err)
		}
		if _, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 2}, nil); err != nil {
			t.Errorf("a report once the failed close reopened the period: %v", err)
		}
	})
}

// TestInterruptedRunsFail: a run left running by a stopped process is
// recorded as failed, and the period it was closing opens again.
func TestInterruptedRunsFail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		run, september := closingFixture(t, db)
		ids, err := db.FailInterruptedRuns(ctx, "c")
		if err != nil || len(ids) != 1 || ids[0] != run.ID {
			t.Fatalf("FailInterruptedRuns = %v, %v; want [%d]", ids, err, run.ID)
		}
		runs, _, _ := db.Runs(ctx, "c", store.Page{})
		if len(runs) != 1 || runs[0].Status != store.RunFailed || !strings.Contains(runs[0].Error, "interrupted") || runs[0].FinishedAt == nil {
			t.Errorf("runs = %+v, want the run failed as interrupted", runs)
		}
		if closed, err := db.ClosedPeriods(ctx, "c"); err != nil || len(closed) != 0 {
			t.Errorf("closed periods = %v, %v; want none", closed, err)
		}
		if _, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 2}, nil); err != nil {
			t.Errorf("a report once the period reopened: %v", err)
		}
		if ids, err := db.FailInterruptedRuns(ctx, "c"); err != nil || len(ids) != 0 {
			t.Errorf("FailInterruptedRuns again = %v, %v; want nothing", ids, err)
		}
	})
}

// TestClosingWaitsForReportsBeingWritten: on PostgreSQL a closing run
// waits for the reports being written to land before it closes the period.
func TestClosingWaitsForReportsBeingWritten(t *testing.T) {
	db := dbtest.Postgres(t) // only: SQLite runs one write transaction at a time
	openFixture(t, db)
	holdingCampaign(t, db, "c", false) // a report being written
	start, end := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)), store.DateOf(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	waits(t, "closing while a report is written", func(ctx context.Context) error {
		return db.StartRun(ctx, "c", &store.Run{Period: "2025-Q3", PeriodStart: start, PeriodEnd: end, RulesetVersion: 1, Closing: true, Trigger: "manual"})
	})
}

// TestNonFiniteFiguresRefused: NaN and infinities are refused by name, not
// stored or panicked on.
func TestNonFiniteFiguresRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		september := openFixture(t, db)
		_, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": math.NaN()}, nil)
		var se *store.Error
		if !errors.As(err, &se) || !errors.Is(err, store.ErrInvalid) || se.Field != "values.x" {
			t.Errorf("a NaN report = %v, want ErrInvalid on values.x", err)
		}
	})
}

// TestSucceededRunsCountsLateFinishers: the caches' poll changes when a run
// that started first finishes last.
func TestSucceededRunsCountsLateFinishers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		long, _ := closingFixture(t, db) // a long closing run, started first
		short := &store.Run{Period: "2025-Q3", PeriodStart: long.PeriodStart, PeriodEnd: long.PeriodEnd, RulesetVersion: 1, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", short); err != nil {
			t.Fatal(err)
		}
		board := func() ([]byte, error) { return []byte("board"), nil }
		counts := []int64{}
		for _, r := range []*store.Run{short, long} {
			if err := db.FinishRun(ctx, r, store.Snapshot{Board: board}); err != nil {
				t.Fatal(err)
			}
			n, err := db.SucceededRuns(ctx)
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, n)
		}
		if counts[0] != 1 || counts[1] != 2 {
			t.Errorf("SucceededRuns after each = %v, want [1 2]", counts)
		}
	})
}

// TestTextPostgreSQLCannotStore: a NUL or invalid UTF-8 reaching a query is
// the caller's invalid input, not an internal error.
func TestTextPostgreSQLCannotStore(t *testing.T) {
	db := dbtest.Postgres(t) // only: SQLite stores any bytes
	for _, q := range []string{"a\x00b", "\xff\xfe"} {
		if _, _, err := db.Units(context.Background(), store.UnitFilter{Q: q, Parent: q}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Units(%q) = %v, want ErrInvalid", q, err)
		}
	}
}

// TestFirstReportsAtOnce: two first submissions of one report at once (a
// double tap) make a report and its revision, not a conflict.
func TestFirstReportsAtOnce(t *testing.T) {
	db := dbtest.Postgres(t) // only: SQLite runs one write transaction at a time
	ctx := context.Background()
	september := openFixture(t, db)
	august := store.ReportPeriod{Key: "2025-08", Start: store.DateOf(time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)), End: september.Start}
	// The first submission: it holds the unit as PutReport does, and
	// writes its report once the second is waiting.
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var cid, uid int64
	if err := tx.QueryRowContext(ctx, "SELECT c.id, u.id FROM campaigns c, units u WHERE c.slug = 'c' AND u.code = 'HN'").Scan(&cid, &uid); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended('thidua.unit.' || $1::bigint, 0))", uid); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := db.PutReport(ctx, "c", "HN", august, map[string]float64{"x": 2}, nil)
		done <- err
	}()
wait:
	for {
		select {
		case err := <-done: // it did not wait: it will collide with the first
			done <- err
			break wait
		default:
		}
		var waiting int
		if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_locks WHERE NOT granted").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond) // polling for the second submission to block, not timing it
	}
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO reports (campaign_id, unit_id, period, period_start, period_end, submitted_at, updated_at)
		VALUES ($1, $2, '2025-08', $3, $4, $5, $5)`, cid, uid, august.Start.Time, august.End.Time, now); err != nil {
		t.Fatalf("the first submission: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("the second submission = %v, want it to revise the first", err)
	}
}

// TestPartialMonthsAtTheEdges: a campaign scored whole that starts or ends
// inside a month counts that month's report, and closing it freezes it.
func TestPartialMonthsAtTheEdges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		september := openFixture(t, db)
		// Scored from 15 August to 15 September: September's report counts.
		start, end := time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC)
		units, err := db.Facts(ctx, store.FactsQuery{Campaign: "c", Start: start, End: end, EndAt: end, AsOf: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 1 || units[0].Facts.KPI["x"] != 1 {
			t.Errorf("facts = %+v, want September's x = 1", units)
		}
		whole := &store.Run{Period: "all", PeriodStart: store.DateOf(start), PeriodEnd: store.DateOf(end), RulesetVersion: 1, Closing: true, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", whole); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 2}, nil); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a report of the last, partial month after the close = %v, want ErrConflict", err)
		}
	})
}

// TestPutReportAnswersWhatItStored: the report PutReport returns, built
// without reading it back, is the one a later read finds: first written,
// then verified, then changed.
func TestPutReportAnswersWhatItStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		september := openFixture(t, db)
		same := func(what string, got *store.Report) {
			t.Helper()
			reports, err := db.Reports(ctx, "c", "HN")
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(reports, func(r store.Report) bool { return r.Period == september.Key })
			if i < 0 {
				t.Fatalf("%s: no report of %s", what, september.Key)
			}
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(reports[i])
			if string(a) != string(b) {
				t.Errorf("%s: answered\n%s\nstored\n%s", what, a, b)
			}
		}
		r, err := db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		same("a new report", r)
		if _, err := db.VerifyReport(ctx, "c", "HN", september.Key, store.ReportVerified, ""); err != nil {
			t.Fatal(err)
		}
		r, err = db.PutReport(ctx, "c", "HN", september, map[string]float64{"x": 3}, nil)
		if err != nil || r.Status != store.ReportSubmitted || r.VerifiedAt == nil || r.Values["x"] != 3 {
			t.Fatalf("a verified report changed = %+v, %v", r, err)
		}
		same("a verified report changed", r)
		// Each write audited once, the change with the report before and
		// after it as answered.
		log, _, err := db.AuditLog(ctx, store.AuditFilter{Entity: "report", EntityKey: "c/HN/" + september.Key})
		if err != nil || len(log) != 4 {
			t.Fatalf("audit of the report = %d entries, %v; want the fixture's, changed, verified, changed", len(log), err)
		}
		answered, _ := json.Marshal(r)
		before, after := document(t, log[0].Before), document(t, log[0].After)
		if e := log[0]; e.Action != "report" || !reflect.DeepEqual(after, document(t, answered)) ||
			before["status"] != store.ReportVerified || !reflect.DeepEqual(before["values"], map[string]any{"x": 2.0}) {
			t.Errorf("audit of the change = %s: %s → %s, want the verified report → %s", e.Action, e.Before, e.After, answered)
		}
	})
}
