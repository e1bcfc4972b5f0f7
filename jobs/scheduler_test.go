package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// rulesetYAML is a quarterly ruleset in Hà Nội's time zone with the given
// score spec and the close spec of RULES.md.
func rulesetYAML(score string) string {
	return fmt.Sprintf(`schema: 1
timezone: Asia/Ho_Chi_Minh
period: quarter
schedule:
  score: %q
  close: "30 0 1 1,4,7,10 *"
criteria:
  - key: trained
    title: Cán bộ được tập huấn kỹ năng số
    weight: 100
    value: "kpi.staff_trained / target.staff_trained"
`, score)
}

// fixture makes campaign "cds" (2025-04-01 to 2026-12-31, all of n units,
// one indicator) with a ruleset scoring every six hours.
func fixture(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	units := []store.NewUnit{{Code: "HN", Name: "Thành phố Hà Nội", Level: "city", Kind: "front"}}
	for i := range n - 1 {
		units = append(units, store.NewUnit{Code: fmt.Sprintf("P-%03d", i), Name: fmt.Sprintf("Phường %d", i),
			Level: "commune", Kind: "front", Parent: "HN", Clusters: []string{fmt.Sprintf("cum-%d", i%3)}})
	}
	lines := make([]int, len(units))
	for i := range lines {
		lines[i] = i + 2
	}
	if _, err := db.ImportUnits(ctx, units, lines); err != nil {
		t.Fatal(err)
	}
	_, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: "cds", Name: "Công dân số", AllUnits: true,
		StartsOn: store.Date{Time: at(time.UTC, "2025-04-01 00:00:00")}, EndsOn: store.Date{Time: at(time.UTC, "2026-12-31 00:00:00")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateIndicator(ctx, "cds", store.Indicator{Key: "staff_trained", Title: "Tập huấn", Unit: "percent", Target: 1}); err != nil {
		t.Fatal(err)
	}
	saveRuleset(t, db, "0 */6 * * *")
}

func saveRuleset(t *testing.T, db *store.DB, score string) {
	t.Helper()
	if _, err := db.SaveRuleset(context.Background(), "cds", rulesetYAML(score), "yaml"); err != nil {
		t.Fatal(err)
	}
}

// testClock is a clock the test sets.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// replica is what one process of the platform would have: its own ruleset
// cache, runner and scheduler, over a shared database and the test's clock.
func replica(t *testing.T, db *store.DB, clock *testClock, id string, opts ...Option) *Scheduler {
	t.Helper()
	rulesets := NewRulesets(db)
	s := NewScheduler(db, rulesets, NewRunner(db, rulesets, clock.Now), slog.New(slog.DiscardHandler),
		append([]Option{WithClock(clock.Now), WithReplica(id)}, opts...)...)
	if err := s.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// only returns the one firing of job in fs.
func only(t *testing.T, fs []fired, job string) fired {
	t.Helper()
	var out []fired
	for _, f := range fs {
		if f.job == job {
			out = append(out, f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("fired %+v, want one %s job", fs, job)
	}
	return out[0]
}

func TestScoreSlotRunsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		clock := &testClock{t: at(hanoi, "2025-05-10 06:00:00")}
		s := replica(t, db, clock, "a")

		f := only(t, s.tick(ctx, clock.Now()), JobScore)
		if f.outcome != outcomeRan || f.err != nil || !f.slot.Equal(at(hanoi, "2025-05-10 06:00:00")) {
			t.Fatalf("first tick = %+v, want the 06:00 slot run", f)
		}
		if f.run.Period != "2025-Q2" || f.run.Trigger != TriggerSchedule || f.run.Closing || f.run.Status != store.RunSucceeded || f.run.Units != 3 {
			t.Errorf("run = %+v, want a succeeded scheduled run of 2025-Q2 over 3 units", f.run)
		}
		// The clock waking again, or late within the slot's minute, finds the slot claimed.
		for _, now := range []time.Time{clock.Now(), clock.Now().Add(40 * time.Second)} {
			if f := only(t, s.tick(ctx, now), JobScore); f.outcome != outcomeTaken || f.err != nil {
				t.Errorf("tick(%v) = %+v, want the slot taken", now, f)
			}
		}
		if fs := s.tick(ctx, at(hanoi, "2025-05-10 06:05:00")); len(fs) != 0 {
			t.Errorf("tick(06:05) = %+v, want nothing due", fs)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM runs"); n != 1 {
			t.Errorf("%d runs, want 1", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM job_claims WHERE job = 'score' AND claimed_by = 'a'"); n != 1 {
			t.Errorf("%d claims by a, want 1", n)
		}
	})
}

func TestReplicasRunEachSlotOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		clock := &testClock{t: at(hanoi, "2025-05-10 00:00:00")}
		replicas := []*Scheduler{replica(t, db, clock, "a"), replica(t, db, clock, "b"), replica(t, db, clock, "c")}
		slots := []time.Time{at(hanoi, "2025-05-10 00:00:00"), at(hanoi, "2025-05-10 06:00:00"), at(hanoi, "2025-05-10 12:00:00")}
		for _, slot := range slots {
			// Every replica fires the same slot at once.
			outcomes := make([]outcome, len(replicas))
			var wg sync.WaitGroup
			for i, s := range replicas {
				wg.Go(func() {
					o, _, err := s.fire(ctx, "cds", JobScore, slot)
					if err != nil {
						t.Errorf("replica %s: fire(%v): %v", s.replica, slot, err)
					}
					outcomes[i] = o
				})
			}
			wg.Wait()
			slices.Sort(outcomes)
			if want := []outcome{outcomeRan, outcomeTaken, outcomeTaken}; !slices.Equal(outcomes, want) {
				t.Errorf("slot %v: outcomes %v, want %v", slot, outcomes, want)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM runs"); n != len(slots) {
			t.Errorf("%d runs, want one per slot: %d", n, len(slots))
		}
		if n := count(t, db, "SELECT COUNT(*) FROM job_claims"); n != len(slots) {
			t.Errorf("%d claims, want %d", n, len(slots))
		}
	})
}

