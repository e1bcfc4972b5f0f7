package scoring

import (
	"cmp"
	"math"
	"slices"

	"github.com/thidua/thidua/rules"
)

// JudgeScore is one judge's score of one project: a raw value in 0..max for
// each rubric criterion, by key. Unit, the project's unit's id, matters
// only for a committee's UnitFacts.
type JudgeScore struct {
	Project  int64              `json:"project"`
	Unit     int64              `json:"unit,omitempty"`
	Judge    int64              `json:"judge"`
	Criteria map[string]float64 `json:"criteria"`
}

// ProjectResult is a project's judging result.
type ProjectResult struct {
	Project int64 `json:"project"`
	// Score is the judges' scores aggregated, 0..1.
	Score float64 `json:"score"`
	// Judges is how many judges scored the project.
	Judges int `json:"judges"`
	// Spread is the highest minus the lowest of the scores aggregated: how
	// much the judges disagree.
	Spread float64 `json:"spread"`
	// Final is whether at least the ruleset's min_judges scored the
	// project; only final results count in the judging facts.
	Final bool `json:"final"`
}

// AggregateJudging computes every scored project's result: a Committee
// given every score.
func AggregateJudging(j rules.Judging, scores []JudgeScore) map[int64]ProjectResult {
	c := NewCommittee(j)
	for _, s := range scores {
		c.Add(s)
	}
	return c.Results()
}

// Committee turns a judging round's scores, taken one at a time, into
// project results and units' judging facts.
//
// A judge's score of a project is Σ(weight × value/max) / Σ weight over the
// rubric, in 0..1: a missing criterion counts 0, values are clamped to
// 0..max, and keys outside the rubric are ignored. With normalize zscore,
// each judge's scores are first standardised (z = (s − the judge's mean) /
// the judge's standard deviation, or 0 for a judge whose scores do not vary,
// including a judge with one score), then mapped onto the mean and standard
// deviation of all judges' scores together, clamped to 0..1. The scores of a
// project are then aggregated by the mean, the median, or the trimmed mean
// (which drops one highest and one lowest score when there are at least 4).
// Standard deviations are population ones.
//
// Results do not depend on the order of scores, as long as each judge
// scores a project once; if a judge appears twice for a project, the later
// score counts. A committee holds 32 bytes per score and no pointers, so
// that a national round of a million scores costs the collector nothing.
type Committee struct {
	rubric  rules.Judging
	weights float64
	units   []int64
	unitOf  map[int64]int32
	// Scores come in chunks (a million of them never regrow one slice) and
	// are settled into one slice, in order, when first asked for results.
	chunks [][]judged
	taken  int
	scores []judged
}

const committeeChunk = 1 << 15

// judged is one judge's score of one project, 0..1; unit indexes the
// committee's units, and group is the project's place among the
// committee's projects while it settles them.
type judged struct {
	project, judge int64
	score          float64
	unit, group    int32
}

// NewCommittee returns an empty committee judging by j.
func NewCommittee(j rules.Judging) *Committee {
	c := &Committee{rubric: j, unitOf: map[int64]int32{}}
	for _, cr := range j.Criteria {
		c.weights += cr.Weight
	}
	return c
}

// weightedSum is the sum of a score's criteria, each as a share of its max
// times its weight.
func weightedSum(j rules.Judging, criteria map[string]float64) float64 {
	var sum float64
	for _, cr := range j.Criteria {
		if v := criteria[cr.Key]; v > 0 { // also skips NaN
			sum += float64(cr.Weight * min(v/cr.Max, 1)) // the conversion rounds: no platform fuses this into the sum
		}
	}
	return sum
}

// JudgeTotal is one judge's score of a project as the committee counts it,
// 0..1: the criteria's shares of their max, weighted. The score form shows
// it as the judge fills the rubric in.
func JudgeTotal(j rules.Judging, criteria map[string]float64) float64 {
	var weights float64
	for _, cr := range j.Criteria {
		weights += cr.Weight
	}
	if weights == 0 {
		return 0
	}
	return weightedSum(j, criteria) / weights
}

