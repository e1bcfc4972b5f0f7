package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// health is what /healthz answers.
type health struct {
	Status string `json:"status" validate:"oneof=ok"`
}

// readiness is what /readyz answers.
type readiness struct {
	Status   string `json:"status" validate:"oneof=ready"`
	Database string `json:"database" validate:"oneof=postgres sqlite"`
}

func handleHealth(c *fiber.Ctx) error {
	return c.JSON(health{Status: "ok"})
}

// handleReady answers 200 when the database is reachable and migrated.
func handleReady(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := s.db.Ready(ctx); err != nil {
			s.log.WarnContext(c.UserContext(), "not ready", "err", err)
			return problemOf(fiber.StatusServiceUnavailable, msg(c, "cơ sở dữ liệu chưa sẵn sàng (không kết nối được, hoặc chưa cập nhật cấu trúc)",
				"the database is not ready: "+err.Error()))
		}
		return c.JSON(readiness{Status: "ready", Database: s.db.Dialect()})
	}
}
