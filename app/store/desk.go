package store

import (
	"context"

	"gorm.io/gorm"
)

// Desk is what an organiser's home shows of a campaign: the figures of its
// coverage and the queues of work waiting for someone.
type Desk struct {
	Units       int // participating units
	WithProject int // of them, with a project in competition
	// Submitted counts the reports awaiting verification.
	Submitted int
	// Unscored counts the judges' assignments of projects in competition
	// not scored yet.
	Unscored int
	// Failed counts the runs that failed since the campaign's last
	// successful one.
	Failed int
}

// Desks reads the desks of campaigns, by slug: one grouped query per
// figure, whatever the number of campaigns.
func (db *DB) Desks(ctx context.Context, slugs []string) (map[string]*Desk, error) {
	out := make(map[string]*Desk, len(slugs))
	for _, s := range slugs {
		out[s] = &Desk{}
	}
	if len(slugs) == 0 {
		return out, nil
	}
	type count struct {
		Slug string
		N, M int
	}
	read := func(q *gorm.DB, set func(d *Desk, c count)) error {
		var rows []count
		if err := q.Where("c.slug IN ?", slugs).Group("c.slug").Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if d := out[r.Slug]; d != nil {
				set(d, r)
			}
		}
		return nil
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		live := `SELECT DISTINCT campaign_id, unit_id FROM projects WHERE status NOT IN ('rejected', 'withdrawn')`
		if err := read(tx.Table("campaign_units cu").Select("c.slug, COUNT(*) AS n, COUNT(lp.unit_id) AS m").
			Joins("JOIN campaigns c ON c.id = cu.campaign_id").
			Joins("LEFT JOIN ("+live+") lp ON lp.campaign_id = cu.campaign_id AND lp.unit_id = cu.unit_id"),
			func(d *Desk, c count) { d.Units, d.WithProject = c.N, c.M }); err != nil {
			return err
		}
		if err := read(tx.Table("reports r").Select("c.slug, COUNT(*) AS n").
			Joins("JOIN campaigns c ON c.id = r.campaign_id").Where("r.status = ?", ReportSubmitted),
			func(d *Desk, c count) { d.Submitted = c.N }); err != nil {
			return err
		}
		if err := read(tx.Table("judge_assignments a").Select("c.slug, COUNT(*) AS n").
			Joins("JOIN projects p ON p.id = a.project_id").
			Joins("JOIN campaigns c ON c.id = p.campaign_id").
			Joins("LEFT JOIN judge_scores s ON s.project_id = a.project_id AND s.user_id = a.user_id").
			Where("s.id IS NULL AND "+activeProject),
			func(d *Desk, c count) { d.Unscored = c.N }); err != nil {
			return err
		}
		return read(tx.Table("runs r").Select("c.slug, COUNT(*) AS n").
			Joins("JOIN campaigns c ON c.id = r.campaign_id").
			Where("r.status = ? AND r.id > COALESCE((SELECT MAX(ok.id) FROM runs ok WHERE ok.campaign_id = r.campaign_id AND ok.status = ?), 0)",
				RunFailed, RunSucceeded),
			func(d *Desk, c count) { d.Failed = c.N })
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
