package jobs

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// TestWeighedScoresAreScoringsToTheBit: the per-judge scores the store
// streams weighed (each distinct set of marks weighed once) are, to the bit,
// what scoring weighs from each score's marks, for awkward marks (missing criteria,
// values out of 0..max, unknown keys, a duplicate key, nulls, tiny and huge
// values, spacing), and leave out the scores of recused and conflicted
// judges as EachJudgeScore does.
func TestWeighedScoresAreScoringsToTheBit(t *testing.T) {
	marks := []string{
		`{"a": 7, "b": 2.2, "c": 0.17}`,
		`{"a": 7}`,
		`{"a": 15, "b": -2, "c": 0.31}`,
		`{"a": 3.3, "zz": 9, "b": 1e-7}`,
		`{"a": 1, "c": 0.1, "a": 9.9}`,
		`{}`,
		`{"a": null, "b": 3, "c": 1e300}`,
		`{"a": 0.1, "b": 0.2, "c": 0.3}`,
		`{"a": -0, "b": 3.0000000000000004, "c": 0.29999999999999993}`,
		`{ "a" : 6.5 ,	"c":0.05 }`,
		`{"a": 10, "b": 3, "c": 0.3}`,
		`{"b": 1.1, "c": 0.2, "a": 4.4}`,
	}
	judging := rules.Judging{MinJudges: 1, Aggregate: rules.AggregateMean, Criteria: []rules.JudgingCriterion{
		{Key: "a", Title: "a", Max: 10, Weight: 40}, {Key: "b", Title: "b", Max: 3, Weight: 0.7}, {Key: "c", Title: "c", Max: 0.3, Weight: 13.1}}}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 5) // HN > P-000 … P-003
		var projects []store.SeedProject
		for i := range 4 {
			projects = append(projects, store.SeedProject{Unit: fmt.Sprintf("P-%03d", i), Title: fmt.Sprint("Công trình ", i),
				Category: "community", Status: "registered", CreatedAt: at(time.UTC, "2025-07-01 08:00:00"), AdoptedFrom: -1})
		}
		ids, err := db.SeedProjects(ctx, "cds", projects)
		if err != nil {
			t.Fatal(err)
		}
		judges := []store.NewUser{{Username: "j0"}, {Username: "j1"}, {Username: "j2"}, {Username: "j3"}}
		c := store.SeedCommittee{AddedAt: at(time.UTC, "2025-07-01 00:00:00")}
		for i := range judges {
			judges[i].PasswordHash, judges[i].Role = "$argon2id$v=19$m=1024,t=1,p=1$AA$AA", "judge"
			c.Judges = append(c.Judges, judges[i].Username)
		}
		if err := db.SeedUsers(ctx, judges); err != nil {
			t.Fatal(err)
		}
		when := at(time.UTC, "2025-09-01 00:00:00")
		for _, p := range ids {
			for _, j := range c.Judges {
				c.Assignments = append(c.Assignments, store.SeedAssignment{Project: p, Judge: j, At: when})
				c.Scores = append(c.Scores, store.SeedScore{Project: p, Judge: j, At: when, Criteria: map[string]float64{"a": 1}})
			}
		}
		if err := db.SeedJudging(ctx, "cds", c); err != nil {
			t.Fatal(err)
		}
		exec := func(query string) {
			t.Helper()
			if _, err := db.SQL().ExecContext(ctx, query); err != nil {
				t.Fatal(err)
			}
		}
		// The marks as stored text, as a client never sends them: one set a score.
		text := "CASE id % " + fmt.Sprint(len(marks)) + caseOf(marks) + " END"
		if db.Dialect() == store.Postgres {
			text = "(" + text + ")::json"
		}
		exec("UPDATE judge_scores SET criteria = " + text)
		// j3 joins P-000 after scoring: their score of its project no longer counts.
		exec("UPDATE users SET unit_id = (SELECT id FROM units WHERE code = 'P-000') WHERE username = 'j3'")
		// j1 recuses themself from the second project after scoring it.
		exec(fmt.Sprintf("INSERT INTO recusals (project_id, user_id, reason, at) SELECT %d, id, 'họ hàng', created_at FROM users WHERE username = 'j1'", ids[1]))

		want := map[[2]int64]float64{}
		committee := scoring.NewCommittee(judging)
		err = db.EachJudgeScore(ctx, "cds", func(s store.JudgeScore) error {
			want[[2]int64{s.Project, s.Judge}] = committee.Weigh(s.Criteria)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 4*4-2 {
			t.Fatalf("%d scores count, want 14 (j1's recused one and j3's conflicted one left out)", len(want))
		}
		got := map[[2]int64]float64{}
		err = db.EachWeighedScore(ctx, "cds", committee.Weigh,
			func(s store.WeighedScore) error {
				got[[2]int64{s.Project, s.Judge}] = s.Score
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%d weighed scores, want %d", len(got), len(want))
		}
		full := false
		for k, w := range want {
			if g, ok := got[k]; !ok || math.Float64bits(g) != math.Float64bits(w) {
				t.Errorf("project %d, judge %d: weighed %v (%x), scoring %v (%x)", k[0], k[1], g, math.Float64bits(g), w, math.Float64bits(w))
			}
			full = full || w == 1
		}
		if !full {
			t.Error("full marks are not weighed 1")
		}
	})
}

// caseOf is the WHEN branches of a CASE over id % len(marks).
func caseOf(marks []string) string {
	var s string
	for i, m := range marks {
		s += fmt.Sprintf(" WHEN %d THEN '%s'", i, m)
	}
	return s
}
