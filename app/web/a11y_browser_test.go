package web_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The widths every page is checked at: a cheap phone (390×844) and a desktop.
var (
	phone   = viewport{"phone", 390, 844}
	desktop = viewport{"desktop", 1280, 900}
)

type viewport struct {
	name          string
	width, height int64
}

// a11yVisits are the pages checked with axe-core: every public page and
// every page of each role, signed in as the demo's accounts.
var a11yVisits = []struct {
	username, password string // "" for a visitor
	paths              []string
}{
	{"", "", []string{"/", "/c/cong-dan-so", "/c/cong-dan-so?scope=cluster:cum-2", "/c/cong-dan-so/u/P-DINHCONG",
		"/c/cong-dan-so/honours", "/c/cong-dan-so/projects", "/c/cong-dan-so/coverage", "/c/dinh-cong-so",
		"/c/dinh-cong-so/u/P-DINHCONG-PN", "/login", "/no-such-page", "/verify/NO-SUCH-SERIAL", "/?lang=en",
		"/c/cong-dan-so/u/P-DINHCONG?lang=en", "/?lang=vi"}},
	{"dinhcong", "demo-unit", []string{"/me", "/c/cong-dan-so/u/P-DINHCONG/report", "/c/cong-dan-so/u/P-DINHCONG/covenant",
		"/c/cong-dan-so/projects/new", "{project}", "{project}/edit", "{project}/progress"}},
	{"mttq.dinhcong", "demo-unit", []string{"/me", "/c/dinh-cong-so/u/P-DINHCONG-PN/report"}},
	{"judge1", "demo-judge", []string{"/me", "/judge", "{assignment}"}},
	{"org.dinhcong", "demo-organiser", []string{"/me", "/admin", "/admin/c/dinh-cong-so/reports"}},
	{"admin", "demo-admin", []string{"/admin", "/admin/units/import", "/admin/users/new", "/admin/campaigns/new",
		"/admin/c/cong-dan-so/indicators", "/admin/c/cong-dan-so/ruleset", "/admin/c/cong-dan-so/judging",
		"/admin/c/cong-dan-so/runs", "/admin/c/cong-dan-so/honours", "/admin/c/dinh-cong-so/reports"}},
}

// accessibilityJourney opens every page of a11yVisits at a phone's and a
// desktop's width and fails on any violation axe-core finds (WCAG 2.0 and
// 2.1, A and AA, and axe's best practices).
func accessibilityJourney(t *testing.T, b *browser, base string) {
	project := b.href(t, base+"/c/cong-dan-so/u/P-DINHCONG", `#projects + ul li:first-child a`)
	for _, v := range a11yVisits {
		if v.username != "" {
			b.signIn(t, base, v.username, v.password)
		}
		for _, path := range v.paths {
			switch path {
			case "{project}":
				path = project
			case "{project}/edit", "{project}/progress":
				path = project + strings.TrimPrefix(path, "{project}")
			case "{assignment}":
				path = b.href(t, base+"/judge", `#assignments tbody tr:first-child a`)
			}
			for _, vp := range []viewport{phone, desktop} {
				b.do(t, b.resize(vp), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
				b.accessible(t, fmt.Sprintf("%s at %d px (%s)", path, vp.width, v.username))
			}
		}
		b.do(t, b.resize(viewport{}))
		if v.username != "" {
			b.signOut(t)
		}
	}
}

// resize emulates the viewport; the zero viewport goes back to the window's.
func (b *browser) resize(vp viewport) chromedp.Action[chromedp.Void] {
	if vp.width == 0 {
		return chromedp.EmulateReset()
	}
	return chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulatePortrait)
}

// href opens page and returns the address of the first link sel finds.
func (b *browser) href(t *testing.T, page, sel string) string {
	t.Helper()
	b.do(t, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(sel)))
	attr, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(sel), "href"))
	if err != nil || attr.Value == "" {
		b.screenshot(t)
		t.Fatalf("the link %s of %s: %q, %v", sel, page, attr.Value, err)
	}
	return attr.Value
}

// axeViolation is one rule axe-core found broken, with the elements at fault.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		Summary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// axeSource is axe-core, vendored for the tests only (testdata/axe).
var axeSource = sync.OnceValues(func() (string, error) {
	src, err := os.ReadFile("testdata/axe/axe.min.js")
	return string(src), err
})

// accessible runs axe-core on the open page and fails on any violation,
// whatever its impact, keeping a screenshot.
func (b *browser) accessible(t *testing.T, what string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	// Injected through the DevTools protocol, which the pages' content
	// security policy (own scripts only) does not govern.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("inject axe-core into %s: %v", what, err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core on %s: %v", what, err)
	}
	if len(found) == 0 {
		return
	}
	var report strings.Builder
	for _, v := range found {
		fmt.Fprintf(&report, "\n%s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&report, "\n    %s: %s", strings.Join(n.Target, " "), strings.ReplaceAll(n.Summary, "\n", " "))
		}
	}
	b.screenshot(t)
	t.Errorf("axe-core finds %d violations on %s:%s", len(found), what, report.String())
}
