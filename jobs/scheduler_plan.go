package jobs

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// The jobs a ruleset schedules, as their claims name them.
const (
	JobScore = "score"
	JobClose = "close"
)

// lookback is how late a job may start after its slot and still find it:
// a job woken later than this (a paused process) skips the slot.
const lookback = time.Minute

// catchUp is how far back a starting scheduler looks for a close slot that
// no replica ran (the platform was down or restarting at the time).
const catchUp = 24 * time.Hour

// closeRetry is how often a running scheduler looks again for close slots
// of the last day that are free: missed, or failed and released.
const closeRetry = time.Hour

// plan is what the scheduler does for one campaign: the jobs of its
// current ruleset version.
type plan struct {
	campaign store.ScheduledCampaign
	rs       *rules.Ruleset
	jobs     []*job
}

// job is one scheduled job of a plan; entry is its cron entry while it is
// active (0 otherwise).
type job struct {
	name  string
	spec  string
	sched cron.Schedule
	entry cron.EntryID
}

// newPlan parses the ruleset's schedule; a spec that does not parse (the
// ruleset package refused it when it was saved, so this is a bug) leaves
// its job out and is returned as an error beside the plan.
func newPlan(c store.ScheduledCampaign, rs *rules.Ruleset) (*plan, error) {
	p := &plan{campaign: c, rs: rs}
	var bad error
	for _, s := range []struct{ name, spec string }{{JobScore, rs.Schedule.Score}, {JobClose, rs.Schedule.Close}} {
		if s.spec == "" {
			continue
		}
		sched, err := parseSpec(s.spec, rs.Location)
		if err != nil {
			bad = fmt.Errorf("campaign %s, ruleset version %d, schedule.%s: %w", c.Slug, c.RulesetVersion, s.name, err)
			continue
		}
		p.jobs = append(p.jobs, &job{name: s.name, spec: s.spec, sched: sched})
	}
	return p, bad
}

// job returns the plan's job of that name, or nil.
func (p *plan) job(name string) *job {
	for _, j := range p.jobs {
		if j.name == name {
			return j
		}
	}
	return nil
}

// parseSpec reads a cron spec as the ruleset package does (five fields or
// a descriptor), in loc. robfig's parser panics on some odd input, so it
// runs under recover. "@every d" fires at wall-clock multiples of d (see
// alignedEvery) rather than d after the process started, so that every
// replica computes the same slots.
func parseSpec(spec string, loc *time.Location) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("invalid cron spec %q: %v", spec, r)
		}
	}()
	if loc == nil {
		return nil, fmt.Errorf("no time zone")
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("cron spec %q names a time zone: the ruleset's applies", spec)
	}
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("invalid cron spec %q: %w", spec, err)
	}
	switch s := s.(type) {
	case *cron.SpecSchedule:
		s.Location = loc
		return s, nil
	case cron.ConstantDelaySchedule:
		if s.Delay < time.Minute {
			return nil, fmt.Errorf("cron spec %q: more often than every minute", spec)
		}
		return alignedEvery{every: s.Delay, loc: loc}, nil
	}
	return nil, fmt.Errorf("cron spec %q: unexpected schedule %T", spec, s)
}

// alignedEvery fires at the multiples of every counted on loc's wall clock
// from 1970-01-01 00:00: "@every 6h" at 00:00, 06:00, 12:00 and 18:00.
type alignedEvery struct {
	every time.Duration
	loc   *time.Location
}

// Next is the first firing after t.
func (a alignedEvery) Next(t time.Time) time.Time {
	l := t.In(a.loc)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).Unix()
	step := int64(a.every / time.Second)
	for n := wall - wall%step + step; ; n += step {
		w := time.Unix(n, 0).UTC()
		// Across a daylight-saving change a wall time can repeat: move on
		// until the instant is after t.
		if next := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, a.loc); next.After(t) {
			return next
		}
	}
}

// slotAt is the latest time sched fires at or before now, if it fires
// within lookback of now: the slot a job woken at now is for.
func slotAt(sched cron.Schedule, now time.Time) (time.Time, bool) {
	return lastSlot(sched, now, lookback)
}

// lastSlot is the latest time sched fires in (now-window, now].
func lastSlot(sched cron.Schedule, now time.Time, window time.Duration) (time.Time, bool) {
	var slot time.Time
	for t := sched.Next(now.Add(-window)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		slot = t
	}
	return slot, !slot.IsZero()
}

// lastEnd is the first instant after the campaign's last scoring period:
// the day after its last day for a whole-campaign ruleset, else the end of
// the period holding its last day; at midnight in the ruleset's zone.
func (p *plan) lastEnd() time.Time {
	end := p.campaign.EndsOn.AddDate(0, 0, 1)
	if p.rs.Period != rules.Campaign {
		end = rules.PeriodOf(p.rs.Period, p.campaign.EndsOn.Time).End
	}
	return time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, p.rs.Location)
}

// active reports whether a job may still have work at now: the score job
// until the campaign's last scoring period ends, the close job until an
// hour after its first slot from then on (the one that closes that period).
func (p *plan) active(j *job, now time.Time) bool {
	end := p.lastEnd()
	if j.name == JobScore {
		return now.Before(end)
	}
	last := j.sched.Next(end.Add(-time.Second))
	return !last.IsZero() && now.Before(last.Add(time.Hour))
}

// request is the run job name makes at slot, or false when there is
// nothing to do. The score job scores the period open at the slot while it
// overlaps the campaign. The close job closes the period that just ended:
// the scoring period before the one holding the slot's date in the
// ruleset's zone, if it overlaps the campaign; for a whole-campaign
// ruleset, the campaign, once its last day is past.
func (p *plan) request(name string, slot time.Time) (Request, bool) {
	camp := &store.Campaign{Slug: p.campaign.Slug, StartsOn: p.campaign.StartsOn, EndsOn: p.campaign.EndsOn}
	req := Request{Campaign: p.campaign.Slug, Trigger: TriggerSchedule}
	switch name {
	case JobScore:
		if _, err := ScoredPeriod(p.rs, camp, "", slot); err != nil {
			return Request{}, false
		}
		return req, true
	case JobClose:
		l := slot.In(p.rs.Location)
		today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
		req.Close = true
		if p.rs.Period == rules.Campaign {
			req.Period = rules.CampaignKey
			return req, today.After(p.campaign.EndsOn.Time)
		}
		prev := rules.PeriodOf(p.rs.Period, today).Previous()
		if _, err := ScoredPeriod(p.rs, camp, prev.Key, slot); err != nil {
			return Request{}, false
		}
		req.Period = prev.Key
		return req, true
	}
	return Request{}, false
}
