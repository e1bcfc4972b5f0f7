package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/thidua/thidua/app/store"
)

func TestProjectLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, officer, other, anon := ts.as("admin"), ts.as("dinhcong"), ts.as("hoankiem"), ts.as("")
		title := "Mỗi tuần một kỹ năng số – phường Định Công"
		var p store.Project
		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": title, "summary": "Hướng dẫn người dân cài đặt iHanoi, VNeID.",
			"category": "digital_skills", "starts_on": "2025-05-01", "ends_on": "2025-12-31",
		}).want(201).decode(&p)
		if p.Status != "registered" || p.Title != title || p.Unit != "P-DINHCONG" || p.ID == 0 {
			t.Fatalf("created = %+v", p)
		}
		path := fmt.Sprintf("/api/v1/projects/%d", p.ID)

		other.do("PATCH", path, map[string]any{"status": "in_progress"}).want(403)
		officer.do("PATCH", path, map[string]any{"status": "completed"}).want(409) // must be in progress first
		officer.do("PATCH", path, map[string]any{"status": "in_progress"}).want(200)
		officer.do("PATCH", path, map[string]any{"status": "completed", "title": title + " (giai đoạn 1)"}).want(200)
		officer.do("PATCH", path, map[string]any{"status": "verified"}).want(403) // only the organiser verifies
		admin.do("PATCH", path, map[string]any{"status": "rejected"}).want(422)   // a rejection needs a reason
		admin.do("PATCH", path, map[string]any{"status": "verified"}).want(200)
		admin.do("PATCH", path, map[string]any{"status": "in_progress"}).want(409)
		// A verified project's content is the organisers' decision now.
		officer.do("PATCH", path, map[string]any{"title": "Sửa sau khi đã công nhận"}).want(409)
		officer.do("PATCH", path, map[string]any{"title": title + " (giai đoạn 1)"}).want(200) // unchanged: nothing to refuse
		admin.do("PATCH", path, map[string]any{"summary": "Ban tổ chức sửa lỗi chính tả"}).want(200)

		officer.do("POST", path+"/progress", map[string]any{
			"note": "Đã tập huấn 120 người", "evidence_urls": []string{"https://example.gov.vn/anh-1"},
			"figures": map[string]float64{"people_trained": 120},
		}).want(201)
		admin.do("POST", path+"/progress", map[string]any{"note": "x"}).want(403)
		officer.do("POST", path+"/progress", map[string]any{"note": "x", "evidence_urls": []string{"not a url"}}).want(422)
		officer.do("POST", "/api/v1/projects/99999999/progress", map[string]any{"note": "x"}).want(404)
		var gone store.Project
		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Dự án rút lại", "category": "digital_skills"}).want(201).decode(&gone)
		officer.do("PATCH", fmt.Sprintf("/api/v1/projects/%d", gone.ID), map[string]any{"status": "withdrawn"}).want(200)
		officer.do("POST", fmt.Sprintf("/api/v1/projects/%d/progress", gone.ID), map[string]any{"note": "x"}).want(409)

		var d store.ProjectDetail
		anon.do("GET", path, nil).want(200).decode(&d)
		var statuses []string
		for _, h := range d.History {
			statuses = append(statuses, h.Status)
		}
		if fmt.Sprint(statuses) != "[registered in_progress completed verified]" {
			t.Errorf("history = %v", statuses)
		}
		if d.Title != title+" (giai đoạn 1)" || len(d.Progress) != 1 {
			t.Errorf("detail = %+v", d)
		}
		var urls []string
		json.Unmarshal(d.Progress[0].EvidenceURLs, &urls)
		if len(urls) != 1 || d.Progress[0].Author != "dinhcong" {
			t.Errorf("progress = %+v", d.Progress[0])
		}

		// Adoption (nhân rộng) by another unit.
		var a store.Project
		other.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-HOANKIEM", "title": "Nhân rộng mô hình Mỗi tuần một kỹ năng số", "category": "digital_skills", "adopted_from": p.ID,
		}).want(201).decode(&a)
		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Tự nhân rộng", "category": "digital_skills", "adopted_from": p.ID,
		}).want(422)
		anon.do("GET", path, nil).want(200).decode(&d)
		if d.Adoptions != 1 || len(d.AdoptedBy) != 1 || d.AdoptedBy[0].Unit != "P-HOANKIEM" {
			t.Errorf("adoptions = %d %+v", d.Adoptions, d.AdoptedBy)
		}

		var l list[store.Project]
		anon.do("GET", "/api/v1/campaigns/cds/projects?q=ky%20nang%20so&status=verified", nil).want(200).decode(&l)
		if len(l.Items) != 1 || l.Items[0].ID != p.ID {
			t.Errorf("search = %+v", l.Items)
		}
		anon.do("GET", "/api/v1/campaigns/cds/projects?status=bogus", nil).want(422)
		anon.do("GET", "/api/v1/campaigns/nope/projects", nil).want(404)
		anon.do("GET", "/api/v1/projects/999999", nil).want(404)
		anon.do("GET", "/api/v1/projects/abc", nil).want(404)
	})
}

