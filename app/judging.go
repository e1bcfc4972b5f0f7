package app

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// adminOrJudge is the access of reads a judge may make within the
// committee's rules (their own work, scores once theirs is in).
const adminOrJudge access = "admin, judge"

// judgingRoutes are the judging committee's endpoints.
func (s *Server) judgingRoutes() []route {
	as := func(p permission, h fiber.Handler) []fiber.Handler { return []fiber.Handler{require(p), h} }
	return []route{
		{"POST", "/api/v1/campaigns/:slug/judges", "Add a judge to the committee", adminOnly, judgeRequest{}, as(permManageJudging, handleJudgeAdd(s))},
		{"GET", "/api/v1/campaigns/:slug/judges", "The committee, each judge with unit and progress", adminOnly, nil, as(permManageJudging, handleJudgeList(s))},
		{"DELETE", "/api/v1/campaigns/:slug/judges/:username", "Remove a judge with their assignments while the round is open (?withdraw_scores=true withdraws their scores too)", adminOnly, nil, as(permManageJudging, handleJudgeRemove(s))},
		{"POST", "/api/v1/campaigns/:slug/assignments", "Auto-assign judges: balanced, conflict-free, only filling gaps", adminOnly, autoAssignRequest{}, as(permManageJudging, handleAutoAssign(s))},
		{"GET", "/api/v1/campaigns/:slug/judging", "Committee overview: per project scores, aggregate, spread; per judge progress", adminOnly, nil, as(permManageJudging, handleJudgingOverview(s))},
		{"POST", "/api/v1/campaigns/:slug/judging/lock", "Lock the round: scores become final", adminOnly, nil, as(permManageJudging, handleJudgingLock(s))},
		{"POST", "/api/v1/campaigns/:slug/judging/unlock", "Reopen the round", adminOnly, nil, as(permManageJudging, handleJudgingUnlock(s))},
		{"PUT", "/api/v1/projects/:id/assignments/:username", "Assign a judge to a project", adminOnly, nil, as(permManageJudging, handleAssign(s))},
		{"DELETE", "/api/v1/projects/:id/assignments/:username", "Unassign a judge who has not scored", adminOnly, nil, as(permManageJudging, handleUnassign(s))},
		{"PUT", "/api/v1/projects/:id/scores", "Score an assigned project (revisable until the lock)", judgeOnly, scoreRequest{}, as(permScore, handleScorePut(s))},
		{"GET", "/api/v1/projects/:id/scores", "A project's scores (a judge: after scoring it, never when conflicted)", adminOrJudge, nil, as(permReadScores, handleScoreList(s))},
		{"POST", "/api/v1/projects/:id/recusal", "Declare a conflict of interest with a project", judgeOnly, recusalRequest{}, as(permScore, handleRecusal(s))},
		{"GET", "/api/v1/me/assignments", "My assigned projects with my scores and progress (?campaign=slug)", judgeOnly, nil, as(permScore, handleMyAssignments(s))},
	}
}

// denied turns the store's refusal of a judge's request into a 403.
func denied(c *fiber.Ctx, err error) error {
	var se *store.Error
	if errors.As(err, &se) && errors.Is(se, store.ErrForbidden) {
		return problemOf(fiber.StatusForbidden, se.Text(lang(c)))
	}
	return err
}

// judging is the judging section of the campaign's current ruleset, or nil
// when the campaign has no ruleset yet.
func (s *Server) judging(ctx context.Context, slug string) (*rules.Judging, error) {
	rs, _, err := s.rulesets.Get(ctx, slug, 0)
	if errors.Is(err, store.ErrNotFound) {
		if _, err := s.db.CampaignBySlug(ctx, slug); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &rs.Judging, nil
}

type judgeRequest struct {
	Username string `json:"username" validate:"required,max=64"`
}

func handleJudgeAdd(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req judgeRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		j, err := s.db.AddJudge(c.UserContext(), c.Params("slug"), req.Username)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(j)
	}
}

// handleJudgeRemove takes a judge off the committee. A judge who has scored
// stays unless the organiser asks for their scores to be withdrawn too.
func handleJudgeRemove(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		withdraw := false
		switch c.Query("withdraw_scores") {
		case "", "false":
		case "true":
			withdraw = true
		default:
			return invalidField("withdraw_scores", msg(c, "withdraw_scores là true hoặc false", "withdraw_scores must be true or false"))
		}
		removed, err := s.db.RemoveJudge(c.UserContext(), c.Params("slug"), c.Params("username"), withdraw)
		if err != nil {
			return err
		}
		return c.JSON(removed)
	}
}

func handleJudgeList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		judges, next, err := s.db.Judges(c.UserContext(), c.Params("slug"), p)
		if err != nil {
			return err
		}
		return c.JSON(listOf(judges, next))
	}
}

type autoAssignRequest struct {
	// PerProject defaults to the ruleset's judging.min_judges.
	PerProject *int `json:"per_project" validate:"omitempty,min=1,max=50"`
	// Partial assigns what is possible when some projects cannot get
	// per_project judges free of conflict; otherwise that is a 409 and
	// nothing is assigned.
	Partial bool `json:"partial"`
}

// handleAutoAssign gives every project in competition its judges. The body
// is optional.
func handleAutoAssign(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req autoAssignRequest
		if len(c.Body()) > 0 {
			if err := s.val.decode(c, &req); err != nil {
				return err
			}
		}
		slug := c.Params("slug")
		if req.PerProject == nil {
			j, err := s.judging(c.UserContext(), slug)
			if err != nil {
				return err
			}
			if j == nil {
				return invalidField("per_project", msg(c, "chiến dịch chưa có bộ quy tắc: hãy gửi per_project",
					"the campaign has no ruleset yet: send per_project"))
			}
			req.PerProject = &j.MinJudges
		}
		res, err := s.db.AutoAssign(c.UserContext(), slug, store.AutoAssign{PerProject: *req.PerProject, Partial: req.Partial})
		if err != nil {
			return err
		}
		return c.JSON(res)
	}
}

func handleAssign(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		a, err := s.db.Assign(c.UserContext(), id, c.Params("username"))
		if err != nil {
			return err
		}
		return c.JSON(a)
	}
}

func handleUnassign(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		if err := s.db.Unassign(c.UserContext(), id, c.Params("username")); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func handleMyAssignments(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		items, next, progress, err := s.db.MyAssignments(c.UserContext(), currentUsername(c),
			store.AssignmentFilter{Campaign: c.Query("campaign"), Page: p})
		if err != nil {
			return err
		}
		return c.JSON(struct {
			list[store.Assignment]
			Progress store.Progress `json:"progress"`
		}{listOf(items, next), progress})
	}
}

// judgingState is what locking and unlocking answer.
type judgingState struct {
	Locked bool               `json:"locked"`
	Lock   *store.JudgingLock `json:"lock"`
}

func handleJudgingLock(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lock, err := s.db.LockJudging(c.UserContext(), c.Params("slug"))
		if err != nil {
			return err
		}
		return c.JSON(judgingState{Locked: true, Lock: lock})
	}
}

func handleJudgingUnlock(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := s.db.UnlockJudging(c.UserContext(), c.Params("slug")); err != nil {
			return err
		}
		return c.JSON(judgingState{})
	}
}
