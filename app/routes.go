package app

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/respcache"
	"github.com/thidua/thidua/app/store"
)

// access says who may call a route. It is documented in the OpenAPI
// document, and the route's guard turns away, before anything is read,
// those the policy never lets through; what each caller may do on which
// unit or campaign, the platform's operation asks the policy.
type access string

const (
	public     access = "public"
	signedIn   access = "signed in"
	organisers access = "admin, organiser (its subtree)"
	forUnits   access = "unit (own, or its subtree with scope subtree), organiser of the campaign, admin"
	officers   access = "unit (own, or its subtree with scope subtree)"
	judges     access = "judge"
	reviewers  access = "organiser of the campaign, admin, judge (once scored, never when conflicted)"
	auditors   access = "admin"
	verifiers  access = "organiser of the campaign or of a unit above the report's, admin"
	admins     access = "admin (the platform's operator)"
	uploaders  access = "unit, organiser, admin"
	hooks      access = "organiser of the webhook's campaign, admin (every campaign's: admin)"
)

// guard is the route's check of who may call it, by the policy, and of
// how: the session cookie signs in the API's reads, never its writes, so
// that another site cannot make a signed-in browser write; a write needs
// the Authorization header.
func (r route) guard() fiber.Handler {
	decide := map[access]func(policy.Actor) error{
		signedIn: policy.SignedIn, forUnits: policy.SignedIn, officers: policy.SignedIn, reviewers: policy.SignedIn,
		organisers: policy.Administer, judges: policy.Score, auditors: policy.ReadAudit, verifiers: policy.Administer,
		admins: policy.ReopenPeriod, uploaders: policy.UploadFile, hooks: policy.Administer,
	}[r.access]
	write := !safeMethod(r.method)
	return func(c *fiber.Ctx) error {
		a := platform.ActorFrom(c.UserContext())
		if write && byCookie(c) {
			a = policy.Actor{}
		}
		if decide != nil {
			if err := decide(a); err != nil {
				return err
			}
		}
		return c.Next()
	}
}

// route is one endpoint of the API and what its OpenAPI entry says.
type route struct {
	method  string
	path    string
	summary string
	access  access
	body    any    // the request body's type (or its media types), for the OpenAPI document
	reply   reply  // what it answers when it succeeds, and what more it may answer
	query   string // the query parameters it reads (queryParams)
	handler fiber.Handler
}

