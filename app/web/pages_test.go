package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/app"
	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const slug = "cong-dan-so"

// fixture is a small campaign: a city Front, two wards with officers, an
// admin, two indicators, and projects in several states.
type fixture struct {
	db       *store.DB
	srv      *app.Server
	verified int64 // a verified project of P-A, "Chợ số phường A"
	other    int64 // a project of P-B
}

// newFixture builds the fixture on SQLite; env sets configuration
// ("KEY=value").
func newFixture(t *testing.T, env ...string) *fixture {
	t.Helper()
	return newFixtureOn(t, dbtest.SQLite(t), env...)
}

// newFixtureOn builds the fixture on a database, for the tests run on both
// (dbtest.Each).
func newFixtureOn(t *testing.T, db *store.DB, env ...string) *fixture {
	t.Helper()
	ctx := context.Background()
	vars := map[string]string{"THIDUA_ARGON2_MEMORY_KIB": "1024", "THIDUA_SCHEDULER": "off", "THIDUA_KEEP_RUNS": "2"}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	cfg, err := app.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, srv: app.NewServer(cfg, db, filestest.Disk(t), slog.New(slog.NewTextHandler(io.Discard, nil)))}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.SaveClusters(ctx, []store.Cluster{{Code: "cum-1", Name: "Cụm thi đua số 1"}}))
	for _, u := range []store.NewUnit{
		{Code: "HN", Name: "Ủy ban MTTQ thành phố Hà Nội", Level: "city", Kind: "front"},
		{Code: "P-A", Name: "Phường Ánh Dương", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
		{Code: "P-B", Name: "Phường Bình Minh", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
		{Code: "P-C", Name: "Phường Cầu Giấy Mới", Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{"cum-1"}},
	} {
		_, err := db.CreateUnit(ctx, u)
		must(err)
	}
	hasher := password.New(1024, 1)
	for _, u := range []store.NewUser{
		{Username: "admin", Role: policy.Admin},
		{Username: "officer.a", Role: policy.Officer, Unit: "P-A"},
		{Username: "officer.b", Role: policy.Officer, Unit: "P-B"},
	} {
		u.PasswordHash, err = hasher.Hash(ctx, u.Username+"-password")
		must(err)
		_, err = db.CreateUser(ctx, u)
		must(err)
	}
	_, err = db.CreateCampaign(ctx, store.NewCampaign{Slug: slug, Name: "Công dân số cùng Thủ đô vươn mình",
		StartsOn: date(t, "2025-04-01"), EndsOn: date(t, "2030-12-31"), AllUnits: true})
	must(err)
	for _, in := range []store.Indicator{
		{Key: "cashless", Title: "Tỷ lệ giao dịch không dùng tiền mặt", Unit: "percent", Target: 0.8},
		{Key: "projects", Title: "Số công trình chuyển đổi số", Unit: "count", Target: 1},
	} {
		_, err := db.CreateIndicator(ctx, slug, in)
		must(err)
	}
	project := func(unit, title, category string, statuses ...string) int64 {
		p, err := db.CreateProject(ctx, slug, store.NewProject{Unit: unit, Title: title, Summary: "Mô tả " + title, Category: category})
		must(err)
		for _, st := range statuses {
			_, err := db.UpdateProject(ctx, p.ID, store.ProjectChanges{Status: &st})
			must(err)
		}
		return p.ID
	}
	f.verified = project("P-A", "Chợ số phường Ánh Dương", "cashless", store.StatusInProgress, store.StatusCompleted, store.StatusVerified)
	f.other = project("P-B", "Bình dân học vụ số", "digital_skills", store.StatusInProgress, store.StatusCompleted)
	return f
}

func date(t *testing.T, s string) store.Date {
	d, err := store.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// client is a browser without JavaScript: it keeps cookies and reads forms.
type client struct {
	t       *testing.T
	f       *fixture
	cookies map[string]*http.Cookie
}

// addUser creates a user whose password is its username + "-password".
func (f *fixture) addUser(t *testing.T, u store.NewUser) {
	t.Helper()
	hash, err := password.New(1024, 1).Hash(context.Background(), u.Username+"-password")
	if err != nil {
		t.Fatal(err)
	}
	u.PasswordHash = hash
	if _, err := f.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) client(t *testing.T) *client {
	return &client{t: t, f: f, cookies: map[string]*http.Cookie{}}
}

type response struct {
	Status int
	Header http.Header
	Body   string
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	resp, err := c.f.srv.App().Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	return c.do(httptest.NewRequest("GET", path, nil))
}

// post sends a form with the CSRF token of the page at from.
func (c *client) post(from, path string, form url.Values) *response {
	c.t.Helper()
	form.Set("_csrf", c.token(from))
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// attach is a file a form sends.
type attach struct {
	field, name string
	data        []byte
}

// postFiles sends a multipart form, with files, and the CSRF token of the
// page at from.
func (c *client) postFiles(from, path string, form url.Values, files ...attach) *response {
	c.t.Helper()
	form.Set("_csrf", c.token(from))
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, bytes.NewReader(buf.Bytes()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// token reads the CSRF token of a page's form.
func (c *client) token(path string) string {
	c.t.Helper()
	r := c.get(path).want(c.t, 200)
	m := csrfField.FindStringSubmatch(r.Body)
	if m == nil {
		c.t.Fatalf("GET %s: no CSRF token in the page", path)
	}
	return m[1]
}

func (c *client) signIn(username string) {
	c.t.Helper()
	r := c.post("/login", "/login", url.Values{"username": {username}, "password": {username + "-password"}})
	r.want(c.t, 303)
}

func (r *response) want(t *testing.T, status int) *response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body:\n%s", r.Status, status, r.Body)
	}
	return r
}

func (r *response) has(t *testing.T, texts ...string) *response {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	return r
}

func (r *response) hasNot(t *testing.T, texts ...string) *response {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) {
			t.Errorf("page has %q", s)
		}
	}
	return r
}

func TestPublicPages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for _, tc := range []struct {
		path   string
		vi, en []string
	}{
		{"/", []string{`<html lang="vi"`, "Công dân số cùng Thủ đô vươn mình", "đơn vị tham gia", "50%"},
			[]string{`<html lang="en"`, "participating units"}},
		{"/c/" + slug, []string{"Bảng xếp hạng chưa được công bố", "Tỷ lệ giao dịch không dùng tiền mặt", "80%", "<caption>"},
			[]string{"The ranking is not published yet"}},
		{"/c/" + slug + "/coverage", []string{"Phường Cầu Giấy Mới", "Cụm thi đua số 1", `scope="row"`},
			[]string{"Units without a project"}},
		{"/c/" + slug + "/projects", []string{"Chợ số phường Ánh Dương", "Bình dân học vụ số", "Đã công nhận"},
			[]string{"Verified", "Completed"}},
		{"/c/" + slug + "/u/P-A", []string{"Phường Ánh Dương", "Ủy ban MTTQ thành phố Hà Nội", "Cụm thi đua số 1", "Chợ số phường Ánh Dương", "chưa ký giao ước"},
			[]string{"has not signed its covenant"}},
		{fmt.Sprintf("/projects/%d", f.verified), []string{"Chợ số phường Ánh Dương", "Lịch sử trạng thái", "Đã công nhận"},
			[]string{"Status history"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c.get(tc.path).want(t, 200).has(t, tc.vi...)
			sep := "?"
			if strings.Contains(tc.path, "?") {
				sep = "&"
			}
			c.get(tc.path+sep+"lang=en").want(t, 200).has(t, tc.en...)
			c.get(tc.path+sep+"lang=vi").want(t, 200)
		})
	}
	c.get("/c/no-such-campaign").want(t, 404).has(t, "Không tìm thấy")
	c.get("/projects/999999").want(t, 404)
	c.get("/projects/abc").want(t, 404)
}

