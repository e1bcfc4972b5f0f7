package app

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

func handleUnitCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewUnit
		if err := decode(c, &in); err != nil {
			return err
		}
		u, err := s.svc.CreateUnit(c.UserContext(), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(u)
	}
}

func handleUnitList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		units, next, err := s.db.Units(c.UserContext(), store.UnitFilter{
			Within: c.Query("within"), Parent: c.Query("parent"), Level: c.Query("level"), Kind: c.Query("kind"),
			Cluster: c.Query("cluster"), Q: c.Query("q"), Page: p,
		})
		if err != nil {
			return err
		}
		return c.JSON(listOf(units, next))
	}
}

func handleUnitGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := s.db.UnitByCode(c.UserContext(), c.Params("code"))
		if err != nil {
			return err
		}
		return c.JSON(u)
	}
}

// importResult is how many units an import created.
type importResult struct {
	Created int `json:"created"`
}

// handleUnitImport creates the units of a CSV file (the body, or a
// multipart field "file"), all or none: every bad line is reported with
// its number.
func handleUnitImport(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body := c.Body()
		if fh, err := c.FormFile("file"); err == nil {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			defer f.Close()
			if body, err = io.ReadAll(f); err != nil {
				return err
			}
		}
		n, err := s.svc.ImportUnits(c.UserContext(), body)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(importResult{Created: n})
	}
}