// apiRoutes is the whole API on one screen.
func (s *Server) apiRoutes() []route {
	routes := []route{
		{"GET", "/healthz", "Liveness", public, nil, ok(health{}), "", handleHealth},
		{"GET", "/readyz", "Readiness: database reachable, migrations applied, newest leaderboards in memory", public, nil, ok(readiness{}), "", handleReady(s)},
		{"GET", "/metrics", "Prometheus metrics", public, nil, file("text/plain"), "", s.metrics.handler()},
		{"GET", openAPIPath, "This document", public, nil, file("application/json"), "", s.handleOpenAPI},

		{"POST", "/api/v1/auth/login", "Sign in: a bearer token", public, loginRequest{}, ok(platform.Session{}).or(403, 429), "", handleLogin(s)},
		{"POST", "/api/v1/auth/logout", "Revoke the token", signedIn, nil, noContent, "", handleLogout(s)},
		{"GET", "/api/v1/me", "The signed-in user", signedIn, nil, ok(store.User{}), "", handleMe},
		{"GET", "/api/v1/users", "Users the caller manages (an organiser: of its subtree)", organisers, nil, ok(list[store.User]{}), "limit cursor", handleUserList(s)},
		{"POST", "/api/v1/users", "Create a user (an organiser: of its subtree, never an admin)", organisers, platform.NewUser{}, created(store.User{}), "", handleUserCreate(s)},
		{"PATCH", "/api/v1/users/:username", "Change a user's e-mail address (\"\" removes it)", organisers, platform.UserChanges{}, ok(store.User{}), "", handleUserUpdate(s)},

		{"GET", "/api/v1/units", "List units (filters within, parent, level, kind, cluster, q)", public, nil, ok(list[store.Unit]{}), "within parent level kind cluster q limit cursor", handleUnitList(s)},
		{"POST", "/api/v1/units", "Create a unit (an organiser: under a unit of its subtree)", organisers, platform.NewUnit{}, created(store.Unit{}), "", handleUnitCreate(s)},
		{"POST", "/api/v1/units/import", "Import units from CSV, all or nothing", organisers, media{"text/csv", "multipart/form-data"}, created(importResult{}), "", handleUnitImport(s)},
		{"GET", "/api/v1/units/:code", "A unit with parent, ancestors, children, clusters", public, nil, ok(store.UnitDetail{}), "", handleUnitGet(s)},

		{"GET", "/api/v1/campaigns", "List campaigns (filter organiser)", public, nil, ok(list[store.Campaign]{}), "organiser limit cursor", handleCampaignList(s)},
		{"POST", "/api/v1/campaigns", "Create a campaign (an organiser: for its subtree)", organisers, platform.NewCampaign{}, created(store.Campaign{}), "", handleCampaignCreate(s)},
		{"GET", "/api/v1/campaigns/:slug", "A campaign with its organiser and current ruleset version", public, nil, ok(store.Campaign{}), "", handleCampaignGet(s)},
		{"PUT", "/api/v1/campaigns/:slug/ruleset", "Store a new ruleset version (YAML or JSON)", organisers, media{mimeYAML, "application/json"}, created(rulesetVersion{}), "", handleRulesetPut(s)},
		{"GET", "/api/v1/campaigns/:slug/ruleset", "The current ruleset (?version=N for an older one)", public, nil, ok(rulesetView{}), "version", handleRulesetGet(s)},
		{"POST", "/api/v1/campaigns/:slug/ruleset/dry-run", "Score with a candidate ruleset; store nothing", organisers, media{mimeYAML, "application/json"}, ok(leaderboard{}), "scope period limit cursor", handleRulesetDryRun(s)},
		{"POST", "/api/v1/campaigns/:slug/runs", "Score now, or close a period", organisers, optional{platform.RunRequest{}}, created(store.Run{}), "", handleRunCreate(s)},
		{"GET", "/api/v1/campaigns/:slug/runs", "Run history", public, nil, ok(list[store.Run]{}), "limit cursor", handleRunList(s)},
		{"POST", "/api/v1/campaigns/:slug/periods/:period/reopen", "Reopen a closed period, with the reason (its closing run stays, superseded)", admins, platform.Reopening{}, ok(store.Run{}), "", handlePeriodReopen(s)},
		{"GET", "/api/v1/campaigns/:slug/periods/:period/review.pdf", "The period's review pack (sơ kết, tổng kết) as a PDF report; provisional while the period is open", public, nil, file("application/pdf"), "", handleReviewPDF(s)},
		{"GET", "/api/v1/campaigns/:slug/periods/:period/review.xlsx", "The period's review pack as a workbook, its lists in full", public, nil, file(mimeXLSX), "", handleReviewXLSX(s)},
		{"GET", "/api/v1/campaigns/:slug/leaderboard", "Leaderboard (scope, kind, period, limit, cursor)", public, nil, ok(leaderboard{}), "scope kind:board period limit cursor", handleLeaderboard(s)},
		{"GET", "/api/v1/campaigns/:slug/leaderboard/around/:code", "A unit and its neighbours in a scope", public, nil, ok(leaderboard{}), "scope kind:board period n", handleLeaderboardAround(s)},
		{"GET", "/api/v1/campaigns/:slug/units/:code/score", "A unit's latest score with its breakdown", public, nil, ok(unitScore{}), "period", handleUnitScore(s)},
		{"GET", "/api/v1/campaigns/:slug/export.csv", "The leaderboard with breakdown columns, as CSV", public, nil, file("text/csv"), "scope kind:board period", handleExportCSV(s)},
		{"GET", "/api/v1/campaigns/:slug/export.xlsx", "The leaderboard with breakdown columns, as XLSX", public, nil, file(mimeXLSX), "scope kind:board period", handleExportXLSX(s)},
		{"GET", "/api/v1/campaigns/:slug/honours", "Honours granted", public, nil, ok(list[store.Honour]{}), "period:honours unit limit cursor", handleHonourList(s)},
		{"POST", "/api/v1/campaigns/:slug/honours", "Grant an honour by decision", organisers, platform.NewHonour{}, created(store.Honour{}), "", handleHonourGrant(s)},
		{"GET", "/api/v1/campaigns/:slug/indicators", "Indicators with targets", public, nil, ok(list[store.Indicator]{}), "", handleIndicatorList(s)},
		{"POST", "/api/v1/campaigns/:slug/indicators", "Add an indicator", organisers, platform.NewIndicator{}, created(store.Indicator{}), "", handleIndicatorCreate(s)},
		{"GET", "/api/v1/campaigns/:slug/units/:code/covenant", "A unit's covenant", public, nil, ok(store.Covenant{}), "", handleCovenantGet(s)},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/covenant", "Sign a unit's covenant", forUnits, platform.Covenant{}, ok(store.Covenant{}), "", handleCovenantPut(s)},
		{"GET", "/api/v1/campaigns/:slug/units/:code/reports", "A unit's reports", public, nil, ok(list[store.Report]{}), "", handleReportList(s)},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/reports/:period", "Report indicator values for a period", forUnits, platform.Report{}, ok(store.Report{}), "", handleReportPut(s)},
		{"POST", "/api/v1/campaigns/:slug/units/:code/reports/:period/verify", "Verify a report, or return it with a reason", verifiers, platform.Decision{}, ok(store.Report{}), "", handleReportVerify(s)},
		{"GET", "/api/v1/campaigns/:slug/reports", "The verifier's queue: the reports the caller verifies (?status=submitted), with counts by status", verifiers, nil, ok(reportQueue{}), "status:report limit cursor", handleReportQueue(s)},
		{"GET", "/api/v1/campaigns/:slug/projects", "List projects (filters unit, status, category, q)", public, nil, ok(list[store.Project]{}), "unit status:project category q limit cursor", handleProjectList(s)},
		{"POST", "/api/v1/campaigns/:slug/projects", "Register a project", forUnits, platform.NewProject{}, created(store.Project{}), "", handleProjectCreate(s)},
		{"GET", "/api/v1/campaigns/:slug/coverage", "Units with and without a project: the counts of every unit, a page of the units by code", public, nil, ok(store.Coverage{}), "level cluster limit cursor", handleCoverage(s)},

		{"POST", "/api/v1/honours/:serial/revoke", "Revoke an honour, with the reason: it stays on the roll, marked revoked", organisers, platform.Revocation{}, ok(store.Honour{}), "", handleHonourRevoke(s)},

		{"GET", "/api/v1/projects/:id", "A project with history, progress, adoptions and, once the round is locked, its judging result", public, nil, ok(platform.ProjectView{}), "", handleProjectGet(s)},
		{"PATCH", "/api/v1/projects/:id", "Edit a project or move its status (verify or reject: the campaign's organisers)", forUnits, platform.ProjectChanges{}, ok(store.Project{}), "", handleProjectPatch(s)},
		{"POST", "/api/v1/projects/:id/progress", "Report a project's progress", officers, platform.Progress{}, created(store.ProgressNote{}), "", handleProgressCreate(s)},

		{"POST", "/api/v1/files", "Upload an evidence file (multipart field file): a JPEG, PNG or WebP image (kept without its EXIF data) or a PDF", uploaders, media{"multipart/form-data"}, created(store.File{}).or(411, 413, 415), "", handleFileUpload(s)},
		{"GET", "/files/:id/:name", "An evidence file, to whoever may see what it is attached to (until attached, its uploader)", public, nil, file("image/jpeg", "image/png", "image/webp", "application/pdf").or(304), "", handleFileGet(s, false)},
		{"GET", "/thumbnails/:id", "An image's thumbnail (JPEG, at most 480 pixels a side)", public, nil, file("image/jpeg").or(304), "", handleFileGet(s, true)},

		{"GET", "/api/v1/webhooks", "The webhook subscriptions the caller manages (secrets masked)", hooks, nil, ok(list[platform.WebhookView]{}), "", handleWebhookList(s)},
		{"POST", "/api/v1/webhooks", "Subscribe a URL to a campaign's events (without campaign: every campaign's); the secret is shown in this answer only", hooks, platform.NewWebhook{}, created(platform.WebhookView{}), "", handleWebhookCreate(s)},
		{"GET", "/api/v1/webhooks/:id", "A webhook subscription (its secret masked)", hooks, nil, ok(platform.WebhookView{}), "", handleWebhookGet(s)},
		{"DELETE", "/api/v1/webhooks/:id", "Remove a subscription and its deliveries", hooks, nil, noContent, "", handleWebhookDelete(s)},
		{"GET", "/api/v1/webhooks/:id/deliveries", "A subscription's deliveries, newest first: status, attempts, next attempt, last answer", hooks, nil, ok(list[store.Delivery]{}), "limit cursor", handleWebhookDeliveries(s)},
		{"POST", "/api/v1/webhooks/:id/test", "Send a test event (webhook.test) to the subscription now", hooks, nil, reply{status: fiber.StatusAccepted, body: store.Delivery{}}, "", handleWebhookTest(s)},

		{"GET", "/api/v1/audit", "Who changed what, when", auditors, nil, ok(list[store.AuditEntry]{}), "entity key actor limit cursor", handleAuditList(s)},
	}
	return append(routes, s.judgingRoutes()...)
}

