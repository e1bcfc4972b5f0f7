package jobs

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestEarlyCloseAndReopen: a period that has not ended is closed only
// early, for a reason; once closed, the scheduled score job finds nothing to
// do rather than failing; the admin's reopening keeps the closing run,
// superseded, accepts reports again, and closing again grants no honour
// twice.
func TestEarlyCloseAndReopen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		honoured := strings.Replace(rulesetYAML("0 */6 * * *"), "criteria:",
			"honours:\n  - key: pioneer\n    title: Đơn vị tiên phong\n    when: \"score >= 0\"\ncriteria:", 1)
		if _, err := db.SaveRuleset(ctx, "cds", honoured, "yaml"); err != nil {
			t.Fatal(err)
		}
		clock := &testClock{t: at(hanoi, "2025-05-10 06:00:00")}
		s := replica(t, db, clock, "a")
		runner := s.runner

		for _, req := range []Request{
			{Campaign: "cds", Close: true},
			{Campaign: "cds", Period: "2025-Q2", Close: true, Early: true}, // no reason
		} {
			if run, err := runner.Run(ctx, req); !errors.Is(err, store.ErrConflict) || run != nil {
				t.Fatalf("closing 2025-Q2 on 10 May with %+v = %+v, %v; want a conflict", req, run, err)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM runs"); n != 0 {
			t.Fatalf("%d runs recorded by refused closes", n)
		}
		first, err := runner.Run(ctx, Request{Campaign: "cds", Close: true, Early: true, Reason: "Sơ kết sớm theo chỉ đạo"})
		if err != nil || first.Period != "2025-Q2" || !first.Closing || first.EarlyReason != "Sơ kết sớm theo chỉ đạo" {
			t.Fatalf("early close = %+v, %v", first, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM honours WHERE revoked_at IS NULL"); n != 3 {
			t.Fatalf("%d honours after the close, want 3", n)
		}

		// The score slot of a closed period: nothing to do, no failure, no run.
		if f := only(t, s.tick(ctx, clock.Now()), JobScore); f.outcome != outcomeClosed || f.err != nil {
			t.Errorf("score slot of the closed period = %+v, want closed, no error", f)
		}
		p := store.ReportPeriod{Key: "2025-Q2", Start: first.PeriodStart, End: first.PeriodEnd}
		if _, err := db.PutReport(ctx, "cds", "P-000", p, map[string]float64{"staff_trained": 0.5}, nil); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("report into the closed period: %v, want a conflict", err)
		}

		if _, err := runner.Reopen(ctx, "cds", "2025-Q3", "không có"); !errors.Is(err, store.ErrConflict) {
			t.Errorf("reopening an open period: %v, want a conflict", err)
		}
		superseded, err := runner.Reopen(ctx, "cds", "2025-Q2", "Số liệu phường 0 bị nhập sai")
		if err != nil || superseded.ID != first.ID || superseded.SupersededAt == nil || superseded.SupersededReason != "Số liệu phường 0 bị nhập sai" {
			t.Fatalf("reopen = %+v, %v; want the closing run, superseded", superseded, err)
		}
		if closed, err := db.ClosedPeriods(ctx, "cds"); err != nil || len(closed) != 0 {
			t.Errorf("closed periods after reopening = %v, %v", closed, err)
		}
		if _, err := runner.Reopen(ctx, "cds", "2025-Q2", "lần nữa"); !errors.Is(err, store.ErrConflict) {
			t.Errorf("reopening twice: %v, want a conflict", err)
		}
		if _, err := db.PutReport(ctx, "cds", "P-000", p, map[string]float64{"staff_trained": 0.5}, nil); err != nil {
			t.Fatalf("report into the reopened period: %v", err)
		}

		second, err := runner.Run(ctx, Request{Campaign: "cds", Close: true, Early: true, Reason: "Chốt lại sau khi sửa"})
		if err != nil || second.ID == first.ID {
			t.Fatalf("closing again = %+v, %v", second, err)
		}
		runs, _, err := db.Runs(ctx, "cds", store.Page{})
		if err != nil || len(runs) != 2 || runs[0].ID != second.ID || runs[0].SupersededAt != nil ||
			runs[1].ID != first.ID || runs[1].SupersededAt == nil || runs[1].SupersededReason == "" {
			t.Errorf("run history = %+v, %v; want the new close, then the superseded one", runs, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM honours WHERE revoked_at IS NULL"); n != 3 {
			t.Errorf("%d honours after closing again, want the same 3", n)
		}
		if closed, _ := db.ClosedPeriods(ctx, "cds"); !slices.Equal(closed, []string{"2025-Q2"}) {
			t.Errorf("closed periods = %v, want [2025-Q2]", closed)
		}
		var audited int
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'reopen'").Scan(&audited); err != nil || audited != 1 {
			t.Errorf("%d reopenings audited (%v), want 1", audited, err)
		}
	})
}
