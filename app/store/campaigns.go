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
	ID             int64  `json:"-"`
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	StartsOn       Date   `json:"starts_on"`
	EndsOn         Date   `json:"ends_on"`
	AllUnits       bool   `json:"all_units"`
	RulesetVersion int    `json:"ruleset_version"`
	// Organiser is the unit in whose name the campaign is run and its
	// honours granted; nil for a campaign of the platform.
	Organiser   *UnitRef `json:"organiser" gorm:"-"`
	OrganiserID *int64   `json:"-"`
	// SignerTitle is who signs its certificates for the organiser
	// ("Chủ tịch"); "" for the certificate's default.
	SignerTitle string    `json:"signer_title"`
	Units       int       `json:"units" gorm:"->;-:migration"` // participating units
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	// The organising unit as a campaign's query reads it, for Organiser.
	OrganiserCode  string `json:"-" gorm:"->;-:migration"`
	OrganiserName  string `json:"-" gorm:"->;-:migration"`
	OrganiserLevel string `json:"-" gorm:"->;-:migration"`
	OrganiserKind  string `json:"-" gorm:"->;-:migration"`
}

// fill sets Organiser from what the query read.
func (c *Campaign) fill() {
	if c.OrganiserCode != "" {
		c.Organiser = &UnitRef{Code: c.OrganiserCode, Name: c.OrganiserName, Level: c.OrganiserLevel, Kind: c.OrganiserKind}
	}
}

// NewCampaign is what creating a campaign takes: its organising unit ("" for
// none), and AllUnits (every unit of the organiser's subtree, or of the
// platform without an organiser, now and later) or the codes of the
// participating units.
type NewCampaign struct {
	Slug        string
	Name        string
	StartsOn    Date
	EndsOn      Date
	Organiser   string
	SignerTitle string
	AllUnits    bool
	Units       []string
}

// CreateCampaign creates a campaign with its participants.
func (db *DB) CreateCampaign(ctx context.Context, n NewCampaign) (*Campaign, error) {
	if !ValidSlug(n.Slug) {
		return nil, invalid("slug", "%q is not a slug: lowercase letters, digits and '-'", n.Slug)
	}
	c := &Campaign{Slug: n.Slug, Name: n.Name, StartsOn: n.StartsOn, EndsOn: n.EndsOn, AllUnits: n.AllUnits, SignerTitle: n.SignerTitle}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if n.Organiser != "" {
			id, err := unitID(tx, n.Organiser)
			if err != nil {
				return invalidUnit("organiser", n.Organiser, err)
			}
			c.OrganiserID = &id
		}
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
			var err error
			if c.OrganiserID != nil {
				err = tx.Exec(`INSERT INTO campaign_units (campaign_id, unit_id) `+subtreeOfID+` SELECT ?, id FROM down`, *c.OrganiserID, c.ID).Error
			} else {
				err = tx.Exec(`INSERT INTO campaign_units (campaign_id, unit_id) SELECT ?, id FROM units`, c.ID).Error
			}
			if err != nil {
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
		if c.OrganiserID != nil {
			var o UnitRef
			if err := tx.Model(&Unit{}).Where("id = ?", *c.OrganiserID).Take(&o).Error; err != nil {
				return err
			}
			c.Organiser = &o
		}
		return db.audit(ctx, tx, "create", "campaign", c.Slug, nil, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

const campaignColumns = `campaigns.*,
	COALESCE(o.code, '') AS organiser_code, COALESCE(o.name, '') AS organiser_name,
	COALESCE(o.level, '') AS organiser_level, COALESCE(o.kind, '') AS organiser_kind`

// campaignUnits counts a campaign's participants: a scan of up to every
// unit, for the reads that show it, not for those that check a write.
const campaignUnits = `, (SELECT COUNT(*) FROM campaign_units cu WHERE cu.campaign_id = campaigns.id) AS units`

// campaigns starts a query of campaigns with their organisers, and with
// their participants counted when counted is true.
func (db *DB) campaigns(ctx context.Context, counted bool) *gorm.DB {
	columns := campaignColumns
	if counted {
		columns += campaignUnits
	}
	return db.gorm.WithContext(ctx).Table("campaigns").Select(columns).
		Joins("LEFT JOIN units o ON o.id = campaigns.organiser_id")
}

// CampaignFilter narrows a list of campaigns.
type CampaignFilter struct {
	Organiser string // organised by this unit
	Within    string // organised by this unit or a unit below it
	Page
}

// Campaigns lists campaigns, newest start first.
func (db *DB) Campaigns(ctx context.Context, f CampaignFilter) ([]Campaign, string, error) {
	type key struct {
		StartsOn string `json:"s"`
		Slug     string `json:"k"`
	}
	var after key
	if err := f.decode(&after); err != nil {
		return nil, "", err
	}
	q := db.campaigns(ctx, true)
	if f.Organiser != "" {
		q = q.Where("o.code = ?", f.Organiser)
	}
	if f.Within != "" {
		q = q.Where("campaigns.organiser_id IN ("+subtreeOfCode+" SELECT id FROM down)", f.Within)
	}
	if after.Slug != "" {
		q = q.Where("starts_on < ? OR (starts_on = ? AND slug > ?)", after.StartsOn, after.StartsOn, after.Slug)
	}
	var out []Campaign
	if err := q.Order("starts_on DESC, slug").Limit(f.limit() + 1).Scan(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := paginate(out, f.limit(), func(c Campaign) any { return key{c.StartsOn.String(), c.Slug} })
	for i := range out {
		out[i].fill()
	}
	return out, next, nil
}

// CampaignBySlug returns one campaign, without counting its participants
// (Units is 0: see CampaignCounted).
func (db *DB) CampaignBySlug(ctx context.Context, slug string) (*Campaign, error) {
	return db.campaignBySlug(ctx, slug, false)
}

// CampaignCounted returns one campaign with its participants counted.
func (db *DB) CampaignCounted(ctx context.Context, slug string) (*Campaign, error) {
	return db.campaignBySlug(ctx, slug, true)
}

func (db *DB) campaignBySlug(ctx context.Context, slug string, counted bool) (*Campaign, error) {
	var c Campaign
	res := db.campaigns(ctx, counted).Where("campaigns.slug = ?", slug).Scan(&c)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, notFound("no campaign %q", slug)
	}
	c.fill()
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
