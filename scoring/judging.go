package scoring

import (
	"cmp"
	"math"
	"slices"

	"github.com/thidua/thidua/rules"
)

// JudgeScore is one judge's score of one project: a raw value in 0..max for
// each rubric criterion, by key.
type JudgeScore struct {
	Project  int64              `json:"project"`
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

// AggregateJudging computes every scored project's result.
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
// The result does not depend on the order of scores, as long as each judge
// scores a project once; if a judge appears twice for a project, the later
// score counts.
func AggregateJudging(j rules.Judging, scores []JudgeScore) map[int64]ProjectResult {
	byJudge := judgeScores(j, scores)
	if j.Normalize == rules.NormalizeZScore {
		normalize(byJudge)
		// Back to project order, in judge order, so that sums are deterministic.
		slices.SortFunc(byJudge, byProjectJudge)
	}
	results := map[int64]ProjectResult{}
	for lo := 0; lo < len(byJudge); {
		hi := lo
		for hi < len(byJudge) && byJudge[hi].project == byJudge[lo].project {
			hi++
		}
		ss := make([]float64, 0, hi-lo)
		for _, s := range byJudge[lo:hi] {
			ss = append(ss, s.score)
		}
		p := byJudge[lo].project
		results[p] = ProjectResult{
			Project: p,
			Score:   aggregate(j.Aggregate, ss),
			Judges:  len(ss),
			Spread:  slices.Max(ss) - slices.Min(ss),
			Final:   len(ss) >= max(j.MinJudges, 1),
		}
		lo = hi
	}
	return results
}

// judged is one judge's score of one project, 0..1.
type judged struct {
	project, judge int64
	score          float64
}

// judgeScores computes each judge's score of each project, in project and
// judge order, keeping the last of duplicate (project, judge) pairs.
func judgeScores(j rules.Judging, scores []JudgeScore) []judged {
	var weights float64
	for _, c := range j.Criteria {
		weights += c.Weight
	}
	out := make([]judged, len(scores))
	for i, s := range scores {
		var sum float64
		for _, c := range j.Criteria {
			if v := s.Criteria[c.Key]; v > 0 { // also skips NaN
				sum += c.Weight * min(v/c.Max, 1)
			}
		}
		score := 0.0
		if weights > 0 {
			score = sum / weights
		}
		out[i] = judged{project: s.Project, judge: s.Judge, score: score}
	}
	// A stable sort keeps duplicates in input order: keep the last of each run.
	slices.SortStableFunc(out, byProjectJudge)
	kept := out[:0]
	for i := range out {
		if i+1 < len(out) && byProjectJudge(out[i], out[i+1]) == 0 {
			continue
		}
		kept = append(kept, out[i])
	}
	return kept
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

// UnitJudging is a unit's judging facts from its projects' results: the best
// and the mean final score and how many projects have one. Projects without
// a final result do not count; projects are distinct ids.
func UnitJudging(results map[int64]ProjectResult, projects []int64) rules.JudgingFacts {
	var f rules.JudgingFacts
	var sum float64
	for _, p := range projects {
		r, ok := results[p]
		if !ok || !r.Final {
			continue
		}
		f.Projects++
		sum += r.Score
		f.Best = max(f.Best, r.Score)
	}
	if f.Projects > 0 {
		f.Mean = sum / float64(f.Projects)
	}
	return f
}
