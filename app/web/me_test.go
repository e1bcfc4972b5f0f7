package web_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestTodo: an officer's "Việc của tôi" lists, for its unit in each
// campaign, the projects with their status, the score and rank, the
// reports due with their deadlines, a returned report with its reason and
// the way to correct it, and what is missing; once the covenant is signed
// it is no longer offered.
func TestTodo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		f.db.Now = func() time.Time { return time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC) }
		f.addUser(t, store.NewUser{Username: "officer.c", Role: policy.Officer, Unit: "P-C"})
		if _, err := f.db.SaveRuleset(ctx, slug, testRuleset, "yaml"); err != nil {
			t.Fatal(err)
		}
		// Reports every quarter (the scoring period): 2026-Q3 sent and
		// returned, 2026-Q2 sent and verified, older quarters missing.
		for _, q := range []struct{ key, start, end string }{{"2026-Q2", "2026-04-01", "2026-07-01"}, {"2026-Q3", "2026-07-01", "2026-10-01"}} {
			if _, err := f.db.PutReport(ctx, slug, "P-A", store.ReportPeriod{Key: q.key, Start: date(t, q.start), End: date(t, q.end)},
				map[string]float64{"cashless": 0.7}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.db.VerifyReport(ctx, slug, "P-A", "2026-Q2", store.ReportVerified, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.VerifyReport(ctx, slug, "P-A", "2026-Q3", store.ReportReturned, "Thiếu minh chứng giao dịch"); err != nil {
			t.Fatal(err)
		}
		admin := f.client(t)
		admin.signIn("admin")
		runs := "/admin/c/" + slug + "/runs"
		admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201)

		a := f.client(t)
		a.signIn("officer.a")
		a.get("/me").want(t, 200).has(t,
			"Công dân số cùng Thủ đô vươn mình", "Phường Ánh Dương",
			"Chợ số phường Ánh Dương", "Đã công nhận", // its project and status
			"Hạng 1/", "kết quả Quý IV/2026", // its rank on the newest board
			"Báo cáo Quý III/2026 bị trả lại", "Thiếu minh chứng giao dịch", "/c/"+slug+"/u/P-A/report?period=2026-Q3",
			"Báo cáo Quý I/2026", "quá hạn từ sau ngày 10/04/2026", "Báo cáo Quý II/2025", // 2025-Q2 to 2026-Q1 missing
			"Kỳ đang diễn ra: Quý IV/2026", "hạn hết ngày 10/01/2027",
			"Đơn vị chưa ký giao ước thi đua.", "Ký giao ước").
			hasNot(t, "Báo cáo Quý II/2026</a>", "Phường Bình Minh", "Bình dân học vụ số", "Đơn vị chưa có công trình")

		cov := "/c/" + slug + "/u/P-A/covenant"
		a.post(cov, cov, url.Values{"v.cashless": {"90"}, "v.projects": {"3"}}).want(t, 303)
		a.get("/me").want(t, 200).has(t, "Đã ký giao ước", "Xem giao ước").hasNot(t, "Ký giao ước", "chưa ký giao ước")

		c := f.client(t)
		c.signIn("officer.c")
		c.get("/me").want(t, 200).has(t, "Phường Cầu Giấy Mới", "Đơn vị chưa có công trình nào.",
			`href="/c/`+slug+`/projects/new?unit=P-C"`, "Đăng ký công trình").hasNot(t, "Chợ số phường Ánh Dương")
		c.get("/me?lang=en").want(t, 200).has(t, "The unit has no project yet.", "Report Q1 2026")

		// Seven quarters ended without a report: the newest six listed, the oldest counted.
		f.db.Now = func() time.Time { return time.Date(2027, 3, 2, 3, 0, 0, 0, time.UTC) }
		c = f.client(t) // the session of December has expired
		c.signIn("officer.c")
		c.get("/me").want(t, 200).has(t, "Báo cáo Quý IV/2026", "quá hạn từ sau ngày 10/01/2027", "Báo cáo Quý III/2025",
			"và 1 kỳ cũ hơn chưa báo cáo", "Kỳ đang diễn ra: Quý I/2027").hasNot(t, "Báo cáo Quý II/2025")
	})
}
