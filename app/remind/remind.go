// Package remind finds what each person should be reminded of today — a
// unit with no project yet, a report due in a few days or overdue, a report
// returned with a reason, a judge's projects not yet scored — and sends it
// as at most one e-mail digest per person per day, in Vietnamese, each item
// with a link back to the page where it is done.
//
// The reminders are read with set-based queries (one per kind, and one per
// running campaign for its reports), never one per person or unit. They
// describe the state of today, not events: a digest that could not be sent
// loses nothing, for tomorrow's carries whatever is still to be done.
package remind

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
)

// Zone is the time zone of the digests' days.
var Zone = mustZone(rules.DefaultTimeZone)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // rules embeds the zone database
	}
	return l
}

// Day is the date of t in the digests' time zone.
func Day(t time.Time) store.Date { return store.DateOf(t.In(Zone)) }

// Item is one reminder of a digest.
type Item struct {
	Kind         string // one of store.Remind*
	Campaign     string
	CampaignName string
	Unit         string // "" for a judge's
	UnitName     string
	// Periods are the reports' periods (keys), oldest first; one for a due
	// or returned report, every missing one for overdue reports.
	Periods []string
	// Deadline is the last day to send a due report on.
	Deadline store.Date
	Reason   string // a returned report's
	Count    int    // a judge's projects waiting
}

// Digest is what one person is reminded of on one day.
type Digest struct {
	UserID   int64
	Username string
	Email    string
	Items    []Item
}

// Builder finds the reminders.
type Builder struct {
	DB       *store.DB
	Rulesets *jobs.Rulesets
	// DueDays is how many days ahead a report's deadline is announced.
	DueDays int
}

// Build returns the digests of the day of now for the people in scope (an
// organiser's subtree, or everyone for ""), by user id; people with nothing
// to do have none.
func (b *Builder) Build(ctx context.Context, now time.Time, within string) ([]Digest, error) {
	scope := store.ReminderScope{Today: Day(now), Within: within}
	rows, err := b.DB.UnitReminders(ctx, scope)
	if err != nil {
		return nil, err
	}
	unscored, err := b.DB.UnscoredReminders(ctx, scope)
	if err != nil {
		return nil, err
	}
	rows = append(rows, unscored...)
	campaigns, err := b.DB.RunningCampaigns(ctx, scope.Today)
	if err != nil {
		return nil, err
	}
	deadlines := map[string]store.Date{} // campaign/period → last day
	for _, c := range campaigns {
		rs, _, err := b.Rulesets.Get(ctx, c.Slug, c.RulesetVersion)
		if err != nil {
			return nil, fmt.Errorf("campaign %s: %w", c.Slug, err)
		}
		closed, err := b.DB.ClosedPeriods(ctx, c.Slug)
		if err != nil {
			return nil, err
		}
		due, overdue := b.reportPeriods(rs, c, closed, now)
		for _, p := range due {
			deadlines[c.Slug+"/"+p.Key] = store.DateOf(rs.Deadline(p).AddDate(0, 0, -1))
		}
		for kind, ps := range map[string][]rules.Period{store.RemindDue: due, store.RemindOverdue: overdue} {
			keys := make([]string, len(ps))
			for i, p := range ps {
				keys[i] = p.Key
			}
			missing, err := b.DB.MissingReports(ctx, scope, c.Slug, kind, keys)
			if err != nil {
				return nil, err
			}
			rows = append(rows, missing...)
		}
	}
	return group(rows, deadlines), nil
}

// reportPeriods are the campaign's reporting periods, not closed, that have
// started by now: those whose deadline falls in the next DueDays days, and
// those whose deadline has passed.
func (b *Builder) reportPeriods(rs *rules.Ruleset, c store.ScheduledCampaign, closed []string, now time.Time) (due, overdue []rules.Period) {
	var shut []rules.Period
	for _, k := range closed {
		if p, err := rules.ParsePeriod(k); err == nil {
			if p.Granularity == rules.Campaign {
				p = rules.CampaignPeriod(c.StartsOn.Time, c.EndsOn.AddDate(0, 0, 1))
			}
			shut = append(shut, p)
		}
	}
	today := Day(now).Time
	horizon := now.AddDate(0, 0, b.DueDays)
	for _, p := range rules.Periods(rs.Reporting.Every, c.StartsOn.Time, c.EndsOn.AddDate(0, 0, 1)) {
		if p.Start.After(today) || slices.ContainsFunc(shut, func(s rules.Period) bool { return s.Contains(p) }) {
			continue
		}
		switch d := rs.Deadline(p); {
		case !d.After(now):
			overdue = append(overdue, p)
		case !d.After(horizon):
			due = append(due, p)
		}
	}
	return due, overdue
}

// group makes one digest per person from the reminder rows: a unit's
// overdue reports in one item, items by campaign, kind and unit.
func group(rows []store.Reminder, deadlines map[string]store.Date) []Digest {
	byUser := map[int64]*Digest{}
	var order []int64
	for _, r := range rows {
		d := byUser[r.UserID]
		if d == nil {
			d = &Digest{UserID: r.UserID, Username: r.Username, Email: r.Email}
			byUser[r.UserID] = d
			order = append(order, r.UserID)
		}
		if r.Kind == store.RemindOverdue {
			if i := slices.IndexFunc(d.Items, func(it Item) bool {
				return it.Kind == r.Kind && it.Campaign == r.Campaign && it.Unit == r.Unit
			}); i >= 0 {
				d.Items[i].Periods = append(d.Items[i].Periods, r.Period)
				continue
			}
		}
		it := Item{Kind: r.Kind, Campaign: r.Campaign, CampaignName: r.CampaignName, Unit: r.Unit, UnitName: r.UnitName,
			Reason: r.Reason, Count: r.Count}
		if r.Period != "" {
			it.Periods = []string{r.Period}
			it.Deadline = deadlines[r.Campaign+"/"+r.Period]
		}
		d.Items = append(d.Items, it)
	}
	slices.Sort(order)
	out := make([]Digest, 0, len(order))
	for _, id := range order {
		d := byUser[id]
		slices.SortStableFunc(d.Items, func(a, b Item) int {
			return cmp.Or(cmp.Compare(a.Campaign, b.Campaign), cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
				cmp.Compare(a.Unit, b.Unit))
		})
		out = append(out, *d)
	}
	return out
}

// kindOrder is the order of a campaign's items in a digest: the most
// pressing first.
var kindOrder = map[string]int{store.RemindReturned: 0, store.RemindOverdue: 1, store.RemindDue: 2,
	store.RemindNoProject: 3, store.RemindUnscored: 4}