func TestCloseJobClosesThePeriodThatEnded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		clock := &testClock{t: at(hanoi, "2025-04-01 00:30:00")}
		s := replica(t, db, clock, "a")

		// 2025-Q1 is before the campaign: nothing to close, nothing claimed.
		if f := only(t, s.tick(ctx, clock.Now()), JobClose); f.outcome != outcomeIdle || f.err != nil {
			t.Errorf("close at 2025-04-01 00:30 = %+v, want nothing to do", f)
		}

		clock.Set(at(hanoi, "2025-07-01 00:30:00"))
		f := only(t, s.tick(ctx, clock.Now()), JobClose)
		if f.outcome != outcomeRan || f.err != nil || f.run.Period != "2025-Q2" || !f.run.Closing {
			t.Fatalf("close at 2025-07-01 00:30 = %+v (run %+v), want 2025-Q2 closed", f, f.run)
		}
		closed, err := db.ClosedPeriods(ctx, "cds")
		if err != nil || !slices.Equal(closed, []string{"2025-Q2"}) {
			t.Errorf("ClosedPeriods = %v, %v; want [2025-Q2]", closed, err)
		}
		if f := only(t, s.tick(ctx, clock.Now()), JobClose); f.outcome != outcomeTaken || f.err != nil {
			t.Errorf("the same slot again = %+v, want taken", f)
		}

		// An organiser closed 2025-Q3 by hand before its slot: the slot is no failure.
		if _, err := s.runner.Run(ctx, Request{Campaign: "cds", Period: "2025-Q3", Close: true, Early: true,
			Reason: "Tổng kết sớm"}); err != nil {
			t.Fatal(err)
		}
		runs := count(t, db, "SELECT COUNT(*) FROM runs")
		clock.Set(at(hanoi, "2025-10-01 00:30:00"))
		if f := only(t, s.tick(ctx, clock.Now()), JobClose); f.outcome != outcomeClosed || f.err != nil {
			t.Errorf("close of a closed period = %+v, want closed already, no error", f)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM runs"); n != runs {
			t.Errorf("%d runs, want %d: closing a closed period records nothing", n, runs)
		}
		closed, _ = db.ClosedPeriods(ctx, "cds")
		if !slices.Equal(closed, []string{"2025-Q2", "2025-Q3"}) {
			t.Errorf("ClosedPeriods = %v, want [2025-Q2 2025-Q3]", closed)
		}
	})
}

