package scoring

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/thidua/thidua/rules"
)

func TestSnapshotRoundTrip(t *testing.T) {
	rs, err := rules.Compile([]byte(`schema: 1
criteria:
  - {key: a, title: "Tiêu chí A", weight: 60, value: "kpi.x"}
  - {key: b, title: "Tiêu chí B", weight: 40, value: "projects.registered >= 1 ? 1 : 0", required: true}
adjustments:
  - {key: late, title: "Nộp muộn", points: "-1 * reports.late"}
`), []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	var units []Unit
	for i := range 5000 { // enough for several parallel chunks
		units = append(units, Unit{Code: string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676)), Name: "Phường Định Công",
			Level: "commune", Kind: "front", Clusters: []string{"cum-1"},
			Facts: rules.Facts{KPI: map[string]float64{"x": float64(i%100) / 100}, Target: map[string]float64{"x": 1},
				Reported: map[string]bool{"x": true}, Projects: rules.ProjectFacts{Registered: i % 3}, Reports: rules.ReportFacts{Late: i % 2}}})
	}
	want := Score(rs, units)
	var buf bytes.Buffer
	if err := EncodeBoard(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeBoard(&buf, rs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeBoard(EncodeBoard(b)) differs from b: first results %+v vs %+v", got.Results[0], want.Results[0])
	}
}

// TestAppendResultMatchesJSON: the hand-written encoder writes what
// encoding/json writes (titles aside), escapes included.
func TestAppendResultMatchesJSON(t *testing.T) {
	r := Result{Code: `X-"1"\`, Name: "Tổ số 5\n<b>", Level: "commune", Kind: "front", Clusters: []string{"cum-1"},
		Total: 1e-7, Max: 100, Eligible: true,
		Criteria:    []Line{{Key: "a", Value: 0.1 + 0.2, Points: 12.3456}, {Key: "b", Error: "division"}},
		Adjustments: []Line{},
		Rank:        Ranks{Overall: 3, Level: 2, Cluster: map[string]int{"cum-1": 1, "a": 2}},
		Facts: rules.Facts{KPI: map[string]float64{"x": 0.5, "a": 1e22}, Target: map[string]float64{}, Reported: nil,
			Projects: rules.ProjectFacts{Registered: 2, Adopted: 1}, Judging: rules.JudgingFacts{Best: 0.78, Projects: 1}}}
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var a, b Result
	json.Unmarshal(want, &a)
	if err := json.Unmarshal(appendResult(nil, &r), &b); err != nil {
		t.Fatalf("appendResult wrote invalid JSON: %v\n%s", err, appendResult(nil, &r))
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("appendResult = %s\nencoding/json = %s", appendResult(nil, &r), want)
	}
}
