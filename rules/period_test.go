package rules

import (
	"reflect"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time {
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
	}{
		{"2025", Period{"2025", Year, d(2025, 1, 1), d(2026, 1, 1)}},
		{"2025-H1", Period{"2025-H1", Half, d(2025, 1, 1), d(2025, 7, 1)}},
		{"2025-h2", Period{"2025-H2", Half, d(2025, 7, 1), d(2026, 1, 1)}},
		{"2025-Q1", Period{"2025-Q1", Quarter, d(2025, 1, 1), d(2025, 4, 1)}},
		{"2025-q3", Period{"2025-Q3", Quarter, d(2025, 7, 1), d(2025, 10, 1)}},
		{"2025-Q4", Period{"2025-Q4", Quarter, d(2025, 10, 1), d(2026, 1, 1)}},
		{"2025-07", Period{"2025-07", Month, d(2025, 7, 1), d(2025, 8, 1)}},
		{"2024-02", Period{"2024-02", Month, d(2024, 2, 1), d(2024, 3, 1)}},
		{"2025-12", Period{"2025-12", Month, d(2025, 12, 1), d(2026, 1, 1)}},
		{"all", Period{Key: "all", Granularity: Campaign}},
		// ISO weeks: Monday to Sunday; week 1 holds the year's first Thursday.
		{"2026-W49", Period{"2026-W49", Week, d(2026, 11, 30), d(2026, 12, 7)}},
		{"2026-w01", Period{"2026-W01", Week, d(2025, 12, 29), d(2026, 1, 5)}},
		{"2026-W53", Period{"2026-W53", Week, d(2026, 12, 28), d(2027, 1, 4)}},
		{"2025-W01", Period{"2025-W01", Week, d(2024, 12, 30), d(2025, 1, 6)}},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if err == nil && got.String() != tt.want.Key {
			t.Errorf("ParsePeriod(%q).String() = %q, want %q", tt.in, got.String(), tt.want.Key)
		}
	}
	for _, in := range []string{"", "ALL", "25", "02025", "0000", "2025-", "2025-7", "2025-13", "2025-00", "2025-Q0", "2025-Q5", "2025-H3", "2025-H", "2025-W00", "2025-W53", "2026-W54", "2025-W1", "2025-07-01", "abcd", "２０２５", "-2025", "2025-Q1 "} {
		if got, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", in, got)
		}
	}
}

func TestPeriodOf(t *testing.T) {
	hanoi, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	// 30 June 2025, 23:30 in Hanoi is 16:30 UTC: the date is Hanoi's.
	late := time.Date(2025, 6, 30, 23, 30, 0, 0, hanoi)
	tests := []struct {
		g    Granularity
		t    time.Time
		want string
	}{
		{Month, late, "2025-06"},
		{Quarter, late, "2025-Q2"},
		{Half, late, "2025-H1"},
		{Year, late, "2025"},
		{Month, late.UTC().Add(8 * time.Hour), "2025-07"},
		{Quarter, d(2025, 12, 31), "2025-Q4"},
		{Half, d(2025, 7, 1), "2025-H2"},
		{Campaign, late, "all"},
		{Week, late, "2025-W27"},
		{Week, d(2026, 1, 1), "2026-W01"},
		{Week, d(2027, 1, 3), "2026-W53"},
		{"fortnight", late, ""},
	}
	for _, tt := range tests {
		if got := PeriodOf(tt.g, tt.t); got.Key != tt.want {
			t.Errorf("PeriodOf(%v, %v) = %v, want %v", tt.g, tt.t, got, tt.want)
		}
	}
}

