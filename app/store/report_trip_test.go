package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestReportInOneTrip: a revision made in one round trip (PostgreSQL, of a
// report the process wrote) answers and audits what the usual write does,
// as JSON values; and every revision it cannot decide from what it
// remembers (the report decided or changed elsewhere, an unknown or
// renamed indicator, a changed campaign, a closed period, evidence files)
// is made the usual way, which answers it. The check is called once when
// one trip wrote or none was tried, and twice when one declined.
func TestReportInOneTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := store.WithActor(context.Background(), store.Actor{Username: "admin", RequestID: "r-1"})
		if _, err := db.ImportUnits(ctx, []store.NewUnit{{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"},
			{Code: "P-A", Name: "Phường A", Level: "commune", Kind: "ward", Parent: "HN"}}, nil); err != nil {
			t.Fatal(err)
		}
		start, end := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)), store.DateOf(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
		if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "c", Name: "C", StartsOn: start, EndsOn: end, AllUnits: true}); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"x", "y", "z_2"} {
			if _, err := db.CreateIndicator(ctx, "c", store.Indicator{Key: k, Title: k, Unit: "count", Target: 1}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateFile(ctx, &store.File{ID: "f1", Name: "biên bản.pdf", Type: "application/pdf", Size: 3, SHA256: "abc"}); err != nil {
			t.Fatal(err)
		}
		month := func(m int) store.ReportPeriod {
			return store.ReportPeriod{Key: time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"),
				Start: store.DateOf(time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC)),
				End:   store.DateOf(time.Date(2025, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC))}
		}
		postgres := db.Dialect() == store.Postgres
		stored := func(unit, period string) *store.Report {
			t.Helper()
			reports, err := db.Reports(ctx, "c", unit)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			for i := range reports {
				if reports[i].Period == period {
					return &reports[i]
				}
			}
			return nil
		}
		// put writes a report and checks what it answers and audits against
		// the report as stored before and after; calls is how many times
		// the check is to run on PostgreSQL: 1 where the write is made in one
		// round trip or when no write read the campaign before, 2 where the
		// one trip declined (once on SQLite, always).
		put := func(name, unit string, m int, values map[string]float64, evidence *[]string, calls int) (*store.Report, error) {
			t.Helper()
			p := month(m)
			before, entries := stored(unit, p.Key), auditRows(t, db)
			var seen []*store.Campaign
			got, err := db.PutCheckedReport(ctx, "c", unit, p, values, evidence, func(c *store.Campaign) error {
				seen = append(seen, c)
				if c == nil {
					return errRefused // as PutCheckedReport's check must
				}
				return nil
			})
			if !postgres {
				calls = 1
			}
			if len(seen) != calls {
				t.Errorf("%s: the check ran %d times, want %d", name, len(seen), calls)
			}
			if err != nil {
				if n := auditRows(t, db); n != entries {
					t.Errorf("%s: refused, yet %d audit entries written", name, n-entries)
				}
				if after := stored(unit, p.Key); !reflect.DeepEqual(after, before) {
					t.Errorf("%s: refused, yet the report went from %+v to %+v", name, before, after)
				}
				return nil, err
			}
			after := stored(unit, p.Key)
			if !sameJSON(got, after) {
				t.Errorf("%s: answered %s, stored %s", name, store.JSONOf(got), store.JSONOf(after))
			}
			log, _, err := db.AuditLog(ctx, store.AuditFilter{Entity: "report", EntityKey: "c/" + unit + "/" + p.Key})
			if err != nil || len(log) == 0 {
				t.Fatalf("%s: audit log %v, %v", name, log, err)
			}
			e := log[0]
			if auditRows(t, db) != entries+1 || e.Action != "report" || e.Actor != "admin" || e.RequestID != "r-1" {
				t.Errorf("%s: audited %+v, %d entries", name, e, auditRows(t, db)-entries)
			}
			var wantBefore any
			if before != nil {
				wantBefore = before
			}
			if !sameJSON(e.Before, wantBefore) || !sameJSON(e.After, after) {
				t.Errorf("%s: audited\n  before %s\n  after  %s\nwant\n  before %s\n  after  %s", name, e.Before, e.After,
					store.JSONOf(wantBefore), store.JSONOf(after))
			}
			return got, nil
		}

		// The first write of a report reads it, its campaign and indicators.
		if _, err := put("first", "P-A", 8, map[string]float64{"x": 1}, nil, 1); err != nil {
			t.Fatal(err)
		}
		got, err := put("revision", "P-A", 8, map[string]float64{"y": 0.1 + 0.2, "z_2": 5e-324}, nil, 1)
		if err != nil || got.Values["x"] != 1 || got.Values["y"] != 0.1+0.2 || got.SubmittedAt.IsZero() {
			t.Fatalf("revision = %+v, %v", got, err)
		}
		got.Values["x"] = 7 // the caller's to change: what the store remembers is its own
		if _, err := put("revision after the caller's change", "P-A", 8, map[string]float64{"y": 1e21}, nil, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := put("first of a period", "P-A", 9, map[string]float64{"x": 1e-7}, nil, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := put("first of a unit", "HN", 9, map[string]float64{}, nil, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := put("no values", "HN", 9, map[string]float64{}, nil, 1); err != nil {
			t.Fatal(err)
		}
		// Decided between two revisions: the one trip sees the report differ.
		if _, err := db.VerifyReport(ctx, "c", "P-A", "2025-08", store.ReportVerified, ""); err != nil {
			t.Fatal(err)
		}
		got, err = put("verified, revised", "P-A", 8, map[string]float64{"x": 2}, nil, 2)
		if err != nil || got.Status != store.ReportSubmitted || got.VerifiedAt == nil || got.DecidedBy == nil {
			t.Fatalf("a verified report revised = %+v, %v", got, err)
		}
		if _, err := put("revised again", "P-A", 8, map[string]float64{"x": 2.5}, nil, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyReport(ctx, "c", "P-A", "2025-08", store.ReportReturned, "thiếu số liệu <tháng 8> & \u2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := put("returned, revised", "P-A", 8, map[string]float64{"x": 3}, nil, 2); err != nil {
			t.Fatal(err)
		}
		// A value changed by another process: the one trip sees it differ.
		if _, err := db.SQL().ExecContext(ctx, `UPDATE report_values SET value = 42 WHERE indicator_id =
			(SELECT i.id FROM indicators i JOIN campaigns c ON c.id = i.campaign_id WHERE c.slug = 'c' AND i.key = 'y')`); err != nil {
			t.Fatal(err)
		}
		if _, err := put("a value changed elsewhere", "P-A", 8, map[string]float64{"x": 4}, nil, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := put("unknown indicator", "P-A", 8, map[string]float64{"nope": 1}, nil, 2); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("unknown indicator: %v, want ErrInvalid", err)
		}
		if _, err := put("after a refusal", "P-A", 8, map[string]float64{"x": 5}, nil, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := put("unknown unit", "NOPE", 8, map[string]float64{"x": 1}, nil, 1); !errors.Is(err, errRefused) {
			t.Errorf("unknown unit: %v, want the check's error", err)
		}
		if _, err := put("evidence attached", "P-A", 9, map[string]float64{"x": 4}, &[]string{"f1"}, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := put("evidence kept", "P-A", 9, map[string]float64{"y": 5}, nil, 1); err != nil {
			t.Fatal(err)
		}
		// An indicator renamed: the values remembered name it by its old key.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE indicators SET key = 'x_moi' WHERE key = 'x'"); err != nil {
			t.Fatal(err)
		}
		if _, err := put("an indicator renamed", "P-A", 8, map[string]float64{"y": 6}, nil, 2); err != nil {
			t.Fatal(err)
		}
		// The campaign changed behind the store's back: the check sees the
		// change.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE campaigns SET ends_on = '2025-09-01' WHERE slug = 'c'"); err != nil {
			t.Fatal(err)
		}
		var last *store.Campaign
		if _, err := db.PutCheckedReport(ctx, "c", "P-A", month(8), map[string]float64{"y": 9}, nil, func(c *store.Campaign) error {
			last = c
			return nil
		}); err != nil || last.EndsOn.Format("2006-01-02") != "2025-09-01" {
			t.Errorf("a changed campaign: %v, the check last saw %+v", err, last)
		}
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO closed_periods (campaign_id, period, period_start, period_end, closed_at)
			SELECT id, '2025-08', '2025-08-01', '2025-09-01', '2025-09-02 00:00:00+00:00' FROM campaigns WHERE slug = 'c'`); err != nil {
			t.Fatal(err)
		}
		if _, err := put("closed period", "P-A", 8, map[string]float64{"y": 1}, nil, 2); !errors.Is(err, store.ErrConflict) {
			t.Errorf("closed period: %v, want ErrConflict", err)
		}
	})
}

// sameJSON reports whether a and b encode to equal JSON values (a JSON
// document is taken as it is).
func sameJSON(a, b any) bool {
	decode := func(v any) any {
		raw, ok := v.(store.JSON)
		if !ok {
			raw = store.JSONOf(v)
		}
		var out any
		if len(raw) == 0 {
			raw = store.JSON("null")
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			return err
		}
		return out
	}
	return reflect.DeepEqual(decode(a), decode(b))
}
