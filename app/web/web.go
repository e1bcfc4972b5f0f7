// Package web serves the platform's pages: server-rendered HTML in
// Vietnamese first (English with ?lang=en), for the public and for signed-in
// unit officers and organisers. Templates and static assets are embedded in
// the binary; nothing is loaded from elsewhere. Pages work without
// JavaScript: forms post normally and htmx only enhances search and paging.
//
// Every write goes through the same store methods as the API, under the
// same rules: an officer acts only for their own unit, checked here on the
// server, whatever the form says.
package web

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// Deps is what the pages need from the service.
type Deps struct {
	DB  *store.DB
	Log *slog.Logger
	// PublicURL is the site's address in links that leave the page (a
	// certificate's verification link, the honours feed); "" takes the
	// request's, which a client chooses.
	PublicURL string

	// SignIn checks credentials and opens a session; wrong credentials are
	// ErrWrongPassword.
	SignIn func(ctx context.Context, username, password string) (Session, error)
	// User returns the user of a live session token; a token that is not
	// live (unknown, expired, revoked) is store.ErrNotFound.
	User func(ctx context.Context, token string) (*store.User, error)
	// SignOut revokes a session token.
	SignOut func(ctx context.Context, token string) error
	// ReportingEvery is how often a campaign's units report indicator values.
	ReportingEvery func(ctx context.Context, slug string) (rules.Granularity, error)
	// ImportUnits parses a units CSV file and imports it all or nothing.
	// Bad lines are store.ImportErrors; a file that cannot be read is
	// store.ErrInvalid with a detail.
	ImportUnits func(c *fiber.Ctx, csv []byte) (int, error)
	// Leaderboard returns a campaign's published board for a period ("" for
	// the period of its newest run), read from memory; a campaign or period
	// without a run is store.ErrNotFound.
	Leaderboard func(ctx context.Context, slug, period string) (*Leaderboard, error)
	// Compile checks a candidate ruleset against the campaign's indicators;
	// an invalid one is rules.Problems.
	Compile func(ctx context.Context, slug string, source []byte) (*rules.Ruleset, error)
	// SaveRuleset compiles a ruleset (rules.Problems when invalid) and
	// stores it as the campaign's new version.
	SaveRuleset func(ctx context.Context, slug string, source []byte) (*store.RulesetVersion, error)
	// DryRun scores the campaign with a candidate ruleset for a period (""
	// for the open one) and stores nothing; it returns the period's key.
	DryRun func(ctx context.Context, slug string, rs *rules.Ruleset, period string) (*scoring.Board, string, error)
	// Score scores a campaign now for a period ("" for the open one), or
	// with close set, closes the period and grants its honours.
	Score func(ctx context.Context, slug, period string, close bool) (*store.Run, error)
	// Judging is the judging section of the campaign's current ruleset; nil
	// while it has none.
	Judging func(ctx context.Context, slug string) (*rules.Judging, error)
	// CreateUser hashes the password and creates the user; a taken
	// username is store.ErrConflict, an unknown unit store.ErrInvalid on
	// "unit". The caller checks the API's rules first.
	CreateUser func(ctx context.Context, username, password, role, unit string) (*store.User, error)
}

// Leaderboard is one run's board, as published.
type Leaderboard struct {
	Run     *store.Run
	Ruleset *rules.Ruleset // the version the run used
	Board   *scoring.Board
	// Scope lists a scope's entries (see scoring.ParseScope), computed once
	// per run.
	Scope func(scope string) ([]scoring.Entry, error)
	// RankChange is how many places a unit rose in a scope since the
	// previous run (negative: fell); nil when unknown.
	RankChange func(sc scoring.Scope, e scoring.Entry) *int
}

// Session is a signed-in browser's session.
type Session struct {
	Token   string
	Expires time.Time
	User    *store.User
}

// ErrWrongPassword is what SignIn returns for an unknown user or a wrong password.
var ErrWrongPassword = errors.New("wrong username or password")

// pages holds what every page handler shares.
type pages struct {
	Deps
	views  *views
	assets *assets
}

// siteURL is the address links that leave the page start with.
func (h *pages) siteURL(c *fiber.Ctx) string {
	if h.PublicURL != "" {
		return h.PublicURL
	}
	return c.BaseURL()
}

