package platform

import (
	"fmt"
	"time"

	"github.com/thidua/thidua/rules"
)

// evaluationBudget is what a ruleset may cost to score one unit, measured
// when it is saved or tried: a national run scores 100,000 units, so a
// ruleset at the budget adds at most 25 s to it. Rulesets of the movement
// cost a few microseconds a unit.
const evaluationBudget = 250 * time.Microsecond

// checkCost measures the evaluation of a ruleset's criteria and
// adjustments on a typical unit's facts, and refuses one over the budget,
// naming its costliest expression.
func checkCost(rs *rules.Ruleset, indicators []string) error {
	f := typicalFacts(indicators)
	e := rs.NewEvaluator()
	var total, worst time.Duration
	worstPath := ""
	measure := func(path string, eval func() error) {
		best := time.Duration(1<<63 - 1)
		for range 5 { // the fastest of a few tries: what the expression costs, not the machine's hiccups
			start := time.Now()
			eval()
			best = min(best, time.Since(start))
			if best > evaluationBudget {
				break
			}
		}
		total += best
		if best > worst {
			worst, worstPath = best, path
		}
	}
	for i := range rs.Criteria {
		if total > evaluationBudget {
			break
		}
		measure(fmt.Sprintf("criteria[%d].value", i), func() error { _, err := e.Value(i, f); return err })
	}
	for i := range rs.Adjustments {
		if total > evaluationBudget {
			break
		}
		measure(fmt.Sprintf("adjustments[%d].points", i), func() error { _, err := e.Points(i, f); return err })
	}
	if total <= evaluationBudget {
		return nil
	}
	return rules.Problems{{Path: worstPath, Message: fmt.Sprintf(
		"the ruleset costs over %d µs to score one unit (this expression %d µs): at most %d µs, or a run of 100,000 units would take over %d s",
		total.Microseconds(), worst.Microseconds(), evaluationBudget.Microseconds(), int(evaluationBudget.Seconds()*100_000))}}
}

// typicalFacts are a unit's facts midway through a campaign: every
// indicator reported at half, a few projects, reports mostly on time.
func typicalFacts(indicators []string) *rules.Facts {
	f := &rules.Facts{
		Unit:     rules.UnitFacts{Level: "commune", Kind: "front"},
		Projects: rules.ProjectFacts{Registered: 3, InProgress: 1, Completed: 1, Verified: 1, Adopted: 1},
		KPI:      map[string]float64{}, Target: map[string]float64{}, Reported: map[string]bool{},
		Reports: rules.ReportFacts{Due: 6, OnTime: 4, Late: 1, Missing: 1},
		Judging: rules.JudgingFacts{Best: 0.8, Mean: 0.7, Projects: 2},
	}
	for _, k := range indicators {
		f.KPI[k], f.Target[k], f.Reported[k] = 0.5, 1, true
	}
	return f
}
