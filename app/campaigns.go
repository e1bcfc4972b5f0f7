package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

func handleCampaignCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewCampaign
		if err := decode(c, &in); err != nil {
			return err
		}
		camp, err := s.svc.CreateCampaign(c.UserContext(), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(camp)
	}
}

func handleCampaignList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		items, next, err := s.db.Campaigns(c.UserContext(), store.CampaignFilter{Organiser: c.Query("organiser"), Page: p})
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}

func handleCampaignGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		camp, err := s.db.CampaignCounted(c.UserContext(), c.Params("slug"))
		if err != nil {
			return err
		}
		return c.JSON(camp)
	}
}

func handleIndicatorCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.NewIndicator
		if err := decode(c, &in); err != nil {
			return err
		}
		ind, err := s.svc.AddIndicator(c.UserContext(), c.Params("slug"), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(ind)
	}
}

func handleIndicatorList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		items, err := s.db.Indicators(c.UserContext(), c.Params("slug"))
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, ""))
	}
}

func handleCovenantPut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in platform.Covenant
		if err := decode(c, &in); err != nil {
			return err
		}
		cov, err := s.svc.SignCovenant(c.UserContext(), c.Params("slug"), c.Params("code"), in)
		if err != nil {
			return err
		}
		return c.JSON(cov)
	}
}

func handleCovenantGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cov, err := s.db.Covenant(c.UserContext(), c.Params("slug"), c.Params("code"))
		if err != nil {
			return err
		}
		return c.JSON(cov)
	}
}

func handleCoverage(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		pg, err := page(c)
		if err != nil {
			return err
		}
		cov, err := s.db.Coverage(c.UserContext(), c.Params("slug"), store.CoverageFilter{
			Level: c.Query("level"), Cluster: c.Query("cluster"), Page: pg,
		})
		if err != nil {
			return err
		}
		return c.JSON(cov)
	}
}
