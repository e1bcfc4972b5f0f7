package web_test

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestRulesetEditor: a campaign without a ruleset starts from the template
// commented in Vietnamese, which saves as it is; its cron specs are said in
// words; a problem shows on its line of the source; the history lists the
// versions, each with the change from the one before, and an older version
// opens to be restored.
func TestRulesetEditor(t *testing.T) {
	template, err := os.ReadFile("ruleset_template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		admin := f.client(t)
		admin.signIn("admin")
		editor := "/admin/c/" + slug + "/ruleset"
		admin.get(editor).want(t, 200).has(t, `id="template"`, "Bộ quy tắc chấm điểm của phong trào (YAML)",
			"<strong>hằng ngày lúc 02:00</strong>", "<strong>ngày 1 các tháng 1, 4, 7, 10 lúc 00:30</strong>",
			`<li id="L6"><code>  score: &#34;0 2 * * *&#34;`, "⏱ hằng ngày lúc 02:00").
			hasNot(t, `id="versions"`)
		r := admin.post(editor, editor, url.Values{"action": {"save"}, "source": {string(template)}}).want(t, 303)
		admin.get(r.Header.Get("Location")).want(t, 200).has(t, "Đã lưu phiên bản 1", `id="versions"`).hasNot(t, `id="template"`)

		// A problem on line 16 (the has_project criterion's value) and a bad cron on line 7.
		bad := strings.Replace(string(template), `value: "projects.registered >= 1 ? 1 : 0"`, `value: "projects.nonsense >= 1 ? 1 : 0"`, 1)
		bad = strings.Replace(bad, `close: "30 0 1 1,4,7,10 *"`, `close: "61 0 1 1,4,7,10 *"`, 1)
		if bad == string(template) {
			t.Fatal("the template changed: update the test's replacements")
		}
		admin.post(editor, editor, url.Values{"action": {"save"}, "source": {bad}}).want(t, 422).has(t,
			`<a href="#L16">dòng 16</a> · <code>criteria[0].value</code>`, `<li id="L16" class="bad">`,
			`<a href="#L7">dòng 7</a> · <code>schedule.close</code>`, `<li id="L7" class="bad">`,
			"<details id=\"lines\" open>")

		// A second version: the history, the change, the older one opened.
		v2 := strings.Replace(string(template), "weight: 50", "weight: 60", 1)
		admin.post(editor, editor, url.Values{"action": {"save"}, "source": {v2}}).want(t, 303)
		admin.get(editor).want(t, 200).has(t, `href="/admin/c/`+slug+`/ruleset?diff=2#diff"`, `href="/admin/c/`+slug+`/ruleset?version=1"`)
		admin.get(editor+"?diff=2").want(t, 200).has(t, "Phiên bản 2 thay đổi gì so với phiên bản 1",
			`<li class="removed"><span class="ln">15</span><span class="ln"></span>`, "weight: 50",
			`<li class="added"><span class="ln"></span><span class="ln">15</span>`, "weight: 60", `<li class="fold">…</li>`)
		admin.get(editor+"?diff=9").want(t, 404)
		admin.get(editor+"?version=1").want(t, 200).has(t, `id="opened"`, "Đang mở phiên bản 1", "weight: 50")
		admin.get(editor+"?lang=en").want(t, 200).has(t, "Version history", "<strong>every day at 02:00</strong>")
		// Its font draws Vietnamese, served from the binary.
		font := admin.get("/static/dejavu-sans-mono.woff2").want(t, 200)
		if ct := font.Header.Get("Content-Type"); ct != "font/woff2" || !strings.HasPrefix(font.Body, "wOF2") {
			t.Errorf("the editor's font: Content-Type %q, starts %q; want font/woff2", ct, font.Body[:min(4, len(font.Body))])
		}
		admin.get("/static/app.css").want(t, 200).has(t, `src: url(dejavu-sans-mono.woff2) format("woff2")`, `textarea.code`)
		// Only the campaign's organisers.
		officer := f.client(t)
		officer.signIn("officer.a")
		officer.get(editor).want(t, 403)
		officer.get(editor+"?diff=2").want(t, 403)
	})
}
