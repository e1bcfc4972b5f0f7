package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestHonouredProjects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		projects := committee(t, db)
		grant := func(unit, title string, project *int64) {
			t.Helper()
			if _, err := db.GrantHonour(ctx, "cds", store.NewHonour{Unit: unit, Title: title, Period: "2025-Q2",
				Citation: "Vì thành tích", Scope: "decision", Project: project}); err != nil {
				t.Fatal(err)
			}
		}
		a, b := projects["P-A"], projects["P-B"]
		grant("P-A", "Mô hình tiêu biểu", &a)
		grant("P-B", "Cách làm sáng tạo", &b)
		grant("P-A", "Điển hình tiên tiến", &a)
		// The same title again, for another period, shows once; for the same
		// period it is refused.
		if _, err := db.GrantHonour(ctx, "cds", store.NewHonour{Unit: "P-A", Title: "Điển hình tiên tiến", Period: "2025-Q3",
			Citation: "Vì thành tích", Scope: "decision", Project: &a}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GrantHonour(ctx, "cds", store.NewHonour{Unit: "P-A", Title: "Điển hình tiên tiến", Period: "2025-Q3",
			Citation: "Lần nữa", Scope: "decision", Project: &a}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("the same honour twice = %v, want ErrConflict", err)
		}
		grant("HN", "Khen không kèm công trình", nil)

		got, err := db.HonouredProjects(ctx, "cds", store.HonouredFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != a || got[1].ID != b {
			t.Fatalf("HonouredProjects = %+v, want P-A's then P-B's project (newest honour first)", got)
		}
		if want := []string{"Điển hình tiên tiến", "Mô hình tiêu biểu"}; !slices.Equal(got[0].Honours, want) {
			t.Errorf("honours of P-A's project = %q, want %q", got[0].Honours, want)
		}
		if got[0].UnitName != "Phường A" || got[0].Title != "Công trình P-A" {
			t.Errorf("project = %+v, want its columns", got[0].Project)
		}

		for _, tc := range []struct {
			f    store.HonouredFilter
			want int
		}{
			{store.HonouredFilter{Q: "cong trinh p-b"}, 1},
			{store.HonouredFilter{Statuses: []string{store.StatusVerified}}, 0},
			{store.HonouredFilter{Statuses: []string{store.StatusRegistered, store.StatusVerified}}, 2},
			{store.HonouredFilter{Category: "cashless"}, 0},
		} {
			if got, err := db.HonouredProjects(ctx, "cds", tc.f); err != nil || len(got) != tc.want {
				t.Errorf("HonouredProjects(%+v) = %d projects, %v, want %d", tc.f, len(got), err, tc.want)
			}
		}
		if got, err := db.HonouredProjects(ctx, "no-such", store.HonouredFilter{}); err != nil || len(got) != 0 {
			t.Errorf("HonouredProjects of an unknown campaign = %v, %v, want none", got, err)
		}
	})
}
