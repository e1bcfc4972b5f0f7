package rules

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // rulesets name IANA zones; do not depend on the host's database

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Defaults of the reporting section.
const (
	DefaultDueDays = 10
	maxDueDays     = 366
)

// minEvery is the shortest "@every" schedule: a campaign is not scored by
// the second.
const minEvery = time.Minute

// schedule reads the schedule section: two optional cron specs.
func (b *builder) schedule(n *yaml.Node, path string, s *Schedule) {
	b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "score":
			if b.text(v, at, &s.Score) {
				b.cron(at, s.Score)
			}
		case "close":
			if b.text(v, at, &s.Close) {
				b.cron(at, s.Close)
			}
		default:
			return false
		}
		return true
	})
}

// cron checks a cron spec as cron.ParseStandard reads it: five fields, or a
// descriptor such as @daily or @every 1h. The time zone is the ruleset's, so
// a TZ= prefix is refused.
func (b *builder) cron(at, spec string) {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		b.add(at, "must not name a time zone: the ruleset's timezone applies")
		return
	}
	s, err := parseCron(spec)
	if err != nil {
		b.add(at, "invalid cron spec %q: %v", spec, err)
		return
	}
	if every, ok := s.(cron.ConstantDelaySchedule); ok && every.Delay < minEvery {
		b.add(at, "must not run more often than every %v", minEvery)
	}
}

// parseCron is cron.ParseStandard, which can panic on odd specs.
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return cron.ParseStandard(spec)
}

// reporting reads the reporting section; timing checks Every against the
// scoring period and applies its default.
func (b *builder) reporting(n *yaml.Node, path string, r *Reporting) {
	given := b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "every":
			b.text(v, at, (*string)(&r.Every))
		case "verify":
			b.boolean(v, at, &r.Verify)
		case "due_days":
			if b.integer(v, at, &r.DueDays) && (r.DueDays < 0 || r.DueDays > maxDueDays) {
				b.add(at, "must be between 0 and %d", maxDueDays)
			}
		default:
			return false
		}
		return true
	})
	if !given["due_days"] {
		r.DueDays = DefaultDueDays
	}
}

// timing checks the time zone, the scoring period and the reporting period
// together, and applies their defaults: the default time zone, a scoring
// period of the whole campaign, reporting every scoring period if that is a
// month or a quarter and every quarter otherwise, due ten days later.
func (b *builder) timing(rs *Ruleset, given map[string]bool) {
	if rs.TimeZone == "" {
		rs.TimeZone = DefaultTimeZone
	}
	loc, err := time.LoadLocation(rs.TimeZone)
	switch {
	case rs.TimeZone == "Local":
		b.add("timezone", "must name a zone, such as %s", DefaultTimeZone)
	case err != nil:
		b.add("timezone", "unknown time zone %q", rs.TimeZone)
	default:
		rs.Location = loc
	}

	if !given["period"] {
		rs.Period = Campaign
	}
	if !rs.Period.Valid() || rs.Period == Week {
		b.add("period", "must be month, quarter, half, year or campaign, not %q", rs.Period)
	}

	r := &rs.Reporting
	if !given["reporting"] {
		r.DueDays = DefaultDueDays
	}
	switch {
	case r.Every == "" && (rs.Period == Month || rs.Period == Quarter):
		r.Every = rs.Period
	case r.Every == "":
		r.Every = Quarter
	case r.Every != Week && r.Every != Month && r.Every != Quarter:
		b.add("reporting.every", "must be week, month or quarter, not %q", r.Every)
	case rs.Period.Valid() && r.Every.longer(rs.Period):
		b.add("reporting.every", "must not be longer than the scoring period (%s)", rs.Period)
	}
}