func TestSlotsFollowTheRulesetTimeZone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		// 00:30 on 1 July in Hà Nội is 17:30 UTC on 30 June.
		clock := &testClock{t: at(time.UTC, "2025-06-29 12:00:00")}
		s := replica(t, db, clock, "a")
		if next, ok := s.next("cds", JobClose, clock.Now()); !ok || !next.Equal(at(time.UTC, "2025-06-30 17:30:00")) {
			t.Errorf("next close = %v, %v; want 2025-06-30 17:30 UTC", next.UTC(), ok)
		}
		if fs := s.tick(ctx, at(time.UTC, "2025-07-01 00:30:00")); len(fs) != 0 {
			t.Errorf("tick at 00:30 UTC = %+v, want nothing due", fs)
		}
		clock.Set(at(time.UTC, "2025-06-30 17:30:00"))
		f := only(t, s.tick(ctx, clock.Now()), JobClose)
		if f.outcome != outcomeRan || !f.slot.Equal(clock.Now()) || f.run.Period != "2025-Q2" {
			t.Fatalf("tick at 17:30 UTC = %+v, want 2025-Q2 closed", f)
		}
		// The claim holds the instant, whatever zone a replica writes it in.
		for _, slot := range []time.Time{at(time.UTC, "2025-06-30 17:30:00"), at(hanoi, "2025-07-01 00:30:00")} {
			if won, err := db.ClaimSlot(ctx, "cds", JobClose, slot, "b"); won || err != nil {
				t.Errorf("ClaimSlot(%v) = %v, %v; want false: claimed already", slot, won, err)
			}
		}
	})
}

func TestNewVersionIsRescheduled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		clock := &testClock{t: at(hanoi, "2025-05-10 01:00:00")}
		a, b := replica(t, db, clock, "a"), replica(t, db, clock, "b")
		if next, _ := a.next("cds", JobScore, clock.Now()); !next.Equal(at(hanoi, "2025-05-10 06:00:00")) {
			t.Fatalf("next score = %v, want 06:00", next)
		}

		saveRuleset(t, db, "15 8 * * *")
		if err := a.Reschedule(ctx, "cds"); err != nil { // as the API does on a's replica
			t.Fatal(err)
		}
		if err := b.refresh(ctx); err != nil { // b's next refresh
			t.Fatal(err)
		}
		for _, s := range []*Scheduler{a, b} {
			want := at(hanoi, "2025-05-10 08:15:00")
			if next, ok := s.next("cds", JobScore, clock.Now()); !ok || !next.Equal(want) {
				t.Errorf("replica %s: next score = %v, %v; want %v", s.replica, next, ok, want)
			}
			// The clock runs the new schedule, and only it: one entry per job.
			var nexts []time.Time
			for _, e := range s.cron.Entries() {
				nexts = append(nexts, e.Schedule.Next(clock.Now()))
			}
			if len(nexts) != 2 || !slices.ContainsFunc(nexts, want.Equal) {
				t.Errorf("replica %s: cron entries fire next at %v, want 2 entries, one at %v", s.replica, nexts, want)
			}
		}
		if fs := a.tick(ctx, at(hanoi, "2025-05-10 06:00:00")); len(fs) != 0 {
			t.Errorf("tick at the old slot = %+v, want nothing due", fs)
		}
		f := only(t, a.tick(ctx, at(hanoi, "2025-05-10 08:15:00")), JobScore)
		if f.outcome != outcomeRan || f.run.RulesetVersion != 2 {
			t.Errorf("tick at the new slot = %+v (run %+v), want a run with version 2", f, f.run)
		}
	})
}

