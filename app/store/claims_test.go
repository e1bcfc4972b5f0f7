package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

func TestClaimSlotOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		day := func(s string) store.Date { d, _ := store.ParseDate(s); return d }
		for _, slug := range []string{"a", "b"} {
			if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: slug, Name: slug, AllUnits: true,
				StartsOn: day("2025-01-01"), EndsOn: day("2025-12-31")}); err != nil {
				t.Fatal(err)
			}
		}
		slot := time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC)
		// Many claimants of one slot at once: one wins.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				won, err := db.ClaimSlot(ctx, "a", "close", slot, "r")
				if err != nil {
					t.Error(err)
				}
				if won {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("%d claimants won the slot, want 1", n)
		}
		hanoi := time.FixedZone("ICT", 7*3600)
		for _, tc := range []struct {
			campaign, job string
			slot          time.Time
			want          bool
		}{
			{"a", "close", slot.In(hanoi), false}, // the same instant, written in another zone
			{"a", "score", slot, true},
			{"b", "close", slot, true},
			{"a", "close", slot.Add(time.Minute), true},
		} {
			if won, err := db.ClaimSlot(ctx, tc.campaign, tc.job, tc.slot, "r"); won != tc.want || err != nil {
				t.Errorf("ClaimSlot(%s, %s, %v) = %v, %v; want %v", tc.campaign, tc.job, tc.slot, won, err, tc.want)
			}
		}
		if _, err := db.ClaimSlot(ctx, "nope", "close", slot, "r"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ClaimSlot(unknown campaign) = %v, want ErrNotFound", err)
		}

		if _, err := db.SaveRuleset(ctx, "b", "schema: 1", "yaml"); err != nil {
			t.Fatal(err)
		}
		got, err := db.ScheduledCampaigns(ctx)
		if err != nil || len(got) != 1 || got[0].Slug != "b" || got[0].RulesetVersion != 1 || got[0].EndsOn.String() != "2025-12-31" {
			t.Errorf("ScheduledCampaigns = %+v, %v; want only b, version 1, ending 2025-12-31", got, err)
		}
	})
}

func TestLockCampaignAcrossConnections(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	unlock, err := db.LockCampaign(ctx, "cds")
	if err != nil {
		t.Fatal(err)
	}
	// What another replica's LockCampaign would wait for (same key), tried
	// on a connection of its own.
	try := func() bool {
		conn, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var got bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended('thidua.campaign.cds', 0))`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got {
			conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`)
		}
		return got
	}
	if try() {
		t.Errorf("campaign lock taken twice")
	}
	unlock()
	if !try() {
		t.Errorf("campaign lock still held after unlock")
	}
	other, err := db.LockCampaign(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	other()
}
