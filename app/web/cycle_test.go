package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// testRuleset scores the fixture by quarter: a required project, cashless
// payments against the target, and a one-judge rubric.
const testRuleset = `schema: 1
period: quarter
criteria:
  - key: has_project
    title: Có ít nhất 1 công trình
    weight: 60
    value: "projects.registered >= 1 ? 1 : 0"
    required: true
  - key: cashless
    title: Thanh toán không dùng tiền mặt
    weight: 40
    value: "kpi.cashless / target.cashless"
judging:
  min_judges: 1
  criteria:
    - {key: innovation, title: Tính sáng tạo, max: 10}
    - {key: effect, title: Hiệu quả, max: 10}
honours:
  - key: exemplary
    title: Điển hình tiên tiến
    scope: cluster
    top: 1
`

// TestCampaignCycle runs a campaign's cycle through the pages as an
// organiser and a judge would, and reads the results as the public does.
func TestCampaignCycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, err := password.New(1024, 1).Hash(ctx, "judge.x-password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CreateUser(ctx, store.NewUser{Username: "judge.x", Role: policy.Judge, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	month := time.Date(f.db.Now().Year(), f.db.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
	if _, err := f.db.PutReport(ctx, slug, "P-A", store.ReportPeriod{Key: month.Format("2006-01"), Start: store.Date{Time: month},
		End: store.Date{Time: month.AddDate(0, 1, 0)}}, map[string]float64{"cashless": 0.6}, nil); err != nil {
		t.Fatal(err)
	}
	admin := f.client(t)
	admin.signIn("admin")
	editor := "/admin/c/" + slug + "/ruleset"

	// A bad ruleset shows its problems in place, with their path and
	// position, and keeps what was typed; nothing is saved.
	bad := strings.Replace(testRuleset, "kpi.cashless / target.cashless", "kpi.cashless / ", 1)
	admin.post(editor, editor, url.Values{"source": {bad}, "action": {"save"}}).want(t, 422).
		has(t, "Bộ quy tắc chưa hợp lệ", "<code>criteria[1].value</code>", "dòng 1, cột", "kpi.cashless / &#34;")
	admin.get(editor).want(t, 200).has(t, "Chưa có bộ quy tắc")

	// A dry run shows the leaderboard it would give and saves nothing.
	admin.post(editor, editor, url.Values{"source": {testRuleset}, "action": {"dry_run"}}).want(t, 200).
		has(t, "Kết quả chạy thử", "Phường Ánh Dương")
	admin.get(editor).want(t, 200).has(t, "Chưa có bộ quy tắc")
	r := admin.post(editor, editor, url.Values{"source": {testRuleset}, "action": {"save"}}).want(t, 303)
	admin.get(r.Header.Get("Location")).want(t, 200).has(t, "Đã lưu phiên bản 1", "Thanh toán không dùng tiền mặt")

	// The committee: a judge, then auto-assignment of the two model projects.
	judging := "/admin/c/" + slug + "/judging"
	admin.post(judging, "/admin/c/"+slug+"/judges", url.Values{"username": {"nobody"}}).want(t, 422).has(t, `id="e-username"`)
	admin.post(judging, "/admin/c/"+slug+"/judges", url.Values{"username": {"judge.x"}}).want(t, 303)
	admin.post(judging, "/admin/c/"+slug+"/assignments", url.Values{}).want(t, 200).has(t, "Đã thêm 2 lượt phân công", "judge.x")

	// The judge scores a project through the form; the others' scores show
	// only after their own.
	judge := f.client(t)
	judge.signIn("judge.x")
	judge.get("/judge").want(t, 200).has(t, "Đã chấm 0/2", "Chợ số phường Ánh Dương")
	form := fmt.Sprintf("/judge/projects/%d", f.verified)
	judge.get(form).want(t, 200).has(t, "Tính sáng tạo", "chỉ hiện sau khi bạn gửi")
	judge.post(form, form, url.Values{"c.innovation": {"11"}, "c.effect": {""}}).want(t, 422).
		has(t, `id="e-c.innovation"`, "phải từ 0 đến 10", `id="e-c.effect"`, `value="11"`)
	r = judge.post(form, form, url.Values{"c.innovation": {"8"}, "c.effect": {"7,5"}, "comment": {"Mô hình tốt"}}).want(t, 303)
	// Saved, with the way to the next project to score.
	judge.get(r.Header.Get("Location")).want(t, 200).has(t, "Đã ghi nhận phiếu chấm", `value="7.5"`, "Mô hình tốt", "<th scope=\"row\">judge.x</th>",
		fmt.Sprintf(`<a href="/judge/projects/%d" id="next">Chấm tiếp: Bình dân học vụ số`, f.other))
	judge.get("/judge").want(t, 200).has(t, "Đã chấm 1/2")
	next := fmt.Sprintf("/judge/projects/%d", f.other)
	r = judge.post(next, next, url.Values{"c.innovation": {"6"}, "c.effect": {"6"}}).want(t, 303)
	judge.get(r.Header.Get("Location")).want(t, 200).has(t, "Bạn đã chấm xong mọi công trình được giao").hasNot(t, `id="next"`)
	admin.get(form).want(t, 403)
	judge.get(editor).want(t, 403)

	// Score now, then the public leaderboard and unit page.
	runs := "/admin/c/" + slug + "/runs"
	admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201).has(t, "Đã chấm điểm kỳ")
	admin.get(runs).want(t, 200).hasNot(t, "đã lược bớt")
	// Keeping two runs a period (THIDUA_KEEP_RUNS=2), the third prunes the first.
	admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201)
	admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201)
	admin.get(runs).want(t, 200).has(t, "đã lược bớt bảng điểm chi tiết")
	public := f.client(t)
	// Three runs of unchanged data: every rank shows it did not move.
	board := public.get("/c/"+slug).want(t, 200).has(t, "Bảng xếp hạng (4 đơn vị)", "bộ quy tắc phiên bản 1", "Phường Ánh Dương",
		`<span class="change same">`,
		// Medals for the first three; the levels of its units, in sight.
		`<span class="medal gold" aria-hidden="true"></span>1</td>`, `<nav aria-label="Theo cấp" class="chips">`,
		`&amp;scope=level%3Acommune">Xã, phường</a>`)
	if a, b := strings.Index(board.Body, "Phường Ánh Dương"), strings.Index(board.Body, "Phường Bình Minh"); a > b {
		t.Errorf("P-A (judged, cashless) is below P-B")
	}
	public.get("/c/"+slug+"?scope=cluster:cum-1").want(t, 200).has(t, "Bảng xếp hạng (3 đơn vị)").hasNot(t, "Ủy ban MTTQ thành phố Hà Nội</a>")
	public.get("/c/"+slug+"?scope=nonsense").want(t, 400)
	if loc := public.get("/c/"+slug+"?q=anh+duong").want(t, 303).Header.Get("Location"); loc != "/c/"+slug+"/u/P-A" {
		t.Errorf("search redirects to %q, want the unit's page", loc)
	}
	public.get("/c/"+slug+"/u/P-A").want(t, 200).has(t, "Điểm thi đua", "Công trình đã đăng ký: <strong>1</strong>",
		"Mục tiêu: Tỷ lệ giao dịch không dùng tiền mặt: <strong>80%</strong>", "<strong>60%</strong>", "Cụm thi đua số 1", "<svg",
		// Each criterion in words, with how to gain its points; the formula folded away.
		"Được trọn 60,0 điểm khi công trình đã đăng ký từ 1 trở lên.", "Đã đạt trọn điểm tiêu chí này.",
		"Cách có thêm điểm: đưa tỷ lệ giao dịch không dùng tiền mặt lên 80% (hiện nay: 60%).",
		"<details><summary>Công thức</summary><code>kpi.cashless / target.cashless</code></details>")
	public.get("/c/"+slug+"/u/P-C").want(t, 200).has(t, "chưa đủ điều kiện xếp hạng", "Có ít nhất 1 công trình",
		"Cách có điểm: công trình đã đăng ký cần từ 1 trở lên (hiện nay: 0).")

	// Close a past quarter, with its confirmation; it grants the honours.
	admin.post(runs, runs, url.Values{"action": {"close"}, "period": {"2025-Q2"}, "confirm": {"2025-Q3"}}).want(t, 422).has(t, `id="e-confirm"`)
	admin.post(runs, runs, url.Values{"action": {"close"}, "period": {"2025-Q2"}, "confirm": {"2025-Q2"}}).want(t, 201).has(t, "Đã chốt kỳ quý II/2025")
	admin.post(runs, runs, url.Values{"action": {"close"}, "period": {"2025-Q2"}, "confirm": {"2025-Q2"}}).want(t, 422).has(t, "2025-Q2")

	// An honour by decision, then the roll, its feed, the certificate and
	// the verification page.
	honours := "/admin/c/" + slug + "/honours"
	admin.post(honours, honours, url.Values{"unit": {"P-B"}, "title": {"Mô hình hay"}, "period": {"2025-Q2"},
		"citation": {"Bình dân học vụ số"}, "project": {fmt.Sprint(f.verified)}}).want(t, 422).has(t, `id="e-project"`)
	admin.post(honours, honours, url.Values{"unit": {"P-B"}, "title": {"Mô hình hay"}, "period": {"1999-Q1"},
		"citation": {"Bình dân học vụ số"}}).want(t, 422).has(t, `id="e-period"`)
	grant := url.Values{"unit": {"P-B"}, "title": {"Mô hình hay"}, "period": {"2025-q2"}, // the key in any case
		"citation": {"Bình dân học vụ số"}, "project": {fmt.Sprint(f.other)}}
	r = admin.post(honours, honours, grant).want(t, 303) // Post/Redirect/Get
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, honours+"?granted=") {
		t.Fatalf("after granting: Location %q", loc)
	}
	r = admin.get(r.Header.Get("Location")).want(t, 200).has(t, "Đã khen thưởng")
	admin.post(honours, honours, grant).want(t, 422).has(t, `id="e-title"`) // granted already
	serial := regexp.MustCompile(`/honours/([A-Z0-9]+)\.pdf`).FindStringSubmatch(r.Body)
	if serial == nil {
		t.Fatal("no certificate link after granting")
	}
	roll := public.get("/c/"+slug+"/honours").want(t, 200).has(t, "Khen thưởng theo quyết định", "Phường Bình Minh", serial[0])
	// The roll links each unit relative to its own address (u/P-B): a
	// browser must land on the unit's page.
	unit := regexp.MustCompile(`<a href="([^"]*P-B)">Phường Bình Minh</a>`).FindStringSubmatch(roll.Body)
	if unit == nil {
		t.Fatal("no link to the honoured unit on the roll")
	}
	page, _ := url.Parse("http://thidua.example/c/" + slug + "/honours?period=2025-Q2")
	link, err := page.Parse(unit[1])
	if err != nil || link.Path != "/c/"+slug+"/u/P-B" {
		t.Fatalf("the roll's link %q leads to %v (%v), want /c/%s/u/P-B", unit[1], link, err, slug)
	}
	public.get("/c/"+slug+"/honours?period=2025-Q2").want(t, 200).has(t, "Mô hình hay")
	checkFeed(t, public.get("/c/"+slug+"/honours.atom").want(t, 200), serial[1])
	pdf := public.get(serial[0]).want(t, 200)
	checkCertificate(t, pdf, "Phường Bình Minh", "GIẤY KHEN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Mô hình hay", "/verify/"+serial[1])
	public.get("/verify/"+serial[1]).want(t, 200).has(t, "Giấy khen này là thật", "Phường Bình Minh", "Mô hình hay")
	public.get("/verify/NOSUCHSERIAL").want(t, 404)
	public.get("/c/"+slug+"/u/P-B").want(t, 200).has(t, "Mô hình hay", serial[0])
	public.get("/").want(t, 200).has(t, "Lượt chấm gần nhất: kỳ quý II/2025")

	// Periods are named in words on the pages; their keys stay in addresses.
	public.get("/c/"+slug+"?period=2025-Q2").want(t, 200).has(t, `<option value="2025-Q2" selected>Quý II/2025</option>`,
		"Kết quả kỳ quý II/2025", "/periods/2025-Q2/review.pdf")
	f.client(t).get("/c/"+slug+"?period=2025-Q2&lang=en").want(t, 200).has(t, `<option value="2025-Q2" selected>Q2 2025</option>`)
	public.get("/c/"+slug+"/honours?period=2025-Q2").want(t, 200).has(t, "Khen thưởng theo quyết định · kỳ quý II/2025")

	// The page's export is for people: Vietnamese headers with the
	// criteria's titles and the clusters' names (the API's keeps its keys).
	csv := public.get("/c/"+slug+"/export.csv?scope=cluster:cum-1&period=2025-Q2").want(t, 200)
	if cd := csv.Header.Get("Content-Disposition"); cd != `attachment; filename="`+slug+`-2025-Q2-cluster-cum-1.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	head, _, _ := strings.Cut(strings.TrimPrefix(csv.Body, "\ufeff"), "\n")
	for _, w := range []string{"Hạng,Mã đơn vị,Tên đơn vị,Cấp,\"Cụm, khối thi đua\",Đủ điều kiện xếp hạng,Tổng điểm,Điểm tối đa",
		"Thanh toán không dùng tiền mặt: mức đạt"} {
		if !strings.Contains(head, w) {
			t.Errorf("the page's CSV header %q lacks %q", head, w)
		}
	}
	if !strings.Contains(csv.Body, "Cụm thi đua số 1") || !strings.Contains(csv.Body, `,"Xã, phường",`) {
		t.Errorf("the page's CSV names no cluster or level:\n%s", csv.Body)
	}
}

// checkFeed parses the honour roll's feed as Atom 1.0.
func checkFeed(t *testing.T, r *response, serial string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("feed Content-Type = %q", ct)
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			Title   string `xml:"title"`
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Links   []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(r.Body), &feed); err != nil {
		t.Fatalf("the feed is not XML: %v", err)
	}
	if feed.Title == "" || feed.ID == "" || feed.Updated == "" || len(feed.Entries) == 0 {
		t.Fatalf("feed = %+v, want a title, id, updated and the entries", feed)
	}
	e := feed.Entries[0]
	if e.ID != "urn:thidua:honour:"+serial || e.Updated == "" || !strings.Contains(e.Title, "Mô hình hay") ||
		len(e.Links) == 0 || !strings.HasSuffix(e.Links[0].Href, "/verify/"+serial) {
		t.Errorf("newest entry = %+v, want the honour %s", e, serial)
	}
}

// checkCertificate checks a certificate is a PDF with the DejaVu font and,
// when poppler's pdftotext is installed, that its text is exact.
func checkCertificate(t *testing.T, r *response, want ...string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Fatalf("certificate: Content-Type %q, starts %q; want a PDF", ct, r.Body[:min(8, len(r.Body))])
	}
	if !strings.Contains(r.Body, "/FontName /utf8dejavu") || !strings.Contains(r.Body, "/FontFile2") {
		t.Error("the certificate does not embed DejaVu Sans as a TrueType font")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext (poppler-utils) missing: the certificate's text is not checked")
		return
	}
	path := filepath.Join(t.TempDir(), "giay-khen.pdf")
	if err := os.WriteFile(path, []byte(r.Body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, w := range want {
		if !strings.Contains(string(out), w) {
			t.Errorf("the certificate's text lacks %q; it reads:\n%s", w, out)
		}
	}
}

func TestNotFoundPage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	r := c.get("/no/such/page").want(t, 404).has(t, "<html", "Không tìm thấy trang này")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want HTML", ct)
	}
	r = c.get("/api/v1/no-such-thing").want(t, 404)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("API Content-Type = %q, want problem+json", ct)
	}
}

// TestLinksUseThePublicURL: with THIDUA_PUBLIC_URL set, the links that
// leave the page never take the address a client claims in Host.
func TestLinksUseThePublicURL(t *testing.T) {
	f := newFixture(t, "THIDUA_PUBLIC_URL=https://thidua.example/")
	hn, err := f.db.GrantHonour(context.Background(), slug, store.NewHonour{Unit: "P-B", Title: "Mô hình hay", Period: "2025-Q2",
		Citation: "Bình dân học vụ số", Scope: "decision"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	req := httptest.NewRequest("GET", "/c/"+slug+"/honours.atom", nil)
	req.Host = "evil.example"
	feed := c.do(req).want(t, 200)
	feed.has(t, "https://thidua.example/c/"+slug+"/honours", "https://thidua.example/verify/"+hn.Serial).hasNot(t, "evil.example")
	req = httptest.NewRequest("GET", "/honours/"+hn.Serial+".pdf", nil)
	req.Host = "evil.example"
	checkCertificate(t, c.do(req).want(t, 200), "https://thidua.example/verify/"+hn.Serial)
}