func TestLanguageSwitchSticks(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.get("/").want(t, 200).has(t, `href="/?lang=en"`, ">English<")
	c.get("/?lang=en").want(t, 200)
	if ck := c.cookies["lang"]; ck == nil || ck.Value != "en" || !ck.HttpOnly {
		t.Fatalf("lang cookie = %v, want en, HttpOnly", ck)
	}
	c.get("/c/"+slug).want(t, 200).has(t, `<html lang="en"`, "Leaderboard")
}

func TestGallery(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	r := c.get("/c/"+slug+"/projects").want(t, 200)
	if v, o := strings.Index(r.Body, "Chợ số phường"), strings.Index(r.Body, "Bình dân học vụ số"); v < 0 || o < v {
		t.Errorf("verified project at %d, completed at %d: want verified first", v, o)
	}
	// Without accents, and as htmx asks: the results alone.
	req := httptest.NewRequest("GET", "/c/"+slug+"/projects?q=cho+so", nil)
	req.Header.Set("HX-Request", "true")
	c.do(req).want(t, 200).has(t, "Chợ số phường Ánh Dương").hasNot(t, "Bình dân học vụ số", "<html")
	c.get("/c/"+slug+"/projects?status=in_progress").want(t, 200).has(t, "Không có công trình nào phù hợp")
	c.get("/c/"+slug+"/projects?cursor=zz").want(t, 400)
}

