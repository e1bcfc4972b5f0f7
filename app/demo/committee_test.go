package demo

import (
	"context"
	"reflect"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestCommittee(t *testing.T) {
	d := Generate(testNow)
	if !reflect.DeepEqual(d.Judges, []string{"judge1", "judge2", "judge3", "judge4", "judge5"}) {
		t.Errorf("judges = %v", d.Judges)
	}
	unitOf := map[string]string{}
	for _, u := range d.Users {
		unitOf[u.Username] = u.Unit
	}
	conflicts := conflictUnits(infosOf(d), unitOf)
	assigned := map[[2]any]bool{}
	for _, a := range d.Assignments {
		p := d.Projects[a.Project]
		if conflicts[a.Judge][p.Unit] || assigned[[2]any{a.Project, a.Judge}] || a.At.After(testNow) || a.At.Before(p.CreatedAt) {
			t.Fatalf("assignment %+v of a project of %s: conflicted, repeated or out of time", a, p.Unit)
		}
		assigned[[2]any{a.Project, a.Judge}] = true
	}
	if !conflicts["judge2"]["P-DINHCONG-PN"] || !conflicts["judge2"]["P-DINHCONG"] || conflicts["judge2"]["HN"] || !conflicts["judge4"]["HN-TN"] {
		t.Errorf("conflicts of judge2 and judge4 = %v, %v", conflicts["judge2"], conflicts["judge4"])
	}
	perProject := map[int]int{}
	for _, s := range d.Scores {
		if !assigned[[2]any{s.Project, s.Judge}] || s.At.After(testNow) || len(s.Criteria) != 3 || s.Comment == "" {
			t.Fatalf("score %+v: unassigned, in the future or incomplete", s)
		}
		for k, v := range s.Criteria {
			if v < 0 || v > RubricMax {
				t.Fatalf("score %+v: %s = %v out of 0..%d", s, k, v, RubricMax)
			}
		}
		perProject[s.Project]++
	}
	done, full := 0, 0
	for i, p := range d.Projects {
		if p.Status == StatusCompleted || p.Status == StatusVerified {
			done++
			if perProject[i] == JudgesPerProject {
				full++
			}
		}
	}
	if done == 0 || full*2 < done {
		t.Errorf("%d of %d completed or verified projects have %d scores, want most", full, done, JudgesPerProject)
	}
	// Deterministic, and a later now only adds.
	if again := Generate(testNow); !reflect.DeepEqual(again.Scores, d.Scores) || !reflect.DeepEqual(again.Assignments, d.Assignments) {
		t.Error("Generate(now) gives different committee data on a second call")
	}
	later := Generate(nows[len(nows)-1])
	laterScores := map[[2]any]Score{}
	for _, s := range later.Scores {
		laterScores[[2]any{s.Project, s.Judge}] = s
	}
	for _, s := range d.Scores {
		if l, ok := laterScores[[2]any{s.Project, s.Judge}]; !ok || !reflect.DeepEqual(l, s) {
			t.Fatalf("score %+v changed or vanished at a later now: %+v", s, l)
		}
	}
}

func infosOf(d *Dataset) []unitInfo {
	out := make([]unitInfo, len(d.Units))
	for i, u := range d.Units {
		out[i] = unitInfo{unit: u}
	}
	return out
}

// TestLoadCommittee loads the demo: the store's own conflict check (in
// SQL) accepts every assignment.
func TestLoadCommittee(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo")
	}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := Generate(testNow)
		if err := Load(ctx, db, d, func(_ context.Context, pw string) (string, error) { return pw, nil }); err != nil {
			t.Fatal(err)
		}
		scores, err := db.JudgeScores(ctx, CampaignSlug)
		if err != nil {
			t.Fatal(err)
		}
		if len(scores) == 0 || len(scores) > len(d.Scores) {
			t.Errorf("JudgeScores = %d, want up to the %d demo scores", len(scores), len(d.Scores))
		}
		honoured, err := db.HonouredProjects(ctx, CampaignSlug, store.HonouredFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := decisions(d); len(want) != len(decisionTitles) || len(honoured) != len(want) {
			t.Errorf("HonouredProjects = %d, want the %d honours by decision", len(honoured), len(want))
		}
	})
}
