package store

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Indicator is a measured figure (chỉ tiêu) of a campaign with the city's target.
type Indicator struct {
	ID         int64     `json:"-"`
	CampaignID int64     `json:"-"`
	Key        string    `json:"key"`
	Title      string    `json:"title"`
	Unit       string    `json:"unit"` // percent (a fraction, 1 = 100%) or count
	Target     float64   `json:"target"`
	CreatedAt  time.Time `json:"created_at"`
}

// CreateIndicator adds an indicator to a campaign; a taken key is ErrConflict.
func (db *DB) CreateIndicator(ctx context.Context, slug string, in Indicator) (*Indicator, error) {
	if !ValidKey(in.Key) {
		return nil, invalid("key", "%q is not a key: lowercase letters, digits and '_'", in.Key)
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Indicator{}).Where("campaign_id = ? AND key = ?", cid, in.Key).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return conflict("key", "indicator %q exists already", in.Key)
		}
		in.CampaignID = cid
		if err := tx.Create(&in).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "create", "indicator", slug+"/"+in.Key, nil, in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// Indicators lists a campaign's indicators by key.
func (db *DB) Indicators(ctx context.Context, slug string) ([]Indicator, error) {
	var out []Indicator
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		return tx.Where("campaign_id = ?", cid).Order("key").Find(&out).Error
	})
	return out, err
}

// indicatorIDs maps the keys of values to indicator ids; an unknown key is
// ErrInvalid on field "<prefix>.<key>".
func indicatorIDs[V any](tx *gorm.DB, campaignID int64, prefix string, values map[string]V) (map[string]int64, error) {
	var inds []Indicator
	if err := tx.Select("id", "key", "unit").Where("campaign_id = ?", campaignID).Find(&inds).Error; err != nil {
		return nil, err
	}
	return indicatorsNamed(inds, prefix, values)
}

// indicatorsNamed maps the keys of values to the ids of a campaign's
// indicators inds; an unknown key, or a percentage outside 0 to 1, is
// ErrInvalid on field "<prefix>.<key>".
func indicatorsNamed[V any](inds []Indicator, prefix string, values map[string]V) (map[string]int64, error) {
	percent := map[string]bool{}
	ids := make(map[string]int64, len(inds))
	for _, in := range inds {
		ids[in.Key], percent[in.Key] = in.ID, in.Unit == "percent"
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := ids[k]; !ok {
			return nil, invalid(prefix+"."+k, "unknown indicator %q", k)
		}
		if v, ok := any(values[k]).(float64); ok && percent[k] && (v < 0 || v > 1) {
			return nil, invalid(prefix+"."+k, "%q is a percentage: a fraction from 0 to 1 (1 = 100%%)", k)
		}
	}
	return ids, nil
}

// Covenant is a unit's pledge (giao ước thi đua): its own targets.
type Covenant struct {
	Campaign string             `json:"campaign"`
	Unit     string             `json:"unit"`
	SignedAt time.Time          `json:"signed_at"`
	Targets  map[string]float64 `json:"targets"`
}

type covenantRow struct {
	CampaignID int64
	UnitID     int64
	SignedAt   time.Time
	UpdatedAt  time.Time
}

func (covenantRow) TableName() string { return "covenants" }

type covenantTarget struct {
	CampaignID  int64
	UnitID      int64
	IndicatorID int64
	Target      float64
}

func (covenantTarget) TableName() string { return "covenant_targets" }

// PutCovenant signs or replaces a unit's covenant.
func (db *DB) PutCovenant(ctx context.Context, slug, unit string, targets map[string]float64) (*Covenant, error) {
	cov := &Covenant{Campaign: slug, Unit: unit, Targets: targets}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := participant(tx, cid, "unit", unit)
		if err != nil {
			return err
		}
		ids, err := indicatorIDs(tx, cid, "targets", targets)
		if err != nil {
			return err
		}
		before, err := db.covenant(tx, cid, uid, slug, unit)
		if err != nil {
			return err
		}
		now := db.Now()
		cov.SignedAt = now
		if before != nil {
			cov.SignedAt = before.SignedAt
		}
		row := covenantRow{CampaignID: cid, UnitID: uid, SignedAt: cov.SignedAt, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "campaign_id"}, {Name: "unit_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"updated_at"}),
		}).Create(&row).Error; err != nil {
			return err
		}
		if err := tx.Where("campaign_id = ? AND unit_id = ?", cid, uid).Delete(&covenantTarget{}).Error; err != nil {
			return err
		}
		rows := make([]covenantTarget, 0, len(targets))
		for k, v := range targets {
			rows = append(rows, covenantTarget{cid, uid, ids[k], v})
		}
		if len(rows) > 0 {
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
		}
		var b any
		if before != nil {
			b = before
		}
		return db.audit(ctx, tx, "sign", "covenant", slug+"/"+unit, b, cov)
	})
	if err != nil {
		return nil, err
	}
	return cov, nil
}

// Covenant returns a unit's covenant.
func (db *DB) Covenant(ctx context.Context, slug, unit string) (*Covenant, error) {
	var cov *Covenant
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := unitID(tx, unit)
		if err != nil {
			return err
		}
		if cov, err = db.covenant(tx, cid, uid, slug, unit); err != nil {
			return err
		}
		if cov == nil {
			return notFound("unit %q has not signed a covenant", unit)
		}
		return nil
	})
	return cov, err
}

func (db *DB) covenant(tx *gorm.DB, cid, uid int64, slug, unit string) (*Covenant, error) {
	var rows []covenantRow
	if err := tx.Where("campaign_id = ? AND unit_id = ?", cid, uid).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var targets []struct {
		Key    string
		Target float64
	}
	err := tx.Table("covenant_targets t").Select("i.key, t.target").
		Joins("JOIN indicators i ON i.id = t.indicator_id").
		Where("t.campaign_id = ? AND t.unit_id = ?", cid, uid).Scan(&targets).Error
	cov := &Covenant{Campaign: slug, Unit: unit, SignedAt: rows[0].SignedAt, Targets: map[string]float64{}}
	for _, t := range targets {
		cov.Targets[t.Key] = t.Target
	}
	return cov, err
}
