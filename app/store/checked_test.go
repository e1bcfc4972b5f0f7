package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

var errRefused = errors.New("refused by the check")

// auditRows counts the audit log's entries: every write leaves one.
func auditRows(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// heldElsewhere reports, on PostgreSQL, whether query, run on another
// connection, returns no row: it tries an advisory lock that another
// transaction holds (false on SQLite).
func heldElsewhere(t *testing.T, db *store.DB, query string) bool {
	t.Helper()
	if db.Dialect() != store.Postgres {
		return false
	}
	var id int64
	return db.SQL().QueryRowContext(context.Background(), query).Scan(&id) != nil
}

// TestPutReportChecksInItsTransaction: the check of a report's write sees
// the campaign as the write's transaction reads it, once it holds the unit
// (not as it was when a cache read it), a refusal writes nothing, and a
// unit that does not take part is shown to the check as nil.
func TestPutReportChecksInItsTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
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
		cached, err := db.CampaignBySlug(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		// Changed after the cache read it, before the write.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE campaigns SET name = 'C mới' WHERE slug = 'c'"); err != nil {
			t.Fatal(err)
		}
		entries := auditRows(t, db)
		var seen *store.Campaign
		_, err = db.PutCheckedReport(ctx, "c", "HN", september, map[string]float64{"x": 1}, nil, func(c *store.Campaign) error {
			seen = c
			if db.Dialect() == store.Postgres && !heldElsewhere(t, db, "SELECT 1 WHERE pg_try_advisory_xact_lock(hashtextextended('thidua.unit.' || (SELECT id FROM units WHERE code = 'HN'), 0))") {
				t.Error("the check ran while the unit was not held")
			}
			return errRefused
		})
		if !errors.Is(err, errRefused) {
			t.Fatalf("PutCheckedReport(refused) = %v, want the check's error", err)
		}
		if seen == nil || seen.ID != cached.ID || seen.Name != "C mới" || seen.Slug != "c" || !seen.EndsOn.Equal(end.Time) {
			t.Errorf("the check saw %+v, want the campaign as changed", seen)
		}
		if reports, err := db.Reports(ctx, "c", "HN"); err != nil || len(reports) != 0 {
			t.Errorf("reports after a refusal = %+v, %v; want none", reports, err)
		}
		if n := auditRows(t, db); n != entries {
			t.Errorf("a refused report wrote %d audit entries", n-entries)
		}

		got, err := db.PutCheckedReport(ctx, "c", "HN", september, map[string]float64{"x": 2}, nil, func(*store.Campaign) error { return nil })
		if err != nil || got.Values["x"] != 2 {
			t.Fatalf("PutCheckedReport(allowed) = %+v, %v", got, err)
		}
		if reports, _ := db.Reports(ctx, "c", "HN"); len(reports) != 1 || auditRows(t, db) != entries+1 {
			t.Errorf("an allowed report: %d reports, %d audit entries; want one of each", len(reports), auditRows(t, db)-entries)
		}

		_, err = db.PutCheckedReport(ctx, "c", "NOPE", september, map[string]float64{"x": 1}, nil, func(c *store.Campaign) error {
			if c != nil {
				t.Errorf("unknown unit: the check saw %+v, want nil", c)
			}
			return errRefused
		})
		if !errors.Is(err, errRefused) {
			t.Errorf("PutCheckedReport(unknown unit) = %v, want the check's error", err)
		}
	})
}

// TestSaveScoreChecksInItsTransaction: the check of a score sees whose the
// project is as the write's transaction reads it (the campaign's current
// ruleset version), once it holds the project, and a refusal writes
// nothing.
func TestSaveScoreChecksInItsTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		projects := committee(t, db)
		p := projects["P-B"]
		if _, err := db.Assign(ctx, p, "j-P-A"); err != nil {
			t.Fatal(err)
		}
		cached, err := db.ProjectOwnerOf(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		// A new ruleset version after the cache read the owner.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE campaigns SET ruleset_version = 7 WHERE slug = 'cds'"); err != nil {
			t.Fatal(err)
		}
		entries := auditRows(t, db)
		var seen store.ProjectOwner
		_, err = db.SaveCheckedScore(ctx, p, "j-P-A", map[string]float64{"innovation": 7}, "", func(o store.ProjectOwner) error {
			seen = o
			if db.Dialect() == store.Postgres && !heldElsewhere(t, db, "SELECT 1 WHERE pg_try_advisory_xact_lock(hashtextextended('thidua.scores.' || "+strconv.FormatInt(p, 10)+", 0))") {
				t.Error("the check ran while the project's scores were not held")
			}
			return errRefused
		})
		if !errors.Is(err, errRefused) {
			t.Fatalf("SaveCheckedScore(refused) = %v, want the check's error", err)
		}
		if want := (store.ProjectOwner{Campaign: "cds", Unit: "P-B", RulesetVersion: 7}); seen != want || cached.RulesetVersion == 7 {
			t.Errorf("the check saw %+v, want %+v (the cache read %+v)", seen, want, cached)
		}
		if scores, err := db.ProjectScores(ctx, p, "", true); err != nil || len(scores) != 0 || auditRows(t, db) != entries {
			t.Errorf("after a refusal: scores %+v, %v, %d audit entries; want none", scores, err, auditRows(t, db)-entries)
		}
		if _, err := db.SaveCheckedScore(ctx, p, "j-P-A", map[string]float64{"innovation": 7}, "", func(store.ProjectOwner) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if scores, _ := db.ProjectScores(ctx, p, "", true); len(scores) != 1 || auditRows(t, db) != entries+1 {
			t.Errorf("an allowed score: %d scores, %d audit entries; want one of each", len(scores), auditRows(t, db)-entries)
		}
	})
}
