package review

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// longName is a unit's name longer than any column.
const longName = "Chi hội Phụ nữ tổ dân phố số 17 khu tập thể Định Công thuộc Hội Liên hiệp Phụ nữ phường Định Công, quận Hoàng Mai cũ, thành phố Hà Nội, nay là phường Định Công của thành phố Hà Nội sau khi sắp xếp đơn vị hành chính hai cấp"

// national is the review of a campaign of n units in n/20 clusters, with
// long names, many honours and every section filled.
func national(n int, final bool) *platform.Review {
	p, _ := rules.ParsePeriod("2025-Q3")
	finished := time.Date(2025, 10, 1, 1, 0, 0, 0, time.UTC)
	rv := &platform.Review{
		Campaign: &store.Campaign{Slug: "national", Name: "Công dân số cùng Thủ đô vươn mình"},
		Period:   p, Final: final,
		Run:    &store.Run{ID: 7, RulesetVersion: 2, FinishedAt: &finished},
		Issuer: "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", Signer: "Chủ tịch",
		Made: time.Date(2025, 10, 2, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600)),
	}
	rv.Coverage.Total = platform.CoverageLine{Units: n, WithProject: n * 3 / 4}
	rv.Coverage.Levels = []platform.CoverageLine{{Group: "province", Units: 63, WithProject: 60}, {Group: "commune", Units: n - 63, WithProject: n*3/4 - 60}}
	clusters := n / 20
	for c := range clusters {
		code := fmt.Sprintf("cum-%05d", c)
		rv.Coverage.Clusters = append(rv.Coverage.Clusters, platform.CoverageLine{Group: code, Name: "Cụm thi đua " + code, Units: 20, WithProject: 15})
	}
	rv.Indicators = []platform.IndicatorResult{
		{Indicator: store.Indicator{Key: "staff_trained", Title: "Cán bộ được tập huấn kỹ năng số hằng năm", Unit: "percent", Target: 1}, Reported: n, Mean: 0.82, Met: n / 3},
		{Indicator: store.Indicator{Key: "cashless", Title: "Tỷ lệ giao dịch không dùng tiền mặt", Unit: "percent", Target: 0.8}, Reported: n / 2, Mean: 0.96, Met: n / 4},
		{Indicator: store.Indicator{Key: "projects", Title: "Số công trình chuyển đổi số", Unit: "count", Target: 1}},
	}
	overall := platform.Head{Scope: scoring.Scope{Kind: rules.ScopeOverall}, Units: n}
	for i := range 10 {
		overall.Entries = append(overall.Entries, platform.HeadEntry{Rank: i + 1, Code: fmt.Sprintf("U%06d", i), Name: longName, Score: 99 - float64(i)})
	}
	rv.Heads = append(rv.Heads, overall)
	for c := range clusters {
		h := platform.Head{Scope: scoring.Scope{Kind: rules.ScopeCluster, Group: fmt.Sprintf("cum-%05d", c)}, Name: "Cụm", Units: 20}
		for i := range 3 {
			h.Entries = append(h.Entries, platform.HeadEntry{Rank: i + 1, Code: "U", Name: longName, Score: 90})
		}
		rv.Heads = append(rv.Heads, h)
	}
	for i := range n {
		rv.Units = append(rv.Units, platform.ReviewUnit{Rank: i + 1, Code: fmt.Sprintf("U%06d", i), Name: longName, Level: "commune",
			Clusters: []string{fmt.Sprintf("cum-%05d", i/20)}, Score: 50, Max: 100, Eligible: true, Previous: &platform.PreviousResult{Rank: i + 2, Score: 49}})
	}
	rv.Honours.Tally = []store.HonourTally{{Title: "Điển hình tiên tiến", Granted: clusters, Revoked: 1}}
	rv.Honours.Total = clusters
	for c := range min(clusters, 5000) {
		h := store.Honour{Unit: "U", UnitName: longName, Title: "Điển hình tiên tiến", Scope: "cluster", Serial: fmt.Sprint(c)}
		if c == clusters-1 || c == 4999 { // the last listed: revoked
			now := time.Now()
			h.RevokedAt, h.RevokeReason = &now, "Hồ sơ không trung thực"
		}
		rv.Honours.List = append(rv.Honours.List, h)
	}
	for i := range 100 {
		rv.Replicas.List = append(rv.Replicas.List, store.Replication{Project: int64(i), Title: "Mỗi tuần một kỹ năng số " + longName, UnitName: longName, Adoptions: 100 - i})
	}
	rv.Replicas.Projects, rv.Replicas.Adoptions = 100, 5050
	rv.Judging = platform.ReviewJudging{Projects: n, Mean: 0.7}
	for range 10 {
		rv.Judging.Top = append(rv.Judging.Top, platform.JudgedProject{ProjectRef: store.ProjectRef{Title: longName, UnitName: longName}, Score: 0.9, Judges: 5})
	}
	rv.Change = &platform.ReviewChange{Period: "2025-Q2", Final: true, Up: n, MeanBefore: 49, MeanNow: 50}
	for i := range 10 {
		rv.Change.Risers = append(rv.Change.Risers, platform.Move{Code: "U", Name: longName, Before: 100 + i, After: 1 + i})
	}
	return rv
}

