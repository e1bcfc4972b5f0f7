package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"html"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/web"
	"github.com/thidua/thidua/jobs"
)

// metaTags reads a page's <meta name|property=… content=…> tags.
func metaTags(page string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<meta (?:name|property)="([^"]+)" content="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// TestMetaAndOpenGraph: the home, campaign and unit pages carry a
// description and the Open Graph tags of a link's preview, the campaign's
// with the image of its board, in the page's language.
func TestMetaAndOpenGraph(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	board := "http://example.com/c/" + slug + "/board.png"
	for _, tc := range []struct {
		path  string
		title string
		desc  []string
		image string
	}{
		{"/", "thi đua", []string{"Nền tảng thi đua"}, board},
		{"/c/" + slug, "Công dân số cùng Thủ đô vươn mình", []string{"Bảng xếp hạng phong trào “Công dân số cùng Thủ đô vươn mình”", "4 đơn vị tham gia"}, board},
		{"/c/" + slug + "/u/P-A", "Phường Ánh Dương", []string{"Phường Ánh Dương trong phong trào “Công dân số cùng Thủ đô vươn mình”"}, board},
		{"/c/" + slug + "/honours", "", []string{"Bảng xếp hạng phong trào"}, board},
		{"/c/" + slug + "/u/P-A?lang=en", "Phường Ánh Dương", []string{"Phường Ánh Dương in the campaign"}, board + "?lang=en"},
	} {
		page := c.get(tc.path).want(t, 200).has(t, `<link rel="icon" href="/favicon.ico"`).Body
		meta := metaTags(page)
		for _, d := range tc.desc {
			if !strings.Contains(meta["description"], d) {
				t.Errorf("%s: description %q lacks %q", tc.path, meta["description"], d)
			}
		}
		if meta["og:description"] != meta["description"] {
			t.Errorf("%s: og:description %q, description %q", tc.path, meta["og:description"], meta["description"])
		}
		if !strings.Contains(meta["og:title"], tc.title) || meta["og:title"] == "" {
			t.Errorf("%s: og:title %q, want %q", tc.path, meta["og:title"], tc.title)
		}
		if meta["og:image"] != tc.image || meta["og:image:width"] != "1200" || meta["twitter:card"] != "summary_large_image" {
			t.Errorf("%s: og:image %q (%s wide, card %q), want %q", tc.path, meta["og:image"], meta["og:image:width"], meta["twitter:card"], tc.image)
		}
		if want := "http://example.com" + tc.path; meta["og:url"] != want {
			t.Errorf("%s: og:url %q, want %q", tc.path, meta["og:url"], want)
		}
	}
	// A page of the platform's own has no board to show.
	if meta := metaTags(c.get("/login").want(t, 200).Body); meta["og:image"] != "" || meta["description"] == "" {
		t.Errorf("/login: og:image %q, description %q", meta["og:image"], meta["description"])
	}
}

// TestBoardImage: the image of a board is a 1200×630 PNG of the campaign
// before its first run and of its leaderboard's head after it, made once
// per change of the data.
func TestBoardImage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	path := "/c/" + slug + "/board.png"
	decode := func(r *response) []byte {
		t.Helper()
		if ct := r.Header.Get("Content-Type"); ct != "image/png" {
			t.Fatalf("Content-Type = %q, want image/png", ct)
		}
		img, err := png.Decode(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
			t.Errorf("image is %v, want 1200×630", b)
		}
		return []byte(r.Body)
	}
	before := c.get(path).want(t, 200)
	empty := decode(before)
	if etag := before.Header.Get("ETag"); etag == "" || !bytes.Equal(decode(c.get(path).want(t, 200)), empty) {
		t.Errorf("the image is not kept (ETag %q)", etag)
	}
	if _, err := f.db.SaveRuleset(context.Background(), slug, testRuleset, "yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.Platform().Runner().Run(context.Background(), jobs.Request{Campaign: slug}); err != nil {
		t.Fatal(err)
	}
	scored := decode(c.get(path).want(t, 200))
	if bytes.Equal(scored, empty) {
		t.Error("the image after the first run is the one before it")
	}
	if english := decode(c.get(path+"?lang=en").want(t, 200)); bytes.Equal(english, scored) {
		t.Error("the English image is the Vietnamese one")
	}
	c.get("/c/no-such-campaign/board.png").want(t, 404)
}

