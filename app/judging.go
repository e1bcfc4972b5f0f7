package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// judgingRoutes are the judging committee's endpoints.
func (s *Server) judgingRoutes() []route {
	return []route{
		{"POST", "/api/v1/campaigns/:slug/judges", "Add a judge to the committee", organisers, platform.JudgeRef{}, created(store.Judge{}), "", handleJudgeAdd(s)},
		{"GET", "/api/v1/campaigns/:slug/judges", "The committee, each judge with unit and progress", organisers, nil, ok(list[store.Judge]{}), "limit cursor", handleJudgeList(s)},
		{"DELETE", "/api/v1/campaigns/:slug/judges/:username", "Remove a judge with their assignments while the round is open (?withdraw_scores=true withdraws their scores too)", organisers, nil, ok(store.JudgeRemoval{}), "withdraw_scores", handleJudgeRemove(s)},
		{"POST", "/api/v1/campaigns/:slug/assignments", "Auto-assign judges: balanced, conflict-free, only filling gaps", organisers, optional{platform.AutoAssign{}}, ok(store.AssignResult{}), "", handleAutoAssign(s)},
		{"GET", "/api/v1/campaigns/:slug/judging", "Committee overview: per project scores, aggregate, spread; per judge progress", organisers, nil, ok(platform.JudgingOverview{}), "", handleJudgingOverview(s)},
		{"POST", "/api/v1/campaigns/:slug/judging/lock", "Lock the round: scores become final", organisers, nil, ok(judgingState{}), "", handleJudgingLock(s)},
		{"POST", "/api/v1/campaigns/:slug/judging/unlock", "Reopen the round", organisers, nil, ok(judgingState{}), "", handleJudgingUnlock(s)},
		{"PUT", "/api/v1/projects/:id/assignments/:username", "Assign a judge to a project", organisers, nil, ok(store.Assignment{}), "", handleAssign(s)},
		{"DELETE", "/api/v1/projects/:id/assignments/:username", "Unassign a judge who has not scored", organisers, nil, noContent, "", handleUnassign(s)},
		{"PUT", "/api/v1/projects/:id/scores", "Score an assigned project (revisable until the lock)", judges, platform.ScoreInput{}, ok(store.Score{}), "", handleScorePut(s)},
		{"GET", "/api/v1/projects/:id/scores", "A project's scores", reviewers, nil, ok(list[store.Score]{}), "", handleScoreList(s)},
		{"POST", "/api/v1/projects/:id/recusal", "Declare a conflict of interest with a project", judges, platform.Recusal{}, created(store.Recusal{}), "", handleRecusal(s)},
		{"GET", "/api/v1/me/assignments", "My assigned projects with my scores and progress: the judge's queue, with its filters (campaign, scored, level)", judges, nil, ok(myAssignments{}).or(404), "campaign scored level:assignments limit cursor", handleMyAssignments(s)},
	}
}

func handleJudgeAdd(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.JudgeRef
		if err := decode(c, &in); err != nil {
			return err
		}
		j, err := s.svc.AddJudge(c.UserContext(), c.Params("slug"), in)
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
			return invalidField("withdraw_scores", msg(c, "tham số rút cả điểm đã chấm (withdraw_scores) phải là giá trị đúng/sai", "withdraw_scores must be true or false"))
		}
		removed, err := s.svc.RemoveJudge(c.UserContext(), c.Params("slug"), c.Params("username"), withdraw)
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
		judges, next, err := s.svc.Judges(c.UserContext(), c.Params("slug"), p)
		if err != nil {
			return err
		}
		return c.JSON(listOf(judges, next))
	}
}

// handleAutoAssign gives every project in competition its judges. The body
// is optional.
func handleAutoAssign(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.AutoAssign
		if len(c.Body()) > 0 {
			if err := decode(c, &in); err != nil {
				return err
			}
		}
		res, err := s.svc.AutoAssign(c.UserContext(), c.Params("slug"), in)
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
		a, err := s.svc.Assign(c.UserContext(), id, c.Params("username"))
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
		if err := s.svc.Unassign(c.UserContext(), id, c.Params("username")); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// myAssignments is a page of a judge's assignments, with their progress.
type myAssignments struct {
	list[store.Assignment]
	Progress store.Progress `json:"progress"`
}

func handleMyAssignments(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		f := store.AssignmentFilter{Campaign: c.Query("campaign"), Level: c.Query("level"), Page: p}
		switch c.Query("scored") {
		case "":
		case "true", "false":
			scored := c.Query("scored") == "true"
			f.Scored = &scored
		default:
			return invalidField("scored", msg(c, "bộ lọc đã chấm (scored) phải là giá trị đúng/sai", "scored must be true or false"))
		}
		items, next, progress, err := s.svc.MyAssignments(c.UserContext(), f)
		if err != nil {
			return err
		}
		return c.JSON(myAssignments{listOf(items, next), progress})
	}
}

// judgingState is what locking and unlocking answer.
type judgingState struct {
	Locked bool               `json:"locked"`
	Lock   *store.JudgingLock `json:"lock"`
}

func handleJudgingLock(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lock, err := s.svc.LockJudging(c.UserContext(), c.Params("slug"))
		if err != nil {
			return err
		}
		return c.JSON(judgingState{Locked: true, Lock: lock})
	}
}

func handleJudgingUnlock(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := s.svc.UnlockJudging(c.UserContext(), c.Params("slug")); err != nil {
			return err
		}
		return c.JSON(judgingState{})
	}
}

func handleJudgingOverview(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := s.svc.JudgingOverview(c.UserContext(), c.Params("slug"))
		if err != nil {
			return err
		}
		return c.JSON(o)
	}
}