// routes registers the API: each route with its query check and its
// guard, and HEAD wherever GET is.
func (s *Server) routes() {
	table := s.apiRoutes()
	cached := s.cache.Handler(publicReads)
	byScope := map[access]fiber.Handler{verifiers: s.cache.Handler(s.verifierReads()), auditors: s.cache.Handler(auditorReads)}
	for _, r := range table {
		handlers := []fiber.Handler{checkQuery, r.guard(), r.handler}
		// The public reads of data are kept (this document is made once),
		// and the verifier's queue and the audit log by the scope of their
		// caller.
		switch {
		case r.kept():
			handlers = slices.Insert(handlers, 2, cached)
		case r.keptByScope():
			handlers = slices.Insert(handlers, 2, byScope[r.access])
		}
		s.app.Add(r.method, r.path, handlers...)
		if r.method == fiber.MethodGet {
			s.app.Add(fiber.MethodHead, r.path, handlers...)
		}
	}
	s.openapi = buildOpenAPI(table)
}

// kept says whether the route's answers are kept for the callers who are
// not signed in (publicReads), and so may be a 304.
func (r route) kept() bool {
	return r.access == public && r.method == fiber.MethodGet && strings.HasPrefix(r.path, "/api/v1/") && r.path != openAPIPath
}

// keptByScope says whether the route's answers are kept for the signed-in
// callers who may see the same, and so may be a 304: the verifier's queue
// (verifierReads) and the audit log (auditorReads).
func (r route) keptByScope() bool {
	return r.method == fiber.MethodGet && (r.access == verifiers || r.access == auditors)
}

