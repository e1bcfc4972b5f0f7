package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Run statuses.
const (
	RunRunning   = "running"
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
)

// Run is one scoring of a campaign's units for a period: its record in the
// run history. A succeeded run has a snapshot (RunResult rows) unless it
// was pruned (see PruneRuns).
type Run struct {
	ID             int64      `json:"id"`
	CampaignID     int64      `json:"-"`
	Period         string     `json:"period"`
	PeriodStart    Date       `json:"period_start"`
	PeriodEnd      Date       `json:"period_end"` // exclusive
	RulesetVersion int        `json:"ruleset_version"`
	Closing        bool       `json:"closing"` // a final run that closed the period
	Trigger        string     `json:"trigger"` // manual, schedule
	Status         string     `json:"status"`
	StartedAt      time.Time  `json:"started_at"`
	FinishedAt     *time.Time `json:"finished_at"`
	Units          int        `json:"units"`
	DurationMS     *int64     `json:"duration_ms" gorm:"-"`
	Error          string     `json:"error,omitempty"`
	// PrunedAt is when the retention policy removed the run's snapshot.
	PrunedAt *time.Time `json:"pruned_at"`
	// EarlyReason is why a closing run closed its period before it ended.
	EarlyReason string `json:"early_reason,omitempty"`
	// SupersededAt is when the period this run closed was reopened (and
	// why): its snapshot stays, no longer final.
	SupersededAt     *time.Time `json:"superseded_at,omitempty"`
	SupersededReason string     `json:"superseded_reason,omitempty"`
}

func (r *Run) fill() {
	if r.FinishedAt != nil {
		ms := r.FinishedAt.Sub(r.StartedAt).Milliseconds()
		r.DurationMS = &ms
	}
}

// RunResult is one unit's line of a run's results: what histories and
// queries need; the full breakdown is in the run's snapshot.
type RunResult struct {
	RunID       int64
	UnitID      int64
	Position    int
	Total       float64
	Eligible    bool
	RankOverall int
	RankLevel   int
}

type runSnapshot struct {
	RunID int64 `gorm:"primaryKey"`
	Board []byte
}

func (runSnapshot) TableName() string { return "run_snapshots" }

// StartRun records a run as running. A closing run closes its period at
// once, after the reports being written have landed, so that none of the
// period's reports changes while its final facts are read; a period closed
// already is ErrConflict. A closing run that fails reopens the period.
func (db *DB) StartRun(ctx context.Context, slug string, r *Run) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		r.CampaignID, r.Status, r.StartedAt = cid, RunRunning, db.Now()
		if r.Closing {
			if err := closePeriod(tx, r); err != nil {
				return err
			}
		}
		return tx.Omit("DurationMS").Create(r).Error
	})
}

func closePeriod(tx *gorm.DB, r *Run) error {
	if err := holdCampaign(tx, r.CampaignID, true); err != nil {
		return err
	}
	var n int64
	if err := tx.Table("closed_periods").Where("campaign_id = ? AND period = ?", r.CampaignID, r.Period).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return conflict("period", "%s is closed already", namedPeriod(r.Period))
	}
	return tx.Exec(`INSERT INTO closed_periods (campaign_id, period, period_start, period_end, closed_at)
		VALUES (?, ?, ?, ?, ?)`, r.CampaignID, r.Period, r.PeriodStart, r.PeriodEnd, r.StartedAt).Error
}

// FailRun records why a run failed; it has no snapshot, and the period a
// closing run had closed is open again.
func (db *DB) FailRun(ctx context.Context, r *Run, cause error) error {
	now := db.Now()
	r.Status, r.FinishedAt, r.Error = RunFailed, &now, cause.Error()
	r.fill()
	return db.tx(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		return db.failRun(tx, r)
	})
}

// failRun marks a running run failed, reopens the period it was closing
// and publishes run.failed; a run that is no longer running (it succeeded
// after all, say, though its caller saw an error) is left as it is.
func (db *DB) failRun(tx *gorm.DB, r *Run) error {
	res := tx.Model(&Run{}).Where("id = ? AND status = ?", r.ID, RunRunning).
		Updates(map[string]any{"status": RunFailed, "finished_at": *r.FinishedAt, "error": r.Error})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	r.Status = RunFailed
	if err := db.publish(tx, r.CampaignID, runEvents(r, nil)...); err != nil {
		return err
	}
	if !r.Closing {
		return nil
	}
	return tx.Exec("DELETE FROM closed_periods WHERE campaign_id = ? AND period = ? AND closed_at = ?",
		r.CampaignID, r.Period, r.StartedAt).Error
}

// interruptedReason is why a run whose process stopped mid-run failed.
const interruptedReason = "interrupted: the service stopped before the run finished"

