package app

import (
	"github.com/gofiber/fiber/v2"
)

// access says who may call a route; it is documented in the OpenAPI
// document and enforced by the route's middleware.
type access string

const (
	public    access = "public"
	signedIn  access = "signed in"
	adminOnly access = "admin"
	unitOwn   access = "unit (own), admin"
	unitOnly  access = "unit (own)"
	judgeOnly access = "judge"
)

// route is one endpoint of the API and what its OpenAPI entry says.
type route struct {
	method  string
	path    string
	summary string
	access  access
	body    any // the request body's type, for the OpenAPI document
	handler []fiber.Handler
}

// apiRoutes is the whole API on one screen.
func (s *Server) apiRoutes() []route {
	admin := func(p permission, h fiber.Handler) []fiber.Handler { return []fiber.Handler{require(p), h} }
	anyone := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{h} }
	routes := []route{
		{"GET", "/healthz", "Liveness", public, nil, anyone(handleHealth)},
		{"GET", "/readyz", "Readiness: database reachable, migrations applied", public, nil, anyone(handleReady(s))},
		{"GET", "/metrics", "Prometheus metrics", public, nil, anyone(s.metrics.handler())},
		{"GET", "/api/v1/openapi.json", "This document", public, nil, anyone(s.handleOpenAPI)},

		{"POST", "/api/v1/auth/login", "Sign in: a bearer token", public, loginRequest{}, []fiber.Handler{s.loginLimiter(), handleLogin(s)}},
		{"POST", "/api/v1/auth/logout", "Revoke the token", signedIn, nil, []fiber.Handler{requireSignedIn, handleLogout(s)}},
		{"GET", "/api/v1/me", "The signed-in user", signedIn, nil, []fiber.Handler{requireSignedIn, handleMe(s)}},
		{"POST", "/api/v1/users", "Create a user", adminOnly, userRequest{}, admin(permManageUsers, handleUserCreate(s))},

		{"GET", "/api/v1/units", "List units (filters parent, level, kind, cluster, q)", public, nil, anyone(handleUnitList(s))},
		{"POST", "/api/v1/units", "Create a unit", adminOnly, unitRequest{}, admin(permManageUnits, handleUnitCreate(s))},
		{"POST", "/api/v1/units/import", "Import units from CSV, all or nothing", adminOnly, nil, admin(permManageUnits, handleUnitImport(s))},
		{"GET", "/api/v1/units/:code", "A unit with parent, ancestors, children, clusters", public, nil, anyone(handleUnitGet(s))},

		{"GET", "/api/v1/campaigns", "List campaigns", public, nil, anyone(handleCampaignList(s))},
		{"POST", "/api/v1/campaigns", "Create a campaign", adminOnly, campaignRequest{}, admin(permManageCampaigns, handleCampaignCreate(s))},
		{"GET", "/api/v1/campaigns/:slug", "A campaign with its current ruleset version", public, nil, anyone(handleCampaignGet(s))},
		{"PUT", "/api/v1/campaigns/:slug/ruleset", "Store a new ruleset version (YAML or JSON)", adminOnly, nil, admin(permManageCampaigns, handleRulesetPut(s))},
		{"GET", "/api/v1/campaigns/:slug/ruleset", "The current ruleset (?version=N for an older one)", public, nil, anyone(handleRulesetGet(s))},
		{"POST", "/api/v1/campaigns/:slug/ruleset/dry-run", "Score with a candidate ruleset; store nothing", adminOnly, nil, admin(permManageCampaigns, handleRulesetDryRun(s))},
		{"POST", "/api/v1/campaigns/:slug/runs", "Score now, or close a period", adminOnly, runRequest{}, admin(permRunScoring, handleRunCreate(s))},
		{"GET", "/api/v1/campaigns/:slug/runs", "Run history", public, nil, anyone(handleRunList(s))},
		{"GET", "/api/v1/campaigns/:slug/leaderboard", "Leaderboard (scope, period, limit, cursor)", public, nil, anyone(handleLeaderboard(s))},
		{"GET", "/api/v1/campaigns/:slug/leaderboard/around/:code", "A unit and its neighbours in a scope", public, nil, anyone(handleLeaderboardAround(s))},
		{"GET", "/api/v1/campaigns/:slug/units/:code/score", "A unit's latest score with its breakdown", public, nil, anyone(handleUnitScore(s))},
		{"GET", "/api/v1/campaigns/:slug/export.csv", "The leaderboard with breakdown columns, as CSV", public, nil, anyone(handleExportCSV(s))},
		{"GET", "/api/v1/campaigns/:slug/export.xlsx", "The leaderboard with breakdown columns, as XLSX", public, nil, anyone(handleExportXLSX(s))},
		{"GET", "/api/v1/campaigns/:slug/honours", "Honours granted", public, nil, anyone(handleHonourList(s))},
		{"POST", "/api/v1/campaigns/:slug/honours", "Grant an honour by decision", adminOnly, honourRequest{}, admin(permGrantHonours, handleHonourGrant(s))},
		{"GET", "/api/v1/campaigns/:slug/indicators", "Indicators with targets", public, nil, anyone(handleIndicatorList(s))},
		{"POST", "/api/v1/campaigns/:slug/indicators", "Add an indicator", adminOnly, indicatorRequest{}, admin(permManageCampaigns, handleIndicatorCreate(s))},
		{"GET", "/api/v1/campaigns/:slug/units/:code/covenant", "A unit's covenant", public, nil, anyone(handleCovenantGet(s))},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/covenant", "Sign a unit's covenant", unitOwn, covenantRequest{}, admin(permSignCovenant, handleCovenantPut(s))},
		{"GET", "/api/v1/campaigns/:slug/units/:code/reports", "A unit's reports", public, nil, anyone(handleReportList(s))},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/reports/:period", "Report indicator values for a period", unitOwn, reportRequest{}, admin(permReport, handleReportPut(s))},
		{"GET", "/api/v1/campaigns/:slug/projects", "List projects (filters unit, status, category, q)", public, nil, anyone(handleProjectList(s))},
		{"POST", "/api/v1/campaigns/:slug/projects", "Register a project", unitOwn, projectRequest{}, admin(permEditProject, handleProjectCreate(s))},
		{"GET", "/api/v1/campaigns/:slug/coverage", "Units with and without a project", public, nil, anyone(handleCoverage(s))},

		{"GET", "/api/v1/projects/:id", "A project with history, progress and adoptions", public, nil, anyone(handleProjectGet(s))},
		{"PATCH", "/api/v1/projects/:id", "Edit a project or move its status", unitOwn, projectPatch{}, admin(permEditProject, handleProjectPatch(s))},
		{"POST", "/api/v1/projects/:id/progress", "Report a project's progress", unitOnly, progressRequest{}, admin(permPostProgress, handleProgressCreate(s))},

		{"GET", "/api/v1/audit", "Who changed what, when", adminOnly, nil, admin(permReadAudit, handleAuditList(s))},
	}
	routes = append(routes, s.judgingRoutes()...)
	return routes
}

// routes registers the API.
func (s *Server) routes() {
	table := s.apiRoutes()
	for _, r := range table {
		s.app.Add(r.method, r.path, r.handler...)
	}
	s.openapi = buildOpenAPI(table)
}

func requireSignedIn(c *fiber.Ctx) error {
	if currentUser(c) == nil {
		return problemOf(fiber.StatusUnauthorized, "sign in first")
	}
	return c.Next()
}
