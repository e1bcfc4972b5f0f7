package web

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// Charts are drawn on the server as inline SVG, in user units of a fixed
// viewBox that the CSS scales to the screen: no script, no image request.
// Each chart sits beside a table of the same figures for screen readers.

// chartWidth is the width of every chart's viewBox.
const chartWidth = 320

// progressChart shows each indicator's mean reported value against the
// city's target, in a run's period.
type progressChart struct {
	Period string // "" before the first run: targets only
	Bars   []progressBar
	Height int
}

// progressBar is one indicator's bar: the share of its target the units
// reached on average, at most all of it.
type progressBar struct {
	store.Indicator
	Mean     float64 // the mean of the values reported, when Reported > 0
	Reported int     // how many units reported the indicator
	Y        int     // the top of the bar's row
	Width    float64 // the bar's length; the target is chartWidth
}

// progressRow is the height of one bar's row: a label and the bar.
const progressRow = 34

// newProgressChart computes the mean of each indicator's values over the
// units that reported it in the board's facts; lb may be nil.
func newProgressChart(inds []store.Indicator, lb *platform.Leaderboard, f formats) *progressChart {
	ch := &progressChart{Height: len(inds) * progressRow}
	if lb != nil {
		ch.Period = lb.Run.Period
	}
	sums := make([]float64, len(inds))
	reported := make([]int, len(inds))
	if lb != nil {
		lb.Table.Facts(func(_ *scoring.Standing, f *rules.Facts) {
			for i, in := range inds {
				if v, ok := f.KPI[in.Key]; ok && f.Reported[in.Key] {
					sums[i] += v
					reported[i]++
				}
			}
		})
	}
	for i, in := range inds {
		b := progressBar{Indicator: in, Y: i * progressRow, Reported: reported[i]}
		if b.Reported > 0 {
			b.Mean = sums[i] / float64(b.Reported)
		}
		if in.Target > 0 {
			b.Width = math.Round(min(b.Mean/in.Target, 1)*chartWidth*10) / 10
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

// lineChart is a small line chart of one figure over runs.
type lineChart struct {
	Points []chartPoint
	Line   string      // the polyline's points
	Ticks  []chartTick // labels of the vertical axis
	First  string      // the first and last runs' periods, under the axis
	Last   string
}

type chartPoint struct {
	X, Y  float64
	Label string // the period and the value, for the point's tooltip
}

type chartTick struct {
	Y     float64
	Label string
}

// The plot area inside a line chart's viewBox (chartWidth × lineHeight).
const (
	lineHeight = 140
	plotLeft   = 40
	plotRight  = chartWidth - 10
	plotTop    = 10
	plotBottom = lineHeight - 24
)

// newLineChart plots values from lo (at the bottom) to hi, or from hi at
// the bottom up to lo when inverted (ranks: 1 on top).
func newLineChart(periods []string, values []float64, lo, hi float64, inverted bool, format func(float64) string) *lineChart {
	if len(values) == 0 || hi <= lo {
		return nil
	}
	y := func(v float64) float64 {
		share := (v - lo) / (hi - lo)
		if !inverted {
			share = 1 - share
		}
		return math.Round((plotTop+share*(plotBottom-plotTop))*10) / 10
	}
	ch := &lineChart{First: periods[0], Last: periods[len(periods)-1]}
	step := 0.0
	if len(values) > 1 {
		step = float64(plotRight-plotLeft) / float64(len(values)-1)
	}
	var line strings.Builder
	for i, v := range values {
		x := float64(plotLeft) + float64(i)*step
		if len(values) == 1 {
			x = (plotLeft + plotRight) / 2
		}
		p := chartPoint{X: math.Round(x*10) / 10, Y: y(v), Label: periods[i] + ": " + format(v)}
		ch.Points = append(ch.Points, p)
		if i > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(strconv.FormatFloat(p.X, 'f', -1, 64) + "," + strconv.FormatFloat(p.Y, 'f', -1, 64))
	}
	ch.Line = line.String()
	for _, v := range []float64{lo, (lo + hi) / 2, hi} {
		ch.Ticks = append(ch.Ticks, chartTick{Y: y(v), Label: format(v)})
	}
	return ch
}

// historyCharts are a unit's total and overall rank over the runs.
func historyCharts(hist []store.HistoryPoint, maxTotal float64, units int, f formats) (total, rank *lineChart) {
	var periods, rankPeriods []string
	var totalValues, rankValues []float64
	for _, p := range hist {
		periods = append(periods, f.period(p.Period))
		totalValues = append(totalValues, p.Total)
		if p.RankOverall > 0 {
			rankPeriods = append(rankPeriods, f.period(p.Period))
			rankValues = append(rankValues, float64(p.RankOverall))
		}
	}
	total = newLineChart(periods, totalValues, 0, maxTotal, false, f.number)
	lo, hi := rankRange(rankValues, units)
	rank = newLineChart(rankPeriods, rankValues, lo, hi, true, f.number)
	return total, rank
}

// rankRange is the span of a rank chart's axis: the unit's own ranks with
// a margin, not 1 to the number of units, so that a move from 212th to
// 180th shows as one; the ends are whole ranks with one halfway between.
func rankRange(ranks []float64, units int) (lo, hi float64) {
	if len(ranks) == 0 {
		return 1, float64(max(units, 2))
	}
	lo, hi = slices.Min(ranks), slices.Max(ranks)
	pad := max(1, math.Ceil((hi-lo)/10))
	lo, hi = max(1, lo-pad), hi+pad
	if units > 1 {
		hi = min(hi, float64(units))
	}
	if int(hi-lo)%2 == 1 { // a whole middle tick
		if lo > 1 {
			lo--
		} else {
			hi++
		}
	}
	return lo, max(hi, lo+2)
}
