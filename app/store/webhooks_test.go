package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestWebhookOutbox: a change's events are queued in its transaction, for
// the subscriptions that take them (of its campaign, or of every campaign),
// and not when the change fails; a claim leases a due delivery to one
// worker, and the outcome is recorded only under that lease.
func TestWebhookOutbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ImportUnits(ctx, []store.NewUnit{{Code: "HN", Name: "Hà Nội", Level: "city", Kind: "front"}}, []int{1}); err != nil {
			t.Fatal(err)
		}
		d := store.DateOf(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
		for _, slug := range []string{"c", "other"} {
			if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: slug, Name: slug, StartsOn: d, EndsOn: d, AllUnits: true}); err != nil {
				t.Fatal(err)
			}
		}
		mine, err := db.CreateWebhook(ctx, store.NewWebhook{Campaign: "c", URL: "https://example.org/a",
			Events: []string{store.EventPeriodClosed, store.EventHonourGranted, store.EventRunFailed}, Secret: "s1"})
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.CreateWebhook(ctx, store.NewWebhook{URL: "https://example.org/b", Events: []string{store.EventRunSucceeded}, Secret: "s2"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateWebhook(ctx, store.NewWebhook{Campaign: "other", URL: "https://example.org/c", Events: store.Events, Secret: "s3"}); err != nil {
			t.Fatal(err)
		}
		if mine.Campaign == nil || *mine.Campaign != "c" || all.Campaign != nil || len(mine.Events) != 3 {
			t.Fatalf("webhooks = %+v, %+v", mine, all)
		}
		units, _, err := db.Units(ctx, store.UnitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		board := func() ([]byte, error) { return []byte("board"), nil }
		good := store.RunResult{UnitID: units[0].ID, Total: 1, Eligible: true, RankOverall: 1}
		honour := []store.NewHonour{{Unit: "HN", Period: "2025-Q3", HonourKey: "best", Title: "Điển hình", Scope: "overall"}}

		// A snapshot that cannot be written queues nothing; the failure queues run.failed.
		run := &store.Run{Period: "2025-Q3", PeriodStart: d, PeriodEnd: d, RulesetVersion: 1, Closing: true, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", run); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(ctx, run, store.Snapshot{Board: board, Results: []store.RunResult{good, good}, Honours: honour}); err == nil {
			t.Fatal("FinishRun with a bad row succeeded")
		}
		if got := events(t, db, mine.ID); len(got) != 0 {
			t.Fatalf("a failed snapshot queued %v", got)
		}
		if err := db.FailRun(ctx, run, errors.New("boom")); err != nil {
			t.Fatal(err)
		}
		run = &store.Run{Period: "2025-Q3", PeriodStart: d, PeriodEnd: d, RulesetVersion: 1, Closing: true, Trigger: "manual"}
		if err := db.StartRun(ctx, "c", run); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(ctx, run, store.Snapshot{Board: board, Results: []store.RunResult{good}, Honours: honour}); err != nil {
			t.Fatal(err)
		}
		got := events(t, db, mine.ID)
		want := []string{store.EventHonourGranted, store.EventPeriodClosed, store.EventRunFailed} // newest first
		if len(got) != len(want) || got[0].Event != want[0] || got[1].Event != want[1] || got[2].Event != want[2] {
			t.Fatalf("deliveries of the campaign's webhook = %v, want %v", got, want)
		}
		var body struct {
			ID       string
			Type     string
			Campaign *string
			Data     struct {
				Honour struct{ Serial, Unit, Title string }
			}
		}
		if err := json.Unmarshal([]byte(got[0].Body), &body); err != nil {
			t.Fatal(err)
		}
		if body.ID != got[0].ID || body.Type != store.EventHonourGranted || body.Campaign == nil || *body.Campaign != "c" ||
			body.Data.Honour.Unit != "HN" || body.Data.Honour.Serial == "" {
			t.Errorf("honour.granted body = %+v", body)
		}
		if got := events(t, db, all.ID); len(got) != 1 || got[0].Event != store.EventRunSucceeded {
			t.Errorf("deliveries of the webhook of every campaign = %v, want run.succeeded", got)
		}

		// Claims: each due delivery once; none while leased; a stale claim records nothing.
		claims, err := db.ClaimDeliveries(ctx, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(claims) != 4 {
			t.Fatalf("claimed %d deliveries, want 4", len(claims))
		}
		if again, err := db.ClaimDeliveries(ctx, 10, time.Minute); err != nil || len(again) != 0 {
			t.Fatalf("second claim = %d, %v; want none while leased", len(again), err)
		}
		c := claims[0]
		if c.Attempts != 1 || c.URL == "" || c.Secret == "" {
			t.Errorf("claim = %+v", c)
		}
		next := db.Now().Add(time.Hour)
		if err := db.RecordAttempt(ctx, c, store.Attempt{Status: 500, Error: "HTTP 500", Next: next}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordAttempt(ctx, c, store.Attempt{Delivered: true, Status: 200}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a record without the lease = %v, want ErrConflict", err)
		}
		for _, c := range claims[1:] {
			if err := db.RecordAttempt(ctx, c, store.Attempt{Delivered: true, Status: 204}); err != nil {
				t.Fatal(err)
			}
		}
		if at, ok, err := db.NextDelivery(ctx); err != nil || !ok || !at.Equal(next) {
			t.Errorf("next delivery = %v, %v, %v; want %v", at, ok, err, next)
		}
		// Pruning keeps what is pending.
		if n, err := db.PruneDeliveries(ctx, db.Now().Add(time.Second)); err != nil || n != 3 {
			t.Errorf("pruned %d, %v; want the 3 delivered", n, err)
		}
		if got := append(events(t, db, mine.ID), events(t, db, all.ID)...); len(got) != 1 || got[0].Status != store.DeliveryPending {
			t.Errorf("after pruning: %v, want the pending one", got)
		}
		// Deleting a subscription drops its deliveries.
		for _, id := range []int64{mine.ID, all.ID} {
			if err := db.DeleteWebhook(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok, err := db.NextDelivery(ctx); err != nil || ok {
			t.Errorf("a deleted webhook's delivery is still pending (%v, %v)", ok, err)
		}
	})
}

func events(t *testing.T, db *store.DB, webhook int64) []store.Delivery {
	t.Helper()
	out, _, err := db.Deliveries(context.Background(), webhook, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
