package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

type honourRequest struct {
	Unit     string `json:"unit" validate:"required,code"`
	Title    string `json:"title" validate:"required,max=300"`
	Period   string `json:"period" validate:"required,max=16"`
	Citation string `json:"citation" validate:"required,max=2000"`
	Project  *int64 `json:"project" validate:"omitempty,gt=0"`
}

// handleHonourGrant records an honour decided by the organisers.
func handleHonourGrant(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req honourRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		if _, err := rules.ParsePeriod(req.Period); err != nil {
			return invalidField("period", err.Error())
		}
		h, err := s.db.GrantHonour(c.UserContext(), c.Params("slug"), store.NewHonour{
			Unit: req.Unit, Period: req.Period, Title: req.Title, Citation: req.Citation,
			Scope: "decision", Project: req.Project,
		})
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(h)
	}
}

func handleHonourList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		items, next, err := s.db.Honours(c.UserContext(), c.Params("slug"), store.HonourFilter{
			Period: c.Query("period"), Unit: c.Query("unit"), Page: p,
		})
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}
