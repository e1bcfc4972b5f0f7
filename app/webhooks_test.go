package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/app/webhook"
)

// TestWebhooksAPI: who may subscribe, see, test and remove webhooks; URLs
// to internal addresses or without https refused on url; the secret shown
// once; events of the campaign queued for its subscriptions.
func TestWebhooksAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		f := newAuthzFixture(t, ts)
		c := f.clients
		hook := func(url string, campaign string) map[string]any {
			return map[string]any{"url": url, "events": []string{"honour.revoked", "report.returned"}, "campaign": campaign}
		}
		const public = "https://93.184.215.14/thidua"

		// Refused URLs, on url, writing nothing.
		before := auditCount(t, ts.db)
		for _, u := range []string{"https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/hook", "https://localhost/hook",
			"http://93.184.215.14/hook", "http://localhost:8080/hook", "https://[::1]/hook", "https://192.168.0.10/hook", "không phải URL"} {
			p := c["admin"].do("POST", "/api/v1/webhooks", hook(u, "dc")).want(422).problem()
			if !slices.Equal(p.fields(), []string{"url"}) {
				t.Errorf("POST %s: fields %v, want url", u, p.fields())
			}
		}
		p := c["admin"].do("POST", "/api/v1/webhooks", map[string]any{"url": public, "events": []string{"run.exploded"}, "secret": "short"}).
			want(422).problem()
		if !slices.Equal(p.fields(), []string{"events[0]", "secret"}) {
			t.Errorf("bad events and secret: fields %v", p.fields())
		}
		c["admin"].do("POST", "/api/v1/webhooks", hook(public, "no-such")).want(422)
		if after := auditCount(t, ts.db); after != before {
			t.Errorf("refused subscriptions wrote %d audit entries", after-before)
		}

		// Who may subscribe to the campaign's events, and to every campaign's.
		for who, want := range map[string]int{"admin": 201, "organiser": 201, "sibling": 403, "own": 403, "subtree": 403, "judge": 403, "anon": 401} {
			c[who].do("POST", "/api/v1/webhooks", hook(public, "dc")).want(want)
		}
		p = c["organiser"].do("POST", "/api/v1/webhooks", hook(public, "")).want(403).problem()
		if !slices.Equal(p.fields(), []string{"campaign"}) {
			t.Errorf("an organiser's subscription to every campaign: fields %v, want campaign", p.fields())
		}
		var mine platform.WebhookView
		c["organiser"].do("POST", "/api/v1/webhooks", map[string]any{"url": public, "campaign": "dc",
			"events": []string{"honour.revoked", "honour.revoked", "report.returned"}, "secret": "the-organisers-secret-0001"}).
			want(201).decode(&mine)
		if mine.Secret != "the-organisers-secret-0001" || !slices.Equal(mine.Events, []string{"honour.revoked", "report.returned"}) {
			t.Errorf("created = %+v", mine)
		}
		var global platform.WebhookView
		c["admin"].do("POST", "/api/v1/webhooks", map[string]any{"url": public, "events": []string{"run.succeeded"}}).want(201).decode(&global)
		if !strings.HasPrefix(global.Secret, "whsec_") || len(global.Secret) < 40 || global.Campaign != nil {
			t.Errorf("a subscription without a secret = %+v, want one made", global)
		}

		// Read back: the secret masked; each sees what it manages.
		path := fmt.Sprintf("/api/v1/webhooks/%d", mine.ID)
		got := c["organiser"].do("GET", path, nil).want(200)
		if strings.Contains(string(got.Body), "the-organisers-secret-0001") || !strings.Contains(string(got.Body), `"secret":"…0001"`) {
			t.Errorf("GET %s = %s, want the secret masked", path, got.Body)
		}
		for who, want := range map[string]int{"admin": 200, "sibling": 403, "own": 403, "anon": 401} {
			c[who].do("GET", path, nil).want(want)
			c[who].do("GET", path+"/deliveries", nil).want(want)
		}
		c["admin"].do("GET", fmt.Sprintf("/api/v1/webhooks/%d", global.ID), nil).want(200)
		c["organiser"].do("GET", fmt.Sprintf("/api/v1/webhooks/%d", global.ID), nil).want(403)
		c["admin"].do("GET", "/api/v1/webhooks/999999", nil).want(404)
		count := func(who string) int {
			var l list[platform.WebhookView]
			c[who].do("GET", "/api/v1/webhooks", nil).want(200).decode(&l)
			for _, w := range l.Items {
				if !strings.HasPrefix(w.Secret, "…") || utf8.RuneCountInString(w.Secret) != 5 {
					t.Errorf("listed secret %q, want masked", w.Secret)
				}
			}
			return len(l.Items)
		}
		if a, o, s := count("admin"), count("organiser"), count("sibling"); a != 4 || o != 3 || s != 0 {
			t.Errorf("listed: admin %d, organiser %d, sibling %d; want 4, 3, 0", a, o, s)
		}
		c["own"].do("GET", "/api/v1/webhooks", nil).want(403)
		c["anon"].do("GET", "/api/v1/webhooks", nil).want(401)

		// The campaign's events are queued for it; a test event on demand.
		c["organiser"].do("POST", "/api/v1/honours/"+f.serial+"/revoke", map[string]any{"reason": "Hồ sơ không trung thực"}).want(200)
		c["sibling"].do("POST", path+"/test", nil).want(403)
		var test store.Delivery
		c["organiser"].do("POST", path+"/test", nil).want(202).decode(&test)
		var l list[store.Delivery]
		c["organiser"].do("GET", path+"/deliveries", nil).want(200).decode(&l)
		if len(l.Items) != 2 || l.Items[0].Event != store.EventTest || l.Items[0].ID != test.ID || l.Items[1].Event != store.EventHonourRevoked ||
			l.Items[1].Status != store.DeliveryPending || l.Items[1].Attempts != 0 {
			t.Errorf("deliveries = %+v, want the test event and honour.revoked, pending", l.Items)
		}

		// Removing.
		c["sibling"].do("DELETE", path, nil).want(403)
		c["organiser"].do("DELETE", path, nil).want(204)
		c["organiser"].do("GET", path, nil).want(404)
	})
}

