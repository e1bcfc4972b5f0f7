package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/thidua/thidua/app/platform"
)

// handleRunCreate scores the campaign now (or closes a period) and answers
// with the run. The body is optional.
func handleRunCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.RunRequest
		if len(c.Body()) > 0 {
			if err := decode(c, &in); err != nil {
				return err
			}
		}
		run, err := s.svc.Run(c.UserContext(), c.Params("slug"), in)
		if err != nil {
			return err
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

func handlePeriodReopen(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.Reopening
		if err := decode(c, &in); err != nil {
			return err
		}
		run, err := s.svc.ReopenPeriod(c.UserContext(), c.Params("slug"), c.Params("period"), in)
		if err != nil {
			return err
		}
		return c.JSON(run)
	}
}
