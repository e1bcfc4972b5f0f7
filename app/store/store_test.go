package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestUnitsHierarchyAndSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		units := []store.NewUnit{
			{Code: "HN", Name: "Ủy ban MTTQ Việt Nam thành phố Hà Nội", Level: "city", Kind: "front"},
			{Code: "P-DINHCONG", Name: "Phường Định Công", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
			{Code: "P-DINHCONG-PN", Name: "Hội LHPN phường Định Công", Level: "commune", Kind: "womens_union", Parent: "P-DINHCONG", Clusters: []string{"khoi-pn"}},
			{Code: "P-HOANKIEM", Name: "Phường Hoàn Kiếm", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
		}
		if _, err := db.ImportUnits(ctx, units, []int{2, 3, 4, 5}); err != nil {
			t.Fatal(err)
		}
		got, _, err := db.Units(ctx, store.UnitFilter{Q: "dinh cong"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Code != "P-DINHCONG" || got[1].Code != "P-DINHCONG-PN" {
			t.Fatalf("Units(q=dinh cong) = %+v, want P-DINHCONG and P-DINHCONG-PN", got)
		}
		if got[0].Name != "Phường Định Công" || got[0].Parent != "HN" || len(got[0].Clusters) != 1 || got[0].Clusters[0] != "cum-1" {
			t.Errorf("unit = %+v", got[0])
		}
		d, err := db.UnitByCode(ctx, "P-DINHCONG-PN")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Ancestors) != 2 || d.Ancestors[0].Code != "HN" || d.Ancestors[1].Code != "P-DINHCONG" {
			t.Errorf("Ancestors = %+v, want HN, P-DINHCONG", d.Ancestors)
		}
		sub, err := db.Subtree(ctx, "P-DINHCONG")
		if err != nil || len(sub) != 2 {
			t.Errorf("Subtree = %+v, %v; want 2 units", sub, err)
		}
		// Pagination walks every unit once, in code order.
		var seen []string
		page := store.Page{Limit: 3}
		for {
			items, next, err := db.Units(ctx, store.UnitFilter{Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range items {
				seen = append(seen, u.Code)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		want := []string{"HN", "P-DINHCONG", "P-DINHCONG-PN", "P-HOANKIEM"}
		if len(seen) != len(want) {
			t.Fatalf("paginated = %v, want %v", seen, want)
		}
		for i := range want {
			if seen[i] != want[i] {
				t.Fatalf("paginated = %v, want %v", seen, want)
			}
		}
		// An import with a bad line writes nothing.
		_, err = db.ImportUnits(ctx, []store.NewUnit{
			{Code: "X-NEW", Name: "Xã Mới", Level: "commune", Kind: "front", Parent: "HN"},
			{Code: "HN", Name: "dup", Level: "city", Kind: "front"},
			{Code: "X-ORPHAN", Name: "Xã Mồ Côi", Level: "commune", Kind: "front", Parent: "NOPE"},
		}, []int{2, 3, 4})
		var ie store.ImportErrors
		if !errors.As(err, &ie) || len(ie) != 2 || ie[0].Line != 3 || ie[1].Line != 4 || ie[1].Field != "parent" {
			t.Fatalf("ImportUnits(bad) = %v (%+v), want errors on lines 3 and 4", err, ie)
		}
		if _, err := db.UnitByCode(ctx, "X-NEW"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after a refused import, X-NEW: %v, want not found", err)
		}
	})
}

// TestConcurrentWrites: many writers at once all succeed (on SQLite,
// transactions take the write lock when they begin, and wait for it).
func TestConcurrentWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.CreateUnit(ctx, store.NewUnit{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"}); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 24)
		for i := range 24 {
			go func() {
				_, err := db.CreateUnit(ctx, store.NewUnit{Code: fmt.Sprintf("X-%02d", i), Name: "Xã", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}})
				errs <- err
			}()
		}
		for range 24 {
			if err := <-errs; err != nil {
				t.Errorf("concurrent CreateUnit: %v", err)
			}
		}
	})
}
