package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// Triggers of a run.
const (
	TriggerManual   = "manual"
	TriggerSchedule = "schedule"
)

// Runner scores campaigns. It never runs two jobs of one campaign at once
// in this process (the scheduler's claims keep replicas apart).
type Runner struct {
	db       *store.DB
	rulesets *Rulesets
	now      func() time.Time
	// Published, if set, receives every snapshot written, with the board it
	// holds, so that readers in this process need not reload it.
	Published func(campaign string, run *store.Run, board *scoring.Board)
	// Keep, if set (at least store.MinKeepRuns), is the retention policy:
	// after each run, the snapshots of its period's older runs but the
	// newest Keep and the closing ones are pruned (see store.PruneRuns).
	Keep int
	// Log receives what pruning and recovery did; slog's default logger if
	// nil.
	Log *slog.Logger

	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// NewRunner returns a runner over db; now is its clock.
func NewRunner(db *store.DB, rulesets *Rulesets, now func() time.Time) *Runner {
	return &Runner{db: db, rulesets: rulesets, now: now, locks: map[string]*sync.Mutex{}}
}

// Request asks for a run.
type Request struct {
	Campaign string
	// Period is a period key of the ruleset's scoring granularity; "" means
	// the period open at the run's time.
	Period string
	// Close makes the run final: it closes the period and grants honours.
	// A period that has not ended is closed only Early, for a Reason.
	Close   bool
	Early   bool
	Reason  string
	Trigger string
}

func (r *Runner) lock(campaign string) func() {
	r.mu.Lock()
	l, ok := r.locks[campaign]
	if !ok {
		l = &sync.Mutex{}
		r.locks[campaign] = l
	}
	r.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// Run scores every participating unit of a campaign for a period and writes
// the snapshot. Bad requests (no ruleset, a period of the wrong kind, a
// closed period) fail before a run is recorded; a failure while scoring is
// recorded as a failed run without a snapshot. Runs of one campaign never
// overlap, manual or scheduled, here or on another replica: they wait for
// the campaign's lock.
func (r *Runner) Run(ctx context.Context, req Request) (*store.Run, error) {
	defer r.lock(req.Campaign)()
	unlock, err := r.db.LockCampaign(ctx, req.Campaign)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Holding the lock, no other run of the campaign is in progress: one
	// still marked running was cut off, and its period must not stay closed.
	if ids, err := r.db.FailInterruptedRuns(ctx, req.Campaign); err != nil {
		return nil, err
	} else if len(ids) > 0 {
		r.logger().Warn("runs cut off by a stopped process recorded as failed", "campaign", req.Campaign, "runs", ids)
	}
	now := r.now()
	camp, err := r.db.CampaignBySlug(ctx, req.Campaign)
	if err != nil {
		return nil, err
	}
	rs, version, err := r.rulesets.Get(ctx, req.Campaign, 0)
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.NewError(store.ErrConflict, "", "the campaign has no ruleset yet: PUT one first")
	}
	if err != nil {
		return nil, err
	}
	p, err := ScoredPeriod(rs, camp, req.Period, now)
	if err != nil {
		return nil, err
	}
	// A closed period's final snapshot stands: it is never scored again.
	closed, err := r.db.ClosedPeriods(ctx, req.Campaign)
	if err != nil {
		return nil, err
	}
	if slices.Contains(closed, p.Key) {
		return nil, store.NewError(store.ErrConflict, "period", "%s is closed already", p)
	}
	ends := time.Date(p.End.Year(), p.End.Month(), p.End.Day(), 0, 0, 0, 0, rs.Location)
	if req.Close && now.Before(ends) && (!req.Early || req.Reason == "") {
		return nil, store.NewError(store.ErrConflict, "period", "%s has not ended: to close it early, say so with a reason", p)
	}
	trigger := req.Trigger
	if trigger == "" {
		trigger = TriggerManual
	}
	run := &store.Run{Period: p.Key, PeriodStart: store.Date{Time: p.Start}, PeriodEnd: store.Date{Time: p.End},
		RulesetVersion: version, Closing: req.Close, Trigger: trigger}
	if req.Close && now.Before(ends) {
		run.EarlyReason = req.Reason
	}
	if err := r.db.StartRun(ctx, req.Campaign, run); err != nil {
		return nil, err
	}
	board, snap, err := r.score(ctx, rs, camp, p, now, req.Close)
	if err == nil {
		err = r.db.FinishRun(ctx, run, snap)
	}
	if err != nil {
		if ferr := r.fail(ctx, run, publicError(err)); ferr != nil {
			return nil, errors.Join(err, ferr)
		}
		return run, fmt.Errorf("run %d failed: %w", run.ID, err)
	}
	if r.Published != nil {
		r.Published(req.Campaign, run, board)
	}
	r.prune(ctx, req.Campaign, run)
	return run, nil
}

// Reopen reopens a closed period of a campaign, for the reason given (see
// store.ReopenPeriod), once no run of the campaign is in progress.
func (r *Runner) Reopen(ctx context.Context, campaign, period, reason string) (*store.Run, error) {
	defer r.lock(campaign)()
	unlock, err := r.db.LockCampaign(ctx, campaign)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return r.db.ReopenPeriod(ctx, campaign, period, reason)
}

// Retrying a run's failure: every failRetry at first, doubling up to
// failRetryMax, for failRetryFor at most.
const (
	failRetry    = 200 * time.Millisecond
	failRetryMax = 10 * time.Second
	failRetryFor = time.Hour
)

// fail records a run as failed, reopening the period a closing run had
// closed. When the database cannot take that now (the outage that failed
// the run, say), it keeps trying in the background until it can, so that a
// period is not left closed a moment longer than the outage; the next run
// of the campaign would find the run interrupted and do the same.
func (r *Runner) fail(ctx context.Context, run *store.Run, cause error) error {
	err := r.db.FailRun(ctx, run, cause)
	if err == nil || !store.Unavailable(err) {
		return err
	}
	r.logger().Warn("the database is unavailable: recording the failed run when it is back", "run", run.ID, "closing", run.Closing, "err", err)
	go func() {
		wait, deadline := failRetry, time.Now().Add(failRetryFor)
		for time.Now().Before(deadline) {
			time.Sleep(wait)
			err := r.db.FailRun(context.Background(), run, cause)
			if err == nil {
				r.logger().Info("recorded the failed run; its period is open again", "run", run.ID, "period", run.Period)
				return
			}
			if !store.Unavailable(err) {
				r.logger().Error("recording a failed run", "run", run.ID, "err", err)
				return
			}
			wait = min(2*wait, failRetryMax)
		}
	}()
	return err
}

// prune applies the retention policy after run. The run has succeeded
// whatever becomes of it: a failure is logged, and the next run retries.
func (r *Runner) prune(ctx context.Context, campaign string, run *store.Run) {
	if r.Keep == 0 {
		return
	}
	log := r.logger()
	start := time.Now()
	pruned, err := r.db.PruneRuns(ctx, run.CampaignID, run.Period, r.Keep)
	switch {
	case err != nil:
		log.Warn("prune old runs", "campaign", campaign, "period", run.Period, "err", err)
	case len(pruned) > 0:
		log.Info("pruned old runs", "campaign", campaign, "period", run.Period, "runs", pruned,
			"keep", r.Keep, "duration_ms", time.Since(start).Milliseconds())
	}
}

func (r *Runner) logger() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

// publicError is what the public run history may say of a failure: the
// detail of a store error, never a driver's text.
func publicError(err error) error {
	var se *store.Error
	if errors.As(err, &se) {
		return errors.New(se.Detail)
	}
	return errors.New("internal error; see the server log")
}

// DryRun scores a campaign with a candidate ruleset and stores nothing.
func (r *Runner) DryRun(ctx context.Context, campaign string, rs *rules.Ruleset, period string) (*scoring.Board, rules.Period, error) {
	now := r.now()
	camp, err := r.db.CampaignBySlug(ctx, campaign)
	if err != nil {
		return nil, rules.Period{}, err
	}
	p, err := ScoredPeriod(rs, camp, period, now)
	if err != nil {
		return nil, rules.Period{}, err
	}
	board, _, err := r.score(ctx, rs, camp, p, now, false)
	return board, p, err
}

// score loads the facts and scores them; a closing run also decides honours.
func (r *Runner) score(ctx context.Context, rs *rules.Ruleset, camp *store.Campaign, p rules.Period, now time.Time, closing bool) (*scoring.Board, store.Snapshot, error) {
	// The committee's scores load while the other facts do.
	var (
		judging    map[int64]rules.JudgingFacts
		judgingErr error
		wg         sync.WaitGroup
	)
	wg.Go(func() { judging, judgingErr = r.judgingFacts(ctx, rs, camp.Slug) })
	facts, err := r.db.Facts(ctx, factsQuery(rs, camp, p, now))
	wg.Wait()
	if err = errors.Join(err, judgingErr); err != nil {
		return nil, store.Snapshot{}, err
	}
	units := make([]scoring.Unit, len(facts))
	ids := make(map[string]int64, len(facts))
	for i, f := range facts {
		f.Facts.Judging = judging[f.ID]
		units[i] = scoring.Unit{Code: f.Code, Name: f.Name, Level: f.Level, Kind: f.Kind, Clusters: f.Clusters, Facts: f.Facts}
		ids[f.Code] = f.ID
	}
	board := scoring.Score(rs, units)
	// The board encodes while the result lines are written.
	encoded := make(chan error, 1)
	var enc bytes.Buffer
	go func() { encoded <- scoring.EncodeBoard(&enc, board) }()
	snap := store.Snapshot{Results: make([]store.RunResult, len(board.Results)), Board: func() ([]byte, error) {
		if err := <-encoded; err != nil {
			return nil, err
		}
		return enc.Bytes(), nil
	}}
	for i := range board.Results {
		res := &board.Results[i]
		snap.Results[i] = store.RunResult{UnitID: ids[res.Code], Position: i, Total: res.Total, Eligible: res.Eligible,
			RankOverall: res.Rank.Overall, RankLevel: res.Rank.Level}
	}
	if closing {
		clusters, err := r.db.ClusterNames(ctx)
		if err != nil {
			return nil, store.Snapshot{}, err
		}
		for _, a := range scoring.Honours(rs, board) {
			snap.Honours = append(snap.Honours, store.NewHonour{Unit: a.Unit, Period: p.Key, HonourKey: a.Honour,
				Title: a.Title, Scope: a.Scope, Group: a.Group, Citation: citation(rs, a, p, clusters)})
		}
	}
	return board, snap, nil
}

// citation is the honour's wording on the roll and the certificate: the
// score, and the rank when the honour goes to the best of a group, in
// words (the period, the level and the cluster by their names).
func citation(rs *rules.Ruleset, a scoring.Award, p rules.Period, clusters map[string]string) string {
	score := strings.Replace(strconv.FormatFloat(a.Score, 'f', 2, 64), ".", ",", 1)
	period := p.Inline("vi")
	for _, h := range rs.Honours {
		if h.Key != a.Honour || h.Top == 0 {
			continue
		}
		where := "toàn phong trào"
		switch a.Scope {
		case rules.ScopeLevel:
			where = "cấp " + store.ValueText("vi", a.Group)
		case rules.ScopeCluster:
			where = "cụm, khối " + a.Group
			if name := clusters[a.Group]; name != "" && name != a.Group {
				where = "trong " + name
			}
		}
		return fmt.Sprintf("Đạt %s điểm, xếp hạng %d %s, kỳ %s.", score, a.Rank, where, period)
	}
	return fmt.Sprintf("Đạt %s điểm, kỳ %s.", score, period)
}

// ScoredPeriod resolves the period a run scores: the given key, which must
// be of the ruleset's scoring granularity and overlap the campaign, or, when
// empty, the period open at now in the ruleset's time zone.
func ScoredPeriod(rs *rules.Ruleset, camp *store.Campaign, key string, now time.Time) (rules.Period, error) {
	campaign := rules.CampaignPeriod(camp.StartsOn.Time, camp.EndsOn.AddDate(0, 0, 1))
	if rs.Period == rules.Campaign {
		if key != "" && key != rules.CampaignKey {
			return rules.Period{}, store.NewError(store.ErrInvalid, "period", "this campaign is scored over the whole campaign: use period all")
		}
		return campaign, nil
	}
	var p rules.Period
	if key == "" {
		local := now.In(rs.Location)
		p = rules.PeriodOf(rs.Period, time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC))
	} else {
		var err error
		if p, err = rules.ParsePeriod(key); err != nil {
			return rules.Period{}, store.NewError(store.ErrInvalid, "period", store.PeriodFormat, key)
		}
		if p.Granularity != rs.Period {
			return rules.Period{}, store.NewError(store.ErrInvalid, "period", "this campaign is scored by %s, not by %s", rs.Period, p.Granularity)
		}
	}
	if !p.Overlaps(campaign) {
		return rules.Period{}, store.NewError(store.ErrInvalid, "period", "%s is outside the campaign", p)
	}
	return p, nil
}

// factsQuery is what to load for period p at now: the reporting periods due
// from the campaign's start to p's end.
func factsQuery(rs *rules.Ruleset, camp *store.Campaign, p rules.Period, now time.Time) store.FactsQuery {
	end := p.End
	if last := camp.EndsOn.AddDate(0, 0, 1); last.Before(end) {
		end = last
	}
	q := store.FactsQuery{Campaign: camp.Slug, Start: p.Start, End: p.End, AsOf: now, Verified: rs.Reporting.Verify,
		EndAt: time.Date(p.End.Year(), p.End.Month(), p.End.Day(), 0, 0, 0, 0, rs.Location)}
	for _, rp := range rules.Periods(rs.Reporting.Every, camp.StartsOn.Time, end) {
		if d := rs.Deadline(rp); !d.After(now) {
			q.Due = append(q.Due, store.DuePeriod{Key: rp.Key, Deadline: d})
		}
	}
	return q
}
