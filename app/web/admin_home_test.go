package web_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestAdminHome: the organisers' home shows, for each campaign the visitor
// manages, its figures (units, with a project, coverage) and its queues
// (reports to verify, assignments not scored, runs failed since the last
// success), and adds the queues up at the top; an organiser sees only the
// campaigns of its subtree.
func TestAdminHome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		if _, err := f.db.SaveRuleset(ctx, slug, testRuleset, "yaml"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.PutReport(ctx, slug, "P-A", store.ReportPeriod{Key: "2026-Q3", Start: date(t, "2026-07-01"), End: date(t, "2026-10-01")},
			map[string]float64{"cashless": 0.7}, nil); err != nil {
			t.Fatal(err)
		}
		addJudges(t, f, "judge.x")
		if _, err := f.db.Assign(ctx, f.other, "judge.x"); err != nil {
			t.Fatal(err)
		}
		admin := f.client(t)
		admin.signIn("admin")
		desk := `id="desk-` + slug + `"`
		admin.get("/admin").want(t, 200).has(t, desk, "Đang chờ xử lý:", "1 báo cáo chờ thẩm định", "1 lượt chấm chưa xong",
			"<strong>4</strong>đơn vị tham gia", "<strong>2</strong>đơn vị đã có công trình", "<strong>50%</strong>",
			`href="/admin/c/`+slug+`/reports?status=submitted">Báo cáo chờ thẩm định</a>: <strong>1</strong>`,
			`Lượt chấm điểm bị lỗi (từ lần thành công gần nhất)</a>: <span class="muted">không có</span>`).
			hasNot(t, "lượt chấm điểm bị lỗi</strong>")

		// Signed in, the admin starts at /me: the same desks.
		admin.get("/me").want(t, 200).has(t, desk, "1 báo cáo chờ thẩm định", "<strong>50%</strong>")

		// A failed run shows until a run succeeds.
		run := &store.Run{Period: "2026-Q4", PeriodStart: date(t, "2026-10-01"), PeriodEnd: date(t, "2027-01-01"), RulesetVersion: 1, Trigger: "manual"}
		if err := f.db.StartRun(ctx, slug, run); err != nil {
			t.Fatal(err)
		}
		if err := f.db.FailRun(ctx, run, errors.New("boom")); err != nil {
			t.Fatal(err)
		}
		admin.get("/admin").want(t, 200).has(t, "1 lượt chấm điểm bị lỗi", `: <strong class="late">1</strong>`)
		runs := "/admin/c/" + slug + "/runs"
		admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201)
		admin.get("/admin").want(t, 200).hasNot(t, "lượt chấm điểm bị lỗi")

		// Verified and scored, the queues empty.
		if _, err := f.db.VerifyReport(ctx, slug, "P-A", "2026-Q3", store.ReportVerified, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SaveScore(ctx, f.other, "judge.x", map[string]float64{"innovation": 5, "effect": 5}, ""); err != nil {
			t.Fatal(err)
		}
		admin.get("/admin").want(t, 200).has(t, "Không có việc nào đang chờ.")
		admin.get("/admin?lang=en").want(t, 200).has(t, "Nothing is waiting.", "participating units")

		f.addUser(t, store.NewUser{Username: "org.a", Role: policy.Organiser, Unit: "P-A"})
		org := f.client(t)
		org.signIn("org.a")
		org.get("/admin").want(t, 200).has(t, "Chưa có phong trào nào.").hasNot(t, desk)
		org.get("/me").want(t, 200).has(t, "Chưa có phong trào nào.").hasNot(t, desk)
	})
}