// Add takes one score. It must not be called after Results or UnitFacts.
func (c *Committee) Add(s JudgeScore) {
	c.AddWeighed(s.Project, s.Unit, s.Judge, c.Weigh(s.Criteria))
}

// Weigh is one judge's score of a project from its marks, 0..1, as the
// committee's doc says: Σ(weight × min(value/max, 1)) over the rubric's
// criteria with a value > 0, in rubric order, divided by Σ weight (0 for a
// rubric without weight).
func (c *Committee) Weigh(criteria map[string]float64) float64 {
	if c.weights > 0 {
		return weightedSum(c.rubric, criteria) / c.weights
	}
	return 0
}

// AddWeighed takes one score already weighed, as Weigh does. It must not be called after Results or UnitFacts.
func (c *Committee) AddWeighed(project, unit, judge int64, score float64) {
	u, ok := c.unitOf[unit]
	if !ok {
		u = int32(len(c.units))
		c.units = append(c.units, unit)
		c.unitOf[unit] = u
	}
	if n := len(c.chunks); n == 0 || len(c.chunks[n-1]) == committeeChunk {
		c.chunks = append(c.chunks, make([]judged, 0, committeeChunk))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, judged{project: project, judge: judge, score: score, unit: u})
	c.taken++
}

// Results is every scored project's result.
func (c *Committee) Results() map[int64]ProjectResult {
	results := map[int64]ProjectResult{}
	c.each(func(r ProjectResult, _ int32) { results[r.Project] = r })
	return results
}

// UnitFacts is each unit's judging facts (by unit id) from its projects'
// final results: the best and the mean score, and how many projects have
// one. Units without a final result are left out: their facts are zero.
func (c *Committee) UnitFacts() map[int64]rules.JudgingFacts {
	type sums struct {
		facts rules.JudgingFacts
		total float64
	}
	per := make([]sums, len(c.units))
	c.each(func(r ProjectResult, unit int32) { // in project order: sums are deterministic
		if !r.Final {
			return
		}
		u := &per[unit]
		u.facts.Projects++
		u.total += r.Score
		u.facts.Best = max(u.facts.Best, r.Score)
	})
	out := make(map[int64]rules.JudgingFacts, len(per))
	for i, u := range per {
		if u.facts.Projects > 0 {
			u.facts.Mean = u.total / float64(u.facts.Projects)
			out[c.units[i]] = u.facts
		}
	}
	return out
}

// each calls fn with every project's result and its unit, in project order.
func (c *Committee) each(fn func(ProjectResult, int32)) {
	if c.chunks != nil {
		c.settle()
	}
	buf := make([]float64, 0, 16)
	for lo := 0; lo < len(c.scores); {
		hi := lo
		for hi < len(c.scores) && c.scores[hi].project == c.scores[lo].project {
			hi++
		}
		ss := buf[:0]
		for _, s := range c.scores[lo:hi] {
			ss = append(ss, s.score)
		}
		score := aggregate(c.rubric.Aggregate, ss) // sorts ss
		fn(ProjectResult{
			Project: c.scores[lo].project,
			Score:   score,
			Judges:  len(ss),
			Spread:  ss[len(ss)-1] - ss[0],
			Final:   len(ss) >= max(c.rubric.MinJudges, 1),
		}, c.scores[lo].unit)
		buf, lo = ss, hi
	}
}

