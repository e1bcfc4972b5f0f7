package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

func handleProjectCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewProject
		if err := decode(c, &in); err != nil {
			return err
		}
		p, err := s.svc.CreateProject(c.UserContext(), c.Params("slug"), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(p)
	}
}

func handleProjectList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		if st := c.Query("status"); st != "" && !slices.Contains(store.Statuses, st) {
			return invalidField("status", msg(c, "trạng thái không hợp lệ", "unknown status"))
		}
		items, next, err := s.db.Projects(c.UserContext(), c.Params("slug"), store.ProjectFilter{
			Unit: c.Query("unit"), Status: c.Query("status"), Category: c.Query("category"), Q: c.Query("q"), Page: p,
		})
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}

func handleProjectGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		p, err := s.svc.Project(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

func handleProjectPatch(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in platform.ProjectChanges
		if err := decode(c, &in); err != nil {
			return err
		}
		p, err := s.svc.UpdateProject(c.UserContext(), id, in)
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

func handleProgressCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in platform.Progress
		if err := decode(c, &in); err != nil {
			return err
		}
		n, err := s.svc.AddProgress(c.UserContext(), id, in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(n)
	}
}
