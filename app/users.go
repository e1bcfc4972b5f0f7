package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
)

func handleUserCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewUser
		if err := decode(c, &in); err != nil {
			return err
		}
		u, err := s.svc.CreateUser(c.UserContext(), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(u)
	}
}

func handleUserList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		items, next, err := s.svc.Users(c.UserContext(), p)
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}

func handleUserUpdate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.UserChanges
		if err := decode(c, &in); err != nil {
			return err
		}
		u, err := s.svc.UpdateUser(c.UserContext(), c.Params("username"), in)
		if err != nil {
			return err
		}
		return c.JSON(u)
	}
}
