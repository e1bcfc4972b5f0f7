package app

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// compileBody compiles a ruleset sent in a request; problems are a 422
// listing each with its path and position.
func (s *Server) compileBody(c *fiber.Ctx, slug string) (*rules.Ruleset, string, error) {
	body := c.Body()
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, "", &malformedError{"the request body is empty; send the ruleset as YAML or JSON"}
	}
	format := "yaml"
	if strings.Contains(c.Get(fiber.HeaderContentType), "json") {
		format = "json"
	}
	keys, err := s.rulesets.Indicators(c.UserContext(), slug)
	if err != nil {
		return nil, "", err
	}
	rs, err := rules.Compile(body, keys)
	if ps, ok := err.(rules.Problems); ok {
		fields := make([]fieldError, len(ps))
		for i, p := range ps {
			fields[i] = fieldError{Field: p.Path, Message: p.Text(lang(c)), Line: p.Line, Column: p.Column}
		}
		return nil, "", &invalidError{fields: fields}
	}
	return rs, format, err
}

// handleRulesetPut stores a new version when the body is a valid ruleset;
// otherwise the current version stays in force.
func handleRulesetPut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		if _, err := s.db.CampaignBySlug(c.UserContext(), slug); err != nil {
			return err
		}
		_, format, err := s.compileBody(c, slug)
		if err != nil {
			return err
		}
		rv, err := s.db.SaveRuleset(c.UserContext(), slug, string(c.Body()), format)
		if err != nil {
			return err
		}
		if s.onRuleset != nil {
			s.onRuleset(c.UserContext(), slug)
		}
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"version": rv.Version})
	}
}

func handleRulesetGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		version := c.QueryInt("version", 0)
		if version < 0 || (c.Query("version") != "" && version == 0) {
			return invalidField("version", msg(c, "version là số nguyên dương", "version must be a positive integer"))
		}
		rv, err := s.db.Ruleset(c.UserContext(), c.Params("slug"), version)
		if err != nil {
			return err
		}
		rs, _, err := s.rulesets.Get(c.UserContext(), c.Params("slug"), rv.Version)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"version": rv.Version, "format": rv.Format, "source": rv.Source,
			"created_by": rv.CreatedBy, "created_at": rv.CreatedAt, "ruleset": rs})
	}
}

// reportingEvery is how often a campaign's units report: as its current
// ruleset says, monthly while it has none.
func (s *Server) reportingEvery(ctx context.Context, slug string) (rules.Granularity, error) {
	rs, _, err := s.rulesets.Get(ctx, slug, 0)
	if err == nil {
		return rs.Reporting.Every, nil
	}
	if se, ok := err.(*store.Error); ok && se.Kind == store.ErrNotFound {
		if _, err := s.db.CampaignBySlug(ctx, slug); err != nil {
			return "", err
		}
		return rules.Month, nil
	}
	return "", err
}

// handleRulesetDryRun scores the campaign with the body's ruleset and
// answers with the leaderboard it would give; nothing is stored.
func handleRulesetDryRun(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		if _, err := s.db.CampaignBySlug(c.UserContext(), slug); err != nil {
			return err
		}
		sc, err := scopeParam(c)
		if err != nil {
			return err
		}
		p, err := page(c)
		if err != nil {
			return err
		}
		rs, _, err := s.compileBody(c, slug)
		if err != nil {
			return err
		}
		board, period, err := s.runner.DryRun(c.UserContext(), slug, rs, c.Query("period"))
		if err != nil {
			return err
		}
		entries, err := board.Scope(sc.String())
		if err != nil {
			return err
		}
		lb := leaderboard{Campaign: slug, Period: period.Key, Scope: sc.String(), Total: len(entries), Items: []leaderboardItem{}}
		limit := p.Limit
		if limit == 0 {
			limit = store.DefaultLimit
		}
		for _, e := range entries[:min(limit, len(entries))] {
			lb.Items = append(lb.Items, item(e, nil))
		}
		return c.JSON(lb)
	}
}