func TestPeriods(t *testing.T) {
	keys := func(ps []Period) []string {
		var ks []string
		for _, p := range ps {
			ks = append(ks, p.Key)
		}
		return ks
	}
	tests := []struct {
		g        Granularity
		from, to time.Time
		want     []string
	}{
		{Month, d(2025, 5, 15), d(2025, 8, 1), []string{"2025-05", "2025-06", "2025-07"}},
		{Month, d(2025, 5, 15), d(2025, 8, 2), []string{"2025-05", "2025-06", "2025-07", "2025-08"}},
		{Quarter, d(2025, 5, 15), d(2026, 1, 1), []string{"2025-Q2", "2025-Q3", "2025-Q4"}},
		{Half, d(2025, 1, 1), d(2030, 12, 31), []string{"2025-H1", "2025-H2", "2026-H1", "2026-H2", "2027-H1", "2027-H2", "2028-H1", "2028-H2", "2029-H1", "2029-H2", "2030-H1", "2030-H2"}},
		{Year, d(2025, 3, 1), d(2027, 1, 1), []string{"2025", "2026"}},
		{Month, d(2025, 5, 1), d(2025, 5, 1), nil},
		{Month, d(2025, 6, 1), d(2025, 5, 1), nil},
		{Campaign, d(2025, 5, 1), d(2026, 5, 1), []string{"all"}},
		{Week, d(2026, 12, 1), d(2027, 1, 5), []string{"2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-W01"}},
		{"fortnight", d(2025, 5, 1), d(2026, 5, 1), nil},
	}
	for _, tt := range tests {
		if got := keys(Periods(tt.g, tt.from, tt.to)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Periods(%v, %v, %v) = %v, want %v", tt.g, tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), got, tt.want)
		}
	}
	if got, want := Periods(Campaign, d(2025, 5, 1), d(2026, 5, 1))[0], CampaignPeriod(d(2025, 5, 1), d(2026, 5, 1)); got != want {
		t.Errorf("Periods(campaign) = %v, want %v", got, want)
	}
}

func TestPeriodContains(t *testing.T) {
	p := func(s string) Period {
		t.Helper()
		p, err := ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	campaign := CampaignPeriod(d(2025, 5, 1), d(2026, 1, 1))
	tests := []struct {
		p, q Period
		want bool
	}{
		{p("2025"), p("2025-07"), true},
		{p("2025-H2"), p("2025-Q3"), true},
		{p("2025-Q3"), p("2025-Q3"), true},
		{p("2025-Q3"), p("2025-H2"), false},
		{p("2025-Q3"), p("2025-10"), false},
		{p("2025"), p("2026-01"), false},
		{p("all"), p("1999-01"), true},
		{campaign, p("2025-05"), true},
		{campaign, p("2025-Q2"), false},
		{campaign, p("2025-H2"), true},
		{p("2025"), campaign, true},
		{p("2025"), p("all"), false},
	}
	for _, tt := range tests {
		if got := tt.p.Contains(tt.q); got != tt.want {
			t.Errorf("%v.Contains(%v) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
	if !campaign.Overlaps(p("2025-Q2")) || campaign.Overlaps(p("2025-Q1")) {
		t.Errorf("campaign.Overlaps(Q2, Q1) = %v, %v; want true, false", campaign.Overlaps(p("2025-Q2")), campaign.Overlaps(p("2025-Q1")))
	}
}

func TestPeriodPreviousNext(t *testing.T) {
	tests := []struct{ key, prev, next string }{
		{"2025-01", "2024-12", "2025-02"},
		{"2025-Q1", "2024-Q4", "2025-Q2"},
		{"2025-H2", "2025-H1", "2026-H1"},
		{"2025", "2024", "2026"},
		{"all", "all", "all"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Previous().Key; got != tt.prev {
			t.Errorf("%v.Previous() = %v, want %v", p, got, tt.prev)
		}
		if got := p.Next().Key; got != tt.next {
			t.Errorf("%v.Next() = %v, want %v", p, got, tt.next)
		}
	}
}

func TestCampaignPeriod(t *testing.T) {
	hanoi, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	got := CampaignPeriod(time.Date(2025, 5, 1, 8, 0, 0, 0, hanoi), time.Date(2030, 1, 1, 0, 0, 0, 0, hanoi))
	want := Period{Key: "all", Granularity: Campaign, Start: d(2025, 5, 1), End: d(2030, 1, 1)}
	if got != want {
		t.Errorf("CampaignPeriod = %v, want %v", got, want)
	}
}

func TestDeadline(t *testing.T) {
	rs := compileExample(t) // due_days 10, Asia/Ho_Chi_Minh
	july, _ := ParsePeriod("2025-07")
	want := time.Date(2025, 8, 11, 0, 0, 0, 0, rs.Location)
	if got := rs.Deadline(july); !got.Equal(want) {
		t.Errorf("Deadline(2025-07) = %v, want %v", got, want)
	}
}
