package platform

import (
	"fmt"
	"testing"

	"github.com/thidua/thidua/scoring"
)

func result(code, level string, clusters []string, total float64, overall, lvl int, cl map[string]int, projects int) scoring.Result {
	r := scoring.Result{Code: code, Name: "Đơn vị " + code, Level: level, Clusters: clusters, Total: total, Max: 100,
		Eligible: overall > 0, Rank: scoring.Ranks{Overall: overall, Level: lvl, Cluster: cl}}
	r.Facts.Projects.Registered = projects
	return r
}

// TestReviewFigures: coverage, heads (ties at the border kept), and the
// change of ranks since the previous board, on a board in overall order.
func TestReviewFigures(t *testing.T) {
	now := scoring.NewTable(&scoring.Board{Results: []scoring.Result{
		result("A", "commune", []string{"c-2"}, 90, 1, 1, map[string]int{"c-2": 1}, 2),
		result("B", "commune", []string{"c-10"}, 80, 2, 2, map[string]int{"c-10": 1}, 1),
		result("C", "commune", []string{"c-2"}, 70, 3, 3, map[string]int{"c-2": 2}, 1),
		result("D", "commune", []string{"c-2"}, 70, 3, 3, map[string]int{"c-2": 2}, 1),
		result("E", "commune", []string{"c-2"}, 60, 5, 5, map[string]int{"c-2": 4}, 1),
		result("F", "city", nil, -10, 0, 0, nil, 0),
	}})
	cov := coverageOf(now, []string{"city", "commune"}, map[string]string{"c-2": "Cụm 2"})
	if cov.Total != (CoverageLine{Units: 6, WithProject: 5}) || len(cov.Levels) != 2 || cov.Levels[0] != (CoverageLine{Group: "city", Units: 1}) ||
		cov.Levels[1] != (CoverageLine{Group: "commune", Units: 5, WithProject: 5}) {
		t.Errorf("coverage = %+v", cov)
	}
	if len(cov.Clusters) != 2 || cov.Clusters[0] != (CoverageLine{Group: "c-2", Name: "Cụm 2", Units: 4, WithProject: 4}) || cov.Clusters[1].Name != "c-10" {
		t.Errorf("clusters = %+v, want c-2 (named) before c-10", cov.Clusters)
	}

	heads := headsOf(now, []string{"city", "commune"}, nil)
	var got []string
	for _, h := range heads {
		codes := h.Scope.String() + ":"
		for _, e := range h.Entries {
			codes += fmt.Sprintf(" %d%s", e.Rank, e.Code)
		}
		got = append(got, codes)
	}
	// c-2's head is its three best ranks: C and D share the second place.
	want := []string{"overall: 1A 2B 3C 3D 5E", "level:city:", "level:commune: 1A 2B 3C 3D", "cluster:c-2: 1A 2C 2D", "cluster:c-10: 1B"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("heads = %q, want %q", got, want)
	}

	before := scoring.NewTable(&scoring.Board{Results: []scoring.Result{
		result("C", "commune", nil, 95, 1, 1, nil, 1),
		result("A", "commune", nil, 85, 2, 2, nil, 1),
		result("D", "commune", nil, 70, 3, 3, nil, 1),
		result("G", "commune", nil, 60, 4, 4, nil, 1), // gone since
		result("E", "commune", nil, 0, 0, 0, nil, 0),
	}})
	units := unitsOf(now)
	ch := changeOf(units, before)
	// A 2→1 up, C 1→3 down, D 3→3 same, E newly ranked, B new to the
	// campaign and ranked, F unranked in both, G gone.
	if ch.Up != 1 || ch.Down != 1 || ch.Same != 1 || ch.Entered != 2 || ch.Left != 1 || ch.MeanBefore != 62 || ch.MeanNow != 60 {
		t.Errorf("change = %+v", ch)
	}
	if len(ch.Risers) != 1 || ch.Risers[0].Code != "A" || len(ch.Fallers) != 1 || ch.Fallers[0] != (Move{Code: "C", Name: "Đơn vị C", Before: 1, After: 3, ScoreBefore: 95, ScoreAfter: 70}) {
		t.Errorf("risers %+v, fallers %+v", ch.Risers, ch.Fallers)
	}
	if p := units[0].Previous; p == nil || *p != (PreviousResult{Rank: 2, Score: 85}) || units[1].Previous != nil {
		t.Errorf("A's previous = %+v, B's %+v", units[0].Previous, units[1].Previous)
	}
}
