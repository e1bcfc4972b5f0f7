package demo

import (
	"math"
	"time"
)

// curve is how one of a unit's indicators improves over the campaign:
// from base towards ceil with a time constant of tau months.
type curve struct {
	key        string
	base, ceil float64
	tau        float64
}

// reporter is a unit's reporting habit.
type reporter struct {
	unit     string
	from     int // first month (0 = the campaign's first) it reports
	miss     float64
	late     float64
	curves   []curve
	previous []float64
}

// reports plans the monthly reports of every unit except digital teams for
// the whole campaign, and keeps those submitted by now. Diligent units
// report on time (by the 10th of the next month) and improve faster; others
// report late, skip months or start late.
func (g *gen) reports(infos []unitInfo, dil []float64, now time.Time) []Report {
	targets := make(map[string]float64)
	for _, ind := range indicators() {
		targets[ind.Key] = ind.Target
	}
	var rs []*reporter
	for i, u := range infos {
		if u.unit.Kind == KindDigitalTeam {
			continue
		}
		d := dil[i]
		r := &reporter{
			unit: u.unit.Code,
			miss: 0.01 + 0.12*(1-d),
			late: 0.03 + 0.4*(1-d)*(1-d),
		}
		if d < 0.3 {
			r.from = g.r.IntN(4)
		}
		for _, key := range reportedKeys(u.unit.Kind, u.unit.Level) {
			t := targets[key]
			ceil := min(1, t*(0.75+0.3*(0.4*d+0.6*g.r.Float64())))
			r.curves = append(r.curves, curve{
				key:  key,
				base: ceil * (0.2 + 0.5*g.r.Float64()),
				ceil: ceil,
				tau:  3 + 9*g.r.Float64(),
			})
		}
		r.previous = make([]float64, len(r.curves))
		rs = append(rs, r)
	}

	var out []Report
	values := make([]float64, 0, 16)
	for m, month := 0, g.start; !month.After(g.end); m, month = m+1, month.AddDate(0, 1, 0) {
		ends := month.AddDate(0, 1, 0)
		for _, r := range rs {
			values = values[:0]
			for j, c := range r.curves {
				v := c.ceil - (c.ceil-c.base)*math.Exp(-float64(m)/c.tau) + 0.04*(g.r.Float64()-0.5)
				v = math.Round(min(1, max(0, v, r.previous[j]-0.02))*100) / 100
				r.previous[j] = v
				values = append(values, v)
			}
			x := g.r.Float64()
			submitted := g.office(addDays(ends, g.r.IntN(10)))
			if x < r.miss+r.late {
				submitted = g.office(addDays(ends, 11+g.r.IntN(25)))
			}
			if m < r.from || x < r.miss || submitted.After(now) {
				continue
			}
			vals := make(map[string]float64, len(values))
			for j, c := range r.curves {
				vals[c.key] = values[j]
			}
			out = append(out, Report{Unit: r.unit, Period: month.Format("2006-01"), Values: vals, SubmittedAt: submitted})
		}
	}
	return out
}
