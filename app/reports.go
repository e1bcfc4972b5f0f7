package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/thidua/thidua/app/platform"
)

// handleReportPut records a unit's indicator values for one reporting
// period, in the granularity the campaign's ruleset sets.
func handleReportPut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.Report
		if err := decode(c, &in); err != nil {
			return err
		}
		r, err := s.svc.PutReport(c.UserContext(), c.Params("slug"), c.Params("code"), c.Params("period"), in)
		if err != nil {
			return err
		}
		return c.JSON(r)
	}
}

func handleReportList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		items, err := s.db.Reports(c.UserContext(), c.Params("slug"), c.Params("code"))
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, ""))
	}
}
