package app

import (
	"encoding/json"
	"reflect"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// campaignUnits is "all" or a list of unit codes.
type campaignUnits struct {
	All   bool
	Codes []string
}

// UnmarshalJSON reads "all" or an array of codes.
func (u *campaignUnits) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != "all" {
			return &json.UnmarshalTypeError{Value: "string " + s, Type: reflect.TypeFor[[]string]()}
		}
		u.All = true
		return nil
	}
	return json.Unmarshal(b, &u.Codes)
}

type campaignRequest struct {
	Slug     string        `json:"slug" validate:"required,slug"`
	Name     string        `json:"name" validate:"required,max=300"`
	StartsOn string        `json:"starts_on" validate:"required,date"`
	EndsOn   string        `json:"ends_on" validate:"required,date"`
	Units    campaignUnits `json:"units"`
}

func handleCampaignCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req campaignRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		starts, _ := store.ParseDate(req.StartsOn)
		ends, _ := store.ParseDate(req.EndsOn)
		if ends.Before(starts.Time) {
			return invalidField("ends_on", msg(c, "ngày kết thúc phải sau ngày bắt đầu", "must not be before starts_on"))
		}
		if !req.Units.All && len(req.Units.Codes) == 0 {
			return invalidField("units", msg(c, `units là "all" hoặc danh sách mã đơn vị`, `units must be "all" or a list of unit codes`))
		}
		camp, err := s.db.CreateCampaign(c.UserContext(), store.NewCampaign{
			Slug: req.Slug, Name: req.Name, StartsOn: starts, EndsOn: ends,
			AllUnits: req.Units.All, Units: req.Units.Codes,
		})
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
		items, next, err := s.db.Campaigns(c.UserContext(), p)
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}

func handleCampaignGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		camp, err := s.db.CampaignBySlug(c.UserContext(), c.Params("slug"))
		if err != nil {
			return err
		}
		return c.JSON(camp)
	}
}

type indicatorRequest struct {
	Key    string   `json:"key" validate:"required,key"`
	Title  string   `json:"title" validate:"required,max=300"`
	Unit   string   `json:"unit" validate:"required,oneof=percent count"`
	Target *float64 `json:"target" validate:"required,gte=0"`
}

func handleIndicatorCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req indicatorRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		if req.Unit == "percent" && *req.Target > 1 {
			return invalidField("target", msg(c, "chỉ tiêu phần trăm ghi dạng tỉ lệ 0..1 (1 = 100%)",
				"a percent target is a fraction 0..1 (1 = 100%)"))
		}
		ind, err := s.db.CreateIndicator(c.UserContext(), c.Params("slug"), store.Indicator{
			Key: req.Key, Title: req.Title, Unit: req.Unit, Target: *req.Target,
		})
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

type covenantRequest struct {
	Targets map[string]float64 `json:"targets" validate:"required,max=200,dive,keys,key,endkeys,gte=0"`
}

func handleCovenantPut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		unit := c.Params("code")
		if err := actFor(c, unit); err != nil {
			return err
		}
		var req covenantRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		cov, err := s.db.PutCovenant(c.UserContext(), c.Params("slug"), unit, req.Targets)
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
		cov, err := s.db.Coverage(c.UserContext(), c.Params("slug"), store.CoverageFilter{
			Level: c.Query("level"), Cluster: c.Query("cluster"),
		})
		if err != nil {
			return err
		}
		return c.JSON(cov)
	}
}