// Register adds every page route to app, and an HTML not-found page for
// any other path outside /api/. It must come after the API's routes and
// before the service's not-found fallback.
func Register(app *fiber.App, d Deps) {
	a := mustLoadAssets()
	h := &pages{Deps: d, views: mustParseViews(a), assets: a}
	app.Get("/static/:name", h.assets.serve)

	gzip := compress.New()
	read := func(fn pageFunc) []fiber.Handler {
		return []fiber.Handler{gzip, h.session, h.handle(fn)}
	}
	write := func(fn pageFunc) []fiber.Handler {
		return []fiber.Handler{gzip, h.session, h.checkCSRF, h.handle(fn)}
	}

	// Public pages.
	app.Get("/", read(h.home)...)
	app.Get("/c/:slug", read(h.campaign)...)
	app.Get("/c/:slug/coverage", read(h.coverage)...)
	app.Get("/c/:slug/projects", read(h.gallery)...)
	app.Get("/c/:slug/u/:code", read(h.unit)...)
	app.Get("/projects/:id", read(h.project)...)
	app.Get("/c/:slug/honours", read(h.honours)...)
	app.Get("/c/:slug/honours.atom", read(h.honoursFeed)...)
	app.Get("/honours/:serial.pdf", h.session, h.handle(h.certificatePDF))
	app.Get("/verify/:serial", read(h.verify)...)

	// Signing in and out.
	app.Get("/login", read(h.loginForm)...)
	app.Post("/login", gzip, h.session, h.loginLimiter(), h.checkCSRF, h.handle(h.login))
	app.Post("/logout", write(h.logout)...)
	app.Get("/me", read(h.me)...)

	// A unit officer's work (an admin may act for any unit).
	app.Get("/c/:slug/projects/new", read(h.projectNewForm)...)
	app.Post("/c/:slug/projects/new", write(h.projectCreate)...)
	app.Get("/projects/:id/edit", read(h.projectEditForm)...)
	app.Post("/projects/:id/edit", write(h.projectUpdate)...)
	app.Get("/projects/:id/progress", read(h.progressForm)...)
	app.Post("/projects/:id/progress", write(h.progressCreate)...)
	app.Get("/c/:slug/u/:code/report", read(h.reportForm)...)
	app.Post("/c/:slug/u/:code/report", write(h.reportPut)...)
	app.Get("/c/:slug/u/:code/covenant", read(h.covenantForm)...)
	app.Post("/c/:slug/u/:code/covenant", write(h.covenantPut)...)

	// A judge's work.
	app.Get("/judge", read(h.judgeHome)...)
	app.Get("/judge/projects/:id", read(h.judgeProject)...)
	app.Post("/judge/projects/:id", write(h.judgeScore)...)

	// The organiser's work.
	app.Get("/admin", read(h.admin)...)
	app.Get("/admin/units/import", read(h.importForm)...)
	app.Post("/admin/units/import", write(h.importUnits)...)
	app.Get("/admin/users/new", read(h.userForm)...)
	app.Post("/admin/users/new", write(h.userCreate)...)
	app.Get("/admin/campaigns/new", read(h.campaignForm)...)
	app.Post("/admin/campaigns/new", write(h.campaignCreate)...)
	app.Get("/admin/c/:slug/indicators", read(h.indicatorsForm)...)
	app.Post("/admin/c/:slug/indicators", write(h.indicatorAdd)...)
	app.Get("/admin/c/:slug/ruleset", read(h.rulesetForm)...)
	app.Post("/admin/c/:slug/ruleset", write(h.rulesetPost)...)
	app.Get("/admin/c/:slug/judging", read(h.judgingForm)...)
	app.Post("/admin/c/:slug/judges", write(h.judgeAdd)...)
	app.Post("/admin/c/:slug/assignments", write(h.autoAssign)...)
	app.Post("/admin/c/:slug/assign", write(h.assign)...)
	app.Post("/admin/c/:slug/unassign", write(h.unassign)...)
	app.Post("/admin/c/:slug/judges/remove", write(h.removeJudge)...)
	app.Post("/admin/c/:slug/judging/lock", write(h.lockJudging)...)
	app.Get("/admin/c/:slug/runs", read(h.runsForm)...)
	app.Post("/admin/c/:slug/runs", write(h.runCreate)...)
	app.Get("/admin/c/:slug/honours", read(h.honourForm)...)
	app.Post("/admin/c/:slug/honours", write(h.honourGrant)...)

	app.Use(h.notFound)
}

// notFound answers an unknown path with an HTML page; under /api/ it
// passes on to the API's problem+json answer.
func (h *pages) notFound(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	if err := h.loadSession(c); err != nil {
		return h.fail(c, err)
	}
	return h.fail(c, errNotFound)
}
