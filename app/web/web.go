// Package web serves the platform's pages: server-rendered HTML in
// Vietnamese first (English with ?lang=en), for the public and for signed-in
// unit officers and organisers. Templates and static assets are embedded in
// the binary; nothing is loaded from elsewhere. Pages work without
// JavaScript: forms post normally and htmx only enhances search and paging.
//
// Every write goes through package platform, as the API's do: what a
// visitor may do, package policy decides for both, on the server, whatever
// the form says. A page reads the policy only to hide what its visitor may
// not use.
package web

import (
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/respcache"
	"github.com/thidua/thidua/app/sso"
	"github.com/thidua/thidua/app/store"
)

// Deps is what the pages need from the service.
type Deps struct {
	// Platform is what the pages do: every write and every read that is not
	// public goes through it, under the same policy as the API.
	Platform *platform.Service
	// DB answers the public reads.
	DB  *store.DB
	Log *slog.Logger
	// PublicURL is the site's address in links that leave the page (a
	// certificate's verification link, the honours feed); "" takes the
	// request's, which a client chooses.
	PublicURL string
	// Cache keeps the public pages (the API's public lists share it).
	Cache *respcache.Cache
	// SSO signs people in with the city's OpenID provider; nil when none
	// is configured.
	SSO *sso.Client
	// LocalLogin lets people sign in with a password.
	LocalLogin bool
	// Mail says whether reminders are sent (an SMTP server is configured).
	Mail bool
}

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
	cached := d.Cache.Handler(pageRules)
	app.Get("/static/:name", h.assets.serve)

	gzip := compress.New()
	read := func(fn pageFunc) []fiber.Handler {
		return []fiber.Handler{gzip, h.session, h.handle(fn)}
	}
	write := func(fn pageFunc) []fiber.Handler {
		return []fiber.Handler{gzip, h.session, h.checkCSRF, h.handle(fn)}
	}
	// A public page is made once per change of what it shows (see
	// pageRules), compressed once too.
	public := func(fn pageFunc) []fiber.Handler {
		return []fiber.Handler{h.session, cached, gzip, h.handle(fn)}
	}

	// Public pages.
	app.Get("/", public(h.home)...)
	app.Get("/c/:slug", public(h.campaign)...)
	app.Get("/c/:slug/export.csv", public(h.boardCSV)...)
	app.Get("/c/:slug/coverage", public(h.coverage)...)
	app.Get("/c/:slug/projects", public(h.gallery)...)
	app.Get("/c/:slug/u/:code", public(h.unit)...)
	app.Get("/projects/:id", public(h.project)...)
	app.Get("/c/:slug/honours", public(h.honours)...)
	app.Get("/c/:slug/honours.atom", public(h.honoursFeed)...)
	app.Get("/honours/:serial.pdf", h.session, h.handle(h.certificatePDF))
	app.Get("/verify/:serial", read(h.verify)...)

	// What crawlers and link previews read (seo.go, boardimage.go).
	app.Get("/robots.txt", h.session, h.handle(h.robots))
	app.Get("/sitemap.xml", public(h.sitemap)...)
	app.Get("/favicon.ico", h.handle(h.favicon))
	app.Get("/c/:slug/board.png", h.session, cached, h.handle(h.boardImage))

	// Signing in and out.
	app.Get("/login", read(h.loginForm)...)
	app.Post("/login", write(h.login)...)
	app.Post("/logout", write(h.logout)...)
	app.Get("/auth/oidc/start", read(h.ssoStart)...)
	app.Get("/auth/oidc/callback", read(h.ssoCallback)...)
	app.Get("/me", read(h.me)...)
	app.Get("/unsubscribe/:token", read(h.unsubscribeForm)...)
	app.Post("/unsubscribe/:token", write(h.unsubscribe)...)

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
	app.Post("/judge/projects/:id/recuse", write(h.judgeRecuse)...)

	// The organiser's work.
	app.Get("/admin", read(h.admin)...)
	app.Get("/admin/units/import", read(h.importForm)...)
	app.Post("/admin/units/import", write(h.importUnits)...)
	app.Get("/admin/users/new", read(h.userForm)...)
	app.Post("/admin/users/new", write(h.userCreate)...)
	app.Get("/admin/reminders", read(h.reminders)...)
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
	app.Post("/admin/c/:slug/periods/reopen", write(h.periodReopen)...)
	app.Get("/admin/c/:slug/reports", read(h.reportQueue)...)
	app.Post("/admin/c/:slug/reports/verify", write(h.reportVerify)...)
	app.Get("/admin/c/:slug/honours", read(h.honourForm)...)
	app.Post("/admin/c/:slug/honours", write(h.honourGrant)...)
	app.Post("/admin/c/:slug/honours/revoke", write(h.honourRevoke)...)
	app.Get("/admin/webhooks", read(h.webhooks)...)
	app.Post("/admin/webhooks", write(h.webhookCreate)...)
	app.Get("/admin/webhooks/:id", read(h.webhookLog)...)
	app.Post("/admin/webhooks/:id/test", write(h.webhookTest)...)
	app.Post("/admin/webhooks/:id/delete", write(h.webhookDelete)...)

	app.Use(h.notFound)
}

// notFound answers an unknown path with an HTML page; under /api/ it
// passes on to the API's problem+json answer.
func (h *pages) notFound(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	h.loadSession(c)
	return h.fail(c, errNotFound)
}
