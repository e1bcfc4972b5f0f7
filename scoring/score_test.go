package scoring

import (
	"fmt"
	"os"
	"testing"

	"github.com/thidua/thidua/rules"
)

var indicators = []string{"staff_trained", "docs_electronic"}

// compile compiles a ruleset from testdata.
func compile(t testing.TB, name string) *rules.Ruleset {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Compile(src, indicators)
	if err != nil {
		t.Fatalf("Compile(%s) = %v", name, err)
	}
	return rs
}

// compileSource compiles a ruleset given as text.
func compileSource(t testing.TB, src string) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Compile([]byte(src), indicators)
	if err != nil {
		t.Fatalf("Compile(%q) = %v", src, err)
	}
	return rs
}

// TestScoreWorkedExample scores one unit with the RULES.md example, computed
// by hand.
func TestScoreWorkedExample(t *testing.T) {
	rs := compile(t, "example.yaml")
	u := Unit{Code: "pn_hoankiem", Name: "Hội LHPN phường Hoàn Kiếm", Level: "commune", Kind: "womens_union",
		Clusters: []string{"womens_union_wards"},
		Facts: rules.Facts{
			Projects: rules.ProjectFacts{Registered: 2, InProgress: 0, Completed: 2, Verified: 1, Adopted: 2},
			KPI:      map[string]float64{"staff_trained": 0.8, "docs_electronic": 45},
			Target:   map[string]float64{"staff_trained": 1, "docs_electronic": 50},
			Reports:  rules.ReportFacts{Due: 3, OnTime: 2, Late: 0, Missing: 1},
			Judging:  rules.JudgingFacts{Best: 0.85, Mean: 0.7, Projects: 2},
		}}
	r := Score(rs, []Unit{u}).Results[0]
	want := []Line{
		{Key: "has_project", Value: 1, Points: 20},           // registered 2 ≥ 1
		{Key: "staff_trained", Value: 0.8, Points: 8},        // 0.8 / 1
		{Key: "docs_electronic", Value: 0.9, Points: 9},      // 45 / 50
		{Key: "project_quality", Value: 0.85, Points: 34},    // 40 × 0.85
		{Key: "replication", Value: 2.0 / 3, Points: 6.6667}, // 10 × 2/3
		{Key: "on_time", Value: 2.0 / 3, Points: 6.6667},     // 10 × 2/3
		{Key: "missing_reports", Value: -2, Points: -2},      // −2 × 1
	}
	got := append(append([]Line{}, r.Criteria...), r.Adjustments...)
	if len(got) != len(want) {
		t.Fatalf("Score(worked example) has %d lines, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.Key || !near(g.Value, w.Value) || g.Points != w.Points || g.Error != "" {
			t.Errorf("line %d = %+v, want %+v", i, g, w)
		}
	}
	if r.Criteria[0].Title != rs.Criteria[0].Title {
		t.Errorf("criteria[0].title = %q, want %q", r.Criteria[0].Title, rs.Criteria[0].Title)
	}
	// 20 + 8 + 9 + 34 + 20/3 + 20/3 − 2 = 82.3333…: the exact points add up,
	// not the rounded ones shown (which would make 82.3334).
	if r.Total != 82.3333 || r.Max != 100 || !r.Eligible {
		t.Errorf("total, max, eligible = %v, %v, %v; want 82.3333, 100, true", r.Total, r.Max, r.Eligible)
	}
	if r.Rank.Overall != 1 || r.Rank.Level != 1 || r.Rank.Cluster["womens_union_wards"] != 1 {
		t.Errorf("rank = %+v, want 1 everywhere", r.Rank)
	}
	if r.Facts.Unit != (rules.UnitFacts{Level: "commune", Kind: "womens_union"}) {
		t.Errorf("facts.unit = %+v, want the unit's level and kind", r.Facts.Unit)
	}
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}

