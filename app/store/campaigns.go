package store

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Campaign is an emulation movement (phong trào thi đua) run over a span of
// dates with its participating units.
type Campaign struct {
	ID             int64     `json:"-"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	StartsOn       Date      `json:"starts_on"`
	EndsOn         Date      `json:"ends_on"`
	AllUnits       bool      `json:"all_units"`
	RulesetVersion int       `json:"ruleset_version"`
	Units          int       `json:"units" gorm:"->;-:migration"` // participating units
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// NewCampaign is what creating a campaign takes: AllUnits, or the codes of
// the participating units.
type NewCampaign struct {
	Slug     string
	Name     string
	StartsOn Date
	EndsOn   Date
	AllUnits bool
	Units    []string
}

// CreateCampaign creates a campaign with its participants.
func (db *DB) CreateCampaign(ctx context.Context, n NewCampaign) (*Campaign, error) {
	if !ValidSlug(n.Slug) {
		return nil, invalid("slug", "%q is not a slug: lowercase letters, digits and '-'", n.Slug)
	}
	c := &Campaign{Slug: n.Slug, Name: n.Name, StartsOn: n.StartsOn, EndsOn: n.EndsOn, AllUnits: n.AllUnits}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var taken int64
		if err := tx.Model(&Campaign{}).Where("slug = ?", n.Slug).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return conflict("slug", "a campaign %q exists already", n.Slug)
		}
		if err := tx.Omit("Units").Create(c).Error; err != nil {
			return err
		}
		if n.AllUnits {
			if err := holdMembership(tx); err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO campaign_units (campaign_id, unit_id) SELECT ?, id FROM units`, c.ID).Error; err != nil {
				return err
			}
		} else {
			codes := uniqueSorted(n.Units)
			var ids []int64
			if err := tx.Model(&Unit{}).Where("code IN ?", codes).Pluck("id", &ids).Error; err != nil {
				return err
			}
			if len(ids) != len(codes) {
				var found []string
				if err := tx.Model(&Unit{}).Where("code IN ?", codes).Pluck("code", &found).Error; err != nil {
					return err
				}
				for _, code := range codes {
					if !slices.Contains(found, code) {
						return invalid("units", "unknown unit %q", code)
					}
				}
			}
			rows := make([]map[string]any, len(ids))
			for i, id := range ids {
				rows[i] = map[string]any{"campaign_id": c.ID, "unit_id": id}
			}
			if len(rows) > 0 {
				if err := tx.Table("campaign_units").CreateInBatches(rows, 1000).Error; err != nil {
					return err
				}
			}
		}
		var count int64
		if err := tx.Table("campaign_units").Where("campaign_id = ?", c.ID).Count(&count).Error; err != nil {
			return err
		}
		c.Units = int(count)
		return db.audit(ctx, tx, "create", "campaign", c.Slug, nil, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

const campaignColumns = `campaigns.*, (SELECT COUNT(*) FROM campaign_units cu WHERE cu.campaign_id = campaigns.id) AS units`

// Campaigns lists campaigns, newest start first.
func (db *DB) Campaigns(ctx context.Context, p Page) ([]Campaign, string, error) {
	type key struct {
		StartsOn string `json:"s"`
		Slug     string `json:"k"`
	}
	var after key
	if err := p.decode(&after); err != nil {
		return nil, "", err
	}
	q := db.gorm.WithContext(ctx).Table("campaigns").Select(campaignColumns)
	if after.Slug != "" {
		q = q.Where("starts_on < ? OR (starts_on = ? AND slug > ?)", after.StartsOn, after.StartsOn, after.Slug)
	}
	var out []Campaign
	if err := q.Order("starts_on DESC, slug").Limit(p.limit() + 1).Scan(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := paginate(out, p.limit(), func(c Campaign) any { return key{c.StartsOn.String(), c.Slug} })
	return out, next, nil
}

// CampaignBySlug returns one campaign.
func (db *DB) CampaignBySlug(ctx context.Context, slug string) (*Campaign, error) {
	var c Campaign
	res := db.gorm.WithContext(ctx).Table("campaigns").Select(campaignColumns).Where("slug = ?", slug).Scan(&c)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, notFound("no campaign %q", slug)
	}
	return &c, nil
}

// campaignID resolves a slug.
func campaignID(tx *gorm.DB, slug string) (int64, error) {
	var ids []int64
	if err := tx.Model(&Campaign{}).Where("slug = ?", slug).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, notFound("no campaign %q", slug)
	}
	return ids[0], nil
}

// participant resolves a unit taking part in a campaign: an unknown unit is
// ErrInvalid on field, one not taking part ErrInvalid too.
func participant(tx *gorm.DB, campaignID int64, field, code string) (int64, error) {
	id, err := unitID(tx, code)
	if err != nil {
		return 0, invalidUnit(field, code, err)
	}
	var n int64
	if err := tx.Table("campaign_units").Where("campaign_id = ? AND unit_id = ?", campaignID, id).Count(&n).Error; err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, invalid(field, "unit %q does not take part in this campaign", code)
	}
	return id, nil
}
