package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestPeriods: a period that has not ended closes only early, for a reason;
// the admin alone reopens a closed period, which accepts reports again and
// keeps its closing run in the history, superseded.
func TestPeriods(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, dinhcong, _ := scoringFixture(t, ts)
		ts.at("2025-11-20T03:00:00Z")
		fields := func(r *response, want ...string) {
			t.Helper()
			if got := r.problem().fields(); !slices.Equal(got, want) {
				t.Errorf("%s: problem fields %v, want %v", r.req, got, want)
			}
		}
		fields(admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"close": true}).want(409), "period")
		fields(admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"close": true, "early": true}).want(422), "reason")
		var first store.Run
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"close": true, "early": true,
			"reason": "Sơ kết sớm theo Kế hoạch 15/KH"}).want(201).decode(&first)
		if first.Period != "2025-Q4" || !first.Closing || first.EarlyReason != "Sơ kết sớm theo Kế hoạch 15/KH" {
			t.Fatalf("early close = %+v", first)
		}
		november := "/api/v1/campaigns/cds/units/P-DINHCONG/reports/2025-11"
		report := map[string]any{"values": map[string]float64{"staff_trained": 0.9}}
		dinhcong.do("PUT", november, report).want(409)

		reopen := func(c *client, slug, period string, body any) *response {
			return c.do("POST", "/api/v1/campaigns/"+slug+"/periods/"+period+"/reopen", body)
		}
		why := map[string]any{"reason": "Phường Định Công nhập sai số liệu tháng 11"}
		reopen(dinhcong, "cds", "2025-Q4", why).want(403)
		fields(reopen(admin, "cds", "2025-Q3", why).want(409), "period")
		fields(reopen(admin, "cds", "2025-Q9", why).want(422), "period")
		fields(reopen(admin, "cds", "2025-Q4", map[string]any{}).want(422), "reason")
		reopen(admin, "nope", "2025-Q4", why).want(404)
		var superseded store.Run
		reopen(admin, "cds", "2025-Q4", why).want(200).decode(&superseded)
		if superseded.ID != first.ID || superseded.SupersededAt == nil || superseded.SupersededReason != why["reason"] {
			t.Errorf("reopened = %+v, want the closing run, superseded", superseded)
		}
		fields(reopen(admin, "cds", "2025-Q4", why).want(409), "period")
		dinhcong.do("PUT", november, report).want(200)

		var second store.Run
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"close": true, "early": true,
			"reason": "Chốt lại sau khi sửa"}).want(201).decode(&second)
		var runs struct{ Items []store.Run }
		ts.as("").do("GET", "/api/v1/campaigns/cds/runs", nil).want(200).decode(&runs)
		if len(runs.Items) < 2 || runs.Items[0].ID != second.ID || runs.Items[0].SupersededAt != nil ||
			runs.Items[1].ID != first.ID || runs.Items[1].SupersededAt == nil {
			t.Errorf("run history = %+v, want the new close, then the superseded one", runs.Items)
		}
	})
}

// TestWeeklyReporting: with reporting every week, units report ISO weeks,
// counted on time, late or missing by hand.
func TestWeeklyReporting(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, dinhcong, _ := scoringFixture(t, ts)
		weekly := strings.Replace(strings.Replace(exampleRuleset(t), "every: month ", "every: week ", 1), "due_days: 10 ", "due_days: 2 ", 1)
		if weekly == exampleRuleset(t) {
			t.Fatal("the example ruleset no longer reports monthly")
		}
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", weekly).want(201)
		put := func(period string) *response {
			return dinhcong.do("PUT", "/api/v1/campaigns/cds/units/P-DINHCONG/reports/"+period,
				map[string]any{"values": map[string]float64{"staff_trained": 0.9}})
		}
		ts.at("2025-11-18T03:00:00Z")
		put("2025-W46").want(200) // 10–16 November, due by 19 November: on time
		ts.at("2025-11-20T03:00:00Z")
		put("2025-W45").want(200) // due by 12 November: late
		for _, bad := range []string{"2026-W54", "2025-W54", "2025-11", "2025-W7"} {
			if p := put(bad).want(422).problem(); !slices.Equal(p.fields(), []string{"period"}) {
				t.Errorf("report for %s: fields %v, want period", bad, p.fields())
			}
		}
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q4"}).want(201)
		var us unitScore
		ts.as("").do("GET", "/api/v1/campaigns/cds/units/P-DINHCONG/score", nil).want(200).decode(&us)
		// Due by 20 November: the weeks from 2025-W14 (the campaign starts
		// on 1 April) to 2025-W46, 33 of them.
		want := map[string]int{"due": 33, "on_time": 1, "late": 1, "missing": 31}
		r := us.Result.Facts.Reports
		got := map[string]int{"due": r.Due, "on_time": r.OnTime, "late": r.Late, "missing": r.Missing}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("reports.%s = %d, want %d (all: %v)", k, got[k], v, got)
			}
		}
	})
}
