package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/app/webhook"
)

// TestDemoShowsTrust: the demo, loaded as `thidua demo` loads it, shows
// what makes its figures trustworthy: reports verified, awaiting and
// returned, photos as evidence, a revoked honour and a review pack for
// every closed quarter; and a webhook's log of deliveries to a portal that
// cannot be reached.
func TestDemoShowsTrust(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes seconds to load")
	}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		ds := demo.Generate(db.Now())
		if err := loadDemo(ctx, ts.srv, ds); err != nil {
			t.Fatal(err)
		}
		anon, org := ts.as(""), &client{ts: ts}
		var token struct{ Token string }
		anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "org.dinhcong", "password": "demo-organiser"}).want(200).decode(&token)
		org.token = token.Token
		var counts struct{ Counts map[string]int }
		org.do("GET", "/api/v1/campaigns/"+ds.Ward.Slug+"/reports?status=submitted", nil).want(200).decode(&counts)
		for _, status := range []string{store.ReportSubmitted, store.ReportReturned} {
			if counts.Counts[status] == 0 {
				t.Errorf("no %s report in the ward's campaign: %v", status, counts.Counts)
			}
		}
		var verified struct{ Items []store.ReportRow }
		if org.do("GET", "/api/v1/campaigns/"+ds.Ward.Slug+"/reports?status=verified&limit=1", nil).want(200).decode(&verified); len(verified.Items) == 0 {
			t.Error("no verified report in the ward's campaign")
		}
		var queue struct{ Items []store.ReportRow }
		org.do("GET", "/api/v1/campaigns/"+ds.Ward.Slug+"/reports?status=submitted", nil).want(200).decode(&queue)
		if len(queue.Items) == 0 || len(queue.Items[0].EvidenceFiles) == 0 {
			t.Fatalf("reports awaiting verification carry no photo: %+v", queue.Items)
		}
		photo := anon.do("GET", queue.Items[0].EvidenceFiles[0].URL, nil).want(200)
		if photo.Header.Get("Content-Type") != "image/jpeg" || len(photo.Body) < 5000 {
			t.Errorf("demo photo: %s, %d bytes", photo.Header.Get("Content-Type"), len(photo.Body))
		}
		var honours struct{ Items []store.Honour }
		anon.do("GET", "/api/v1/campaigns/"+ds.Campaign.Slug+"/honours?limit=500", nil).want(200).decode(&honours)
		revoked := 0
		for _, h := range honours.Items {
			if h.RevokedAt != nil && h.RevokeReason != "" {
				revoked++
			}
		}
		if revoked != 1 {
			t.Errorf("%d revoked honours in the city's campaign, want 1", revoked)
		}
		closed, err := db.ClosedPeriods(ctx, ds.Campaign.Slug)
		if err != nil || len(closed) < 4 {
			t.Fatalf("closed quarters %v, %v", closed, err)
		}
		for _, p := range closed {
			r := anon.do("GET", "/api/v1/campaigns/"+ds.Campaign.Slug+"/periods/"+p+"/review.pdf", nil).want(200)
			if !strings.HasPrefix(string(r.Body), "%PDF") {
				t.Errorf("review pack of %s is not a PDF", p)
			}
		}

		// The city's portal is subscribed to the campaign's closes and
		// revocations: each queued, and tried, failing, to be tried again.
		admin := &client{ts: ts}
		anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "demo-admin"}).want(200).decode(&token)
		admin.token = token.Token
		var hooks struct{ Items []platform.WebhookView }
		admin.do("GET", "/api/v1/webhooks", nil).want(200).decode(&hooks)
		if len(hooks.Items) != 1 || hooks.Items[0].URL != DemoWebhookURL {
			t.Fatalf("demo webhooks = %+v", hooks.Items)
		}
		w := webhook.New(db, webhook.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if _, err := w.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		var log struct{ Items []store.Delivery }
		admin.do("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", hooks.Items[0].ID), nil).want(200).decode(&log)
		events := map[string]int{}
		for _, d := range log.Items {
			events[d.Event]++
			if d.Status != store.DeliveryPending || d.Attempts != 1 || !strings.Contains(d.LastError, "no such host") || !d.NextAttemptAt.After(db.Now()) {
				t.Errorf("demo delivery %+v, want tried once, failed on the name, pending", d)
			}
		}
		if events[store.EventPeriodClosed] != len(closed) || events[store.EventHonourRevoked] != 1 {
			t.Errorf("demo deliveries %v, want a period.closed for each of %d closed quarters and one honour.revoked", events, len(closed))
		}

		// The reminders' preview has something to show: the judges' projects
		// to score at least, and the returned report to its officer.
		digests, err := ts.srv.svc.Reminders().Build(ctx, db.Now(), "")
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, d := range digests {
			for _, it := range d.Items {
				kinds[it.Kind] = true
			}
		}
		for _, k := range []string{store.RemindUnscored, store.RemindReturned} {
			if !kinds[k] {
				t.Errorf("the demo's digests have no %s reminder: %+v", k, digests)
			}
		}
	})
}
