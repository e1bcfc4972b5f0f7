package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testServer is the service over a test database, driven through app.Test.
type testServer struct {
	t   *testing.T
	db  *store.DB
	srv *Server
}

func testConfig() Config {
	cfg, err := LoadConfig(func(k string) string {
		return map[string]string{"THIDUA_ARGON2_MEMORY_KIB": "1024", "THIDUA_SCHEDULER": "off", "THIDUA_BODY_LIMIT": "65536"}[k]
	})
	if err != nil {
		panic(err)
	}
	return cfg
}

func newTestServer(t *testing.T, db *store.DB) *testServer {
	t.Helper()
	return newTestServerWith(t, db, testConfig())
}

func newTestServerWith(t *testing.T, db *store.DB, cfg Config) *testServer {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &testServer{t: t, db: db, srv: NewServer(cfg, db, filestest.Disk(t), log)}
}

// addUser creates a user directly in the store.
func (ts *testServer) addUser(username, role, unit string) {
	ts.t.Helper()
	hash, err := ts.srv.hasher.Hash(context.Background(), username+"-password")
	if err != nil {
		ts.t.Fatal(err)
	}
	if _, err := ts.db.CreateUser(context.Background(), store.NewUser{Username: username, PasswordHash: hash, Role: role, Unit: unit}); err != nil {
		ts.t.Fatal(err)
	}
}

// addOfficer creates a unit officer with a scope directly in the store.
func (ts *testServer) addOfficer(username, unit, scope string) {
	ts.t.Helper()
	hash, err := ts.srv.hasher.Hash(context.Background(), username+"-password")
	if err != nil {
		ts.t.Fatal(err)
	}
	if _, err := ts.db.CreateUser(context.Background(), store.NewUser{Username: username, PasswordHash: hash,
		Role: policy.Officer, Unit: unit, Scope: scope}); err != nil {
		ts.t.Fatal(err)
	}
}

// as signs in as a user made by addUser; as("") is an anonymous client.
func (ts *testServer) as(username string) *client {
	ts.t.Helper()
	c := &client{ts: ts}
	if username == "" {
		return c
	}
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": username + "-password"})
	r.want(200)
	var s struct{ Token string }
	r.decode(&s)
	c.token = s.Token
	return c
}

type client struct {
	ts     *testServer
	token  string
	header map[string]string
}

type response struct {
	t      *testing.T
	req    string
	Status int
	Body   []byte
	Header http.Header
}

// upload is a file sent as the multipart field "file".
type upload struct {
	name string
	data []byte
}

// do sends body as JSON (a string or []byte is sent as it is, an upload as
// a multipart form).
func (c *client) do(method, path string, body any) *response {
	c.ts.t.Helper()
	var raw []byte
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case upload:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, err := mw.CreateFormFile("file", b.name)
		if err != nil {
			c.ts.t.Fatal(err)
		}
		fw.Write(b.data)
		mw.Close()
		raw, ctype = buf.Bytes(), mw.FormDataContentType()
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.ts.t.Fatal(err)
		}
		raw = j
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	header := req.Header.Clone()
	resp, err := c.ts.srv.App().Test(req, -1)
	if err != nil {
		c.ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := checkOpenAPI(c.ts.t, c.ts.srv.openapi, method, path, header, raw, resp.StatusCode, resp.Header, b); err != nil {
		c.ts.t.Errorf("OpenAPI: %v", err)
	}
	return &response{t: c.ts.t, req: method + " " + path, Status: resp.StatusCode, Body: b, Header: resp.Header}
}

func (r *response) want(status int) *response {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("%s = %d %s, want %d", r.req, r.Status, r.Body, status)
	}
	return r
}

func (r *response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("%s: decode %s: %v", r.req, r.Body, err)
	}
}

// problem decodes a problem document and checks its content type.
func (r *response) problem() problem {
	r.t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Fatalf("%s: Content-Type = %q, want application/problem+json", r.req, ct)
	}
	var p problem
	r.decode(&p)
	return p
}

// fields lists the problem's invalid fields.
func (p problem) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// fixture is a small campaign: the city, two wards (one with a Women's
// Union), users for each role.
func fixture(t *testing.T, db *store.DB) *testServer {
	t.Helper()
	return fixtureWith(t, db, testConfig())
}

// fixtureWith is the fixture on a server of the configuration cfg.
func fixtureWith(t *testing.T, db *store.DB, cfg Config) *testServer {
	t.Helper()
	ts := newTestServerWith(t, db, cfg)
	ctx := context.Background()
	_, err := db.ImportUnits(ctx, []store.NewUnit{
		{Code: "HN", Name: "Ủy ban MTTQ Việt Nam thành phố Hà Nội", Level: "city", Kind: "front"},
		{Code: "P-DINHCONG", Name: "Phường Định Công", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
		{Code: "P-DINHCONG-PN", Name: "Hội LHPN phường Định Công", Level: "commune", Kind: "womens_union", Parent: "P-DINHCONG", Clusters: []string{"khoi-pn"}},
		{Code: "P-HOANKIEM", Name: "Phường Hoàn Kiếm", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
	}, []int{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	ts.addUser("admin", policy.Admin, "")
	ts.addUser("dinhcong", policy.Officer, "P-DINHCONG")
	ts.addUser("hoankiem", policy.Officer, "P-HOANKIEM")
	ts.addUser("judge", policy.Judge, "")
	admin := ts.as("admin")
	admin.do("POST", "/api/v1/campaigns", map[string]any{
		"slug": "cds", "name": "Công dân số cùng Thủ đô vươn mình", "starts_on": "2025-04-01", "ends_on": "2026-12-31", "units": "all",
	}).want(201)
	for _, ind := range []map[string]any{
		{"key": "staff_trained", "title": "Cán bộ được tập huấn kỹ năng số", "unit": "percent", "target": 1},
		{"key": "cashless", "title": "Giao dịch không dùng tiền mặt", "unit": "percent", "target": 0.8},
	} {
		admin.do("POST", "/api/v1/campaigns/cds/indicators", ind).want(201)
	}
	return ts
}

// eachDB runs a test on a fresh fixture on both databases.
func eachDB(t *testing.T, fn func(t *testing.T, ts *testServer)) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) { fn(t, fixture(t, db)) })
}

func urlQuery(s string) string { return url.QueryEscape(s) }
