package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/thidua/thidua/app"
	"github.com/thidua/thidua/app/files/filestest"
)

// chromium is Debian's browser, which .ci/browser installs.
const chromium = "/usr/bin/chromium"

// needChromium skips a browser test in -short mode or without Chromium,
// except in CI, where a missing Chromium fails it.
func needChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s is missing: run .ci/browser", chromium)
		}
		t.Skipf("browser tests skipped: %s is missing (apt-get install chromium, or run .ci/browser)", chromium)
	}
}

// TestBrowser boots the real program on the demo dataset and drives
// headless Chromium through it as a citizen and as a unit officer would.
// Without Chromium it skips, except in CI, where it fails.
func TestBrowser(t *testing.T) {
	needChromium(t)
	base := bootDemo(t)
	b := newBrowser(t)

	t.Run("every page passes axe-core at a phone's and a desktop's width", func(t *testing.T) { accessibilityJourney(t, b, base) })
	t.Run("a citizen reads the board and a unit on a phone and a desktop", func(t *testing.T) { readerJourney(t, b, base) })

	t.Run("home lists the campaign", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/"))
		b.contains(t, "main", "Công dân số cùng Thủ đô vươn mình", "đơn vị tham gia")
	})

	t.Run("language switch shows English", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/"),
			chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] main`)))
		b.contains(t, "main", "Emulation campaigns", "participating units")
		b.do(t, chromedp.Click(chromedp.CSS(`a[hreflang="vi"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="vi"] main`)))
	})

	t.Run("officer registers a project", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/login"),
			chromedp.SendKeys(chromedp.ID("f-username"), "dinhcong"),
			chromedp.SendKeys(chromedp.ID("f-password"), "demo-unit"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href^="/c/cong-dan-so/projects/new"]`)),
			chromedp.Click(chromedp.CSS(`a[href^="/c/cong-dan-so/projects/new"]`)),
			chromedp.WaitVisible(chromedp.ID("f-title")))

		// A bad form shows its errors in place, keeping what was typed.
		b.do(t, chromedp.SetValue(chromedp.ID("f-starts_on"), "2026-03-01"),
			chromedp.SetValue(chromedp.ID("f-ends_on"), "2026-01-01"),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.ID("errors")),
			chromedp.WaitVisible(chromedp.ID("e-title")),
			chromedp.WaitVisible(chromedp.ID("e-category")))
		b.contains(t, "#e-ends_on", "Ngày kết thúc phải sau ngày bắt đầu")

		title := fmt.Sprintf("Tổ công nghệ số cộng đồng lưu động %d", time.Now().UnixNano()%1000)
		b.do(t, chromedp.SendKeys(chromedp.ID("f-title"), title),
			chromedp.SetValue(chromedp.ID("f-category"), "community"),
			chromedp.SetValue(chromedp.ID("f-ends_on"), "2026-06-30"),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href$="/edit"]`)))
		b.contains(t, "main", title, "Phường Định Công", "Đã đăng ký")
		b.contains(t, "#done", "Đã đăng ký công trình.")

		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/u/P-DINHCONG"))
		b.contains(t, "#projects + ul", title)
		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/projects?status=registered&q="+strings.ReplaceAll("to cong nghe so cong dong luu dong", " ", "+")))
		b.contains(t, "#results", title)
		b.do(t, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	})

	t.Run("officer attaches a photo from a phone", func(t *testing.T) {
		photo := filepath.Join(t.TempDir(), "lớp học Chủ nhật.jpg")
		if err := os.WriteFile(photo, filestest.PhotoWithGPS(t, 1600, 1200), 0o600); err != nil {
			t.Fatal(err)
		}
		b.signIn(t, base, "dinhcong", "demo-unit")
		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/u/P-DINHCONG"),
			chromedp.Click(chromedp.CSS(`#projects + ul li:first-child a`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href$="/progress"]`)),
			chromedp.Click(chromedp.CSS(`a[href$="/progress"]`)),
			chromedp.WaitVisible(chromedp.ID("f-note")))
		// Both pickers fit the phone's width.
		over, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`Math.max(...[...document.querySelectorAll('label.picker')]
			.map(l => l.getBoundingClientRect().right)) - document.documentElement.clientWidth`))
		if err != nil || over > 0 {
			b.screenshot(t)
			b.signOut(t)
			t.Fatalf("the pickers overflow the phone's width by %vpx (%v)", over, err)
		}
		b.do(t, chromedp.SendKeys(chromedp.ID("f-note"), "Lớp kỹ năng số Chủ nhật: 35 người dân"),
			chromedp.SetUploadFiles(chromedp.ID("f-evidence_upload"), []string{photo}),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#progress ~ article ul.thumbs img, #progress + article ul.thumbs img`)))
		loaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`new Promise(ok => {
			const img = document.querySelector('article ul.thumbs img');
			const done = () => ok(img.naturalWidth);
			img.complete ? done() : (img.onload = done, img.onerror = done);
		})`, chromedp.EvalAwaitPromise))
		if err != nil || loaded != 360 { // 1600×1200 fitted in 480×480
			b.screenshot(t)
			t.Fatalf("the thumbnail is %vpx wide (%v), want 360", loaded, err)
		}
		b.contains(t, "main", "Lớp kỹ năng số Chủ nhật: 35 người dân")
		b.signOut(t)
	})

	t.Run("leaderboard shows ranks and switches scope", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so"),
			chromedp.WaitVisible(chromedp.ID("board")))
		b.contains(t, "#board caption", "749 đơn vị")
		b.contains(t, "#board tbody tr:first-child td:first-child", "1")
		b.contains(t, "#run", "bộ quy tắc phiên bản 1")
		b.do(t, chromedp.SetValue(chromedp.ID("scope"), "cluster:cum-2"),
			chromedp.Click(chromedp.CSS(`form.pickers button`)),
			chromedp.WaitReady(chromedp.CSS(`#scope option[value="cluster:cum-2"][selected]`)))
		b.contains(t, "#board caption", "12 đơn vị")
		b.contains(t, "#board tbody", "Phường Định Công")
		b.do(t, chromedp.Click(chromedp.CSS(`#board a[href^="/c/cong-dan-so/u/P-DINHCONG?"]`)),
			chromedp.WaitVisible(chromedp.ID("breakdown")))
		b.contains(t, "#breakdown", "Công trình đã đăng ký", "Điểm hội đồng cao nhất")
	})

	t.Run("judge scores a project through the form", func(t *testing.T) {
		b.signIn(t, base, "judge1", "demo-judge")
		b.do(t, chromedp.Navigate(base+"/judge"),
			chromedp.Click(chromedp.CSS(`#assignments tbody tr:first-child a`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="c.innovation"]`)),
			chromedp.SetValue(chromedp.CSS(`input[name="c.innovation"]`), "11"),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.ID("errors")))
		b.contains(t, "#errors", "phải từ 0 đến 10")
		b.do(t, chromedp.SetValue(chromedp.CSS(`input[name="c.innovation"]`), "9"),
			chromedp.SetValue(chromedp.CSS(`input[name="c.effectiveness"]`), "8"),
			chromedp.SetValue(chromedp.CSS(`input[name="c.replicability"]`), "7"),
			chromedp.SetValue(chromedp.ID("f-comment"), "Chấm qua trình duyệt"),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.ID("saved")))
		b.contains(t, "#others + div table", "judge1", "Chấm qua trình duyệt")
		b.signOut(t)
	})

	t.Run("admin's bad ruleset shows its errors in place", func(t *testing.T) {
		b.signIn(t, base, "admin", "demo-admin")
		b.do(t, chromedp.Navigate(base+"/admin/c/cong-dan-so/ruleset"),
			chromedp.WaitVisible(chromedp.ID("f-source")),
			chromedp.SetValue(chromedp.ID("f-source"), "schema: 1\nperiod: quarter\ncriteria:\n  - key: x\n    title: X\n    weight: 10\n    value: \"kpi.cashless +\"\n"),
			chromedp.Click(chromedp.CSS(`button[value="save"]`)),
			chromedp.WaitVisible(chromedp.ID("problems")))
		b.contains(t, "#problems", "criteria[0].value", "dòng 1, cột", "ký hiệu không mong đợi")
		if kept, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("f-source"))); err != nil || !strings.Contains(kept, "kpi.cashless +") {
			b.screenshot(t)
			t.Fatalf("the editor kept %q (%v), want what was typed", kept, err)
		}
		b.signOut(t)
	})

	t.Run("admin's dry run previews the leaderboard", func(t *testing.T) {
		b.signIn(t, base, "admin", "demo-admin")
		b.do(t, chromedp.Navigate(base+"/admin/c/cong-dan-so/ruleset"),
			chromedp.WaitVisible(chromedp.ID("f-source")),
			chromedp.Click(chromedp.CSS(`button[value="dry_run"]`)),
			chromedp.WaitVisible(chromedp.ID("dry-run")))
		b.contains(t, "#preview", "Kết quả chạy thử")
		b.contains(t, "#dry-run caption", "749")
		b.contains(t, "#dry-run tbody tr:first-child td:first-child", "1")
		b.signOut(t)
	})

	t.Run("gallery shows honoured projects first", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/projects"),
			chromedp.WaitVisible(chromedp.CSS(`#results article`)))
		b.contains(t, "#results article:first-child .honoured", "Được khen thưởng:")
		b.contains(t, "#results", "Mô hình tiêu biểu", "Cách làm sáng tạo", "Điển hình chuyển đổi số cơ sở")
	})

	t.Run("a ward's organiser runs its own campaign", func(t *testing.T) { wardJourney(t, b, base) })

	t.Run("a returned report goes back, is corrected, verified and returned", func(t *testing.T) {
		queue := base + "/admin/c/dinh-cong-so/reports"
		// The demo's ward has a report returned with a reason: its officer corrects it.
		b.signIn(t, base, "org.dinhcong", "demo-organiser")
		b.do(t, chromedp.Navigate(queue+"?status=returned"),
			chromedp.WaitVisible(chromedp.CSS(`main article`)))
		b.contains(t, "main article", "Thiếu ảnh, biên bản minh chứng")
		link, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(`main article h2 a`), "href"))
		if err != nil {
			b.screenshot(t)
			t.Fatal(err)
		}
		id, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(`main article`), "id"))
		if err != nil {
			t.Fatal(err)
		}
		period := regexp.MustCompile(`\d{4}-(\d{2}|[QHW]\d{1,2})$`).FindString(id.Value) // r-UNIT-2026-11
		b.signOut(t)
		b.signIn(t, base, "mttq.dinhcong", "demo-unit")
		b.do(t, chromedp.Navigate(base+link.Value+"/report?period="+period),
			chromedp.WaitVisible(chromedp.ID("status")))
		b.contains(t, "#status", "Bị trả lại", "Hãy sửa số liệu rồi gửi lại")
		b.do(t, chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.ID("saved")))
		b.contains(t, "#status", "Đã gửi, chờ thẩm định")
		b.signOut(t)

		// The organiser verifies one and returns another, each in one step.
		b.signIn(t, base, "org.dinhcong", "demo-organiser")
		b.do(t, chromedp.Navigate(queue),
			chromedp.WaitVisible(chromedp.CSS(`main article`)))
		b.contains(t, "main nav", "Đã gửi, chờ thẩm định")
		b.contains(t, "main", "Minh chứng:") // the demo's photos
		b.do(t, chromedp.Click(chromedp.CSS(`main article:first-of-type button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.ID("done")))
		// Afresh, so that the notice waited for is the return's, not the verification's.
		b.do(t, chromedp.Navigate(queue),
			chromedp.WaitVisible(chromedp.CSS(`main article`)),
			chromedp.SendKeys(chromedp.CSS(`main article:first-of-type input[name="reason"]`), "Thiếu biên bản buổi tập huấn"),
			chromedp.Click(chromedp.CSS(`main article:first-of-type input[name="reason"] ~ button`)),
			chromedp.WaitVisible(chromedp.ID("done")),
			chromedp.Navigate(queue+"?status=returned"),
			chromedp.WaitVisible(chromedp.CSS(`main article`)))
		b.contains(t, "main", "Thiếu biên bản buổi tập huấn")
		b.signOut(t)
	})

	t.Run("no page breaks the content security policy", func(t *testing.T) {
		if v := b.refused(); len(v) > 0 {
			t.Errorf("the content security policy refused %d things:\n%s", len(v), strings.Join(v, "\n"))
		}
	})

	t.Run("certificate PDF downloads", func(t *testing.T) {
		b.do(t, chromedp.Navigate(base+"/c/cong-dan-so/honours"),
			chromedp.WaitVisible(chromedp.CSS(`main table a[href$=".pdf"]`)))
		attr, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(`main table a[href$=".pdf"]`), "href"))
		href := attr.Value
		if err != nil || !strings.HasPrefix(href, "/honours/") {
			b.screenshot(t)
			t.Fatalf("certificate link %q: %v", href, err)
		}
		resp, err := http.Get(base + href)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		head := make([]byte, 5)
		io.ReadFull(resp.Body, head)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || string(head) != "%PDF-" {
			t.Fatalf("GET %s = %d %s starting %q, want a PDF", href, resp.StatusCode, resp.Header.Get("Content-Type"), head)
		}
	})
}

// wardRuleset is the ruleset the ward's organiser types in the browser.
const wardRuleset = `schema: 1
timezone: Asia/Ho_Chi_Minh
period: quarter
reporting:
  every: month
criteria:
  - key: has_project
    title: Có công trình chuyển đổi số
    weight: 60
    value: "projects.registered >= 1 ? 1 : 0"
    required: true
  - key: members_trained
    title: Đoàn viên được phổ cập kỹ năng số
    weight: 40
    value: "kpi.members_trained / target.members_trained"
`

// wardJourney: a ward's organiser opens a campaign for two organisations
// below it with the unit picker, gives it an indicator and a ruleset; the
// ward's officer registers a project for the Women's Union; a run shows the
// board; the certificate of an honour names the ward and its signer.
func wardJourney(t *testing.T, b *browser, base string) {
	slug := fmt.Sprintf("tuoi-tre-dc-%d", time.Now().UnixNano()%100000)
	b.signIn(t, base, "org.dinhcong", "demo-organiser")
	b.do(t, chromedp.Navigate(base+"/admin"),
		chromedp.Click(chromedp.CSS(`a[href="/admin/campaigns/new"]`)),
		chromedp.WaitVisible(chromedp.ID("f-slug")),
		chromedp.SendKeys(chromedp.ID("f-slug"), slug),
		chromedp.SendKeys(chromedp.ID("f-name"), "Tuổi trẻ Định Công số"),
		chromedp.SetValue(chromedp.ID("f-starts_on"), "2026-10-01"),
		chromedp.SetValue(chromedp.ID("f-ends_on"), "2026-12-31"),
		chromedp.SendKeys(chromedp.ID("f-signer_title"), "Chủ tịch"),
		chromedp.Click(chromedp.CSS(`input[name="units"][value="picked"]`)),
		chromedp.SetValue(chromedp.ID("f-level"), "commune"),
		chromedp.Click(chromedp.CSS(`button[value="filter"]`)),
		chromedp.WaitVisible(chromedp.ID("u-P-DINHCONG-TN")))
	// The picker offers the ward's units only, filtered by level.
	b.contains(t, ".picker tbody", "Hội LHPN phường Định Công", "Đoàn Thanh niên phường Định Công")
	if text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(".picker tbody"))); err != nil || strings.Contains(text, "Hoàn Kiếm") || strings.Contains(text, "Tổ công nghệ số") {
		b.screenshot(t)
		t.Fatalf("the picker shows units outside the filter or the ward: %v\n%s", err, text)
	}
	b.do(t, chromedp.Click(chromedp.ID("u-P-DINHCONG-PN")),
		chromedp.Click(chromedp.ID("u-P-DINHCONG-TN")),
		chromedp.Click(chromedp.CSS(`button[value="create"]`)),
		chromedp.WaitVisible(chromedp.ID("f-key")),
		chromedp.SendKeys(chromedp.ID("f-key"), "members_trained"),
		chromedp.SendKeys(chromedp.ID("f-title"), "Đoàn viên được phổ cập kỹ năng số"),
		chromedp.SetValue(chromedp.ID("f-unit"), "percent"),
		chromedp.SendKeys(chromedp.ID("f-target"), "100"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main table`)),
		chromedp.Navigate(base+"/admin/c/"+slug+"/ruleset"),
		chromedp.WaitVisible(chromedp.ID("f-source")),
		chromedp.SetValue(chromedp.ID("f-source"), wardRuleset),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.ID("saved")))
	b.contains(t, "footer", "Tuổi trẻ Định Công số", "Phường Định Công")
	b.signOut(t)

	// The ward's officer acts for the organisations below the ward.
	b.signIn(t, base, "mttq.dinhcong", "demo-unit")
	b.do(t, chromedp.Navigate(base+"/c/"+slug+"/projects/new"),
		chromedp.WaitVisible(chromedp.ID("f-unit")),
		chromedp.SetValue(chromedp.ID("f-unit"), "P-DINHCONG-PN"),
		chromedp.SendKeys(chromedp.ID("f-title"), "Phụ nữ số cùng thanh niên"),
		chromedp.SetValue(chromedp.ID("f-category"), "digital_skills"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/edit"]`)))
	b.contains(t, "main", "Phụ nữ số cùng thanh niên", "Hội LHPN phường Định Công", "Đã đăng ký")
	b.signOut(t)

	// A run shows the board; an honour's certificate is the ward's.
	b.signIn(t, base, "org.dinhcong", "demo-organiser")
	b.do(t, chromedp.Navigate(base+"/admin/c/"+slug+"/runs"),
		chromedp.Click(chromedp.CSS(`form input[value="score"] ~ button`)),
		chromedp.WaitVisible(chromedp.ID("done")),
		chromedp.Navigate(base+"/c/"+slug),
		chromedp.WaitVisible(chromedp.ID("board")))
	b.contains(t, "#board caption", "2 đơn vị")
	b.contains(t, "#board tbody tr:first-child", "Hội LHPN phường Định Công")
	b.contains(t, "main hgroup", "Đơn vị tổ chức: Phường Định Công")
	b.do(t, chromedp.Navigate(base+"/admin/c/"+slug+"/honours"),
		chromedp.WaitVisible(chromedp.ID("f-unit")),
		chromedp.SendKeys(chromedp.ID("f-unit"), "P-DINHCONG-PN"),
		chromedp.SendKeys(chromedp.ID("f-title"), "Mô hình hay"),
		chromedp.SendKeys(chromedp.ID("f-period"), "2026-Q4"),
		chromedp.SendKeys(chromedp.ID("f-citation"), "Có thành tích xuất sắc trong phong trào"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("granted")))
	attr, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(`#granted a`), "href"))
	if err != nil {
		b.screenshot(t)
		t.Fatal(err)
	}
	b.signOut(t)
	resp, err := http.Get(base + attr.Value)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	pdf, _ := io.ReadAll(resp.Body)
	checkCertificate(t, &response{Status: resp.StatusCode, Header: resp.Header, Body: string(pdf)},
		"PHƯỜNG ĐỊNH CÔNG", "TM. PHƯỜNG ĐỊNH CÔNG", "CHỦ TỊCH", "Hội LHPN phường Định Công", "Tuổi trẻ Định Công số")
}

