package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/jobs"
)

// The callers of the authorization matrix, around a ward's campaign "dc"
// organised by Phường Định Công for its subtree (the ward and its Women's
// Union P-DINHCONG-PN), whose unit of reference is the Women's Union.
var callers = []string{
	"anon",
	"judge",     // a judge on the campaign's committee
	"other",     // the officer of a sibling ward
	"sibling",   // the organiser of a sibling ward
	"own",       // the Women's Union's officer
	"subtree",   // the ward's officer with scope subtree
	"organiser", // the ward's organiser: the campaign's
	"admin",
}

// matrix is who may: the status for each caller, 403 for those absent
// (401 for anon: on the pages, being sent to the sign-in form).
type matrix map[string]int

// Who may, as the policy says; 0 is the case's success status.
var (
	byOrganisers = matrix{"organiser": 0, "admin": 0}
	forUnit      = matrix{"own": 0, "subtree": 0, "organiser": 0, "admin": 0}
	officerOf    = matrix{"own": 0, "subtree": 0}
	judgeOnly    = matrix{"judge": 0}
	adminOnly    = matrix{"admin": 0}
	uploadAny    = matrix{"other": 0, "sibling": 0, "own": 0, "subtree": 0, "organiser": 0, "admin": 0}
)

// authzFixture adds the ward's campaign to the fixture: its organisers,
// officers and judges, a ruleset with a rubric, and two projects of the
// Women's Union (one for the API's cases, one for the pages').
type authzFixture struct {
	*testServer
	clients     map[string]*client
	apiProject  int64
	pageProject int64
	serial      string // an honour of the campaign, to revoke
}

func newAuthzFixture(t *testing.T, ts *testServer) *authzFixture {
	ts.addUser("org.dinhcong", policy.Organiser, "P-DINHCONG")
	ts.addUser("org.hoankiem", policy.Organiser, "P-HOANKIEM")
	ts.addUser("phunu.dinhcong", policy.Officer, "P-DINHCONG-PN")
	ts.addOfficer("mttq.dinhcong", "P-DINHCONG", policy.Subtree)
	ts.addUser("judge2", policy.Judge, "")
	f := &authzFixture{testServer: ts, clients: map[string]*client{
		"anon": ts.as(""), "judge": ts.as("judge"), "other": ts.as("hoankiem"), "sibling": ts.as("org.hoankiem"),
		"own": ts.as("phunu.dinhcong"), "subtree": ts.as("mttq.dinhcong"), "organiser": ts.as("org.dinhcong"), "admin": ts.as("admin"),
	}}
	org := f.clients["organiser"]
	org.do("POST", "/api/v1/campaigns", map[string]any{"slug": "dc", "name": "Định Công chuyển đổi số",
		"starts_on": "2025-04-01", "ends_on": "2026-12-31", "units": "all"}).want(201)
	for _, ind := range []map[string]any{
		{"key": "staff_trained", "title": "Cán bộ được tập huấn kỹ năng số", "unit": "percent", "target": 1},
		{"key": "cashless", "title": "Giao dịch không dùng tiền mặt", "unit": "percent", "target": 0.8},
	} {
		org.do("POST", "/api/v1/campaigns/dc/indicators", ind).want(201)
	}
	org.yaml("PUT", "/api/v1/campaigns/dc/ruleset", minimalRuleset).want(201)
	var p store.Project
	for _, id := range []*int64{&f.apiProject, &f.pageProject} {
		f.clients["own"].do("POST", "/api/v1/campaigns/dc/projects", map[string]any{
			"unit": "P-DINHCONG-PN", "title": "Phụ nữ số", "category": "community"}).want(201).decode(&p)
		*id = p.ID
	}
	org.do("POST", "/api/v1/campaigns/dc/judges", map[string]any{"username": "judge"}).want(201)
	var hn store.Honour
	org.do("POST", "/api/v1/campaigns/dc/honours", map[string]any{"unit": "P-DINHCONG-PN", "title": "Mô hình hay",
		"period": "2025-Q3", "citation": "Quyết định"}).want(201).decode(&hn)
	f.serial = hn.Serial
	return f
}