func TestScoreClampsAndBounds(t *testing.T) {
	rs := compileSource(t, `
schema: 1
criteria:
  - {key: over, weight: 10, value: "projects.adopted / 3"}
  - {key: under, weight: 10, value: "0 - projects.adopted"}
  - {key: broken, weight: 10, value: "[1][projects.adopted]"}
adjustments:
  - {key: low, points: "-2 * reports.missing", min: -10}
  - {key: high, points: "5 * reports.missing", max: 7.5}
  - {key: free, points: "0.1 + 0.2"}
`)
	u := Unit{Code: "a", Facts: rules.Facts{Projects: rules.ProjectFacts{Adopted: 6}, Reports: rules.ReportFacts{Missing: 7}}}
	r := Score(rs, []Unit{u}).Results[0]
	tests := []struct {
		line         Line
		value, point float64
	}{
		{r.Criteria[0], 2, 10},
		{r.Criteria[1], -6, 0},
		{r.Criteria[2], 0, 0},
		{r.Adjustments[0], -14, -10},
		{r.Adjustments[1], 35, 7.5},
		{r.Adjustments[2], 0.1 + 0.2, 0.3},
	}
	for _, tt := range tests {
		if !near(tt.line.Value, tt.value) || tt.line.Points != tt.point {
			t.Errorf("%s = value %v, points %v; want %v, %v", tt.line.Key, tt.line.Value, tt.line.Points, tt.value, tt.point)
		}
	}
	if r.Criteria[2].Error == "" {
		t.Errorf("broken.error is empty, want the runtime error")
	}
	if r.Total != 7.8 {
		t.Errorf("total = %v, want 7.8", r.Total)
	}
}

func TestScoreRanks(t *testing.T) {
	rs := compileSource(t, `
schema: 1
criteria:
  - {key: has_project, weight: 1, required: true, value: "projects.registered >= 1 ? 1 : 0"}
  - {key: quality, weight: 99, value: "judging.mean"}
`)
	unit := func(code, level string, clusters []string, registered int, mean float64) Unit {
		return Unit{Code: code, Level: level, Clusters: clusters, Facts: rules.Facts{
			Projects: rules.ProjectFacts{Registered: registered},
			Judging:  rules.JudgingFacts{Mean: mean},
		}}
	}
	units := []Unit{
		unit("e", "ward", []string{"x"}, 1, 0.5),
		unit("a", "ward", []string{"x", "y"}, 1, 0.9),
		unit("z", "ward", []string{"x"}, 0, 1), // ineligible despite the best quality
		unit("c", "city", []string{"y"}, 1, 0.7),
		unit("b", "ward", []string{"y"}, 1, 0.7),
		unit("d", "city", nil, 1, 0.7),
		unit("y", "city", []string{"y"}, 0, 0.1),
	}
	b := Score(rs, units)
	want := []struct {
		code         string
		overall, lvl int
		cluster      map[string]int
	}{
		{"a", 1, 1, map[string]int{"x": 1, "y": 1}},
		{"b", 2, 2, map[string]int{"y": 2}},
		{"c", 2, 1, map[string]int{"y": 2}},
		{"d", 2, 1, nil},
		{"e", 5, 3, map[string]int{"x": 2}},
		{"z", 0, 0, nil},
		{"y", 0, 0, nil},
	}
	if len(b.Results) != len(want) {
		t.Fatalf("Score() has %d results, want %d", len(b.Results), len(want))
	}
	for i, w := range want {
		r := b.Results[i]
		if r.Code != w.code || r.Rank.Overall != w.overall || r.Rank.Level != w.lvl || fmt.Sprint(r.Rank.Cluster) != fmt.Sprint(w.cluster) {
			t.Errorf("Results[%d] = %s %+v, want %s overall %d level %d clusters %v", i, r.Code, r.Rank, w.code, w.overall, w.lvl, w.cluster)
		}
	}
}

func TestScoreEmpty(t *testing.T) {
	rs := compile(t, "example.yaml")
	b := Score(rs, nil)
	if len(b.Results) != 0 {
		t.Errorf("Score(no units) = %v, want no results", b.Results)
	}
	if got := Honours(rs, b); len(got) != 0 {
		t.Errorf("Honours(no units) = %v, want none", got)
	}
}
