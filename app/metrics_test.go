package app

import (
	"strings"
	"testing"
)

// TestMetricsByRoute: every request is counted in its route's series, by
// status, the kept answers of the cache too.
func TestMetricsByRoute(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		anon := ts.as("")
		for range 3 {
			anon.do("GET", "/api/v1/campaigns/cds", nil)
		}
		anon.do("GET", "/api/v1/campaigns/nothing", nil).want(404)
		body := string(anon.do("GET", "/metrics", nil).want(200).Body)
		for _, want := range []string{
			`thidua_http_requests_total{method="GET",route="/api/v1/campaigns/:slug",status="200"} 3`,
			`thidua_http_requests_total{method="GET",route="/api/v1/campaigns/:slug",status="404"} 1`,
			`thidua_http_request_duration_seconds_count{method="GET",route="/api/v1/campaigns/:slug"} 4`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}
