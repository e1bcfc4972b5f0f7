package platform

import (
	"context"
	"sync"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// JudgingResult is a project's result in a locked judging round, as the
// runs count it.
type JudgingResult struct {
	LockedAt time.Time `json:"locked_at"`
	// Score is the judges' scores aggregated by the rubric, 0..1.
	Score  float64 `json:"score"`
	Judges int     `json:"judges"`
	// Final is whether enough judges scored it for the result to count.
	Final    bool              `json:"final"`
	Criteria []CriterionResult `json:"criteria"`
	// Comments are the judges' comments, without their names; only for the
	// campaign's organisers and the officers of the project's unit.
	Comments []string `json:"comments,omitempty"`
}

// CriterionResult is a rubric criterion's mean value over a project's
// judges.
type CriterionResult struct {
	Key   string  `json:"key"`
	Title string  `json:"title"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
}

// rounds keeps the results of locked judging rounds: a locked round does
// not change until it is reopened (and a new lock is a new round).
type rounds struct {
	mu sync.Mutex
	m  map[string]*round // by campaign
}

type round struct {
	lockedAt time.Time
	results  map[int64]scoring.ProjectResult
	means    map[int64]map[string]float64 // project → criterion → mean value
}

// judgingResult is a project's result once its round is locked; nil
// before, or for a campaign without a rubric or a project nobody scored.
func (s *Service) judgingResult(ctx context.Context, p *store.Project) (*JudgingResult, error) {
	lock, locked, err := s.db.JudgingLocked(ctx, p.Campaign)
	if err != nil || !locked {
		return nil, err
	}
	j, err := s.judging(ctx, p.Campaign)
	if err != nil || j == nil || len(j.Criteria) == 0 {
		return nil, err
	}
	r, err := s.round(ctx, p.Campaign, lock.LockedAt, *j)
	if err != nil {
		return nil, err
	}
	res, ok := r.results[p.ID]
	if !ok {
		return nil, nil
	}
	out := &JudgingResult{LockedAt: lock.LockedAt, Score: res.Score, Judges: res.Judges, Final: res.Final}
	for _, c := range j.Criteria {
		out.Criteria = append(out.Criteria, CriterionResult{Key: c.Key, Title: c.Title, Max: c.Max, Mean: r.means[p.ID][c.Key]})
	}
	return out, nil
}

// round aggregates a locked round's scores that count, once per lock.
func (s *Service) round(ctx context.Context, slug string, lockedAt time.Time, j rules.Judging) (*round, error) {
	s.rounds.mu.Lock()
	r, ok := s.rounds.m[slug]
	s.rounds.mu.Unlock()
	if ok && r.lockedAt.Equal(lockedAt) {
		return r, nil
	}
	c := scoring.NewCommittee(j)
	sums := map[int64]map[string]float64{}
	counts := map[int64]float64{}
	err := s.db.EachJudgeScore(ctx, slug, func(sc store.JudgeScore) error {
		c.Add(scoring.JudgeScore(sc))
		if sums[sc.Project] == nil {
			sums[sc.Project] = map[string]float64{}
		}
		for k, v := range sc.Criteria {
			sums[sc.Project][k] += v
		}
		counts[sc.Project]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	for p, m := range sums {
		for k := range m {
			m[k] /= counts[p]
		}
	}
	r = &round{lockedAt: lockedAt, results: c.Results(), means: sums}
	s.rounds.mu.Lock()
	if s.rounds.m == nil {
		s.rounds.m = map[string]*round{}
	}
	s.rounds.m[slug] = r
	s.rounds.mu.Unlock()
	return r, nil
}

// judging is the judging section of the campaign's current ruleset, or nil
// while the campaign has no ruleset.
func (s *Service) judging(ctx context.Context, slug string) (*rules.Judging, error) {
	rs, _, err := s.rulesets.Get(ctx, slug, 0)
	if err == nil {
		return &rs.Judging, nil
	}
	if se, ok := err.(*store.Error); ok && se.Kind == store.ErrNotFound {
		if _, err := s.db.CampaignBySlug(ctx, slug); err != nil {
			return nil, err
		}
		return nil, nil
	}
	return nil, err
}
