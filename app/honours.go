package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// handleHonourGrant records an honour decided by the organisers.
func handleHonourGrant(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewHonour
		if err := decode(c, &in); err != nil {
			return err
		}
		h, err := s.svc.GrantHonour(c.UserContext(), c.Params("slug"), in)
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

func handleHonourRevoke(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.Revocation
		if err := decode(c, &in); err != nil {
			return err
		}
		h, err := s.svc.RevokeHonour(c.UserContext(), c.Params("serial"), in)
		if err != nil {
			return err
		}
		return c.JSON(h)
	}
}