// verifierReads say how the verifier's queue is kept (see respcache): by
// the reports its caller verifies (platform.Service.VerifierScope) and its
// address, under the data version, which every write of a report, of a
// unit or of a campaign advances. Callers who verify the same reports
// share an answer; no one is given another scope's. A caller who verifies
// none, or of a campaign that is not, is left to the route.
func (s *Server) verifierReads() respcache.Rules {
	scope := func(c *fiber.Ctx) (string, error) { return s.svc.VerifierScope(c.UserContext(), c.Params("slug")) }
	return respcache.Rules{
		Skip: func(c *fiber.Ctx) bool {
			_, err := scope(c)
			return err != nil
		},
		Vary: func(c *fiber.Ctx) string {
			sc, _ := scope(c)
			return sc + "|" + lang(c)
		},
		Private: publicReads.Private,
	}
}

// auditorReads say how the audit log is kept (see respcache): by its
// address, for every auditor alike (the admins, who all read all of it),
// under the data version, whose mark is made of the log's newest entry and
// of this replica's audited writes. A caller who may not read it is left
// to the route.
var auditorReads = respcache.Rules{
	Skip:    func(c *fiber.Ctx) bool { return policy.ReadAudit(platform.ActorFrom(c.UserContext())) != nil },
	Vary:    func(c *fiber.Ctx) string { return "auditor|" + lang(c) },
	Private: publicReads.Private,
}

// openAPIPath is where the API's document is served.
const openAPIPath = "/api/v1/openapi.json"

// publicReads say which answers of the API's public reads are kept (see
// respcache): JSON made for a caller who is not signed in, by language;
// never a file (an export, a review pack), which is made when asked.
var publicReads = respcache.Rules{
	Skip: func(c *fiber.Ctx) bool { return platform.ActorFrom(c.UserContext()).SignedIn() },
	Vary: lang,
	Private: func(c *fiber.Ctx) bool {
		return !strings.HasPrefix(string(c.Response().Header.ContentType()), fiber.MIMEApplicationJSON)
	},
}
