package app

import (
	"slices"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestUserEmail: a user's e-mail address is optional, checked, unique
// without regard to case, changed by those who manage the user and shown
// to the user; nothing is written on a refusal.
func TestUserEmail(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin := ts.as("admin")
		var u store.User
		admin.do("POST", "/api/v1/users", map[string]any{"username": "lan.pn", "password": "mật-khẩu-dài", "role": "unit",
			"unit": "P-DINHCONG-PN", "email": "Lan.Nguyen@DinhCong.Hanoi.gov.vn"}).want(201).decode(&u)
		if u.Email == nil || *u.Email != "Lan.Nguyen@DinhCong.Hanoi.gov.vn" {
			t.Fatalf("created user's email = %v, want the address as given", u.Email)
		}
		admin.do("POST", "/api/v1/users", map[string]any{"username": "no.mail", "password": "mật-khẩu-dài", "role": "judge"}).want(201).decode(&u)
		if u.Email != nil {
			t.Errorf("a user made without an address has email %q, want null", *u.Email)
		}

		for _, bad := range []string{"not-an-address", "a@b@c", "lan@dinhcong.vn\r\nBcc: x@y.vn"} {
			p := admin.do("POST", "/api/v1/users", map[string]any{"username": "bad.mail", "password": "mật-khẩu-dài", "role": "judge",
				"email": bad}).want(422).problem()
			if !slices.Equal(p.fields(), []string{"email"}) {
				t.Errorf("email %q: fields %v, want [email]", bad, p.fields())
			}
		}
		p := admin.do("POST", "/api/v1/users", map[string]any{"username": "lan.two", "password": "mật-khẩu-dài", "role": "judge",
			"email": "lan.nguyen@dinhcong.hanoi.gov.vn"}).want(409).problem()
		if !slices.Equal(p.fields(), []string{"email"}) {
			t.Errorf("a taken address (other case): fields %v, want [email]", p.fields())
		}
		if _, err := ts.db.UserByUsername(t.Context(), "lan.two"); err == nil {
			t.Error("a refused user was created")
		}

		admin.do("PATCH", "/api/v1/users/no.mail", map[string]any{"email": "LAN.NGUYEN@dinhcong.hanoi.gov.vn"}).want(409)
		admin.do("PATCH", "/api/v1/users/no.mail", map[string]any{"email": "x"}).want(422)
		admin.do("PATCH", "/api/v1/users/no.mail", map[string]any{}).want(422)
		admin.do("PATCH", "/api/v1/users/nobody", map[string]any{"email": "a@b.vn"}).want(404)
		admin.do("PATCH", "/api/v1/users/no.mail", map[string]any{"email": " giamkhao@hanoi.gov.vn "}).want(200).decode(&u)
		if u.Email == nil || *u.Email != "giamkhao@hanoi.gov.vn" {
			t.Errorf("after PATCH email = %v, want giamkhao@hanoi.gov.vn", u.Email)
		}
		admin.do("PATCH", "/api/v1/users/lan.pn", map[string]any{"email": ""}).want(200).decode(&u)
		if u.Email != nil {
			t.Errorf("after removing it email = %q, want null", *u.Email)
		}
		// The address freed is free for another.
		admin.do("PATCH", "/api/v1/users/dinhcong", map[string]any{"email": "lan.nguyen@dinhcong.hanoi.gov.vn"}).want(200)

		// The user sees its address, and may not change it itself.
		dc := ts.as("dinhcong")
		dc.do("GET", "/api/v1/me", nil).want(200).decode(&u)
		if u.Email == nil || *u.Email != "lan.nguyen@dinhcong.hanoi.gov.vn" {
			t.Errorf("me: email = %v", u.Email)
		}
		dc.do("PATCH", "/api/v1/users/dinhcong", map[string]any{"email": "khac@vi.du"}).want(403)
	})
}
