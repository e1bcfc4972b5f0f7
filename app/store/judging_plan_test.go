package store

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"testing"
)

// TestPlanAssignments checks the planner's promises on random committees:
// never a conflict or a duplicate, every project as many judges as it can
// get, existing assignments kept, and loads within one without conflicts.
func TestPlanAssignments(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		nj, np, k := 1+r.IntN(8), r.IntN(40), 1+r.IntN(4)
		judges := make([]int64, nj)
		for i := range judges {
			judges[i] = int64(100 + i)
		}
		projects := make([]int64, np)
		for i := range projects {
			projects[i] = int64(1 + i)
		}
		withConflicts := trial%2 == 1
		conflicts := map[pair]bool{}
		var existing []assignmentRow
		for _, p := range projects {
			for _, j := range judges {
				switch x := r.Float64(); {
				case withConflicts && x < 0.25:
					conflicts[pair{j, p}] = true
				case x > 0.93:
					existing = append(existing, assignmentRow{ProjectID: p, UserID: j})
				}
			}
		}
		plan := planAssignments(projects, judges, existing, conflicts, k)

		per := map[int64]int{}
		seen := map[pair]bool{}
		for _, a := range existing {
			seen[pair{a.UserID, a.ProjectID}] = true
			per[a.ProjectID]++
		}
		for _, a := range plan.add {
			if conflicts[a] || seen[a] {
				t.Fatalf("trial %d: %v assigned twice or with a conflict", trial, a)
			}
			seen[a] = true
			per[a.project]++
		}
		short := map[int64]bool{}
		for _, s := range plan.short {
			short[s.Project] = true
		}
		for _, p := range projects {
			free := 0
			for _, j := range judges {
				if !conflicts[pair{j, p}] {
					free++
				}
			}
			if want := min(k, free); per[p] < want || short[p] != (per[p] < k) {
				t.Fatalf("trial %d: project %d has %d judges (short %v), want %d", trial, p, per[p], short[p], want)
			}
		}
		if !withConflicts && len(existing) == 0 {
			lo, hi := np*k, 0
			for _, j := range judges {
				lo, hi = min(lo, plan.load[j]), max(hi, plan.load[j])
			}
			if hi-lo > 1 {
				t.Fatalf("trial %d: loads %v differ by %d, want ≤ 1", trial, plan.load, hi-lo)
			}
		}
	}
}

func TestDecodeCriteria(t *testing.T) {
	for _, in := range []string{
		`{}`, ` { } `, `{"innovation":8}`, `{"innovation": 8, "effectiveness": 7.5, "replicability": 1e1}`,
		`{"a":-0.5,"b":0}`, `{"k\u00e9":1}`, `{"x":1,"x":2}`, "{\n\t\"x\" : 3 \n}",
	} {
		got, err := decodeCriteria([]byte(in), map[string]string{})
		var want map[string]float64
		json.Unmarshal([]byte(in), &want)
		if err != nil || !maps.Equal(got, want) {
			t.Errorf("decodeCriteria(%s) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{``, `[]`, `{"a":}`, `{"a":1,}`, `{"a":"1"}`, `{"a":1} x`, `{"a" 1}`} {
		if got, err := decodeCriteria([]byte(in), map[string]string{}); err == nil {
			t.Errorf("decodeCriteria(%s) = %v, want an error", in, got)
		}
	}
}

// BenchmarkDecodeCriteria compares the hand parser with encoding/json on a
// score as PostgreSQL's jsonb prints it.
func BenchmarkDecodeCriteria(b *testing.B) {
	in := []byte(`{"innovation": 8, "effectiveness": 7.5, "replicability": 6}`)
	b.Run("hand", func(b *testing.B) {
		keys := map[string]string{}
		for b.Loop() {
			decodeCriteria(in, keys)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var m map[string]float64
			json.Unmarshal(in, &m)
		}
	})
}
