package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestScoreInOneTrip: a rescore made in one round trip (PostgreSQL, of a
// score the process wrote) answers and audits what the usual write does;
// and every rescore it cannot decide from what it remembers (the score
// changed elsewhere, a new ruleset version, a locked round, a conflict
// of interest) is made the usual way, which answers
// it. The check is called once when one trip wrote or none was tried, and
// twice when one declined.
func TestScoreInOneTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := store.WithActor(context.Background(), store.Actor{Username: "j-P-A", RequestID: "r-2"})
		projects := committee(t, db)
		p := projects["P-B"]
		if _, err := db.Assign(ctx, p, "j-P-A"); err != nil {
			t.Fatal(err)
		}
		postgres := db.Dialect() == store.Postgres
		stored := func() *store.Score {
			t.Helper()
			scores, err := db.ProjectScores(ctx, p, "", true)
			if err != nil {
				t.Fatal(err)
			}
			for i := range scores {
				if scores[i].Judge == "j-P-A" {
					return &scores[i]
				}
			}
			return nil
		}
		// rescore scores p and checks what it answers and audits against
		// the score as stored before and after; calls is as in
		// TestReportInOneTrip, and wrote whether an entry is to be audited.
		rescore := func(name string, innovation float64, comment string, calls int, wrote bool) (*store.Score, []store.ProjectOwner, error) {
			t.Helper()
			before, entries := stored(), auditRows(t, db)
			var seen []store.ProjectOwner
			got, err := db.SaveCheckedScore(ctx, p, "j-P-A", map[string]float64{"innovation": innovation}, comment, func(o store.ProjectOwner) error {
				seen = append(seen, o)
				return nil
			})
			if !postgres {
				calls = 1
			}
			if len(seen) != calls {
				t.Errorf("%s: the check ran %d times, want %d", name, len(seen), calls)
			}
			after, n := stored(), auditRows(t, db)
			if err != nil {
				if n != entries || !sameJSON(after, before) {
					t.Errorf("%s: refused, yet %d audit entries written, the score went from %+v to %+v", name, n-entries, before, after)
				}
				return nil, seen, err
			}
			if !sameJSON(got, after) {
				t.Errorf("%s: answered %s, stored %s", name, store.JSONOf(got), store.JSONOf(after))
			}
			if !wrote {
				if n != entries {
					t.Errorf("%s: unchanged, yet %d audit entries written", name, n-entries)
				}
				return got, seen, nil
			}
			log, _, err := db.AuditLog(ctx, store.AuditFilter{Entity: "judge_score", EntityKey: strconv.FormatInt(p, 10) + "/j-P-A"})
			if err != nil || len(log) == 0 || n != entries+1 {
				t.Fatalf("%s: audit log %v, %v, %d entries written", name, log, err, n-entries)
			}
			e := log[0]
			if e.Actor != "j-P-A" || e.RequestID != "r-2" || !sameJSON(e.Before, before) || !sameJSON(e.After, after) {
				t.Errorf("%s: audited %s %s\n  before %s\n  after  %s\nwant\n  before %s\n  after  %s", name, e.Action, e.Actor,
					e.Before, e.After, store.JSONOf(before), store.JSONOf(after))
			}
			return got, seen, nil
		}

		for i, s := range []struct {
			name    string
			calls   int
			comment string
			wrote   bool
		}{
			{"first", 1, "Khá", true},
			{"rescore read", 1, "Tốt", true},
			{"rescore in one trip", 1, "Rất tốt <3> & \u2028", true},
			{"again", 1, "Tốt", true},
			{"unchanged", 1, "Tốt", false},
		} {
			innovation := float64(i)
			if !s.wrote {
				innovation = float64(i - 1)
			}
			if _, _, err := rescore(s.name, innovation, s.comment, s.calls, s.wrote); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		// Changed by another process: the one trip sees it differ.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE judge_scores SET comment = 'Sửa nơi khác'"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := rescore("changed elsewhere", 5, "Tốt", 2, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := rescore("after", 6, "Tốt", 1, true); err != nil {
			t.Fatal(err)
		}
		// A new ruleset version: the check sees it.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE campaigns SET ruleset_version = 7 WHERE slug = 'cds'"); err != nil {
			t.Fatal(err)
		}
		if _, seen, err := rescore("a new ruleset", 7, "Tốt", 2, true); err != nil || seen[len(seen)-1].RulesetVersion != 7 {
			t.Fatalf("a new ruleset: %v, the check saw %+v", err, seen)
		}
		if _, err := db.LockJudging(ctx, "cds"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := rescore("locked round", 8, "Tốt", 2, true); !errors.Is(err, store.ErrConflict) {
			t.Errorf("locked round: %v, want ErrConflict", err)
		}
		if err := db.UnlockJudging(ctx, "cds"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"reopened: read", "reopened: one trip"} {
			if _, _, err := rescore(name, 9, name, 1, true); err != nil {
				t.Fatal(err)
			}
		}
		// A conflict of interest arising while the assignment stays: the
		// judge moved to the project's unit.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE users SET unit_id = (SELECT id FROM units WHERE code = 'P-B') WHERE username = 'j-P-A'"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := rescore("conflicted", 10, "Tốt", 2, true); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("conflicted: %v, want ErrForbidden", err)
		}
	})
}
