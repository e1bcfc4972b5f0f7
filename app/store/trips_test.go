package store_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestTripsShareATransaction: writes in one round trip that arrive while
// every transaction of them is out share the next one; each answers
// whether it wrote. When PostgreSQL refuses that transaction, nothing of
// it stays written and each write is sent again alone: those that can
// write do, and those that cannot answer their own error. When sending
// one panics, the others' writers are answered all the same, and the
// writes after them go on.
func TestTripsShareATransaction(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	if _, err := db.SQL().ExecContext(ctx, "CREATE TABLE trip_marks (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	mark := func(id int64, sql string, n int) store.Trip {
		return store.Trip{Kind: "unit", ID: id, Campaign: 1, SQL: sql, Args: map[string]any{"n": n}}
	}
	const insert = "INSERT INTO trip_marks VALUES (@n) RETURNING id"
	marks := func() []int {
		t.Helper()
		rs, err := db.SQL().QueryContext(ctx, "SELECT id FROM trip_marks ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var ids []int
		for rs.Next() {
			var id int
			if err := rs.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		return ids
	}

	sent, carried := db.TripStats()
	done, errs := db.TripsTogether(ctx, []store.Trip{
		mark(3, insert, 1), mark(1, insert, 2),
		mark(2, "INSERT INTO trip_marks SELECT @n WHERE false RETURNING id", 3), // declines
		mark(4, insert, 4),
	})
	if want := []bool{true, true, false, true}; !reflect.DeepEqual(done, want) || slices.ContainsFunc(errs, func(e error) bool { return e != nil }) {
		t.Errorf("together: done %v, errors %v; want %v and none", done, errs, want)
	}
	if got := marks(); !reflect.DeepEqual(got, []int{1, 2, 4}) {
		t.Errorf("together: stored %v, want [1 2 4]", got)
	}
	if s, c := db.TripStats(); s-sent != 1 || c-carried != 4 {
		t.Errorf("together: %d transactions carried %d writes, want 1 and 4", s-sent, c-carried)
	}

	// A duplicate key and a division by zero: PostgreSQL refuses the shared
	// transaction; the others write alone.
	sent, carried = db.TripStats()
	done, errs = db.TripsTogether(ctx, []store.Trip{
		mark(1, insert, 5), mark(2, insert, 1), mark(3, "INSERT INTO trip_marks VALUES (1 / @n) RETURNING id", 0), mark(4, insert, 6),
	})
	var pe *pgconn.PgError
	if want := []bool{true, false, false, true}; !reflect.DeepEqual(done, want) || errs[0] != nil || errs[3] != nil ||
		!errors.Is(errs[1], store.ErrConflict) || !errors.As(errs[2], &pe) || pe.Code != "22012" {
		t.Errorf("refused: done %v, errors %v; want %v, a conflict for the second, a division by zero for the third", done, errs, want)
	}
	if got := marks(); !reflect.DeepEqual(got, []int{1, 2, 4, 5, 6}) {
		t.Errorf("refused: stored %v, want [1 2 4 5 6]", got)
	}
	if s, c := db.TripStats(); s-sent != 5 || c-carried != 8 {
		t.Errorf("refused: %d transactions carried %d writes, want 5 (the shared one, then each alone) and 8", s-sent, c-carried)
	}

	done, errs = db.TripsTogether(ctx, []store.Trip{mark(1, insert, 7), {Kind: "unit", ID: 2, Campaign: 1, SQL: insert, Args: map[string]any{"n": panicky{}}}})
	if done[0] || done[1] || errs[0] == nil || errs[1] == nil {
		t.Errorf("a panic: done %v, errors %v; want neither done, both failed", done, errs)
	}
	done, errs = db.TripsTogether(ctx, []store.Trip{mark(1, insert, 8), mark(2, insert, 9)})
	if !done[0] || !done[1] || errs[0] != nil || errs[1] != nil {
		t.Errorf("after a panic: done %v, errors %v; want both written", done, errs)
	}
	if got := marks(); !reflect.DeepEqual(got, []int{1, 2, 4, 5, 6, 8, 9}) {
		t.Errorf("after a panic: stored %v, want [1 2 4 5 6 8 9]", got)
	}
}

// panicky is a value whose encoding panics.
type panicky struct{}

func (panicky) Value() (driver.Value, error) { panic("a value that cannot be sent") }

// TestReportsRevisedTogether: officers revising their units' reports at the
// same moment (on PostgreSQL in shared transactions, see
// TestTripsShareATransaction) each get their own report back, and each
// revision is stored and audited once, its entry's before the last one's
// after.
func TestReportsRevisedTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := store.WithActor(context.Background(), store.Actor{Username: "admin", RequestID: "r-1"})
		const units, revisions = 12, 6
		nu := []store.NewUnit{{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"}}
		for i := range units {
			nu = append(nu, store.NewUnit{Code: fmt.Sprintf("P-%02d", i), Name: fmt.Sprintf("Phường %d", i), Level: "commune", Kind: "ward", Parent: "HN"})
		}
		if _, err := db.ImportUnits(ctx, nu, nil); err != nil {
			t.Fatal(err)
		}
		start, end := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)), store.DateOf(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
		if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "c", Name: "C", StartsOn: start, EndsOn: end, AllUnits: true}); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"x", "y"} {
			if _, err := db.CreateIndicator(ctx, "c", store.Indicator{Key: k, Title: k, Unit: "count", Target: 1}); err != nil {
				t.Fatal(err)
			}
		}
		p := store.ReportPeriod{Key: "2025-08", Start: store.DateOf(time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)),
			End: store.DateOf(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))}
		put := func(unit string, v float64) error {
			r, err := db.PutCheckedReport(ctx, "c", unit, p, map[string]float64{"x": v}, nil, func(*store.Campaign) error { return nil })
			if err == nil && (r.Unit != unit || r.Values["x"] != v) {
				err = fmt.Errorf("answered %s for %s, x = %v", store.JSONOf(r), unit, v)
			}
			return err
		}
		var wg sync.WaitGroup
		errs := make(chan error, units*(revisions+1))
		for i := range units {
			wg.Go(func() {
				for r := range revisions + 1 {
					if err := put(fmt.Sprintf("P-%02d", i), float64(10*i+r)); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for i := range units {
			unit := fmt.Sprintf("P-%02d", i)
			reports, err := db.Reports(ctx, "c", unit)
			if err != nil || len(reports) != 1 || reports[0].Values["x"] != float64(10*i+revisions) {
				t.Errorf("%s: stored %+v, %v; want x = %d", unit, reports, err, 10*i+revisions)
				continue
			}
			log, _, err := db.AuditLog(ctx, store.AuditFilter{Entity: "report", EntityKey: "c/" + unit + "/2025-08"})
			if err != nil || len(log) != revisions+1 {
				t.Errorf("%s: %d audit entries, %v; want %d", unit, len(log), err, revisions+1)
				continue
			}
			if !sameJSON(log[0].After, reports[0]) {
				t.Errorf("%s: last entry's after %s, stored %s", unit, log[0].After, store.JSONOf(reports[0]))
			}
			for j := 0; j+1 < len(log); j++ { // newest first
				if !sameJSON(log[j].Before, log[j+1].After) {
					t.Errorf("%s: entry %d's before %s is not the entry before's after %s", unit, j, log[j].Before, log[j+1].After)
				}
			}
		}
	})
}
