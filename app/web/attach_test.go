package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
)

// TestAttachEvidence: the progress, report and project forms attach photos
// and PDFs; a refused file is named beside the form, the others kept for
// the next try; thumbnails show on the project, unit and verifier pages.
func TestAttachEvidence(t *testing.T) {
	f := newFixture(t)
	officer, admin, public := f.client(t), f.client(t), f.client(t)
	officer.signIn("officer.a")
	admin.signIn("admin")
	photo := filestest.PhotoWithGPS(t, 640, 480)
	thumb := regexp.MustCompile(`src="(/thumbnails/[a-z0-9]+)"`)

	prog := fmt.Sprintf("/projects/%d/progress", f.verified)
	officer.get(prog).want(t, 200).has(t, `enctype="multipart/form-data"`, `capture="environment"`, "Chụp ảnh", "tối đa 10 MB")
	// A ZIP named .jpg is refused, naming it; the photo sent with it is kept, ticked.
	r := officer.postFiles(prog, prog, url.Values{"note": {"Lớp học Chủ nhật: 35 người"}},
		attach{"evidence_upload", "lớp học.jpg", photo}, attach{"evidence_upload", "giả.jpg", []byte("PK\x03\x04not an image")}).
		want(t, 422).has(t, `id="e-evidence_files"`, "giả.jpg: chỉ nhận ảnh JPEG", `name="evidence_files"`, "lớp học.jpg")
	kept := regexp.MustCompile(`name="evidence_files" value="([a-z0-9]+)" checked`).FindStringSubmatch(r.Body)
	if kept == nil {
		t.Fatalf("the uploaded photo is not kept for the next try:\n%s", r.Body)
	}
	officer.postFiles(prog, prog, url.Values{"note": {"Lớp học Chủ nhật: 35 người"}, "evidence_files": {kept[1]}}).want(t, 303)
	page := public.get(fmt.Sprintf("/projects/%d", f.verified)).want(t, 200).has(t, "Lớp học Chủ nhật: 35 người", "/thumbnails/"+kept[1])
	src := thumb.FindStringSubmatch(page.Body)
	if src == nil {
		t.Fatal("no thumbnail on the project page")
	}
	if r := public.get(src[1]); r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("thumbnail %s = %d %s", src[1], r.Status, r.Header.Get("Content-Type"))
	}

	// A report with a PDF; its evidence shows for the verifier.
	report := "/c/" + slug + "/u/P-A/report"
	officer.postFiles(report, report, url.Values{"period": {"2025-07"}, "v.cashless": {"40"}},
		attach{"evidence_upload", "biên bản.pdf", []byte("%PDF-1.4\n%%EOF\n")}).want(t, 303)
	officer.get(report+"?period=2025-07").want(t, 200).has(t, "biên bản.pdf", `name="evidence_files"`)
	admin.get("/admin/c/"+slug+"/reports").want(t, 200).has(t, "biên bản.pdf")

	newProject := "/c/" + slug + "/projects/new"
	officer.postFiles(newProject, newProject, url.Values{"title": {"Chợ 4.0"}, "category": {"cashless"}, "unit": {"P-A"}},
		attach{"evidence_upload", "chợ.jpg", filestest.PhotoWithGPS(t, 300, 200)}).want(t, 303)
	// A project registered with a photo; the unit page shows the latest evidence of its projects, their
	// progress and its reports, and another unit's page none of it.
	public.get("/c/"+slug+"/u/P-A").want(t, 200).has(t, `id="evidence"`, "/thumbnails/"+kept[1], "biên bản.pdf", "chợ.jpg")
	if page := public.get("/c/"+slug+"/u/P-B").want(t, 200); regexp.MustCompile(kept[1] + "|biên bản|chợ").MatchString(page.Body) {
		t.Error("another unit's page shows P-A's evidence")
	}
	// Another unit's officer cannot attach a file that is not theirs.
	other := f.client(t)
	other.signIn("officer.b")
	progB := fmt.Sprintf("/projects/%d/progress", f.other)
	other.postFiles(progB, progB, url.Values{"note": {"Mượn ảnh"}, "evidence_files": {kept[1]}}).want(t, 422).
		has(t, `href="#f-evidence_files"`, "do bạn tải lên")
	if page := public.get(fmt.Sprintf("/projects/%d", f.other)).want(t, 200); regexp.MustCompile(kept[1]).MatchString(page.Body) {
		t.Error("an officer attached another unit's photo")
	}
}
