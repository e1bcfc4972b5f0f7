package jobs

import (
	"context"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// judgingFacts gives each unit (by id) its judging facts: every score of
// the campaign, weighed by the rubric, streams from one query into the ruleset's committee, which aggregates
// them per project and summarises them per unit.
func (r *Runner) judgingFacts(ctx context.Context, rs *rules.Ruleset, campaign string) (map[int64]rules.JudgingFacts, error) {
	c := scoring.NewCommittee(rs.Judging)
	err := r.db.EachWeighedScore(ctx, campaign, c.Weigh, func(s store.WeighedScore) error {
		c.AddWeighed(s.Project, s.Unit, s.Judge, s.Score)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.UnitFacts(), nil
}
