package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type userRequest struct {
	Username string `json:"username" validate:"required,min=3,max=64,code"`
	Password string `json:"password" validate:"required,min=8,max=256"`
	Role     string `json:"role" validate:"required,oneof=admin unit judge"`
	Unit     string `json:"unit" validate:"required_if=Role unit,omitempty,code"`
}

func handleUserCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req userRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		if req.Role == store.RoleAdmin && req.Unit != "" {
			return invalidField("unit", msg(c, "quản trị viên không thuộc đơn vị nào", "an admin belongs to no unit"))
		}
		hash, err := s.hasher.Hash(c.UserContext(), req.Password)
		if err != nil {
			return err
		}
		u, err := s.db.CreateUser(c.UserContext(), store.NewUser{
			Username: req.Username, PasswordHash: hash, Role: req.Role, Unit: req.Unit,
		})
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(u)
	}
}

func handleMe(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return c.JSON(currentUser(c))
	}
}
