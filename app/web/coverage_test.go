package web_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestCoveragePages: the coverage page lists the units without a project
// a hundred at a time, with links to the pages after and before, and the
// counts of every unit on each page.
func TestCoveragePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		units := make([]store.NewUnit, 230)
		lines := make([]int, len(units))
		for i := range units {
			units[i] = store.NewUnit{Code: fmt.Sprintf("T-%03d", i), Name: fmt.Sprintf("Tổ dân phố số %d", i), Level: "group", Kind: "front", Parent: "HN"}
			lines[i] = i + 2
		}
		if _, err := db.ImportUnits(context.Background(), units, lines); err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		link := regexp.MustCompile(`href="([^"]+)" rel="(next|prev)"`)
		links := func(r *response) map[string]string {
			out := map[string]string{}
			for _, m := range link.FindAllStringSubmatch(r.Body, -1) {
				out[m[2]] = html.UnescapeString(m[1])
			}
			return out
		}
		code := regexp.MustCompile(`/u/([A-Z0-9-]+)"`)
		codes := func(r *response) string { return fmt.Sprint(code.FindAllStringSubmatch(r.Body, -1)) }
		rows := func(r *response) int {
			return strings.Count(r.Body, `/u/T-`) + strings.Count(r.Body, `/u/P-C"`) + strings.Count(r.Body, `/u/HN"`)
		}

		// 234 units, 2 with a project: 232 listed, on pages of 100.
		first := c.get("/c/"+slug+"/coverage").want(t, 200).has(t, "<strong>234</strong>", "<strong>232</strong>")
		if n := rows(first); n != 100 {
			t.Errorf("first page lists %d units, want 100", n)
		}
		l := links(first)
		if l["prev"] != "" || l["next"] == "" {
			t.Fatalf("first page links %v, want next only", l)
		}
		second := c.get(l["next"]).want(t, 200).has(t, "<strong>234</strong>", "<strong>232</strong>", "T-098")
		if n := rows(second); n != 100 {
			t.Errorf("second page lists %d units, want 100", n)
		}
		l = links(second)
		third := c.get(l["next"]).want(t, 200)
		if n := rows(third); n != 32 {
			t.Errorf("third page lists %d units, want 32", n)
		}
		if l3 := links(third); l3["next"] != "" || l3["prev"] == "" {
			t.Errorf("last page links %v, want prev only", l3)
		} else if back := c.get(l3["prev"]).want(t, 200); codes(back) != codes(second) || links(back)["next"] != l["next"] {
			t.Errorf("previous of the last page is not the second page: %s", codes(back))
		}
		back := c.get(l["prev"]).want(t, 200)
		if rows(back) != 100 || !strings.Contains(back.Body, `/u/HN"`) || links(back)["prev"] != "" {
			t.Errorf("previous of the second page is not the first page: links %v", links(back))
		}
	})
}
