package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestMetricsByRoute: every request is counted in its route's series, by
// status, the kept answers of the cache too; and the writes that share a
// transaction are counted (on PostgreSQL a progress note is one).
func TestMetricsByRoute(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon, officer := ts.as(""), ts.as("dinhcong")
		var p store.Project
		officer.do("POST", "/api/v1/campaigns/cds/projects", map[string]any{
			"unit": "P-DINHCONG", "title": "Tổ công nghệ số cộng đồng", "summary": "Hướng dẫn người dân dùng VNeID.",
			"category": "digital_skills", "starts_on": "2025-05-01", "ends_on": "2025-12-31",
		}).want(201).decode(&p)
		for range 2 {
			officer.do("POST", fmt.Sprintf("/api/v1/projects/%d/progress", p.ID), map[string]any{"note": "Buổi hướng dẫn"}).want(201)
		}
		sent, carried := ts.db.TripStats()
		if ts.db.Dialect() == store.Postgres && (sent < 2 || carried < 2) {
			t.Errorf("two progress notes: %d transactions carried %d writes; want at least 2 and 2", sent, carried)
		}
		for range 3 {
			anon.do("GET", "/api/v1/campaigns/cds", nil)
		}
		anon.do("GET", "/api/v1/campaigns/nothing", nil).want(404)
		body := string(anon.do("GET", "/metrics", nil).want(200).Body)
		for _, want := range []string{
			`thidua_http_requests_total{method="GET",route="/api/v1/campaigns/:slug",status="200"} 3`,
			`thidua_http_requests_total{method="GET",route="/api/v1/campaigns/:slug",status="404"} 1`,
			`thidua_http_request_duration_seconds_count{method="GET",route="/api/v1/campaigns/:slug"} 4`,
			fmt.Sprintf("thidua_write_transactions_total %d\n", sent),
			fmt.Sprintf("thidua_writes_carried_total %d\n", carried),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}
