package rules

import "testing"

// TestSourceLine: each problem Compile reports points at its line of the
// source, inside a multi-line expression too.
func TestSourceLine(t *testing.T) {
	src := `schema: 1
period: quarter
schedule:
  score: "0 2 * * *"
  close: "61 * * * *"
criteria:
  - key: a
    weight: 10
    value: "1"
  - key: b
    weight: 10
    value: |
      kpi.cashless
        + nonsense.fact
judging:
  criteria:
    - {key: r, max: 10}
    - key: s
`
	_, err := Compile([]byte(src), exampleIndicators)
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("Compile = %v, want Problems", err)
	}
	want := map[string]int{"schedule.close": 5, "criteria[1].value": 14, "judging.criteria[1].max": 18}
	for _, p := range ps {
		line, ok := want[p.Path]
		if !ok {
			t.Errorf("unexpected problem %v", p)
			continue
		}
		if got := p.SourceLine([]byte(src)); got != line {
			t.Errorf("%v: SourceLine = %d, want %d", p, got, line)
		}
		delete(want, p.Path)
	}
	if len(want) > 0 {
		t.Errorf("problems not reported: %v", want)
	}
	if got := (Problem{Message: "syntax error", Line: 3}).SourceLine([]byte("a: [")); got != 3 {
		t.Errorf("a syntax error's SourceLine = %d, want its line 3", got)
	}
	specs := CronSpecs([]byte(src))
	if len(specs) != 2 || specs[0] != (CronSpec{"score", "0 2 * * *", 4}) || specs[1] != (CronSpec{"close", "61 * * * *", 5}) {
		t.Errorf("CronSpecs = %+v", specs)
	}
	if specs := CronSpecs([]byte("schema: 1\n")); specs != nil {
		t.Errorf("CronSpecs without a schedule = %+v, want none", specs)
	}
}