func TestEndedCampaignIsUnscheduled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		clock := &testClock{t: at(hanoi, "2027-01-01 00:30:00")}
		s := replica(t, db, clock, "a")
		if _, ok := s.next("cds", JobScore, clock.Now()); ok {
			t.Errorf("the score job is still scheduled after the campaign's last period")
		}
		f := only(t, s.tick(ctx, clock.Now()), JobClose)
		if f.outcome != outcomeRan || f.run.Period != "2026-Q4" {
			t.Fatalf("close at 2027-01-01 00:30 = %+v, want the campaign's last quarter closed", f)
		}
		clock.Set(at(hanoi, "2027-01-01 02:00:00"))
		if err := s.refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(s.cron.Entries()); n != 0 {
			t.Errorf("%d cron entries after the last close, want none", n)
		}
	})
}

// TestCampaignJobsNeverOverlap fires several slots of one campaign at once
// and checks from the run history that the runs went one after the other:
// in one process, and on PostgreSQL across replicas.
func TestCampaignJobsNeverOverlap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 60)
		clock := &testClock{t: at(hanoi, "2025-07-01 00:30:00")}
		one := replica(t, db, clock, "a")
		groups := [][]*Scheduler{{one, one, one}}
		if db.Dialect() == store.Postgres { // one process owns an SQLite database: no replicas there
			groups = append(groups, []*Scheduler{replica(t, db, clock, "b"), replica(t, db, clock, "c"), replica(t, db, clock, "d")})
		}
		for g, group := range groups {
			// Each group scores the open quarter while closing the one before it.
			clock.Set(at(hanoi, "2025-07-01 00:30:00").AddDate(0, 3*g, 0))
			firings := []struct {
				job  string
				slot time.Time
			}{
				{JobScore, at(hanoi, "2025-06-01 00:00:00").AddDate(0, 0, g)},
				{JobScore, at(hanoi, "2025-06-01 06:00:00").AddDate(0, 0, g)},
				{JobClose, at(hanoi, "2025-07-01 00:30:00").AddDate(0, 3*g, 0)},
			}
			var wg sync.WaitGroup
			for i, s := range group {
				wg.Go(func() {
					if o, _, err := s.fire(ctx, "cds", firings[i].job, firings[i].slot); o != outcomeRan || err != nil {
						t.Errorf("fire(%s, %v) = %v, %v; want ran", firings[i].job, firings[i].slot, o, err)
					}
				})
			}
			wg.Wait()
		}
		runs, _, err := db.Runs(ctx, "cds", store.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 3*len(groups) {
			t.Fatalf("%d runs, want %d", len(runs), 3*len(groups))
		}
		slices.SortFunc(runs, func(a, b store.Run) int { return a.StartedAt.Compare(b.StartedAt) })
		for i := 1; i < len(runs); i++ {
			prev, r := runs[i-1], runs[i]
			if prev.FinishedAt == nil || r.StartedAt.Before(*prev.FinishedAt) {
				t.Errorf("run %d started at %v before run %d finished at %v", r.ID, r.StartedAt, prev.ID, prev.FinishedAt)
			}
		}
	})
}

