package platform

import (
	"maps"
	"slices"
	"testing"

	"github.com/thidua/thidua/scoring"
)

// TestRankChange: the rank changes read from the ranks kept of the run
// before, in every kind of scope, whether that run's ranks were read from
// its snapshot or from its table; none for a unit or a cluster the run
// before did not rank.
func TestRankChange(t *testing.T) {
	before := map[string]scoring.Ranks{
		"a": {Overall: 3, Level: 2, Cluster: map[string]int{"x": 2, "y": 1}},
		"b": {Overall: 1, Level: 1, Cluster: map[string]int{"x": 1}},
		"c": {},
	}
	var prev scoring.Board
	for _, code := range []string{"b", "a", "c"} {
		r := before[code]
		prev.Results = append(prev.Results, scoring.Result{Code: code, Clusters: slices.Sorted(maps.Keys(r.Cluster)),
			Eligible: r.Overall > 0, Rank: r})
	}
	now := scoring.NewTable(&scoring.Board{Results: []scoring.Result{
		{Code: "d", Clusters: []string{"y"}}, {Code: "a", Clusters: []string{"y", "x"}},
		{Code: "b", Clusters: []string{"x", "y"}}, {Code: "c"},
	}})
	entry := func(code string, rank int) scoring.Entry {
		return scoring.Entry{Rank: rank, Result: &scoring.Standing{Code: code}}
	}
	tests := []struct {
		scope scoring.Scope
		e     scoring.Entry
		want  *int
	}{
		{scoring.Scope{Kind: "overall"}, entry("a", 1), ptr(2)},
		{scoring.Scope{Kind: "level", Group: "ward"}, entry("a", 3), ptr(-1)},
		{scoring.Scope{Kind: "cluster", Group: "x"}, entry("a", 2), ptr(0)},
		{scoring.Scope{Kind: "cluster", Group: "y"}, entry("a", 2), ptr(-1)},
		{scoring.Scope{Kind: "cluster", Group: "x"}, entry("b", 3), ptr(-2)},
		{scoring.Scope{Kind: "cluster", Group: "y"}, entry("b", 1), nil}, // not in y before
		{scoring.Scope{Kind: "overall"}, entry("c", 1), nil},             // unranked before
		{scoring.Scope{Kind: "overall"}, entry("d", 1), nil},             // absent before
		{scoring.Scope{Kind: "cluster", Group: "y"}, entry("d", 1), nil},
		{scoring.Scope{Kind: "overall"}, entry("e", 1), nil}, // not on the board
		{scoring.Scope{Kind: "overall"}, entry("a", 0), nil}, // unranked now
	}
	for source, ranks := range map[string]rankSource{"snapshot": mapRanks(before), "table": tableRanks(scoring.NewTable(&prev))} {
		lb := &Leaderboard{Table: now, previous: alignRanks(now, ranks)}
		for _, tt := range tests {
			got := lb.RankChange(tt.scope, tt.e)
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("%s: RankChange(%v, %s #%d) = %v, want %v", source, tt.scope, tt.e.Result.Code, tt.e.Rank, show(got), show(tt.want))
			}
		}
	}
}

func ptr(n int) *int { return &n }

func show(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
