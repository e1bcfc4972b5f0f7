package app

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
)

func TestBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		before := auditCount(t, ts.db)

		p := admin.do("POST", "/api/v1/units", `{"code": "X-1", "name": `).want(400).problem()
		if p.Type != "/problems/malformed" || p.Status != 400 || p.Detail == "" {
			t.Errorf("malformed = %+v", p)
		}
		admin.do("POST", "/api/v1/units", ``).want(400)
		admin.do("POST", "/api/v1/units", `[1,2]`).want(400)
		admin.do("POST", "/api/v1/units", `{"code":"A"} {"code":"B"}`).want(400)

		p = admin.do("POST", "/api/v1/units", `{"code": 12, "name": "x", "level": "commune", "kind": "front"}`).want(422).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "code" {
			t.Errorf("wrong type: %+v, want an error on code", p.Errors)
		}
		// A value of the wrong type does not hide the other invalid fields.
		p = admin.do("POST", "/api/v1/units", `{"code": 12, "level": "City Level", "kind": "front"}`).want(422).problem()
		if got := p.fields(); !slices.Equal(got, []string{"code", "name", "level"}) {
			t.Errorf("wrong type and more: fields %v, want code, name, level", got)
		}

		p = admin.do("POST", "/api/v1/campaigns", map[string]any{"slug": "c2", "name": "C", "starts_on": "2026-01-01",
			"ends_on": "2026-12-31", "units": "some"}).want(422).problem()
		if !slices.Equal(p.fields(), []string{"units"}) {
			t.Errorf("units \"some\": fields %v, want units", p.fields())
		}

		p = admin.do("POST", "/api/v1/users", map[string]any{"username": "can.bo", "password": "mật-khẩu-dài", "role": "unit"}).want(422).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "unit" || p.Errors[0].Message != "unit là bắt buộc" {
			t.Errorf("an officer without a unit: %+v, want unit là bắt buộc", p.Errors)
		}

		p = admin.do("POST", "/api/v1/units", map[string]any{"code": "X-3", "name": "   ", "level": "commune", "kind": "front", "parent": "HN"}).want(422).problem()
		if !slices.Equal(p.fields(), []string{"name"}) {
			t.Errorf("a name of spaces: fields %v, want name", p.fields())
		}

		// Every invalid field is listed at once.
		p = admin.do("POST", "/api/v1/units", map[string]any{"code": "bad code!", "level": "City Level", "clusters": []string{"OK", ""}}).want(422).problem()
		got := p.fields()
		for _, f := range []string{"code", "name", "level", "kind", "clusters[0]", "clusters[1]"} {
			if !slices.Contains(got, f) {
				t.Errorf("invalid unit: fields %v, want %s among them", got, f)
			}
		}
		if p.Title != "Dữ liệu không hợp lệ" {
			t.Errorf("title = %q, want Vietnamese by default", p.Title)
		}
		var nameMsg string
		for _, e := range p.Errors {
			if e.Field == "name" {
				nameMsg = e.Message
			}
		}
		if nameMsg != "name là bắt buộc" {
			t.Errorf("name message = %q, want Vietnamese", nameMsg)
		}
		en := &client{ts: ts, token: admin.token, header: map[string]string{"Accept-Language": "en-US,en;q=0.9"}}
		p = en.do("POST", "/api/v1/units", map[string]any{"code": "X-2"}).want(422).problem()
		if p.Title != "Invalid input" || !slices.ContainsFunc(p.Errors, func(e fieldError) bool { return e.Message == "name is required" }) {
			t.Errorf("English problem = %+v", p)
		}

		ts.as("").do("GET", "/api/v1/nowhere", nil).want(404).problem()
		ts.as("").do("DELETE", "/api/v1/units", nil).want(404).problem()

		if after := auditCount(t, ts.db); after != before {
			t.Errorf("bad requests wrote %d audit entries", after-before)
		}
	})
}

func TestVietnameseRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		name := "Tổ công nghệ số cộng đồng tổ dân phố số 5 – Phường Định Công (Hà Nội) ữ ặ ỹ Ự"
		decomposed := norm.NFD.String(name)
		if decomposed == name {
			t.Fatal("test text has no combining marks")
		}
		ts.as("admin").do("POST", "/api/v1/units", map[string]any{
			"code": "P-DINHCONG-CNS5", "name": decomposed, "level": "group", "kind": "digital_team", "parent": "P-DINHCONG",
		}).want(201)
		r := ts.as("").do("GET", "/api/v1/units/P-DINHCONG-CNS5", nil).want(200)
		var u store.UnitDetail
		json.Unmarshal(r.Body, &u)
		if u.Name != name {
			t.Errorf("name = %q, want %q exactly (NFC)", u.Name, name)
		}
		var l list[store.Unit]
		ts.as("").do("GET", "/api/v1/units?q="+urlQuery("to cong nghe so"), nil).want(200).decode(&l)
		if len(l.Items) != 1 {
			t.Errorf("search without accents found %d units, want 1", len(l.Items))
		}
	})
}

func TestOpenAPIListsEveryRoute(t *testing.T) {
	ts := newTestServer(t, nil)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	ts.as("").do("GET", "/api/v1/openapi.json", nil).want(200).decode(&doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	served := 0
	for _, r := range ts.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || !(strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz" || r.Path == "/readyz" || r.Path == "/metrics" ||
			strings.HasPrefix(r.Path, "/files/") || strings.HasPrefix(r.Path, "/thumbnails/")) {
			continue
		}
		served++
		path := fiberParam.ReplaceAllString(r.Path, "{$1}")
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is served but not in the OpenAPI document", r.Method, r.Path)
		}
	}
	documented := 0
	for _, ops := range doc.Paths {
		documented += len(ops)
	}
	if documented != served {
		t.Errorf("OpenAPI documents %d operations, the service serves %d", documented, served)
	}
}

// TestSessionCookieReadsOnlyOnTheAPI: the pages' cookie signs in the API's
// reads, but a write needs the Authorization header (no cross-site writes).
func TestSessionCookieReadsOnlyOnTheAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		cookie := &client{ts: ts, header: map[string]string{"Cookie": sessionCookie + "=" + admin.token}}
		cookie.do("GET", "/api/v1/audit", nil).want(200)
		before := auditCount(t, ts.db)
		cookie.do("POST", "/api/v1/campaigns/cds/judging/lock", nil).want(401)
		if auditCount(t, ts.db) != before {
			t.Error("a write signed in by the cookie alone was carried out")
		}
		admin.do("POST", "/api/v1/campaigns/cds/judging/lock", nil).want(200)
	})
}

// TestNulAndInvalidText: NUL or bytes that are not UTF-8, in a query, a
// JSON body or a CSV file, are refused by name, never a 500.
func TestNulAndInvalidText(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, anon := ts.as("admin"), ts.as("")
		for _, q := range []string{"q=%00", "parent=%ff", "q=a&level=%c3%28"} {
			anon.do("GET", "/api/v1/units?"+q, nil).want(400).problem()
		}
		anon.do("GET", "/api/v1/campaigns/cds/leaderboard?period=%ff", nil).want(400)
		p := admin.do("POST", "/api/v1/units", `{"code":"X-9","name":"A\u0000B","level":"commune","kind":"front","parent":"HN"}`).want(422).problem()
		if !slices.Equal(p.fields(), []string{"name"}) {
			t.Errorf("a NUL in name: fields %v, want name", p.fields())
		}
		p = admin.do("POST", "/api/v1/units", map[string]any{"code": "X-9", "name": "Xã 9", "level": "commune", "kind": "front",
			"parent": "HN", "clusters": []string{"ok", "b\x00d"}}).want(422).problem()
		if !slices.Equal(p.fields(), []string{"clusters[1]"}) {
			t.Errorf("a NUL in a cluster: fields %v, want clusters[1]", p.fields())
		}
		csv := &client{ts: ts, token: admin.token, header: map[string]string{"Content-Type": "text/csv"}}
		csv.do("POST", "/api/v1/units/import", "code,name,level,kind,parent,clusters\nY-1,T\xff\xfe name,commune,front,HN,\n").want(400)
		var n int
		if err := ts.db.SQL().QueryRow("SELECT COUNT(*) FROM units WHERE code IN ('X-9', 'Y-1')").Scan(&n); err != nil || n != 0 {
			t.Errorf("refused units stored: %d, %v", n, err)
		}
	})
}

