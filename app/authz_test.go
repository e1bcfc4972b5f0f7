package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestAuthorization walks every write endpoint for each kind of caller and
// checks the status and, when refused, that nothing was written (every
// write leaves an audit entry, and the audit log is append-only).
func TestAuthorization(t *testing.T) {
	type callers struct{ admin, own, other, judge, anon int }
	adminOnly := callers{201, 403, 403, 403, 401}
	unitOwn := func(ok int) callers { return callers{ok, ok, 403, 403, 401} }
	cases := []struct {
		method, path string
		body         func(caller string) any // a valid body, distinct per caller
		want         callers
	}{
		{"POST", "/api/v1/users", func(c string) any {
			return map[string]any{"username": "new-" + c, "password": "mật-khẩu-dài", "role": "judge"}
		}, adminOnly},
		{"POST", "/api/v1/units", func(c string) any {
			return map[string]any{"code": "X-" + c, "name": "Xã " + c, "level": "commune", "kind": "front", "parent": "HN"}
		}, adminOnly},
		{"POST", "/api/v1/units/import", func(c string) any {
			return "code,name,level,kind,parent,clusters\nY-" + c + ",Xã Y,commune,front,HN,\n"
		}, adminOnly},
		{"POST", "/api/v1/campaigns", func(c string) any {
			return map[string]any{"slug": "c-" + c, "name": "Phong trào", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "units": []string{"HN"}}
		}, adminOnly},
		{"POST", "/api/v1/campaigns/cds/indicators", func(c string) any {
			return map[string]any{"key": "k_" + c, "title": "Chỉ tiêu", "unit": "count", "target": 3}
		}, adminOnly},
		{"PUT", "/api/v1/campaigns/cds/ruleset", func(string) any { return minimalRuleset }, adminOnly},
		{"PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/covenant", func(string) any {
			return map[string]any{"targets": map[string]float64{"cashless": 0.7}}
		}, unitOwn(200)},
		{"PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08", func(string) any {
			return map[string]any{"values": map[string]float64{"cashless": 0.4}}
		}, unitOwn(200)},
		{"POST", "/api/v1/campaigns/cds/projects", func(c string) any {
			return map[string]any{"unit": "P-DINHCONG", "title": "Dự án của " + c, "category": "community"}
		}, unitOwn(201)},
		{"PATCH", "/api/v1/projects/1", func(c string) any { return map[string]any{"summary": "sửa bởi " + c} }, unitOwn(200)},
		{"POST", "/api/v1/projects/1/progress", func(c string) any { return map[string]any{"note": "tiến độ " + c} },
			callers{403, 201, 403, 403, 401}},
		{"POST", "/api/v1/campaigns/cds/judges", func(string) any { return map[string]any{"username": "judge"} }, adminOnly},
		{"PUT", "/api/v1/projects/1/assignments/judge", func(string) any { return nil }, callers{200, 403, 403, 403, 401}},
		{"DELETE", "/api/v1/projects/1/assignments/judge", func(string) any { return nil }, callers{204, 403, 403, 403, 401}},
		{"POST", "/api/v1/campaigns/cds/assignments", func(string) any { return map[string]any{"per_project": 1} }, callers{200, 403, 403, 403, 401}},
		{"PUT", "/api/v1/projects/1/scores", func(c string) any {
			return map[string]any{"criteria": map[string]float64{"innovation": 7}, "comment": "chấm bởi " + c}
		}, callers{403, 403, 403, 200, 401}},
		{"POST", "/api/v1/campaigns/cds/judging/lock", func(string) any { return nil }, callers{200, 403, 403, 403, 401}},
		{"POST", "/api/v1/campaigns/cds/judging/unlock", func(string) any { return nil }, callers{200, 403, 403, 403, 401}},
		{"POST", "/api/v1/campaigns/cds/ruleset/dry-run", func(string) any { return minimalRuleset }, callers{200, 403, 403, 403, 401}},
		{"POST", "/api/v1/campaigns/cds/runs", func(string) any { return map[string]any{} }, adminOnly},
		{"POST", "/api/v1/campaigns/cds/honours", func(c string) any {
			return map[string]any{"unit": "P-DINHCONG", "title": "Mô hình hay", "period": "2025-Q3", "citation": "Quyết định của " + c}
		}, adminOnly},
		{"POST", "/api/v1/projects/1/recusal", func(c string) any { return map[string]any{"reason": "lý do " + c} }, callers{403, 403, 403, 201, 401}},
		{"DELETE", "/api/v1/campaigns/cds/judges/judge?withdraw_scores=true", func(string) any { return nil }, callers{200, 403, 403, 403, 401}},
	}
	eachDB(t, func(t *testing.T, ts *testServer) {
		ts.as("dinhcong").do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Dự án số 1", "category": "community"}).want(201)
		clients := map[string]*client{
			"admin": ts.as("admin"), "own": ts.as("dinhcong"), "other": ts.as("hoankiem"), "judge": ts.as("judge"), "anon": ts.as(""),
		}
		covered := map[string]bool{}
		for _, tc := range cases {
			covered[tc.method+" "+strings.Split(tc.path, "?")[0]] = true
			for _, who := range []string{"anon", "judge", "other", "own", "admin"} {
				want := map[string]int{"admin": tc.want.admin, "own": tc.want.own, "other": tc.want.other, "judge": tc.want.judge, "anon": tc.want.anon}[who]
				before := auditCount(t, ts.db)
				c := clients[who]
				dry := strings.HasSuffix(tc.path, "/dry-run") // succeeds without writing
				if strings.HasSuffix(tc.path, "/ruleset") || dry {
					c = &client{ts: ts, token: c.token, header: map[string]string{"Content-Type": "application/yaml"}}
				}
				r := c.do(tc.method, tc.path, tc.body(who))
				if r.Status != want {
					t.Errorf("%s %s as %s = %d %s, want %d", tc.method, tc.path, who, r.Status, r.Body, want)
				}
				if after := auditCount(t, ts.db); (want >= 400 || dry) && after != before {
					t.Errorf("%s %s as %s was refused but wrote %d audit entries", tc.method, tc.path, who, after-before)
				} else if want < 400 && !dry && after == before {
					t.Errorf("%s %s as %s succeeded but left no audit entry", tc.method, tc.path, who)
				}
			}
		}
		// Every write route of the service has a case above.
		for _, r := range ts.srv.apiRoutes() {
			key := r.method + " " + strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(r.path,
				":slug", "cds"), ":code", "P-DINHCONG"), ":period", "2025-08"), ":id", "1"), ":username", "judge")
			if r.method != "GET" && !strings.HasPrefix(r.path, "/api/v1/auth/") && !covered[key] {
				t.Errorf("no authorization case for %s %s", r.method, r.path)
			}
		}
	})
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
		// The log is append-only, enforced by the database.
		if _, err := ts.db.SQL().Exec("UPDATE audit_log SET actor = 'x'"); err == nil {
			t.Error("UPDATE audit_log succeeded, want refused")
		}
		if _, err := ts.db.SQL().Exec("DELETE FROM audit_log"); err == nil {
			t.Error("DELETE FROM audit_log succeeded, want refused")
		}
	})
}
