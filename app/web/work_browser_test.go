package web_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/thidua/thidua/app/store"
)

// TestBrowserWork drives headless Chromium, on a phone's 390 px and on a
// desktop, through an officer's to-do page and a judge's queue and score
// sheet on a small campaign: nothing overflows the width, and the running
// total follows what the judge types.
func TestBrowserWork(t *testing.T) {
	needChromium(t)
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.db.SaveRuleset(ctx, slug, rubricRuleset, "yaml"); err != nil {
		t.Fatal(err)
	}
	// A judge for each screen size, each with the same two projects.
	addJudges(t, f, "judge.phone", "judge.desktop")
	for _, j := range []string{"judge.phone", "judge.desktop"} {
		for _, p := range []int64{f.verified, f.other} {
			if _, err := f.db.Assign(ctx, p, j); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := f.db.PutReport(ctx, slug, "P-A", store.ReportPeriod{Key: "2025-Q2", Start: date(t, "2025-04-01"), End: date(t, "2025-07-01")},
		map[string]float64{"cashless": 0.5}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.VerifyReport(ctx, slug, "P-A", "2025-Q2", store.ReportReturned, "Tỷ lệ không khớp với sổ sách của phường"); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.srv.App().Listener(l)
	t.Cleanup(func() { f.srv.App().ShutdownWithTimeout(5 * time.Second) })
	base := "http://" + l.Addr().String()

	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		t.Run(size.name, func(t *testing.T) {
			b := newBrowser(t) // its own cookies
			b.do(t, chromedp.EmulateViewport(size.w, size.h))
			b.signIn(t, base, "officer.a", "officer.a-password")
			b.do(t, chromedp.Navigate(base+"/me"), chromedp.WaitVisible(chromedp.CSS(`article.todo-unit`)))
			b.contains(t, "article.todo-unit", "Phường Ánh Dương", "Chợ số phường Ánh Dương", "Đã công nhận",
				"Báo cáo Quý II/2025 bị trả lại", "Tỷ lệ không khớp với sổ sách của phường", "Sửa và gửi lại",
				"quá hạn", "Ký giao ước")
			b.fits(t, "the page")
			b.do(t, chromedp.Click(chromedp.CSS(`li.returned a`)), chromedp.WaitVisible(chromedp.CSS(`select[name="period"], #status`)))
			if !strings.Contains(b.location(t), "period=2025-Q2") {
				t.Errorf("the returned report's link opened %s", b.location(t))
			}
			b.signOut(t)

			judge := "judge." + size.name
			b.signIn(t, base, judge, judge+"-password")
			b.do(t, chromedp.Navigate(base+"/judge"), chromedp.WaitVisible(chromedp.ID("assignments")))
			b.contains(t, "main", "Chưa chấm (2)", "Chợ số phường Ánh Dương", "Bình dân học vụ số")
			b.fits(t, "the page")
			b.do(t, chromedp.Click(chromedp.CSS(`#assignments tbody tr:first-child a`)),
				chromedp.WaitVisible(chromedp.CSS(`input[name="c.innovation"]`)))
			b.contains(t, "main", "Cách làm mới đến đâu", "Áp dụng lại cách làm quen thuộc", "0/100")
			b.fits(t, "the page")
			// The total follows the typing: 3×0.8 + 1×0.6 of 4 is 75/100.
			b.do(t, chromedp.SendKeys(chromedp.CSS(`input[name="c.innovation"]`), "8"),
				chromedp.SendKeys(chromedp.CSS(`input[name="c.effect"]`), "6"))
			b.contains(t, "#total", "75/100", "tổng 14/20 điểm")
			b.do(t, chromedp.Click(chromedp.ID("save-next")), chromedp.WaitVisible(chromedp.ID("previous")))
			b.contains(t, "#previous", "Chợ số phường Ánh Dương")
			b.contains(t, "main h1", "Bình dân học vụ số")
			b.signOut(t)

			// The organisers' home and the ruleset editor, in its own font.
			b.signIn(t, base, "admin", "admin-password")
			b.do(t, chromedp.Navigate(base+"/admin"), chromedp.WaitVisible(chromedp.CSS(`article.desk`)))
			b.contains(t, "article.desk", "đơn vị tham gia", "Báo cáo chờ thẩm định", "Lượt chấm của giám khảo chưa xong")
			b.fits(t, "the page")
			b.do(t, chromedp.Navigate(base+"/admin/c/"+slug+"/ruleset"), chromedp.WaitVisible(chromedp.ID("f-source")))
			b.fits(t, "the page")
			loaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.fonts.load('16px "DejaVu Sans Mono Thi Dua"', 'Tính sáng tạo')
				.then(fs => fs.length > 0 && getComputedStyle(document.getElementById('f-source')).fontFamily.includes('DejaVu Sans Mono Thi Dua'))`,
				chromedp.EvalAwaitPromise))
			if err != nil || !loaded {
				b.screenshot(t)
				t.Errorf("the editor's font did not load (%v, %v)", loaded, err)
			}
			b.signOut(t)
		})
	}
}

// location is the address of the page shown.
func (b *browser) location(t *testing.T) string {
	t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}