// TestFavicon: /favicon.ico is an icon file holding a 32×32 PNG.
func TestFavicon(t *testing.T) {
	f := newFixture(t)
	r := f.client(t).get("/favicon.ico").want(t, 200)
	if ct := r.Header.Get("Content-Type"); ct != "image/x-icon" {
		t.Errorf("Content-Type = %q", ct)
	}
	b := []byte(r.Body)
	if len(b) < 22 || !bytes.Equal(b[:6], []byte{0, 0, 1, 0, 1, 0}) {
		t.Fatalf("not an icon file: % x", b[:min(len(b), 22)])
	}
	img, err := png.Decode(bytes.NewReader(b[22:]))
	if err != nil || img.Bounds().Dx() != 32 || img.Bounds().Dy() != 32 {
		t.Errorf("the icon's image: %v, %v", img, err)
	}
}

// TestRobots: crawlers may read the public pages, not the forms nor the
// API, and are told where the sitemap is.
func TestRobots(t *testing.T) {
	f := newFixture(t)
	r := f.client(t).get("/robots.txt").want(t, 200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
	r.has(t, "User-agent: *", "Disallow: /admin", "Disallow: /api/", "Disallow: /login", "Sitemap: http://example.com/sitemap.xml")
	r.hasNot(t, "Disallow: /c/\n", "Disallow: /\n")
}

type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []string `xml:"url>loc"`
	Sitemaps []string `xml:"sitemap>loc"`
}

// TestSitemap: the sitemap lists the home page, the campaign's pages and
// the page of each participating unit; past its size it is an index of
// pages that together list them all, once each.
func TestSitemap(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	read := func(path string) sitemapDoc {
		t.Helper()
		r := c.get(path).want(t, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
			t.Errorf("%s: Content-Type = %q", path, ct)
		}
		var d sitemapDoc
		if err := xml.Unmarshal([]byte(r.Body), &d); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, r.Body)
		}
		return d
	}
	base := "http://example.com"
	want := []string{base + "/", base + "/c/" + slug, base + "/c/" + slug + "/honours", base + "/c/" + slug + "/projects",
		base + "/c/" + slug + "/coverage", base + "/c/" + slug + "/u/HN", base + "/c/" + slug + "/u/P-A",
		base + "/c/" + slug + "/u/P-B", base + "/c/" + slug + "/u/P-C"}
	all := read("/sitemap.xml")
	if all.XMLName.Local != "urlset" || strings.Join(all.URLs, " ") != strings.Join(want, " ") {
		t.Errorf("sitemap = %s %v, want urlset %v", all.XMLName.Local, all.URLs, want)
	}

	// Paged, on a server of its own (the first keeps its sitemap until the data changes).
	defer web.SetSitemapSize(4)()
	c = newFixture(t).client(t)
	index := read("/sitemap.xml")
	if index.XMLName.Local != "sitemapindex" || len(index.Sitemaps) != 3 {
		t.Fatalf("a sitemap of 9 addresses by 4 = %s of %v, want an index of 3", index.XMLName.Local, index.Sitemaps)
	}
	var paged []string
	for _, loc := range index.Sitemaps {
		page := read(strings.TrimPrefix(loc, base))
		if page.XMLName.Local != "urlset" || len(page.URLs) > 4 {
			t.Errorf("%s: %s of %d addresses", loc, page.XMLName.Local, len(page.URLs))
		}
		paged = append(paged, page.URLs...)
	}
	if strings.Join(paged, " ") != strings.Join(want, " ") {
		t.Errorf("the pages list %v, want %v", paged, want)
	}
	c.get("/sitemap.xml?page=4").want(t, 404)
	c.get("/sitemap.xml?page=0").want(t, 404)
}
