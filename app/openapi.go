package app

import (
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/apidoc"
	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// The OpenAPI 3.1 document is built from the route table, so it lists
// exactly the routes the service serves, each with the body it reads, the
// body it answers, the query parameters it reads and the statuses it may
// answer; bodies are described from their Go types and validation tags.
// The app's tests check every response they receive against it.

// reply is what a route answers when it succeeds, and the statuses its
// handler answers beyond those every route of its kind may (openapiStatuses).
type reply struct {
	status int
	body   any      // a JSON body's Go type
	media  []string // or the media types of a body that is not JSON
	also   []int
}

// ok is a 200 with a JSON body of body's type.
func ok(body any) reply { return reply{status: fiber.StatusOK, body: body} }

// created is a 201 with a JSON body of body's type.
func created(body any) reply { return reply{status: fiber.StatusCreated, body: body} }

// noContent is a 204.
var noContent = reply{status: fiber.StatusNoContent}

// file is a 200 with a body of one of the media types.
func file(media ...string) reply { return reply{status: fiber.StatusOK, media: media} }

// or adds statuses the handler may answer besides the usual ones.
func (r reply) or(statuses ...int) reply {
	r.also = append(slices.Clone(r.also), statuses...)
	return r
}

// media is a request body that is not JSON, by its media types.
type media []string

// optional is a JSON request body that may be left out.
type optional struct{ body any }

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeYAML = "application/yaml"
)

// queryParams are the query parameters routes read, by the name a route's
// query lists them with: name, or name:variant where the same name means
// different things on different routes.
var queryParams = map[string]apidoc.Param{
	"limit":     {Description: "Items per page: 1 to 500 (default 50).", Schema: apidoc.Schema{"type": "integer", "minimum": 1, "maximum": store.MaxLimit}},
	"cursor":    {Description: "Where the page starts: the next_cursor of the page before.", Schema: str()},
	"q":         {Description: "Search, insensitive to case and accents.", Schema: str()},
	"within":    {Description: "Only units in the subtree of this unit (its code), itself included.", Schema: str()},
	"parent":    {Description: "Only the children of this unit (its code).", Schema: str()},
	"level":     {Description: "Only units of this level (e.g. city, commune).", Schema: str()},
	"kind":      {Description: "Only units of this kind (e.g. front, womens_union).", Schema: str()},
	"cluster":   {Description: "Only units of this emulation cluster (its code).", Schema: str()},
	"organiser": {Description: "Only campaigns organised by this unit (its code).", Schema: str()},
	"scope": {Description: "Which ranking: overall, level:<level> or cluster:<cluster>.",
		Schema: apidoc.Schema{"type": "string", "default": "overall", "pattern": "^(overall|level:.+|cluster:.+)$"}},
	"period":         {Description: "A scoring period (2026, 2026-H2, 2026-Q3, 2026-07, 2026-W49, all); the current one when absent.", Schema: str()},
	"period:honours": {Description: "Only honours of this period.", Schema: str()},
	"unit":           {Description: "Only those of this unit (its code).", Schema: str()},
	"status:project": {Description: "Only projects with this status.", Schema: apidoc.Schema{"type": "string", "enum": store.Statuses}},
	"status:report": {Description: "Only reports with this status.",
		Schema: apidoc.Schema{"type": "string", "enum": []string{store.ReportSubmitted, store.ReportVerified, store.ReportReturned}}},
	"category":        {Description: "Only projects of this category.", Schema: apidoc.Schema{"type": "string", "enum": store.Categories}},
	"version":         {Description: "An older version of the ruleset (default: the current one).", Schema: apidoc.Schema{"type": "integer", "minimum": 1}},
	"n":               {Description: "How many neighbours on each side: 1 to 50 (default 5).", Schema: apidoc.Schema{"type": "integer", "minimum": 1, "maximum": 50, "default": 5}},
	"withdraw_scores": {Description: "Withdraw the judge's scores too.", Schema: apidoc.Schema{"type": "boolean", "default": false}},
	"campaign":        {Description: "Only those of this campaign (its slug).", Schema: str()},
	"scored": {Description: "Only the assignments I have scored (true) or those left to score, of projects in competition (false); every one when absent.",
		Schema: apidoc.Schema{"type": "boolean"}},
	"level:assignments": {Description: "Only projects of units of this level (e.g. commune).", Schema: str()},
	"entity":            {Description: "Only changes of this kind of thing (e.g. project, ruleset, honour).", Schema: str()},
	"key":               {Description: "Only changes of the thing with this key (with entity).", Schema: str()},
	"actor":             {Description: "Only changes by this user.", Schema: str()},
	"kind:board": {Description: "Only units of this kind (e.g. front: the wards' Front committees without the mass organisations of their level), each keeping its rank in the scope; a kind no unit of the campaign has is refused.",
		Schema: str()},
}

