package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
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
)

// guard is the route's check of who may call it, by the policy, and of
// how: the session cookie signs in the API's reads, never its writes, so
// that another site cannot make a signed-in browser write; a write needs
// the Authorization header.
func (r route) guard() fiber.Handler {
	decide := map[access]func(policy.Actor) error{
		signedIn: policy.SignedIn, forUnits: policy.SignedIn, officers: policy.SignedIn, reviewers: policy.SignedIn,
		organisers: policy.Administer, judges: policy.Score, auditors: policy.ReadAudit, verifiers: policy.Administer,
		admins: policy.ReopenPeriod, uploaders: policy.UploadFile,
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
	body    any // the request body's type, for the OpenAPI document
	handler fiber.Handler
}

// apiRoutes is the whole API on one screen.
func (s *Server) apiRoutes() []route {
	routes := []route{
		{"GET", "/healthz", "Liveness", public, nil, handleHealth},
		{"GET", "/readyz", "Readiness: database reachable, migrations applied", public, nil, handleReady(s)},
		{"GET", "/metrics", "Prometheus metrics", public, nil, s.metrics.handler()},
		{"GET", "/api/v1/openapi.json", "This document", public, nil, s.handleOpenAPI},

		{"POST", "/api/v1/auth/login", "Sign in: a bearer token", public, loginRequest{}, handleLogin(s)},
		{"POST", "/api/v1/auth/logout", "Revoke the token", signedIn, nil, handleLogout(s)},
		{"GET", "/api/v1/me", "The signed-in user", signedIn, nil, handleMe},
		{"GET", "/api/v1/users", "Users the caller manages (an organiser: of its subtree)", organisers, nil, handleUserList(s)},
		{"POST", "/api/v1/users", "Create a user (an organiser: of its subtree, never an admin)", organisers, platform.NewUser{}, handleUserCreate(s)},
		{"PATCH", "/api/v1/users/:username", "Change a user's e-mail address (\"\" removes it)", organisers, platform.UserChanges{}, handleUserUpdate(s)},

		{"GET", "/api/v1/units", "List units (filters within, parent, level, kind, cluster, q)", public, nil, handleUnitList(s)},
		{"POST", "/api/v1/units", "Create a unit (an organiser: under a unit of its subtree)", organisers, platform.NewUnit{}, handleUnitCreate(s)},
		{"POST", "/api/v1/units/import", "Import units from CSV, all or nothing", organisers, nil, handleUnitImport(s)},
		{"GET", "/api/v1/units/:code", "A unit with parent, ancestors, children, clusters", public, nil, handleUnitGet(s)},

		{"GET", "/api/v1/campaigns", "List campaigns (filter organiser)", public, nil, handleCampaignList(s)},
		{"POST", "/api/v1/campaigns", "Create a campaign (an organiser: for its subtree)", organisers, platform.NewCampaign{}, handleCampaignCreate(s)},
		{"GET", "/api/v1/campaigns/:slug", "A campaign with its organiser and current ruleset version", public, nil, handleCampaignGet(s)},
		{"PUT", "/api/v1/campaigns/:slug/ruleset", "Store a new ruleset version (YAML or JSON)", organisers, nil, handleRulesetPut(s)},
		{"GET", "/api/v1/campaigns/:slug/ruleset", "The current ruleset (?version=N for an older one)", public, nil, handleRulesetGet(s)},
		{"POST", "/api/v1/campaigns/:slug/ruleset/dry-run", "Score with a candidate ruleset; store nothing", organisers, nil, handleRulesetDryRun(s)},
		{"POST", "/api/v1/campaigns/:slug/runs", "Score now, or close a period", organisers, platform.RunRequest{}, handleRunCreate(s)},
		{"GET", "/api/v1/campaigns/:slug/runs", "Run history", public, nil, handleRunList(s)},
		{"POST", "/api/v1/campaigns/:slug/periods/:period/reopen", "Reopen a closed period, with the reason (its closing run stays, superseded)", admins, platform.Reopening{}, handlePeriodReopen(s)},
		{"GET", "/api/v1/campaigns/:slug/periods/:period/review.pdf", "The period's review pack (sơ kết, tổng kết) as a PDF report; provisional while the period is open", public, nil, handleReviewPDF(s)},
		{"GET", "/api/v1/campaigns/:slug/periods/:period/review.xlsx", "The period's review pack as a workbook, its lists in full", public, nil, handleReviewXLSX(s)},
		{"GET", "/api/v1/campaigns/:slug/leaderboard", "Leaderboard (scope, period, limit, cursor)", public, nil, handleLeaderboard(s)},
		{"GET", "/api/v1/campaigns/:slug/leaderboard/around/:code", "A unit and its neighbours in a scope", public, nil, handleLeaderboardAround(s)},
		{"GET", "/api/v1/campaigns/:slug/units/:code/score", "A unit's latest score with its breakdown", public, nil, handleUnitScore(s)},
		{"GET", "/api/v1/campaigns/:slug/export.csv", "The leaderboard with breakdown columns, as CSV", public, nil, handleExportCSV(s)},
		{"GET", "/api/v1/campaigns/:slug/export.xlsx", "The leaderboard with breakdown columns, as XLSX", public, nil, handleExportXLSX(s)},
		{"GET", "/api/v1/campaigns/:slug/honours", "Honours granted", public, nil, handleHonourList(s)},
		{"POST", "/api/v1/campaigns/:slug/honours", "Grant an honour by decision", organisers, platform.NewHonour{}, handleHonourGrant(s)},
		{"GET", "/api/v1/campaigns/:slug/indicators", "Indicators with targets", public, nil, handleIndicatorList(s)},
		{"POST", "/api/v1/campaigns/:slug/indicators", "Add an indicator", organisers, platform.NewIndicator{}, handleIndicatorCreate(s)},
		{"GET", "/api/v1/campaigns/:slug/units/:code/covenant", "A unit's covenant", public, nil, handleCovenantGet(s)},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/covenant", "Sign a unit's covenant", forUnits, platform.Covenant{}, handleCovenantPut(s)},
		{"GET", "/api/v1/campaigns/:slug/units/:code/reports", "A unit's reports", public, nil, handleReportList(s)},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/reports/:period", "Report indicator values for a period", forUnits, platform.Report{}, handleReportPut(s)},
		{"POST", "/api/v1/campaigns/:slug/units/:code/reports/:period/verify", "Verify a report, or return it with a reason", verifiers, platform.Decision{}, handleReportVerify(s)},
		{"GET", "/api/v1/campaigns/:slug/reports", "The verifier's queue: the reports the caller verifies (?status=submitted), with counts by status", verifiers, nil, handleReportQueue(s)},
		{"GET", "/api/v1/campaigns/:slug/projects", "List projects (filters unit, status, category, q)", public, nil, handleProjectList(s)},
		{"POST", "/api/v1/campaigns/:slug/projects", "Register a project", forUnits, platform.NewProject{}, handleProjectCreate(s)},
		{"GET", "/api/v1/campaigns/:slug/coverage", "Units with and without a project", public, nil, handleCoverage(s)},

		{"POST", "/api/v1/honours/:serial/revoke", "Revoke an honour, with the reason: it stays on the roll, marked revoked", organisers, platform.Revocation{}, handleHonourRevoke(s)},

		{"GET", "/api/v1/projects/:id", "A project with history, progress, adoptions and, once the round is locked, its judging result", public, nil, handleProjectGet(s)},
		{"PATCH", "/api/v1/projects/:id", "Edit a project or move its status (verify or reject: the campaign's organisers)", forUnits, platform.ProjectChanges{}, handleProjectPatch(s)},
		{"POST", "/api/v1/projects/:id/progress", "Report a project's progress", officers, platform.Progress{}, handleProgressCreate(s)},

		{"POST", "/api/v1/files", "Upload an evidence file (multipart field file): a JPEG, PNG or WebP image (kept without its EXIF data) or a PDF", uploaders, nil, handleFileUpload(s)},
		{"GET", "/files/:id/:name", "An evidence file, to whoever may see what it is attached to (until attached, its uploader)", public, nil, handleFileGet(s, false)},
		{"GET", "/thumbnails/:id", "An image's thumbnail (JPEG, at most 480 pixels a side)", public, nil, handleFileGet(s, true)},

		{"GET", "/api/v1/audit", "Who changed what, when", auditors, nil, handleAuditList(s)},
	}
	return append(routes, s.judgingRoutes()...)
}

// routes registers the API: each route with its query check and its
// guard, and HEAD wherever GET is.
func (s *Server) routes() {
	table := s.apiRoutes()
	for _, r := range table {
		s.app.Add(r.method, r.path, checkQuery, r.guard(), r.handler)
		if r.method == fiber.MethodGet {
			s.app.Add(fiber.MethodHead, r.path, checkQuery, r.guard(), r.handler)
		}
	}
	s.openapi = buildOpenAPI(table)
}
