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
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// Deps is what the pages need from the service.
type Deps struct {
	DB  *store.DB
	Log *slog.Logger

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

// Register adds every page route to app. It must come after the API's
// routes and before the service's not-found fallback.
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

	// The organiser's work.
	app.Get("/admin/units/import", read(h.importForm)...)
	app.Post("/admin/units/import", write(h.importUnits)...)
}