func str() apidoc.Schema { return apidoc.Schema{"type": "string"} }

// operation is the route as the document describes it.
func (r route) operation() apidoc.Operation {
	op := apidoc.Operation{
		Method: r.method, Path: r.path, Summary: r.summary, Description: "Access: " + string(r.access) + ".",
		Tag: tagOf(r.path), Security: r.security(), Responses: map[int]apidoc.Response{},
		Params: []apidoc.Param{{Ref: "lang"}},
	}
	for _, q := range strings.Fields(r.query) {
		p, ok := queryParams[q]
		if !ok {
			panic("openapi: no query parameter " + q)
		}
		p.Name, _, _ = strings.Cut(q, ":")
		op.Params = append(op.Params, p)
	}
	if strings.HasPrefix(r.path, "/api/v1/projects/:id") || strings.HasPrefix(r.path, "/api/v1/webhooks/:id") {
		op.PathParams = map[string]apidoc.Schema{"id": {"type": "integer", "minimum": 1}}
	}
	switch b := r.body.(type) {
	case nil:
	case media:
		op.RequestMedia = b
	case optional:
		op.Request, op.RequestOptional = b.body, true
	default:
		op.Request = b
	}
	ok := apidoc.Response{Description: http.StatusText(r.reply.status), Body: r.reply.body, Media: r.reply.media}
	op.Responses[r.reply.status] = ok
	for _, status := range r.otherStatuses() {
		if status < 400 {
			op.Responses[status] = apidoc.Response{Description: http.StatusText(status)}
			continue
		}
		op.Responses[status] = apidoc.Response{Ref: problemResponse(status)}
	}
	return op
}

// otherStatuses are the statuses a route answers besides its success: a
// problem for those of every route (a query that is not text, a bad
// Authorization header, a failure of the service, its database out of
// reach), of its kind (guarded, with path parameters, writing, reading a
// body or a query) and those its reply adds; a 304 where a read is kept
// (publicReads, verifierReads).
func (r route) otherStatuses() []int {
	out := []int{fiber.StatusBadRequest, fiber.StatusUnauthorized, fiber.StatusInternalServerError, fiber.StatusServiceUnavailable}
	write := !safeMethod(r.method)
	if r.access != public {
		out = append(out, fiber.StatusForbidden)
	}
	if strings.Contains(r.path, ":") {
		out = append(out, fiber.StatusNotFound)
	}
	if write && r.access != public && r.access != signedIn {
		out = append(out, fiber.StatusConflict)
	}
	if r.body != nil {
		out = append(out, fiber.StatusRequestEntityTooLarge)
	}
	if r.body != nil || r.query != "" || (write && strings.Contains(r.path, ":")) || strings.Contains(r.path, ":period") {
		out = append(out, fiber.StatusUnprocessableEntity)
	}
	if r.kept() || r.keptByScope() {
		out = append(out, fiber.StatusNotModified)
	}
	out = append(out, r.reply.also...)
	slices.Sort(out)
	return slices.Compact(out)
}

// security says how a route's caller signs in: any way or not at all on a
// public route, the bearer token or the session cookie to read, the bearer
// token alone to write.
func (r route) security() []map[string][]string {
	bearer, cookie := map[string][]string{"bearer": {}}, map[string][]string{"cookie": {}}
	switch {
	case r.access == public && safeMethod(r.method):
		return []map[string][]string{{}, bearer, cookie}
	case r.access == public:
		return []map[string][]string{}
	case safeMethod(r.method):
		return []map[string][]string{bearer, cookie}
	}
	return []map[string][]string{bearer}
}

var apiPrefix = regexp.MustCompile(`^/api/v1/`)

// tagOf groups a route under the first segment of its path.
func tagOf(path string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(apiPrefix.ReplaceAllString(path, ""), "/"), "/")
	if t, ok := tags[seg]; ok {
		return t.name
	}
	return "operations"
}

var tags = map[string]struct{ name, description string }{
	"healthz": {"operations", "Health, readiness, metrics and this document."}, "readyz": {"operations", ""},
	"metrics": {"operations", ""}, "openapi.json": {"operations", ""},
	"auth": {"sessions", "Signing in and out, and the signed-in user."}, "me": {"sessions", ""},
	"users":     {"users", "Accounts: officers, organisers, judges."},
	"units":     {"units", "The tree of units: city, wards and communes, mass organisations; clusters."},
	"campaigns": {"campaigns", "Campaigns and everything in one: rulesets, runs, leaderboards, reports, projects, honours, judging."},
	"honours":   {"honours", "Honours granted, by rule or decision, and their revocation."},
	"projects":  {"projects", "Projects (mô hình), their progress, and their judging."},
	"files":     {"files", "Evidence files and their thumbnails."}, "thumbnails": {"files", ""},
	"audit": {"audit", "Who changed what, when."},
}

