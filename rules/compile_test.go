package rules

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// exampleIndicators are the indicators of the RULES.md example's campaign,
// and more.
var exampleIndicators = []string{"staff_trained", "docs_electronic", "records_online", "cashless"}

// compileExample compiles testdata/example.yaml, the example of RULES.md.
func compileExample(t testing.TB) *Ruleset {
	t.Helper()
	src, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Compile(src, exampleIndicators)
	if err != nil {
		t.Fatalf("Compile(example) = %v", err)
	}
	return rs
}

func TestCompileExample(t *testing.T) {
	rs := compileExample(t)
	ptr := func(x float64) *float64 { return &x }
	want := &Ruleset{
		Schema:    1,
		TimeZone:  "Asia/Ho_Chi_Minh",
		Period:    Quarter,
		Schedule:  Schedule{Score: "0 */6 * * *", Close: "30 0 1 1,4,7,10 *"},
		Reporting: Reporting{Every: Month, DueDays: 10},
		Criteria: []Criterion{
			{Key: "has_project", Title: "Có ít nhất 1 công trình, phần việc chuyển đổi số", Weight: 20, Required: true, Value: "projects.registered >= 1 ? 1 : 0"},
			{Key: "staff_trained", Title: "Cán bộ được tập huấn kỹ năng số", Weight: 10, Value: "kpi.staff_trained / target.staff_trained"},
			{Key: "docs_electronic", Title: "Văn bản trao đổi dưới dạng điện tử", Weight: 10, Value: "kpi.docs_electronic / target.docs_electronic"},
			{Key: "project_quality", Title: "Chất lượng công trình (hội đồng chấm)", Weight: 40, Value: "judging.best"},
			{Key: "replication", Title: "Mô hình được nhân rộng", Weight: 10, Value: "projects.adopted / 3"},
			{Key: "on_time", Title: "Báo cáo đúng hạn", Weight: 10, Value: "reports.due == 0 ? 1 : reports.on_time / reports.due"},
		},
		Adjustments: []Adjustment{
			{Key: "missing_reports", Title: "Không nộp báo cáo", Points: "-2 * reports.missing", Min: ptr(-10)},
		},
		Judging: Judging{MinJudges: 3, Aggregate: AggregateTrimmedMean, Criteria: []JudgingCriterion{
			{Key: "innovation", Title: "Tính sáng tạo", Max: 10, Weight: 40},
			{Key: "effectiveness", Title: "Hiệu quả thực tiễn", Max: 10, Weight: 40},
			{Key: "replicability", Title: "Khả năng nhân rộng", Max: 10, Weight: 20},
		}},
		Honours: []Honour{
			{Key: "exemplary", Title: "Điển hình tiên tiến", Scope: ScopeCluster, Top: 1, MinScore: ptr(80)},
			{Key: "pioneer", Title: "Đơn vị tiên phong chuyển đổi số", Scope: ScopeOverall, When: "projects.completed >= 2 && score >= 70"},
		},
	}
	if got, want := jsonOf(t, rs), jsonOf(t, want); got != want {
		t.Errorf("Compile(example) =\n%s\nwant\n%s", got, want)
	}
	if rs.Location == nil || rs.Location.String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("Location = %v, want Asia/Ho_Chi_Minh", rs.Location)
	}
	if got := rs.MaxTotal(); got != 100 {
		t.Errorf("MaxTotal() = %v, want 100", got)
	}
}