// TestMessagesWhollyVietnamese: a Vietnamese message names the values of
// data (granularities, categories) in Vietnamese, not by their keys.
func TestMessagesWhollyVietnamese(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		_, dinhcong, _ := scoringFixture(t, ts)
		message := func(p problem, field string) string {
			for _, e := range p.Errors {
				if e.Field == field {
					return e.Message
				}
			}
			return ""
		}
		p := dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-Q3",
			map[string]any{"values": map[string]float64{"staff_trained": 1}}).want(422).problem()
		if m := message(p, "period"); m != "phong trào này báo cáo theo tháng" {
			t.Errorf("period message = %q, want it wholly Vietnamese", m)
		}
		p = dinhcong.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Chợ số",
			"category": "shopping"}).want(422).problem()
		if m := message(p, "category"); !strings.Contains(m, "phải là một trong: kỹ năng số, thanh toán không dùng tiền mặt") || strings.Contains(m, "digital_skills") {
			t.Errorf("category message = %q, want the categories' Vietnamese names", m)
		}
		// A parameter or a value of the API appears only in brackets or
		// quotes, beside its Vietnamese words.
		admin := inLanguage(ts.as("admin"), langVI)
		apiWords := map[string]bool{"cursor": true, "all": true, "limit": true, "true": true, "false": true, "scope": true, "overall": true,
			"level": true, "cluster": true, "version": true, "scored": true, "withdraw_scores": true, "per_project": true, "n": true,
			"invalid": true, "period": true, "units": true}
		// What a gloss explains: "(…)", a quoted value, or a value before its
		// gloss ("all (cả phong trào)").
		gloss, glossed := regexp.MustCompile(`\([^)]*\)|"[^"]*"`), regexp.MustCompile(`\S+ \(\)`)
		for _, tc := range []struct {
			c            *client
			method, path string
			body         any
			field        string
		}{
			{admin, "GET", "/api/v1/campaigns/cds/leaderboard?cursor=nope", nil, "cursor"},
			{admin, "GET", "/api/v1/units?limit=0", nil, "limit"},
			{admin, "GET", "/api/v1/campaigns/cds/leaderboard?scope=best", nil, "scope"},
			{admin, "GET", "/api/v1/campaigns/cds/leaderboard/around/P-DINHCONG?n=99", nil, "n"},
			{admin, "GET", "/api/v1/campaigns/cds/ruleset?version=-1", nil, "version"},
			{admin, "DELETE", "/api/v1/campaigns/cds/judges/nobody?withdraw_scores=maybe", nil, "withdraw_scores"},
			{inLanguage(ts.as("judge"), langVI), "GET", "/api/v1/me/assignments?scored=maybe", nil, "scored"},
			{admin, "POST", "/api/v1/campaigns/cds/honours", map[string]any{"unit": "P-DINHCONG", "title": "Mô hình hay",
				"period": "quý 3", "citation": "Lần đầu"}, "period"},
			{admin, "POST", "/api/v1/campaigns", map[string]any{"slug": "x", "name": "X", "starts_on": "2025-01-01",
				"ends_on": "2025-12-31", "units": []string{}}, "units"},
		} {
			m := message(tc.c.do(tc.method, tc.path, tc.body).want(422).problem(), tc.field)
			words := strings.FieldsFunc(glossed.ReplaceAllString(gloss.ReplaceAllString(m, "()"), " "), func(r rune) bool { return !unicode.IsLetter(r) && r != '_' })
			if m == "" || slices.ContainsFunc(words, func(w string) bool { return apiWords[w] }) {
				t.Errorf("%s %s: %s message %q, want it in Vietnamese words", tc.method, tc.path, tc.field, m)
			}
		}

		en := &client{ts: ts, token: dinhcong.token, header: map[string]string{"Accept-Language": "en"}}
		p = en.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Chợ số",
			"category": "shopping"}).want(422).problem()
		if m := message(p, "category"); !strings.Contains(m, "must be one of: digital_skills, cashless") {
			t.Errorf("English category message = %q, want the keys", m)
		}
	})
}
