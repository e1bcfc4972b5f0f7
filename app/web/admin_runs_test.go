package web_test

import (
	"context"
	"net/url"
	"testing"
	"time"
)

// TestPeriodPages: on the runs screen a period that has not ended closes
// only ticked early, with a reason, which the history shows; the admin
// reopens it with a reason, and the old close shows as superseded.
func TestPeriodPages(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.SaveRuleset(context.Background(), slug, testRuleset, "yaml"); err != nil {
		t.Fatal(err)
	}
	f.db.Now = func() time.Time { return time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC) }
	admin := f.client(t)
	admin.signIn("admin")
	runs := "/admin/c/" + slug + "/runs"
	admin.get(runs).want(t, 200).has(t, "Chốt sớm, trước khi kỳ kết thúc", `name="reason"`).hasNot(t, "Mở lại kỳ đã chốt")
	closeQ4 := url.Values{"action": {"close"}, "period": {"2026-Q4"}, "confirm": {"2026-Q4"}}
	admin.post(runs, runs, closeQ4).want(t, 422).has(t, `id="e-period"`, "chưa kết thúc")
	closeQ4.Set("early", "on")
	admin.post(runs, runs, closeQ4).want(t, 422).has(t, `id="e-reason"`)
	closeQ4.Set("reason", "Tổng kết năm trước Tết")
	admin.post(runs, runs, closeQ4).want(t, 201).has(t, "Đã chốt kỳ quý IV/2026", "Chốt sớm: Tổng kết năm trước Tết", "Mở lại kỳ đã chốt",
		`<option value="2026-Q4">Quý IV/2026</option>`)

	reopen := "/admin/c/" + slug + "/periods/reopen"
	admin.post(runs, reopen, url.Values{"reopen_period": {"2026-Q4"}}).want(t, 422).has(t, `id="e-reopen_reason"`)
	admin.post(runs, reopen, url.Values{"reopen_period": {"2026-Q3"}, "reopen_reason": {"Sai"}}).want(t, 422).has(t, `id="e-reopen_period"`)
	admin.post(runs, reopen, url.Values{"reopen_period": {"2026-Q4"}, "reopen_reason": {"Phường Bình Minh nhập sai"}}).want(t, 200).
		has(t, "Đã mở lại kỳ quý IV/2026", "Đã thay thế, kỳ được mở lại", "Phường Bình Minh nhập sai").hasNot(t, "Mở lại kỳ đã chốt")
	if closed, err := f.db.ClosedPeriods(context.Background(), slug); err != nil || len(closed) != 0 {
		t.Errorf("closed periods = %v, %v; want none", closed, err)
	}
}