// unrevoke makes the fixture's honour stand again, behind the audit log's
// back: only to try revoking it once more.
func (f *authzFixture) unrevoke() {
	f.db.SQL().Exec("UPDATE honours SET revoked_at = NULL, revoked_by = NULL, revoke_reason = '' WHERE serial = '" + f.serial + "'")
}

// webhook makes sure the campaign has the webhook 9000, behind the audit
// log's back: to test it or remove it once more.
func (f *authzFixture) webhook() {
	if _, err := f.db.SQL().Exec(`INSERT INTO webhook_subscriptions (id, campaign_id, url, events, secret, created_by, created_at)
		SELECT 9000, id, 'https://93.184.215.14/hook', 'honour.revoked', 'a-secret-of-sixteen', 'test', created_at FROM campaigns
		WHERE slug = 'dc' AND NOT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = 9000)`); err != nil {
		f.t.Fatal(err)
	}
}

// judgeOn puts the judge on the committee and assigns it the project.
func (f *authzFixture) judgeOn(project int64) {
	ctx := context.Background()
	f.db.AddJudge(ctx, "dc", "judge")
	f.db.Assign(ctx, project, "judge")
}

// TestAuthorization walks every write of the API and every form of the
// pages for each kind of caller, and checks the status and, when refused,
// that nothing was written (every write leaves an audit entry, and the
// audit log is append-only). It fails when a route or a form has no case.
func TestAuthorization(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newAuthzFixture(t, ts)
		covered := map[string]bool{}
		for _, tc := range f.apiCases() {
			covered[tc.method+" "+tc.route] = true
			f.walk(t, tc.method+" "+tc.route, tc.who, tc.ok, tc.reset, tc.dry, func(who string) (int, string) {
				r := f.api(who, tc)
				return r.Status, string(r.Body)
			})
		}
		for _, tc := range f.pageCases() {
			covered["POST "+tc.route] = true
			f.walk(t, "the form POST "+tc.route, tc.who, tc.ok, tc.reset, false, func(who string) (int, string) {
				return f.page(t, who, tc)
			})
		}
		for _, r := range ts.srv.apiRoutes() {
			if r.method != "GET" && !strings.HasPrefix(r.path, "/api/v1/auth/") && !covered[r.method+" "+r.path] {
				t.Errorf("no authorization case for %s %s", r.method, r.path)
			}
		}
		for _, r := range ts.srv.App().GetRoutes(true) {
			// An unsubscribe link is its own authority, whoever holds it
			// (TestUnsubscribePage).
			if r.Method == "POST" && !strings.HasPrefix(r.Path, "/api/") && r.Path != "/login" && r.Path != "/logout" &&
				r.Path != "/unsubscribe/:token" && !covered["POST "+r.Path] {
				t.Errorf("no authorization case for the form POST %s", r.Path)
			}
		}
	})
}

// walk tries one case as every caller, after reset (when set).
func (f *authzFixture) walk(t *testing.T, name string, who matrix, ok int, reset func(), dry bool, try func(who string) (int, string)) {
	t.Helper()
	for _, caller := range callers {
		want, allowed := who[caller]
		switch {
		case allowed && want == 0:
			want = ok
		case !allowed && caller == "anon":
			want = 401
		case !allowed:
			want = 403
		}
		if reset != nil {
			reset()
		}
		before := auditCount(t, f.db)
		got, body := try(caller)
		if got != want {
			t.Errorf("%s as %s = %d, want %d: %.300s", name, caller, got, want, body)
		}
		after := auditCount(t, f.db)
		switch {
		case (want >= 400 || dry) && after != before:
			t.Errorf("%s as %s was refused but wrote %d audit entries", name, caller, after-before)
		case want < 400 && !dry && after == before:
			t.Errorf("%s as %s succeeded but left no audit entry", name, caller)
		}
	}
}

// apiCase is one write of the API.
type apiCase struct {
	method, route string
	path          string               // the route with its parameters
	body          func(who string) any // a valid body, distinct per caller; nil for none
	yaml          bool
	who           matrix
	ok            int
	reset         func()
	dry           bool // succeeds without writing
}

func (f *authzFixture) api(who string, tc apiCase) *response {
	c := f.clients[who]
	if tc.yaml {
		return c.yaml(tc.method, tc.path, tc.body(who).(string))
	}
	var body any
	if tc.body != nil {
		body = tc.body(who)
	}
	return c.do(tc.method, tc.path, body)
}

