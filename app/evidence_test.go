package app

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/store"
)

// TestEvidenceFiles: uploads are sniffed, cleaned and kept, private to the
// uploader until attached to a report, a project or a progress note, and
// then served as public as those; on local disk and on an S3 server
// (gofakes3 over HTTP), on both databases.
func TestEvidenceFiles(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		for _, store := range []struct {
			name string
			open func(t *testing.T) *files.Bucket
		}{
			{"s3", func(t *testing.T) *files.Bucket {
				b, err := files.Open(context.Background(), filestest.S3(t))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}},
			{"disk", func(t *testing.T) *files.Bucket { return filestest.Disk(t) }},
		} {
			t.Run(store.name, func(t *testing.T) {
				bucket := store.open(t)
				cfg := testConfig()
				cfg.FileLimit = 64 << 10
				srv := &testServer{t: t, db: ts.db, srv: NewServer(cfg, ts.db, bucket, slog.New(slog.DiscardHandler))}
				evidenceJourney(t, srv, bucket)
				srv.db.SQL().Exec("DELETE FROM evidence")
				srv.db.SQL().Exec("DELETE FROM files")
			})
		}
	})
}

func evidenceJourney(t *testing.T, ts *testServer, bucket *files.Bucket) {
	ctx := context.Background()
	ts.at("2025-08-05T03:00:00Z")
	dinhcong, hoankiem, admin, anon := ts.as("dinhcong"), ts.as("hoankiem"), ts.as("admin"), ts.as("")
	var photo store.File
	dinhcong.do("POST", "/api/v1/files", upload{"lớp kỹ năng số.JPG", filestest.PhotoWithGPS(t, 640, 480)}).want(201).decode(&photo)
	if photo.Type != files.JPEG || photo.Name != "lớp kỹ năng số.jpg" || photo.Width != 480 || photo.Height != 640 ||
		!strings.HasPrefix(photo.URL, "/files/"+photo.ID+"/") || photo.ThumbURL != "/thumbnails/"+photo.ID || len(photo.ID) < 20 {
		t.Fatalf("uploaded %+v", photo)
	}
	got := dinhcong.do("GET", photo.URL, nil).want(200)
	sum := sha256.Sum256(got.Body)
	if hex.EncodeToString(sum[:]) != photo.SHA256 || int64(len(got.Body)) != photo.Size {
		t.Errorf("served %d bytes of sha256 %x, recorded %d of %s", len(got.Body), sum, photo.Size, photo.SHA256)
	}
	for _, leak := range []string{"Exif", filestest.Secret} {
		if bytes.Contains(got.Body, []byte(leak)) {
			t.Errorf("the served photo still carries %q", leak)
		}
	}
	for h, want := range map[string]string{"Content-Type": "image/jpeg", "X-Content-Type-Options": "nosniff",
		"Content-Disposition": `inline; filename="l_p k_ n_ng s_.jpg"; filename*=UTF-8''l%E1%BB%9Bp%20k%E1%BB%B9%20n%C4%83ng%20s%E1%BB%91.jpg`,
		"Cache-Control":       "private, no-store"} {
		if got.Header.Get(h) != want {
			t.Errorf("%s: %q, want %q", h, got.Header.Get(h), want)
		}
	}
	if csp := got.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("CSP %q has no sandbox", csp)
	}
	// Until attached, the uploader's (and the admin's) alone.
	anon.do("GET", photo.URL, nil).want(404)
	hoankiem.do("GET", photo.URL, nil).want(404)
	admin.do("GET", photo.URL, nil).want(200)
	dinhcong.do("GET", "/files/"+photo.ID+"/other.jpg", nil).want(404)
	dinhcong.do("GET", "/files/nothing/x.jpg", nil).want(404)

	// A report write that fails attaches nothing; one that succeeds does.
	july := "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-07"
	dinhcong.do("PUT", july, map[string]any{"values": map[string]float64{"no_such_indicator": 1}, "evidence_files": []string{photo.ID}}).want(422)
	anon.do("GET", photo.URL, nil).want(404)
	fields := func(r *response, want ...string) {
		t.Helper()
		if got := r.problem().fields(); !slices.Equal(got, want) {
			t.Errorf("%s: fields %v, want %v", r.req, got, want)
		}
	}
	// Nobody attaches another's file, nor one twice, nor more than 20.
	fields(hoankiem.do("PUT", "/api/v1/campaigns/cds/units/P-HOANKIEM/reports/2025-07", map[string]any{
		"values": map[string]float64{"cashless": 0.5}, "evidence_files": []string{photo.ID}}).want(422), "evidence_files[0]")
	fields(dinhcong.do("PUT", july, map[string]any{"values": map[string]float64{"cashless": 0.5},
		"evidence_files": []string{photo.ID, photo.ID}}).want(422), "evidence_files[1]")
	fields(dinhcong.do("PUT", july, map[string]any{"values": map[string]float64{"cashless": 0.5},
		"evidence_files": slices.Repeat([]string{photo.ID}, 21)}).want(422), "evidence_files")
	var r store.Report
	dinhcong.do("PUT", july, map[string]any{"values": map[string]float64{"cashless": 0.5}, "evidence_files": []string{photo.ID}}).
		want(200).decode(&r)
	if len(r.EvidenceFiles) != 1 || r.EvidenceFiles[0].ID != photo.ID || r.EvidenceFiles[0].URL != photo.URL {
		t.Fatalf("report evidence %+v", r.EvidenceFiles)
	}
	// Values alone keep the evidence; an empty list removes it.
	dinhcong.do("PUT", july, map[string]any{"values": map[string]float64{"cashless": 0.6}}).want(200).decode(&r)
	if len(r.EvidenceFiles) != 1 {
		t.Errorf("a report changed without evidence_files lost its evidence: %+v", r.EvidenceFiles)
	}
	pub := anon.do("GET", photo.URL, nil).want(200)
	if pub.Header.Get("Cache-Control") != "public, max-age=86400" {
		t.Errorf("attached: Cache-Control %q", pub.Header.Get("Cache-Control"))
	}
	thumb := anon.do("GET", photo.ThumbURL, nil).want(200)
	if thumb.Header.Get("Content-Type") != "image/jpeg" || bytes.Contains(thumb.Body, []byte(filestest.Secret)) {
		t.Errorf("thumbnail: %s, %d bytes", thumb.Header.Get("Content-Type"), len(thumb.Body))
	}
	var reports struct{ Items []store.Report }
	anon.do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/reports", nil).want(200).decode(&reports)
	if len(reports.Items) != 1 || len(reports.Items[0].EvidenceFiles) != 1 {
		t.Errorf("reports list evidence: %+v", reports.Items)
	}

	// A PDF, scripts and all, is kept as it is and only ever downloaded;
	// a project and a progress note take files too.
	pdf := []byte("%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n")
	var plan, second store.File
	dinhcong.do("POST", "/api/v1/files", upload{"kế hoạch.pdf", pdf}).want(201).decode(&plan)
	dinhcong.do("POST", "/api/v1/files", upload{"ảnh 2.png", filestest.PhotoWithGPS(t, 80, 60)}).want(201).decode(&second)
	if plan.Type != files.PDF || plan.ThumbURL != "" || second.Type != files.JPEG || second.Name != "ảnh 2.jpg" {
		t.Errorf("pdf %+v, second %+v", plan, second)
	}
	var p store.Project
	dinhcong.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{"unit": "P-DINHCONG", "title": "Lớp học kỹ năng số Chủ nhật",
		"category": "digital_skills", "evidence_files": []string{plan.ID}}).want(201).decode(&p)
	if len(p.EvidenceFiles) != 1 || p.EvidenceFiles[0].ID != plan.ID {
		t.Errorf("project evidence %+v", p.EvidenceFiles)
	}
	dl := anon.do("GET", plan.URL, nil).want(200)
	if dl.Header.Get("Content-Type") != files.PDF || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") ||
		!bytes.Equal(dl.Body, pdf) {
		t.Errorf("pdf served as %s, %s", dl.Header.Get("Content-Type"), dl.Header.Get("Content-Disposition"))
	}
	project := fmt.Sprintf("/api/v1/projects/%d", p.ID)
	dinhcong.do("POST", project+"/progress", map[string]any{"note": "Buổi học thứ hai: 40 người dân", "evidence_files": []string{second.ID}}).want(201)
	dinhcong.do("PATCH", project, map[string]any{"evidence_files": []string{}}).want(200).decode(&p)
	if len(p.EvidenceFiles) != 0 {
		t.Errorf("evidence after removing it: %+v", p.EvidenceFiles)
	}
	var detail struct {
		store.ProjectDetail
	}
	anon.do("GET", project, nil).want(200).decode(&detail)
	if len(detail.Progress) != 1 || len(detail.Progress[0].EvidenceFiles) != 1 || detail.Progress[0].EvidenceFiles[0].ThumbURL != second.ThumbURL {
		t.Errorf("progress evidence %+v", detail.Progress)
	}

	// Bad files: named for what they are not, empty, over the limit, absent.
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("a.exe")
	w.Write([]byte("MZ"))
	zw.Close()
	fields(dinhcong.do("POST", "/api/v1/files", upload{"ảnh.jpg", zipped.Bytes()}).want(415), "file")
	fields(dinhcong.do("POST", "/api/v1/files", upload{"rỗng.jpg", nil}).want(422), "file")
	fields(dinhcong.do("POST", "/api/v1/files", upload{"to.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 64<<10)...)}).want(413), "file")
	fields(dinhcong.do("POST", "/api/v1/files", `{"file":"x"}`).want(422), "file")
	ts.as("judge").do("POST", "/api/v1/files", upload{"a.pdf", pdf}).want(403)

	// The sweep: an upload never attached (or no longer) is gone a day
	// later, with its objects; so is an object no file records.
	var left store.File
	dinhcong.do("POST", "/api/v1/files", upload{"bỏ dở.jpg", filestest.PhotoWithGPS(t, 40, 30)}).want(201).decode(&left)
	if err := bucket.Put(ctx, files.FileKey("stray"), []byte("x"), "text/plain"); err != nil {
		t.Fatal(err)
	}
	if n, err := ts.srv.svc.SweepFiles(ctx); err != nil || n != 0 {
		t.Errorf("sweep now removed %d (%v), want nothing yet", n, err)
	}
	later := time.Now().Add(25 * time.Hour) // objects are dated by the store's clock
	ts.db.Now = func() time.Time { return later }
	if n, err := ts.srv.svc.SweepFiles(ctx); err != nil || n != 3 {
		t.Errorf("sweep a day later removed %d (%v), want the abandoned upload, the detached PDF and the stray object", n, err)
	}
	anon.do("GET", left.URL, nil).want(404)
	anon.do("GET", plan.URL, nil).want(404)
	objs, err := bucket.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	slices.Sort(keys)
	want := []string{files.FileKey(photo.ID), files.FileKey(second.ID), files.ThumbKey(photo.ID), files.ThumbKey(second.ID)}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("objects after the sweep %v, want %v", keys, want)
	}
	anon.do("GET", photo.URL, nil).want(200)
}

// TestFailedUploadLeavesNoObject: an upload whose record cannot be written
// leaves no object behind.
func TestFailedUploadLeavesNoObject(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		dir := t.TempDir()
		bucket, err := files.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		srv := &testServer{t: t, db: ts.db, srv: NewServer(testConfig(), ts.db, bucket, slog.New(slog.DiscardHandler))}
		dinhcong := srv.as("dinhcong")
		// The record cannot be written: its table is gone.
		if _, err := ts.db.SQL().Exec("DROP TABLE evidence"); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.db.SQL().Exec("DROP TABLE files"); err != nil {
			t.Fatal(err)
		}
		r := dinhcong.do("POST", "/api/v1/files", upload{"ảnh.jpg", filestest.PhotoWithGPS(t, 64, 48)})
		if r.Status < 500 {
			t.Errorf("upload without its table = %d, want a failure", r.Status)
		}
		objs, err := bucket.List(context.Background(), "")
		if err != nil || len(objs) != 0 {
			t.Errorf("objects left: %v, %v", objs, err)
		}
	})
}
