package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// fuzzServer is the service over an embedded database with a city, a ward
// and its Women's Union, a campaign, and an admin's token.
func fuzzServer(f *testing.F) (*Server, string) {
	ctx := context.Background()
	db := dbtest.SQLite(f)
	srv := NewServer(testConfig(), db, filestest.Disk(f), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := db.ImportUnits(ctx, []store.NewUnit{
		{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"},
		{Code: "P-DINHCONG", Name: "Phường Định Công", Level: "commune", Kind: "front", Parent: "HN"},
		{Code: "P-DINHCONG-PN", Name: "Hội LHPN phường Định Công", Level: "commune", Kind: "womens_union", Parent: "P-DINHCONG"},
	}, []int{1, 2, 3}); err != nil {
		f.Fatal(err)
	}
	hash, err := srv.hasher.Hash(ctx, "admin-password")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, store.NewUser{Username: "admin", PasswordHash: hash, Role: policy.Admin}); err != nil {
		f.Fatal(err)
	}
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "cds", Name: "Công dân số", Organiser: "HN", AllUnits: true,
		StartsOn: date(f, "2025-04-01"), EndsOn: date(f, "2026-12-31")}); err != nil {
		f.Fatal(err)
	}
	if _, err := db.CreateIndicator(ctx, "cds", store.Indicator{Key: "cashless", Title: "Không tiền mặt", Unit: "percent", Target: 0.8}); err != nil {
		f.Fatal(err)
	}
	if _, err := db.CreateProject(ctx, "cds", store.NewProject{Unit: "P-DINHCONG", Title: "Chợ số", Category: "cashless"}); err != nil {
		f.Fatal(err)
	}
	sess, err := srv.svc.SignIn(ctx, "admin", "admin-password", "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	return srv, sess.Token
}

func date(tb testing.TB, s string) store.Date {
	d, err := store.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// send makes a request as the admin and checks what any answer must be: no
// 5xx, and a failure is a problem document.
func send(t *testing.T, srv *Server, token, method, path, ctype string, body []byte) int {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	out, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode >= 500:
		t.Fatalf("%s %s %q = %d %s", method, path, body, resp.StatusCode, out)
	case resp.StatusCode >= 400:
		var p problem
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") || json.Unmarshal(out, &p) != nil || p.Status != resp.StatusCode {
			t.Fatalf("%s %s %q = %d with a body that is no problem: %s", method, path, body, resp.StatusCode, out)
		}
	}
	return resp.StatusCode
}

// FuzzJSONBodies sends any body to the API's writes: it is stored or
// refused with a problem, never a failure of the service.
func FuzzJSONBodies(f *testing.F) {
	srv, token := fuzzServer(f)
	writes := []struct{ method, path string }{
		{"POST", "/api/v1/users"},
		{"POST", "/api/v1/units"},
		{"POST", "/api/v1/campaigns"},
		{"POST", "/api/v1/campaigns/cds/indicators"},
		{"POST", "/api/v1/campaigns/cds/projects"},
		{"PATCH", "/api/v1/projects/1"},
		{"PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/covenant"},
		{"PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08"},
		{"POST", "/api/v1/campaigns/cds/honours"},
		{"POST", "/api/v1/campaigns/cds/judges"},
		{"POST", "/api/v1/campaigns/cds/assignments"},
		{"POST", "/api/v1/campaigns/cds/runs"},
	}
	for i, seed := range []string{
		`{"username":"u1","password":"mật-khẩu-dài","role":"unit","unit":"P-DINHCONG","scope":"subtree"}`,
		`{"code":"T-1","name":"Tổ 1","level":"group","kind":"digital_team","parent":"P-DINHCONG","clusters":["a"]}`,
		`{"slug":"x","name":"X","starts_on":"2026-01-01","ends_on":"2026-12-31","units":["P-DINHCONG"],"organiser":"HN"}`,
		`{"key":"k","title":"K","unit":"percent","target":0.5}`,
		`{"unit":"P-DINHCONG","title":"T","category":"community","starts_on":"2026-01-01","adopted_from":1}`,
		`{"status":"rejected","reject_reason":"","starts_on":"0001-01-01"}`,
		`{"targets":{"cashless":1e308,"x":-1}}`,
		`{"values":{"cashless":"NaN"}}`,
		`{"unit":"P-DINHCONG","title":"H","period":"2025-Q3","citation":"C","project":-1}`,
		`{"username":"\u0000"}`,
		`{"per_project":100000}`,
		`{"period":"2025-W54","close":true}`,
	} {
		f.Add(uint8(i), []byte(seed))
	}
	f.Add(uint8(0), []byte(`{"username": 3, "password": [], "role": {}}`))
	f.Add(uint8(4), []byte("\xff\xfe{}"))
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		w := writes[int(route)%len(writes)]
		send(t, srv, token, w.method, w.path, "application/json", body)
	})
}

// FuzzUnitImport sends any file to the units import: it is imported whole
// or refused with a problem, and a refused file adds no unit.
func FuzzUnitImport(f *testing.F) {
	srv, token := fuzzServer(f)
	for _, seed := range []string{
		"code,name,level,kind,parent,clusters\nY-1,Tổ Y,group,digital_team,P-DINHCONG,a;b\n",
		"\xef\xbb\xbfcode,name,level,kind,parent,clusters\nY-2,\"Tổ, có phẩy\",group,digital_team,Y-3,\nY-3,Tổ 3,group,digital_team,HN,\n",
		"code,name,level,kind,parent,clusters\nY-4,Tổ,group,digital_team,NOPE,\nY-4,Tổ,group,digital_team,HN,\n",
		"code,name\n\"unterminated\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	count := func(t *testing.T) int {
		var n int
		if err := srv.db.SQL().QueryRow("SELECT COUNT(*) FROM units").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		before := count(t)
		status := send(t, srv, token, "POST", "/api/v1/units/import", "text/csv", file)
		if after := count(t); status >= 400 && after != before {
			t.Fatalf("a refused file (%d) added %d units", status, after-before)
		}
	})
}