func TestStartStop(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	fixture(t, db, 3)
	// Specs that do not fire while the test runs.
	saveRuleset(t, db, "0 0 29 2 *")
	clock := &testClock{t: at(hanoi, "2025-05-10 01:00:00")}
	rulesets := NewRulesets(db)
	s := NewScheduler(db, rulesets, NewRunner(db, rulesets, clock.Now), slog.New(slog.DiscardHandler), WithClock(clock.Now))
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.cron.Entries()); n != 4 {
		t.Errorf("%d cron entries, want score, close, the refresh and the close retry", n)
	}
	s.Stop()
	if o, _, err := s.fire(ctx, "cds", JobScore, at(hanoi, "2025-05-10 00:00:00")); o != outcomeStopped || err != nil {
		t.Errorf("fire after Stop = %v, %v; want stopped", o, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM job_claims"); n != 0 {
		t.Errorf("%d claims after Stop, want none", n)
	}
}

// TestStartCatchesUpTheFinalClose: the platform was down when the
// campaign's last quarter was to be closed; it closes it on starting.
func TestStartCatchesUpTheFinalClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3) // ends 2026-12-31
		clock := &testClock{t: at(hanoi, "2027-01-01 02:00:00")}
		s := replica(t, db, clock, "a")
		fs := s.catchUpCloses(ctx, clock.Now())
		if len(fs) != 1 || fs[0].outcome != outcomeRan || fs[0].run.Period != "2026-Q4" {
			t.Fatalf("catch-up = %+v, want 2026-Q4 closed", fs)
		}
	})
}

// TestFailedCloseIsRetried: a close that fails frees its slot, and the
// next catch-up, on any replica, closes the period.
func TestFailedCloseIsRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		clock := &testClock{t: at(hanoi, "2025-07-01 00:30:00")}
		// A replica whose runs cannot finish in time: its close fails.
		a := replica(t, db, clock, "a", WithJobTimeout(time.Nanosecond))
		if f := only(t, a.tick(ctx, clock.Now()), JobClose); f.outcome != outcomeFailed {
			t.Fatalf("close with no time = %+v, want failed", f)
		}
		clock.Set(at(hanoi, "2025-07-01 01:30:00"))
		b := replica(t, db, clock, "b")
		fs := b.catchUpCloses(ctx, clock.Now())
		if len(fs) != 1 || fs[0].outcome != outcomeRan || fs[0].run.Period != "2025-Q2" {
			t.Fatalf("catch-up after the failure = %+v, want 2025-Q2 closed", fs)
		}
		if fs := b.catchUpCloses(ctx, clock.Now()); len(fs) != 1 || fs[0].outcome != outcomeTaken {
			t.Errorf("catch-up after the close = %+v, want the slot taken", fs)
		}
	})
}

func TestStartCatchesUpAMissedClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixture(t, db, 3)
		// The platform was down at 00:30 on 1 July and is back at 05:00.
		clock := &testClock{t: at(hanoi, "2025-07-01 05:00:00")}
		s := replica(t, db, clock, "a")
		if fs := s.tick(ctx, clock.Now()); len(fs) != 0 {
			t.Errorf("tick at 05:00 = %+v, want nothing due", fs)
		}
		fs := s.catchUpCloses(ctx, clock.Now())
		if len(fs) != 1 || fs[0].outcome != outcomeRan || fs[0].run.Period != "2025-Q2" || !fs[0].slot.Equal(at(hanoi, "2025-07-01 00:30:00")) {
			t.Fatalf("catch-up = %+v, want the 00:30 slot closing 2025-Q2", fs)
		}
		// Another replica starting later finds the slot taken; a day late, none is due.
		b := replica(t, db, clock, "b")
		if fs := b.catchUpCloses(ctx, clock.Now()); len(fs) != 1 || fs[0].outcome != outcomeTaken {
			t.Errorf("second catch-up = %+v, want the slot taken", fs)
		}
		if fs := b.catchUpCloses(ctx, at(hanoi, "2025-07-02 00:30:00")); len(fs) != 0 {
			t.Errorf("catch-up a day later = %+v, want nothing", fs)
		}
	})
}
