package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/thidua/thidua/app/store"
)

// outcome is what became of one firing of a job.
type outcome string

const (
	outcomeRan     outcome = "ran"     // this replica ran the slot
	outcomeIdle    outcome = "idle"    // nothing to do at this slot
	outcomeTaken   outcome = "taken"   // the slot was claimed already, here or on another replica
	outcomeClosed  outcome = "closed"  // the period was closed already
	outcomeStopped outcome = "stopped" // the scheduler is stopping
	outcomeFailed  outcome = "failed"
)

// fire runs a campaign's job for one slot, if there is work and this
// replica wins the slot's claim (the runner takes the campaign's lock); it
// logs what happened and returns it (the run, when one was recorded).
func (s *Scheduler) fire(ctx context.Context, campaign, name string, slot time.Time) (outcome, *store.Run, error) {
	log := s.log.With("campaign", campaign, "job", name, "slot", slot)
	s.mu.Lock()
	p := s.plans[campaign]
	s.mu.Unlock()
	if p == nil || p.job(name) == nil {
		return outcomeIdle, nil, nil
	}
	req, ok := p.request(name, slot)
	if !ok {
		log.Debug("nothing to do: the period is outside the campaign")
		return outcomeIdle, nil, nil
	}
	select {
	case <-s.stopping:
		return outcomeStopped, nil, nil
	default:
	}
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	case <-s.stopping:
		return outcomeStopped, nil, nil
	case <-ctx.Done():
		return outcomeFailed, nil, ctx.Err()
	}
	won, err := s.db.ClaimSlot(ctx, campaign, name, slot, s.replica)
	if err != nil {
		log.Error("claim slot", "err", err)
		return outcomeFailed, nil, fmt.Errorf("claim %s slot %s of %s: %w", name, slot, campaign, err)
	}
	if !won {
		log.Debug("slot claimed already")
		return outcomeTaken, nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.jobTimeout)
	defer cancel()
	start := time.Now()
	run, err := s.runner.Run(ctx, req)
	switch {
	case err == nil:
		log.Info("scheduled run done", "run", run.ID, "period", run.Period, "closing", run.Closing,
			"units", run.Units, "duration_ms", time.Since(start).Milliseconds())
		return outcomeRan, run, nil
	case run == nil && errors.Is(err, store.ErrConflict):
		// Closed already: by an earlier slot, or early by the organisers.
		log.Info("period closed already: nothing to do", "period", req.Period, "detail", err)
		return outcomeClosed, nil, nil
	case run == nil && errors.Is(err, store.ErrInvalid):
		// The runner's clock saw another period than the slot did.
		log.Info("nothing to do", "detail", err)
		return outcomeIdle, nil, nil
	}
	log.Error("scheduled run failed", "err", err)
	if req.Close {
		// A period must not stay open for a failure that may pass: the
		// slot is free again for the next catch-up (within closeRetry).
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := s.db.ReleaseSlot(ctx, campaign, name, slot, s.replica); err != nil {
			log.Error("release the failed close's slot", "err", err)
		}
	}
	return outcomeFailed, run, err
}

// fired is one firing by tick.
type fired struct {
	campaign, job string
	slot          time.Time
	outcome       outcome
	run           *store.Run
	err           error
}

// tick fires, one after the other, every active job that has a slot at now
// (within lookback): what the clock does, with the time given.
func (s *Scheduler) tick(ctx context.Context, now time.Time) []fired {
	var out []fired
	for _, d := range s.due(now, lookback, "") {
		o, run, err := s.fire(ctx, d.campaign, d.job, d.slot)
		out = append(out, fired{d.campaign, d.job, d.slot, o, run, err})
	}
	return out
}

// slot is a job's firing to be.
type slot struct {
	campaign, job string
	slot          time.Time
}

// due lists the latest slot in (now-window, now] of every job active in
// that window (of every job, or of the one named), by campaign, time and
// job. A job active at the window's start was active in it: the campaign's
// final close, missed, is still due the morning after.
func (s *Scheduler) due(now time.Time, window time.Duration, only string) []slot {
	var out []slot
	s.mu.Lock()
	for slug, p := range s.plans {
		for _, j := range p.jobs {
			if (only != "" && j.name != only) || !p.active(j, now.Add(-window)) {
				continue
			}
			if t, ok := lastSlot(j.sched, now, window); ok {
				out = append(out, slot{slug, j.name, t})
			}
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b slot) int {
		return cmp.Or(strings.Compare(a.campaign, b.campaign), a.slot.Compare(b.slot), strings.Compare(a.job, b.job))
	})
	return out
}

// catchUpCloses fires, one after the other, each campaign's latest close
// slot of the last day (catchUp) that it finds: a close missed while no
// replica ran — a restart, a deploy — or that failed (its slot released)
// still happens, late; a slot run already is claimed and left alone. It
// runs when the scheduler starts and every closeRetry. Missed score slots
// are not caught up: the next one scores the open period anyway.
func (s *Scheduler) catchUpCloses(ctx context.Context, now time.Time) []fired {
	var out []fired
	for _, d := range s.due(now, catchUp, JobClose) {
		o, run, err := s.fire(ctx, d.campaign, d.job, d.slot)
		out = append(out, fired{d.campaign, d.job, d.slot, o, run, err})
	}
	return out
}
