package app

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/store"
)

// The API's public reads are kept under the data version: the same answer
// with the same ETag until a write, 304 to a client that has it, a write
// seen at once, a signed-in caller's answer never kept nor served from the
// cache, files never kept.
func TestPublicReadsCache(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon, officer := ts.as(""), ts.as("dinhcong")
		list := "/api/v1/campaigns/cds/projects?limit=50"
		first := anon.do("GET", list, nil).want(200)
		etag := first.Header.Get("ETag")
		if etag == "" {
			t.Fatal("a public list has no ETag")
		}
		again := anon.do("GET", list, nil).want(200)
		if again.Header.Get("ETag") != etag || string(again.Body) != string(first.Body) {
			t.Errorf("the same list again: ETag %q, want %q", again.Header.Get("ETag"), etag)
		}
		for _, h := range []string{"Content-Type", "Content-Language", "Vary", "Cache-Control", "Content-Security-Policy"} {
			if again.Header.Get(h) != first.Header.Get(h) {
				t.Errorf("the kept list's %s = %q, the first's %q", h, again.Header.Get(h), first.Header.Get(h))
			}
		}
		// Each answer, kept or not, has its own request id.
		uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
		if a, b := first.Header.Get("X-Request-Id"), again.Header.Get("X-Request-Id"); !uuid.MatchString(a) || !uuid.MatchString(b) || a == b {
			t.Errorf("request ids %q and %q, want two different UUIDs", a, b)
		}
		anon.header = map[string]string{"If-None-Match": etag}
		if r := anon.do("GET", list, nil); r.Status != 304 || len(r.Body) != 0 {
			t.Errorf("a client that has the list: %d, %d bytes; want 304", r.Status, len(r.Body))
		}
		anon.header = nil

		// A write shows at once.
		var p store.Project
		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Chợ 4.0 phường Định Công", "summary": "Thanh toán không dùng tiền mặt.",
			"category": "cashless", "starts_on": "2025-05-01", "ends_on": "2025-12-31",
		}).want(201).decode(&p)
		after := anon.do("GET", list, nil).want(200)
		if after.Header.Get("ETag") == etag || !strings.Contains(string(after.Body), "Chợ 4.0 phường Định Công") {
			t.Errorf("the list after a write: ETag %q (was %q), new project shown: %v", after.Header.Get("ETag"), etag,
				strings.Contains(string(after.Body), "Chợ 4.0"))
		}

		// A signed-in caller's answer is made for it.
		if mine := officer.do("GET", list, nil).want(200); mine.Header.Get("ETag") != "" {
			t.Errorf("a signed-in caller's list came from the cache (ETag %q)", mine.Header.Get("ETag"))
		}
		// A file is made when asked, never kept.
		if csv := anon.do("GET", "/api/v1/campaigns/cds/export.csv", nil); csv.Header.Get("ETag") != "" {
			t.Errorf("an export was kept (%d, ETag %q)", csv.Status, csv.Header.Get("ETag"))
		}
	})
}

// A start reads every campaign's newest board before anyone asks: a
// campaign with a run is warmed, one without is skipped.
func TestWarmBoards(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		fresh := NewServer(testConfig(), ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if n, err := fresh.svc.WarmBoards(context.Background()); err != nil || n != 0 {
			t.Fatalf("before any run: warmed %d, %v; want 0", n, err)
		}
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
		fresh = NewServer(testConfig(), ts.db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if n, err := fresh.svc.WarmBoards(context.Background()); err != nil || n != 1 {
			t.Fatalf("after a run: warmed %d, %v; want 1", n, err)
		}
	})
}
