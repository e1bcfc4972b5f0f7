package jobs

import (
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

var hanoi = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSpecNeverPanics(t *testing.T) {
	for _, spec := range []string{"", "TZ=", "CRON_TZ=", "TZ=Asia/Ho_Chi_Minh", "CRON_TZ=Asia/Ho_Chi_Minh 0 * * * *",
		"nonsense", "* * *", "61 * * * *", "@every", "@every -1h", "@weekly extra", "0 0 31 2 7 extra"} {
		if s, err := parseSpec(spec, hanoi); err == nil {
			t.Errorf("parseSpec(%q) = %v, nil; want an error", spec, s)
		}
	}
	if _, err := parseSpec("0 * * * *", nil); err == nil {
		t.Errorf("parseSpec without a zone: want an error")
	}
}

func TestScheduleNextInZone(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		after time.Time
		want  time.Time
	}{
		// 00:30 in Hà Nội is 17:30 UTC the day before.
		{"30 0 1 1,4,7,10 *", at(time.UTC, "2025-06-01 00:00:00"), at(time.UTC, "2025-06-30 17:30:00")},
		{"0 */6 * * *", at(hanoi, "2025-05-10 01:00:00"), at(hanoi, "2025-05-10 06:00:00")},
		{"@daily", at(time.UTC, "2025-05-10 12:00:00"), at(time.UTC, "2025-05-10 17:00:00")},
		// @every counts from wall-clock midnight, whenever the process started.
		{"@every 6h", at(hanoi, "2025-05-10 01:23:45"), at(hanoi, "2025-05-10 06:00:00")},
		{"@every 6h", at(hanoi, "2025-05-10 05:59:59"), at(hanoi, "2025-05-10 06:00:00")},
		{"@every 6h", at(hanoi, "2025-05-10 06:00:00"), at(hanoi, "2025-05-10 12:00:00")},
		{"@every 90m", at(hanoi, "2025-05-10 01:00:00"), at(hanoi, "2025-05-10 01:30:00")},
	} {
		s, err := parseSpec(tc.spec, hanoi)
		if err != nil {
			t.Fatalf("parseSpec(%q): %v", tc.spec, err)
		}
		if got := s.Next(tc.after); !got.Equal(tc.want) {
			t.Errorf("%q.Next(%v) = %v, want %v", tc.spec, tc.after, got.UTC(), tc.want.UTC())
		}
	}
}

func TestSlotAt(t *testing.T) {
	s, _ := parseSpec("0 */6 * * *", hanoi)
	for _, tc := range []struct {
		now  time.Time
		want time.Time // zero: no slot
	}{
		{at(hanoi, "2025-05-10 06:00:00"), at(hanoi, "2025-05-10 06:00:00")},
		{at(hanoi, "2025-05-10 06:00:00").Add(250 * time.Millisecond), at(hanoi, "2025-05-10 06:00:00")},
		{at(hanoi, "2025-05-10 06:00:59"), at(hanoi, "2025-05-10 06:00:00")},
		{at(hanoi, "2025-05-10 06:01:00"), time.Time{}},
		{at(hanoi, "2025-05-10 05:59:59"), time.Time{}},
		{at(time.UTC, "2025-05-09 23:00:00"), at(hanoi, "2025-05-10 06:00:00")},
	} {
		got, ok := slotAt(s, tc.now)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("slotAt(%v) = %v, %v; want %v", tc.now, got, ok, tc.want)
		}
	}
}

// testPlan is a plan for a campaign from 2025-04-01 to 2026-12-31.
func testPlan(t *testing.T, period rules.Granularity, score, close string) *plan {
	t.Helper()
	c := store.ScheduledCampaign{Slug: "cds", RulesetVersion: 1,
		StartsOn: store.Date{Time: at(time.UTC, "2025-04-01 00:00:00")}, EndsOn: store.Date{Time: at(time.UTC, "2026-12-31 00:00:00")}}
	rs := &rules.Ruleset{TimeZone: "Asia/Ho_Chi_Minh", Location: hanoi, Period: period,
		Schedule: rules.Schedule{Score: score, Close: close}}
	p, err := newPlan(c, rs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRequest(t *testing.T) {
	quarterly := testPlan(t, rules.Quarter, "0 */6 * * *", "30 0 1 1,4,7,10 *")
	whole := testPlan(t, rules.Campaign, "0 */6 * * *", "0 1 * * *")
	for _, tc := range []struct {
		name string
		p    *plan
		job  string
		slot time.Time
		want string // the period closed, "open" for a score run, "" for nothing to do
	}{
		{"score before the campaign", quarterly, JobScore, at(hanoi, "2025-03-31 18:00:00"), ""},
		{"score on its first day, local", quarterly, JobScore, at(hanoi, "2025-04-01 00:00:00"), "open"},
		{"score in its last period", quarterly, JobScore, at(hanoi, "2026-12-31 18:00:00"), "open"},
		{"score after its last period", quarterly, JobScore, at(hanoi, "2027-01-01 00:00:00"), ""},
		{"close the quarter before the campaign", quarterly, JobClose, at(hanoi, "2025-04-01 00:30:00"), ""},
		{"close the first quarter", quarterly, JobClose, at(hanoi, "2025-07-01 00:30:00"), "2025-Q2"},
		{"close at 17:30 UTC is 00:30 in Hà Nội", quarterly, JobClose, at(time.UTC, "2025-09-30 17:30:00"), "2025-Q3"},
		{"close the last quarter", quarterly, JobClose, at(hanoi, "2027-01-01 00:30:00"), "2026-Q4"},
		{"close after the last quarter", quarterly, JobClose, at(hanoi, "2027-04-01 00:30:00"), ""},
		{"close a running whole campaign", whole, JobClose, at(hanoi, "2026-12-31 01:00:00"), ""},
		{"close an ended whole campaign", whole, JobClose, at(hanoi, "2027-01-01 01:00:00"), "all"},
	} {
		req, ok := tc.p.request(tc.job, tc.slot)
		got := ""
		switch {
		case ok && req.Close:
			got = req.Period
		case ok:
			got = "open"
		}
		if got != tc.want || (ok && (req.Trigger != TriggerSchedule || req.Campaign != "cds")) {
			t.Errorf("%s: request(%s, %v) = %+v, %v; want %q", tc.name, tc.job, tc.slot, req, ok, tc.want)
		}
	}
}

func TestActive(t *testing.T) {
	p := testPlan(t, rules.Quarter, "0 */6 * * *", "30 0 1 1,4,7,10 *")
	score, close := p.job(JobScore), p.job(JobClose)
	for _, tc := range []struct {
		j    *job
		now  time.Time
		want bool
	}{
		{score, at(hanoi, "2025-01-01 00:00:00"), true}, // before the start: kept, its slots do nothing
		{score, at(hanoi, "2026-12-31 23:59:59"), true},
		{score, at(hanoi, "2027-01-01 00:00:00"), false},
		{close, at(hanoi, "2027-01-01 00:30:00"), true}, // the slot that closes 2026-Q4
		{close, at(hanoi, "2027-01-01 01:29:59"), true},
		{close, at(hanoi, "2027-01-01 01:30:00"), false},
	} {
		if got := p.active(tc.j, tc.now); got != tc.want {
			t.Errorf("active(%s, %v) = %v, want %v", tc.j.name, tc.now, got, tc.want)
		}
	}
}