func (f *authzFixture) apiCases() []apiCase {
	ctx := context.Background()
	db := f.db
	p := fmt.Sprintf("/api/v1/projects/%d", f.apiProject)
	return []apiCase{
		{"POST", "/api/v1/users", "/api/v1/users", func(w string) any {
			return map[string]any{"username": "new-" + w, "password": "mật-khẩu-dài", "role": "unit", "unit": "P-DINHCONG-PN"}
		}, false, byOrganisers, 201, nil, false},
		{"PATCH", "/api/v1/users/:username", "/api/v1/users/phunu.dinhcong", func(w string) any {
			return map[string]any{"email": w + "@phunu.example.vn"}
		}, false, byOrganisers, 200, nil, false},
		{"POST", "/api/v1/units", "/api/v1/units", func(w string) any {
			return map[string]any{"code": "X-" + w, "name": "Tổ " + w, "level": "group", "kind": "digital_team", "parent": "P-DINHCONG"}
		}, false, byOrganisers, 201, nil, false},
		{"POST", "/api/v1/units/import", "/api/v1/units/import", func(w string) any {
			return upload{"units.csv", []byte("code,name,level,kind,parent,clusters\nY-" + w + ",Tổ Y,group,digital_team,P-DINHCONG,\n")}
		}, false, byOrganisers, 201, nil, false},
		{"POST", "/api/v1/campaigns", "/api/v1/campaigns", func(w string) any {
			return map[string]any{"slug": "c-" + w, "name": "Phong trào", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
				"organiser": "P-DINHCONG", "units": "all"}
		}, false, byOrganisers, 201, nil, false},
		{"POST", "/api/v1/campaigns/:slug/indicators", "/api/v1/campaigns/dc/indicators", func(w string) any {
			return map[string]any{"key": "k_" + w, "title": "Chỉ tiêu", "unit": "count", "target": 3}
		}, false, byOrganisers, 201, nil, false},
		{"PUT", "/api/v1/campaigns/:slug/ruleset", "/api/v1/campaigns/dc/ruleset", func(string) any { return minimalRuleset },
			true, byOrganisers, 201, nil, false},
		{"POST", "/api/v1/campaigns/:slug/ruleset/dry-run", "/api/v1/campaigns/dc/ruleset/dry-run", func(string) any { return minimalRuleset },
			true, byOrganisers, 200, nil, true},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/covenant", "/api/v1/campaigns/dc/units/P-DINHCONG-PN/covenant", func(string) any {
			return map[string]any{"targets": map[string]float64{"cashless": 0.7}}
		}, false, forUnit, 200, nil, false},
		{"PUT", "/api/v1/campaigns/:slug/units/:code/reports/:period", "/api/v1/campaigns/dc/units/P-DINHCONG-PN/reports/2025-08", func(string) any {
			return map[string]any{"values": map[string]float64{"cashless": 0.4}}
		}, false, forUnit, 200, nil, false},
		{"POST", "/api/v1/campaigns/:slug/units/:code/reports/:period/verify", "/api/v1/campaigns/dc/units/P-DINHCONG-PN/reports/2025-08/verify",
			func(string) any { return map[string]any{"decision": "verified"} }, false, byOrganisers, 200, func() {
				db.PutReport(ctx, "dc", "P-DINHCONG-PN", store.ReportPeriod{Key: "2025-08", Start: date(f.t, "2025-08-01"), End: date(f.t, "2025-09-01")},
					map[string]float64{"cashless": 0.5}, nil)
			}, false},
		{"POST", "/api/v1/campaigns/:slug/projects", "/api/v1/campaigns/dc/projects", func(w string) any {
			return map[string]any{"unit": "P-DINHCONG-PN", "title": "Dự án của " + w, "category": "community"}
		}, false, forUnit, 201, nil, false},
		{"PATCH", "/api/v1/projects/:id", p, func(w string) any { return map[string]any{"summary": "sửa bởi " + w} },
			false, forUnit, 200, nil, false},
		{"POST", "/api/v1/projects/:id/progress", p + "/progress", func(w string) any { return map[string]any{"note": "tiến độ " + w} },
			false, officerOf, 201, nil, false},
		{"POST", "/api/v1/campaigns/:slug/judges", "/api/v1/campaigns/dc/judges", func(string) any { return map[string]any{"username": "judge2"} },
			false, byOrganisers, 201, func() { db.RemoveJudge(ctx, "dc", "judge2", true) }, false},
		{"PUT", "/api/v1/projects/:id/assignments/:username", p + "/assignments/judge", nil,
			false, byOrganisers, 200, func() { db.Unassign(ctx, f.apiProject, "judge") }, false},
		{"DELETE", "/api/v1/projects/:id/assignments/:username", p + "/assignments/judge", nil,
			false, byOrganisers, 204, func() { db.Assign(ctx, f.apiProject, "judge") }, false},
		{"POST", "/api/v1/campaigns/:slug/assignments", "/api/v1/campaigns/dc/assignments", func(string) any { return map[string]any{"per_project": 1} },
			false, byOrganisers, 200, func() { db.Unassign(ctx, f.apiProject, "judge"); db.Unassign(ctx, f.pageProject, "judge") }, false},
		{"PUT", "/api/v1/projects/:id/scores", p + "/scores", func(w string) any {
			return map[string]any{"criteria": map[string]float64{"innovation": 7}, "comment": "chấm bởi " + w}
		}, false, judgeOnly, 200, func() { f.judgeOn(f.apiProject) }, false},
		{"POST", "/api/v1/campaigns/:slug/judging/lock", "/api/v1/campaigns/dc/judging/lock", nil,
			false, byOrganisers, 200, func() { db.UnlockJudging(ctx, "dc") }, false},
		{"POST", "/api/v1/campaigns/:slug/judging/unlock", "/api/v1/campaigns/dc/judging/unlock", nil,
			false, byOrganisers, 200, func() { db.LockJudging(ctx, "dc") }, false},
		{"POST", "/api/v1/campaigns/:slug/runs", "/api/v1/campaigns/dc/runs", func(string) any { return map[string]any{} },
			false, byOrganisers, 201, func() { db.UnlockJudging(ctx, "dc") }, false},
		{"POST", "/api/v1/files", "/api/v1/files", func(w string) any { return upload{"ảnh của " + w + ".jpg", filestest.PhotoWithGPS(f.t, 64, 48)} },
			false, uploadAny, 201, nil, false},
		{"POST", "/api/v1/campaigns/:slug/periods/:period/reopen", "/api/v1/campaigns/dc/periods/2025-Q3/reopen", func(w string) any {
			return map[string]any{"reason": "Số liệu nhập sai, " + w}
		}, false, adminOnly, 200, func() {
			f.srv.svc.Runner().Run(ctx, jobs.Request{Campaign: "dc", Period: "2025-Q3", Close: true}) // closed already, after a refusal
		}, false},
		{"POST", "/api/v1/campaigns/:slug/honours", "/api/v1/campaigns/dc/honours", func(w string) any {
			return map[string]any{"unit": "P-DINHCONG-PN", "title": "Mô hình hay " + w, "period": "2025-Q3", "citation": "Quyết định của " + w}
		}, false, byOrganisers, 201, nil, false},
		{"POST", "/api/v1/honours/:serial/revoke", "/api/v1/honours/" + f.serial + "/revoke", func(w string) any {
			return map[string]any{"reason": "Hồ sơ không trung thực, " + w}
		}, false, byOrganisers, 200, f.unrevoke, false},
		{"POST", "/api/v1/projects/:id/recusal", p + "/recusal", func(w string) any { return map[string]any{"reason": "lý do " + w} },
			false, judgeOnly, 201, func() { f.judgeOn(f.apiProject) }, false},
		{"DELETE", "/api/v1/campaigns/:slug/judges/:username", "/api/v1/campaigns/dc/judges/judge?withdraw_scores=true", nil,
			false, byOrganisers, 200, func() { db.AddJudge(ctx, "dc", "judge") }, false},
		{"POST", "/api/v1/webhooks", "/api/v1/webhooks", func(w string) any {
			return map[string]any{"url": "https://93.184.215.14/" + w, "events": []string{"honour.granted"}, "campaign": "dc"}
		}, false, byOrganisers, 201, nil, false},
		{"POST", "/api/v1/webhooks/:id/test", "/api/v1/webhooks/9000/test", nil, false, byOrganisers, 202, f.webhook, false},
		{"DELETE", "/api/v1/webhooks/:id", "/api/v1/webhooks/9000", nil, false, byOrganisers, 204, f.webhook, false},
	}
}

