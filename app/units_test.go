package app

import (
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

func TestUnits(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, anon := ts.as("admin"), ts.as("")
		var u store.Unit
		admin.do("POST", "/api/v1/units", map[string]any{
			"code": "X-SOCSON", "name": "Xã Sóc Sơn", "level": "commune", "kind": "front", "parent": "HN", "clusters": []string{"cum-9"},
		}).want(201).decode(&u)
		if u.Name != "Xã Sóc Sơn" || u.Parent != "HN" || len(u.Clusters) != 1 {
			t.Errorf("created unit = %+v", u)
		}
		admin.do("POST", "/api/v1/units", map[string]any{
			"code": "X-SOCSON", "name": "again", "level": "commune", "kind": "front",
		}).want(409)
		p := admin.do("POST", "/api/v1/units", map[string]any{
			"code": "X-NEW", "name": "Xã Mới", "level": "commune", "kind": "front", "parent": "NOPE",
		}).want(422).problem()
		if strings.Join(p.fields(), ",") != "parent" {
			t.Errorf("unknown parent: fields %v, want parent", p.fields())
		}

		// Accent-insensitive search, in both directions.
		for _, q := range []string{"dinh cong", "Định Công", "DINH", "đinh công"} {
			var l list[store.Unit]
			anon.do("GET", "/api/v1/units?q="+urlQuery(q), nil).want(200).decode(&l)
			if len(l.Items) != 2 || l.Items[0].Code != "P-DINHCONG" {
				t.Errorf("q=%q: %d items %+v, want P-DINHCONG and its Women's Union", q, len(l.Items), l.Items)
			}
		}
		var l list[store.Unit]
		anon.do("GET", "/api/v1/units?parent=HN", nil).want(200).decode(&l)
		if len(l.Items) != 3 {
			t.Errorf("parent=HN: %d units, want 3", len(l.Items))
		}
		anon.do("GET", "/api/v1/units?cluster=cum-1&limit=1", nil).want(200).decode(&l)
		if len(l.Items) != 1 || l.NextCursor == nil {
			t.Fatalf("cluster=cum-1&limit=1 = %+v, want one item and a next cursor", l)
		}
		var l2 list[store.Unit]
		anon.do("GET", "/api/v1/units?cluster=cum-1&limit=1&cursor="+*l.NextCursor, nil).want(200).decode(&l2)
		if len(l2.Items) != 1 || l2.Items[0].Code == l.Items[0].Code || l2.NextCursor != nil {
			t.Errorf("second page = %+v", l2)
		}
		anon.do("GET", "/api/v1/units?limit=0", nil).want(422)
		anon.do("GET", "/api/v1/units?cursor=garbage!", nil).want(422)

		var d store.UnitDetail
		anon.do("GET", "/api/v1/units/P-DINHCONG", nil).want(200).decode(&d)
		if d.Parent != "HN" || len(d.Children) != 1 || d.Children[0].Code != "P-DINHCONG-PN" || len(d.Ancestors) != 1 {
			t.Errorf("unit detail = %+v", d)
		}
		anon.do("GET", "/api/v1/units/NOPE", nil).want(404).problem()
	})
}

func TestUnitImport(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		admin.header = map[string]string{"Content-Type": "text/csv"}
		good := "\ufeffcode,name,level,kind,parent,clusters\n" +
			"X-BAVI,Xã Ba Vì,commune,front,HN,cum-10;cum-11\n" +
			"X-BAVI-PN,Hội LHPN xã Ba Vì,commune,womens_union,X-BAVI,khoi-pn\n"
		bad := "code,name,level,kind,parent,clusters\n" +
			"X-OK,Xã Ổn,commune,front,HN,\n" +
			"P-DINHCONG,Trùng mã,commune,front,HN,\n" +
			"X-ORPHAN,Xã Mồ Côi,commune,front,NOPE,\n" +
			",Không mã,commune,front,HN,\n"
		p := admin.do("POST", "/api/v1/units/import", bad).want(422).problem()
		var lines []int
		for _, e := range p.Errors {
			lines = append(lines, e.Line)
		}
		if len(p.Errors) != 3 || lines[0] != 3 || lines[1] != 4 || lines[2] != 5 {
			t.Fatalf("bad import errors = %+v, want lines 3 (duplicate), 4 (parent), 5 (no code)", p.Errors)
		}
		ts.as("").do("GET", "/api/v1/units/X-OK", nil).want(404) // nothing half-written
		var res struct{ Created int }
		admin.do("POST", "/api/v1/units/import", good).want(201).decode(&res)
		if res.Created != 2 {
			t.Errorf("created = %d, want 2", res.Created)
		}
		var d store.UnitDetail
		ts.as("").do("GET", "/api/v1/units/X-BAVI-PN", nil).want(200).decode(&d)
		if d.Name != "Hội LHPN xã Ba Vì" || d.Parent != "X-BAVI" {
			t.Errorf("imported = %+v", d)
		}
		admin.do("POST", "/api/v1/units/import", "name,code\nx,y\n").want(400).problem()
	})
}