// TestCompileRoundTrip checks that a compiled ruleset's JSON is a ruleset
// document with the same meaning, and that JSON is read like YAML.
func TestCompileRoundTrip(t *testing.T) {
	rs := compileExample(t)
	src, err := json.MarshalIndent(rs, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	again, err := Compile(src, exampleIndicators)
	if err != nil {
		t.Fatalf("Compile(json of example) = %v", err)
	}
	if got, want := jsonOf(t, again), string(src); got != want {
		t.Errorf("Compile(json of example) =\n%s\nwant\n%s", got, want)
	}
}

func TestCompileDefaults(t *testing.T) {
	tests := []struct {
		src           string
		wantPeriod    Granularity
		wantReporting Reporting
	}{
		{"schema: 1\ncriteria: [{key: a, weight: 1, value: '1'}]", Campaign, Reporting{Every: Quarter, DueDays: 10}},
		{"schema: 1\nperiod: month\ncriteria: [{key: a, weight: 1, value: '1'}]", Month, Reporting{Every: Month, DueDays: 10}},
		{"schema: 1\nperiod: quarter\ncriteria: [{key: a, weight: 1, value: '1'}]", Quarter, Reporting{Every: Quarter, DueDays: 10}},
		{"schema: 1\nperiod: year\nreporting: {due_days: 0}\ncriteria: [{key: a, weight: 1, value: '1'}]", Year, Reporting{Every: Quarter, DueDays: 0}},
		{"schema: 1\nperiod: half\nreporting: {every: month}\ncriteria: [{key: a, weight: 1, value: '1'}]", Half, Reporting{Every: Month, DueDays: 10}},
		{"schema: 1\nperiod: month\nreporting: {every: week, verify: true, due_days: 2}\ncriteria: [{key: a, weight: 1, value: '1'}]", Month,
			Reporting{Every: Week, DueDays: 2, Verify: true}},
	}
	for _, tt := range tests {
		rs, err := Compile([]byte(tt.src), nil)
		if err != nil {
			t.Errorf("Compile(%q) = %v", tt.src, err)
			continue
		}
		if rs.Period != tt.wantPeriod || rs.Reporting != tt.wantReporting {
			t.Errorf("Compile(%q) period, reporting = %v, %v; want %v, %v", tt.src, rs.Period, rs.Reporting, tt.wantPeriod, tt.wantReporting)
		}
		if rs.TimeZone != DefaultTimeZone || rs.Location == nil {
			t.Errorf("Compile(%q) timezone = %q, %v; want %q", tt.src, rs.TimeZone, rs.Location, DefaultTimeZone)
		}
		if rs.Judging.MinJudges != 1 || rs.Judging.Aggregate != AggregateMean {
			t.Errorf("Compile(%q) judging = %+v, want min_judges 1, aggregate mean", tt.src, rs.Judging)
		}
		if c := rs.Criteria[0]; c.Title != "a" {
			t.Errorf("Compile(%q) criteria[0].title = %q, want the key", tt.src, c.Title)
		}
	}

	rs, err := Compile([]byte(`
schema: 1
criteria: [{key: a, weight: 1, value: "1"}]
judging: {criteria: [{key: r, max: 5}]}
honours: [{key: h}]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rs.Judging.Criteria[0], (JudgingCriterion{Key: "r", Title: "r", Max: 5, Weight: 1}); !reflect.DeepEqual(got, want) {
		t.Errorf("judging.criteria[0] = %+v, want %+v", got, want)
	}
	rs2, err := Compile([]byte(`
schema: 1
criteria: [{key: a, weight: 1, value: "1"}]
judging:
  criteria:
    - key: r
      max: 10
      description: Mô hình mới đến đâu
      levels:
        - {from: 0, to: 4, text: Áp dụng lại cách làm quen thuộc}
        - {from: 4.5, to: 10, text: Cách làm mới của đơn vị}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLevels := []RubricLevel{{0, 4, "Áp dụng lại cách làm quen thuộc"}, {4.5, 10, "Cách làm mới của đơn vị"}}
	if got := rs2.Judging.Criteria[0]; got.Description != "Mô hình mới đến đâu" || !reflect.DeepEqual(got.Levels, wantLevels) {
		t.Errorf("judging.criteria[0] = %+v, want the description and levels %+v", got, wantLevels)
	}
	if h := rs.Honours[0]; h.Scope != ScopeOverall || h.Top != 0 || h.MinScore != nil || h.When != "" {
		t.Errorf("honours[0] = %+v, want scope overall and no conditions", h)
	}
}

// valid is a minimal valid ruleset; problem tests append to it.
const valid = "schema: 1\ncriteria:\n  - {key: a, weight: 1, value: '1'}\n"

// problemCases are bad rulesets and the problems Compile finds in each.
var problemCases = []struct {
	name string
	src  string
	want []Problem // Message is matched as a substring
}{
	{"empty", "", []Problem{{Message: "empty"}}},
	{"comment only", "# nothing\n", []Problem{{Message: "empty"}}},
	{"not a mapping", "[1, 2]", []Problem{{Message: "must be a mapping"}}},
	{"null document", "~", []Problem{{Path: "schema", Message: "is required"}, {Path: "criteria", Message: "at least one"}}},
	{"two documents", valid + "---\n" + valid, []Problem{{Message: "one document"}}},
	{"syntax error", "schema: 1\ncriteria:\n\t- key: a\n", []Problem{{Message: "syntax error: found character that cannot start any token", Line: 3}}},
	{"json syntax error", "{\"schema\": 1,\n \"criteria\": [}", []Problem{{Message: "syntax error: did not find expected node content", Line: 1}}},
	{"missing schema", "criteria: [{key: a, weight: 1, value: '1'}]", []Problem{{Path: "schema", Message: "is required"}}},
	{"unknown schema", "schema: 2\ncriteria: [{key: a, weight: 1, value: '1'}]", []Problem{{Path: "schema", Message: "unknown schema 2"}}},
	{"schema not a number", "schema: one\ncriteria: [{key: a, weight: 1, value: '1'}]", []Problem{{Path: "schema", Message: "whole number"}}},
	{"no criteria", "schema: 1\n", []Problem{{Path: "criteria", Message: "at least one"}}},
	{"criteria not a list", "schema: 1\ncriteria: {key: a}", []Problem{{Path: "criteria", Message: "must be a list"}, {Path: "criteria", Message: "at least one"}}},
	{"unknown top-level field", valid + "scoring: x\n", []Problem{{Path: "scoring", Message: "unknown field"}}},
	{"unknown nested field", "schema: 1\ncriteria: [{key: a, weight: 1, value: '1', wieght: 2}]", []Problem{{Path: "criteria[0].wieght", Message: "unknown field"}}},
	{"field given twice", valid + "period: month\nperiod: year\n", []Problem{{Path: "period", Message: "twice"}}},
	{"missing key", "schema: 1\ncriteria: [{weight: 1, value: '1'}]", []Problem{{Path: "criteria[0].key", Message: "is required"}}},
	{"bad key", "schema: 1\ncriteria: [{key: Has-Project, weight: 1, value: '1'}]", []Problem{{Path: "criteria[0].key", Message: "a-z, 0-9 and _"}}},
	{"duplicate key", valid + "  - {key: a, weight: 1, value: '1'}\n", []Problem{{Path: "criteria[1].key", Message: `duplicate key "a" (also criteria[0])`}}},
	{"criterion and adjustment share a key", valid + "adjustments: [{key: a, points: '1'}]", []Problem{{Path: "adjustments[0].key", Message: "duplicate key"}}},
	{"weight zero", "schema: 1\ncriteria: [{key: a, weight: 0, value: '1'}]", []Problem{{Path: "criteria[0].weight", Message: "greater than 0"}}},
	{"weight negative", "schema: 1\ncriteria: [{key: a, weight: -5, value: '1'}]", []Problem{{Path: "criteria[0].weight", Message: "greater than 0"}}},
	{"weight missing", "schema: 1\ncriteria: [{key: a, value: '1'}]", []Problem{{Path: "criteria[0].weight", Message: "is required"}}},
	{"weight not a number", "schema: 1\ncriteria: [{key: a, weight: lots, value: '1'}]", []Problem{{Path: "criteria[0].weight", Message: "must be a number"}}},
	{"weight huge", "schema: 1\ncriteria: [{key: a, weight: 1e308, value: '1'}, {key: b, weight: 1e308, value: '1'}]", []Problem{{Path: "criteria[0].weight", Message: "at most 1000000"}, {Path: "criteria[1].weight", Message: "at most 1000000"}}},
	{"variables", "schema: 1\ncriteria: [{key: a, weight: 1, value: \"let v = 'x' + 'x'; len(v)\"}]", []Problem{{Path: "criteria[0].value", Message: "variables (let) are not available", Line: 1, Column: 5}}},
	{"variable hiding an indicator", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'let k = kpi; k.nope'}]", []Problem{{Path: "criteria[0].value", Message: "variables (let)", Line: 1, Column: 5}}},
	{"Go name of the facts", valid + "honours: [{key: h, when: 'Facts.kpi.nope == 0'}]", []Problem{{Path: "honours[0].when", Message: `unknown fact "Facts"`, Line: 1, Column: 1}}},
	{"weight infinite", "schema: 1\ncriteria: [{key: a, weight: .inf, value: '1'}]", []Problem{{Path: "criteria[0].weight", Message: "finite"}}},
	{"required not a boolean", "schema: 1\ncriteria: [{key: a, weight: 1, value: '1', required: maybe}]", []Problem{{Path: "criteria[0].required", Message: "true or false"}}},
	{"value missing", "schema: 1\ncriteria: [{key: a, weight: 1}]", []Problem{{Path: "criteria[0].value", Message: "is required"}}},
	{"value syntax", "schema: 1\ncriteria: [{key: a, weight: 1, value: '1 +'}]", []Problem{{Path: "criteria[0].value", Message: "unexpected token", Line: 1, Column: 3}}},
	{"unknown indicator", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'kpi.foo / 2'}]", []Problem{{Path: "criteria[0].value", Message: `unknown indicator "foo"`, Line: 1, Column: 5}}},
	{"unknown target", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'target.foo'}]", []Problem{{Path: "criteria[0].value", Message: `unknown indicator "foo"`, Line: 1, Column: 8}}},
	{"computed indicator", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'reported[unit.kind] ? 1 : 0'}]", []Problem{{Path: "criteria[0].value", Message: "name the indicator", Line: 1, Column: 9}}},
	{"unknown fact", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'projects.foo'}]", []Problem{{Path: "criteria[0].value", Message: `unknown fact "projects.foo"`, Line: 1, Column: 10}}},
	{"unknown name", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'budget * 2'}]", []Problem{{Path: "criteria[0].value", Message: "unknown name budget", Line: 1, Column: 1}}},
	{"mismatched types", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'unit.level > 3 ? 1 : 0'}]", []Problem{{Path: "criteria[0].value", Message: "mismatched types string and int", Line: 1, Column: 12}}},
	{"value not numeric", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'projects.registered > 1'}]", []Problem{{Path: "criteria[0].value", Message: "must be a number, not bool"}}},
	{"score outside when", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'score / 100'}]", []Problem{{Path: "criteria[0].value", Message: "only in honours[].when", Line: 1, Column: 1}}},
	{"rank outside when", "schema: 1\ncriteria: [{key: a, weight: 1, value: '1 / rank.overall'}]", []Problem{{Path: "criteria[0].value", Message: "only in honours[].when", Line: 1, Column: 5}}},
	{"clock builtin", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'now().Year()'}]", []Problem{{Path: "criteria[0].value", Message: "unknown name now", Line: 1, Column: 1}}},
	{"$env", "schema: 1\ncriteria: [{key: a, weight: 1, value: '$env.kpi.foo'}]", []Problem{{Path: "criteria[0].value", Message: "$env is not available", Line: 1, Column: 1}}},
	{"too many nodes", "schema: 1\ncriteria: [{key: a, weight: 1, value: '" + strings.Repeat("1+", 400) + "1'}]", []Problem{{Path: "criteria[0].value", Message: "is too complex (over 500 nodes)", Line: 1, Column: 502}}},
	{"too long", "schema: 1\ncriteria: [{key: a, weight: 1, value: '" + strings.Repeat(" ", 5000) + "1'}]", []Problem{{Path: "criteria[0].value", Message: "too long"}}},
	{"range", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'count(1..1000, # > 2)'}]", []Problem{{Path: "criteria[0].value", Message: "ranges", Line: 1, Column: 8}}},
	{"nested predicates", "schema: 1\ncriteria: [{key: a, weight: 1, value: 'sum([1, 2], sum([3, 4], #))'}]", []Problem{{Path: "criteria[0].value", Message: "cannot be nested", Line: 1, Column: 13}}},
	{"points missing", valid + "adjustments: [{key: b}]", []Problem{{Path: "adjustments[0].points", Message: "is required"}}},
	{"points not numeric", valid + "adjustments: [{key: b, points: 'unit.kind'}]", []Problem{{Path: "adjustments[0].points", Message: "must be a number, not string"}}},
	{"max below min", valid + "adjustments: [{key: b, points: '1', min: 0, max: -1}]", []Problem{{Path: "adjustments[0].max", Message: "less than min"}}},
	{"when not boolean", valid + "honours: [{key: h, when: 'score'}]", []Problem{{Path: "honours[0].when", Message: "must be true or false, not number"}}},
	{"when unknown rank", valid + "honours: [{key: h, when: 'rank.region == 1'}]", []Problem{{Path: "honours[0].when", Message: `unknown fact "rank.region"`, Line: 1, Column: 6}}},
	{"unknown scope", valid + "honours: [{key: h, scope: province}]", []Problem{{Path: "honours[0].scope", Message: "overall, level or cluster"}}},
	{"top zero", valid + "honours: [{key: h, top: 0}]", []Problem{{Path: "honours[0].top", Message: "at least 1"}}},
	{"duplicate honour", valid + "honours: [{key: h}, {key: h}]", []Problem{{Path: "honours[1].key", Message: "duplicate key"}}},
	{"unknown period", valid + "period: week\n", []Problem{{Path: "period", Message: `not "week"`}}},
	{"unknown timezone", valid + "timezone: Mars/Olympus\n", []Problem{{Path: "timezone", Message: "unknown time zone"}}},
	{"local timezone", valid + "timezone: Local\n", []Problem{{Path: "timezone", Message: "must name a zone"}}},
	{"bad cron", valid + "schedule: {score: '61 * * * *'}\n", []Problem{{Path: "schedule.score", Message: "invalid cron spec"}}},
	{"six-field cron", valid + "schedule: {close: '0 0 0 1 * *'}\n", []Problem{{Path: "schedule.close", Message: "invalid cron spec"}}},
	{"cron with a zone", valid + "schedule: {score: 'TZ=UTC 0 * * * *'}\n", []Problem{{Path: "schedule.score", Message: "time zone"}}},
	{"cron that panics", valid + "schedule: {score: 'TZ='}\n", []Problem{{Path: "schedule.score", Message: "time zone"}}},
	{"cron too often", valid + "schedule: {score: '@every 1s'}\n", []Problem{{Path: "schedule.score", Message: "every 1m0s"}}},
	{"bad descriptor", valid + "schedule: {score: '@fortnightly'}\n", []Problem{{Path: "schedule.score", Message: "invalid cron spec"}}},
	{"reporting every", valid + "reporting: {every: fortnight}\n", []Problem{{Path: "reporting.every", Message: "week, month or quarter"}}},
	{"reporting longer than period", valid + "period: month\nreporting: {every: quarter}\n", []Problem{{Path: "reporting.every", Message: "longer than the scoring period"}}},
	{"due days negative", valid + "reporting: {due_days: -1}\n", []Problem{{Path: "reporting.due_days", Message: "between 0 and 366"}}},
	{"unknown aggregate", valid + "judging: {aggregate: mode}\n", []Problem{{Path: "judging.aggregate", Message: "mean, median or trimmed_mean"}}},
	{"unknown normalize", valid + "judging: {normalize: minmax}\n", []Problem{{Path: "judging.normalize", Message: "zscore"}}},
	{"min judges zero", valid + "judging: {min_judges: 0}\n", []Problem{{Path: "judging.min_judges", Message: "at least 1"}}},
	{"rubric max zero", valid + "judging: {criteria: [{key: r, max: 0}]}\n", []Problem{{Path: "judging.criteria[0].max", Message: "greater than 0"}}},
	{"rubric max missing", valid + "judging: {criteria: [{key: r}]}\n", []Problem{{Path: "judging.criteria[0].max", Message: "is required"}}},
	{"rubric level above max", valid + "judging: {criteria: [{key: r, max: 10, levels: [{from: 0, to: 12, text: t}]}]}\n", []Problem{{Path: "judging.criteria[0].levels[0]", Message: "between 0 and the criterion's max (10)"}}},
	{"rubric level reversed", valid + "judging: {criteria: [{key: r, max: 10, levels: [{from: 5, to: 2, text: t}]}]}\n", []Problem{{Path: "judging.criteria[0].levels[0].to", Message: "less than from"}}},
	{"rubric levels overlap", valid + "judging: {criteria: [{key: r, max: 10, levels: [{from: 0, to: 5, text: t}, {from: 5, to: 10, text: u}]}]}\n", []Problem{{Path: "judging.criteria[0].levels[1].from", Message: "previous level's to (5)"}}},
	{"rubric level without text", valid + "judging: {criteria: [{key: r, max: 10, levels: [{from: 0, to: 5}]}]}\n", []Problem{{Path: "judging.criteria[0].levels[0].text", Message: "is required"}}},
	{"rubric weight zero", valid + "judging: {criteria: [{key: r, max: 10, weight: 0}]}\n", []Problem{{Path: "judging.criteria[0].weight", Message: "greater than 0"}}},
	{"rubric key shared with criteria is fine, duplicate is not", valid + "judging: {criteria: [{key: a, max: 1}, {key: a, max: 1}]}\n", []Problem{{Path: "judging.criteria[1].key", Message: "duplicate key"}}},
	{"multi-line expression", "schema: 1\ncriteria:\n  - key: a\n    weight: 1\n    value: |\n      projects.registered >= 1 &&\n        kpi.nope > 0 ? 1 : 0\n", []Problem{{Path: "criteria[0].value", Message: `unknown indicator "nope"`, Line: 2, Column: 7}}},
}