// pageCase is one form of the pages, posted as a browser would.
type pageCase struct {
	route string // the route, whose path is path
	path  string
	form  url.Values // "{who}" in a value stands for the caller
	file  string     // a CSV file sent as the form's "file", for the import
	who   matrix
	ok    int
	reset func()
}

func (f *authzFixture) pageCases() []pageCase {
	ctx := context.Background()
	db := f.db
	q := f.pageProject
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	project := fmt.Sprintf("/projects/%d", q)
	return []pageCase{
		{"/c/:slug/projects/new", "/c/dc/projects/new", form("unit", "P-DINHCONG-PN", "title", "Trang của {who}", "category", "community"),
			"", forUnit, 303, nil},
		{"/projects/:id/edit", project + "/edit", form("title", "Phụ nữ số", "summary", "sửa bởi {who}", "category", "community", "status", "registered"),
			"", forUnit, 303, nil},
		{"/projects/:id/progress", project + "/progress", form("note", "tiến độ của {who}"), "", officerOf, 303, nil},
		{"/c/:slug/u/:code/report", "/c/dc/u/P-DINHCONG-PN/report", form("period", "2025-08", "v.cashless", "45"), "", forUnit, 303, nil},
		{"/c/:slug/u/:code/covenant", "/c/dc/u/P-DINHCONG-PN/covenant", form("v.cashless", "75"), "", forUnit, 303, nil},
		{"/admin/units/import", "/admin/units/import", nil, "code,name,level,kind,parent,clusters\nZ-{who},Tổ Z,group,digital_team,P-DINHCONG,\n",
			byOrganisers, 201, nil},
		{"/admin/users/new", "/admin/users/new", form("username", "page-{who}", "password", "mật-khẩu-dài", "role", "unit", "unit", "P-DINHCONG-PN"),
			"", byOrganisers, 201, nil},
		{"/admin/campaigns/new", "/admin/campaigns/new", form("slug", "p-{who}", "name", "Phong trào", "starts_on", "2026-01-01",
			"ends_on", "2026-12-31", "organiser", "P-DINHCONG", "units", "all", "action", "create"), "", byOrganisers, 303, nil},
		{"/admin/c/:slug/indicators", "/admin/c/dc/indicators", form("key", "p_{who}", "title", "Chỉ tiêu", "unit", "count", "target", "3"),
			"", byOrganisers, 303, nil},
		{"/admin/c/:slug/ruleset", "/admin/c/dc/ruleset", form("source", minimalRuleset, "action", "save"), "", byOrganisers, 303, nil},
		{"/admin/c/:slug/judges", "/admin/c/dc/judges", form("username", "judge2"), "", byOrganisers, 303,
			func() { db.RemoveJudge(ctx, "dc", "judge2", true) }},
		{"/admin/c/:slug/assignments", "/admin/c/dc/assignments", form(), "", byOrganisers, 200,
			func() { db.AddJudge(ctx, "dc", "judge"); db.Unassign(ctx, q, "judge") }},
		{"/admin/c/:slug/assign", "/admin/c/dc/assign", form("project", fmt.Sprint(q), "judge", "judge"), "", byOrganisers, 303,
			func() { db.AddJudge(ctx, "dc", "judge"); db.Unassign(ctx, q, "judge") }},
		{"/admin/c/:slug/unassign", "/admin/c/dc/unassign", form("project", fmt.Sprint(q), "username", "judge"), "", byOrganisers, 303,
			func() { f.judgeOn(q) }},
		{"/judge/projects/:id", "/judge/projects/" + fmt.Sprint(q), form("c.innovation", "6", "comment", "chấm bởi {who}"), "", judgeOnly, 303,
			func() { f.judgeOn(q) }},
		{"/admin/c/:slug/judging/lock", "/admin/c/dc/judging/lock", form("action", "lock"), "", byOrganisers, 303,
			func() { db.UnlockJudging(ctx, "dc") }},
		{"/admin/c/:slug/judges/remove", "/admin/c/dc/judges/remove", form("username", "judge", "withdraw_scores", "on"), "", byOrganisers, 303,
			func() { db.UnlockJudging(ctx, "dc"); db.AddJudge(ctx, "dc", "judge") }},
		{"/admin/c/:slug/runs", "/admin/c/dc/runs", form(), "", byOrganisers, 201, nil},
		{"/admin/c/:slug/periods/reopen", "/admin/c/dc/periods/reopen", form("reopen_period", "2025-Q3", "reopen_reason", "Sai số liệu, {who}"), "",
			adminOnly, 200, func() { f.srv.svc.Runner().Run(ctx, jobs.Request{Campaign: "dc", Period: "2025-Q3", Close: true}) }},
		{"/admin/c/:slug/honours/revoke", "/admin/c/dc/honours/revoke", form("serial", f.serial, "reason", "Hồ sơ không trung thực"), "",
			byOrganisers, 303, f.unrevoke},
		{"/admin/c/:slug/reports/verify", "/admin/c/dc/reports/verify", form("unit", "P-DINHCONG-PN", "period", "2025-09", "decision", "verified"),
			"", byOrganisers, 303, func() {
				db.PutReport(ctx, "dc", "P-DINHCONG-PN", store.ReportPeriod{Key: "2025-09", Start: date(f.t, "2025-09-01"), End: date(f.t, "2025-10-01")},
					map[string]float64{"cashless": 0.6}, nil)
			}},
		{"/admin/c/:slug/honours", "/admin/c/dc/honours", form("unit", "P-DINHCONG-PN", "title", "Trang {who}", "period", "2025-Q3",
			"citation", "Quyết định"), "", byOrganisers, 303, nil},
		{"/admin/webhooks", "/admin/webhooks", form("url", "https://93.184.215.14/{who}", "campaign", "dc", "events", "report.returned"),
			"", byOrganisers, 201, nil},
		{"/admin/webhooks/:id/test", "/admin/webhooks/9000/test", form(), "", byOrganisers, 303, f.webhook},
		{"/admin/webhooks/:id/delete", "/admin/webhooks/9000/delete", form(), "", byOrganisers, 303, f.webhook},
		// Last: once recused, the judge is never assigned the project again.
		{"/judge/projects/:id/recuse", "/judge/projects/" + fmt.Sprint(q) + "/recuse", form("reason", "xung đột của {who}"), "", judgeOnly, 303,
			func() { f.judgeOn(q) }},
	}
}

