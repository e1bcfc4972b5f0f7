package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
)

func handleWebhookCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewWebhook
		if err := decode(c, &in); err != nil {
			return err
		}
		w, err := s.svc.CreateWebhook(c.UserContext(), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(w)
	}
}

func handleWebhookList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		items, err := s.svc.Webhooks(c.UserContext())
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, ""))
	}
}

func handleWebhookGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		w, err := s.svc.Webhook(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(w)
	}
}

func handleWebhookDelete(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		if err := s.svc.DeleteWebhook(c.UserContext(), id); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func handleWebhookDeliveries(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		p, err := page(c)
		if err != nil {
			return err
		}
		items, next, err := s.svc.Deliveries(c.UserContext(), id, p)
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}

// handleWebhookTest queues a test event for the subscription: 202, sent
// by the webhook worker at once.
func handleWebhookTest(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		d, err := s.svc.TestWebhook(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusAccepted).JSON(d)
	}
}
