package rules

import (
	"fmt"
	"testing"
)

// compileValue compiles a ruleset with one criterion of value src.
func compileValue(t testing.TB, src string) *Ruleset {
	t.Helper()
	doc := fmt.Sprintf("schema: 1\ncriteria: [{key: a, weight: 1, value: %q}]", src)
	rs, err := Compile([]byte(doc), exampleIndicators)
	if err != nil {
		t.Fatalf("Compile(value %q) = %v", src, err)
	}
	return rs
}

var sampleFacts = Facts{
	Unit:     UnitFacts{Level: "commune", Kind: "womens_union"},
	Projects: ProjectFacts{Registered: 3, InProgress: 1, Completed: 2, Verified: 1, Adopted: 4},
	KPI:      map[string]float64{"staff_trained": 0.8, "docs_electronic": 0.5},
	Target:   map[string]float64{"staff_trained": 1, "docs_electronic": 0},
	Reported: map[string]bool{"staff_trained": true},
	Reports:  ReportFacts{Due: 3, OnTime: 2, Late: 0, Missing: 1},
	Judging:  JudgingFacts{Best: 0.9, Mean: 0.75, Projects: 2},
}

func TestEvaluatorValue(t *testing.T) {
	tests := []struct {
		src  string
		want float64
	}{
		{"projects.registered >= 1 ? 1 : 0", 1},
		{"kpi.staff_trained / target.staff_trained", 0.8},
		{"projects.adopted / 3", 4.0 / 3}, // not clamped here
		{"reports.due == 0 ? 1 : reports.on_time / reports.due", 2.0 / 3},
		{"-2 * reports.missing", -2},
		{"judging.best", 0.9},
		{"judging.projects", 2}, // int converts
		{"unit.kind == 'womens_union' ? 0.5 : 0", 0.5},
		{"reported.staff_trained ? 1 : 0", 1},
		{"reported.docs_electronic ? 1 : 0", 0},
		{"kpi.cashless", 0}, // a known indicator with no value
		// Division by zero yields 0 for that division, so it can be used
		// inside larger expressions.
		{"kpi.docs_electronic / target.docs_electronic", 0},
		{"1 / 0", 0},
		{"0 / 0", 0},
		{"-1 / 0", 0},
		{"1 + 1 / 0", 1},
		{"(1 / 0) * 5 + 2", 2},
		{"1 / (1 / 0)", 0},
		{"projects.registered % 0", 0},
		{"projects.registered % 2", 1},
		{"7 / 2", 3.5},
		// Any other non-finite result is 0.
		{"1e308 * 10", 0},
		{"0 ** -1", 0},
		{"(1e308 * 10) - (1e308 * 10)", 0},
		{"max(kpi.staff_trained, 0.5) + min(1, 2)", 1.8},
		{"true ? 1 : 0.5", 1},
		{"mean([1, 2.5])", 1.75},
	}
	for _, tt := range tests {
		rs := compileValue(t, tt.src)
		f := sampleFacts
		got, err := rs.NewEvaluator().Value(0, &f)
		if err != nil || !near(got, tt.want) {
			t.Errorf("Value(%q) = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-12 && d > -1e-12
}

func TestEvaluatorRuntimeError(t *testing.T) {
	for _, src := range []string{"[1, 2][5]", "int(unit.kind)", "len(unit.kind) / ([0][3])"} {
		rs := compileValue(t, src)
		got, err := rs.NewEvaluator().Value(0, &sampleFacts)
		p, ok := err.(Problem)
		if got != 0 || !ok || p.Path != "criteria[0].value" || p.Message == "" {
			t.Errorf("Value(%q) = %v, %#v; want 0 and a Problem at criteria[0].value", src, got, err)
		}
	}
}

func TestEvaluatorEmptyFacts(t *testing.T) {
	rs := compileExample(t)
	e := rs.NewEvaluator()
	var f Facts // nil maps
	want := []float64{0, 0, 0, 0, 0, 1}
	for i := range rs.Criteria {
		if got, err := e.Value(i, &f); err != nil || got != want[i] {
			t.Errorf("Value(%s, no facts) = %v, %v; want %v", rs.Criteria[i].Key, got, err, want[i])
		}
	}
	if got, err := e.Points(0, &f); err != nil || got != 0 {
		t.Errorf("Points(missing_reports, no facts) = %v, %v; want 0", got, err)
	}
}

func TestEvaluatorPoints(t *testing.T) {
	rs := compileExample(t)
	f := sampleFacts
	f.Reports.Missing = 7
	// Bounds are the scorer's: -14, not -10.
	if got, err := rs.NewEvaluator().Points(0, &f); err != nil || got != -14 {
		t.Errorf("Points(missing_reports) = %v, %v; want -14", got, err)
	}
}

func TestEvaluatorWhen(t *testing.T) {
	doc := `
schema: 1
criteria: [{key: a, weight: 1, value: "1"}]
honours:
  - {key: always}
  - {key: pioneer, when: "projects.completed >= 2 && score >= 70"}
  - {key: leader, when: "rank.overall == 1 || rank.cluster == 1"}
  - {key: level, when: "rank.level > 0 && unit.level == 'commune'"}
  - {key: broken, when: "[true][3]"}
`
	rs, err := Compile([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		score float64
		rank  RankFacts
		want  []bool
	}{
		{70, RankFacts{Overall: 3, Level: 2, Cluster: 1}, []bool{true, true, true, true, false}},
		{69.99, RankFacts{Overall: 1}, []bool{true, false, true, false, false}},
		{90, RankFacts{}, []bool{true, true, false, false, false}},
	}
	e := rs.NewEvaluator()
	for _, tt := range tests {
		h := HonourFacts{Facts: sampleFacts, Score: tt.score, Rank: tt.rank}
		for i, want := range tt.want {
			got, err := e.When(i, &h)
			if got != want {
				t.Errorf("When(%s, score %v, rank %+v) = %v, %v; want %v", rs.Honours[i].Key, tt.score, tt.rank, got, err, want)
			}
			if (err != nil) != (rs.Honours[i].Key == "broken") {
				t.Errorf("When(%s) error = %v", rs.Honours[i].Key, err)
			}
		}
	}
}

// BenchmarkEvaluateExample evaluates every expression of the RULES.md
// example for one unit: what scoring does per unit.
func BenchmarkEvaluateExample(b *testing.B) {
	rs := compileExample(b)
	e := rs.NewEvaluator()
	f := sampleFacts
	h := HonourFacts{Facts: sampleFacts, Score: 75}
	b.ReportAllocs()
	for b.Loop() {
		for i := range rs.Criteria {
			e.Value(i, &f)
		}
		for i := range rs.Adjustments {
			e.Points(i, &f)
		}
		e.When(1, &h)
	}
}
