package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

func handleAuditList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		items, next, err := s.svc.AuditLog(c.UserContext(), store.AuditFilter{
			Entity: c.Query("entity"), EntityKey: c.Query("key"), Actor: c.Query("actor"), Page: p,
		})
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}