// csrfField finds a page's form token.
var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// page posts a case's form as the caller, with its session and the form
// token of its page; anon, sent to sign in, is answered as 401 here.
func (f *authzFixture) page(t *testing.T, who string, tc pageCase) (int, string) {
	t.Helper()
	cookie := ""
	get := httptest.NewRequest("GET", "/login", nil)
	if tok := f.clients[who].token; tok != "" {
		cookie = sessionCookie + "=" + tok
		get = httptest.NewRequest("GET", "/me", nil)
		get.Header.Set("Cookie", cookie)
	}
	resp, err := f.srv.App().Test(get, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	m := csrfField.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no form token on %s as %s", get.URL.Path, who)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "thidua_csrf" {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	var body io.Reader
	ctype := "application/x-www-form-urlencoded"
	if tc.file != "" {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("_csrf", string(m[1]))
		fw, _ := mw.CreateFormFile("file", "units.csv")
		fw.Write([]byte(strings.ReplaceAll(tc.file, "{who}", who)))
		mw.Close()
		body, ctype = &buf, mw.FormDataContentType()
	} else {
		v := url.Values{"_csrf": {string(m[1])}}
		for k, vs := range tc.form {
			v.Set(k, strings.ReplaceAll(vs[0], "{who}", who))
		}
		body = strings.NewReader(v.Encode())
	}
	req := httptest.NewRequest("POST", tc.path, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Cookie", cookie)
	resp, err = f.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 303 && strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		return 401, "sent to the sign-in form"
	}
	return resp.StatusCode, string(out)
}
func auditCount(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// minimalRuleset is a valid ruleset over the fixture's indicators.
const minimalRuleset = `schema: 1
timezone: Asia/Ho_Chi_Minh
period: quarter
reporting:
  every: month
criteria:
  - key: has_project
    title: Có ít nhất 1 công trình
    weight: 50
    value: "projects.registered >= 1 ? 1 : 0"
    required: true
  - key: staff_trained
    title: Cán bộ được tập huấn
    weight: 50
    value: "kpi.staff_trained / target.staff_trained"
judging:
  criteria:
    - {key: innovation, title: Tính sáng tạo, max: 10}
`

func TestSignInOut(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon := ts.as("")
		anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "wrong"}).want(401).problem()
		anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "x"}).want(401)
		anon.do("POST", "/api/v1/auth/login", `{"username": 3}`).want(422)
		c := ts.as("dinhcong")
		var me store.User
		c.do("GET", "/api/v1/me", nil).want(200).decode(&me)
		if me.Username != "dinhcong" || me.Role != "unit" || me.Unit != "P-DINHCONG" {
			t.Errorf("me = %+v", me)
		}
		c.do("POST", "/api/v1/auth/logout", nil).want(204)
		c.do("GET", "/api/v1/me", nil).want(401)
		(&client{ts: ts, token: "forged"}).do("GET", "/api/v1/me", nil).want(401)
		(&client{ts: ts, header: map[string]string{"Authorization": "Basic abc"}}).do("GET", "/api/v1/units", nil).want(401)
	})
}

