package web_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestCreateUser adds users through the organiser's form under the API's
// rules, with refusals in place, and signs the new officer in.
func TestCreateUser(t *testing.T) {
	f := newFixture(t)
	const form = "/admin/users/new"
	f.client(t).get(form).want(t, 303)
	for _, who := range []string{"officer.a", "judge.x"} {
		if who == "judge.x" {
			addJudges(t, f, who)
		}
		c := f.client(t)
		c.signIn(who)
		c.get(form).want(t, 403)
		req := url.Values{"username": {"sneaky"}, "password": {"sneaky-password"}, "role": {"admin"}}
		c.post("/me", form, req).want(t, 403) // a valid token, but not an organiser
	}
	if _, err := f.db.UserByUsername(context.Background(), "sneaky"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused form created a user: %v", err)
	}

	admin := f.client(t)
	admin.signIn("admin")
	admin.get("/admin").want(t, 200).has(t, `href="/admin/users/new"`, "Tạo tài khoản")
	admin.get(form).want(t, 200).has(t, `type="password"`, `autocomplete="new-password"`,
		"Cán bộ đơn vị", "Giám khảo", "Ban tổ chức")
	admin.get(form+"?lang=en").want(t, 200).has(t, "Unit officer", "Judge", "Organiser", "Add a user")
	admin.get(form+"?lang=vi").want(t, 200) // the language sticks: back to Vietnamese

	post := func(v url.Values) *response { return admin.post(form, form, v) }
	user := func(name, pw, role, unit string) url.Values {
		return url.Values{"username": {name}, "password": {pw}, "role": {role}, "unit": {unit}}
	}
	// Each refusal in place, the input kept but never the password.
	post(user("officer.a", "long-enough", "unit", "P-A")).want(t, 422).
		has(t, `id="e-username"`, "officer.a", "đã có người dùng", `value="officer.a"`, `value="P-A"`).hasNot(t, "long-enough")
	post(user("officer.z", "long-enough", "unit", "NOPE")).want(t, 422).
		has(t, `id="e-unit"`, "không có đơn vị", `value="NOPE"`)
	post(user("officer.z", "short", "unit", "P-A")).want(t, 422).
		has(t, `id="e-password"`, "ít nhất 8 ký tự").hasNot(t, `id="e-username"`)
	post(user("boss", "long-enough", "admin", "P-A")).want(t, 422).
		has(t, `id="e-unit"`, "không thuộc đơn vị nào")
	post(user("officer.z", "long-enough", "unit", "")).want(t, 422).has(t, `id="e-unit"`)
	post(user("ab", "long-enough", "judge", "")).want(t, 422).has(t, `id="e-username"`)
	post(user("có dấu", "long-enough", "judge", "")).want(t, 422).has(t, `id="e-username"`)
	post(user("officer.z", "long-enough", "root", "")).want(t, 422).has(t, `id="e-role"`)

	// A judge needs no unit; an officer then signs in and works for their unit.
	post(user("judge.y", "judge.y-password", "judge", "")).want(t, 201).has(t, `id="created"`, "judge.y", "Giám khảo")
	post(user("officer.z", "officer.z-password", "unit", "P-C")).want(t, 201).
		has(t, `id="created"`, "officer.z", "Cán bộ đơn vị", "P-C").hasNot(t, `value="officer.z"`)
	officer := f.client(t)
	officer.signIn("officer.z")
	officer.get("/me").want(t, 200).has(t, "officer.z", "Phường Cầu Giấy Mới")
	officer.get(form).want(t, 403)
}
