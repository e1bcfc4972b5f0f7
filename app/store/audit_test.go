package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestAuditLogPages walks the audit log page by page, with and without
// filters, before and after more writes: entries read once are served
// from memory, and every page must still be the log as it is, newest
// first, a write showing in the next read.
func TestAuditLogPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		create := func(who, code, parent string) {
			t.Helper()
			actx := store.WithActor(ctx, store.Actor{Username: who, RequestID: "r-" + code})
			if _, err := db.CreateUnit(actx, store.NewUnit{Code: code, Name: "Đơn vị <" + code + ">", Level: "commune", Kind: "front", Parent: parent}); err != nil {
				t.Fatal(err)
			}
		}
		create("admin", "HN", "")
		for i := range 5 {
			create([]string{"admin", "org"}[i%2], fmt.Sprintf("P-%d", i), "HN")
		}
		// keys lists the entity keys of the unit entries the filter finds,
		// newest first, reading pages of two.
		keys := func(f store.AuditFilter) string {
			t.Helper()
			f.Limit = 2
			var out []string
			last := int64(0)
			for {
				items, next, err := db.AuditLog(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range items {
					if last != 0 && e.ID >= last {
						t.Fatalf("AuditLog(%+v): id %d after %d, want newest first", f, e.ID, last)
					}
					last = e.ID
					if e.Entity == "unit" {
						if !strings.Contains(string(e.After), `"code":"`+e.EntityKey+`"`) || !strings.Contains(string(e.After), `\u003c`) || e.RequestID != "r-"+e.EntityKey {
							t.Errorf("entry %d of %s = %s, %s", e.ID, e.EntityKey, e.RequestID, e.After)
						}
						out = append(out, e.EntityKey)
					}
				}
				if next == "" {
					return strings.Join(out, " ")
				}
				f.Cursor = next
			}
		}
		for range 2 { // read into memory, then from it
			if got, want := keys(store.AuditFilter{Entity: "unit"}), "P-4 P-3 P-2 P-1 P-0 HN"; got != want {
				t.Errorf("units' entries = %s, want %s", got, want)
			}
			if got, want := keys(store.AuditFilter{Actor: "org"}), "P-3 P-1"; got != want {
				t.Errorf("org's entries = %s, want %s", got, want)
			}
			if got, want := keys(store.AuditFilter{Entity: "unit", EntityKey: "P-2"}), "P-2"; got != want {
				t.Errorf("P-2's entries = %s, want %s", got, want)
			}
		}
		create("org", "P-5", "HN")
		if got, want := keys(store.AuditFilter{}), "P-5 P-4 P-3 P-2 P-1 P-0 HN"; got != want {
			t.Errorf("after a write, the log's units = %s, want %s", got, want)
		}
		if got, want := keys(store.AuditFilter{Actor: "org"}), "P-5 P-3 P-1"; got != want {
			t.Errorf("after a write, org's entries = %s, want %s", got, want)
		}
	})
}
