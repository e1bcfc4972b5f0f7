package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/jobs"
)

// TestPublicPagesCache: a public page is made once per change of what it
// shows: the same page again has the same ETag (304 for a browser that has
// it); a write shows at once; a signed-in visitor's page is never the
// cached one, nor is theirs served to anyone else; an htmx fragment is kept
// apart from its page.
func TestPublicPagesCache(t *testing.T) {
	f := newFixture(t)
	public, admin := f.client(t), f.client(t)
	roll := "/c/" + slug + "/honours"
	first := public.get(roll).want(t, 200)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("a public page has no ETag")
	}
	if again := public.get(roll).want(t, 200); again.Header.Get("ETag") != etag || again.Body != first.Body {
		t.Errorf("the same page again: ETag %q, want %q", again.Header.Get("ETag"), etag)
	}
	req := httptest.NewRequest("GET", roll, nil)
	req.Header.Set("If-None-Match", etag)
	if r := public.do(req); r.Status != 304 || r.Body != "" {
		t.Errorf("a browser that has the page: %d, %d bytes; want 304", r.Status, len(r.Body))
	}

	// A write shows at once.
	if _, err := f.db.GrantHonour(context.Background(), slug, store.NewHonour{Unit: "P-A", Title: "Gương điển hình kỹ năng số",
		Period: "2025-Q3", Citation: "Có nhiều đóng góp"}); err != nil {
		t.Fatal(err)
	}
	after := public.get(roll).want(t, 200).has(t, "Có nhiều đóng góp")
	if after.Header.Get("ETag") == etag {
		t.Error("the page after a write kept its ETag")
	}

	// A run shows at once too.
	if _, err := f.db.SaveRuleset(context.Background(), slug, testRuleset, "yaml"); err != nil {
		t.Fatal(err)
	}
	board := "/c/" + slug
	public.get(board).want(t, 200).hasNot(t, `id="board"`)
	if _, err := f.srv.Platform().Runner().Run(context.Background(), jobs.Request{Campaign: slug}); err != nil {
		t.Fatal(err)
	}
	public.get(board).want(t, 200).has(t, `id="board"`)

	// A signed-in visitor's page is theirs.
	admin.signIn("admin")
	mine := admin.get(roll).want(t, 200).has(t, `action="/logout"`)
	if mine.Header.Get("ETag") == after.Header.Get("ETag") {
		t.Error("the signed-in page is the cached public one")
	}
	public.get(roll).want(t, 200).hasNot(t, `action="/logout"`, "admin")

	// A fragment for htmx is not its page, nor the page its fragment.
	gallery := "/c/" + slug + "/projects?" + url.Values{"q": {"cho"}}.Encode()
	page := public.get(gallery).want(t, 200).has(t, "<html")
	req = httptest.NewRequest("GET", gallery, nil)
	req.Header.Set("HX-Request", "true")
	if frag := public.do(req); frag.Status != 200 || frag.Body == page.Body {
		t.Errorf("the htmx fragment is the cached page: %d", frag.Status)
	}
	public.get(gallery).want(t, 200).has(t, "<html")
}
