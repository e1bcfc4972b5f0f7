package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// RulesetVersion is one immutable version of a campaign's ruleset, as the
// organiser wrote it.
type RulesetVersion struct {
	CampaignID int64     `json:"-"`
	Version    int       `json:"version"`
	Source     string    `json:"source"`
	Format     string    `json:"format"` // yaml or json
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// TableName is the rulesets' table.
func (RulesetVersion) TableName() string { return "rulesets" }

// SaveRuleset stores a new version of a campaign's ruleset (already
// validated by the caller) and makes it current.
func (db *DB) SaveRuleset(ctx context.Context, slug, source, format string) (*RulesetVersion, error) {
	var rv *RulesetVersion
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var c Campaign
		if err := tx.Where("slug = ?", slug).Take(&c).Error; err != nil {
			return translate(err)
		}
		rv = &RulesetVersion{CampaignID: c.ID, Version: c.RulesetVersion + 1, Source: source, Format: format,
			CreatedBy: ActorFrom(ctx).Username, CreatedAt: db.Now()}
		if err := tx.Create(rv).Error; err != nil {
			return err
		}
		// The version check makes a concurrent save fail instead of skipping a number.
		res := tx.Model(&Campaign{}).Where("id = ? AND ruleset_version = ?", c.ID, c.RulesetVersion).
			Updates(map[string]any{"ruleset_version": rv.Version, "updated_at": rv.CreatedAt})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return conflict("", "the ruleset changed meanwhile; try again")
		}
		return db.audit(ctx, tx, "update", "ruleset", slug, map[string]int{"version": c.RulesetVersion}, rv)
	})
	if err != nil {
		return nil, err
	}
	return rv, nil
}

// Ruleset returns a version of a campaign's ruleset; version 0 means the
// current one. A campaign without a ruleset is ErrNotFound.
func (db *DB) Ruleset(ctx context.Context, slug string, version int) (*RulesetVersion, error) {
	var rv RulesetVersion
	q := db.gorm.WithContext(ctx).Table("rulesets r").Select("r.*").
		Joins("JOIN campaigns c ON c.id = r.campaign_id").Where("c.slug = ?", slug)
	if version > 0 {
		q = q.Where("r.version = ?", version)
	} else {
		q = q.Where("r.version = c.ruleset_version")
	}
	res := q.Scan(&rv)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		if _, err := campaignID(db.gorm.WithContext(ctx), slug); err != nil {
			return nil, err
		}
		if version > 0 {
			return nil, notFound("campaign %q has no ruleset version %d", slug, version)
		}
		return nil, notFound("campaign %q has no ruleset yet", slug)
	}
	return &rv, nil
}

// RulesetVersionOf returns the number of a campaign's current ruleset
// version, without its text. A campaign without a ruleset is ErrNotFound.
func (db *DB) RulesetVersionOf(ctx context.Context, slug string) (int, error) {
	var versions []int
	if err := db.gorm.WithContext(ctx).Model(&Campaign{}).Where("slug = ?", slug).Limit(1).
		Pluck("ruleset_version", &versions).Error; err != nil {
		return 0, err
	}
	switch {
	case len(versions) == 0:
		return 0, notFound("no campaign %q", slug)
	case versions[0] == 0:
		return 0, notFound("campaign %q has no ruleset yet", slug)
	}
	return versions[0], nil
}

// RulesetVersions lists a campaign's ruleset versions, newest first,
// without their text: who saved each, and when.
func (db *DB) RulesetVersions(ctx context.Context, slug string) ([]RulesetVersion, error) {
	var out []RulesetVersion
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		return tx.Table("rulesets").Select("campaign_id, version, format, created_by, created_at").
			Where("campaign_id = ?", cid).Order("version DESC").Scan(&out).Error
	})
	return out, err
}
