package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"testing"
	"time"
)

var reviewLink = regexp.MustCompile(`href="(/api/v1/campaigns/[^"]+/periods/([^"/]+)/review\.(pdf|xlsx))"`)

// TestReviewLinks: the campaign page links the review pack of the period
// it shows, marked provisional while the period is open, and the runs
// screen links the pack of each closed period; every link serves it.
func TestReviewLinks(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.SaveRuleset(context.Background(), slug, testRuleset, "yaml"); err != nil {
		t.Fatal(err)
	}
	f.db.Now = func() time.Time { return time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC) }
	admin := f.client(t)
	admin.signIn("admin")
	runs := "/admin/c/" + slug + "/runs"
	admin.post(runs, runs, url.Values{"action": {"close"}, "period": {"2026-Q3"}, "confirm": {"2026-Q3"}}).want(t, 201)
	admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201)

	anon := f.client(t)
	follow := func(page string, body string, periods ...string) {
		t.Helper()
		links := reviewLink.FindAllStringSubmatch(body, -1)
		var got []string
		for _, l := range links {
			got = append(got, l[2]+"."+l[3])
			r := anon.get(l[1]).want(t, 200)
			want := map[string]string{"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[l[3]]
			if ct := r.Header.Get("Content-Type"); ct != want {
				t.Errorf("%s: %s is %q, want %q", page, l[1], ct, want)
			}
		}
		var want []string
		for _, p := range periods {
			want = append(want, p+".pdf", p+".xlsx")
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s links the packs %v, want %v", page, got, want)
		}
	}
	page := anon.get("/c/"+slug).want(t, 200).has(t, "Báo cáo sơ kết, tổng kết kỳ quý IV/2026", "số liệu tạm tính, kỳ chưa chốt")
	follow("the campaign page", page.Body, "2026-Q4")
	page = anon.get("/c/"+slug+"?period=2026-Q3").want(t, 200).has(t, "Báo cáo sơ kết, tổng kết kỳ quý III/2026").hasNot(t, "số liệu tạm tính")
	follow("the campaign page of 2026-Q3", page.Body, "2026-Q3")
	anon.get("/c/"+slug+"?period=2026-Q3&lang=en").want(t, 200).has(t, "Review pack for Q3 2026")
	page = admin.get(runs).want(t, 200).has(t, "báo cáo sơ kết, tổng kết")
	follow("the runs screen", page.Body, "2026-Q3")
}