// settle puts the scores in project and judge order, keeps the last of
// duplicate (project, judge) pairs, and normalises them if the rubric says.
//
// A million scores come in any order (the order the database keeps them):
// rather than sorting them, it places each score after the scores of the
// projects before its own, in the order they came (a counting sort), and
// then orders each project's few scores by judge, keeping the order they
// came in among a judge's.
func (c *Committee) settle() {
	places := c.placeProjects()
	start := make([]int32, places+1) // where each place's scores start
	for _, ch := range c.chunks {
		for i := range ch {
			start[ch[i].group+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	c.scores = make([]judged, c.taken)
	next := start[:len(start)-1]
	for _, ch := range c.chunks {
		for _, s := range ch {
			c.scores[next[s.group]] = s
			next[s.group]++
		}
	}
	c.chunks = nil
	// next[g] is now where project g's scores end, and so where g+1's start.
	lo := 0
	for _, hi := range next {
		insertionSortByJudge(c.scores[lo:hi])
		lo = int(hi)
	}
	kept := c.scores[:0]
	for i := range c.scores {
		if i+1 < len(c.scores) && byProjectJudge(c.scores[i], c.scores[i+1]) == 0 {
			continue
		}
		kept = append(kept, c.scores[i])
	}
	c.scores = kept
	if c.rubric.Normalize == rules.NormalizeZScore {
		normalize(c.scores)
		// Back to project order, in judge order, so that sums are deterministic.
		slices.SortFunc(c.scores, byProjectJudge)
	}
}

// placeProjects sets each score's group to its project's place in project
// order, and returns how many places there are. A campaign's projects have
// ids close together: then a project's place is its id's distance from the
// lowest, places without a project included, which takes neither a map nor
// a sort. Ids spread wider are numbered through a map and sorted.
func (c *Committee) placeProjects() int {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, ch := range c.chunks {
		for i := range ch {
			lo, hi = min(lo, ch[i].project), max(hi, ch[i].project)
		}
	}
	if span := uint64(hi - lo); c.taken > 0 && span < 2*uint64(c.taken) && span < math.MaxInt32 {
		for _, ch := range c.chunks {
			for i := range ch {
				ch[i].group = int32(ch[i].project - lo)
			}
		}
		return int(span) + 1
	}
	groups := map[int64]int32{} // by project: its place in first-come order
	var projects []int64
	for _, ch := range c.chunks {
		for i := range ch {
			g, ok := groups[ch[i].project]
			if !ok {
				g = int32(len(projects))
				groups[ch[i].project] = g
				projects = append(projects, ch[i].project)
			}
			ch[i].group = g
		}
	}
	rank := make([]int32, len(projects)) // by first-come place: the place in project order
	order := make([]int32, len(projects))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(projects[a], projects[b]) })
	for r, g := range order {
		rank[g] = int32(r)
	}
	for _, ch := range c.chunks {
		for i := range ch {
			ch[i].group = rank[ch[i].group]
		}
	}
	return len(projects)
}

// insertionSortByJudge orders one project's scores by judge, stably: a
// project has a few, or else a stable sort.
func insertionSortByJudge(s []judged) {
	if len(s) > 32 {
		slices.SortStableFunc(s, func(a, b judged) int { return cmp.Compare(a.judge, b.judge) })
		return
	}
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].judge < s[j-1].judge; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func byProjectJudge(a, b judged) int {
	return cmp.Or(cmp.Compare(a.project, b.project), cmp.Compare(a.judge, b.judge))
}

// normalize replaces each judge's scores with their z-scores mapped onto
// the pool of all scores, clamped to 0..1.
func normalize(scores []judged) {
	slices.SortFunc(scores, func(a, b judged) int {
		return cmp.Or(cmp.Compare(a.judge, b.judge), cmp.Compare(a.project, b.project))
	})
	all := make([]float64, len(scores))
	for i, s := range scores {
		all[i] = s.score
	}
	poolMean, poolSD := meanSD(all)
	for lo := 0; lo < len(scores); {
		hi := lo
		for hi < len(scores) && scores[hi].judge == scores[lo].judge {
			hi++
		}
		m, sd := meanSD(all[lo:hi])
		for i := lo; i < hi; i++ {
			z := 0.0
			if sd > 0 {
				z = (all[i] - m) / sd
			}
			scores[i].score = clamp(poolMean+z*poolSD, 0, 1)
		}
		lo = hi
	}
}

// meanSD is the mean and population standard deviation of xs.
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)))
}

// aggregate combines one project's scores; it sorts ss.
func aggregate(method string, ss []float64) float64 {
	slices.Sort(ss)
	switch {
	case method == rules.AggregateMedian:
		n := len(ss)
		if n%2 == 1 {
			return ss[n/2]
		}
		return (ss[n/2-1] + ss[n/2]) / 2
	case method == rules.AggregateTrimmedMean && len(ss) >= 4:
		ss = ss[1 : len(ss)-1]
	}
	mean, _ := meanSD(ss)
	return mean
}