// signIn signs in through the form.
func (b *browser) signIn(t *testing.T, base, username, password string) {
	t.Helper()
	b.do(t, chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("f-username"), username),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

// signOut signs out with the header's button.
func (b *browser) signOut(t *testing.T) {
	t.Helper()
	b.do(t, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
}

// bootDemo runs `thidua demo` (a fresh embedded database with the demo
// data) on a free port until the test ends, and returns its address.
func bootDemo(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env := map[string]string{"THIDUA_ADDR": addr, "THIDUA_SCHEDULER": "off", "THIDUA_ARGON2_MEMORY_KIB": "1024",
		"THIDUA_LOG_LEVEL": "warn"}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- app.Main(ctx, []string{"thidua", "demo"}, func(k string) string { return env[k] }, io.Discard)
	}()
	t.Cleanup(func() {
		stop()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("thidua demo exited with %d", code)
			}
		case <-time.After(45 * time.Second):
			t.Error("thidua demo did not stop within 45s of its context ending")
		}
	})
	base := "http://" + addr
	for deadline := time.Now().Add(300 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case code := <-done:
			t.Fatalf("thidua demo exited with %d before serving", code)
		default:
		}
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
	}
	t.Fatal("thidua demo did not serve within 300s")
	return ""
}

// browser is one headless Chromium tab, with what its pages broke of the
// content security policy.
type browser struct {
	ctx context.Context

	mu         sync.Mutex
	violations []string
}

// refused lists what the content security policy refused so far.
func (b *browser) refused() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.violations)
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(412, 915), // a cheap phone
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser: it must not have a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if strings.Contains(m.Text, "Content Security Policy") {
				b.mu.Lock()
				b.violations = append(b.violations, m.URL+": "+m.Text)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs steps with a time limit; on failure it saves a screenshot.
func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.screenshot(t)
		t.Fatalf("browser: %v", err)
	}
}

// contains checks that the element's text holds every string.
func (b *browser) contains(t *testing.T, sel string, want ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.screenshot(t)
		t.Fatalf("text of %s: %v", sel, err)
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.screenshot(t)
			t.Fatalf("%s lacks %q; it reads:\n%s", sel, w, got)
		}
	}
}

// screenshot saves the page for debugging, in a directory that outlives
// the test, and logs where.
func (b *browser) screenshot(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	dir, err := os.MkdirTemp("", "thidua-browser-")
	if err == nil {
		path := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
		if err = os.WriteFile(path, png, 0o644); err == nil {
			t.Logf("screenshot of the failure: %s", path)
			return
		}
	}
	t.Logf("no screenshot: %v", err)
}
