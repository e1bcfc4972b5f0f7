package app

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/scoring"
)

// exampleRuleset is the worked example of RULES.md.
func exampleRuleset(*testing.T) string { return demo.Ruleset }

// clock sets the store's (and so the runner's) clock.
func (ts *testServer) at(when string) {
	ts.t.Helper()
	t, err := time.Parse(time.RFC3339, when)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.db.Now = func() time.Time { return t.UTC() }
}

func (c *client) yaml(method, path, body string) *response {
	y := &client{ts: c.ts, token: c.token, header: map[string]string{"Content-Type": "application/yaml"}}
	for k, v := range c.header {
		y.header[k] = v
	}
	return y.do(method, path, body)
}

// scoringFixture builds the history of RULES.md's example for 2025-Q3 as
// computed by hand in TestWorkedExample.
func scoringFixture(t *testing.T, ts *testServer) (admin, dinhcong, hoankiem *client) {
	admin, dinhcong, hoankiem = ts.as("admin"), ts.as("dinhcong"), ts.as("hoankiem")
	admin.do("POST", "/api/v1/campaigns/cds/indicators", map[string]any{
		"key": "docs_electronic", "title": "Văn bản điện tử", "unit": "percent", "target": 1}).want(201)
	admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", exampleRuleset(t)).want(201)
	dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/covenant", map[string]any{
		"targets": map[string]float64{"staff_trained": 0.8}}).want(200)

	var a, b store.Project
	ts.at("2025-07-05T03:00:00Z")
	dinhcong.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
		"unit": "P-DINHCONG", "title": "Mỗi tuần một kỹ năng số", "category": "digital_skills"}).want(201).decode(&a)
	ts.at("2025-08-01T03:00:00Z")
	dinhcong.do("PATCH", fmt.Sprintf("/api/v1/projects/%d", a.ID), map[string]any{"status": "in_progress"}).want(200)
	ts.at("2025-08-05T03:00:00Z")
	dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-07", map[string]any{
		"values": map[string]float64{"staff_trained": 0.6, "docs_electronic": 0.5}}).want(200)
	ts.at("2025-09-01T03:00:00Z")
	dinhcong.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
		"unit": "P-DINHCONG", "title": "Chợ số", "category": "cashless"}).want(201).decode(&b)
	ts.at("2025-09-15T03:00:00Z")
	dinhcong.do("PATCH", fmt.Sprintf("/api/v1/projects/%d", a.ID), map[string]any{"status": "completed"}).want(200)
	dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08", map[string]any{
		"values": map[string]float64{"staff_trained": 0.8}}).want(200) // late: due by 10 September
	ts.at("2025-09-20T03:00:00Z")
	hoankiem.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
		"unit": "P-HOANKIEM", "title": "Nhân rộng: Mỗi tuần một kỹ năng số", "category": "digital_skills", "adopted_from": a.ID}).want(201)
	ts.at("2025-10-05T03:00:00Z")
	dinhcong.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
		"unit": "P-DINHCONG", "title": "Sau kỳ", "category": "archive"}).want(201) // after the period: not counted
	ts.at("2025-10-08T03:00:00Z")
	dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-09", map[string]any{
		"values": map[string]float64{"docs_electronic": 0.9}}).want(200)
	ts.at("2025-10-20T03:00:00Z")
	return admin, dinhcong, hoankiem
}