// TestWebhooksEndToEnd: subscribed through the API (with
// THIDUA_WEBHOOK_ALLOW_PRIVATE=1, to a receiver on loopback), a campaign's
// events reach the receiver signed with the secret: a period closed with
// its run and honours, an honour revoked, a report returned.
func TestWebhooksEndToEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := testConfig()
		cfg.WebhookAllowPrivate = true
		ts := fixtureWith(t, db, cfg)
		f := newAuthzFixture(t, ts)
		org := f.clients["organiser"]

		var mu sync.Mutex
		var secret string
		bodies := map[string]store.Envelope{}
		rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			m := hmac.New(sha256.New, []byte(secret))
			m.Write(body)
			if r.Header.Get(webhook.HeaderSignature) != "sha256="+hex.EncodeToString(m.Sum(nil)) {
				t.Errorf("bad signature %q for %s", r.Header.Get(webhook.HeaderSignature), body)
				w.WriteHeader(http.StatusForbidden)
				return
			}
			var env store.Envelope
			if err := json.Unmarshal(body, &env); err != nil {
				t.Error(err)
			}
			mu.Lock()
			bodies[env.Type] = env
			mu.Unlock()
		}))
		defer rc.Close()
		var hook platform.WebhookView
		org.do("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/thidua", "campaign": "dc", "events": store.Events}).
			want(201).decode(&hook)
		secret = hook.Secret

		org.do("POST", "/api/v1/campaigns/dc/runs", map[string]any{"period": "2025-Q3", "close": true}).want(201)
		org.do("POST", "/api/v1/honours/"+f.serial+"/revoke", map[string]any{"reason": "Hồ sơ không trung thực"}).want(200)
		f.clients["own"].do("PUT", "/api/v1/campaigns/dc/units/P-DINHCONG-PN/reports/2025-10", map[string]any{
			"values": map[string]float64{"cashless": 0.4}}).want(200)
		org.do("POST", "/api/v1/campaigns/dc/units/P-DINHCONG-PN/reports/2025-10/verify", map[string]any{
			"decision": "returned", "reason": "Thiếu minh chứng"}).want(200)
		admin := ts.as("admin")
		admin.yaml("PUT", "/api/v1/campaigns/cds/ruleset", minimalRuleset).want(201)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{}).want(201) // another campaign's: not sent

		w := webhook.New(ts.db, webhook.Options{Guard: webhook.Guard{AllowPrivate: true}})
		if _, err := w.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		var l list[store.Delivery]
		org.do("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", hook.ID), nil).want(200).decode(&l)
		for _, d := range l.Items {
			if d.Status != store.DeliveryDelivered || d.LastStatus == nil || *d.LastStatus != 200 {
				t.Errorf("delivery %+v, want delivered with 200", d)
			}
		}
		for _, typ := range []string{store.EventRunSucceeded, store.EventPeriodClosed, store.EventHonourRevoked, store.EventReportReturned} {
			env, ok := bodies[typ]
			if !ok || env.Campaign == nil || *env.Campaign != "dc" || env.ID == "" {
				t.Errorf("%s: received %+v (%v)", typ, env, ok)
			}
		}
		data, _ := json.Marshal(bodies[store.EventReportReturned].Data)
		if !strings.Contains(string(data), `"reason":"Thiếu minh chứng"`) || !strings.Contains(string(data), `"unit":"P-DINHCONG-PN"`) {
			t.Errorf("report.returned data = %s", data)
		}
		data, _ = json.Marshal(bodies[store.EventHonourRevoked].Data)
		if !strings.Contains(string(data), `"serial":"`+f.serial+`"`) || !strings.Contains(string(data), "Hồ sơ không trung thực") {
			t.Errorf("honour.revoked data = %s", data)
		}
	})
}
