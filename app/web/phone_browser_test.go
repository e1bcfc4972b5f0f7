package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// readerJourney reads the city's campaign as a citizen would, on a phone
// (390 px) and on a desktop: the board with its periods named in words,
// medals, the level and kind filters and the change column; a unit's breakdown in
// sentences with its points; the honour roll. Nothing may be cut: no table
// wider than its frame, the search box wide enough to type in.
func readerJourney(t *testing.T, b *browser, base string) {
	defer b.do(t, b.resize(viewport{}))
	for _, vp := range []viewport{phone, desktop} {
		at := fmt.Sprintf(" at %d px", vp.width)
		b.do(t, b.resize(vp), chromedp.Navigate(base+"/c/cong-dan-so"), chromedp.WaitVisible(chromedp.ID("board")))
		b.contains(t, "#period", "Quý IV/2026", "Quý III/2026")
		b.contains(t, "#run", "Kết quả kỳ quý ")
		b.contains(t, "nav.chips a[aria-current]", "Toàn phong trào")
		b.contains(t, "nav.chips", "Xã, phường")
		b.contains(t, "#board tbody tr:first-child td:first-child", "1")
		b.visible(t, "#board tbody tr:nth-child(3) .medal.bronze", at)
		b.fits(t, "the leaderboard"+at)
		if w := b.number(t, `document.querySelector('#q').getBoundingClientRect().width`); w < 200 {
			b.screenshot(t)
			t.Fatalf("the search box is %vpx wide%s, want room to type", w, at)
		}
		b.contains(t, "#export a", "CSV")
		// Wards without the mass organisations that share their level.
		b.visible(t, `#kinds a[href*="kind=front"]`, at)
		b.do(t, chromedp.Click(`#kinds a[href*="kind=front"]`), chromedp.WaitVisible(`#kinds a[aria-current][href*="kind=front"]`))
		b.contains(t, "#board caption", "Ủy ban MTTQ")
		if n := b.number(t, `[...document.querySelectorAll('#board tbody th')].filter(th => /^(Hội|Đoàn|Công đoàn)/.test(th.textContent.trim())).length`); n != 0 {
			b.screenshot(t)
			t.Fatalf("%v mass organisations on the wards' board%s", n, at)
		}
		b.fits(t, "the wards' board"+at)

		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/u/P-DINHCONG"), chromedp.WaitVisible(chromedp.ID("breakdown")))
		b.contains(t, "#breakdown", "Được trọn 20,0 điểm khi công trình đã đăng ký từ 1 trở lên.", "Cách có thêm điểm:", "/10")
		if n := b.number(t, `[...document.querySelectorAll('#breakdown code')].filter(c => c.checkVisibility()).length`); n != 0 {
			b.screenshot(t)
			t.Fatalf("%v formulas show in the breakdown%s, want them folded away", n, at)
		}
		b.fits(t, "the unit's breakdown"+at, "#breakdown")
		b.visible(t, "#breakdown tbody tr:first-child td:last-child small", at) // "/20" beside the points

		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/honours"), chromedp.WaitVisible(chromedp.CSS(`main table a[href$=".pdf"]`)))
		b.fits(t, "the honour roll"+at)
	}
}

// number evaluates a JavaScript expression of the page to a number.
func (b *browser) number(t *testing.T, js string) float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
	if err != nil {
		b.screenshot(t)
		t.Fatalf("%s: %v", js, err)
	}
	return n
}

// fits fails when a table (of sel, or any on the page) is wider than its
// frame or the page wider than the screen: something would be cut.
func (b *browser) fits(t *testing.T, what string, sel ...string) {
	t.Helper()
	tables := "main table"
	if len(sel) > 0 {
		tables = sel[0]
	}
	over := b.number(t, fmt.Sprintf(`Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth,
		...[...document.querySelectorAll(%q)].map(t => { const w = t.closest('.overflow-auto, .table-wrap') || t.parentElement;
			return w.scrollWidth - w.clientWidth }))`, tables))
	if over > 1 {
		b.screenshot(t)
		t.Fatalf("%s is %vpx wider than its frame: part of it is cut", what, over)
	}
}

// visible fails unless the element sel is shown inside the screen's width.
func (b *browser) visible(t *testing.T, sel, at string) {
	t.Helper()
	in := b.number(t, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e || !e.getClientRects().length) return 0;
		const r = e.getBoundingClientRect(); return r.width > 0 && r.right <= document.documentElement.clientWidth ? 1 : 0 })()`, sel))
	if in != 1 {
		b.screenshot(t)
		t.Fatalf("%s is missing or cut%s", sel, at)
	}
}
