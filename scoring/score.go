package scoring

import (
	"math"
	"runtime"
	"sync"

	"github.com/thidua/thidua/rules"
)

// Unit is one participating unit with its facts for the scored period.
// Facts.Unit is ignored: unit.level and unit.kind are Level and Kind.
type Unit struct {
	Code     string
	Name     string
	Level    string
	Kind     string
	Clusters []string
	Facts    rules.Facts
}

// Score scores every unit with the ruleset (RULES.md "Meaning") and ranks
// them. Points and totals are rounded to 4 decimal places (the total from
// the exact points), so that float noise never splits a tie. The board does not depend on the order of units
// (given distinct codes).
func Score(rs *rules.Ruleset, units []Unit) *Board {
	width := len(rs.Criteria) + len(rs.Adjustments)
	lines := make([]Line, len(units)*width) // one allocation for every breakdown
	outcomes := make([]outcome, len(units))

	// Evaluation dominates, and units are independent: split them between
	// the cores, each with its own evaluator.
	workers := min(runtime.GOMAXPROCS(0), len(units)/minPerWorker+1)
	chunk := (len(units) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(units); lo += chunk {
		hi := min(lo+chunk, len(units))
		wg.Go(func() {
			e := rs.NewEvaluator()
			var f rules.Facts // reused, so that no unit costs an allocation
			for i := lo; i < hi; i++ {
				f = factsOf(&units[i])
				outcomes[i] = score(rs, e, &f, lines[i*width:(i+1)*width])
			}
		})
	}
	wg.Wait()

	// Build the results in overall order, then rank them.
	results := make([]Result, len(units))
	max := rs.MaxTotal()
	for k, i := range order(units, outcomes) {
		u, r := &units[i], &results[k]
		breakdown := lines[i*width : (i+1)*width : (i+1)*width]
		*r = Result{
			Code: u.Code, Name: u.Name, Level: u.Level, Kind: u.Kind, Clusters: u.Clusters,
			Total: outcomes[i].total, Max: max, Eligible: outcomes[i].eligible,
			Criteria:    breakdown[:len(rs.Criteria):len(rs.Criteria)],
			Adjustments: breakdown[len(rs.Criteria):],
			Facts:       factsOf(u),
		}
	}
	rank(results)
	return &Board{Results: results}
}

// minPerWorker is the fewest units worth a goroutine of their own.
const minPerWorker = 2000

// factsOf is u's facts with unit.level and unit.kind set.
func factsOf(u *Unit) rules.Facts {
	f := u.Facts
	f.Unit = rules.UnitFacts{Level: u.Level, Kind: u.Kind}
	return f
}

// outcome is a unit's total and eligibility.
type outcome struct {
	total    float64
	eligible bool
}

// score evaluates every criterion and adjustment on f into lines, and
// returns the total and eligibility.
func score(rs *rules.Ruleset, e *rules.Evaluator, f *rules.Facts, lines []Line) outcome {
	o := outcome{eligible: true}
	var total float64
	for i, c := range rs.Criteria {
		v, err := e.Value(i, f)
		l := &lines[i]
		points := c.Weight * clamp(v, 0, 1)
		*l = Line{Key: c.Key, Title: c.Title, Value: v, Points: round(points)}
		if err != nil {
			l.Error = err.Error()
		}
		if c.Required && v <= 0 {
			o.eligible = false
		}
		total += points
	}
	for i, a := range rs.Adjustments {
		v, err := e.Points(i, f)
		p := v
		if a.Min != nil {
			p = math.Max(p, *a.Min)
		}
		if a.Max != nil {
			p = math.Min(p, *a.Max)
		}
		l := &lines[len(rs.Criteria)+i]
		*l = Line{Key: a.Key, Title: a.Title, Value: v, Points: round(p)}
		if err != nil {
			l.Error = err.Error()
		}
		total += clamp(p, -maxPoints, maxPoints)
	}
	// The total adds the exact points and is rounded once: rounding each
	// line first would make 3 × 10/3 (9.9999) lose a tie to 10.
	o.total = round(total)
	return o
}

func clamp(x, lo, hi float64) float64 {
	return math.Min(math.Max(x, lo), hi)
}

// maxPoints bounds any points and total, so that absurd weights or
// adjustments cannot overflow to infinity (which JSON cannot carry).
const maxPoints = 1e12

// round rounds x to 4 decimal places, within ±maxPoints.
func round(x float64) float64 {
	return math.Round(clamp(x, -maxPoints, maxPoints)*1e4) / 1e4
}
