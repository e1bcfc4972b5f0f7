package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/policy"
)

// The verifier's queue is kept by the scope of its caller: organisers of
// different subtrees, read in turn, each get their own queue, from the
// cache the second time; a report submitted, verified or returned shows in
// the next read of every scope it is in; a caller who verifies nothing is
// refused whatever the cache holds.
func TestVerifierQueueCache(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		ts.addUser("org.hn", policy.Organiser, "HN")
		ts.addUser("org.dc", policy.Organiser, "P-DINHCONG")
		ts.addUser("org.hk", policy.Organiser, "P-HOANKIEM")
		ts.addUser("pn", policy.Officer, "P-DINHCONG-PN")
		admin, dinhcong, hoankiem, pn := ts.as("admin"), ts.as("dinhcong"), ts.as("hoankiem"), ts.as("pn")
		readers := map[string]*client{"admin": admin, "org.hn": ts.as("org.hn"), "org.dc": ts.as("org.dc"), "org.hk": ts.as("org.hk")}
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range readers {
				if !yield(n) {
					return
				}
			}
		})
		ts.at("2025-08-05T03:00:00Z")
		report := func(c *client, unit, period string) {
			t.Helper()
			c.do("PUT", "/api/v1/campaigns/cds/units/"+unit+"/reports/"+period, map[string]any{"values": map[string]float64{"staff_trained": 0.5}}).want(200)
		}
		report(dinhcong, "P-DINHCONG", "2025-07")
		report(pn, "P-DINHCONG-PN", "2025-07")

		const queue = "/api/v1/campaigns/cds/reports?status=submitted"
		// check reads the queue of each reader twice, in turn, and wants
		// the units of its reports and its counts.
		check := func(when string, want map[string]string) {
			t.Helper()
			etags := map[string]string{}
			for round := range 2 {
				for _, name := range names {
					r := readers[name].do("GET", queue, nil).want(200)
					var q reportQueue
					r.decode(&q)
					var units []string
					for _, it := range q.Items {
						units = append(units, it.Unit+"/"+it.Period)
					}
					got := fmt.Sprintf("%s %d/%d", strings.Join(units, ","), q.Counts["submitted"], q.Counts["returned"])
					if got != want[name] {
						t.Errorf("%s, round %d: %s's queue = %q, want %q", when, round, name, got, want[name])
					}
					etag := r.Header.Get("ETag")
					if round == 1 && etag != etags[name] {
						t.Errorf("%s: %s's queue again has ETag %q, want %q (kept)", when, name, etag, etags[name])
					}
					etags[name] = etag
				}
			}
			dinhcong.do("GET", queue, nil).want(403) // verifies nothing, whatever is kept
		}
		check("at first", map[string]string{
			"admin":  "P-DINHCONG/2025-07,P-DINHCONG-PN/2025-07 2/0",
			"org.hn": "P-DINHCONG/2025-07,P-DINHCONG-PN/2025-07 2/0",
			"org.dc": "P-DINHCONG-PN/2025-07 1/0",
			"org.hk": " 0/0",
		})

		report(hoankiem, "P-HOANKIEM", "2025-07")
		check("after a report is submitted", map[string]string{
			"admin":  "P-DINHCONG/2025-07,P-DINHCONG-PN/2025-07,P-HOANKIEM/2025-07 3/0",
			"org.hn": "P-DINHCONG/2025-07,P-DINHCONG-PN/2025-07,P-HOANKIEM/2025-07 3/0",
			"org.dc": "P-DINHCONG-PN/2025-07 1/0",
			"org.hk": " 0/0",
		})

		admin.do("POST", "/api/v1/campaigns/cds/units/P-DINHCONG-PN/reports/2025-07/verify", map[string]any{"decision": "verified"}).want(200)
		check("after a report is verified", map[string]string{
			"admin":  "P-DINHCONG/2025-07,P-HOANKIEM/2025-07 2/0",
			"org.hn": "P-DINHCONG/2025-07,P-HOANKIEM/2025-07 2/0",
			"org.dc": " 0/0",
			"org.hk": " 0/0",
		})

		readers["org.hn"].do("POST", "/api/v1/campaigns/cds/units/P-HOANKIEM/reports/2025-07/verify",
			map[string]any{"decision": "returned", "reason": "Thiếu biên bản."}).want(200)
		check("after a report is returned", map[string]string{
			"admin":  "P-DINHCONG/2025-07 1/1",
			"org.hn": "P-DINHCONG/2025-07 1/1",
			"org.dc": " 0/0",
			"org.hk": " 0/0",
		})
	})
}

// The audit log is kept for the auditors alike: the same answer until an
// entry is written, which shows in the next read; whoever may not read the
// log is refused whatever the cache holds.
func TestAuditLogCache(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		ts.addUser("admin2", policy.Admin, "")
		ts.addUser("org.hn", policy.Organiser, "HN")
		admin, admin2, org := ts.as("admin"), ts.as("admin2"), ts.as("org.hn")
		const log = "/api/v1/audit?limit=3"
		first := admin.do("GET", log, nil).want(200)
		for _, c := range []*client{admin, admin2} {
			if r := c.do("GET", log, nil).want(200); r.Header.Get("ETag") != first.Header.Get("ETag") || string(r.Body) != string(first.Body) {
				t.Errorf("the log again: ETag %q, want %q (kept)", r.Header.Get("ETag"), first.Header.Get("ETag"))
			}
		}
		org.do("GET", log, nil).want(403)
		ts.as("").do("GET", log, nil).want(401)

		admin2.do("POST", "/api/v1/campaigns/cds/indicators", map[string]any{
			"key": "docs_electronic", "title": "Văn bản điện tử", "unit": "percent", "target": 1}).want(201)
		var l struct {
			Items []struct {
				Actor, Entity string
			}
		}
		admin.do("GET", log, nil).want(200).decode(&l)
		if len(l.Items) == 0 || l.Items[0].Actor != "admin2" || l.Items[0].Entity != "indicator" {
			t.Errorf("the log after a write begins with %+v, want admin2's indicator", l.Items)
		}
	})
}
