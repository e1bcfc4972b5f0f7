package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// rulesetFormat is the format a ruleset body was sent in.
func rulesetFormat(c *fiber.Ctx) string {
	if strings.Contains(c.Get(fiber.HeaderContentType), "json") {
		return "json"
	}
	return "yaml"
}

// rulesetVersion is the version a ruleset was stored as.
type rulesetVersion struct {
	Version int `json:"version"`
}

// rulesetView is a version of a campaign's ruleset: its source as sent, and
// as read.
type rulesetView struct {
	Version   int            `json:"version"`
	Format    string         `json:"format" validate:"oneof=yaml json"`
	Source    string         `json:"source"`
	CreatedBy string         `json:"created_by"`
	CreatedAt time.Time      `json:"created_at"`
	Ruleset   *rules.Ruleset `json:"ruleset"`
}

// handleRulesetPut stores a new version when the body is a valid ruleset;
// otherwise the current version stays in force.
func handleRulesetPut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		rv, err := s.svc.SaveRuleset(c.UserContext(), c.Params("slug"), c.Body(), rulesetFormat(c))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(rulesetVersion{Version: rv.Version})
	}
}

func handleRulesetGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		version := c.QueryInt("version", 0)
		if version < 0 || (c.Query("version") != "" && version == 0) {
			return invalidField("version", msg(c, "phiên bản bộ quy tắc (version) phải là số nguyên dương", "version must be a positive integer"))
		}
		rv, err := s.db.Ruleset(c.UserContext(), c.Params("slug"), version)
		if err != nil {
			return err
		}
		rs, _, err := s.svc.Rulesets().Get(c.UserContext(), c.Params("slug"), rv.Version)
		if err != nil {
			return err
		}
		return c.JSON(rulesetView{Version: rv.Version, Format: rv.Format, Source: rv.Source,
			CreatedBy: rv.CreatedBy, CreatedAt: rv.CreatedAt, Ruleset: rs})
	}
}

// handleRulesetDryRun scores the campaign with the body's ruleset and
// answers with a page of the leaderboard it would give (the next page
// scores again, from its cursor); nothing is stored.
func handleRulesetDryRun(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		sc, err := scopeParam(c)
		if err != nil {
			return err
		}
		p, err := page(c)
		if err != nil {
			return err
		}
		offset, err := offsetCursor(c)
		if err != nil {
			return err
		}
		board, period, err := s.svc.DryRun(c.UserContext(), slug, c.Body(), c.Query("period"))
		if err != nil {
			return err
		}
		entries, err := scoring.NewTable(board).Scope(sc.String())
		if err != nil {
			return err
		}
		lb := leaderboard{Campaign: slug, Period: period.Key, Scope: sc.String()}
		limit := p.Limit
		if limit == 0 {
			limit = store.DefaultLimit
		}
		lb.fill(entries, 0, offset, limit, nil)
		return c.JSON(lb)
	}
}
