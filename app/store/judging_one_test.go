package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestMyAssignmentAndLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		projects := committee(t, db)
		p := projects["P-B"]
		if _, err := db.MyAssignment(ctx, "j-HN", p); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("MyAssignment before assigning = %v, want ErrNotFound", err)
		}
		if _, err := db.Assign(ctx, p, "j-HN"); err != nil {
			t.Fatal(err)
		}
		a, err := db.MyAssignment(ctx, "j-HN", p)
		if err != nil || a.Project.ID != p || a.Judge != "j-HN" || a.Campaign != "cds" || a.Score != nil {
			t.Fatalf("MyAssignment = %+v, %v, want j-HN's unscored assignment to project %d", a, err, p)
		}
		if _, err := db.SaveScore(ctx, p, "j-HN", map[string]float64{"x": 7}, "Tốt"); err != nil {
			t.Fatal(err)
		}
		if a, err = db.MyAssignment(ctx, "j-HN", p); err != nil || a.Score == nil || a.Score.Comment != "Tốt" {
			t.Errorf("MyAssignment after scoring = %+v, %v, want the score", a, err)
		}
		if _, err := db.MyAssignment(ctx, "j-P-A", p); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("MyAssignment of another judge = %v, want ErrNotFound", err)
		}

		if _, locked, err := db.JudgingLocked(ctx, "cds"); err != nil || locked {
			t.Errorf("JudgingLocked of an open round = %v, %v, want false", locked, err)
		}
		if _, err := db.LockJudging(ctx, "cds"); err != nil {
			t.Fatal(err)
		}
		if l, locked, err := db.JudgingLocked(ctx, "cds"); err != nil || !locked || l.LockedAt.IsZero() {
			t.Errorf("JudgingLocked after locking = %+v, %v, %v, want the lock", l, locked, err)
		}
	})
}
