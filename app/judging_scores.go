package app

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

type scoreRequest struct {
	// Criteria gives each rubric criterion (by key) a value in 0..max.
	Criteria map[string]float64 `json:"criteria" validate:"required"`
	Comment  string             `json:"comment" validate:"max=5000"`
}

// handleScorePut records or revises the signed-in judge's score of a
// project, checked against the rubric of the campaign's current ruleset.
func handleScorePut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var req scoreRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		slug, err := s.db.ProjectCampaign(c.UserContext(), id)
		if err != nil {
			return err
		}
		j, err := s.judging(c.UserContext(), slug)
		if err != nil {
			return err
		}
		if j == nil || len(j.Criteria) == 0 {
			return problemOf(fiber.StatusConflict, "the campaign's ruleset has no judging rubric yet")
		}
		if err := checkCriteria(c, j.Criteria, req.Criteria); err != nil {
			return err
		}
		sc, err := s.db.SaveScore(c.UserContext(), id, currentUsername(c), req.Criteria, req.Comment)
		if err != nil {
			return denied(c, err)
		}
		return c.JSON(sc)
	}
}

// checkCriteria checks a score against the rubric: every criterion given,
// each in 0..max, and nothing else. Every problem is listed, named
// criteria.<key>.
func checkCriteria(c *fiber.Ctx, rubric []rules.JudgingCriterion, criteria map[string]float64) error {
	var fields []fieldError
	known := make(map[string]bool, len(rubric))
	for _, k := range rubric {
		known[k.Key] = true
		v, ok := criteria[k.Key]
		switch {
		case !ok:
			fields = append(fields, fieldError{Field: "criteria." + k.Key,
				Message: msg(c, "tiêu chí này là bắt buộc", "this criterion is required")})
		case v < 0 || v > k.Max:
			fields = append(fields, fieldError{Field: "criteria." + k.Key,
				Message: fmt.Sprintf(msg(c, "phải từ 0 đến %g", "must be from 0 to %g"), k.Max)})
		}
	}
	var unknown []string
	for key := range criteria {
		if !known[key] {
			unknown = append(unknown, key)
		}
	}
	slices.Sort(unknown)
	for _, key := range unknown {
		fields = append(fields, fieldError{Field: "criteria." + key,
			Message: msg(c, "không phải tiêu chí chấm của phong trào", "not a criterion of the campaign's rubric")})
	}
	if len(fields) > 0 {
		return &invalidError{fields: fields}
	}
	return nil
}

// handleScoreList shows a project's scores: to the admin always, to a judge
// once they have scored it and never when conflicted.
func handleScoreList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		u := currentUser(c)
		scores, err := s.db.ProjectScores(c.UserContext(), id, u.Username, u.Role == store.RoleAdmin)
		if err != nil {
			return denied(c, err)
		}
		return c.JSON(listOf(scores, ""))
	}
}

type recusalRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// handleRecusal records the signed-in judge's conflict of interest.
func handleRecusal(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var req recusalRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		r, err := s.db.Recuse(c.UserContext(), id, currentUsername(c), req.Reason)
		if err != nil {
			return denied(c, err)
		}
		return c.Status(fiber.StatusCreated).JSON(r)
	}
}

// judgingOverview is the committee chair's view of a round.
type judgingOverview struct {
	Locked   bool               `json:"locked"`
	Lock     *store.JudgingLock `json:"lock"`
	Judging  *rules.Judging     `json:"judging"` // the rubric and aggregation used; null without a ruleset
	Projects []projectJudging   `json:"projects"`
	Judges   []store.Judge      `json:"judges"`
}

// projectJudging is a project's line in the overview. Aggregate (0..1) and
// Spread (highest minus lowest judge's score) are null until it is scored.
type projectJudging struct {
	store.ProjectJudging
	Aggregate *float64 `json:"aggregate"`
	Spread    *float64 `json:"spread"`
	Final     bool     `json:"final"` // scored by at least min_judges
}

func handleJudgingOverview(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		j, err := s.judging(c.UserContext(), slug)
		if err != nil {
			return err
		}
		o, err := s.db.JudgingOverview(c.UserContext(), slug)
		if err != nil {
			return err
		}
		return c.JSON(overviewOf(o, j))
	}
}

// overviewOf aggregates the round's scores with the ruleset's judging
// section, as the scoring runs do.
func overviewOf(o *store.JudgingOverview, j *rules.Judging) judgingOverview {
	out := judgingOverview{Locked: o.Lock != nil, Lock: o.Lock, Judging: j, Judges: o.Judges,
		Projects: make([]projectJudging, len(o.Projects))}
	var results map[int64]scoring.ProjectResult
	if j != nil {
		c := scoring.NewCommittee(*j)
		for _, sc := range o.Scores {
			c.Add(scoring.JudgeScore(sc))
		}
		results = c.Results()
	}
	for i, p := range o.Projects {
		out.Projects[i].ProjectJudging = p
		if r, ok := results[p.ID]; ok {
			out.Projects[i].Aggregate, out.Projects[i].Spread, out.Projects[i].Final = &r.Score, &r.Spread, r.Final
		}
	}
	if out.Judges == nil {
		out.Judges = []store.Judge{}
	}
	return out
}
