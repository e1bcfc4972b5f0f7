package jobs

import (
	"context"

	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// judgingFacts gives each unit (by code) its judging facts: every score of
// the campaign is read in one query, aggregated per project as the
// ruleset's judging section says, and summarised per unit over its
// projects with a final score.
func (r *Runner) judgingFacts(ctx context.Context, rs *rules.Ruleset, campaign string) (map[string]rules.JudgingFacts, error) {
	raw, err := r.db.JudgeScores(ctx, campaign)
	if err != nil {
		return nil, err
	}
	scores := make([]scoring.JudgeScore, len(raw))
	unitOf := make(map[int64]string)
	for i, s := range raw {
		scores[i] = scoring.JudgeScore{Project: s.Project, Judge: s.Judge, Criteria: s.Criteria}
		unitOf[s.Project] = s.Unit
	}
	results := scoring.AggregateJudging(rs.Judging, scores)
	byUnit := make(map[string][]int64)
	for p := range results {
		byUnit[unitOf[p]] = append(byUnit[unitOf[p]], p)
	}
	facts := make(map[string]rules.JudgingFacts, len(byUnit))
	for unit, projects := range byUnit {
		facts[unit] = scoring.UnitJudging(results, projects)
	}
	return facts, nil
}