// TestGalleryHonoured shows projects named by an honour first, with the
// honour's title, and once.
func TestGalleryHonoured(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.GrantHonour(context.Background(), slug, store.NewHonour{Unit: "P-B", Title: "Mô hình tiêu biểu",
		Period: "2025-Q2", Citation: "Vì thành tích", Scope: "decision", Project: &f.other}); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	r := c.get("/c/"+slug+"/projects").want(t, 200).has(t, "Được khen thưởng:", "<strong>Mô hình tiêu biểu</strong>")
	if h, v := strings.Index(r.Body, "Bình dân học vụ số"), strings.Index(r.Body, "Chợ số phường"); h < 0 || v < h {
		t.Errorf("honoured (completed) project at %d, verified at %d: want the honoured one first", h, v)
	}
	if n := strings.Count(r.Body, fmt.Sprintf(`href="/projects/%d"`, f.other)); n != 1 {
		t.Errorf("the honoured project shows %d times, want once", n)
	}
	c.get("/c/"+slug+"/projects?lang=en").want(t, 200).has(t, "Honoured:")
	c.get("/c/"+slug+"/projects?q=cho+so").want(t, 200).hasNot(t, "Mô hình tiêu biểu", "Bình dân học vụ số")
	c.get("/c/"+slug+"/projects?category=digital_skills").want(t, 200).has(t, "Mô hình tiêu biểu").hasNot(t, "Chợ số phường")
}

func TestGalleryPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 30 {
		p, err := f.db.CreateProject(ctx, slug, store.NewProject{Unit: "P-C", Title: fmt.Sprintf("Mô hình %02d", i), Category: "community"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{store.StatusInProgress, store.StatusCompleted} {
			if _, err := f.db.UpdateProject(ctx, p.ID, store.ProjectChanges{Status: &st}); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := f.client(t)
	seen := map[string]int{}
	next := "/c/" + slug + "/projects"
	more := regexp.MustCompile(`<div id="more"><a role="button" class="outline" href="([^"]+)"`)
	title := regexp.MustCompile(`<a href="/projects/\d+">([^<]+)</a>`)
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("the gallery does not end")
		}
		r := c.get(next).want(t, 200)
		for _, m := range title.FindAllStringSubmatch(r.Body, -1) {
			seen[m[1]]++
		}
		next = ""
		if m := more.FindStringSubmatch(r.Body); m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != 32 {
		t.Errorf("the gallery showed %d projects, want 32", len(seen))
	}
	for s, n := range seen {
		if n != 1 {
			t.Errorf("%q shown %d times", s, n)
		}
	}
}

func TestSignInAndOut(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.get("/me").want(t, 303)
	r := c.post("/login", "/login", url.Values{"username": {"officer.a"}, "password": {"wrong"}})
	r.want(t, 401).has(t, "Sai tên đăng nhập hoặc mật khẩu", `value="officer.a"`)
	c.signIn("officer.a")
	ck := c.cookies["thidua_session"]
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Expires.IsZero() {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, with an expiry", ck)
	}
	c.get("/me").want(t, 200).has(t, "officer.a", "Phường Ánh Dương", "Đăng ký thêm công trình")
	c.post("/me", "/logout", url.Values{}).want(t, 303)
	c.get("/me").want(t, 303)
}

func TestLoginNext(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	r := c.post("/login", "/login", url.Values{"username": {"officer.a"}, "password": {"officer.a-password"}, "next": {"//evil.example/"}})
	if loc := r.want(t, 303).Header.Get("Location"); loc != "/me" {
		t.Errorf("Location = %q, want /me", loc)
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	a, b := f.client(t), f.client(t)
	a.signIn("officer.a")
	b.signIn("officer.b")
	form := url.Values{"title": {"Dự án"}, "category": {"community"}}
	post := func(c *client, token string) *response {
		form.Set("_csrf", token)
		req := httptest.NewRequest("POST", "/c/"+slug+"/projects/new", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return c.do(req)
	}
	post(a, "").want(t, 403).has(t, "hết hạn")
	post(a, b.token("/me")).want(t, 403) // a token of another session
	post(a, a.token("/me")).want(t, 303)
	// Signing in needs the pre-session cookie of the form's page.
	stranger := f.client(t)
	req := httptest.NewRequest("POST", "/login", strings.NewReader("username=officer.a&password=officer.a-password&_csrf=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	stranger.do(req).want(t, 403)
}

func TestRegisterProject(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("officer.a")
	newForm := "/c/" + slug + "/projects/new"

	r := c.post(newForm, newForm, url.Values{"title": {""}, "category": {"nope"}, "starts_on": {"2025-06-01"}, "ends_on": {"2025-05-01"}})
	r.want(t, 422).has(t, "Hãy sửa các mục sau", `id="e-title"`, `id="e-category"`, `id="e-ends_on"`,
		"Ngày kết thúc phải sau ngày bắt đầu", `aria-invalid="true"`, `value="2025-06-01"`).hasNot(t, "category ", "nope")

	// The officer of one unit registers for it; a form naming another unit
	// is refused on the server.
	c.post(newForm, newForm, url.Values{"unit": {"P-B"}, "title": {"Tổ công nghệ số cộng đồng"}, "category": {"community"}}).
		want(t, 403).has(t, `id="e-unit"`)
	r = c.post(newForm, newForm, url.Values{"title": {"Tổ công nghệ số cộng đồng"}, "category": {"community"}})
	r.want(t, 303)
	// The project's page confirms the registration.
	c.get(r.Header.Get("Location")).want(t, 200).has(t, `id="done"`, "Đã đăng ký công trình.", "Tổ công nghệ số cộng đồng", "Phường Ánh Dương")
	loc, _, _ := strings.Cut(r.Header.Get("Location"), "?")
	c.get(loc).want(t, 200).has(t, "Tổ công nghệ số cộng đồng", "Phường Ánh Dương", "Đã đăng ký").hasNot(t, `id="done"`)
	c.get("/c/"+slug+"/u/P-A").want(t, 200).has(t, "Tổ công nghệ số cộng đồng")

	// Edit it and move it along; a unit officer cannot verify it.
	edit := loc + "/edit"
	c.post(edit, edit, url.Values{"title": {"Tổ công nghệ số"}, "category": {"community"}, "status": {"verified"}}).
		want(t, 403).has(t, `id="e-status"`)
	c.post(edit, edit, url.Values{"title": {"Tổ công nghệ số"}, "category": {"community"}, "status": {"in_progress"}}).want(t, 303)
	c.get(loc).want(t, 200).has(t, "Tổ công nghệ số", "Đang thực hiện")

	// Progress with evidence.
	prog := loc + "/progress"
	c.post(prog, prog, url.Values{"note": {"Đã hướng dẫn 120 hộ"}, "evidence": {"javascript:alert(1)"}}).
		want(t, 422).has(t, `id="e-evidence"`, "Đường dẫn minh chứng phải là một URL http(s) hợp lệ").hasNot(t, "evidence_urls")
	c.post(prog, prog, url.Values{"note": {"Đã hướng dẫn 120 hộ"}, "figures": {"ho_gia_dinh = Inf"}}).
		want(t, 422).has(t, `id="e-figures"`)
	c.post(prog, prog, url.Values{"note": {"Đã hướng dẫn 120 hộ"}, "evidence": {"https://example.vn/anh.jpg"}, "figures": {"ho_gia_dinh = 120"}}).want(t, 303)
	c.get(loc).want(t, 200).has(t, "Đã hướng dẫn 120 hộ", `href="https://example.vn/anh.jpg"`, "ho_gia_dinh: 120")

	// Another unit's project is out of reach.
	other := fmt.Sprintf("/projects/%d", f.other)
	c.get(other+"/edit").want(t, 403)
	c.get(other+"/progress").want(t, 403)

	// A verified project's content is the organisers': no edit for its officer.
	verified := fmt.Sprintf("/projects/%d", f.verified)
	c.get(verified).want(t, 200).hasNot(t, `href="`+verified+`/edit"`)
	c.post(verified+"/edit", verified+"/edit", url.Values{"title": {"Sửa sau khi đã công nhận"}, "category": {"cashless"}, "status": {"verified"}}).
		want(t, 422).has(t, "nội dung đã chốt")
	admin := f.client(t)
	admin.signIn("admin")
	admin.get(verified).want(t, 200).has(t, `href="`+verified+`/edit"`)
}

func TestAdoptProject(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("officer.b")
	page := fmt.Sprintf("/projects/%d", f.verified)
	c.get(page).want(t, 200).has(t, "Nhân rộng mô hình này")
	form := fmt.Sprintf("/c/%s/projects/new?adopted_from=%d", slug, f.verified)
	c.post(form, "/c/"+slug+"/projects/new", url.Values{"title": {"Chợ số phường Bình Minh"}, "category": {"cashless"},
		"adopted_from": {fmt.Sprint(f.verified)}}).want(t, 303)
	c.get(page).want(t, 200).has(t, "Được nhân rộng bởi 1 đơn vị", "Chợ số phường Bình Minh")
}

func TestReportAndCovenant(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("officer.a")
	form := "/c/" + slug + "/u/P-A/report"
	now := f.db.Now()
	period := now.Format("2006-01")
	// The form opens on the latest period that has ended, each period marked.
	last := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	lastName := fmt.Sprintf("Tháng %d/%d", last.Month(), last.Year())
	c.get(form).want(t, 200).has(t, `<option value="`+last.Format("2006-01")+`" selected>`+lastName+` · `, `value="2025-04">Tháng 4/2025 · còn thiếu, đã quá hạn</option>`,
		fmt.Sprintf(`value="%s">Tháng %d/%d · đang diễn ra (hạn `, period, now.Month(), now.Year()))
	c.post(form, form, url.Values{"period": {period}, "v.cashless": {"120"}}).want(t, 422).has(t, "từ 0 đến 100")
	c.post(form, form, url.Values{"period": {period}}).want(t, 422).has(t, "ít nhất một số liệu")
	for _, notANumber := range []string{"NaN", "Inf", "-Inf", "1e999"} {
		c.post(form, form, url.Values{"period": {period}, "v.cashless": {notANumber}}).want(t, 422).has(t, `id="e-v.cashless"`)
	}
	c.post(form, form, url.Values{"period": {"2024-01"}, "v.cashless": {"50"}}).want(t, 422)
	r := c.post(form, form, url.Values{"period": {period}, "v.cashless": {"62,5"}, "v.projects": {"2"}}).want(t, 303)
	c.get(r.Header.Get("Location")).want(t, 200).has(t, "Đã ghi nhận báo cáo", `value="62.5"`,
		fmt.Sprintf(`value="%s" selected>Tháng %d/%d · đã báo cáo</option>`, period, now.Month(), now.Year()))
	c.get("/c/"+slug+"/u/P-A").want(t, 200).has(t, "62,5%", "Đơn vị đã báo cáo 1 kỳ")

	cov := "/c/" + slug + "/u/P-A/covenant"
	c.get(cov).want(t, 200).has(t, `value="80"`, "Ký giao ước")
	c.post(cov, cov, url.Values{"v.cashless": {"90"}, "v.projects": {"3"}}).want(t, 303)
	c.get(cov).want(t, 200).has(t, `value="90"`, "Cập nhật giao ước")
	c.get("/c/"+slug+"/u/P-A").want(t, 200).has(t, "Đã ký giao ước", "90%")

	c.get("/c/"+slug+"/u/P-B/report").want(t, 403)
	c.get("/c/"+slug+"/u/P-B/covenant").want(t, 403)
}

func TestImportUnits(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	upload := func(csv string) *response {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("_csrf", c.token("/admin/units/import"))
		part, _ := w.CreateFormFile("file", "units.csv")
		part.Write([]byte(csv))
		w.Close()
		req := httptest.NewRequest("POST", "/admin/units/import", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return c.do(req)
	}
	c.get("/admin/units/import").want(t, 303)
	officer := f.client(t)
	officer.signIn("officer.a")
	officer.get("/admin/units/import").want(t, 403)
	c.signIn("admin")
	upload("code,name,level,kind,parent,clusters\nP-D,Phường Đông,commune,front,HN,cum-1\nP-A,Trùng mã,commune,front,NOPE,\n").
		want(t, 422).has(t, "<th scope=\"row\" class=\"num\">3</th>", "đã có đơn vị mã P-A", "không có đơn vị cấp trên NOPE")
	upload("name\n").want(t, 422).has(t, "header")
	upload("code,name,level,kind,parent,clusters\nP-D,Phường Đông,commune,front,HN,cum-1\n").want(t, 201).has(t, "Đã nhập 1 đơn vị")
	c.get("/c/"+slug+"/u/P-D").want(t, 200).has(t, "Phường Đông")
}

func TestStaticAssets(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	home := c.get("/").want(t, 200)
	m := regexp.MustCompile(`href="(/static/pico\.min\.css\?v=([0-9a-f]+))"`).FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatal("the page does not link the versioned Pico CSS")
	}
	req := httptest.NewRequest("GET", m[1], nil)
	req.Header.Set("Accept-Encoding", "gzip")
	r := c.do(req).want(t, 200)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control = %q, want immutable", cc)
	}
	if r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("ETag") != `"`+m[2]+`"` {
		t.Errorf("headers = %v, want gzip and the ETag %q", r.Header, m[2])
	}
	req = httptest.NewRequest("GET", m[1], nil)
	req.Header.Set("If-None-Match", `"`+m[2]+`"`)
	c.do(req).want(t, 304)
	c.get("/static/nope.js").want(t, 404)
	if strings.Contains(home.Body, "//cdn") || regexp.MustCompile(`(src|href)="https?://`).MatchString(home.Body) {
		t.Error("the page loads something from outside the binary")
	}
}
