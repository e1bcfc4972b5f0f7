package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestRoundChangesAreSerialised: on PostgreSQL, a score or an assignment
// waits while the round is being locked or a judge removed, and the other
// way round (unassigning and recusing too); scores do not wait for each
// other.
func TestRoundChangesAreSerialised(t *testing.T) {
	db := dbtest.Postgres(t) // only: SQLite runs one write transaction at a time
	ctx := context.Background()
	projects := committee(t, db)
	if _, err := db.Assign(ctx, projects["P-B"], "j-P-A"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Assign(ctx, projects["P-B"], "j-none"); err != nil {
		t.Fatal(err)
	}
	// hold holds the campaign as a change of the round (alone) or a score
	// (shared) would.
	hold := func(alone bool) (release func()) {
		t.Helper()
		tx := holdingCampaign(t, db, "cds", alone)
		return func() { tx.Rollback() }
	}
	score := func(ctx context.Context, judge string) error {
		_, err := db.SaveScore(ctx, projects["P-B"], judge, map[string]float64{"innovation": 7}, "")
		return err
	}
	release := hold(true) // the round being locked, a judge removed
	waits(t, "a score", func(ctx context.Context) error { return score(ctx, "j-P-A") })
	waits(t, "an assignment", func(ctx context.Context) error {
		_, err := db.Assign(ctx, projects["P-A"], "j-P-B")
		return err
	})
	release()

	release = hold(false) // a score being saved
	if err := score(ctx, "j-P-A"); err != nil {
		t.Errorf("a score beside another: %v", err)
	}
	waits(t, "locking the round", func(ctx context.Context) error {
		_, err := db.LockJudging(ctx, "cds")
		return err
	})
	waits(t, "removing a judge", func(ctx context.Context) error {
		_, err := db.RemoveJudge(ctx, "cds", "j-none", true)
		return err
	})
	waits(t, "auto-assignment", func(ctx context.Context) error {
		_, err := db.AutoAssign(ctx, "cds", store.AutoAssign{PerProject: 1, Partial: true})
		return err
	})
	waits(t, "unassigning", func(ctx context.Context) error { return db.Unassign(ctx, projects["P-B"], "j-none") })
	waits(t, "a recusal", func(ctx context.Context) error {
		_, err := db.Recuse(ctx, projects["P-B"], "j-none", "người nhà")
		return err
	})
	release()
	if _, err := db.LockJudging(ctx, "cds"); err != nil {
		t.Fatal(err)
	}
	if err := score(ctx, "j-none"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a score after the lock: %v, want ErrConflict", err)
	}
}

// TestProjectEditsAreSerialised: on PostgreSQL two edits of one project
// at once both count: the second reads the project after the first.
func TestProjectEditsAreSerialised(t *testing.T) {
	db := dbtest.Postgres(t) // only: SQLite runs one write transaction at a time
	ctx := context.Background()
	id := committee(t, db)["P-A"]
	// The first edit: it holds the project as an edit does, and
	// changes the title once the second edit is waiting.
	tx := holding(t, db, "SELECT id FROM projects WHERE id = $1 FOR NO KEY UPDATE", id)
	done := make(chan error)
	go func() {
		summary := "Tóm tắt mới"
		_, err := db.UpdateProject(ctx, id, store.ProjectChanges{Summary: &summary})
		done <- err
	}()
	for waiting := 0; waiting == 0; {
		if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_locks WHERE NOT granted").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // polling for the second edit to block, not timing it
	}
	if _, err := tx.ExecContext(ctx, "UPDATE projects SET title = 'Tên mới' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	p, err := db.ProjectByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Tên mới" || p.Summary != "Tóm tắt mới" {
		t.Errorf("after two edits at once: title %q, summary %q; want both changes", p.Title, p.Summary)
	}
}

// TestMembershipChangesAreSerialised: on PostgreSQL, creating a unit waits
// while a campaign of every unit is being created, so that it joins it.
func TestMembershipChangesAreSerialised(t *testing.T) {
	db := dbtest.Postgres(t) // only: SQLite runs one write transaction at a time
	committee(t, db)
	holding(t, db, "SELECT pg_advisory_xact_lock(hashtextextended('thidua.membership', 0))") // a campaign of every unit being created
	waits(t, "creating a unit meanwhile", func(ctx context.Context) error {
		_, err := db.CreateUnit(ctx, store.NewUnit{Code: "P-C", Name: "Phường C", Level: "commune", Kind: "front", Parent: "HN"})
		return err
	})
}
