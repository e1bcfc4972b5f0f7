package jobs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/thidua/thidua/app/store"
)

// Scheduler runs each campaign's scheduled jobs — schedule.score and
// schedule.close of its current ruleset, in the ruleset's time zone — on
// robfig/cron. Every replica may run one: a claim row per campaign, job and
// slot lets exactly one of them run each slot, and a campaign lock keeps
// one campaign's jobs from running at once. Slots missed while no replica
// ran are skipped, except a close slot of the last day, which a starting
// scheduler runs late.
type Scheduler struct {
	db       *store.DB
	rulesets *Rulesets
	runner   *Runner
	log      *slog.Logger

	now          func() time.Time
	replica      string
	refreshEvery time.Duration
	jobTimeout   time.Duration

	cron     *cron.Cron
	ctx      context.Context // the jobs' context, set by Start
	sem      chan struct{}   // bounds the jobs running at once
	stopping chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup // the catch-up at Start

	refreshMu sync.Mutex // one refresh or reschedule at a time
	mu        sync.Mutex // guards plans and their jobs' entries
	plans     map[string]*plan
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithClock sets the clock that decides which slot a job is for and which
// campaigns are still active (time.Now by default). Tests set it.
func WithClock(now func() time.Time) Option { return func(s *Scheduler) { s.now = now } }

// WithReplica names this replica in its claims (by default host name,
// process id and a random suffix).
func WithReplica(id string) Option { return func(s *Scheduler) { s.replica = id } }

// WithRefresh sets how often the scheduler reloads the campaigns, to pick
// up rulesets saved on other replicas and campaigns that ended (a minute
// by default).
func WithRefresh(every time.Duration) Option { return func(s *Scheduler) { s.refreshEvery = every } }

// WithConcurrency bounds how many jobs run at once: 2 by default on
// PostgreSQL, 1 on SQLite, which has one writer.
func WithConcurrency(n int) Option {
	return func(s *Scheduler) { s.sem = make(chan struct{}, max(1, n)) }
}

// WithJobTimeout bounds one job's run (30 minutes by default).
func WithJobTimeout(d time.Duration) Option { return func(s *Scheduler) { s.jobTimeout = d } }

// NewScheduler returns a scheduler that starts runs with runner. It does
// nothing until Start.
func NewScheduler(db *store.DB, rulesets *Rulesets, runner *Runner, log *slog.Logger, opts ...Option) *Scheduler {
	s := &Scheduler{
		db: db, rulesets: rulesets, runner: runner,
		now:          time.Now,
		replica:      replicaID(),
		refreshEvery: time.Minute,
		jobTimeout:   30 * time.Minute,
		ctx:          context.Background(),
		stopping:     make(chan struct{}),
		plans:        map[string]*plan{},
	}
	if db.Dialect() == store.Postgres {
		s.sem = make(chan struct{}, 2)
	} else {
		s.sem = make(chan struct{}, 1)
	}
	for _, o := range opts {
		o(s)
	}
	s.log = log.With("component", "scheduler", "replica", s.replica)
	cl := cronLogger{s.log}
	s.cron = cron.New(cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	return s
}

// replicaID names this process: host name, process id and a random suffix
// (a restarted container may reuse both).
func replicaID() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// Start loads the campaigns, schedules their jobs and starts the clock.
// Jobs run under ctx's values but not its cancellation: at shutdown, Stop
// lets running jobs finish.
func (s *Scheduler) Start(ctx context.Context) error {
	s.ctx = context.WithoutCancel(ctx)
	if err := s.refresh(ctx); err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	s.cron.Schedule(cron.Every(s.refreshEvery), cron.FuncJob(func() {
		if err := s.refresh(s.ctx); err != nil {
			s.log.Error("reload campaigns", "err", err)
		}
	}))
	s.cron.Schedule(cron.Every(closeRetry), cron.FuncJob(func() { s.catchUpCloses(s.ctx, s.now()) }))
	s.cron.Start()
	s.log.Info("scheduler started", "campaigns", s.count())
	s.wg.Go(func() { s.catchUpCloses(s.ctx, s.now()) })
	return nil
}

// Stop starts no more jobs and waits for the running ones to finish.
func (s *Scheduler) Stop() {
	s.stopOnce.Do(func() { close(s.stopping) })
	<-s.cron.Stop().Done()
	s.wg.Wait()
	s.log.Info("scheduler stopped")
}

// Reschedule schedules a campaign's jobs from its current ruleset: call it
// once a new version is stored. Other replicas pick the version up at their
// next refresh.
func (s *Scheduler) Reschedule(ctx context.Context, campaign string) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	c, err := s.db.CampaignBySlug(ctx, campaign)
	if errors.Is(err, store.ErrNotFound) {
		s.drop(campaign)
		return nil
	}
	if err != nil {
		return err
	}
	if c.RulesetVersion == 0 {
		s.drop(campaign)
		return nil
	}
	return s.apply(ctx, store.ScheduledCampaign{Slug: c.Slug, RulesetVersion: c.RulesetVersion,
		StartsOn: c.StartsOn, EndsOn: c.EndsOn}, s.now())
}

// refresh reloads every campaign with a ruleset in one query and brings the
// plans up to date: new versions, changed dates, campaigns gone or ended.
// A campaign whose ruleset cannot be loaded keeps its plan and is logged.
func (s *Scheduler) refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	list, err := s.db.ScheduledCampaigns(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	seen := make(map[string]bool, len(list))
	for _, c := range list {
		seen[c.Slug] = true
		if err := s.apply(ctx, c, now); err != nil {
			s.log.Error("schedule campaign", "campaign", c.Slug, "err", err)
		}
	}
	s.mu.Lock()
	var gone []string
	for slug := range s.plans {
		if !seen[slug] {
			gone = append(gone, slug)
		}
	}
	s.mu.Unlock()
	for _, slug := range gone {
		s.drop(slug)
	}
	return nil
}

// apply makes c's plan current: a new plan when its version or dates
// changed, and a cron entry for each job exactly while it is active at now.
func (s *Scheduler) apply(ctx context.Context, c store.ScheduledCampaign, now time.Time) error {
	s.mu.Lock()
	old := s.plans[c.Slug]
	s.mu.Unlock()
	p := old
	if old == nil || !sameCampaign(old.campaign, c) {
		rs, _, err := s.rulesets.Get(ctx, c.Slug, c.RulesetVersion)
		if err != nil {
			return fmt.Errorf("ruleset version %d: %w", c.RulesetVersion, err)
		}
		var bad error
		if p, bad = newPlan(c, rs); bad != nil {
			s.log.Error("unschedulable job", "err", bad)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old != nil && old != p {
		s.unschedule(old)
	}
	s.plans[c.Slug] = p
	for _, j := range p.jobs {
		switch active := p.active(j, now); {
		case active && j.entry == 0:
			j.entry = s.cron.Schedule(j.sched, s.cronJob(c.Slug, j))
			s.log.Info("scheduled", "campaign", c.Slug, "ruleset_version", c.RulesetVersion, "job", j.name,
				"spec", j.spec, "timezone", p.rs.TimeZone, "next", j.sched.Next(now).In(p.rs.Location))
		case !active && j.entry != 0:
			s.cron.Remove(j.entry)
			j.entry = 0
			s.log.Info("unscheduled: the campaign is over", "campaign", c.Slug, "job", j.name)
		}
	}
	return nil
}

func sameCampaign(a, b store.ScheduledCampaign) bool {
	return a.Slug == b.Slug && a.RulesetVersion == b.RulesetVersion &&
		a.StartsOn.Equal(b.StartsOn.Time) && a.EndsOn.Equal(b.EndsOn.Time)
}

// drop forgets a campaign's plan and its cron entries.
func (s *Scheduler) drop(campaign string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.plans[campaign]; p != nil {
		s.unschedule(p)
		delete(s.plans, campaign)
		s.log.Info("unscheduled", "campaign", campaign)
	}
}

// unschedule removes a plan's cron entries; s.mu is held.
func (s *Scheduler) unschedule(p *plan) {
	for _, j := range p.jobs {
		if j.entry != 0 {
			s.cron.Remove(j.entry)
			j.entry = 0
		}
	}
}

// cronJob is what the clock runs at each of j's slots.
func (s *Scheduler) cronJob(campaign string, j *job) cron.Job {
	return cron.FuncJob(func() {
		now := s.now()
		slot, ok := slotAt(j.sched, now)
		if !ok {
			s.log.Warn("woke with no slot due: skipped", "campaign", campaign, "job", j.name, "now", now)
			return
		}
		s.fire(s.ctx, campaign, j.name, slot)
	})
}

// next is when a campaign's job fires next after t, as currently planned.
func (s *Scheduler) next(campaign, name string, t time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.plans[campaign]
	if p == nil {
		return time.Time{}, false
	}
	j := p.job(name)
	if j == nil || j.entry == 0 {
		return time.Time{}, false
	}
	return j.sched.Next(t), true
}

func (s *Scheduler) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.plans)
}

// cronLogger passes robfig/cron's messages to slog: its routine ones at
// debug level.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.log.Warn("cron: a job's previous run is still going: slot skipped", kv...)
		return
	}
	l.log.Debug("cron: "+msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
