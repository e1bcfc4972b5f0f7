package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
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

func handleReportVerify(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.Decision
		if err := decode(c, &in); err != nil {
			return err
		}
		r, err := s.svc.VerifyReport(c.UserContext(), c.Params("slug"), c.Params("code"), c.Params("period"), in)
		if err != nil {
			return err
		}
		return c.JSON(r)
	}
}

// reportQueue is a page of the verifier's queue, with the counts of its
// reports by status.
type reportQueue struct {
	list[store.ReportRow]
	Counts map[string]int `json:"counts"`
}

func handleReportQueue(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		q, err := s.svc.Reports(c.UserContext(), c.Params("slug"), c.Query("status"), p)
		if err != nil {
			return err
		}
		body, err := queuePage(q)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(body)
	}
}