func TestReportsAndCoverage(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, officer, anon := ts.as("admin"), ts.as("dinhcong"), ts.as("")
		url := "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-07"
		officer.do("PUT", url, map[string]any{"values": map[string]float64{"staff_trained": 0.8}}).want(200)
		officer.do("PUT", url, map[string]any{"values": map[string]float64{"cashless": 0.5}}).want(200)
		var reps list[store.Report]
		anon.do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/reports", nil).want(200).decode(&reps)
		if len(reps.Items) != 1 || reps.Items[0].Values["staff_trained"] != 0.8 || reps.Items[0].Values["cashless"] != 0.5 {
			t.Fatalf("reports = %+v, want one report with both values (upsert keeps the first)", reps.Items)
		}
		p := officer.do("PUT", url, map[string]any{"values": map[string]float64{"nope": 1, "staff_trained": 2}}).want(422).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "values.nope" {
			t.Errorf("unknown indicator: %+v", p.Errors)
		}
		officer.do("PUT", url, map[string]any{"values": map[string]float64{"staff_trained": 1.5}}).want(422)
		officer.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-Q3", map[string]any{"values": map[string]float64{"cashless": 1}}).want(422)
		officer.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2024-01", map[string]any{"values": map[string]float64{"cashless": 1}}).want(422)
		officer.do("PUT", "/api/v1/campaigns/cds/units/P-HOANKIEM/reports/2025-07", map[string]any{"values": map[string]float64{"cashless": 1}}).want(403)
		admin.do("PUT", "/api/v1/campaigns/cds/units/P-HOANKIEM/reports/2025-07", map[string]any{"values": map[string]float64{"cashless": 1}}).want(200)

		officer.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/covenant", map[string]any{"targets": map[string]float64{"cashless": 0.6}}).want(200)
		var cov store.Covenant
		anon.do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/covenant", nil).want(200).decode(&cov)
		if cov.Targets["cashless"] != 0.6 {
			t.Errorf("covenant = %+v", cov)
		}

		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Chợ số", "category": "cashless"}).want(201)
		var c store.Coverage
		anon.do("GET", "/api/v1/campaigns/cds/coverage", nil).want(200).decode(&c)
		if c.Units != 4 || c.WithProject != 1 || c.Without != 3 || c.UnitsWith[0].Code != "P-DINHCONG" {
			t.Fatalf("coverage = %+v", c)
		}
		var cum1 *store.ClusterCoverage
		for i := range c.Clusters {
			if c.Clusters[i].Cluster == "cum-1" {
				cum1 = &c.Clusters[i]
			}
		}
		if cum1 == nil || cum1.Units != 2 || cum1.WithProject != 1 {
			t.Errorf("cluster cum-1 coverage = %+v", cum1)
		}
		// A page of the units, by code; the counts are of every unit.
		var seen []string
		for cursor, pages := "", 0; ; pages++ {
			var pg store.Coverage
			anon.do("GET", "/api/v1/campaigns/cds/coverage?limit=3&cursor="+urlQuery(cursor), nil).want(200).decode(&pg)
			if pg.Units != 4 || pg.WithProject != 1 || len(pg.Clusters) != len(c.Clusters) {
				t.Errorf("coverage page %d counts = %+v, want those of every unit", pages, pg)
			}
			for _, u := range append(pg.UnitsWith, pg.UnitsWithout...) {
				seen = append(seen, u.Code)
			}
			if pg.NextCursor == nil || pages > 3 {
				break
			}
			cursor = *pg.NextCursor
		}
		slices.Sort(seen)
		if want := []string{"HN", "P-DINHCONG", "P-DINHCONG-PN", "P-HOANKIEM"}; !slices.Equal(seen, want) {
			t.Errorf("coverage pages of 3 list %v, want %v", seen, want)
		}
		var first store.Coverage
		anon.do("GET", "/api/v1/campaigns/cds/coverage?limit=3", nil).want(200).decode(&first)
		if len(first.UnitsWith)+len(first.UnitsWithout) != 3 || first.NextCursor == nil {
			t.Errorf("coverage?limit=3 = %+v, want 3 units and a next cursor", first)
		}
		if p := anon.do("GET", "/api/v1/campaigns/cds/coverage?limit=0", nil).want(422).problem(); !slices.Equal(p.fields(), []string{"limit"}) {
			t.Errorf("limit=0: fields %v", p.fields())
		}
		anon.do("GET", "/api/v1/campaigns/cds/coverage?cursor=nope", nil).want(422)
		anon.do("GET", "/api/v1/campaigns/cds/coverage?cluster=khoi-pn", nil).want(200).decode(&c)
		if c.Units != 1 || c.Without != 1 {
			t.Errorf("coverage of khoi-pn = %+v", c)
		}
		// Totals alone (the summary cards) count what the full lists hold.
		for _, f := range []store.CoverageFilter{{}, {Cluster: "cum-1"}, {Cluster: "khoi-pn"}, {Level: "commune"}} {
			full, err := ts.db.Coverage(context.Background(), "cds", f)
			if err != nil {
				t.Fatal(err)
			}
			f.Totals = true
			tot, err := ts.db.Coverage(context.Background(), "cds", f)
			if err != nil {
				t.Fatal(err)
			}
			if tot.Units != full.Units || tot.WithProject != full.WithProject || tot.Without != full.Without ||
				tot.Share != full.Share || len(tot.UnitsWith)+len(tot.UnitsWithout)+len(tot.Clusters) != 0 {
				t.Errorf("totals %+v, want the counts of %+v", tot, full)
			}
		}
	})
}

