package rules

import (
	"fmt"
	"strings"
	"testing"
)

// TestSteps counts what expressions cost, a predicate's body once per
// item of its list.
func TestSteps(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"judging.best", 3},                     // member, identifier, property
		{"projects.registered >= 1 ? 1 : 0", 8}, // conditional, binary, member (3), three constants
		// The compiler makes it sum(list, predicate): *, sum, the list, the
		// predicate, 0, and the body (#, *, 2) once for each of 3 items.
		{"sum(map([1, 2, 3], # * 2)) * 0", 5 + 3*3},
	} {
		prog, problems := newCompiler(exampleIndicators).compile("value", tc.src, numeric)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", tc.src, problems)
		}
		if got := steps(prog); got != tc.want {
			t.Errorf("steps(%s) = %d, want %d", tc.src, got, tc.want)
		}
	}
}

// TestCostlyRuleset: the probe's valid ruleset (330 criteria, each mapping
// a list of 160 items) would take minutes a run; it is refused at its
// costliest criterion, and the example is far below the bound.
func TestCostlyRuleset(t *testing.T) {
	if n := steps(compileExample(t).Criteria[0].program); n > 50 {
		t.Errorf("the example's first criterion takes %d steps", n)
	}
	total := 0
	for _, c := range compileExample(t).Criteria {
		total += steps(c.program)
	}
	if total*20 > MaxSteps {
		t.Errorf("the example's criteria take %d steps: the bound %d leaves too little room", total, MaxSteps)
	}
	list := "[" + strings.Repeat("1, ", 159) + "1]"
	var b strings.Builder
	b.WriteString("schema: 1\nperiod: quarter\ncriteria:\n  - {key: cheap, title: Rẻ, weight: 10, value: \"judging.best\"}\n")
	for i := range 330 {
		fmt.Fprintf(&b, "  - {key: heavy_%d, title: Nặng, weight: 1, value: \"sum(map(%s, # * # + 1)) * 0\"}\n", i, list)
	}
	_, err := Compile([]byte(b.String()), exampleIndicators)
	ps, ok := err.(Problems)
	if !ok || len(ps) != 1 || ps[0].Path != "criteria[1].value" || !strings.Contains(ps[0].Message, "steps to score one unit") {
		t.Fatalf("Compile(the probe's ruleset) = %v, want one problem at criteria[1].value", err)
	}
	if vi := ps[0].Text("vi"); !strings.Contains(vi, "bước để chấm một đơn vị") {
		t.Errorf("in Vietnamese: %q", vi)
	}
}
