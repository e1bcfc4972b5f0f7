package web_test

import (
	"net/url"
	"testing"
)

// TestVerificationPages: the officer sees each report's status and why it
// was returned, and sends it again; the verifier's screen lists what
// waits, with the unit's earlier figures, to verify or return in one step.
func TestVerificationPages(t *testing.T) {
	f := newFixture(t)
	officer, admin := f.client(t), f.client(t)
	officer.signIn("officer.a")
	admin.signIn("admin")
	report := "/c/" + slug + "/u/P-A/report"
	officer.post(report, report, url.Values{"period": {"2025-07"}, "v.cashless": {"40"}}).want(t, 303)
	officer.post(report, report, url.Values{"period": {"2025-08"}, "v.cashless": {"55"}}).want(t, 303)
	officer.get(report+"?period=2025-08").want(t, 200).has(t, `id="status"`, "Đã gửi, chờ thẩm định", "Các báo cáo đã gửi")

	queue := "/admin/c/" + slug + "/reports"
	admin.get(queue).want(t, 200).has(t, "Thẩm định báo cáo", "Phường Ánh Dương", "2025-08", "<strong>55%</strong>", "Xác nhận số liệu", "Trả lại để sửa")
	verify := queue + "/verify"
	admin.post(queue, verify, url.Values{"unit": {"P-A"}, "period": {"2025-08"}, "decision": {"returned"}}).want(t, 422).has(t, "là bắt buộc")
	admin.post(queue, verify, url.Values{"unit": {"P-A"}, "period": {"2025-08"}, "decision": {"returned"}, "reason": {"Thiếu ảnh minh chứng"}}).want(t, 303)
	officer.get(report+"?period=2025-08").want(t, 200).has(t, "Bị trả lại: Thiếu ảnh minh chứng", "Hãy sửa số liệu rồi gửi lại")
	officer.post(report, report, url.Values{"period": {"2025-08"}, "v.cashless": {"60"}}).want(t, 303)
	admin.post(queue, verify, url.Values{"unit": {"P-A"}, "period": {"2025-08"}, "decision": {"verified"}}).want(t, 303)
	admin.get(queue+"?status=verified").want(t, 200).has(t, "2025-08", "<strong>60%</strong>", "40%") // beside July's 40%
	officer.get(report+"?period=2025-08").want(t, 200).has(t, "Đã được thẩm định")
	officer.get(queue).want(t, 403)
	officer.post(report, verify, url.Values{"unit": {"P-A"}, "period": {"2025-07"}, "decision": {"verified"}}).want(t, 403)
}
