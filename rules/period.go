package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Granularity is the length of a period.
type Granularity string

// The granularities, shortest first. Campaign is the whole campaign, whose
// bounds are the campaign's own. Week (ISO weeks, Monday to Sunday) is a
// reporting period only, never a scoring one.
const (
	Week     Granularity = "week"
	Month    Granularity = "month"
	Quarter  Granularity = "quarter"
	Half     Granularity = "half"
	Year     Granularity = "year"
	Campaign Granularity = "campaign"
)

// months is the number of months in a calendar granularity, 0 for Campaign
// and for unknown ones.
func (g Granularity) months() int {
	switch g {
	case Month:
		return 1
	case Quarter:
		return 3
	case Half:
		return 6
	case Year:
		return 12
	}
	return 0
}

// Valid reports whether g is one of the granularities.
func (g Granularity) Valid() bool {
	return g == Campaign || g == Week || g.months() > 0
}

// longer reports whether g is longer than h (Campaign is the longest, Week
// the shortest).
func (g Granularity) longer(h Granularity) bool {
	rank := func(g Granularity) int {
		switch g {
		case Campaign:
			return 1000
		case Week:
			return 1
		}
		return 10 * g.months()
	}
	return rank(g) > rank(h)
}

// CampaignKey is the key of the whole-campaign period.
const CampaignKey = "all"

// Period is a span of calendar dates: an ISO week ("2026-W49", Monday to
// Sunday), a month ("2025-07"), a quarter ("2025-Q3"), a half year
// ("2025-H2"), a year ("2025"), or the whole campaign ("all").
//
// Dates are represented as time.Time at midnight UTC; Start is the first day
// and End the day after the last (End is exclusive). The campaign period's
// bounds are the campaign's: zero until given by CampaignPeriod.
type Period struct {
	Key         string      `json:"key"`
	Granularity Granularity `json:"granularity"`
	Start       time.Time   `json:"start"`
	End         time.Time   `json:"end"`
}

// ParsePeriod parses a period key. It accepts "q" and "h" in either case
// and returns the canonical key. "all" gives the campaign period with zero
// bounds (see CampaignPeriod).
func ParsePeriod(s string) (Period, error) {
	if s == CampaignKey {
		return Period{Key: CampaignKey, Granularity: Campaign}, nil
	}
	bad := fmt.Errorf("invalid period %q: want 2025, 2025-H2, 2025-Q3, 2025-07, 2025-W27 or all", s)
	year, rest, hasRest := strings.Cut(s, "-")
	y, ok := digits(year, 4)
	if !ok || y < 1 {
		return Period{}, bad
	}
	var g Granularity
	var n int // 1-based index of the period within the year
	switch {
	case !hasRest:
		g, n = Year, 1
	case len(rest) == 2 && (rest[0] == 'H' || rest[0] == 'h'):
		g, n, ok = Half, int(rest[1]-'0'), rest[1] == '1' || rest[1] == '2'
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q'):
		g, n, ok = Quarter, int(rest[1]-'0'), rest[1] >= '1' && rest[1] <= '4'
	case len(rest) == 3 && (rest[0] == 'W' || rest[0] == 'w'):
		n, ok = digits(rest[1:], 2)
		monday := isoWeekStart(y, n)
		if wy, wn := monday.ISOWeek(); !ok || n < 1 || wy != y || wn != n { // 2026 has no week 54, 2025 no week 53
			return Period{}, bad
		}
		return calendarPeriod(Week, monday), nil
	default:
		g = Month
		n, ok = digits(rest, 2)
		ok = ok && n >= 1 && n <= 12
	}
	if !ok {
		return Period{}, bad
	}
	month := time.Month((n-1)*g.months() + 1)
	return calendarPeriod(g, date(y, month, 1)), nil
}

// digits parses a string of exactly n decimal digits.
func digits(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}

// CampaignPeriod is the whole-campaign period from the date start to the
// date end, exclusive: pass the day after the campaign's last day.
func CampaignPeriod(start, end time.Time) Period {
	return Period{Key: CampaignKey, Granularity: Campaign, Start: day(start), End: day(end)}
}