// FailInterruptedRuns records as failed the campaign's runs still marked
// running, reopening the periods their closing runs had closed, and returns
// their ids. Call it only while holding the campaign's lock (LockCampaign),
// when no run of the campaign can be in progress anywhere: such runs were
// cut off by a stopped process.
func (db *DB) FailInterruptedRuns(ctx context.Context, slug string) ([]int64, error) {
	var ids []int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		var runs []Run
		if err := tx.Where("campaign_id = ? AND status = ?", cid, RunRunning).Order("id").Find(&runs).Error; err != nil {
			return err
		}
		now := db.Now()
		for i := range runs {
			r := &runs[i]
			r.FinishedAt, r.Error = &now, interruptedReason
			r.fill()
			if err := db.failRun(tx, r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	return ids, err
}

// Snapshot is what a finished run writes at once: its encoded board (see
// scoring.EncodeBoard), a line per unit, and when it closes its period, the
// honours it grants. Board is called once the lines are written, so that
// the caller may still be encoding it meanwhile.
type Snapshot struct {
	Board   func() ([]byte, error)
	Results []RunResult
	Honours []NewHonour
}

// FinishRun writes a run's snapshot and marks it succeeded, all in one
// transaction; a closing run's honours go with it (StartRun closed its
// period).
func (db *DB) FinishRun(ctx context.Context, r *Run, snap Snapshot) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.insertResults(ctx, tx, r.ID, snap.Results); err != nil {
			return err
		}
		board, err := snap.Board()
		if err != nil {
			return err
		}
		if err := tx.Create(&runSnapshot{RunID: r.ID, Board: board}).Error; err != nil {
			return err
		}
		now := db.Now()
		var granted []Honour
		if r.Closing {
			if granted, err = db.grantHonours(ctx, tx, r.CampaignID, &r.ID, snap.Honours); err != nil {
				return err
			}
		}
		action := "score"
		if r.Closing {
			action = "close"
		}
		if err := db.audit(ctx, tx, action, "run", idKey(r.ID), nil, map[string]any{
			"period": r.Period, "ruleset_version": r.RulesetVersion, "units": len(snap.Results), "honours": len(snap.Honours)}); err != nil {
			return err
		}
		res := tx.Model(&Run{}).Where("id = ? AND status = ?", r.ID, RunRunning).
			Updates(map[string]any{"status": RunSucceeded, "finished_at": now, "units": len(snap.Results)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return conflict("", "run %d is no longer running", r.ID)
		}
		r.Status, r.FinishedAt, r.Units = RunSucceeded, &now, len(snap.Results)
		r.fill()
		return db.publish(tx, r.CampaignID, runEvents(r, granted)...)
	})
	return err
}

// Runs lists a campaign's runs, newest first.
func (db *DB) Runs(ctx context.Context, slug string, p Page) ([]Run, string, error) {
	var before int64
	if err := p.decode(&before); err != nil {
		return nil, "", err
	}
	var out []Run
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		q := tx.Where("campaign_id = ?", cid)
		if before > 0 {
			q = q.Where("id < ?", before)
		}
		return q.Order("id DESC").Limit(p.limit() + 1).Find(&out).Error
	})
	if err != nil {
		return nil, "", err
	}
	for i := range out {
		out[i].fill()
	}
	out, next := paginate(out, p.limit(), func(r Run) any { return r.ID })
	return out, next, nil
}

// LatestRuns returns the newest succeeded run of a campaign for a period
// and the one before it (nil when there is none), for rank changes.
func (db *DB) LatestRuns(ctx context.Context, slug, period string) (latest, previous *Run, err error) {
	var runs []Run
	err = db.gorm.WithContext(ctx).Table("runs r").Select("r.*").Joins("JOIN campaigns c ON c.id = r.campaign_id").
		Where("c.slug = ? AND r.period = ? AND r.status = ?", slug, period, RunSucceeded).
		Order("r.id DESC").Limit(2).Find(&runs).Error
	if err != nil {
		return nil, nil, err
	}
	for i := range runs {
		runs[i].fill()
	}
	switch len(runs) {
	case 0:
		return nil, nil, notFound("no run of campaign %q for %s yet", slug, namedPeriod(period))
	case 1:
		return &runs[0], nil, nil
	}
	return &runs[0], &runs[1], nil
}

// SucceededRuns counts the runs that have succeeded, of every campaign: a
// cheap poll for caches to notice new snapshots. It grows with each run
// that succeeds, whatever order runs finish in (a newest id would miss a
// long run that started first and finished last).
func (db *DB) SucceededRuns(ctx context.Context) (int64, error) {
	var n int64
	err := db.gorm.WithContext(ctx).Model(&Run{}).Where("status = ?", RunSucceeded).Count(&n).Error
	return n, err
}

