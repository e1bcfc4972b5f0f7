package platform

import (
	"context"
	"sync"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestDataVersion: the mark holds while nothing is written, a write of this
// replica changes it at once, a stale mark is asked of the database again,
// and readers in parallel (without the lock) all see the one mark.
func TestDataVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, Options{})
		mark := func() string {
			t.Helper()
			v, err := s.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		first := mark()
		if again := mark(); again != first {
			t.Errorf("DataVersion() = %q, then %q with nothing written", first, again)
		}
		if _, err := db.ImportUnits(ctx, []store.NewUnit{{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"}}, []int{1}); err != nil {
			t.Fatal(err)
		}
		written := mark()
		if written == first {
			t.Errorf("DataVersion() = %q after a write, as before it", written)
		}
		// Asked again, the database has the write's audit entry too.
		s.staleVersion()
		asked := mark()
		if asked == first || asked == written {
			t.Errorf("DataVersion() = %q asked again, as before (%q, %q)", asked, first, written)
		}
		if again := mark(); again != asked {
			t.Errorf("DataVersion() = %q, then %q with nothing written", asked, again)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 200 {
					if v, err := s.DataVersion(ctx); err != nil || v != asked {
						t.Errorf("DataVersion() = %q, %v in parallel, want %q", v, err, asked)
						return
					}
				}
			})
		}
		wg.Wait()
	})
}