// TestWorkedExample scores RULES.md's example ruleset on a history whose
// every point is computed by hand.
func TestWorkedExample(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		var run store.Run
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201).decode(&run)
		if run.Status != "succeeded" || run.Units != 4 || run.RulesetVersion != 1 || run.Period != "2025-Q3" {
			t.Fatalf("run = %+v", run)
		}
		var us unitScore
		ts.as("").do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/score", nil).want(200).decode(&us)
		r := us.Result
		// Facts: 2 projects by 30 September (one completed), 1 adoption by
		// Hoàn Kiếm; staff_trained 0.8 (August, the latest that reported it)
		// against a covenant target of 0.8; docs_electronic 0.9 (September);
		// 6 monthly reports due (April–September), 2 on time, 1 late, 3 missing.
		f := r.Facts
		if f.Projects.Registered != 2 || f.Projects.Completed != 1 || f.Projects.InProgress != 0 || f.Projects.Adopted != 1 {
			t.Errorf("projects = %+v", f.Projects)
		}
		if f.KPI["staff_trained"] != 0.8 || f.KPI["docs_electronic"] != 0.9 || f.Target["staff_trained"] != 0.8 || f.Target["docs_electronic"] != 1 {
			t.Errorf("kpi %v target %v", f.KPI, f.Target)
		}
		if f.Reports.Due != 6 || f.Reports.OnTime != 2 || f.Reports.Late != 1 || f.Reports.Missing != 3 {
			t.Errorf("reports = %+v", f.Reports)
		}
		// Hoàn Kiếm has no covenant: the campaign's targets, whatever Định Công's says.
		var other unitScore
		ts.as("").do("GET", "/api/v1/campaigns/cds/units/P-HOANKIEM/score", nil).want(200).decode(&other)
		if tg := other.Result.Facts.Target; tg["staff_trained"] != 1 || tg["docs_electronic"] != 1 {
			t.Errorf("P-HOANKIEM's targets = %v, want the campaign's", tg)
		}
		want := map[string]float64{"has_project": 20, "staff_trained": 10, "docs_electronic": 9, "project_quality": 0,
			"replication": 3.3333, "on_time": 3.3333}
		for _, l := range r.Criteria {
			if math.Abs(l.Points-want[l.Key]) > 1e-9 {
				t.Errorf("%s = %v points (value %v), want %v", l.Key, l.Points, l.Value, want[l.Key])
			}
		}
		if len(r.Adjustments) != 1 || r.Adjustments[0].Points != -6 {
			t.Errorf("adjustments = %+v, want missing_reports -6", r.Adjustments)
		}
		// 20 + 10 + 9 + 10/3 + 10/3 − 6, the exact points added, rounded once.
		if r.Total != 39.6667 || r.Max != 100 || !r.Eligible || r.Rank.Overall != 1 || r.Rank.Cluster["cum-1"] != 1 {
			t.Errorf("total %v max %v eligible %v rank %+v", r.Total, r.Max, r.Eligible, r.Rank)
		}

		var lb leaderboard
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard", nil).want(200).decode(&lb)
		got := []string{}
		for _, it := range lb.Items {
			rank := "-"
			if it.Rank != nil {
				rank = fmt.Sprint(*it.Rank)
			}
			got = append(got, fmt.Sprintf("%s %s %v", rank, it.Unit, it.Score))
		}
		// Hoàn Kiếm: has_project 20, 6 reports missing → −12 bounded at −10.
		// The Women's Union and the city have no project: ineligible, unranked.
		wantLB := "[1 P-DINHCONG 39.6667 2 P-HOANKIEM 10 - HN -10 - P-DINHCONG-PN -10]"
		if fmt.Sprint(got) != wantLB || lb.Period != "2025-Q3" || lb.Run == nil || lb.Run.ID != run.ID {
			t.Errorf("leaderboard = %v (period %s), want %s", got, lb.Period, wantLB)
		}
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard?scope=cluster:cum-1", nil).want(200).decode(&lb)
		if len(lb.Items) != 2 || *lb.Items[1].Rank != 2 {
			t.Errorf("cluster leaderboard = %+v", lb.Items)
		}
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard?scope=weird", nil).want(422)
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard?period=2025-Q2", nil).want(404)
	})
}

