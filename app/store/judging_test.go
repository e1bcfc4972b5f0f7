package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"testing"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// committee makes a campaign over a four-level hierarchy, one project per
// unit and one judge per unit (plus one without a unit), all on the
// committee. It returns the projects by unit code.
//
//	HN (root) > P-A > P-A-PN > P-A-PN-T;  HN > P-B
func committee(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	units := []store.NewUnit{
		{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"},
		{Code: "P-A", Name: "Phường A", Level: "commune", Kind: "front", Parent: "HN"},
		{Code: "P-A-PN", Name: "Hội Phụ nữ phường A", Level: "commune", Kind: "womens_union", Parent: "P-A"},
		{Code: "P-A-PN-T", Name: "Tổ phụ nữ số 1", Level: "group", Kind: "womens_union", Parent: "P-A-PN"},
		{Code: "P-B", Name: "Phường B", Level: "commune", Kind: "front", Parent: "HN"},
	}
	if _, err := db.ImportUnits(ctx, units, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "cds", Name: "Công dân số",
		StartsOn: mustDate(t, "2025-04-01"), EndsOn: mustDate(t, "2026-12-31"), AllUnits: true}); err != nil {
		t.Fatal(err)
	}
	projects := map[string]int64{}
	for _, u := range units {
		p, err := db.CreateProject(ctx, "cds", store.NewProject{Unit: u.Code, Title: "Công trình " + u.Code, Category: "community"})
		if err != nil {
			t.Fatal(err)
		}
		projects[u.Code] = p.ID
		if _, err := db.CreateUser(ctx, store.NewUser{Username: "j-" + u.Code, PasswordHash: "x", Role: policy.Judge, Unit: u.Code}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CreateUser(ctx, store.NewUser{Username: "j-none", PasswordHash: "x", Role: policy.Judge}); err != nil {
		t.Fatal(err)
	}
	for _, u := range append(units, store.NewUnit{Code: "none"}) {
		if _, err := db.AddJudge(ctx, "cds", "j-"+u.Code); err != nil {
			t.Fatal(err)
		}
	}
	return projects
}

func mustDate(t *testing.T, s string) store.Date {
	t.Helper()
	d, err := store.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRescore: a judge's changed score is stored, answered and audited once
// with the score before and after it; the same score again writes nothing.
func TestRescore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		projects := committee(t, db)
		p := projects["P-B"]
		if _, err := db.Assign(ctx, p, "j-P-A"); err != nil {
			t.Fatal(err)
		}
		first, err := db.SaveScore(ctx, p, "j-P-A", map[string]float64{"innovation": 7}, "Khá")
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second time unchanged
			got, err := db.SaveScore(ctx, p, "j-P-A", map[string]float64{"innovation": 9}, "Tốt")
			if err != nil || string(got.Criteria) != `{"innovation":9}` || got.Comment != "Tốt" || !got.CreatedAt.Equal(first.CreatedAt) {
				t.Fatalf("SaveScore(changed) = %+v, %v", got, err)
			}
		}
		stored, err := db.ProjectScores(ctx, p, "", true)
		if err != nil || len(stored) != 1 || string(stored[0].Criteria) != `{"innovation":9}` || stored[0].Comment != "Tốt" {
			t.Fatalf("ProjectScores = %+v, %v", stored, err)
		}
		log, _, err := db.AuditLog(ctx, store.AuditFilter{Entity: "judge_score"})
		if err != nil || len(log) != 2 {
			t.Fatalf("audit of the score = %+v, %v; want scored and rescored", log, err)
		}
		before, after := document(t, log[0].Before), document(t, log[0].After)
		if e := log[0]; e.Action != "rescore" || before["comment"] != "Khá" || after["comment"] != "Tốt" ||
			!reflect.DeepEqual(after["criteria"], map[string]any{"innovation": 9.0}) {
			t.Errorf("audit of the change = %s: %s → %s", e.Action, e.Before, e.After)
		}
	})
}

// TestConflictsOfInterest checks every judge against every project: own
// unit, above (the root excepted), below, at any depth, and recusals.
func TestConflictsOfInterest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		projects := committee(t, db)
		if _, err := db.Recuse(ctx, projects["P-B"], "j-none", "Vợ tôi là chủ nhiệm công trình"); err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{ // judge's unit → units whose projects conflict
			"HN":       {"HN"},
			"P-A":      {"P-A", "P-A-PN", "P-A-PN-T"},
			"P-A-PN":   {"P-A", "P-A-PN", "P-A-PN-T"},
			"P-A-PN-T": {"P-A", "P-A-PN", "P-A-PN-T"},
			"P-B":      {"P-B"},
			"none":     {"P-B"},
		}
		for judgeUnit, bad := range want {
			for unit, p := range projects {
				conflicted := false
				for _, b := range bad {
					conflicted = conflicted || b == unit
				}
				_, err := db.Assign(ctx, p, "j-"+judgeUnit)
				if got := errors.Is(err, store.ErrConflict); got != conflicted || (!conflicted && err != nil) {
					t.Errorf("Assign(project of %s, judge of %s) = %v, want conflict %v", unit, judgeUnit, err, conflicted)
				}
			}
		}
		// Auto-assignment never breaks the rule either: every project gets
		// every judge it can.
		if err := db.UnlockJudging(ctx, "cds"); !errors.Is(err, store.ErrConflict) {
			t.Errorf("UnlockJudging of an open round = %v, want ErrConflict", err)
		}
		res, err := db.AutoAssign(ctx, "cds", store.AutoAssign{PerProject: 6, Partial: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != 0 || len(res.Short) != len(projects) {
			t.Errorf("AutoAssign after manual assignment of every free judge = %+v, want nothing to add, all short", res)
		}
	})
}

func TestJudgeScoresReadsWhatCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		projects := committee(t, db)
		if _, err := db.AutoAssign(ctx, "cds", store.AutoAssign{PerProject: 2}); err != nil {
			t.Fatal(err)
		}
		mine, _, prog, err := db.MyAssignments(ctx, "j-none", store.AssignmentFilter{Campaign: "cds"})
		if err != nil || len(mine) == 0 || prog.Total != len(mine) || prog.Done != 0 {
			t.Fatalf("MyAssignments(j-none) = %v, %+v, %v", mine, prog, err)
		}
		var rejected int64
		for _, a := range mine {
			if _, err := db.SaveScore(ctx, a.Project.ID, "j-none", map[string]float64{"innovation": 7, "effectiveness": 5.5}, "Khá"); err != nil {
				t.Fatal(err)
			}
			rejected = a.Project.ID
		}
		reason := "Trùng lặp"
		status := store.StatusRejected
		if _, err := db.UpdateProject(ctx, rejected, store.ProjectChanges{Status: &status, RejectReason: &reason}); err != nil {
			t.Fatal(err)
		}
		scores, err := db.JudgeScores(ctx, "cds")
		if err != nil {
			t.Fatal(err)
		}
		if len(scores) != len(mine)-1 {
			t.Fatalf("JudgeScores = %d scores, want %d: the rejected project's do not count", len(scores), len(mine)-1)
		}
		units := map[int64]int64{} // project → its unit's id
		for code, p := range projects {
			u, err := db.UnitByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			units[p] = u.ID
		}
		for _, s := range scores {
			if s.Project == rejected || s.Unit != units[s.Project] || s.Criteria["innovation"] != 7 || s.Criteria["effectiveness"] != 5.5 || len(s.Criteria) != 2 {
				t.Errorf("score %+v", s)
			}
		}
		if _, err := db.JudgeScores(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("JudgeScores(unknown) = %v, want ErrNotFound", err)
		}
	})
}

// BenchmarkJudgeScores reads a campaign's scores on PostgreSQL:
// THIDUA_BENCH_SCORES of them (100,000 by default).
func BenchmarkJudgeScores(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("THIDUA_BENCH_SCORES")); err == nil {
		n = v
	}
	db := dbtest.Postgres(b)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO units (code, name, search, level, kind, created_at, updated_at)
			SELECT 'U' || i, 'Unit ' || i, '', 'commune', 'front', now(), now() FROM generate_series(1, 1000) i`,
		`INSERT INTO campaigns (slug, name, starts_on, ends_on, all_units, created_at, updated_at)
			VALUES ('big', 'Big', '2025-01-01', '2026-12-31', true, now(), now())`,
		`INSERT INTO users (username, password_hash, role, created_at)
			SELECT 'judge' || i, '', 'judge', now() FROM generate_series(1, 50) i`,
		`INSERT INTO judges (campaign_id, user_id, added_at) SELECT c.id, u.id, now() FROM campaigns c, users u`,
		fmt.Sprintf(`INSERT INTO projects (campaign_id, unit_id, title, summary, category, search, status, created_at, updated_at)
			SELECT c.id, (SELECT min(id) FROM units) + i %% 1000, 'P' || i, '', 'other', '', 'completed', now(), now()
			FROM campaigns c, generate_series(1, %d) i`, n/3+1),
		fmt.Sprintf(`INSERT INTO judge_scores (project_id, user_id, criteria, comment, created_at, updated_at)
			SELECT p.id, u.id, jsonb_build_object('innovation', (p.id + u.id) %% 11, 'effectiveness', 7.5, 'replicability', u.id %% 10),
				'', now(), now()
			FROM projects p CROSS JOIN LATERAL (SELECT id FROM users ORDER BY id OFFSET p.id %% 47 LIMIT 3) u
			LIMIT %d`, n),
		`ANALYZE`,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		scores, err := db.JudgeScores(ctx, "big")
		if err != nil || len(scores) != n {
			b.Fatalf("JudgeScores = %d scores, %v; want %d", len(scores), err, n)
		}
	}
}