// A progress note is stored with its audit entry, which names the note's
// id (one statement on PostgreSQL), and a refused one leaves neither.
func TestProgressNoteAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, officer := ts.as("admin"), ts.as("dinhcong")
		var p store.Project
		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Tiến độ được ghi", "category": "digital_skills"}).want(201).decode(&p)
		path := fmt.Sprintf("/api/v1/projects/%d/progress", p.ID)
		var n store.ProgressNote
		officer.do("POST", path, map[string]any{"note": "Buổi thứ nhất", "figures": map[string]float64{"people": 30}}).want(201).decode(&n)
		if n.ID == 0 || n.Note != "Buổi thứ nhất" || n.Author != "dinhcong" || n.EvidenceFiles == nil {
			t.Fatalf("note = %+v", n)
		}
		var l list[store.AuditEntry]
		admin.do("GET", fmt.Sprintf("/api/v1/audit?entity=project&key=%d", p.ID), nil).want(200).decode(&l)
		var logged []store.ProgressNote
		for _, e := range l.Items {
			if e.Action == "progress" {
				var a store.ProgressNote
				if err := json.Unmarshal(e.After, &a); err != nil {
					t.Fatal(err)
				}
				logged = append(logged, a)
				if e.Before != nil || e.Actor != "dinhcong" {
					t.Errorf("entry = %+v", e)
				}
			}
		}
		if len(logged) != 1 || logged[0].ID != n.ID || logged[0].Note != n.Note || !logged[0].CreatedAt.Equal(n.CreatedAt) ||
			string(logged[0].Figures) != `{"people":30}` {
			t.Fatalf("audited progress = %+v, want one entry of %+v", logged, n)
		}

		officer.do("PATCH", fmt.Sprintf("/api/v1/projects/%d", p.ID), map[string]any{"status": "withdrawn"}).want(200)
		before := auditCount(t, ts.db)
		officer.do("POST", path, map[string]any{"note": "Sau khi rút"}).want(409)
		if after := auditCount(t, ts.db); after != before {
			t.Errorf("a refused note wrote %d audit entries", after-before)
		}
		var d store.ProjectDetail
		admin.do("GET", fmt.Sprintf("/api/v1/projects/%d", p.ID), nil).want(200).decode(&d)
		if len(d.Progress) != 1 || d.Progress[0].ID != n.ID {
			t.Errorf("progress = %+v, want only note %d", d.Progress, n.ID)
		}
	})
}