// problemResponse names the component response of a problem status.
func problemResponse(status int) string {
	return strings.ReplaceAll(http.StatusText(status), " ", "")
}

// OpenAPIDocument is the API's OpenAPI document, as a server serves it,
// made without one.
func OpenAPIDocument() []byte {
	s := &Server{metrics: newMetrics()}
	return buildOpenAPI(s.apiRoutes())
}

// buildOpenAPI writes the document of the route table.
func buildOpenAPI(routes []route) []byte {
	schemas := apidoc.NewSchemas()
	schemas.Custom(reflect.TypeFor[store.Date](), apidoc.Schema{"type": []string{"string", "null"}, "format": "date"})
	schemas.Custom(reflect.TypeFor[store.JSON](), apidoc.Schema{"type": []string{"object", "array", "string", "number", "boolean", "null"}})
	numbers := apidoc.Schema{"type": "object", "additionalProperties": apidoc.Schema{"type": "number"}}
	schemas.Field(reflect.TypeFor[store.ProgressNote](), "evidence_urls", apidoc.Schema{"type": "array", "items": apidoc.Schema{"type": "string", "format": "uri"}})
	schemas.Field(reflect.TypeFor[store.ProgressNote](), "figures", numbers)
	schemas.Field(reflect.TypeFor[store.Score](), "criteria", numbers)
	for _, f := range []string{"before", "after"} {
		schemas.Field(reflect.TypeFor[store.AuditEntry](), f, apidoc.Schema{"type": []string{"object", "null"},
			"description": "The thing as it was before the change (null: created), or after it (null: deleted)."})
	}
	schemas.Custom(reflect.TypeFor[platform.Participants](), apidoc.Schema{
		"description": `"all": every unit of the organiser's subtree; or the codes of the participating units.`,
		"oneOf":       []apidoc.Schema{{"const": "all"}, {"type": "array", "items": str()}}})
	schemas.Tag("code", apidoc.Schema{"pattern": `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`})
	schemas.Tag("key", apidoc.Schema{"pattern": `^[a-z0-9_]{1,64}$`})
	schemas.Tag("slug", apidoc.Schema{"pattern": `^[a-z0-9][a-z0-9-]{0,63}$`})
	schemas.Tag("date", apidoc.Schema{"format": "date"})
	schemas.Tag("category", apidoc.Schema{"enum": store.Categories})
	schemas.Tag("status", apidoc.Schema{"enum": store.Statuses})

	var ops []apidoc.Operation
	used := map[int]bool{}
	tagNames := map[string]string{}
	for _, r := range routes {
		op := r.operation()
		for status, resp := range op.Responses {
			if resp.Ref != "" {
				used[status] = true
			}
		}
		ops = append(ops, op)
	}
	for _, t := range tags {
		if t.description != "" {
			tagNames[t.name] = t.description
		}
	}
	responses := map[string]apidoc.Response{}
	var statuses []int
	for status := range used {
		statuses = append(statuses, status)
	}
	sort.Ints(statuses)
	for _, status := range statuses {
		responses[problemResponse(status)] = apidoc.Response{Description: http.StatusText(status) + ": a problem (RFC 9457).",
			Body: problem{}, Media: []string{"application/problem+json"}}
	}
	doc, err := apidoc.Build(apidoc.Document{
		Title: "Thi Đua API", Version: "1",
		Description: "Emulation campaigns (phong trào thi đua): units, campaigns, rulesets, reports, projects, judging, " +
			"runs, leaderboards and honours. Errors are application/problem+json (RFC 9457), in the caller's language " +
			"(?lang=, else Accept-Language; Vietnamese by default). Lists take limit and cursor and answer " +
			"{items, next_cursor}.",
		Servers: []string{"/"},
		Tags:    tagNames,
		SecuritySchemes: map[string]apidoc.Schema{
			"bearer": {"type": "http", "scheme": "bearer", "description": "The token of POST /api/v1/auth/login."},
			"cookie": {"type": "apiKey", "in": "cookie", "name": sessionCookie,
				"description": "The session of a browser signed in on the pages: it signs in the API's reads, never its writes."},
		},
		Parameters: map[string]apidoc.Param{"lang": {Name: "lang", Description: "The language of messages: vi (the default) or en.",
			Schema: apidoc.Schema{"type": "string", "enum": []string{langVI, langEN}}}},
		Responses: responses,
	}, schemas, ops)
	if err != nil {
		panic(err) // the route table is the program's own
	}
	return doc
}

func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.openapi)
}
