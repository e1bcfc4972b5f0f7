package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/jobs"
)

type runRequest struct {
	Period string `json:"period" validate:"omitempty,max=16"`
	Close  bool   `json:"close"`
}

// handleRunCreate scores the campaign now (or closes a period) and answers
// with the run.
func handleRunCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req runRequest
		if len(c.Body()) > 0 {
			if err := s.val.decode(c, &req); err != nil {
				return err
			}
		}
		run, err := s.runner.Run(c.UserContext(), jobs.Request{Campaign: c.Params("slug"), Period: req.Period, Close: req.Close, Trigger: jobs.TriggerManual})
		if err != nil {
			return err // a run that failed while scoring is in the history as failed
		}
		return c.Status(fiber.StatusCreated).JSON(run)
	}
}

func handleRunList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		runs, next, err := s.db.Runs(c.UserContext(), c.Params("slug"), p)
		if err != nil {
			return err
		}
		return c.JSON(listOf(runs, next))
	}
}