func TestAuditLog(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		var p store.Project
		ts.as("dinhcong").do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Gia đình số", "category": "community"}).want(201).decode(&p)
		admin.do("PATCH", fmt.Sprintf("/api/v1/projects/%d", p.ID), map[string]any{"status": "rejected", "reject_reason": "Trùng lặp"}).want(200)
		var l list[store.AuditEntry]
		admin.do("GET", fmt.Sprintf("/api/v1/audit?entity=project&key=%d", p.ID), nil).want(200).decode(&l)
		if len(l.Items) != 2 {
			t.Fatalf("audit = %+v, want create and update", l.Items)
		}
		upd := l.Items[0] // newest first
		if upd.Actor != "admin" || upd.Action != "update" || upd.RequestID == "" ||
			!strings.Contains(string(upd.Before), `"status":"registered"`) || !strings.Contains(string(upd.After), `"status":"rejected"`) {
			t.Errorf("update entry = %+v", upd)
		}
		if l.Items[1].Actor != "dinhcong" || l.Items[1].Before != nil {
			t.Errorf("create entry = %+v", l.Items[1])
		}
		ts.as("dinhcong").do("GET", "/api/v1/audit", nil).want(403)
		// A page is what encoding/json makes of the entries as stored, their
		// documents compact and escaped on both databases.
		ts.as("dinhcong").do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Gia đình số: <b> & \"x\" , \u2028 y", "category": "community"}).want(201)
		page := admin.do("GET", "/api/v1/audit?limit=2", nil).want(200)
		var got list[store.AuditEntry]
		page.decode(&got)
		rows, err := ts.db.SQL().Query("SELECT id, at, actor, request_id, action, entity, entity_key, before, after FROM audit_log ORDER BY id DESC LIMIT 2")
		if err != nil {
			t.Fatal(err)
		}
		var stored []store.AuditEntry
		for rows.Next() {
			var e store.AuditEntry
			if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.RequestID, &e.Action, &e.Entity, &e.EntityKey, &e.Before, &e.After); err != nil {
				t.Fatal(err)
			}
			stored = append(stored, e)
		}
		rows.Close()
		if got.NextCursor == nil {
			t.Fatal("audit?limit=2: no next cursor")
		}
		if want, _ := json.Marshal(listOf(stored, *got.NextCursor)); !bytes.Equal(page.Body, want) {
			t.Errorf("audit page =\n%s\nwant\n%s", page.Body, want)
		}
		if ct := page.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("audit page Content-Type = %q", ct)
		}
		// The log is append-only, enforced by the database.
		if _, err := ts.db.SQL().Exec("UPDATE audit_log SET actor = 'x'"); err == nil {
			t.Error("UPDATE audit_log succeeded, want refused")
		}
		if _, err := ts.db.SQL().Exec("DELETE FROM audit_log"); err == nil {
			t.Error("DELETE FROM audit_log succeeded, want refused")
		}
	})
}
