package store_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestQueuedReports reads the verifiers' queue, in pages, of every unit and
// of the units below one, and checks each report against a unit's reports
// read one by one: values that text would round (0.1+0.2, 1/3, the
// smallest and largest numbers), evidence files, statuses and the counts.
func TestQueuedReports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := store.WithActor(context.Background(), store.Actor{Username: "admin"})
		units := []store.NewUnit{
			{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"},
			{Code: "P-A", Name: "Phường A", Level: "commune", Kind: "front", Parent: "HN"},
			{Code: "P-A-1", Name: "Hội <A> & 1", Level: "commune", Kind: "womens_union", Parent: "P-A"},
			{Code: "P-A-2", Name: "Hội A 2", Level: "commune", Kind: "womens_union", Parent: "P-A"},
			{Code: "P-B", Name: "Phường B", Level: "commune", Kind: "front", Parent: "HN"},
		}
		if _, err := db.ImportUnits(ctx, units, nil); err != nil {
			t.Fatal(err)
		}
		start, end := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)), store.DateOf(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
		camp, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "c", Name: "C", StartsOn: start, EndsOn: end, AllUnits: true})
		if err != nil {
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
		values := []map[string]float64{
			{"x": 0.1 + 0.2, "y": 1.0 / 3, "z_2": 5e-324},
			{"x": math.MaxFloat64, "y": 1e-7},
			{"x": 123456789.125, "y": 0, "z_2": 2},
			{},
			{"y": 1e21, "z_2": 0.81},
		}
		for i, u := range units {
			for _, month := range []int{8, 9} {
				p := store.ReportPeriod{Key: fmt.Sprintf("2025-%02d", month), Start: store.DateOf(time.Date(2025, time.Month(month), 1, 0, 0, 0, 0, time.UTC)),
					End: store.DateOf(time.Date(2025, time.Month(month+1), 1, 0, 0, 0, 0, time.UTC))}
				var files *[]string
				if u.Code == "P-A-1" && month == 9 {
					files = &[]string{"f1"}
				}
				if _, err := db.PutReport(ctx, "c", u.Code, p, values[i], files); err != nil {
					t.Fatal(err)
				}
			}
		}
		// August's reports: HN's and P-A-2's verified, P-A-1's returned.
		for unit, decision := range map[string]string{"HN": store.ReportVerified, "P-A-2": store.ReportVerified, "P-A-1": store.ReportReturned} {
			if _, err := db.VerifyReport(ctx, "c", unit, "2025-08", decision, "lý do"); err != nil {
				t.Fatal(err)
			}
		}
		byUnit := map[string][]store.Report{}
		for _, u := range units {
			if byUnit[u.Code], err = db.Reports(ctx, "c", u.Code); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			below, status string
			want          string // unit/period of the reports, oldest first
			counts        map[string]int
		}{
			{"", "", "HN/08 HN/09 P-A/08 P-A/09 P-A-1/08 P-A-1/09 P-A-2/08 P-A-2/09 P-B/08 P-B/09", map[string]int{"submitted": 7, "returned": 1}},
			{"", "submitted", "HN/09 P-A/08 P-A/09 P-A-1/09 P-A-2/09 P-B/08 P-B/09", map[string]int{"submitted": 7, "returned": 1}},
			{"", "verified", "HN/08 P-A-2/08", map[string]int{"submitted": 7, "returned": 1}},
			{"P-A", "", "P-A-1/08 P-A-1/09 P-A-2/08 P-A-2/09", map[string]int{"submitted": 2, "returned": 1}},
			{"P-A", "returned", "P-A-1/08", map[string]int{"submitted": 2, "returned": 1}},
			{"P-A-1", "", "", map[string]int{"submitted": 0, "returned": 0}},
			{"P-B", "submitted", "", map[string]int{"submitted": 0, "returned": 0}},
			{"HN", "verified", "P-A-2/08", map[string]int{"submitted": 6, "returned": 1}},
		} {
			var got []string
			f := store.ReportFilter{Status: c.status, Below: c.below, Page: store.Page{Limit: 3}}
			last := int64(0)
			for {
				rows, next, counts, err := db.QueuedReports(ctx, camp.ID, "c", f)
				if err != nil {
					t.Fatalf("QueuedReports(%+v): %v", f, err)
				}
				if !reflect.DeepEqual(counts, c.counts) {
					t.Errorf("QueuedReports(%+v) counts = %v, want %v", f, counts, c.counts)
				}
				for _, r := range rows {
					if r.ID <= last {
						t.Errorf("QueuedReports(%+v): report %d after %d", f, r.ID, last)
					}
					last = r.ID
					got = append(got, r.Unit+"/"+strings.TrimPrefix(r.Period, "2025-"))
					var want *store.Report
					for i := range byUnit[r.Unit] {
						if byUnit[r.Unit][i].Period == r.Period {
							want = &byUnit[r.Unit][i]
						}
					}
					if want == nil || !reflect.DeepEqual(r.Report, *want) {
						t.Errorf("QueuedReports(%+v): %s %s =\n%+v\nwant\n%+v", f, r.Unit, r.Period, r.Report, want)
					}
					if r.Campaign != "c" || r.UnitName != units[slicesIndex(units, r.Unit)].Name {
						t.Errorf("report %d: campaign %q, unit name %q", r.ID, r.Campaign, r.UnitName)
					}
				}
				if next == "" {
					break
				}
				f.Cursor = next
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("QueuedReports(below %q, status %q) = %s, want %s", c.below, c.status, strings.Join(got, " "), c.want)
			}
		}
	})
}

func slicesIndex(units []store.NewUnit, code string) int {
	for i, u := range units {
		if u.Code == code {
			return i
		}
	}
	return -1
}
