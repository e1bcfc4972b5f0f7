package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/thidua/thidua/rules"
)

// rubric is the RULES.md example's: three criteria out of 10, weighted
// 40/40/20.
func rubric(aggregate string, minJudges int) rules.Judging {
	return rules.Judging{MinJudges: minJudges, Aggregate: aggregate, Criteria: []rules.JudgingCriterion{
		{Key: "innovation", Max: 10, Weight: 40},
		{Key: "effectiveness", Max: 10, Weight: 40},
		{Key: "replicability", Max: 10, Weight: 20},
	}}
}

func judgeScore(project, judge int64, innovation, effectiveness, replicability float64) JudgeScore {
	return JudgeScore{Project: project, Judge: judge, Criteria: map[string]float64{
		"innovation": innovation, "effectiveness": effectiveness, "replicability": replicability,
	}}
}

// judgeScores: per-judge scores by hand.
var judgeScoresFixture = []JudgeScore{
	judgeScore(1, 11, 8, 6, 5),    // (32 + 24 + 10) / 100 = 0.66
	judgeScore(1, 12, 10, 10, 10), // 1
	judgeScore(1, 13, 5, 5, 0),    // 0.4
	{Project: 1, Judge: 14, Criteria: map[string]float64{"innovation": 7, "replicability": 10, "style": 10}}, // (28 + 0 + 20) / 100 = 0.48
	judgeScore(1, 15, 9, 9, 9),   // 0.9
	judgeScore(2, 11, 10, 0, 0),  // 0.4
	judgeScore(3, 11, 5, 5, 5),   // 0.5
	judgeScore(3, 12, 15, 7, -3), // (40 + 28 + 0) / 100 = 0.68: values clamped to 0..max
	judgeScore(3, 13, 9, 9, 9),   // 0.9
}

func TestAggregateJudging(t *testing.T) {
	tests := []struct {
		aggregate string
		want      map[int64]ProjectResult
	}{
		{rules.AggregateMean, map[int64]ProjectResult{
			1: {Project: 1, Score: 3.44 / 5, Judges: 5, Spread: 0.6, Final: true},
			2: {Project: 2, Score: 0.4, Judges: 1, Spread: 0, Final: false},
			3: {Project: 3, Score: 2.08 / 3, Judges: 3, Spread: 0.4, Final: true},
		}},
		{rules.AggregateMedian, map[int64]ProjectResult{
			1: {Project: 1, Score: 0.66, Judges: 5, Spread: 0.6, Final: true},
			2: {Project: 2, Score: 0.4, Judges: 1, Spread: 0, Final: false},
			3: {Project: 3, Score: 0.68, Judges: 3, Spread: 0.4, Final: true},
		}},
		{rules.AggregateTrimmedMean, map[int64]ProjectResult{
			1: {Project: 1, Score: 2.04 / 3, Judges: 5, Spread: 0.6, Final: true}, // drops 0.4 and 1
			2: {Project: 2, Score: 0.4, Judges: 1, Spread: 0, Final: false},
			3: {Project: 3, Score: 2.08 / 3, Judges: 3, Spread: 0.4, Final: true}, // fewer than 4: the mean
		}},
	}
	for _, tt := range tests {
		got := AggregateJudging(rubric(tt.aggregate, 3), judgeScoresFixture)
		if !sameResults(got, tt.want) {
			t.Errorf("AggregateJudging(%s) = %v, want %v", tt.aggregate, got, tt.want)
		}
	}
}

func TestAggregateJudgingMedianEven(t *testing.T) {
	got := AggregateJudging(rubric(rules.AggregateMedian, 1), judgeScoresFixture[:4])[1]
	if want := (0.48 + 0.66) / 2; !near(got.Score, want) {
		t.Errorf("median of 0.4, 0.48, 0.66, 1 = %v, want %v", got.Score, want)
	}
}

func TestAggregateJudgingDuplicateJudge(t *testing.T) {
	scores := []JudgeScore{judgeScore(1, 11, 0, 0, 0), judgeScore(1, 11, 10, 10, 10)}
	got := AggregateJudging(rubric(rules.AggregateMean, 1), scores)[1]
	if got.Score != 1 || got.Judges != 1 {
		t.Errorf("AggregateJudging(judge twice) = %+v, want the later score only", got)
	}
}