// LatestPeriod is the period of a campaign's newest succeeded run.
func (db *DB) LatestPeriod(ctx context.Context, slug string) (string, error) {
	var periods []string
	err := db.gorm.WithContext(ctx).Table("runs r").Joins("JOIN campaigns c ON c.id = r.campaign_id").
		Where("c.slug = ? AND r.status = ?", slug, RunSucceeded).Order("r.id DESC").Limit(1).Pluck("r.period", &periods).Error
	if err != nil {
		return "", err
	}
	if len(periods) == 0 {
		return "", notFound("campaign %q has no run yet", slug)
	}
	return periods[0], nil
}

// RunSnapshot reads a run's encoded board.
func (db *DB) RunSnapshot(ctx context.Context, runID int64) ([]byte, error) {
	var snap runSnapshot
	if err := db.gorm.WithContext(ctx).Where("run_id = ?", runID).Take(&snap).Error; err != nil {
		return nil, translate(err)
	}
	return snap.Board, nil
}

// HistoryPoint is a unit's result in one succeeded run.
type HistoryPoint struct {
	Run         int64      `json:"run"`
	Period      string     `json:"period"`
	Closing     bool       `json:"closing"`
	FinishedAt  *time.Time `json:"finished_at"`
	Total       float64    `json:"total"`
	Eligible    bool       `json:"eligible"`
	RankOverall int        `json:"rank_overall"`
	RankLevel   int        `json:"rank_level"`
}

// UnitHistory lists a unit's results over a campaign's succeeded runs,
// oldest first (at most the last limit runs).
func (db *DB) UnitHistory(ctx context.Context, slug, code string, limit int) ([]HistoryPoint, error) {
	var out []HistoryPoint
	err := db.gorm.WithContext(ctx).Raw(`
		SELECT * FROM (
			SELECT r.id AS run, r.period, r.closing, r.finished_at, rr.total, rr.eligible, rr.rank_overall, rr.rank_level
			FROM run_results rr
			JOIN runs r ON r.id = rr.run_id
			JOIN campaigns c ON c.id = r.campaign_id
			JOIN units u ON u.id = rr.unit_id
			WHERE c.slug = ? AND u.code = ? AND r.status = ?
			ORDER BY r.id DESC LIMIT ?
		) h ORDER BY run`, slug, code, RunSucceeded, limit).Scan(&out).Error
	return out, err
}

// ClosedPeriods lists a campaign's closed periods, oldest first.
func (db *DB) ClosedPeriods(ctx context.Context, slug string) ([]string, error) {
	var out []string
	err := db.gorm.WithContext(ctx).Table("closed_periods cp").Joins("JOIN campaigns c ON c.id = cp.campaign_id").
		Where("c.slug = ?", slug).Order("cp.period_start, cp.period").Pluck("cp.period", &out).Error
	return out, err
}

// ReopenPeriod reopens a closed period, for the reason given: its reports
// are accepted again, and its closing run stays in the history, marked
// superseded; the next close makes a new final snapshot. A period that is
// not closed is ErrConflict. Call it holding the campaign's run lock
// (LockCampaign), so that no run closes the period meanwhile.
func (db *DB) ReopenPeriod(ctx context.Context, slug, period, reason string) (*Run, error) {
	var out Run
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		if err := holdCampaign(tx, cid, true); err != nil {
			return err
		}
		var closedAt []time.Time
		if err := tx.Table("closed_periods").Where("campaign_id = ? AND period = ?", cid, period).Pluck("closed_at", &closedAt).Error; err != nil {
			return err
		}
		if len(closedAt) == 0 {
			return conflict("period", "%s is not closed", namedPeriod(period))
		}
		if err := tx.Exec("DELETE FROM closed_periods WHERE campaign_id = ? AND period = ?", cid, period).Error; err != nil {
			return err
		}
		var runs []Run
		if err := tx.Where("campaign_id = ? AND period = ? AND closing AND status = ? AND superseded_at IS NULL",
			cid, period, RunSucceeded).Order("id DESC").Limit(1).Find(&runs).Error; err != nil {
			return err
		}
		if len(runs) > 0 {
			out = runs[0]
			now := db.Now()
			if err := tx.Model(&Run{}).Where("id = ?", out.ID).
				Updates(map[string]any{"superseded_at": now, "superseded_reason": reason}).Error; err != nil {
				return err
			}
			out.SupersededAt, out.SupersededReason = &now, reason
			out.fill()
		} else {
			out.Period = period
		}
		return db.audit(ctx, tx, "reopen", "period", slug+"/"+period, map[string]any{"closed_at": closedAt[0]},
			map[string]any{"reason": reason, "superseded_run": out.ID})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
