package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

func handleHealth(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// handleReady answers 200 when the database is reachable and migrated.
func handleReady(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := s.db.Ready(ctx); err != nil {
			return problemOf(fiber.StatusServiceUnavailable, err.Error())
		}
		return c.JSON(fiber.Map{"status": "ready", "database": s.db.Dialect()})
	}
}
