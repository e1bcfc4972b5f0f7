package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestVerifiedFigures scores RULES.md's worked example with
// reporting.verify: a report counts once verified, with the values last
// verified, and on time by its first submission; by hand.
func TestVerifiedFigures(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, dinhcong, _ := scoringFixture(t, ts)
		verifying := strings.Replace(exampleRuleset(t), "  due_days: 10", "  due_days: 10\n  verify: true", 1)
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", verifying).want(201)
		facts := func() store.Report {
			t.Helper()
			admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
			var us unitScore
			ts.as("").do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/score", nil).want(200).decode(&us)
			f := us.Result.Facts
			return store.Report{Values: map[string]float64{"staff": f.KPI["staff_trained"], "docs": f.KPI["docs_electronic"],
				"on_time": float64(f.Reports.OnTime), "late": float64(f.Reports.Late), "missing": float64(f.Reports.Missing)}}
		}
		check := func(what string, got store.Report, want map[string]float64) {
			t.Helper()
			for k, v := range want {
				if got.Values[k] != v {
					t.Errorf("%s: %s = %v, want %v (all: %v)", what, k, got.Values[k], v, got.Values)
				}
			}
		}
		// Nothing verified yet: nothing counts, every report is missing.
		check("before any verification", facts(), map[string]float64{"staff": 0, "docs": 0, "on_time": 0, "late": 0, "missing": 6})

		verify := func(period, decision, reason string) *response {
			return admin.do("POST", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/"+period+"/verify",
				map[string]any{"decision": decision, "reason": reason})
		}
		// The unit does not verify its own figures; a return needs a reason.
		dinhcong.do("POST", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-07/verify", map[string]any{"decision": "verified"}).want(403)
		if p := verify("2025-09", "returned", "").want(422).problem(); !slices.Equal(p.fields(), []string{"reason"}) {
			t.Errorf("a return without a reason: fields %v, want reason", p.fields())
		}
		verify("2025-07", "verified", "").want(200)
		verify("2025-07", "verified", "").want(409)
		verify("2025-08", "verified", "").want(200)
		var returned store.Report
		verify("2025-09", "returned", "Thiếu minh chứng").want(200).decode(&returned)
		if returned.Status != store.ReportReturned || returned.Reason != "Thiếu minh chứng" {
			t.Errorf("returned report = %+v", returned)
		}
		verify("2025-06", "verified", "").want(404)
		// July and August count (August late); September, returned, does not.
		check("after verifying July and August", facts(), map[string]float64{"staff": 0.8, "docs": 0.5, "on_time": 1, "late": 1, "missing": 4})

		// The unit corrects September; until verified the correction does
		// not count, then it does, on time by its first submission.
		var again store.Report
		dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-09", map[string]any{
			"values": map[string]float64{"docs_electronic": 0.95}}).want(200).decode(&again)
		if again.Status != store.ReportSubmitted || again.Reason != "" {
			t.Errorf("resubmitted report = %+v", again)
		}
		check("before the correction is verified", facts(), map[string]float64{"docs": 0.5, "missing": 4})
		verify("2025-09", "verified", "").want(200)
		check("after it is", facts(), map[string]float64{"staff": 0.8, "docs": 0.95, "on_time": 2, "late": 1, "missing": 3})

		// A verified report changed later counts as last verified.
		dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-08", map[string]any{
			"values": map[string]float64{"staff_trained": 0.2}}).want(200)
		check("a verified report changed", facts(), map[string]float64{"staff": 0.8})

		// The queue: what waits for the verifier, counted by status (the
		// verified ones, which grow with every period, are not counted).
		var q struct {
			Items  []store.ReportRow
			Counts map[string]int
		}
		admin.do("GET", "/api/v1/campaigns/cds/reports?status=submitted", nil).want(200).decode(&q)
		if len(q.Items) != 1 || q.Items[0].Period != "2025-08" || q.Items[0].Unit != "P-DINHCONG" || q.Items[0].UnitName != "Phường Định Công" ||
			q.Counts["submitted"] != 1 || q.Counts["returned"] != 0 || len(q.Counts) != 2 {
			t.Errorf("queue = %+v", q)
		}
		dinhcong.do("GET", "/api/v1/campaigns/cds/reports", nil).want(403)
		admin.do("GET", "/api/v1/campaigns/cds/reports?status=lost", nil).want(422)

		// Without verify, the latest submission counts at once.
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", exampleRuleset(t)).want(201)
		check("without verify", facts(), map[string]float64{"staff": 0.2, "docs": 0.95})
	})
}
