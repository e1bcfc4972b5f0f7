package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestHonourDecisionAndRevocation: an honour by decision carries its
// decision's number and date, on the certificate too with a QR code of its
// verification link; revoked, with the reason, it stays on the roll marked
// so, its verification page and certificate say so, and the feed carries
// the revocation. Revoking twice is a conflict.
func TestHonourDecisionAndRevocation(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		var hn store.Honour
		admin.do("POST", "/api/v1/campaigns/cds/honours", map[string]any{"unit": "P-DINHCONG", "title": "Mô hình hay",
			"period": "2025-Q3", "citation": "Có cách làm sáng tạo", "decision_no": "125/QĐ-MTTQ", "decided_on": "2025-10-15"}).
			want(201).decode(&hn)
		if hn.DecisionNo != "125/QĐ-MTTQ" || hn.DecidedOn == nil || hn.DecidedOn.String() != "2025-10-15" || hn.Campaign != "cds" {
			t.Errorf("granted = %+v", hn)
		}
		admin.do("POST", "/api/v1/campaigns/cds/honours", map[string]any{"unit": "P-DINHCONG", "title": "Khác",
			"period": "2025-Q3", "citation": "C", "decided_on": "2099-01-01"}).want(422)
		pdf := ts.as("").do("GET", "/honours/"+hn.Serial+".pdf", nil).want(200)
		if !strings.Contains(string(pdf.Body), "/Subtype /Image") {
			t.Error("the certificate has no QR code image")
		}
		pdfText(t, pdf.Body, "Quyết định số 125/QĐ-MTTQ ngày 15/10/2025", "/verify/"+hn.Serial)

		revoke := "/api/v1/honours/" + hn.Serial + "/revoke"
		ts.as("dinhcong").do("POST", revoke, map[string]any{"reason": "Tự thu hồi"}).want(403)
		admin.do("POST", revoke, map[string]any{}).want(422)
		var revoked store.Honour
		admin.do("POST", revoke, map[string]any{"reason": "Hồ sơ không trung thực"}).want(200).decode(&revoked)
		if !revoked.Revoked() || revoked.RevokeReason != "Hồ sơ không trung thực" || revoked.RevokedBy == nil || *revoked.RevokedBy != "admin" {
			t.Errorf("revoked = %+v", revoked)
		}
		admin.do("POST", revoke, map[string]any{"reason": "Lần nữa"}).want(409)
		admin.do("POST", "/api/v1/honours/NOSUCHSERIAL/revoke", map[string]any{"reason": "x"}).want(404)

		anon := ts.as("")
		if r := anon.do("GET", "/c/cds/honours", nil).want(200); !strings.Contains(string(r.Body), `class="revoked"`) ||
			!strings.Contains(string(r.Body), "Hồ sơ không trung thực") {
			t.Error("the roll does not show the revocation")
		}
		if r := anon.do("GET", "/verify/"+hn.Serial, nil).want(200); !strings.Contains(string(r.Body), "đã bị thu hồi") {
			t.Error("the verification page does not say the honour was revoked")
		}
		if r := anon.do("GET", "/c/cds/honours.atom", nil).want(200); !strings.Contains(string(r.Body), "Đã thu hồi: Mô hình hay") ||
			!strings.Contains(string(r.Body), "Hồ sơ không trung thực") {
			t.Errorf("the feed does not carry the revocation:\n%s", r.Body)
		}
		pdfText(t, anon.do("GET", "/honours/"+hn.Serial+".pdf", nil).want(200).Body, "ĐÃ THU HỒI", "Hồ sơ không trung thực")
	})
}

// pdfText checks, when poppler's pdftotext is installed, that a PDF's text
// holds every string.
func pdfText(t *testing.T, pdf []byte, want ...string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext (poppler-utils) missing: the PDF's text is not checked")
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
	for _, w := range want {
		if !strings.Contains(string(out), w) {
			t.Errorf("the PDF's text lacks %q; it reads:\n%s", w, out)
		}
	}
}
