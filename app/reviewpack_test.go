package app

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua/app/store"
)

// TestReviewPack: the review pack of RULES.md's worked example for
// 2025-Q3, provisional while the quarter is open, final once it is closed,
// with its figures computed by hand: 2 of the 4 units have a project by 30
// September (50%; the wards' level 2 of 3, 66,7%); Định Công reported
// staff_trained 80% (its covenant's target, so it met it) and
// docs_electronic 90%; Định Công ranks first with 39,67, Hoàn Kiếm second
// with 10; Định Công's "Mỗi tuần một kỹ năng số" was replicated once; in
// 2025-Q2 nobody had a project, so both wards are newly ranked and the
// mean total went from -6 to (39,6667 + 10 - 10 - 10) / 4 = 7,42.
func TestReviewPack(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		anon := ts.as("")
		pack := "/api/v1/campaigns/cds/periods/2025-Q3/review"
		if p := anon.do("GET", pack+".pdf", nil).want(404).problem(); !strings.Contains(p.Detail, "chưa có lượt chấm nào cho kỳ quý III/2025") {
			t.Errorf("never scored: %+v", p)
		}
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q2", "close": true}).want(201)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)

		r := anon.do("GET", pack+".pdf", nil).want(200)
		if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("Content-Type = %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="bao-cao-cds-2025-Q3.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20s%C6%A1%20k%E1%BA%BFt`) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		pdfText(t, r.Body, "BÁO CÁO SƠ KẾT", "Số liệu tạm tính, kỳ chưa chốt", "Công dân số cùng Thủ đô vươn mình",
			"ỦY BAN MTTQ VIỆT NAM THÀNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hà Nội, ngày 20 tháng 10 năm 2025",
			"Quý III năm 2025 (từ 01/07/2025 đến 30/09/2025)", "2/4 đơn vị tham gia phong trào (50%)", "Xã, phường 3 2 66,7%",
			"Cán bộ được tập huấn kỹ năng số 100% 80% 80% 1 1", "Văn bản điện tử 100% 90% 90% 1 0",
			"1 Phường Định Công P-DINHCONG 39,67", "2 Phường Hoàn Kiếm P-HOANKIEM 10",
			"Mỗi tuần một kỹ năng số Phường Định Công 1 1", "So với quý II năm 2025", "2\nđơn vị mới được xếp hạng", "7,42 (kỳ trước -6)")

		// An honour by decision, revoked; then the quarter is closed.
		var hn store.Honour
		admin.do("POST", "/api/v1/campaigns/cds/honours", map[string]any{"unit": "P-DINHCONG", "title": "Mô hình hay", "period": "2025-Q3",
			"citation": "Mô hình Mỗi tuần một kỹ năng số", "decision_no": "125/QĐ-MTTQ", "decided_on": "2025-10-15"}).want(201).decode(&hn)
		admin.do("POST", "/api/v1/honours/"+hn.Serial+"/revoke", map[string]any{"reason": "Hồ sơ không trung thực"}).want(200)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3", "close": true}).want(201)
		r = anon.do("GET", pack+".pdf", nil).want(200)
		pdfText(t, r.Body, "BÁO CÁO SƠ KẾT", "lượt chấm chốt kỳ", "Mô hình hay 1 1 0", "125/QĐ-MTTQ ngày",
			"Đã thu hồi: Hồ sơ", "Trang 1/")
		pdfLacks(t, r.Body, "tạm tính")
		anon.do("HEAD", pack+".pdf", nil).want(200)

		r = anon.do("GET", pack+".xlsx", nil).want(200)
		if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type = %q", ct)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		cells := func(sheet string, refs ...string) []string {
			var out []string
			for _, ref := range refs {
				v, err := f.GetCellValue(sheet, ref)
				if err != nil {
					t.Fatalf("%s!%s: %v", sheet, ref, err)
				}
				out = append(out, v)
			}
			return out
		}
		for _, c := range []struct {
			sheet string
			refs  []string
			want  string
		}{
			{"Tổng quan", []string{"A1", "B2", "B4", "B7"}, "[BÁO CÁO SƠ KẾT Công dân số cùng Thủ đô vươn mình 2025-Q3 Đã chốt kỳ]"},
			{"Kết quả triển khai", []string{"A1", "D2", "E2", "G2"}, "[Nhóm 4 2 0.5]"},
			{"Kết quả triển khai", []string{"C4", "D4", "E4", "F4"}, "[Xã, phường 3 2 1]"},
			{"Chỉ tiêu", []string{"A4", "D4", "E4", "G4", "H4"}, "[staff_trained 1 0.8 1 1]"},
			{"Xếp hạng", []string{"A2", "B2", "C2", "F2", "I2", "A3", "B3", "F3"}, "[1 P-DINHCONG Phường Định Công 39.6667 2 2 P-HOANKIEM 10]"},
			{"Khen thưởng", []string{"A2", "B2", "C2", "I5", "J5"}, "[Mô hình hay 1 1 Đã thu hồi Hồ sơ không trung thực]"},
			{"Nhân rộng", []string{"A2", "B2", "B5", "E5"}, "[1 1 Mỗi tuần một kỹ năng số 1]"},
			{"So với kỳ trước", []string{"A2", "F2", "H2"}, "[2025-Q2 2 -6]"},
		} {
			if got := cells(c.sheet, c.refs...); strings.Join(strings.Fields(strings.Join(got, " ")), " ") != strings.Trim(c.want, "[]") {
				t.Errorf("%s %v = %q, want %s", c.sheet, c.refs, got, c.want)
			}
		}
		style, err := f.GetCellStyle("Xếp hạng", "A1")
		if err != nil {
			t.Fatal(err)
		}
		if st, err := f.GetStyle(style); err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("the header row is not bold: %+v, %v", st, err)
		}
		if typ, err := f.GetCellType("Xếp hạng", "F2"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("a score is stored as %v (%v), want a number", typ, err)
		}

		// Reopened, the period's figures are provisional again.
		admin.do("POST", "/api/v1/campaigns/cds/periods/2025-Q3/reopen", map[string]any{"reason": "Nhập sai số liệu"}).want(200)
		pdfText(t, anon.do("GET", pack+".pdf", nil).want(200).Body, "Số liệu tạm tính, kỳ chưa chốt", "lượt chấm mới nhất của kỳ")

		// Refusals.
		anon.do("GET", "/api/v1/campaigns/nope/periods/2025-Q3/review.pdf", nil).want(404)
		for _, period := range []string{"2025-Q9", "2025-07", "2031-Q1", "soon"} {
			if p := anon.do("GET", "/api/v1/campaigns/cds/periods/"+period+"/review.xlsx", nil).want(422).problem(); len(p.Errors) != 1 || p.Errors[0].Field != "period" {
				t.Errorf("%s: %+v, want 422 naming period", period, p)
			}
		}
		en := &client{ts: ts, header: map[string]string{"Accept-Language": "en"}}
		if p := en.do("GET", "/api/v1/campaigns/cds/periods/2026-Q1/review.pdf", nil).want(404).problem(); p.Detail != `no run of campaign "cds" for Q1 2026 yet` {
			t.Errorf("in English: %+v", p)
		}
	})
}

// pdfLacks checks, when poppler's pdftotext is installed, that a PDF's text
// holds none of the strings.
func pdfLacks(t *testing.T, pdf []byte, unwanted ...string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, u := range unwanted {
		if strings.Contains(string(out), u) {
			t.Errorf("the PDF's text has %q; it reads:\n%s", u, out)
		}
	}
}

// TestReviewPackJudging: the judging section counts the projects with a
// final score in the snapshot and names the best; hk's two judges give
// (40·0.8 + 40·0.6 + 20·1)/100 = 0.76 and 0.5, a mean of 63/100, while
// dc's one score is not final. A campaign scored by year gets a closing
// review (tổng kết).
func TestReviewPackJudging(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		ts.at("2026-11-15T03:00:00Z")
		f := newCommittee(t, ts)
		for _, a := range []struct {
			project int64
			judge   string
		}{{f.hk, "jdc"}, {f.hk, "judge"}, {f.dc, "judge"}} {
			f.admin.do("PUT", fmt.Sprintf("/api/v1/projects/%d/assignments/%s", a.project, a.judge), nil).want(200)
		}
		ts.as("jdc").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(8, 6, 10, "")).want(200)
		ts.as("judge").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.hk), scoreBody(5, 5, 5, "")).want(200)
		ts.as("judge").do("PUT", fmt.Sprintf("/api/v1/projects/%d/scores", f.dc), scoreBody(10, 10, 10, "")).want(200)
		f.admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2026-Q4"}).want(201)

		anon := ts.as("")
		r := anon.do("GET", "/api/v1/campaigns/cds/periods/2026-q4/review.pdf", nil).want(200)
		pdfText(t, r.Body, "BÁO CÁO SƠ KẾT", "Quý IV năm 2026", "4/4 đơn vị tham gia phong trào (100%)",
			"(đủ số giám khảo tối thiểu): 1; điểm bình\nquân: 63/100", "1 Công trình số của P-HOANKIEM Phường Hoàn Kiếm 63 2",
			"Không có số liệu kỳ trước để so sánh.")

		yearly := strings.Replace(judgingRuleset, "period: quarter", "period: year", 1)
		yaml := &client{ts: ts, token: f.admin.token, header: map[string]string{"Content-Type": "application/yaml"}}
		yaml.do("PUT", "/api/v1/campaigns/cds/ruleset", yearly).want(201)
		anon.do("GET", "/api/v1/campaigns/cds/periods/2026-Q4/review.pdf", nil).want(422)
		f.admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025"}).want(201)
		f.admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2026"}).want(201)
		r = anon.do("GET", "/api/v1/campaigns/cds/periods/2026/review.pdf", nil).want(200)
		pdfText(t, r.Body, "BÁO CÁO TỔNG KẾT", "Năm 2026 (từ 01/01/2026 đến 31/12/2026)", "So với năm 2025")
	})
}
