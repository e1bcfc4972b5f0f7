package platform

import (
	"cmp"
	"slices"

	"github.com/thidua/thidua/app/natural"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// The figures of a review that a snapshot holds, each computed in one pass
// over its board: no query per unit, whatever the campaign's size.

// orderLevels orders the levels of the board's units as levels lists them
// (the levels nearer the root first), any other after them by name.
func orderLevels(seen map[string]bool, levels []string) []string {
	var out []string
	for _, l := range levels {
		if seen[l] {
			out = append(out, l)
		}
	}
	var rest []string
	for l := range seen {
		if !slices.Contains(levels, l) {
			rest = append(rest, l)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// coverageOf counts the units with a project registered by the period's
// end (the snapshot's projects.registered), overall, by level and by
// cluster (by code).
func coverageOf(b *scoring.Table, levels []string, names map[string]string) ReviewCoverage {
	byLevel := map[string]*CoverageLine{}
	byCluster := map[string]*CoverageLine{}
	line := func(m map[string]*CoverageLine, group, name string) *CoverageLine {
		l, ok := m[group]
		if !ok {
			l = &CoverageLine{Group: group, Name: name}
			m[group] = l
		}
		return l
	}
	var cov ReviewCoverage
	b.Facts(func(r *scoring.Standing, f *rules.Facts) {
		has := 0
		if f.Projects.Registered > 0 {
			has = 1
		}
		cov.Total.Units++
		cov.Total.WithProject += has
		l := line(byLevel, r.Level, "")
		l.Units++
		l.WithProject += has
		for _, c := range r.Clusters {
			l := line(byCluster, c, cmp.Or(names[c], c))
			l.Units++
			l.WithProject += has
		}
	})
	seen := map[string]bool{}
	for l := range byLevel {
		seen[l] = true
	}
	for _, l := range orderLevels(seen, levels) {
		cov.Levels = append(cov.Levels, *byLevel[l])
	}
	for _, l := range byCluster {
		cov.Clusters = append(cov.Clusters, *l)
	}
	slices.SortFunc(cov.Clusters, func(a, b CoverageLine) int { return natural.Compare(a.Group, b.Group) })
	return cov
}

// indicatorsOf computes each indicator's mean over the units that reported
// it in the period, and how many of them reached their own target.
func indicatorsOf(b *scoring.Table, inds []store.Indicator) []IndicatorResult {
	out := make([]IndicatorResult, len(inds))
	for k, in := range inds {
		out[k] = IndicatorResult{Indicator: in}
	}
	b.Facts(func(_ *scoring.Standing, f *rules.Facts) {
		for k := range out {
			res := &out[k]
			v, ok := f.KPI[res.Key]
			if !ok || !f.Reported[res.Key] {
				continue
			}
			res.Reported++
			res.Sum += v
			target, ok := f.Target[res.Key]
			if !ok {
				target = res.Target
			}
			if v >= target {
				res.Met++
			}
		}
	})
	for k := range out {
		if res := &out[k]; res.Reported > 0 {
			res.Mean = res.Sum / float64(res.Reported)
		}
	}
	return out
}

// headsOf takes the head of the overall leaderboard and of each level's
// and each cluster's (clusters by code), in one pass over the board, which
// is in overall order: so is every scope's leaderboard.
func headsOf(b *scoring.Table, levels []string, names map[string]string) []Head {
	overall := &Head{Scope: scoring.Scope{Kind: rules.ScopeOverall}}
	byLevel := map[string]*Head{}
	byCluster := map[string]*Head{}
	head := func(m map[string]*Head, kind, group, name string) *Head {
		h, ok := m[group]
		if !ok {
			h = &Head{Scope: scoring.Scope{Kind: kind, Group: group}, Name: name}
			m[group] = h
		}
		return h
	}
	add := func(h *Head, top, rank int, r *scoring.Standing) {
		h.Units++
		if rank > 0 && rank <= top && len(h.Entries) < 2*top {
			h.Entries = append(h.Entries, HeadEntry{Rank: rank, Code: r.Code, Name: r.Name, Score: r.Total, Max: r.Max})
		}
	}
	for i := range b.Results {
		r := &b.Results[i]
		add(overall, headOverall, int(r.Rank.Overall), r)
		add(head(byLevel, rules.ScopeLevel, r.Level, ""), headGroup, int(r.Rank.Level), r)
		for _, c := range r.Clusters {
			add(head(byCluster, rules.ScopeCluster, c, cmp.Or(names[c], c)), headGroup, r.ClusterRank(c), r)
		}
	}
	out := []Head{*overall}
	seen := map[string]bool{}
	for l := range byLevel {
		seen[l] = true
	}
	for _, l := range orderLevels(seen, levels) {
		out = append(out, *byLevel[l])
	}
	clusters := make([]Head, 0, len(byCluster))
	for _, h := range byCluster {
		clusters = append(clusters, *h)
	}
	slices.SortFunc(clusters, func(a, b Head) int { return natural.Compare(a.Scope.Group, b.Scope.Group) })
	return append(out, clusters...)
}

// unitsOf lists every unit's result, in overall order.
func unitsOf(b *scoring.Table) []ReviewUnit {
	out := make([]ReviewUnit, 0, len(b.Results))
	b.Facts(func(r *scoring.Standing, f *rules.Facts) {
		out = append(out, ReviewUnit{Rank: int(r.Rank.Overall), Code: r.Code, Name: r.Name, Level: r.Level, Clusters: r.Clusters,
			Score: r.Total, Max: r.Max, Eligible: r.Eligible, Projects: f.Projects.Registered})
	})
	return out
}

// judgingOf counts the projects with a final judging score in the
// snapshot's facts, and their mean score.
func judgingOf(b *scoring.Table) ReviewJudging {
	var j ReviewJudging
	var sum float64
	b.Facts(func(_ *scoring.Standing, f *rules.Facts) {
		j.Projects += f.Judging.Projects
		sum += f.Judging.Mean * float64(f.Judging.Projects)
	})
	if j.Projects > 0 {
		j.Mean = sum / float64(j.Projects)
	}
	return j
}

// changeOf sets each unit's previous result from the previous period's
// board and counts the moves of the overall ranks.
func changeOf(units []ReviewUnit, before *scoring.Table) *ReviewChange {
	prev := make(map[string]*scoring.Standing, len(before.Results))
	ch := &ReviewChange{UnitsBefore: len(before.Results), UnitsNow: len(units)}
	var sumBefore, sumNow float64
	for i := range before.Results {
		r := &before.Results[i]
		prev[r.Code] = r
		sumBefore += r.Total
	}
	var moves []Move
	for i := range units {
		u := &units[i]
		sumNow += u.Score
		p, ok := prev[u.Code]
		if !ok {
			if u.Rank > 0 {
				ch.Entered++
			}
			continue
		}
		before := int(p.Rank.Overall)
		u.Previous = &PreviousResult{Rank: before, Score: p.Total}
		switch {
		case u.Rank > 0 && before == 0:
			ch.Entered++
		case u.Rank == 0 && before > 0:
			ch.Left++
		case u.Rank == 0:
		case u.Rank < before:
			ch.Up++
		case u.Rank > before:
			ch.Down++
		default:
			ch.Same++
		}
		if u.Rank > 0 && before > 0 && u.Rank != before {
			moves = append(moves, Move{Code: u.Code, Name: u.Name, Before: before, After: u.Rank,
				ScoreBefore: p.Total, ScoreAfter: u.Score})
		}
	}
	if len(before.Results) > 0 {
		ch.MeanBefore = sumBefore / float64(len(before.Results))
	}
	if len(units) > 0 {
		ch.MeanNow = sumNow / float64(len(units))
	}
	now := make(map[string]bool, len(units))
	for i := range units {
		now[units[i].Code] = true
	}
	for code, p := range prev { // ranked before, out of the campaign now
		if p.Rank.Overall > 0 && !now[code] {
			ch.Left++
		}
	}
	rise := func(m Move) int { return m.Before - m.After }
	for _, m := range moves {
		if rise(m) > 0 {
			ch.Risers = append(ch.Risers, m)
		} else {
			ch.Fallers = append(ch.Fallers, m)
		}
	}
	slices.SortFunc(ch.Risers, func(a, b Move) int { return cmp.Or(cmp.Compare(rise(b), rise(a)), cmp.Compare(a.Code, b.Code)) })
	slices.SortFunc(ch.Fallers, func(a, b Move) int { return cmp.Or(cmp.Compare(rise(a), rise(b)), cmp.Compare(a.Code, b.Code)) })
	ch.Risers = ch.Risers[:min(len(ch.Risers), reviewMoves)]
	ch.Fallers = ch.Fallers[:min(len(ch.Fallers), reviewMoves)]
	return ch
}
