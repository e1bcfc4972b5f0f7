package scoring

import (
	"reflect"
	"testing"

	"github.com/thidua/thidua/rules"
)

// honourUnits: totals come from judging.mean × 100; eligibility from
// projects.registered; completed projects feed honours' when.
func honourUnit(code, level string, clusters []string, eligible bool, total float64, completed int) Unit {
	registered := 0
	if eligible {
		registered = 1
	}
	return Unit{Code: code, Level: level, Clusters: clusters, Facts: rules.Facts{
		Projects: rules.ProjectFacts{Registered: registered, Completed: completed},
		Judging:  rules.JudgingFacts{Mean: total / 100},
	}}
}

const honourCriteria = `
schema: 1
criteria:
  - {key: has_project, weight: 0.0001, required: true, value: "projects.registered >= 1 ? 1 : 0"}
  - {key: quality, weight: 100, value: "judging.mean"}
`

func TestHonours(t *testing.T) {
	units := []Unit{
		honourUnit("a", "ward", []string{"x"}, true, 90, 0),
		honourUnit("b", "ward", []string{"x", "y"}, true, 80, 3),
		honourUnit("c", "city", []string{"x"}, true, 80, 2),
		honourUnit("d", "city", []string{"y"}, true, 70, 2),
		honourUnit("e", "ward", []string{"y"}, true, 60, 5),
		honourUnit("z", "ward", []string{"x", "y"}, false, 99, 9), // ineligible: never honoured
	}
	type award struct {
		unit, group string
		rank        int
	}
	tests := []struct {
		name   string
		honour string
		want   []award
	}{
		{"top 1 overall", "{key: h, top: 1}", []award{{"a", "", 1}}},
		{"ties at the border all get it", "{key: h, top: 2}", []award{{"a", "", 1}, {"b", "", 2}, {"c", "", 2}}},
		{"no top: every eligible unit", "{key: h, min_score: 70}", []award{{"a", "", 1}, {"b", "", 2}, {"c", "", 2}, {"d", "", 4}}},
		{"min score", "{key: h, top: 3, min_score: 85}", []award{{"a", "", 1}}},
		{"min score is inclusive", "{key: h, min_score: 80.0001}", []award{{"a", "", 1}, {"b", "", 2}, {"c", "", 2}}},
		{"when on facts and score", "{key: h, when: 'projects.completed >= 2 && score >= 70'}", []award{{"b", "", 2}, {"c", "", 2}, {"d", "", 4}}},
		{"top before when", "{key: h, top: 1, when: 'projects.completed >= 2'}", nil},
		{"per level", "{key: h, scope: level, top: 1}", []award{{"c", "city", 1}, {"a", "ward", 1}}},
		{"per cluster", "{key: h, scope: cluster, top: 1}", []award{{"a", "x", 1}, {"b", "y", 1}}},
		{"per cluster with ties", "{key: h, scope: cluster, top: 2}", []award{{"a", "x", 1}, {"b", "x", 2}, {"c", "x", 2}, {"b", "y", 1}, {"d", "y", 2}}},
		{"rank.cluster is the best cluster rank", "{key: h, when: 'rank.cluster == 1'}", []award{{"a", "", 1}, {"b", "", 2}}},
		{"rank.level", "{key: h, scope: cluster, when: 'rank.level == 2'}", []award{{"b", "x", 2}, {"b", "y", 1}, {"d", "y", 2}}},
		{"when that fails at run time", "{key: h, when: '[true][projects.completed]'}", []award{{"a", "", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := compileSource(t, honourCriteria+"honours: ["+tt.honour+"]\n")
			var got []award
			for _, a := range Honours(rs, Score(rs, units)) {
				if a.Honour != "h" || a.Title != "h" || a.Scope != rs.Honours[0].Scope {
					t.Errorf("award %+v does not name its honour", a)
				}
				got = append(got, award{a.Unit, a.Group, a.Rank})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Honours(%s) = %v, want %v", tt.honour, got, tt.want)
			}
		})
	}
}

func TestHonoursOrder(t *testing.T) {
	rs := compileSource(t, honourCriteria+`
honours:
  - {key: second_listed_first, scope: cluster, top: 1}
  - {key: all, top: 1}
`)
	units := []Unit{
		honourUnit("b", "ward", []string{"y"}, true, 50, 0),
		honourUnit("a", "ward", []string{"x"}, true, 40, 0),
	}
	got := Honours(rs, Score(rs, units))
	want := []Award{
		{Honour: "second_listed_first", Title: "second_listed_first", Unit: "a", Scope: "cluster", Group: "x", Rank: 1, Score: 40.0001},
		{Honour: "second_listed_first", Title: "second_listed_first", Unit: "b", Scope: "cluster", Group: "y", Rank: 1, Score: 50.0001},
		{Honour: "all", Title: "all", Unit: "b", Scope: "overall", Rank: 1, Score: 50.0001},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Honours() = %+v, want %+v", got, want)
	}
}
