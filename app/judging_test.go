package app

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// judgingRuleset has the rubric of RULES.md; min_judges 2, mean.
const judgingRuleset = `schema: 1
timezone: Asia/Ho_Chi_Minh
period: quarter
criteria:
  - key: staff_trained
    title: Cán bộ được tập huấn
    weight: 50
    value: "kpi.staff_trained / target.staff_trained"
  - key: project_quality
    title: Chất lượng công trình
    weight: 50
    value: "judging.best"
judging:
  min_judges: 2
  aggregate: mean
  criteria:
    - {key: innovation,    title: Tính sáng tạo,      max: 10, weight: 40}
    - {key: effectiveness, title: Hiệu quả thực tiễn, max: 10, weight: 40}
    - {key: replicability, title: Khả năng nhân rộng, max: 10, weight: 20}
`

// committeeFixture is the fixture with a judging rubric, a committee and
// one project for each unit:
//
//	HN (root)            project hn    judge jhn
//	├── P-DINHCONG       project dc    judge jdc
//	│   └── P-DINHCONG-PN project pn   judge jpn
//	└── P-HOANKIEM       project hk    judge jhk
//
// plus the fixture's judge without a unit.
type committeeFixture struct {
	*testServer
	admin          *client
	hn, dc, pn, hk int64
}

func newCommittee(t *testing.T, ts *testServer) *committeeFixture {
	t.Helper()
	f := &committeeFixture{testServer: ts, admin: ts.as("admin")}
	yaml := &client{ts: ts, token: f.admin.token, header: map[string]string{"Content-Type": "application/yaml"}}
	yaml.do("PUT", "/api/v1/campaigns/cds/ruleset", judgingRuleset).want(201)
	for user, unit := range map[string]string{"jhn": "HN", "jdc": "P-DINHCONG", "jpn": "P-DINHCONG-PN", "jhk": "P-HOANKIEM"} {
		ts.addUser(user, policy.Judge, unit)
	}
	for _, j := range []string{"jhn", "jdc", "jpn", "jhk", "judge"} {
		f.admin.do("POST", "/api/v1/campaigns/cds/judges", map[string]string{"username": j}).want(201)
	}
	f.hn, f.dc, f.pn, f.hk = f.project("HN"), f.project("P-DINHCONG"), f.project("P-DINHCONG-PN"), f.project("P-HOANKIEM")
	return f
}

func (f *committeeFixture) project(unit string) int64 {
	var p store.Project
	f.admin.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
		"unit": unit, "title": "Công trình số của " + unit, "category": "community"}).want(201).decode(&p)
	return p.ID
}

// conflicts is the rule of the fixture's committee: own unit, above and
// below, the root never conflicting by being above.
func (f *committeeFixture) conflicts() map[string][]int64 {
	return map[string][]int64{"jhn": {f.hn}, "jdc": {f.dc, f.pn}, "jpn": {f.pn, f.dc}, "jhk": {f.hk}, "judge": nil}
}

func scoreBody(inn, eff, rep float64, comment string) map[string]any {
	return map[string]any{"criteria": map[string]float64{"innovation": inn, "effectiveness": eff, "replicability": rep}, "comment": comment}
}

func TestJudgingConflictsManualAssignment(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newCommittee(t, ts)
		for judge, bad := range f.conflicts() {
			for _, p := range []int64{f.hn, f.dc, f.pn, f.hk} {
				path := fmt.Sprintf("/api/v1/projects/%d/assignments/%s", p, judge)
				if slices.Contains(bad, p) {
					f.admin.do("PUT", path, nil).want(409)
					continue
				}
				f.admin.do("PUT", path, nil).want(200)
				f.admin.do("PUT", path, nil).want(200) // idempotent
				f.admin.do("DELETE", path, nil).want(204)
				f.admin.do("DELETE", path, nil).want(404)
			}
		}
		// A recusal is honoured like a unit conflict.
		ts.as("judge").do("POST", fmt.Sprintf("/api/v1/projects/%d/recusal", f.hk), map[string]string{"reason": "Người nhà làm chủ nhiệm công trình"}).want(201)
		f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/judge", f.hk), nil).want(409)
		// Only committee members can be assigned.
		ts.addUser("outsider", policy.Judge, "")
		f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/outsider", f.hk), nil).want(409)
		f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/nobody", f.hk), nil).want(404)
		f.admin.do("POST", "/api/v1/campaigns/cds/judges", map[string]string{"username": "jdc"}).want(409)
		p := f.admin.do("POST", "/api/v1/campaigns/cds/judges", map[string]string{"username": "dinhcong"}).want(422).problem()
		if !slices.Equal(p.fields(), []string{"username"}) {
			t.Errorf("adding a unit officer: fields %v, want username", p.fields())
		}
	})
}

