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

// handleReady answers 200 when the database is reachable and migrated and
// the newest leaderboards are in memory.
func handleReady(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := s.db.Ready(ctx); err != nil {
			s.log.WarnContext(c.UserContext(), "not ready", "err", err)
			return problemOf(fiber.StatusServiceUnavailable, msg(c, "cơ sở dữ liệu chưa sẵn sàng (không kết nối được, hoặc chưa cập nhật cấu trúc)",
				"the database is not ready: "+err.Error()))
		}
		if s.warming.Load() {
			c.Set(fiber.HeaderRetryAfter, "1")
			return problemOf(fiber.StatusServiceUnavailable, msg(c, "đang nạp các bảng xếp hạng mới nhất vào bộ nhớ",
				"loading the newest leaderboards into memory"))
		}
		return c.JSON(readiness{Status: "ready", Database: s.db.Dialect()})
	}
}