// PeriodOf is the period of granularity g that contains t's date (in t's
// location). For Campaign it is the campaign period with zero bounds; for an
// invalid granularity, the zero Period.
func PeriodOf(g Granularity, t time.Time) Period {
	switch {
	case g == Campaign:
		return Period{Key: CampaignKey, Granularity: Campaign}
	case !g.Valid():
		return Period{}
	case g == Week:
		d := day(t)
		return calendarPeriod(Week, d.AddDate(0, 0, -(int(d.Weekday())+6)%7))
	}
	y, m, _ := t.Date()
	first := time.Month((int(m)-1)/g.months()*g.months() + 1)
	return calendarPeriod(g, date(y, first, 1))
}

// Periods lists the periods of granularity g that overlap the dates
// [from, to), in order; for Campaign, the one campaign period [from, to).
// It is empty for an invalid granularity.
func Periods(g Granularity, from, to time.Time) []Period {
	from, to = day(from), day(to)
	switch {
	case !from.Before(to) || !g.Valid():
		return nil
	case g == Campaign:
		return []Period{CampaignPeriod(from, to)}
	}
	var ps []Period
	for p := PeriodOf(g, from); p.Start.Before(to); p = p.Next() {
		ps = append(ps, p)
	}
	return ps
}

// calendarPeriod is the period of granularity g starting on the date start.
func calendarPeriod(g Granularity, start time.Time) Period {
	y, m, _ := start.Date()
	var key string
	switch g {
	case Week:
		wy, wn := start.ISOWeek()
		return Period{Key: fmt.Sprintf("%04d-W%02d", wy, wn), Granularity: g, Start: start, End: start.AddDate(0, 0, 7)}
	case Year:
		key = fmt.Sprintf("%04d", y)
	case Half:
		key = fmt.Sprintf("%04d-H%d", y, (m-1)/6+1)
	case Quarter:
		key = fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1)
	default:
		key = fmt.Sprintf("%04d-%02d", y, m)
	}
	return Period{Key: key, Granularity: g, Start: start, End: start.AddDate(0, g.months(), 0)}
}

// Bounded reports whether p has dates: every period but an unbound campaign
// period has.
func (p Period) Bounded() bool {
	return !p.End.IsZero()
}

// Contains reports whether every date of q is in p. An unbound campaign
// period contains every period.
func (p Period) Contains(q Period) bool {
	if p.Granularity == Campaign && !p.Bounded() {
		return true
	}
	if !q.Bounded() {
		return false
	}
	return !q.Start.Before(p.Start) && !q.End.After(p.End)
}

// Overlaps reports whether p and q share a date. An unbound campaign period
// overlaps every period.
func (p Period) Overlaps(q Period) bool {
	if !p.Bounded() || !q.Bounded() {
		return true
	}
	return p.Start.Before(q.End) && q.Start.Before(p.End)
}

// Previous is the period of the same granularity just before p; a campaign
// period is its own previous.
func (p Period) Previous() Period {
	if p.Granularity == Week {
		return calendarPeriod(Week, p.Start.AddDate(0, 0, -7))
	}
	if p.Granularity.months() == 0 {
		return p
	}
	return calendarPeriod(p.Granularity, p.Start.AddDate(0, -p.Granularity.months(), 0))
}

// Next is the period of the same granularity just after p; a campaign
// period is its own next.
func (p Period) Next() Period {
	if p.Granularity == Week {
		return calendarPeriod(Week, p.End)
	}
	if p.Granularity.months() == 0 {
		return p
	}
	return calendarPeriod(p.Granularity, p.End)
}

// String returns the period's key.
func (p Period) String() string {
	return p.Key
}

// isoWeekStart is the Monday of ISO week n of year y (week 1 holds the
// year's first Thursday).
func isoWeekStart(y, n int) time.Time {
	jan4 := date(y, time.January, 4)
	monday := jan4.AddDate(0, 0, -(int(jan4.Weekday())+6)%7)
	return monday.AddDate(0, 0, 7*(n-1))
}

// date is the given date at midnight UTC.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// day is t's date (in t's location) at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return date(y, m, d)
}