// assigned lists each judge's assigned projects, read from the database.
func assigned(t *testing.T, ts *testServer) map[string][]int64 {
	t.Helper()
	rows, err := ts.db.SQL().Query(`SELECT us.username, a.project_id FROM judge_assignments a
		JOIN users us ON us.id = a.user_id ORDER BY a.project_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var u string
		var p int64
		if err := rows.Scan(&u, &p); err != nil {
			t.Fatal(err)
		}
		out[u] = append(out[u], p)
	}
	return out
}

func TestJudgingConflictsAutoAssignment(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newCommittee(t, ts)
		judge := ts.as("judge")
		judge.do("POST", fmt.Sprintf("/api/v1/projects/%d/recusal", f.hn), map[string]string{"reason": "Từng tư vấn công trình"}).want(201)
		bad := f.conflicts()
		bad["judge"] = []int64{f.hn}

		// dc and pn have only three judges free of conflict (jhn, jhk and
		// judge); hn has three since judge recused: asking for four refuses
		// all and writes nothing.
		audits := auditCount(t, ts.db)
		p := f.admin.do("POST", "/api/v1/campaigns/cds/assignments", map[string]int{"per_project": 4}).want(409).problem()
		for _, id := range []int64{f.hn, f.dc, f.pn} {
			if !strings.Contains(p.Detail, fmt.Sprintf("#%d (3)", id)) {
				t.Errorf("409 detail %q does not name project %d", p.Detail, id)
			}
		}
		if n := len(assigned(t, ts)); n != 0 || auditCount(t, ts.db) != audits {
			t.Fatalf("a refused auto-assignment wrote %d assignments", n)
		}

		// partial: true assigns what it can and says what is short.
		var res store.AssignResult
		f.admin.do("POST", "/api/v1/campaigns/cds/assignments", map[string]any{"per_project": 4, "partial": true}).want(200).decode(&res)
		var short []int64
		for _, s := range res.Short {
			short = append(short, s.Project)
		}
		if want := []int64{f.hn, f.dc, f.pn}; !slices.Equal(short, want) || res.Added != 3+3+3+4 {
			t.Errorf("partial: short %v added %d, want short %v and 13 added", short, res.Added, want)
		}
		for j, ps := range assigned(t, ts) {
			for _, p := range ps {
				if slices.Contains(bad[j], p) {
					t.Errorf("auto-assignment gave %s project %d, a conflict of interest", j, p)
				}
			}
		}
	})
}

func TestJudgingConflictsScoringAndViewing(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newCommittee(t, ts)
		// Bypass the assignment checks, as a stale or hand-made row would:
		// the scoring and viewing paths must still refuse the conflict.
		for _, q := range []string{
			`INSERT INTO judge_assignments (project_id, user_id, assigned_at, assigned_by)
				SELECT %d, id, created_at, 'test' FROM users WHERE username IN ('jdc', 'jpn')`,
			`INSERT INTO judge_scores (project_id, user_id, criteria, comment, created_at, updated_at)
				SELECT %d, id, '{"innovation":1,"effectiveness":1,"replicability":1}', '', created_at, created_at FROM users WHERE username IN ('jdc', 'jpn')`,
		} {
			for _, p := range []int64{f.pn, f.dc} {
				if _, err := ts.db.SQL().Exec(fmt.Sprintf(q, p)); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, j := range []string{"jdc", "jpn"} {
			c := ts.as(j)
			for _, p := range []int64{f.dc, f.pn} {
				c.do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", p), scoreBody(9, 9, 9, "")).want(403)
				c.do("GET", fmt.Sprintf("/api/v1/projects/%d/scores", p), nil).want(403)
			}
		}
		// Conflicted scores never count.
		scores, err := ts.db.JudgeScores(t.Context(), "cds")
		if err != nil || len(scores) != 0 {
			t.Errorf("JudgeScores = %v, %v; want none: every score is conflicted", scores, err)
		}

		// A recusal after scoring withdraws the score and closes the project.
		judge := ts.as("judge")
		f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/judge", f.hk), nil).want(200)
		judge.do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(7, 7, 7, "Tốt")).want(200)
		var r store.Recusal
		judge.do("POST", fmt.Sprintf("/api/v1/projects/%d/recusal", f.hk), map[string]string{"reason": "Con tôi tham gia dự án"}).want(201).decode(&r)
		if r.Withdrawn == nil || r.Reason != "Con tôi tham gia dự án" {
			t.Errorf("recusal = %+v, want the withdrawn score and the reason", r)
		}
		judge.do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(7, 7, 7, "")).want(403)
		judge.do("GET", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), nil).want(403)
		judge.do("POST", fmt.Sprintf("/api/v1/projects/%d/recusal", f.hk), map[string]string{"reason": "lần nữa"}).want(409)
		var all list[store.Score]
		f.admin.do("GET", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), nil).want(200).decode(&all)
		if len(all.Items) != 0 {
			t.Errorf("scores after recusal = %+v, want none", all.Items)
		}
	})
}

func TestJudgingScoreRules(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newCommittee(t, ts)
		hk := fmt.Sprintf("/api/v1/projects/%d/scores", f.hk)
		jdc, judge, jhn := ts.as("jdc"), ts.as("judge"), ts.as("jhn")

		// Not assigned: 403, whatever the role allows.
		jdc.do("PUT", hk, scoreBody(8, 6, 10, "")).want(403)
		ts.as("hoankiem").do("PUT", hk, scoreBody(8, 6, 10, "")).want(403)
		ts.as("hoankiem").do("GET", hk, nil).want(403)
		ts.as("").do("GET", hk, nil).want(401)
		for _, j := range []string{"jdc", "judge", "jhn"} {
			f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/%s", f.hk, j), nil).want(200)
		}

		// The rubric: every criterion, each in 0..max, nothing else.
		for _, tc := range []struct {
			criteria map[string]any
			fields   []string
		}{
			{map[string]any{"innovation": 11, "effectiveness": 5, "replicability": 5}, []string{"criteria.innovation"}},
			{map[string]any{"innovation": 5, "effectiveness": -1, "replicability": 5}, []string{"criteria.effectiveness"}},
			{map[string]any{"innovation": 5, "effectiveness": 5}, []string{"criteria.replicability"}},
			{map[string]any{"innovation": 5, "effectiveness": 5, "replicability": 5, "beauty": 3}, []string{"criteria.beauty"}},
			{map[string]any{"innovation": 10.5, "replicability": 5, "beauty": 3}, []string{"criteria.innovation", "criteria.effectiveness", "criteria.beauty"}},
		} {
			p := jdc.do("PUT", hk, map[string]any{"criteria": tc.criteria}).want(422).problem()
			if !slices.Equal(p.fields(), tc.fields) {
				t.Errorf("criteria %v: fields %v, want %v", tc.criteria, p.fields(), tc.fields)
			}
		}

		// Others' scores stay hidden until a judge's own is in.
		jdc.do("PUT", hk, scoreBody(8, 6, 10, "Sáng tạo, hiệu quả")).want(200)
		judge.do("GET", hk, nil).want(403)
		judge.do("PUT", hk, scoreBody(5, 5, 5, "")).want(200)
		var seen list[store.Score]
		judge.do("GET", hk, nil).want(200).decode(&seen)
		if len(seen.Items) != 2 || seen.Items[0].Judge != "jdc" || seen.Items[1].Judge != "judge" {
			t.Errorf("scores seen by judge = %+v, want jdc's and theirs", seen.Items)
		}
		jhn.do("GET", hk, nil).want(403) // assigned, not yet scored

		// Revisions are audited with before and after.
		judge.do("PUT", hk, scoreBody(4, 5, 5, "Sửa lại")).want(200)
		judge.do("PUT", hk, scoreBody(4, 5, 5, "Sửa lại")).want(200) // no change, no entry
		var audit list[store.AuditEntry]
		f.admin.do("GET", fmt.Sprintf("/api/v1/audit?entity=judge_score&key=%d/judge", f.hk), nil).want(200).decode(&audit)
		if len(audit.Items) != 2 {
			t.Fatalf("audit of judge's score = %+v, want the score and one revision", audit.Items)
		}
		rev, first := audit.Items[0], audit.Items[1]
		if first.Actor != "judge" || first.Before != nil || !strings.Contains(string(first.After), `"innovation":5`) ||
			!strings.Contains(string(rev.Before), `"innovation":5`) || !strings.Contains(string(rev.After), `"innovation":4`) ||
			!strings.Contains(string(rev.After), "Sửa lại") {
			t.Errorf("audit entries = %s → %s, %s → %s", first.Before, first.After, rev.Before, rev.After)
		}

		// The lock makes scores final; unlocking reopens the round.
		f.admin.do("POST", "/api/v1/campaigns/cds/judging/lock", nil).want(200)
		f.admin.do("POST", "/api/v1/campaigns/cds/judging/lock", nil).want(409)
		judge.do("PUT", hk, scoreBody(9, 9, 9, "")).want(409)
		jhn.do("PUT", hk, scoreBody(9, 9, 9, "")).want(409)
		judge.do("POST", fmt.Sprintf("/api/v1/projects/%d/recusal", f.hk), map[string]string{"reason": "muộn"}).want(409)
		f.admin.do("POST", "/api/v1/campaigns/cds/assignments", map[string]int{"per_project": 1}).want(409)
		f.admin.do("DELETE", fmt.Sprintf("/api/v1/projects/%d/assignments/jhn", f.hk), nil).want(409)
		f.admin.do("POST", "/api/v1/campaigns/cds/judging/unlock", nil).want(200)
		f.admin.do("POST", "/api/v1/campaigns/cds/judging/unlock", nil).want(409)
		judge.do("PUT", hk, scoreBody(5, 5, 5, "")).want(200)

		// A judge who scored keeps the project.
		f.admin.do("DELETE", fmt.Sprintf("/api/v1/projects/%d/assignments/judge", f.hk), nil).want(409)
		f.admin.do("DELETE", fmt.Sprintf("/api/v1/projects/%d/assignments/jhn", f.hk), nil).want(204)
	})
}

func TestJudgingOverviewAggregate(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newCommittee(t, ts)
		for _, a := range []struct {
			project int64
			judge   string
		}{{f.hk, "jdc"}, {f.hk, "judge"}, {f.dc, "judge"}, {f.dc, "jhk"}} {
			f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/%s", a.project, a.judge), nil).want(200)
		}
		ts.as("jdc").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(8, 6, 10, "")).want(200)
		ts.as("judge").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(5, 5, 5, "")).want(200)
		ts.as("judge").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.dc), scoreBody(10, 10, 10, "")).want(200)

		var o platform.JudgingOverview
		f.admin.do("GET", "/api/v1/campaigns/cds/judging", nil).want(200).decode(&o)
		byID := map[int64]platform.ProjectJudging{}
		for _, p := range o.Projects {
			byID[p.ID] = p
		}
		// hk: jdc (40·0.8 + 40·0.6 + 20·1)/100 = 0.76, judge 0.5: mean 0.63,
		// spread 0.26, final with min_judges 2.
		hk := byID[f.hk]
		if hk.Scores != 2 || hk.Assigned != 2 || hk.Aggregate == nil || math.Abs(*hk.Aggregate-0.63) > 1e-9 ||
			math.Abs(*hk.Spread-0.26) > 1e-9 || !hk.Final {
			t.Errorf("hk = %+v (aggregate %v, spread %v), want 2 scores, 0.63, 0.26, final", hk, deref(hk.Aggregate), deref(hk.Spread))
		}
		// dc: one score of two judges: 1.0, not final.
		if dc := byID[f.dc]; dc.Scores != 1 || dc.Assigned != 2 || dc.Aggregate == nil || *dc.Aggregate != 1 || dc.Final {
			t.Errorf("dc = %+v, want 1 score, aggregate 1, not final", dc)
		}
		if hn := byID[f.hn]; hn.Aggregate != nil || hn.Scores != 0 {
			t.Errorf("hn = %+v, want unscored", hn)
		}
		progress := map[string]store.Progress{}
		for _, j := range o.Judges {
			progress[j.Username] = j.Progress
		}
		if progress["judge"] != (store.Progress{Done: 2, Total: 2}) || progress["jhk"] != (store.Progress{Done: 0, Total: 1}) ||
			progress["jdc"] != (store.Progress{Done: 1, Total: 1}) {
			t.Errorf("progress = %v", progress)
		}

		// The judge's own view: projects, scores, progress.
		var mine struct {
			Items    []store.Assignment
			Progress store.Progress
		}
		ts.as("jhk").do("GET", "/api/v1/me/assignments?campaign=cds", nil).want(200).decode(&mine)
		if len(mine.Items) != 1 || mine.Items[0].Project.ID != f.dc || mine.Items[0].Score != nil || mine.Progress != (store.Progress{Done: 0, Total: 1}) {
			t.Errorf("jhk's assignments = %+v", mine)
		}
		ts.as("judge").do("GET", "/api/v1/me/assignments", nil).want(200).decode(&mine)
		if len(mine.Items) != 2 || mine.Items[1].Score == nil || !strings.Contains(string(mine.Items[1].Score.Criteria), `"innovation":5`) ||
			mine.Progress != (store.Progress{Done: 2, Total: 2}) {
			t.Errorf("judge's assignments = %+v", mine)
		}
		f.admin.do("GET", "/api/v1/me/assignments", nil).want(403)

		// The queue's filters, as the judge's page has them: scored or
		// not, campaign, level of the project's unit.
		count := func(who, query string) int {
			var l struct{ Items []store.Assignment }
			ts.as(who).do("GET", "/api/v1/me/assignments?"+query, nil).want(200).decode(&l)
			return len(l.Items)
		}
		for _, tc := range []struct {
			who, query string
			want       int
		}{
			{"jhk", "scored=false", 1}, {"jhk", "scored=true", 0}, {"jdc", "scored=true", 1}, {"jdc", "scored=false", 0},
			{"judge", "scored=true&campaign=cds", 2}, {"judge", "scored=false", 0},
			{"judge", "level=commune", 2}, {"judge", "level=city", 0}, {"jhk", "level=commune&scored=false", 1},
		} {
			if got := count(tc.who, tc.query); got != tc.want {
				t.Errorf("%s's assignments?%s = %d, want %d", tc.who, tc.query, got, tc.want)
			}
		}
		ts.as("judge").do("GET", "/api/v1/me/assignments?campaign=nope", nil).want(404)
		if p := ts.as("judge").do("GET", "/api/v1/me/assignments?scored=yes", nil).want(422).problem(); !slices.Equal(p.fields(), []string{"scored"}) {
			t.Errorf("scored=yes: fields %v, want scored", p.fields())
		}
	})
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func TestAutoAssignBalancedAndIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		// A conflict-free committee: judges without a unit.
		f := &committeeFixture{testServer: ts, admin: ts.as("admin")}
		yaml := &client{ts: ts, token: f.admin.token, header: map[string]string{"Content-Type": "application/yaml"}}
		yaml.do("PUT", "/api/v1/campaigns/cds/ruleset", strings.Replace(judgingRuleset, "min_judges: 2", "min_judges: 3", 1)).want(201)
		for _, j := range []string{"judge", "j1", "j2", "j3", "j4"} {
			if j != "judge" {
				ts.addUser(j, policy.Judge, "")
			}
			f.admin.do("POST", "/api/v1/campaigns/cds/judges", map[string]string{"username": j}).want(201)
		}
		for _, unit := range []string{"HN", "P-DINHCONG", "P-DINHCONG-PN", "P-HOANKIEM", "P-HOANKIEM", "P-HOANKIEM", "P-HOANKIEM"} {
			f.project(unit)
		}
		var res store.AssignResult
		f.admin.do("POST", "/api/v1/campaigns/cds/assignments", nil).want(200).decode(&res) // per_project = min_judges
		if res.PerProject != 3 || res.Added != 7*3 || len(res.Short) != 0 {
			t.Fatalf("first run = %+v, want 21 added", res)
		}
		checkBalance(t, ts, res.Loads, 21)

		ts.as("j1").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", assigned(t, ts)["j1"][0]), scoreBody(6, 6, 6, "")).want(200)
		f.admin.do("POST", "/api/v1/campaigns/cds/assignments", map[string]int{"per_project": 3}).want(200).decode(&res)
		if res.Added != 0 {
			t.Errorf("second run added %d, want 0", res.Added)
		}
		if scores, _ := ts.db.JudgeScores(t.Context(), "cds"); len(scores) != 1 {
			t.Errorf("scores after second run = %v, want the one kept", scores)
		}
		for range 2 {
			f.project("HN")
		}
		f.admin.do("POST", "/api/v1/campaigns/cds/assignments", nil).want(200).decode(&res)
		if res.Added != 6 {
			t.Errorf("third run added %d, want 6 for the two new projects", res.Added)
		}
		checkBalance(t, ts, res.Loads, 27)
	})
}

// checkBalance checks that loads differ by at most one, sum to total and
// match the database.
func checkBalance(t *testing.T, ts *testServer, loads map[string]int, total int) {
	t.Helper()
	sum, lo, hi := 0, math.MaxInt, 0
	db := assigned(t, ts)
	perProject := map[int64]int{}
	for j, n := range loads {
		sum += n
		lo, hi = min(lo, n), max(hi, n)
		if len(db[j]) != n {
			t.Errorf("load of %s = %d, database has %d", j, n, len(db[j]))
		}
		for _, p := range db[j] {
			perProject[p]++
		}
	}
	if sum != total || hi-lo > 1 {
		t.Errorf("loads %v: sum %d, spread %d; want sum %d, spread ≤ 1", loads, sum, hi-lo, total)
	}
	for p, n := range perProject {
		if n != 3 {
			t.Errorf("project %d has %d judges, want 3", p, n)
		}
	}
}

func TestJudgeRemoval(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newCommittee(t, ts)
		for _, j := range []string{"jdc", "judge"} {
			f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/%s", f.hk, j), nil).want(200)
		}
		f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/judge", f.dc), nil).want(200)
		ts.as("jdc").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(8, 6, 10, "")).want(200)
		ts.as("judge").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(5, 5, 5, "")).want(200)

		ts.addUser("outsider", policy.Judge, "")
		f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/outsider", nil).want(404)
		f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/nobody", nil).want(404)
		f.admin.do("DELETE", "/api/v1/campaigns/nowhere/judges/judge", nil).want(404)
		p := f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/judge?withdraw_scores=yes", nil).want(422).problem()
		if !slices.Equal(p.fields(), []string{"withdraw_scores"}) {
			t.Errorf("withdraw_scores=yes: fields %v", p.fields())
		}
		// A judge who has scored stays unless their scores are withdrawn too,
		// and never once the round is locked.
		f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/judge", nil).want(409)
		f.admin.do("POST", "/api/v1/campaigns/cds/judging/lock", nil).want(200)
		f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/judge?withdraw_scores=true", nil).want(409)
		f.admin.do("POST", "/api/v1/campaigns/cds/judging/unlock", nil).want(200)
		if got := assigned(t, ts)["judge"]; len(got) != 2 {
			t.Fatalf("refused removals changed the judge's assignments: %v", got)
		}

		var removed store.JudgeRemoval
		f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/judge?withdraw_scores=true", nil).want(200).decode(&removed)
		if removed.Username != "judge" || removed.Assignments != 2 || len(removed.Withdrawn) != 1 ||
			removed.Withdrawn[0].ProjectID != f.hk || removed.Withdrawn[0].Judge != "judge" {
			t.Errorf("removal = %+v", removed)
		}
		if got := assigned(t, ts)["judge"]; len(got) != 0 {
			t.Errorf("judge still assigned to %v", got)
		}
		// Only jdc's score counts now: (40·0.8 + 40·0.6 + 20·1)/100 = 0.76.
		var o platform.JudgingOverview
		f.admin.do("GET", "/api/v1/campaigns/cds/judging", nil).want(200).decode(&o)
		for _, pj := range o.Projects {
			if pj.ID == f.hk && (pj.Scores != 1 || pj.Assigned != 1 || pj.Aggregate == nil || math.Abs(*pj.Aggregate-0.76) > 1e-9) {
				t.Errorf("hk after removal = %+v (aggregate %v)", pj, deref(pj.Aggregate))
			}
		}
		for _, j := range o.Judges {
			if j.Username == "judge" {
				t.Errorf("removed judge still on the committee: %+v", j)
			}
		}
		ts.as("judge").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(9, 9, 9, "")).want(403)
		f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/judge", nil).want(404)

		// A judge who never scored leaves with nothing withdrawn, and can be
		// added back.
		body := string(f.admin.do("DELETE", "/api/v1/campaigns/cds/judges/jhk", nil).want(200).Body)
		if !strings.Contains(body, `"scores_withdrawn":[]`) || !strings.Contains(body, `"assignments_removed":0`) {
			t.Errorf("removing jhk = %s", body)
		}
		f.admin.do("POST", "/api/v1/campaigns/cds/judges", map[string]string{"username": "jhk"}).want(201)
	})
}