func TestCompileProblems(t *testing.T) {
	for _, tt := range problemCases {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Compile([]byte(tt.src), exampleIndicators)
			if rs != nil {
				t.Errorf("Compile(%q) returned a ruleset with error %v", tt.src, err)
			}
			got, ok := err.(Problems)
			if !ok {
				t.Fatalf("Compile(%q) error = %#v, want Problems", tt.src, err)
			}
			if !matchProblems(got, tt.want) {
				t.Errorf("Compile(%q) =\n%v\nwant\n%v", tt.src, got, Problems(tt.want))
			}
		})
	}
}

// matchProblems reports whether got are the wanted problems in order, with
// each wanted message a substring of the problem's.
func matchProblems(got, want []Problem) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		g := got[i]
		if g.Path != w.Path || !strings.Contains(g.Message, w.Message) || g.Line != w.Line || g.Column != w.Column {
			return false
		}
	}
	return true
}

// TestCompileEveryProblem checks that one document with many problems gets
// all of them, in document order, with their paths.
func TestCompileEveryProblem(t *testing.T) {
	src := `
schema: 3
timezone: Nowhere/City
period: fortnight
extra: true
schedule:
  score: "every day"
criteria:
  - key: has_project
    weight: 0
    value: "projects.registered >= 1 ? 1 : 0"
  - key: Bad
    weight: 10
    value: "kpi.unknown_indicator"
  - key: has_project
    weight: 10
    value: "unit.level > 3"
adjustments:
  - key: penalty
    points: "reports.missing > 1"
judging:
  aggregate: mode
  criteria:
    - {key: innovation, max: 0, weight: -1}
honours:
  - key: best
    scope: region
    top: 0
    when: "score"
`
	_, err := Compile([]byte(src), exampleIndicators)
	want := []Problem{
		{Path: "schema", Message: "unknown schema 3"},
		{Path: "extra", Message: "unknown field"},
		{Path: "schedule.score", Message: "invalid cron spec"},
		{Path: "criteria[0].weight", Message: "greater than 0"},
		{Path: "criteria[1].value", Message: `unknown indicator "unknown_indicator"`, Line: 1, Column: 5},
		{Path: "criteria[1].key", Message: "a-z, 0-9 and _"},
		{Path: "criteria[2].value", Message: "mismatched types", Line: 1, Column: 12},
		{Path: "criteria[2].key", Message: `duplicate key "has_project" (also criteria[0])`},
		{Path: "adjustments[0].points", Message: "must be a number, not bool"},
		{Path: "judging.aggregate", Message: "mean, median or trimmed_mean"},
		{Path: "judging.criteria[0].max", Message: "greater than 0"},
		{Path: "judging.criteria[0].weight", Message: "greater than 0"},
		{Path: "honours[0].scope", Message: "overall, level or cluster"},
		{Path: "honours[0].top", Message: "at least 1"},
		{Path: "honours[0].when", Message: "must be true or false"},
		{Path: "timezone", Message: "unknown time zone"},
		{Path: "period", Message: "fortnight"},
	}
	got, _ := err.(Problems)
	if !matchProblems(got, want) {
		t.Errorf("Compile(many problems) =\n%v\nwant\n%v", got, Problems(want))
	}
}

