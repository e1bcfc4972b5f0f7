package app

import (
	"context"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// rulesetCache holds compiled rulesets by campaign and version: a version
// is immutable, so it is compiled once.
type rulesetCache struct {
	mu sync.Mutex
	m  map[rulesetKey]*rules.Ruleset
}

type rulesetKey struct {
	slug    string
	version int
}

// ruleset returns a campaign's compiled ruleset (version 0: the current one).
func (s *Server) ruleset(ctx context.Context, slug string, version int) (*rules.Ruleset, int, error) {
	rv, err := s.db.Ruleset(ctx, slug, version)
	if err != nil {
		return nil, 0, err
	}
	key := rulesetKey{slug, rv.Version}
	s.rulesets.mu.Lock()
	rs, ok := s.rulesets.m[key]
	s.rulesets.mu.Unlock()
	if ok {
		return rs, rv.Version, nil
	}
	inds, err := s.db.Indicators(ctx, slug)
	if err != nil {
		return nil, 0, err
	}
	if rs, err = rules.Compile([]byte(rv.Source), indicatorKeys(inds)); err != nil {
		return nil, 0, err // a stored version compiled when saved: this is a bug
	}
	s.rulesets.mu.Lock()
	if s.rulesets.m == nil {
		s.rulesets.m = map[rulesetKey]*rules.Ruleset{}
	}
	s.rulesets.m[key] = rs
	s.rulesets.mu.Unlock()
	return rs, rv.Version, nil
}

func indicatorKeys(inds []store.Indicator) []string {
	keys := make([]string, len(inds))
	for i, in := range inds {
		keys[i] = in.Key
	}
	return keys
}

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
	inds, err := s.db.Indicators(c.UserContext(), slug)
	if err != nil {
		return nil, "", err
	}
	rs, err := rules.Compile(body, indicatorKeys(inds))
	if ps, ok := err.(rules.Problems); ok {
		fields := make([]fieldError, len(ps))
		for i, p := range ps {
			fields[i] = fieldError{Field: p.Path, Message: p.Message, Line: p.Line, Column: p.Column}
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
		rs, _, err := s.ruleset(c.UserContext(), c.Params("slug"), rv.Version)
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
	rs, _, err := s.ruleset(ctx, slug, 0)
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
