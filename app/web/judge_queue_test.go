package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// rubricRuleset is testRuleset with a weighted rubric whose criteria
// describe their bands of scores.
var rubricRuleset = strings.Replace(testRuleset, `    - {key: innovation, title: Tính sáng tạo, max: 10}
    - {key: effect, title: Hiệu quả, max: 10}
`, `    - key: innovation
      title: Tính sáng tạo
      max: 10
      weight: 3
      description: Cách làm mới đến đâu
      levels:
        - {from: 0, to: 4, text: "Áp dụng lại cách làm quen thuộc"}
        - {from: 5, to: 10, text: "Cách làm mới, lần đầu có ở thành phố"}
    - {key: effect, title: Hiệu quả, max: 10}
`, 1)

// TestJudgeQueue: the judge's queue opens on what is left to score, with
// counts, filters by state and level; the score sheet describes each
// criterion's bands, shows the running total as the committee counts it,
// goes on to the next project in one step, and takes a declaration of a
// conflict of interest, after which the project leaves the queue.
func TestJudgeQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		if !strings.Contains(rubricRuleset, "levels:") {
			t.Fatal("rubricRuleset did not replace testRuleset's rubric")
		}
		if _, err := f.db.SaveRuleset(ctx, slug, rubricRuleset, "yaml"); err != nil {
			t.Fatal(err)
		}
		addJudges(t, f, "judge.x")
		city, err := f.db.CreateProject(ctx, slug, store.NewProject{Unit: "HN", Title: "Bản đồ số Thủ đô", Summary: "Bản đồ", Category: "digital_government"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []int64{f.verified, f.other, city.ID} {
			if _, err := f.db.Assign(ctx, p, "judge.x"); err != nil {
				t.Fatal(err)
			}
		}
		j := f.client(t)
		j.signIn("judge.x")
		j.get("/judge").want(t, 200).has(t, "Chưa chấm (3)", "Đã chấm (0)", "Chợ số phường Ánh Dương", "Bản đồ số Thủ đô",
			`<option value="city">Thành phố (0/1)</option>`, `<option value="commune">Xã, phường (0/2)</option>`)
		j.get("/judge?level=city").want(t, 200).has(t, "Bản đồ số Thủ đô", "Chưa chấm (1)").hasNot(t, "Chợ số phường Ánh Dương")
		j.get("/judge?state=nonsense").want(t, 404)

		// The sheet: bands, weights, the total of what is on record.
		form := fmt.Sprintf("/judge/projects/%d", f.verified)
		j.get(form).want(t, 200).has(t, "Cách làm mới đến đâu", "<strong>0–4</strong>: Áp dụng lại cách làm quen thuộc",
			"trọng số 3", "<strong>0/100</strong>", "tổng 0/20 điểm", `data-weight="3"`, "/static/judge.js?v=")
		// A refused sheet shows the total of what was typed.
		j.post(form, form, url.Values{"c.innovation": {"8"}, "c.effect": {"11"}}).want(t, 422).has(t, "phải từ 0 đến 10", "tổng 18/20 điểm")
		// Save and go on: the next project left to score opens at once.
		r := j.post(form, form, url.Values{"c.innovation": {"8"}, "c.effect": {"6"}, "then": {"next"}}).want(t, 303)
		next := r.Header.Get("Location")
		if want := fmt.Sprintf("/judge/projects/%d?after=%d", f.other, f.verified); next != want {
			t.Errorf("after saving, Location = %q, want %q", next, want)
		}
		j.get(next).want(t, 200).has(t, "Đã ghi nhận phiếu chấm «Chợ số phường Ánh Dương».", "Bình dân học vụ số")
		// 3×0.8 + 1×0.6 of 4: 75/100.
		j.get(form).want(t, 200).has(t, "<strong>75/100</strong>", "tổng 14/20 điểm", "Cập nhật phiếu chấm")
		j.get("/judge").want(t, 200).has(t, "Chưa chấm (2)", "Đã chấm (1)").hasNot(t, "Chợ số phường Ánh Dương")
		j.get("/judge?state=done").want(t, 200).has(t, "Chợ số phường Ánh Dương", `<span class="total">75/100</span>`).hasNot(t, "Bình dân học vụ số")

		// A conflict of interest, declared from the sheet.
		other := fmt.Sprintf("/judge/projects/%d", f.other)
		recuse := other + "/recuse"
		j.post(other, recuse, url.Values{"reason": {" "}}).want(t, 422).has(t, `id="e-reason"`, "<details open>")
		r = j.post(other, recuse, url.Values{"reason": {"Tôi là cán bộ phường Bình Minh"}}).want(t, 303)
		j.get(r.Header.Get("Location")).want(t, 200).has(t, "Đã ghi nhận xung đột lợi ích", "Chưa chấm (1)").hasNot(t, "Bình dân học vụ số")
		j.get(other).want(t, 403)
		j.get("/judge?lang=en").want(t, 200).has(t, "To score (1)", "Scored (1)")
	})
}