// pdfText is the PDF's text as poppler's pdftotext reads it; the test is
// skipped without it.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) missing")
	}
	path := filepath.Join(t.TempDir(), "review.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

var pageOf = regexp.MustCompile(`Trang (\d+)/(\d+)`)

// TestNationalPDF: a campaign of 100,000 units and 5,000 clusters prints
// the heads of its lists in a bounded number of pages, every page
// numbered, long names cut, the revoked honour kept, the rest left to the
// workbook.
func TestNationalPDF(t *testing.T) {
	const n = 100_000
	rv := national(n, false)
	start := time.Now()
	pdf, err := PDF(rv)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PDF of %d units: %d bytes in %v", n, len(pdf), time.Since(start))
	text := pdfText(t, pdf)
	pages := pageOf.FindAllStringSubmatch(text, -1)
	if len(pages) == 0 {
		t.Fatalf("no page numbers in:\n%s", text)
	}
	total, _ := strconv.Atoi(pages[0][2])
	t.Logf("%d pages", total)
	if total > 30 || len(pages) != total {
		t.Errorf("%d pages (%d numbered), want a bounded document with every page numbered", total, len(pages))
	}
	for _, want := range []string{"BÁO CÁO SƠ KẾT", "Quý III năm 2025 (từ 01/07/2025 đến 30/09/2025)", "Số liệu tạm tính, kỳ chưa chốt",
		"ỦY BAN TRUNG ƯƠNG MẶT TRẬN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Hà Nội, ngày 02 tháng 10 năm 2025", "… và 4.960 cụm, khối khác", "Đã thu hồi: Hồ sơ không", "CHỦ TỊCH",
		"75.000/100.000 đơn vị", "82%", "120%"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "sau khi sắp xếp đơn vị hành chính hai cấp") {
		t.Error("a long name is printed whole: it should be cut to three lines of its column")
	}

}

// TestWorkbookInFull: the workbook lists every unit, not only the heads.
func TestWorkbookInFull(t *testing.T) {
	const n = 5_000
	book, err := XLSX(national(n, true))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Xếp hạng")
	if err != nil || len(rows) != n+1 {
		t.Fatalf("Xếp hạng has %d rows (%v), want %d", len(rows), err, n+1)
	}
	if rows[n][2] != longName {
		t.Errorf("the last unit's name is %q, want it whole", rows[n][2])
	}
	clusters, err := f.GetRows("Kết quả triển khai")
	if err != nil || len(clusters) != 1+1+2+n/20 {
		t.Errorf("Kết quả triển khai has %d rows (%v), want the total, 2 levels and %d clusters", len(clusters), err, n/20)
	}
}

// BenchmarkNationalPDF renders the PDF of a campaign of 100,000 units.
func BenchmarkNationalPDF(b *testing.B) {
	rv := national(100_000, true)
	for b.Loop() {
		if _, err := PDF(rv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNationalXLSX renders the workbook of a campaign of 100,000 units.
func BenchmarkNationalXLSX(b *testing.B) {
	rv := national(100_000, true)
	for b.Loop() {
		if _, err := XLSX(rv); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPeriodNames(t *testing.T) {
	for _, c := range []struct{ key, title, name, span string }{
		{"2025-Q3", "BÁO CÁO SƠ KẾT", "quý III năm 2025", "từ 01/07/2025 đến 30/09/2025"},
		{"2025-07", "BÁO CÁO SƠ KẾT", "tháng 7 năm 2025", "từ 01/07/2025 đến 31/07/2025"},
		{"2025-H1", "BÁO CÁO SƠ KẾT", "6 tháng đầu năm 2025", "từ 01/01/2025 đến 30/06/2025"},
		{"2025-H2", "BÁO CÁO SƠ KẾT", "6 tháng cuối năm 2025", "từ 01/07/2025 đến 31/12/2025"},
		{"2026-W49", "BÁO CÁO SƠ KẾT", "tuần 49 năm 2026", "từ 30/11/2026 đến 06/12/2026"},
		{"2025", "BÁO CÁO TỔNG KẾT", "năm 2025", "từ 01/01/2025 đến 31/12/2025"},
		{"all", "BÁO CÁO TỔNG KẾT", "toàn phong trào", ""},
	} {
		p, err := rules.ParsePeriod(c.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := [3]string{Title(p), PeriodName(p), Span(p)}; got != [3]string{c.title, c.name, c.span} {
			t.Errorf("%s: %q, want %q", c.key, got, [3]string{c.title, c.name, c.span})
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{number(1234.5, 1), "1.234,5"}, {number(-6, 2), "-6"}, {score(39.6667), "39,67"}, {percent(2.0 / 3), "66,7%"},
		{percent(0.5), "50%"}, {count(100000), "100.000"}, {number(-0.001, 1), "0"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
