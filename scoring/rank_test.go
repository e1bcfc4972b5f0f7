package scoring

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/thidua/thidua/rules"
)

// rankRuleset makes totals from judging.mean (× 100, so 0.1 + 0.2 style
// noise appears) and eligibility from projects.registered.
const rankRuleset = `
schema: 1
criteria:
  - {key: has_project, weight: 1, required: true, value: "projects.registered >= 1 ? 1 : 0"}
  - {key: quality, weight: 50, value: "judging.mean"}
  - {key: reach, weight: 50, value: "judging.best"}
`

// randomUnits makes n units with few distinct totals, so that ties abound.
func randomUnits(rng *rand.Rand, n int) []Unit {
	levels := []string{"city", "commune", "group"}
	clusters := []string{"k1", "k2", "k3", "k4"}
	units := make([]Unit, n)
	for i := range units {
		var cs []string
		for _, c := range clusters {
			if rng.IntN(3) == 0 {
				cs = append(cs, c)
			}
		}
		units[i] = Unit{
			Code:     fmt.Sprintf("u%05d", i),
			Name:     fmt.Sprintf("Unit %d", i),
			Level:    levels[rng.IntN(len(levels))],
			Kind:     "front",
			Clusters: cs,
			Facts: rules.Facts{
				Projects: rules.ProjectFacts{Registered: rng.IntN(5)},
				// 0.1 + 0.2 and 0.3 give equal totals only after rounding.
				Judging: rules.JudgingFacts{Mean: float64(rng.IntN(4)) / 10, Best: []float64{0.2, 0.1}[rng.IntN(2)]},
			},
		}
	}
	return units
}

// TestRankProperties checks, over random boards, that ranks are standard
// competition ranks whatever the input order.
func TestRankProperties(t *testing.T) {
	rs := compileSource(t, rankRuleset)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		units := randomUnits(rng, 1+rng.IntN(60))
		b := Score(rs, units)

		// Ranks never depend on input order.
		shuffled := append([]Unit(nil), units...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if again := Score(rs, shuffled); !reflect.DeepEqual(again.Results, b.Results) {
			t.Fatalf("round %d: Score(shuffled) differs from Score(units)", round)
		}

		seenIneligible := false
		for i := range b.Results {
			r := &b.Results[i]
			if !r.Eligible {
				seenIneligible = true
				if r.Rank.Overall != 0 || r.Rank.Level != 0 || len(r.Rank.Cluster) != 0 {
					t.Errorf("round %d: ineligible %s has rank %+v, want none", round, r.Code, r.Rank)
				}
				continue
			}
			if seenIneligible {
				t.Errorf("round %d: eligible %s listed after an ineligible unit", round, r.Code)
			}
			// rank = 1 + the number of eligible units in the scope with a
			// strictly greater total; so equal totals share a rank.
			check := func(scope string, in func(*Result) bool, got int) {
				want := 1
				for j := range b.Results {
					o := &b.Results[j]
					if o.Eligible && in(o) && o.Total > r.Total {
						want++
					}
				}
				if got != want {
					t.Errorf("round %d: %s rank in %s = %d, want %d", round, r.Code, scope, got, want)
				}
			}
			check("overall", func(*Result) bool { return true }, r.Rank.Overall)
			check("level", func(o *Result) bool { return o.Level == r.Level }, r.Rank.Level)
			for _, c := range r.Clusters {
				check("cluster "+c, func(o *Result) bool { return contains(o.Clusters, c) }, r.Rank.Cluster[c])
			}
			if i > 0 {
				if p := &b.Results[i-1]; p.Eligible && (p.Total < r.Total || p.Total == r.Total && p.Code > r.Code) {
					t.Errorf("round %d: %s (%v) listed before %s (%v)", round, p.Code, p.Total, r.Code, r.Total)
				}
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestRankRoundsNoise checks that totals equal up to float noise tie.
func TestRankRoundsNoise(t *testing.T) {
	rs := compileSource(t, rankRuleset)
	units := []Unit{
		{Code: "b", Facts: rules.Facts{Projects: rules.ProjectFacts{Registered: 1}, Judging: rules.JudgingFacts{Mean: 0.1, Best: 0.2}}},
		{Code: "a", Facts: rules.Facts{Projects: rules.ProjectFacts{Registered: 1}, Judging: rules.JudgingFacts{Mean: 0.3}}},
	}
	b := Score(rs, units)
	for _, r := range b.Results {
		if r.Total != 16 || r.Rank.Overall != 1 {
			t.Errorf("%s: total %v rank %d, want 16 and 1", r.Code, r.Total, r.Rank.Overall)
		}
	}
	if b.Results[0].Code != "a" {
		t.Errorf("Results[0] = %s, want a (ties by code)", b.Results[0].Code)
	}
}

// TestRankThirdsTieAWhole: three thirds of ten points tie with ten points;
// rounding each line before adding them would give 9.9999.
func TestRankThirdsTieAWhole(t *testing.T) {
	rs := compileSource(t, `schema: 1
criteria:
  - {key: a, title: A, weight: 10, value: "kpi.staff_trained"}
  - {key: b, title: B, weight: 10, value: "kpi.docs_electronic"}
  - {key: c, title: C, weight: 10, value: "judging.best"}
`)
	units := []Unit{
		{Code: "thirds", Facts: rules.Facts{KPI: map[string]float64{"staff_trained": 1.0 / 3, "docs_electronic": 1.0 / 3},
			Judging: rules.JudgingFacts{Best: 1.0 / 3}}},
		{Code: "whole", Facts: rules.Facts{KPI: map[string]float64{"staff_trained": 1}}},
	}
	for _, r := range Score(rs, units).Results {
		if r.Total != 10 || r.Rank.Overall != 1 {
			t.Errorf("%s: total %v rank %d, want 10 and 1", r.Code, r.Total, r.Rank.Overall)
		}
	}
}

// BenchmarkScore scores 100,000 synthetic units with the RULES.md example.
func BenchmarkScore(b *testing.B) {
	rs := compile(b, "example.yaml")
	rng := rand.New(rand.NewPCG(3, 4))
	units := randomUnits(rng, 100_000)
	for i := range units {
		f := &units[i].Facts
		f.KPI = map[string]float64{"staff_trained": rng.Float64(), "docs_electronic": rng.Float64() * 100}
		f.Target = map[string]float64{"staff_trained": 1, "docs_electronic": 100}
		f.Reports = rules.ReportFacts{Due: 3, OnTime: rng.IntN(4), Missing: rng.IntN(2)}
		f.Projects.Adopted = rng.IntN(4)
	}
	b.ReportAllocs()
	for b.Loop() {
		Score(rs, units)
	}
}
