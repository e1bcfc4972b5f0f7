package app

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// TestWardOrganiser: a ward's organiser runs a campaign for its subtree,
// and nothing outside it.
func TestWardOrganiser(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newAuthzFixture(t, ts)
		org, admin := f.clients["organiser"], f.clients["admin"]

		// Its campaign is organised by its unit, for the units below it.
		var camp store.Campaign
		f.clients["anon"].do("GET", "/api/v1/campaigns/dc", nil).want(200).decode(&camp)
		if camp.Organiser == nil || camp.Organiser.Code != "P-DINHCONG" || camp.Organiser.Name != "Phường Định Công" || camp.Units != 2 {
			t.Errorf("campaign = organiser %+v, %d units; want Phường Định Công and its 2 units", camp.Organiser, camp.Units)
		}
		var camps struct{ Items []store.Campaign }
		f.clients["anon"].do("GET", "/api/v1/campaigns?organiser=P-DINHCONG", nil).want(200).decode(&camps)
		if len(camps.Items) != 1 || camps.Items[0].Slug != "dc" {
			t.Errorf("campaigns of P-DINHCONG = %+v, want dc", camps.Items)
		}
		// The admin's campaigns are the root's by default.
		var cds store.Campaign
		f.clients["anon"].do("GET", "/api/v1/campaigns/cds", nil).want(200).decode(&cds)
		if cds.Organiser == nil || cds.Organiser.Code != "HN" {
			t.Errorf("the admin's campaign is organised by %+v, want HN", cds.Organiser)
		}

		// A unit added below the ward joins its campaign and the city's;
		// one added in a sibling ward joins only the city's.
		org.do("POST", "/api/v1/units", map[string]any{"code": "T-DC-1", "name": "Tổ công nghệ số Định Công 1",
			"level": "group", "kind": "digital_team", "parent": "P-DINHCONG"}).want(201)
		admin.do("POST", "/api/v1/units", map[string]any{"code": "T-HK-1", "name": "Tổ công nghệ số Hoàn Kiếm 1",
			"level": "group", "kind": "digital_team", "parent": "P-HOANKIEM"}).want(201)
		for slug, want := range map[string]int{"dc": 3, "cds": 6} {
			var c store.Campaign
			admin.do("GET", "/api/v1/campaigns/"+slug, nil).want(200).decode(&c)
			if c.Units != want {
				t.Errorf("%s has %d units, want %d", slug, c.Units, want)
			}
		}

		// Outside its subtree: refused, naming the field, writing nothing.
		before := auditCount(t, ts.db)
		for _, tc := range []struct {
			path, field string
			body        map[string]any
		}{
			{"/api/v1/campaigns", "organiser", map[string]any{"slug": "hk", "name": "Hoàn Kiếm", "starts_on": "2026-01-01",
				"ends_on": "2026-12-31", "organiser": "P-HOANKIEM", "units": "all"}},
			{"/api/v1/campaigns", "units", map[string]any{"slug": "mix", "name": "Hai phường", "starts_on": "2026-01-01",
				"ends_on": "2026-12-31", "units": []string{"P-DINHCONG-PN", "P-HOANKIEM"}}},
			{"/api/v1/campaigns", "organiser", map[string]any{"slug": "city", "name": "Cả thành phố", "starts_on": "2026-01-01",
				"ends_on": "2026-12-31", "organiser": "HN", "units": "all"}},
			{"/api/v1/units", "parent", map[string]any{"code": "T-HK-2", "name": "Tổ Hoàn Kiếm 2", "level": "group",
				"kind": "digital_team", "parent": "P-HOANKIEM"}},
			{"/api/v1/units", "parent", map[string]any{"code": "ROOT-2", "name": "Gốc khác", "level": "city", "kind": "front"}},
			{"/api/v1/users", "unit", map[string]any{"username": "hk.officer", "password": "mật-khẩu-dài", "role": "unit", "unit": "P-HOANKIEM"}},
			{"/api/v1/users", "unit", map[string]any{"username": "city.org", "password": "mật-khẩu-dài", "role": "organiser", "unit": "HN"}},
			{"/api/v1/users", "role", map[string]any{"username": "boss", "password": "mật-khẩu-dài", "role": "admin"}},
		} {
			p := org.do("POST", tc.path, tc.body).want(403).problem()
			if !slices.Equal(p.fields(), []string{tc.field}) {
				t.Errorf("POST %s %v: fields %v, want %s", tc.path, tc.body, p.fields(), tc.field)
			}
		}
		csv := &client{ts: ts, token: org.token, header: map[string]string{"Content-Type": "text/csv"}}
		csv.do("POST", "/api/v1/units/import", "code,name,level,kind,parent,clusters\nT-DC-2,Tổ 2,group,digital_team,P-DINHCONG,\nT-HK-3,Tổ 3,group,digital_team,P-HOANKIEM,\n").
			want(403)
		if after := auditCount(t, ts.db); after != before {
			t.Errorf("refused requests wrote %d audit entries", after-before)
		}
		for _, code := range []string{"T-HK-2", "ROOT-2", "T-DC-2", "T-HK-3"} {
			if _, err := ts.db.UnitByCode(context.Background(), code); err == nil {
				t.Errorf("unit %s was created", code)
			}
		}

		// Inside it: users of its subtree, an officer for the whole ward.
		org.do("POST", "/api/v1/users", map[string]any{"username": "mttq2.dinhcong", "password": "mật-khẩu-dài",
			"role": "unit", "unit": "P-DINHCONG", "scope": "subtree"}).want(201)
		org.do("POST", "/api/v1/users", map[string]any{"username": "org2.dinhcong", "password": "mật-khẩu-dài",
			"role": "organiser", "unit": "P-DINHCONG"}).want(201)
		p := org.do("POST", "/api/v1/users", map[string]any{"username": "judge.scope", "password": "mật-khẩu-dài",
			"role": "judge", "unit": "P-DINHCONG", "scope": "subtree"}).want(422).problem()
		if !slices.Equal(p.fields(), []string{"scope"}) {
			t.Errorf("a judge with a scope: fields %v, want scope", p.fields())
		}
		var users list[store.User]
		org.do("GET", "/api/v1/users", nil).want(200).decode(&users)
		var names []string
		for _, u := range users.Items {
			names = append(names, u.Username)
		}
		if want := []string{"dinhcong", "mttq.dinhcong", "mttq2.dinhcong", "org.dinhcong", "org2.dinhcong", "phunu.dinhcong"}; !slices.Equal(names, want) {
			t.Errorf("the organiser's users = %v, want %v", names, want)
		}
		f.clients["other"].do("GET", "/api/v1/users", nil).want(403)
	})
}

