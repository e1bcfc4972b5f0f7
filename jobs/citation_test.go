package jobs

import (
	"testing"

	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// TestCitation: a citation says the period, the level and the cluster in
// words, not by their codes.
func TestCitation(t *testing.T) {
	rs := &rules.Ruleset{Honours: []rules.Honour{{Key: "top", Top: 1}, {Key: "over"}}}
	q4, err := rules.ParsePeriod("2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	clusters := map[string]string{"cum-2": "Cụm thi đua số 2", "khoi-x": "khoi-x"}
	for _, tc := range []struct {
		award scoring.Award
		want  string
	}{
		{scoring.Award{Honour: "top", Scope: rules.ScopeOverall, Rank: 1, Score: 91.5}, "Đạt 91,50 điểm, xếp hạng 1 toàn phong trào, kỳ quý IV/2026."},
		{scoring.Award{Honour: "top", Scope: rules.ScopeLevel, Group: "commune", Rank: 1, Score: 80}, "Đạt 80,00 điểm, xếp hạng 1 cấp xã, phường, kỳ quý IV/2026."},
		{scoring.Award{Honour: "top", Scope: rules.ScopeCluster, Group: "cum-2", Rank: 1, Score: 80}, "Đạt 80,00 điểm, xếp hạng 1 trong Cụm thi đua số 2, kỳ quý IV/2026."},
		{scoring.Award{Honour: "top", Scope: rules.ScopeCluster, Group: "khoi-x", Rank: 1, Score: 80}, "Đạt 80,00 điểm, xếp hạng 1 cụm, khối khoi-x, kỳ quý IV/2026."},
		{scoring.Award{Honour: "over", Score: 66.666}, "Đạt 66,67 điểm, kỳ quý IV/2026."},
	} {
		if got := citation(rs, tc.award, q4, clusters); got != tc.want {
			t.Errorf("citation(%+v) = %q, want %q", tc.award, got, tc.want)
		}
	}
}