func TestProblemsError(t *testing.T) {
	ps := Problems{
		{Path: "criteria[1].value", Message: `unknown indicator "x"`, Line: 1, Column: 5},
		{Message: "syntax error: did not find expected key", Line: 4},
		{Path: "schema", Message: "is required"},
	}
	want := "criteria[1].value: unknown indicator \"x\" (1:5)\nsyntax error: did not find expected key (line 4)\nschema: is required"
	if got := ps.Error(); got != want {
		t.Errorf("Problems.Error() = %q, want %q", got, want)
	}
	b, err := json.Marshal(ps[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"field":"criteria[1].value","message":"unknown indicator \"x\"","line":1,"column":5}`; got != want {
		t.Errorf("json.Marshal(Problem) = %s, want %s", got, want)
	}
}

// TestCompileAliases checks that YAML anchors and aliases are followed.
func TestCompileAliases(t *testing.T) {
	src := `
schema: 1
criteria:
  - &base {key: a, weight: 5, value: "1"}
adjustments:
  - {key: b, points: "1", min: &floor -3}
honours:
  - {key: h, min_score: *floor}
`
	rs, err := Compile([]byte(src), nil)
	if err != nil {
		t.Fatalf("Compile(aliases) = %v", err)
	}
	if got := *rs.Honours[0].MinScore; got != -3 {
		t.Errorf("honours[0].min_score = %v, want -3", got)
	}
	if !reflect.DeepEqual(rs.Criteria[0].Weight, 5.0) {
		t.Errorf("criteria[0].weight = %v, want 5", rs.Criteria[0].Weight)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A criterion and an adjustment may say in words what they measure.
func TestCompileDescription(t *testing.T) {
	src := "schema: 1\ncriteria: [{key: a, weight: 1, value: '1', description: Có công trình chuyển đổi số}]\n" +
		"adjustments: [{key: b, points: '-1', description: Trừ khi thiếu báo cáo}]"
	rs, err := Compile([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Criteria[0].Description != "Có công trình chuyển đổi số" || rs.Adjustments[0].Description != "Trừ khi thiếu báo cáo" {
		t.Errorf("descriptions = %q, %q", rs.Criteria[0].Description, rs.Adjustments[0].Description)
	}
	if _, err := Compile([]byte("schema: 1\ncriteria: [{key: a, weight: 1, value: '1', description: [x]}]"), nil); err == nil {
		t.Error("a description that is not text is accepted")
	}
}
