package remind

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	thmail "github.com/thidua/thidua/app/mail"
	"github.com/thidua/thidua/app/mail/mailtest"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/jobs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const base = "https://thidua.hanoi.gov.vn"

// now is 08:00 in Hanoi on 2 December 2026: the September and October
// reports are overdue (their deadlines were 11 October and 11 November),
// November's is due on 10 December.
var now = time.Date(2026, 12, 2, 8, 0, 0, 0, Zone)

func date(s string) store.Date {
	d, err := store.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fixture: a ward (P-DC) and its Women's Union (P-DC-PN) in a campaign
// reported monthly; the union has a project, reported September (returned)
// and October; the ward has nothing. Officers: pn (the union), dc (the ward,
// scope subtree), hk (another ward, no address), off (unsubscribed); a judge
// gk with the union's project to score.
func fixture(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ImportUnits(ctx, []store.NewUnit{
		{Code: "HN", Name: "Thành phố Hà Nội", Level: "city", Kind: "front"},
		{Code: "P-DC", Name: "Phường Định Công", Level: "commune", Kind: "front", Parent: "HN"},
		{Code: "P-DC-PN", Name: "Hội LHPN phường Định Công", Level: "commune", Kind: "womens_union", Parent: "P-DC"},
		{Code: "P-HK", Name: "Phường Hoàn Kiếm", Level: "commune", Kind: "front", Parent: "HN"},
	}, []int{2, 3, 4, 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "cds", Name: "Công dân số cùng Thủ đô vươn mình", AllUnits: true,
		StartsOn: date("2026-09-01"), EndsOn: date("2026-12-31")}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateIndicator(ctx, "cds", store.Indicator{Key: "staff_trained", Title: "Tập huấn", Unit: "percent", Target: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRuleset(ctx, "cds", `schema: 1
timezone: Asia/Ho_Chi_Minh
period: quarter
reporting:
  every: month
  due_days: 10
criteria:
  - key: trained
    title: Cán bộ được tập huấn
    weight: 100
    value: "kpi.staff_trained / target.staff_trained"
`, "yaml"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role, unit, scope, email string }{
		{"pn", policy.Officer, "P-DC-PN", "", "lan@phunu.dinhcong.vn"},
		{"dc", policy.Officer, "P-DC", policy.Subtree, "Minh@DinhCong.vn"},
		{"hk", policy.Officer, "P-HK", "", ""},
		{"off", policy.Officer, "P-DC", "", "off@dinhcong.vn"},
		{"gk", policy.Judge, "", "", "giamkhao@hanoi.gov.vn"},
	} {
		if _, err := db.CreateUser(ctx, store.NewUser{Username: u.name, PasswordHash: "x", Role: u.role, Unit: u.unit,
			Scope: u.scope, Email: u.email}); err != nil {
			t.Fatal(err)
		}
	}
	off, _ := db.UserByUsername(ctx, "off")
	if _, err := db.Unsubscribe(ctx, off.ID); err != nil {
		t.Fatal(err)
	}
	p, err := db.CreateProject(ctx, "cds", store.NewProject{Unit: "P-DC-PN", Title: "Phụ nữ số", Category: "community"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"09", "10"} {
		end := date("2026-10-01")
		if m == "10" {
			end = date("2026-11-01")
		}
		if _, err := db.PutReport(ctx, "cds", "P-DC-PN", store.ReportPeriod{Key: "2026-" + m, Start: date("2026-" + m + "-01"), End: end},
			map[string]float64{"staff_trained": 0.5}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.VerifyReport(ctx, "cds", "P-DC-PN", "2026-09", "returned", "Thiếu danh sách cán bộ được tập huấn"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddJudge(ctx, "cds", "gk"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Assign(ctx, p.ID, "gk"); err != nil {
		t.Fatal(err)
	}
}

func builder(db *store.DB) *Builder {
	return &Builder{DB: db, Rulesets: jobs.NewRulesets(db), DueDays: 10}
}

// summary is a digest's items as "kind unit periods count".
func summary(d Digest) []string {
	var out []string
	for _, it := range d.Items {
		s := []string{it.Kind, it.Unit, strings.Join(it.Periods, ",")}
		if it.Count > 0 {
			s = append(s, fmt.Sprint(it.Count))
		}
		if !it.Deadline.IsZero() {
			s = append(s, "by "+it.Deadline.String())
		}
		out = append(out, strings.Join(slices.DeleteFunc(s, func(x string) bool { return x == "" }), " "))
	}
	return out
}

// TestBuild: each person's reminders of the day, from set-based queries:
// an officer's own unit, an officer with scope subtree for the units below
// too, the judge's count; nobody without an address or unsubscribed.
func TestBuild(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		fixture(t, db)
		got, err := builder(db).Build(context.Background(), now, "")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"pn": {"report_returned P-DC-PN 2026-09", "report_due P-DC-PN 2026-11 by 2026-12-10"},
			"dc": {"report_returned P-DC-PN 2026-09", "report_overdue P-DC 2026-09,2026-10", "report_due P-DC 2026-11 by 2026-12-10",
				"report_due P-DC-PN 2026-11 by 2026-12-10", "no_project P-DC"},
			"gk": {"unscored 1"},
		}
		if len(got) != len(want) {
			t.Errorf("digests for %d people, want %d: %+v", len(got), len(want), got)
		}
		for _, d := range got {
			if w := want[d.Username]; !slices.Equal(summary(d), w) {
				t.Errorf("%s's digest = %q, want %q", d.Username, summary(d), w)
			}
		}
		// An organiser of the ward sees its people only; of the other ward, none.
		got, err = builder(db).Build(context.Background(), now, "P-DC-PN")
		if err != nil || len(got) != 1 || got[0].Username != "pn" {
			t.Errorf("digests within P-DC-PN = %+v, %v; want pn's alone", got, err)
		}
		// Three days ahead, November's report is not yet announced.
		b := builder(db)
		b.DueDays = 3
		got, _ = b.Build(context.Background(), now, "P-DC-PN")
		if len(got) != 1 || !slices.Equal(summary(got[0]), []string{"report_returned P-DC-PN 2026-09"}) {
			t.Errorf("with 3 days' notice, pn's digest = %+v", got)
		}
	})
}

func TestPeriodName(t *testing.T) {
	for key, want := range map[string]string{"2026-12": "Tháng 12/2026", "2026-07": "Tháng 7/2026", "2026-Q4": "Quý IV/2026",
		"2026-Q1": "Quý I/2026", "2026-H1": "6 tháng đầu năm 2026", "2026-H2": "6 tháng cuối năm 2026", "2026": "Năm 2026",
		"2026-W05": "Tuần 5/2026", "all": "Cả phong trào", "oops": "oops"} {
		if got := PeriodName(key); got != want {
			t.Errorf("PeriodName(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestUnsubscribeToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := UnsubscribeToken(key, 42)
	if id, ok := ParseUnsubscribeToken(key, tok); !ok || id != 42 {
		t.Errorf("ParseUnsubscribeToken(%q) = %d, %v; want 42", tok, id, ok)
	}
	_, sig, _ := strings.Cut(tok, ".")
	for _, bad := range []string{"", "42", "43." + sig, tok + "x", strings.Replace(tok, "42.", "042.", 1)} {
		if id, ok := ParseUnsubscribeToken(key, bad); ok {
			t.Errorf("ParseUnsubscribeToken(%q) = %d, true; want refused", bad, id)
		}
	}
	if _, ok := ParseUnsubscribeToken([]byte("another key, another site......."), tok); ok {
		t.Error("a token made with another key was accepted")
	}
}

// sender is one replica's job, sending through the test's SMTP server.
func sender(t *testing.T, db *store.DB, srv *mailtest.Server, replica string, clock func() time.Time) *Sender {
	t.Helper()
	m, err := thmail.New(srv.URL(), "Thi Đua Hà Nội <thidua@hanoi.gov.vn>", thmail.WithTLSConfig(srv.ClientTLS),
		thmail.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return &Sender{Builder: builder(db), Mailer: m, Log: slog.New(slog.DiscardHandler), Base: base, Hour: 7,
		MaxAttempts: 3, Replica: replica, Now: clock}
}

// received counts the messages by recipient.
func received(srv *mailtest.Server) map[string]int {
	out := map[string]int{}
	for _, m := range srv.Messages() {
		for _, to := range m.To {
			out[strings.ToLower(to)]++
		}
	}
	return out
}

var everyone = map[string]int{"lan@phunu.dinhcong.vn": 1, "minh@dinhcong.vn": 1, "giamkhao@hanoi.gov.vn": 1}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestDigestContent: the digest goes over STARTTLS with AUTH, in
// Vietnamese with the units' and periods' names, each item linking back
// to the site, and an unsubscribe link that stops the next ones.
func TestDigestContent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		fixture(t, db)
		srv := mailtest.Start(t)
		ctx := context.Background()
		early := sender(t, db, srv, "a", func() time.Time { return now.Add(-2 * time.Hour) })
		if res, err := early.Tick(ctx); err != nil || res != (Result{}) || len(srv.Messages()) != 0 {
			t.Fatalf("a tick at 06:00 = %+v, %v, %d messages; want nothing before 07:00", res, err, len(srv.Messages()))
		}
		s := sender(t, db, srv, "a", func() time.Time { return now })
		if res, err := s.Tick(ctx); err != nil || res.Sent != 3 {
			t.Fatalf("tick = %+v, %v; want 3 sent", res, err)
		}
		if got := received(srv); !sameCounts(got, everyone) {
			t.Fatalf("received %v, want %v", got, everyone)
		}
		var dc mailtest.Message
		for _, m := range srv.Messages() {
			if !m.TLS {
				t.Errorf("a message to %v came without STARTTLS", m.To)
			}
			if m.To[0] == "Minh@DinhCong.vn" {
				dc = m
			}
		}
		h := dc.Header()
		subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if subject != "[Thi đua] Nhắc việc ngày 02/12/2026: 5 việc cần làm" {
			t.Errorf("subject %q", subject)
		}
		text, html := bodies(t, dc)
		for _, want := range []string{
			"Kính gửi dc,",
			`Phong trào "Công dân số cùng Thủ đô vươn mình"`,
			"Hội LHPN phường Định Công: báo cáo Tháng 9/2026 bị trả lại, lý do: Thiếu danh sách cán bộ được tập huấn",
			"Phường Định Công: đã quá hạn báo cáo Tháng 9/2026, Tháng 10/2026.",
			"Phường Định Công: báo cáo Tháng 11/2026 đến hạn ngày 10/12/2026.",
			"Phường Định Công chưa đăng ký công trình, phần việc chuyển đổi số nào",
			"Gửi báo cáo: " + base + "/c/cds/u/P-DC/report?period=2026-09",
			"Sửa và gửi lại: " + base + "/c/cds/u/P-DC-PN/report?period=2026-09",
			"Đăng ký công trình: " + base + "/c/cds/projects/new?unit=P-DC",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the text lacks %q:\n%s", want, text)
			}
		}
		if !strings.Contains(html, `<a href="`+base+`/c/cds/u/P-DC/report?period=2026-11">Gửi báo cáo</a>`) {
			t.Errorf("the HTML lacks the link to November's report:\n%s", html)
		}
		link := regexp.MustCompile(`Ngừng nhận thư nhắc việc: (\S+)`).FindStringSubmatch(text)
		if link == nil || !strings.HasPrefix(link[1], base+"/unsubscribe/") || h.Get("List-Unsubscribe") != "<"+link[1]+">" {
			t.Fatalf("unsubscribe link %q, List-Unsubscribe %q", link, h.Get("List-Unsubscribe"))
		}
		key, _ := db.SiteKey(ctx, UnsubscribeKey)
		id, ok := ParseUnsubscribeToken(key, strings.TrimPrefix(link[1], base+"/unsubscribe/"))
		u, _ := db.UserByUsername(ctx, "dc")
		if !ok || id != u.ID {
			t.Fatalf("the unsubscribe link names user %d (%v), want dc's %d", id, ok, u.ID)
		}

		// Later the same day: nothing more. The next day: everyone again,
		// but dc, who unsubscribed.
		if res, err := s.Tick(ctx); err != nil || res.Sent != 0 || len(srv.Messages()) != 3 {
			t.Errorf("a second tick the same day = %+v, %v, %d messages; want none sent", res, err, len(srv.Messages()))
		}
		if _, err := db.Unsubscribe(ctx, id); err != nil {
			t.Fatal(err)
		}
		tomorrow := sender(t, db, srv, "a", func() time.Time { return now.AddDate(0, 0, 1) })
		if res, err := tomorrow.Tick(ctx); err != nil || res.Sent != 2 {
			t.Errorf("the next day's tick = %+v, %v; want 2 sent", res, err)
		}
		if got := received(srv); got["minh@dinhcong.vn"] != 1 || got["lan@phunu.dinhcong.vn"] != 2 {
			t.Errorf("after two days received %v; want dc once (then unsubscribed), pn twice", got)
		}
	})
}

// bodies returns a message's plain text and HTML parts, decoded.
func bodies(t *testing.T, m mailtest.Message) (text, html string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		switch ct := p.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/plain"):
			text = string(b)
		case strings.HasPrefix(ct, "text/html"):
			html = string(b)
		}
	}
	return text, html
}

// TestRefusedAndVanished: a digest the server refuses, or loses in the
// middle, is recorded failed and sent by a later tick, once; the others
// are not sent again.
func TestRefusedAndVanished(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		fixture(t, db)
		srv := mailtest.Start(t)
		ctx := context.Background()
		s := sender(t, db, srv, "a", func() time.Time { return now })
		srv.Refuse("giamkhao@hanoi.gov.vn", true)
		srv.VanishNext(1) // the first message: pn's (users in id order)
		res, err := s.Tick(ctx)
		if err != nil || res.Sent != 1 || res.Failed != 2 {
			t.Fatalf("tick with a refusal and a lost connection = %+v, %v; want 1 sent, 2 failed", res, err)
		}
		day, _ := db.Digests(ctx, Day(now))
		failed := 0
		for _, d := range day {
			if d.Status == store.DigestFailed {
				failed++
				if d.Error == "" || d.Attempts != 1 {
					t.Errorf("failed digest %+v: want its error and one attempt", d)
				}
			}
		}
		if failed != 2 {
			t.Errorf("%d digests recorded failed, want 2: %+v", failed, day)
		}
		srv.Refuse("giamkhao@hanoi.gov.vn", false)
		if res, err := s.Tick(ctx); err != nil || res.Sent != 2 || res.Failed != 0 {
			t.Fatalf("the next tick = %+v, %v; want the 2 failed sent", res, err)
		}
		if got := received(srv); !sameCounts(got, everyone) {
			t.Errorf("received %v, want each once: %v", got, everyone)
		}
		// A refusal every time gives up after MaxAttempts that day.
		srv.Refuse("lan@phunu.dinhcong.vn", true)
		next := sender(t, db, srv, "a", func() time.Time { return now.AddDate(0, 0, 1) })
		for range 5 {
			next.Tick(ctx)
		}
		pn, _ := db.UserByUsername(ctx, "pn")
		day, _ = db.Digests(ctx, Day(now.AddDate(0, 0, 1)))
		if d := day[pn.ID]; d.Status != store.DigestFailed || d.Attempts != 3 {
			t.Errorf("a digest refused five times: %+v; want failed after 3 attempts", d)
		}
	})
}

// TestRestartDoesNotResend: a digest claimed by a replica that stopped
// before recording it is not sent again, by it or another.
func TestRestartDoesNotResend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		fixture(t, db)
		srv := mailtest.Start(t)
		ctx := context.Background()
		gk, _ := db.UserByUsername(ctx, "gk")
		if ok, err := db.ClaimDigest(ctx, gk.ID, Day(now), 1, "gone", 3); !ok || err != nil {
			t.Fatalf("claim = %v, %v", ok, err)
		} // and then the replica stopped
		if res, err := sender(t, db, srv, "b", func() time.Time { return now }).Tick(ctx); err != nil || res.Sent != 2 {
			t.Fatalf("tick after a claim left sending = %+v, %v; want the 2 others sent", res, err)
		}
		if got := received(srv); got["giamkhao@hanoi.gov.vn"] != 0 {
			t.Errorf("the digest claimed before the stop was sent again: %v", got)
		}
	})
}

// TestTwoReplicas: two replicas over one PostgreSQL database, each with
// its own connections, tick at the same moment many times: every digest
// goes out exactly once.
func TestTwoReplicas(t *testing.T) {
	url := dbtest.PostgresURL(t)
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	fixture(t, a)
	srv := mailtest.Start(t)
	for day := range 3 {
		clock := func() time.Time { return now.AddDate(0, 0, day) }
		replicas := []*Sender{sender(t, a, srv, "a", clock), sender(t, b, srv, "b", clock)}
		var wg sync.WaitGroup
		results := make([]Result, 2)
		for i, s := range replicas {
			wg.Go(func() {
				for range 3 {
					r, err := s.Tick(ctx)
					if err != nil {
						t.Error(err)
					}
					results[i].Sent += r.Sent
				}
			})
		}
		wg.Wait()
		if results[0].Sent+results[1].Sent != 3 {
			t.Errorf("day %d: replicas sent %d and %d, want 3 in all", day, results[0].Sent, results[1].Sent)
		}
	}
	want := map[string]int{}
	for k := range everyone {
		want[k] = 3
	}
	if got := received(srv); !sameCounts(got, want) {
		t.Errorf("after three days received %v, want each three times", got)
	}
}
