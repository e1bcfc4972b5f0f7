package rules

import (
	"math"
	"os"
	"testing"
)

// FuzzCompile checks that no document makes Compile panic, and that no
// compiled ruleset makes evaluation panic or return a non-finite number.
func FuzzCompile(f *testing.F) {
	example, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	for _, seed := range []string{
		valid,
		`{"schema": 1, "criteria": [{"key": "a", "weight": 2, "value": "kpi.staff_trained / target.staff_trained"}]}`,
		"schema: 1\ncriteria: [{key: a, weight: 1, value: '1/0 + 0/0'}]\nadjustments: [{key: b, points: 'projects.registered % 0', min: -1}]",
		"schema: 1\ncriteria: [{key: a, weight: 1, value: '[1][reports.due]'}]\nhonours: [{key: h, when: 'score > 1 && rank.cluster == 1'}]",
		"schema: 1\nschedule: {score: 'TZ='}\ncriteria: [{key: a, weight: 1, value: 'let x = 2; x ** 1024'}]",
		"a: &a [*a]\nschema: *a",
		"schema: 1\ncriteria: &c [{key: a, weight: 1, value: '1'}]\nhonours: *c",
		"schema: 1\ncriteria: [{key: a, weight: 1, value: 'map(1..3, # / 0)[0] + sum(filter([1,2], # > 1))'}]",
		"- [\n",
		"~",
		"schema: 1\ncriteria: [{key: a, weight: 1, value: \"kpi.staff_trained\"}]\n---\nschema: 2",
	} {
		f.Add([]byte(seed))
	}
	facts := []Facts{
		{},
		sampleFacts,
		{Projects: ProjectFacts{Registered: -1, Adopted: 1 << 62}, Reports: ReportFacts{Due: -3}, KPI: map[string]float64{"staff_trained": 1e308}},
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		rs, err := Compile(src, exampleIndicators)
		if err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("Compile error %T, want Problems", err)
			}
			return
		}
		if rs.Location == nil || len(rs.Criteria) == 0 || !rs.Period.Valid() || rs.Judging.MinJudges < 1 {
			t.Fatalf("Compile accepted an incomplete ruleset: %+v", rs)
		}
		for _, c := range rs.Criteria {
			if c.program == nil || c.Weight <= 0 {
				t.Fatalf("criterion %q has no program or weight %v", c.Key, c.Weight)
			}
		}
		for _, a := range rs.Adjustments {
			if a.program == nil {
				t.Fatalf("adjustment %q has no program", a.Key)
			}
		}
		e := rs.NewEvaluator()
		for _, fs := range facts {
			for i := range rs.Criteria {
				if v, _ := e.Value(i, &fs); math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("Value(%d) = %v", i, v)
				}
			}
			for i := range rs.Adjustments {
				if v, _ := e.Points(i, &fs); math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("Points(%d) = %v", i, v)
				}
			}
			h := HonourFacts{Facts: fs, Score: 50, Rank: RankFacts{Overall: 1}}
			for i := range rs.Honours {
				e.When(i, &h)
			}
		}
	})
}

// FuzzExpression checks that no expression makes the compiler panic or
// compile with problems unreported, and that no compiled one costs more
// than its bound in steps, panics when evaluated, or returns a non-finite
// number.
func FuzzExpression(f *testing.F) {
	for _, seed := range []string{
		"kpi.staff_trained / target.staff_trained",
		"projects.registered >= 1 ? 1 : 0",
		"reports.due == 0 ? 1 : reports.on_time / reports.due",
		"sum(map([1, 2, 3], # * # + 1)) * 0",
		"max(judging.best, judging.mean) ** 2",
		"1 / 0 + 0 % 0",
		"[1, 2][reports.due]",
		"len(unit.kind) > 3 ? 1 : 0",
		"all([1, 2], # > 0) ? 1 : 0",
		`lower(unit.level) == "commune" ? 1 : 0.5`,
	} {
		f.Add(seed)
	}
	c := newCompiler(exampleIndicators)
	f.Fuzz(func(t *testing.T, src string) {
		prog, problems := c.compile("value", src, numeric)
		if prog == nil {
			if len(problems) == 0 {
				t.Fatalf("compile(%q): no program and no problem", src)
			}
			return
		}
		if n := steps(prog); n > maxExpressionNodes*maxExpressionNodes+maxExpressionNodes {
			t.Fatalf("steps(%q) = %d, beyond any expression's bound", src, n)
		}
		rs := &Ruleset{Criteria: []Criterion{{Key: "a", Weight: 1, Value: src, program: prog}}}
		e := rs.NewEvaluator()
		for _, fs := range []Facts{{}, sampleFacts} {
			if v, _ := e.Value(0, &fs); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("Value(%q) = %v, want a finite number", src, v)
			}
		}
	})
}
