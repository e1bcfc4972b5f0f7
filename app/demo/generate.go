package demo

import (
	"math/rand/v2"
	"time"
)

// Campaign identity and period. The city launched the movement on 20 March
// 2025; the platform's campaign runs from April 2025 to the end of 2026.
const (
	CampaignSlug = "cong-dan-so"
	CampaignName = "Công dân số cùng Thủ đô vươn mình"
)

// Seeds of the generator: changing them changes the whole dataset.
const seed1, seed2 = 20250320, 57

// noProjectShare is the share of ward-level units planned without any
// project, so that the movement's core requirement is visibly unmet.
const noProjectShare = 0.11

// Generate builds the demo dataset as of now: covenants, projects, their
// history and progress, and reports exist only up to now, and a report only
// for a month that has ended. The same now always gives the same dataset.
func Generate(now time.Time) *Dataset {
	g := newGen()
	clusters, infos := buildUnits()
	units := make([]Unit, len(infos))
	for i, u := range infos {
		units[i] = u.unit
	}
	dil := g.diligence(infos)
	covenants := g.covenants(infos, dil)
	plans := g.planProjects(infos, dil)
	reports := g.reports(infos, dil, now)

	d := &Dataset{
		Clusters: clusters,
		Units:    units,
		Users:    users(),
		Campaign: Campaign{Slug: CampaignSlug, Name: CampaignName,
			StartsOn: g.start, EndsOn: g.end},
		Indicators: indicators(),
		Projects:   cutProjects(plans, now),
		Reports:    reports,
	}
	d.Judges, d.Assignments, d.Scores = committee(plans, infos, now)
	d.Ward = ward(units, now)
	decide(d.Reports, now)
	decide(d.Ward.Reports, now)
	for _, c := range covenants {
		if !c.SignedAt.After(now) {
			d.Covenants = append(d.Covenants, c)
		}
	}
	return d
}

// gen holds the random source and the campaign's bounds.
type gen struct {
	r     *rand.Rand
	start time.Time // first day, midnight UTC
	end   time.Time // last day, midnight UTC
}

func newGen() *gen {
	return &gen{
		r:     rand.New(rand.NewPCG(seed1, seed2)),
		start: day(2025, time.April, 1),
		end:   day(2026, time.December, 31),
	}
}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOf truncates t to midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return day(y, m, d)
}

func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// office returns a moment during office hours in Hanoi (08:00–16:59,
// UTC+7) on the day of d.
func (g *gen) office(d time.Time) time.Time {
	return dateOf(d).Add(time.Duration(1+g.r.IntN(9))*time.Hour + time.Duration(g.r.IntN(60))*time.Minute)
}

// diligence gives every unit a number in [0, 1): how active it is. It drives
// projects, covenants and reporting, so that the same units lead everywhere.
func (g *gen) diligence(infos []unitInfo) []float64 {
	d := make([]float64, len(infos))
	for i, u := range infos {
		d[i] = g.r.Float64()
		if u.showcase {
			d[i] = 0.85 + 0.15*d[i]
		}
	}
	return d
}

// users returns the demo accounts. Two judges belong to units, so that
// conflicts of interest show up when projects are assigned. Định Công's
// organiser runs the ward's own campaign; its Front committee's officer
// acts for the ward and every organisation below it. Their addresses are
// of the reserved domain thidua.example: the reminders' preview shows what
// each would get, and no mail reaches anyone.
func users() []User {
	return []User{
		{"admin", "demo-admin", RoleAdmin, "", "", "admin@thidua.example"},
		{"org.dinhcong", "demo-organiser", RoleOrganiser, "P-DINHCONG", "", "org.dinhcong@thidua.example"},
		{"dinhcong", "demo-unit", RoleUnit, "P-DINHCONG", "", "dinhcong@thidua.example"},
		{"mttq.dinhcong", "demo-unit", RoleUnit, "P-DINHCONG", "subtree", "mttq.dinhcong@thidua.example"},
		{"phunu.dinhcong", "demo-unit", RoleUnit, "P-DINHCONG-PN", "", "phunu.dinhcong@thidua.example"},
		{"socson", "demo-unit", RoleUnit, "X-SOCSON", "", "socson@thidua.example"},
		{"judge1", "demo-judge", RoleJudge, "", "", "judge1@thidua.example"},
		{"judge2", "demo-judge", RoleJudge, "P-DINHCONG", "", "judge2@thidua.example"},
		{"judge3", "demo-judge", RoleJudge, "", "", "judge3@thidua.example"},
		{"judge4", "demo-judge", RoleJudge, "HN-TN", "", "judge4@thidua.example"},
		{"judge5", "demo-judge", RoleJudge, "", "", "judge5@thidua.example"},
	}
}

// covenants has the city's member organisations and most ward and commune
// Fronts sign in April 2025, pledging the city's targets for the indicators
// they report, some with targets of their own.
func (g *gen) covenants(infos []unitInfo, dil []float64) []Covenant {
	city := make(map[string]float64)
	for _, ind := range indicators() {
		city[ind.Key] = ind.Target
	}
	var out []Covenant
	for i, u := range infos {
		cityOrg := u.unit.Level == LevelCity && u.unit.Code != cityCode
		wardFront := u.unit.Level == LevelCommune && u.unit.Kind == KindFront
		if !cityOrg && !wardFront {
			continue
		}
		signed := g.office(addDays(g.start, 2+g.r.IntN(26)))
		targets := make(map[string]float64)
		for _, key := range reportedKeys(u.unit.Kind, u.unit.Level) {
			targets[key] = city[key]
		}
		x := g.r.Float64()
		switch {
		case wardFront && !u.ward && x < 0.45:
			targets[IndicatorCashless] = 0.6
		case wardFront && !u.ward && x < 0.6:
			targets[IndicatorCashless] = 0.7
		case wardFront && u.ward && x < 0.15:
			targets[IndicatorCashless] = 0.9
		}
		x = g.r.Float64()
		switch {
		case wardFront && u.ward && x < 0.25:
			targets[IndicatorWorkforceTrained] = 0.8
		case wardFront && !u.ward && x < 0.3:
			targets[IndicatorAdultsDigitalServices] = 0.9
		}
		if _, ok := targets[IndicatorDonationsDigital]; ok {
			if x = g.r.Float64(); x < 0.12 {
				targets[IndicatorDonationsDigital] = 0.4
			} else if x < 0.2 {
				targets[IndicatorDonationsDigital] = 0.6
			}
		}
		if wardFront && dil[i] < 0.08 && !u.showcase {
			continue // a few Fronts never sign
		}
		out = append(out, Covenant{Unit: u.unit.Code, SignedAt: signed, Targets: targets})
	}
	return out
}
