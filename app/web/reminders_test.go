package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/remind"
	"github.com/thidua/thidua/app/store"
)

// TestReminderPreview: the admin sees what each person with an address
// gets today, with links back to the site; an organiser only the people of
// its subtree; an officer is refused, a visitor sent to sign in.
func TestReminderPreview(t *testing.T) {
	f := newFixture(t, "THIDUA_PUBLIC_URL=https://thidua.example.vn")
	ctx := context.Background()
	for _, u := range []struct{ name, email string }{{"officer.a", "a@anhduong.vn"}, {"officer.b", ""}} {
		if u.email != "" {
			if _, err := f.db.SetEmail(ctx, u.name, u.email); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.addUser(t, store.NewUser{Username: "officer.c", Role: policy.Officer, Unit: "P-C", Email: "c@caugiay.vn"})
	f.addUser(t, store.NewUser{Username: "org.a", Role: policy.Organiser, Unit: "P-A"})

	admin := f.client(t)
	admin.signIn("admin")
	admin.get("/admin/reminders").want(t, 200).has(t,
		`id="mail-off"`, `id="digest-officer.c"`, "c@caugiay.vn", "Phường Cầu Giấy Mới chưa đăng ký công trình",
		`href="https://thidua.example.vn/c/`+slug+`/projects/new?unit=P-C"`, "Chưa gửi hôm nay").
		hasNot(t, `id="digest-officer.a"`, `id="digest-officer.b"`) // P-A has a project; officer.b has no address
	admin.get("/admin").want(t, 200).has(t, `href="/admin/reminders"`)

	org := f.client(t)
	org.signIn("org.a")
	org.get("/admin/reminders").want(t, 200).has(t, `id="no-reminders"`).hasNot(t, "officer.c")

	officer := f.client(t)
	officer.signIn("officer.c")
	officer.get("/admin/reminders").want(t, 403)
	if r := f.client(t).get("/admin/reminders"); r.Status != 303 {
		t.Errorf("a visitor's preview = %d, want 303 to the sign-in form", r.Status)
	}
}

// TestUnsubscribePage: the link's page asks to confirm (opening it stops
// nothing); confirming stores it, and the person has no more reminders; a
// forged link is not found.
func TestUnsubscribePage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.addUser(t, store.NewUser{Username: "officer.c", Role: policy.Officer, Unit: "P-C", Email: "lan@caugiay.vn"})
	u, _ := f.db.UserByUsername(ctx, "officer.c")
	key, err := f.db.SiteKey(ctx, remind.UnsubscribeKey)
	if err != nil {
		t.Fatal(err)
	}
	link := "/unsubscribe/" + remind.UnsubscribeToken(key, u.ID)

	visitor := f.client(t)
	visitor.get(link).want(t, 200).has(t, "l***@caugiay.vn", `id="unsubscribe"`)
	if u, _ := f.db.UserByUsername(ctx, "officer.c"); u.UnsubscribedAt != nil {
		t.Fatal("opening the link unsubscribed")
	}
	visitor.post(link, link, url.Values{}).want(t, 200).has(t, `id="unsubscribed"`, "Đã ngừng gửi thư nhắc việc tới l***@caugiay.vn")
	if u, _ := f.db.UserByUsername(ctx, "officer.c"); u.UnsubscribedAt == nil {
		t.Fatal("confirming did not unsubscribe")
	}
	visitor.get(link+"?lang=en").want(t, 200).has(t, "No more reminders go to l***@caugiay.vn").hasNot(t, `id="unsubscribe"`)
	digests, err := f.srv.Platform().Reminders().Build(ctx, f.db.Now(), "")
	if err != nil || len(digests) != 0 {
		t.Errorf("digests after unsubscribing = %+v, %v; want none", digests, err)
	}

	other := remind.UnsubscribeToken([]byte("a key that is not the site's...."), u.ID)
	visitor.get("/unsubscribe/"+other).want(t, 404)
	visitor.get("/unsubscribe/nonsense").want(t, 404)
}