func TestRunsCloseAndHonours(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, dinhcong, hoankiem := scoringFixture(t, ts)
		anon := ts.as("")
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)

		// Hoàn Kiếm reports: the next run moves nobody overall, but its points rise.
		admin.do("PUT", "/api/v1/campaigns/cds/units/P-HOANKIEM/reports/2025-09", map[string]any{
			"values": map[string]float64{"staff_trained": 1, "docs_electronic": 1}}).want(200)
		_ = hoankiem
		// A ruleset whose honour Định Công earns, for the close.
		rs := strings.Replace(exampleRuleset(t), "min_score: 80", "min_score: 30", 1)
		var v struct{ Version int }
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", rs).want(201).decode(&v)
		if v.Version != 2 {
			t.Errorf("version = %d, want 2", v.Version)
		}
		var closing store.Run
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3", "close": true}).want(201).decode(&closing)
		if !closing.Closing || closing.RulesetVersion != 2 {
			t.Errorf("closing run = %+v", closing)
		}
		var lb leaderboard
		anon.do("GET", "/api/v1/campaigns/cds/leaderboard", nil).want(200).decode(&lb)
		if lb.Items[1].Unit != "P-HOANKIEM" || lb.Items[1].Score <= 10 || lb.Items[1].RankChange == nil || *lb.Items[1].RankChange != 0 {
			t.Errorf("after the second run: %+v", lb.Items[1])
		}
		var hs list[store.Honour]
		anon.do("GET", "/api/v1/campaigns/cds/honours", nil).want(200).decode(&hs)
		if len(hs.Items) != 1 || hs.Items[0].Unit != "P-DINHCONG" || hs.Items[0].Title != "Điển hình tiên tiến" ||
			hs.Items[0].Grp != "cum-1" || hs.Items[0].Period != "2025-Q3" || hs.Items[0].Serial == "" {
			t.Errorf("honours = %+v, want Định Công exemplary in cum-1", hs.Items)
		} else if c := hs.Items[0].Citation; c != "Đạt 39,67 điểm, xếp hạng 1 cụm, khối cum-1, kỳ quý III/2025." {
			t.Errorf("citation = %q", c)
		}
		// The closed period is immutable.
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3", "close": true}).want(409)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(409) // its final snapshot stands
		closedReport := map[string]any{"values": map[string]float64{"staff_trained": 1}}
		p := dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08", closedReport).want(409).problem()
		if p.Detail != "kỳ quý III/2025 đã được chốt: không thể sửa báo cáo của kỳ này nữa" {
			t.Errorf("closed period detail = %q, want it in Vietnamese", p.Detail)
		}
		en := &client{ts: ts, token: dinhcong.token, header: map[string]string{"Accept-Language": "en"}}
		if p := en.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08", closedReport).want(409).problem(); p.Detail != "Q3 2025 is closed: its reports can no longer change" {
			t.Errorf("closed period detail in English = %q", p.Detail)
		}

		var granted store.Honour
		honour := map[string]any{"unit": "P-HOANKIEM", "title": "Mô hình hay, cách làm sáng tạo", "period": "2025-q3", "citation": "Nhân rộng nhanh"}
		admin.do("POST", "/api/v1/campaigns/cds/honours", honour).want(201).decode(&granted)
		if granted.Period != "2025-Q3" {
			t.Errorf("period stored as %q, want the canonical 2025-Q3", granted.Period)
		}
		if p := admin.do("POST", "/api/v1/campaigns/cds/honours", honour).want(409).problem(); !slices.Equal(p.fields(), []string{"title"}) {
			t.Errorf("the same honour twice: fields %v, want title", p.fields())
		}
		honour["period"] = "1999-Q1"
		if p := admin.do("POST", "/api/v1/campaigns/cds/honours", honour).want(422).problem(); !slices.Equal(p.fields(), []string{"period"}) {
			t.Errorf("a period outside the campaign: fields %v, want period", p.fields())
		}
		admin.do("POST", "/api/v1/campaigns/cds/honours", map[string]any{
			"unit": "NOPE", "title": "x", "period": "2025-Q3", "citation": "x"}).want(422)
		var runs list[store.Run]
		anon.do("GET", "/api/v1/campaigns/cds/runs", nil).want(200).decode(&runs)
		if len(runs.Items) != 2 || runs.Items[0].ID != closing.ID || runs.Items[0].DurationMS == nil {
			t.Errorf("runs = %+v", runs.Items)
		}
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-07"}).want(422)
		admin.do("POST", "/api/v1/campaigns/cds/runs", `{"close": "yes"}`).want(422)
	})
}

func TestDryRunStoresNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		before := auditCount(t, ts.db)
		var lb leaderboard
		admin.yaml("POST", "/api/v1/campaigns/cds/ruleset/dry-run?period=2025-Q3", exampleRuleset(t)).want(200).decode(&lb)
		if len(lb.Items) != 4 || lb.Items[0].Unit != "P-DINHCONG" || lb.Items[0].Score != 39.6667 {
			t.Errorf("dry run = %+v", lb.Items)
		}
		// Paged as the leaderboard is: a page, and the next from its cursor.
		var units []string
		for cursor, pages := "", 0; pages < 6; pages++ {
			var pg leaderboard
			admin.yaml("POST", "/api/v1/campaigns/cds/ruleset/dry-run?period=2025-Q3&limit=3&cursor="+urlQuery(cursor), exampleRuleset(t)).want(200).decode(&pg)
			if pg.Total != 4 || len(pg.Items) > 3 {
				t.Errorf("dry run page %d: total %d, %d items", pages, pg.Total, len(pg.Items))
			}
			for _, it := range pg.Items {
				units = append(units, it.Unit)
			}
			if pg.NextCursor == nil {
				break
			}
			cursor = *pg.NextCursor
		}
		var all []string
		for _, it := range lb.Items {
			all = append(all, it.Unit)
		}
		if !slices.Equal(units, all) {
			t.Errorf("dry run by pages of 3 = %v, want %v", units, all)
		}
		admin.yaml("POST", "/api/v1/campaigns/cds/ruleset/dry-run?cursor=nope", exampleRuleset(t)).want(422)
		p := admin.yaml("POST", "/api/v1/campaigns/cds/ruleset/dry-run", "schema: 1\ncriteria:\n  - key: x\n    weight: 0\n    value: \"kpi.nope\"\n").want(422).problem()
		if len(p.Errors) < 2 {
			t.Errorf("bad candidate: %+v, want every problem", p.Errors)
		}
		var runs list[store.Run]
		ts.as("").do("GET", "/api/v1/campaigns/cds/runs", nil).want(200).decode(&runs)
		if len(runs.Items) != 0 || auditCount(t, ts.db) != before {
			t.Errorf("a dry run stored %d runs", len(runs.Items))
		}
	})
}

func TestBadRulesetKeepsCurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", minimalRuleset).want(201)
		bad := "schema: 2\ntimezone: Mars/Base\nperiod: fortnight\ncriteria:\n  - key: Bad-Key\n    weight: -1\n    value: \"kpi.nope + \"\n"
		p := admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", bad).want(422).problem()
		fields := strings.Join(p.fields(), " ")
		for _, f := range []string{"schema", "timezone", "period", "criteria[0].key", "criteria[0].weight", "criteria[0].value"} {
			if !strings.Contains(fields, f) {
				t.Errorf("problems %q lack %s", fields, f)
			}
		}
		var cur struct {
			Version int
			Source  string
		}
		ts.as("").do("GET", "/api/v1/campaigns/cds/ruleset", nil).want(200).decode(&cur)
		if cur.Version != 1 || cur.Source != minimalRuleset {
			t.Errorf("current = %d, want 1 still in force", cur.Version)
		}
		ts.as("").do("GET", "/api/v1/campaigns/cds/ruleset?version=1", nil).want(200)
		ts.as("").do("GET", "/api/v1/campaigns/cds/ruleset?version=7", nil).want(404)
	})
}

func TestExports(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		ts.db.Now = func() time.Time { return time.Date(2025, 10, 20, 3, 0, 0, 0, time.UTC) }
		admin.do("POST", "/api/v1/units", map[string]any{"code": "X-EVIL", "name": "=HYPERLINK(\"http://x\")", "level": "commune", "kind": "front", "parent": "HN"}).want(201)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
		r := ts.as("").do("GET", "/api/v1/campaigns/cds/export.csv", nil).want(200)
		body := string(r.Body)
		if !strings.HasPrefix(body, "\ufeffrank,unit,name") || !strings.Contains(body, "has_project points") {
			t.Errorf("csv header: %.200s", body)
		}
		if !strings.Contains(body, `'=HYPERLINK`) {
			t.Errorf("formula not neutralised: %s", body)
		}
		if !strings.Contains(body, "1,P-DINHCONG,Phường Định Công,commune,cum-1,true,39.6667,100,1,20,") {
			t.Errorf("csv row of Định Công missing: %s", body)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="cds-2025-Q3-overall.csv"` {
			t.Errorf("Content-Disposition = %q", cd)
		}
		// A scope naming no unit of the campaign is refused, not an empty file.
		p := ts.as("").do("GET", "/api/v1/campaigns/cds/export.csv?scope="+url.QueryEscape(`cluster:a"; filename="evil.html`), nil).want(422).problem()
		if !slices.Equal(p.fields(), []string{"scope"}) {
			t.Errorf("an unknown cluster: fields %v, want scope", p.fields())
		}
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard?scope=level:nowhere", nil).want(422)
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard/around/P-DINHCONG?scope=cluster:nope", nil).want(422)
		ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard?scope=cluster:cum-1", nil).want(200)
		x := ts.as("").do("GET", "/api/v1/campaigns/cds/export.xlsx", nil).want(200)
		if len(x.Body) < 100 || string(x.Body[:2]) != "PK" {
			t.Errorf("xlsx is not a zip: %d bytes", len(x.Body))
		}
	})
}

// TestJudgingFeedsScores: three judges score a project through the API and
// the next run's project_quality is 40 × their mean weighted score.
func TestJudgingFeedsScores(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		var l list[store.Project]
		ts.as("").do("GET", "/api/v1/campaigns/cds/projects?unit=P-DINHCONG", nil).want(200).decode(&l)
		project := l.Items[0].ID
		marks := map[string]map[string]float64{
			"j1": {"innovation": 8, "effectiveness": 7, "replicability": 9},  // 0.78
			"j2": {"innovation": 6, "effectiveness": 6, "replicability": 6},  // 0.60
			"j3": {"innovation": 10, "effectiveness": 9, "replicability": 8}, // 0.92
		}
		for _, j := range []string{"j1", "j2", "j3"} {
			ts.addUser(j, policy.Judge, "")
			admin.do("POST", "/api/v1/campaigns/cds/judges", map[string]any{"username": j}).want(201)
			admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/%s", project, j), nil).want(200)
		}
		run := func() float64 {
			admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
			var us unitScore
			ts.as("").do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/score", nil).want(200).decode(&us)
			for _, c := range us.Result.Criteria {
				if c.Key == "project_quality" {
					return c.Points
				}
			}
			t.Fatal("no project_quality criterion")
			return 0
		}
		for _, j := range []string{"j1", "j2"} {
			ts.as(j).do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", project), map[string]any{"criteria": marks[j], "comment": "ổn"}).want(200)
		}
		if got := run(); got != 0 {
			t.Errorf("with 2 of min_judges 3 scores: project_quality = %v, want 0", got)
		}
		ts.as("j3").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", project), map[string]any{"criteria": marks["j3"]}).want(200)
		// (0.78 + 0.60 + 0.92) / 3 = 0.76667 (trimmed mean drops nothing below 4 scores).
		if got := run(); got != 30.6667 {
			t.Errorf("project_quality = %v, want 30.6667", got)
		}
	})
}

// TestLeaderboardOnOtherReplica: a run made by one server is served by
// another over the same database once it polls.
func TestLeaderboardOnOtherReplica(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		cfg := testConfig()
		cfg.pollRuns = time.Nanosecond
		other := &testServer{t: t, db: ts.db, srv: NewServer(cfg, ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))}
		reader := &client{ts: other}
		reader.do("GET", "/api/v1/campaigns/cds/leaderboard", nil).want(404)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
		var lb leaderboard
		reader.do("GET", "/api/v1/campaigns/cds/leaderboard", nil).want(200).decode(&lb)
		first := lb.Run.ID
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
		reader.do("GET", "/api/v1/campaigns/cds/leaderboard", nil).want(200).decode(&lb)
		if lb.Run.ID == first || lb.Items[0].RankChange == nil || *lb.Items[0].RankChange != 0 {
			t.Errorf("other replica serves run %d (first %d), items %+v", lb.Run.ID, first, lb.Items[0])
		}
	})
}

// TestLeaderboardWhenPreviousWasPruned: a replica loading the newest run
// whose previous run lost its snapshot meanwhile serves the board without
// rank changes rather than failing.
func TestLeaderboardWhenPreviousWasPruned(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		var first, second store.Run
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201).decode(&first)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201).decode(&second)
		if _, err := ts.db.SQL().Exec("DELETE FROM run_snapshots WHERE run_id = $1", first.ID); err != nil {
			t.Fatal(err)
		}
		reader := &client{ts: newTestServer(t, ts.db)}
		var lb leaderboard
		reader.do("GET", "/api/v1/campaigns/cds/leaderboard", nil).want(200).decode(&lb)
		if lb.Run.ID != second.ID || len(lb.Items) == 0 || lb.Items[0].RankChange != nil {
			t.Errorf("board = run %d, items %+v; want run %d without rank changes", lb.Run.ID, lb.Items, second.ID)
		}
	})
}

// TestLeaderboardPages: the cursor walks the whole board once, and a cursor
// not from the list is refused by name.
func TestLeaderboardPages(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
		var codes []string
		path := "/api/v1/campaigns/cds/leaderboard?limit=1"
		for range 10 {
			var lb leaderboard
			ts.as("").do("GET", path, nil).want(200).decode(&lb)
			for _, it := range lb.Items {
				codes = append(codes, it.Unit)
			}
			if lb.NextCursor == nil {
				if len(codes) != lb.Total {
					t.Errorf("walked %v, want all %d units", codes, lb.Total)
				}
				break
			}
			path = "/api/v1/campaigns/cds/leaderboard?limit=1&cursor=" + *lb.NextCursor
		}
		if len(codes) < 2 || len(slices.Compact(slices.Sorted(slices.Values(codes)))) != len(codes) {
			t.Errorf("pages = %v, want every unit once", codes)
		}
		for _, bad := range []string{"nope", base64.RawURLEncoding.EncodeToString([]byte("7.9223372036854775800")),
			base64.RawURLEncoding.EncodeToString([]byte("7.-1"))} {
			p := ts.as("").do("GET", "/api/v1/campaigns/cds/leaderboard?cursor="+bad, nil).want(422).problem()
			if !slices.Equal(p.fields(), []string{"cursor"}) {
				t.Errorf("cursor %q: fields %v", bad, p.fields())
			}
		}
	})
}

// TestFileName: nothing of a name can end the quotes of a
// Content-Disposition header.
func TestFileName(t *testing.T) {
	if got := fileName(`cds-2025-Q3-cluster:a"; filename="evil.html`); got != "cds-2025-Q3-cluster-a---filename--evil.html" {
		t.Errorf("fileName = %q", got)
	}
}

// TestRankChangeAcrossPeriods: a period's first run shows each unit's
// move since the previous period's closing run, on this server and on a
// replica that reads the runs back.
func TestRankChangeAcrossPeriods(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3", "close": true}).want(201)
		var lb leaderboard
		admin.do("GET", "/api/v1/campaigns/cds/leaderboard?period=2025-Q3", nil).want(200).decode(&lb)
		if lb.Items[0].RankChange != nil {
			t.Errorf("the campaign's first run has a rank change: %+v", lb.Items[0])
		}
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q4"}).want(201)
		for name, c := range map[string]*client{"this server": ts.as(""), "a replica": {ts: newTestServer(t, ts.db)}} {
			c.do("GET", "/api/v1/campaigns/cds/leaderboard?period=2025-Q4", nil).want(200).decode(&lb)
			if lb.Period != "2025-Q4" || lb.Items[0].Rank == nil || lb.Items[0].RankChange == nil || *lb.Items[0].RankChange != 0 {
				t.Errorf("%s: the first run of 2025-Q4 gives %+v, want a rank change of 0 since 2025-Q3", name, lb.Items[0])
			}
		}
	})
}

// TestUnitScoreFollowsRuns: a unit's explanation, read back from the packed
// board, shows the figures of the run it names: after a newer run with a
// changed report, that run's figures and points, the same on a replica
// that read the run's snapshot from the database as on the server that
// ran it.
func TestUnitScoreFollowsRuns(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, dinhcong, _ := scoringFixture(t, ts)
		anon := ts.as("")
		path := "/api/v1/campaigns/cds/units/P-DINHCONG/score"
		var first, second store.Run
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201).decode(&first)
		var before unitScore
		anon.do("GET", path, nil).want(200).decode(&before)
		if before.Run.ID != first.ID || before.Result.Facts.KPI["docs_electronic"] != 0.9 {
			t.Fatalf("after the first run: run %d, kpi %v; want run %d, docs_electronic 0.9", before.Run.ID, before.Result.Facts.KPI, first.ID)
		}

		dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-09", map[string]any{
			"values": map[string]float64{"docs_electronic": 0.2}}).want(200)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201).decode(&second)
		after := anon.do("GET", path, nil).want(200)
		var now unitScore
		after.decode(&now)
		if now.Run.ID != second.ID || now.Result.Facts.KPI["docs_electronic"] != 0.2 {
			t.Fatalf("after the second run: run %d, kpi %v; want run %d, docs_electronic 0.2", now.Run.ID, now.Result.Facts.KPI, second.ID)
		}
		points := func(r *scoring.Result, key string) float64 {
			for _, l := range r.Criteria {
				if l.Key == key {
					return l.Points
				}
			}
			t.Fatalf("no criterion %s in %+v", key, r.Criteria)
			return 0
		}
		if points(now.Result, "docs_electronic") >= points(before.Result, "docs_electronic") || now.Result.Total >= before.Result.Total {
			t.Errorf("docs_electronic's points %v → %v, total %v → %v: want both lower after the lower report",
				points(before.Result, "docs_electronic"), points(now.Result, "docs_electronic"), before.Result.Total, now.Result.Total)
		}
		var sum float64
		for _, l := range append(now.Result.Criteria, now.Result.Adjustments...) {
			sum += l.Points
		}
		if math.Abs(sum-now.Result.Total) > 1e-3 {
			t.Errorf("the lines' points add up to %v, the total is %v", sum, now.Result.Total)
		}

		replica := (&client{ts: newTestServer(t, ts.db)}).do("GET", path, nil).want(200)
		if string(replica.Body) != string(after.Body) {
			t.Errorf("a replica's explanation:\n%s\nthe running server's:\n%s", replica.Body, after.Body)
		}
	})
}
