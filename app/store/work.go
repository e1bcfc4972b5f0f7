package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Participation is a unit taking part in a campaign, with what its
// officers' to-do list needs of it.
type Participation struct {
	Campaign string // the campaign's slug
	Unit     string // the unit's code
	UnitName string
	// Covenant is whether the unit has signed its covenant.
	Covenant bool
}

// ReportState is a report as a to-do list needs it: its period, status
// and, once returned, why; without its values.
type ReportState struct {
	Campaign    string
	Unit        string
	Period      string
	PeriodStart Date
	PeriodEnd   Date // exclusive
	Status      string
	Reason      string
	DecidedAt   *time.Time
}

// UnitWork is what there is to do for some units in every campaign they
// take part in.
type UnitWork struct {
	// Campaigns are the campaigns any of the units takes part in, newest
	// start first.
	Campaigns []Campaign
	// Participations are the units' places in those campaigns, by
	// campaign in the order of Campaigns, then by unit code.
	Participations []Participation
	// Projects are the units' projects in those campaigns, oldest first.
	Projects []Project
	// Reports are the units' reports, oldest period first.
	Reports []ReportState
}

// UnitWork reads, for the units with these codes, the campaigns they take
// part in, whether they signed their covenants, their projects and their
// reports: one query for each, whatever the number of units and campaigns.
func (db *DB) UnitWork(ctx context.Context, units []string) (*UnitWork, error) {
	out := &UnitWork{}
	if len(units) == 0 {
		return out, nil
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		taking := tx.Table("campaign_units cu").Select("cu.campaign_id").
			Joins("JOIN units u ON u.id = cu.unit_id").Where("u.code IN ?", units)
		if err := tx.Table("campaigns").Select(campaignColumns).
			Joins("LEFT JOIN units o ON o.id = campaigns.organiser_id").
			Where("campaigns.id IN (?)", taking).
			Order("campaigns.starts_on DESC, campaigns.slug").Scan(&out.Campaigns).Error; err != nil {
			return err
		}
		for i := range out.Campaigns {
			out.Campaigns[i].fill()
		}
		if err := tx.Table("campaign_units cu").
			Select(`c.slug AS campaign, u.code AS unit, u.name AS unit_name,
				EXISTS (SELECT 1 FROM covenants v WHERE v.campaign_id = cu.campaign_id AND v.unit_id = cu.unit_id) AS covenant`).
			Joins("JOIN campaigns c ON c.id = cu.campaign_id").
			Joins("JOIN units u ON u.id = cu.unit_id").
			Where("u.code IN ?", units).
			Order("c.starts_on DESC, c.slug, u.code").Scan(&out.Participations).Error; err != nil {
			return err
		}
		if err := projectQuery(tx).Where("u.code IN ?", units).Order("p.id").Scan(&out.Projects).Error; err != nil {
			return err
		}
		return tx.Table("reports r").
			Select(`c.slug AS campaign, u.code AS unit, r.period, r.period_start, r.period_end, r.status,
				COALESCE(r.reason, '') AS reason, r.decided_at`).
			Joins("JOIN campaigns c ON c.id = r.campaign_id").
			Joins("JOIN units u ON u.id = r.unit_id").
			Where("u.code IN ?", units).
			Order("r.period_start, u.code").Scan(&out.Reports).Error
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