func TestAggregateJudgingZScore(t *testing.T) {
	j := rules.Judging{MinJudges: 1, Aggregate: rules.AggregateMean, Normalize: rules.NormalizeZScore,
		Criteria: []rules.JudgingCriterion{{Key: "q", Max: 10, Weight: 1}}}
	q := func(project, judge int64, v float64) JudgeScore {
		return JudgeScore{Project: project, Judge: judge, Criteria: map[string]float64{"q": v}}
	}
	scores := []JudgeScore{
		q(1, 1, 2), q(2, 1, 6), // judge 1: 0.2, 0.6 → z −1, +1
		q(1, 2, 5), q(2, 2, 5), // judge 2: no spread → z 0
		q(1, 3, 9), // judge 3: one score → z 0
	}
	// The pool is 0.2, 0.6, 0.5, 0.5, 0.9: mean 0.54, variance 0.252 / 5.
	mean, sd := 0.54, math.Sqrt(0.252/5)
	want := map[int64]ProjectResult{
		1: {Project: 1, Score: ((mean - sd) + mean + mean) / 3, Judges: 3, Spread: sd, Final: true},
		2: {Project: 2, Score: ((mean + sd) + mean) / 2, Judges: 2, Spread: sd, Final: true},
	}
	if got := AggregateJudging(j, scores); !sameResults(got, want) {
		t.Errorf("AggregateJudging(zscore) = %v, want %v", got, want)
	}

	// A lone judge's scores map back onto themselves.
	lone := []JudgeScore{q(1, 1, 0), q(2, 1, 0), q(3, 1, 0), q(4, 1, 10)}
	for p, r := range AggregateJudging(j, lone) {
		if want := map[int64]float64{1: 0, 2: 0, 3: 0, 4: 1}[p]; !near(r.Score, want) {
			t.Errorf("AggregateJudging(zscore, one judge)[%d] = %v, want %v", p, r.Score, want)
		}
	}
}

func TestAggregateJudgingOrder(t *testing.T) {
	j := rubric(rules.AggregateTrimmedMean, 2)
	j.Normalize = rules.NormalizeZScore
	want := AggregateJudging(j, judgeScoresFixture)
	reversed := make([]JudgeScore, len(judgeScoresFixture))
	for i, s := range judgeScoresFixture {
		reversed[len(reversed)-1-i] = s
	}
	if got := AggregateJudging(j, reversed); !sameResults(got, want) {
		t.Errorf("AggregateJudging(reversed) = %v, want %v", got, want)
	}
}

func TestCommitteeUnitFacts(t *testing.T) {
	c := NewCommittee(rubric(rules.AggregateMean, 2))
	for _, s := range []JudgeScore{
		{Project: 1, Unit: 100, Judge: 1, Criteria: map[string]float64{"innovation": 5, "effectiveness": 5, "replicability": 5}},
		{Project: 1, Unit: 100, Judge: 2, Criteria: map[string]float64{"innovation": 7, "effectiveness": 7, "replicability": 7}},
		{Project: 3, Unit: 100, Judge: 1, Criteria: map[string]float64{"innovation": 8, "effectiveness": 8, "replicability": 8}},
		{Project: 3, Unit: 100, Judge: 2, Criteria: map[string]float64{"innovation": 8, "effectiveness": 8, "replicability": 8}},
		{Project: 2, Unit: 100, Judge: 1, Criteria: map[string]float64{"innovation": 10, "effectiveness": 10, "replicability": 10}}, // one judge: not final
		{Project: 4, Unit: 200, Judge: 2, Criteria: map[string]float64{"innovation": 9}},                                            // not final
		{Project: 5, Unit: 300, Judge: 1, Criteria: map[string]float64{}},
		{Project: 5, Unit: 300, Judge: 2, Criteria: map[string]float64{}},
	} {
		c.Add(s)
	}
	got := c.UnitFacts()
	want := map[int64]rules.JudgingFacts{
		100: {Best: 0.8, Mean: (0.6 + 0.8) / 2, Projects: 2},
		300: {Best: 0, Mean: 0, Projects: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("UnitFacts = %+v, want %+v", got, want)
	}
	for u, w := range want {
		if g := got[u]; !near(g.Best, w.Best) || !near(g.Mean, w.Mean) || g.Projects != w.Projects {
			t.Errorf("UnitFacts[%d] = %+v, want %+v", u, g, w)
		}
	}
	if r := c.Results(); len(r) != 5 || r[2].Final || !r[1].Final || !near(r[1].Score, 0.6) {
		t.Errorf("Results = %+v", r)
	}
}

func sameResults(a, b map[int64]ProjectResult) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.Project != y.Project || !near(x.Score, y.Score) || x.Judges != y.Judges || !near(x.Spread, y.Spread) || x.Final != y.Final {
			return false
		}
	}
	return true
}