// TestSubtreeOfficer: an officer with scope subtree acts for the units
// below its own, and for no other.
func TestSubtreeOfficer(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newAuthzFixture(t, ts)
		c := f.clients["subtree"]
		var me store.User
		c.do("GET", "/api/v1/me", nil).want(200).decode(&me)
		if me.Scope != policy.Subtree || me.Unit != "P-DINHCONG" {
			t.Errorf("me = %+v, want an officer of P-DINHCONG with scope subtree", me)
		}
		c.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG-PN/reports/2025-08", map[string]any{"values": map[string]float64{"cashless": 0.5}}).want(200)
		c.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08", map[string]any{"values": map[string]float64{"cashless": 0.5}}).want(200)
		p := c.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-HOANKIEM", "title": "Ngoài phạm vi", "category": "community"}).
			want(403).problem()
		if !slices.Equal(p.fields(), []string{"unit"}) {
			t.Errorf("a project for a unit outside the subtree: fields %v, want unit", p.fields())
		}
		c.do("PUT", "/api/v1/campaigns/cds/units/HN/covenant", map[string]any{"targets": map[string]float64{"cashless": 0.5}}).want(403)
		// The Women's Union's own officer acts for it alone.
		f.clients["own"].do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08",
			map[string]any{"values": map[string]float64{"cashless": 0.1}}).want(403)
	})
}

// TestJudgingResultAfterLock: once the round is locked, a project shows its
// result to everyone, and the judges' comments to its unit's officers and
// the campaign's organisers only.
func TestJudgingResultAfterLock(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newAuthzFixture(t, ts)
		org := f.clients["organiser"]
		path := fmt.Sprintf("/api/v1/projects/%d", f.apiProject)
		org.do("PUT", path+"/assignments/judge", nil).want(200)
		org.do("POST", "/api/v1/campaigns/dc/judges", map[string]any{"username": "judge2"}).want(201)
		org.do("PUT", path+"/assignments/judge2", nil).want(200)
		f.clients["judge"].do("PUT", path+"/scores", map[string]any{"criteria": map[string]float64{"innovation": 8}, "comment": "Sáng tạo"}).want(200)
		ts.as("judge2").do("PUT", path+"/scores", map[string]any{"criteria": map[string]float64{"innovation": 6}}).want(200)

		var v platform.ProjectView
		f.clients["anon"].do("GET", path, nil).want(200).decode(&v)
		if v.Judging != nil {
			t.Errorf("before the lock the result shows: %+v", v.Judging)
		}
		org.do("POST", "/api/v1/campaigns/dc/judging/lock", nil).want(200)
		for who, comments := range map[string]bool{"anon": false, "other": false, "sibling": false, "judge": false,
			"own": true, "subtree": true, "organiser": true, "admin": true} {
			var v platform.ProjectView
			f.clients[who].do("GET", path, nil).want(200).decode(&v)
			j := v.Judging
			if j == nil || j.Judges != 2 || j.Score != 0.7 || !j.Final || len(j.Criteria) != 1 || j.Criteria[0].Mean != 7 || j.Criteria[0].Max != 10 {
				t.Fatalf("as %s, the locked result = %+v, want 2 judges, 0.7, innovation 7/10", who, j)
			}
			if got := slices.Equal(j.Comments, []string{"Sáng tạo"}); got != comments {
				t.Errorf("as %s, comments = %q; want them shown: %v", who, j.Comments, comments)
			}
		}
	})
}
