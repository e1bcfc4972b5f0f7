package scoring

import (
	"cmp"
	"slices"

	"github.com/thidua/thidua/rules"
)

// Award is an honour granted to a unit in one group of the honour's scope.
type Award struct {
	Honour string `json:"honour"` // the honour's key
	Title  string `json:"title"`
	Unit   string `json:"unit"` // the unit's code
	Scope  string `json:"scope"`
	// Group is the level or cluster the award was won in; empty for overall.
	Group string `json:"group"`
	// Rank is the unit's rank in the group; Score its total.
	Rank  int     `json:"rank"`
	Score float64 `json:"score"`
}

// Honours grants the ruleset's honours on a board, as when a period is
// closed. For each honour and each group of its scope (one overall, one per
// level, one per cluster), it goes to every eligible unit whose rank in the
// group is within the honour's top (so ties at the border all get it), whose
// total is at least its min_score, and for which its when holds. The best
// top are chosen by rank before the other conditions apply: a unit ranked
// below the top never gets the honour because one above it failed them.
//
// In when, rank.cluster is the unit's best cluster rank. A when that cannot
// be evaluated for a unit (a runtime error) does not hold.
//
// Awards are ordered by honour (in ruleset order), group, rank and code.
func Honours(rs *rules.Ruleset, b *Board) []Award {
	e := rs.NewEvaluator()
	var awards []Award
	for hi, h := range rs.Honours {
		start := len(awards)
		for i := range b.Results {
			r := &b.Results[i]
			if !r.Eligible || (h.MinScore != nil && r.Total < *h.MinScore) {
				continue
			}
			checked, holds := false, false
			for _, g := range groups(h.Scope, r) {
				if h.Top > 0 && g.rank > h.Top {
					continue
				}
				if !checked {
					checked = true
					holds, _ = e.When(hi, honourFacts(r))
				}
				if holds {
					awards = append(awards, Award{Honour: h.Key, Title: h.Title, Unit: r.Code,
						Scope: h.Scope, Group: g.name, Rank: g.rank, Score: r.Total})
				}
			}
		}
		// Results are in rank order within every group; order the groups.
		slices.SortStableFunc(awards[start:], func(a, b Award) int { return cmp.Compare(a.Group, b.Group) })
	}
	return awards
}

// group is a unit's award group in a scope, and its rank there.
type group struct {
	name string
	rank int
}

// groups lists r's groups in the scope.
func groups(scope string, r *Result) []group {
	switch scope {
	case rules.ScopeLevel:
		return []group{{r.Level, r.Rank.Level}}
	case rules.ScopeCluster:
		gs := make([]group, 0, len(r.Rank.Cluster))
		for _, c := range r.Clusters {
			if rank, ok := r.Rank.Cluster[c]; ok && !slices.ContainsFunc(gs, func(g group) bool { return g.name == c }) {
				gs = append(gs, group{c, rank})
			}
		}
		return gs
	}
	return []group{{"", r.Rank.Overall}}
}

// honourFacts are what a when reads about r.
func honourFacts(r *Result) *rules.HonourFacts {
	h := &rules.HonourFacts{Facts: r.Facts, Score: r.Total}
	h.Rank.Overall, h.Rank.Level = r.Rank.Overall, r.Rank.Level
	for _, rank := range r.Rank.Cluster {
		if rank > 0 && (h.Rank.Cluster == 0 || rank < h.Rank.Cluster) {
			h.Rank.Cluster = rank
		}
	}
	return h
}