// TestJudgeTotal: a judge's score is the weighted mean of the criteria's
// shares of their max, as the committee counts it.
func TestJudgeTotal(t *testing.T) {
	j := rules.Judging{Criteria: []rules.JudgingCriterion{{Key: "a", Max: 10, Weight: 3}, {Key: "b", Max: 5, Weight: 1}}}
	for _, tt := range []struct {
		in   map[string]float64
		want float64
	}{
		{map[string]float64{"a": 10, "b": 5}, 1},
		{map[string]float64{"a": 5, "b": 0}, 0.375},
		{map[string]float64{"b": 5}, 0.25},
		{nil, 0},
	} {
		if got := JudgeTotal(j, tt.in); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("JudgeTotal(%v) = %v, want %v", tt.in, got, tt.want)
		}
		c := NewCommittee(j)
		c.Add(JudgeScore{Project: 1, Judge: 1, Criteria: tt.in})
		if got := c.Results()[1].Score; math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("committee score of %v = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// BenchmarkCommittee is a national round: 1,000,000 scores weighed, of
// 200,000 projects of 100,000 units by five of 1,000 judges each, taken in
// a shuffled order and summarised per unit.
func BenchmarkCommittee(b *testing.B) {
	const projects, judges, each = 200_000, 1_000, 5
	rng := rand.New(rand.NewPCG(1, 2))
	type score struct {
		project, unit, judge int64
		value                float64
	}
	scores := make([]score, 0, projects*each)
	for p := range projects {
		unit := int64(rng.IntN(100_000))
		for k := range each {
			scores = append(scores, score{int64(p), unit, int64((p*each + k) % judges), float64(rng.IntN(1001)) / 1000})
		}
	}
	rng.Shuffle(len(scores), func(i, j int) { scores[i], scores[j] = scores[j], scores[i] })
	j := rules.Judging{MinJudges: 3, Aggregate: rules.AggregateTrimmedMean,
		Criteria: []rules.JudgingCriterion{{Key: "a", Title: "a", Max: 10, Weight: 1}}}
	b.ReportAllocs()
	for b.Loop() {
		c := NewCommittee(j)
		for _, s := range scores {
			c.AddWeighed(s.project, s.unit, s.judge, s.value)
		}
		if facts := c.UnitFacts(); len(facts) == 0 {
			b.Fatal("no facts")
		}
	}
}

// TestCommitteeInAnyOrder: a committee given scores in a shuffled order,
// with duplicates and a project scored by more judges than a few, has the
// results of the definition: each judge's last score of each project,
// aggregated in judge order; whether the projects' ids are close together
// (placed by their ids) or spread wide (placed through a map), negative
// ones included.
func TestCommitteeInAnyOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, ids := range []struct{ step, from int64 }{{7, 0}, {7, -1000}, {1 << 40, 0}, {1 << 50, -(1 << 58)}} {
		for _, method := range []string{rules.AggregateMean, rules.AggregateMedian, rules.AggregateTrimmedMean} {
			for _, normalize := range []string{"", rules.NormalizeZScore} {
				j := rubric(method, 2)
				j.Normalize = normalize
				c := NewCommittee(j)
				last := map[[2]int64]float64{}
				for range 5000 {
					project, judges := ids.from+int64(rng.IntN(300))*ids.step, 10
					if rng.IntN(10) == 0 {
						project, judges = ids.from, 60 // some 500 scores: more than a few, a stable sort
					}
					s := judgeScore(project, int64(rng.IntN(judges)), float64(rng.IntN(11)), float64(rng.IntN(11)), float64(rng.IntN(11)))
					s.Unit = project % 13
					c.Add(s)
					last[[2]int64{s.Project, s.Judge}] = c.Weigh(s.Criteria)
				}
				want := reference(j, last)
				got := c.Results()
				if len(got) != len(want) {
					t.Fatalf("ids %+v, %s %s: %d results, want %d", ids, method, normalize, len(got), len(want))
				}
				for p, w := range want {
					if g := got[p]; g != w {
						t.Errorf("ids %+v, %s %s: project %d = %+v, want %+v", ids, method, normalize, p, g, w)
					}
				}
			}
		}
	}
}

// reference is the results of each judge's last scores, by the
// definition, sorting everything.
func reference(j rules.Judging, last map[[2]int64]float64) map[int64]ProjectResult {
	var scores []judged
	for k, s := range last {
		scores = append(scores, judged{project: k[0], judge: k[1], score: s})
	}
	slices.SortFunc(scores, byProjectJudge)
	if j.Normalize == rules.NormalizeZScore {
		normalize(scores)
		slices.SortFunc(scores, byProjectJudge)
	}
	out := map[int64]ProjectResult{}
	for lo := 0; lo < len(scores); {
		hi := lo
		var ss []float64
		for hi < len(scores) && scores[hi].project == scores[lo].project {
			ss = append(ss, scores[hi].score)
			hi++
		}
		score := aggregate(j.Aggregate, ss)
		out[scores[lo].project] = ProjectResult{Project: scores[lo].project, Score: score, Judges: len(ss),
			Spread: ss[len(ss)-1] - ss[0], Final: len(ss) >= j.MinJudges}
		lo = hi
	}
	return out
}
