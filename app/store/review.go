package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ReviewRun is the run whose snapshot a period's review reads: the closing
// run of a closed period, with final true; while the period is open, its
// newest succeeded run with a snapshot, with final false (the figures are
// provisional). A period without such a run is ErrNotFound.
func (db *DB) ReviewRun(ctx context.Context, slug, period string) (run *Run, final bool, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		var closed int64
		if err := tx.Table("closed_periods").Where("campaign_id = ? AND period = ?", cid, period).Count(&closed).Error; err != nil {
			return err
		}
		final = closed > 0
		q := tx.Where("campaign_id = ? AND period = ? AND status = ? AND pruned_at IS NULL", cid, period, RunSucceeded)
		if final {
			q = q.Where("closing AND superseded_at IS NULL")
		}
		var runs []Run
		if err := q.Order("id DESC").Limit(1).Find(&runs).Error; err != nil {
			return err
		}
		if len(runs) == 0 {
			return notFound("no run of campaign %q for %s yet", slug, namedPeriod(period))
		}
		run = &runs[0]
		run.fill()
		return nil
	})
	return run, final, err
}

// HonourTally counts the honours of one title granted for a period, and
// how many of them were revoked.
type HonourTally struct {
	Title   string `json:"title"`
	Granted int    `json:"granted"`
	Revoked int    `json:"revoked"`
}

// PeriodHonours lists the honours granted for a period of a campaign,
// revoked ones included, by title and unit code (at most limit of them),
// and tallies every one of them by title.
func (db *DB) PeriodHonours(ctx context.Context, slug, period string, limit int) ([]Honour, []HonourTally, error) {
	var (
		list  []Honour
		tally []HonourTally
	)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		if err := tx.Table("honours h").Select(honourColumns).Joins("JOIN campaigns c ON c.id = h.campaign_id").
			Joins("JOIN units u ON u.id = h.unit_id").Where("h.campaign_id = ? AND h.period = ?", cid, period).
			Order("h.title, u.code, h.id").Limit(limit).Scan(&list).Error; err != nil {
			return err
		}
		return tx.Table("honours").
			Select("title, COUNT(*) AS granted, SUM(CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END) AS revoked").
			Where("campaign_id = ? AND period = ?", cid, period).Group("title").Order("title").Scan(&tally).Error
	})
	return list, tally, err
}

// Replication is a project that other units copied (nhân rộng): how many
// of their live projects registered before a date adopted it, and how many
// of those were registered since another.
type Replication struct {
	Project   int64  `json:"project"`
	Title     string `json:"title"`
	Unit      string `json:"unit"`
	UnitName  string `json:"unit_name"`
	Adoptions int    `json:"adoptions"`
	Recent    int    `json:"recent"`
}

// Replications lists a campaign's projects adopted by other units' live
// projects registered before end, the most adopted first (at most limit),
// with the adoptions registered from start; and counts every adopted
// project and every adoption.
func (db *DB) Replications(ctx context.Context, slug string, start, end time.Time, limit int) (list []Replication, projects, adoptions int, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		const adopted = `WHERE a.campaign_id = ? AND a.created_at < ? AND a.unit_id <> src.unit_id
			AND a.status NOT IN ('rejected', 'withdrawn')`
		if err := tx.Raw(`SELECT src.id AS project, src.title, u.code AS unit, u.name AS unit_name, COUNT(*) AS adoptions,
				SUM(CASE WHEN a.created_at >= ? THEN 1 ELSE 0 END) AS recent
			FROM projects a JOIN projects src ON src.id = a.adopted_from JOIN units u ON u.id = src.unit_id `+adopted+`
			GROUP BY src.id, src.title, u.code, u.name ORDER BY adoptions DESC, src.id LIMIT ?`,
			start.UTC(), cid, end.UTC(), limit).Scan(&list).Error; err != nil {
			return err
		}
		var n struct{ Projects, Adoptions int }
		if err := tx.Raw(`SELECT COUNT(DISTINCT src.id) AS projects, COUNT(*) AS adoptions
			FROM projects a JOIN projects src ON src.id = a.adopted_from `+adopted, cid, end.UTC()).Scan(&n).Error; err != nil {
			return err
		}
		projects, adoptions = n.Projects, n.Adoptions
		return nil
	})
	return list, projects, adoptions, err
}

// ProjectRefs names the projects of a campaign with the given ids, in no
// particular order.
func (db *DB) ProjectRefs(ctx context.Context, slug string, ids []int64) ([]ProjectRef, error) {
	out := []ProjectRef{}
	if len(ids) == 0 {
		return out, nil
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		return tx.Table("projects p").Select("p.id, p.title, u.code AS unit, u.name AS unit_name, p.status").
			Joins("JOIN units u ON u.id = p.unit_id").Where("p.campaign_id = ? AND p.id IN ?", cid, ids).Scan(&out).Error
	})
	return out, err
}
