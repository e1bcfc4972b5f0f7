package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/thidua/thidua/app/webhook"
)

// TestWebhookPages: the admin subscribes a receiver from the page, sees the
// secret once, sends a test event with the button and reads the log; a URL
// the guard refuses is shown beside its field; an officer may not see it.
func TestWebhookPages(t *testing.T) {
	f := newFixture(t, "THIDUA_WEBHOOK_ALLOW_PRIVATE=1")
	rc := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer rc.Close()
	admin := f.client(t)
	admin.signIn("admin")
	admin.get("/admin").want(t, 200).has(t, `href="/admin/webhooks"`)
	admin.get("/admin/webhooks").want(t, 200).has(t, "Webhook: gửi sự kiện sang hệ thống khác", "Chưa có webhook nào.", "Mọi phong trào", "Kỳ được chốt")

	form := url.Values{"url": {"http://10.0.0.1/hook"}, "campaign": {slug}, "events": {"period.closed", "honour.granted"}}
	admin.post("/admin/webhooks", "/admin/webhooks", form).want(t, 422).has(t, `id="e-url"`, "loopback")
	form.Set("url", rc.URL+"/thidua")
	form.Set("secret", "bí-mật-của-cổng-thành-phố")
	r := admin.post("/admin/webhooks", "/admin/webhooks", form).want(t, 201).
		has(t, "chỉ hiện một lần này", `<code id="secret">bí-mật-của-cổng-thành-phố</code>`)
	m := regexp.MustCompile(`href="/admin/webhooks/(\d+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no link to the log:\n%s", r.Body)
	}
	log := "/admin/webhooks/" + m[1]
	admin.get("/admin/webhooks").want(t, 200).has(t, rc.URL+"/thidua", "…-phố").hasNot(t, "bí-mật-của-cổng-thành-phố")
	admin.get(log).want(t, 200).has(t, "Gửi sự kiện thử", "Chưa có lần gửi nào.", "tối đa 10 lần")
	admin.get(log+"?lang=en").want(t, 200).has(t, "Send a test event")

	admin.post(log, log+"/test", url.Values{}).want(t, 303)
	admin.get(log+"?tested=1&lang=vi").want(t, 200).has(t, "Đã xếp sự kiện thử", "Sự kiện thử", "Đang chờ gửi")
	w := webhook.New(f.db, webhook.Options{Guard: webhook.Guard{AllowPrivate: true}})
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	admin.get(log).want(t, 200).has(t, "Đã gửi", `<td class="num">200</td>`).hasNot(t, "Đang chờ gửi")

	officer := f.client(t)
	officer.signIn("officer.a")
	officer.get("/admin/webhooks").want(t, 403)
	officer.get(log).want(t, 403)

	admin.post(log, log+"/delete", url.Values{}).want(t, 303)
	admin.get("/admin/webhooks?deleted=1").want(t, 200).has(t, "Đã xoá webhook", "Chưa có webhook nào.")
	admin.get(log).want(t, 404)
}
