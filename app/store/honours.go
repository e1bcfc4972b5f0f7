package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"time"

	"gorm.io/gorm"

	"github.com/thidua/thidua/rules"
)

// Honour is a title granted to a unit (tôn vinh, khen thưởng): by rule when
// a period is closed, or by the organisers' decision.
type Honour struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"-"`
	UnitID     int64     `json:"-"`
	Unit       string    `json:"unit" gorm:"->;-:migration"`
	UnitName   string    `json:"unit_name" gorm:"->;-:migration"`
	Period     string    `json:"period"`
	HonourKey  string    `json:"honour"` // the ruleset's honour key; "" for a decision
	Title      string    `json:"title"`
	Citation   string    `json:"citation"`
	Scope      string    `json:"scope"` // overall, level, cluster, or decision
	Grp        string    `json:"group"`
	ProjectID  *int64    `json:"project"`
	RunID      *int64    `json:"run"`
	GrantedBy  string    `json:"granted_by"`
	GrantedAt  time.Time `json:"granted_at"`
	Serial     string    `json:"serial"` // printed on the certificate, to verify it
}

// NewHonour is what granting an honour takes.
type NewHonour struct {
	Unit      string
	Period    string
	HonourKey string
	Title     string
	Citation  string
	Scope     string
	Group     string
	Project   *int64
}

// GrantHonour records an honour decided by the organisers, for a period of
// the campaign (its key in canonical form). The same title for the same
// unit and period twice is ErrConflict: a repeated submission grants
// nothing more.
func (db *DB) GrantHonour(ctx context.Context, slug string, n NewHonour) (*Honour, error) {
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var camps []Campaign
		if err := tx.Where("slug = ?", slug).Limit(1).Find(&camps).Error; err != nil {
			return err
		}
		if len(camps) == 0 {
			return notFound("no campaign %q", slug)
		}
		camp := camps[0]
		p, err := rules.ParsePeriod(n.Period)
		if err != nil {
			return invalid("period", PeriodFormat, n.Period)
		}
		if !rules.CampaignPeriod(camp.StartsOn.Time, camp.EndsOn.Time).Overlaps(p) {
			return invalid("period", "period %s is outside the campaign (%s to %s)", p.Key,
				camp.StartsOn.Format(time.DateOnly), camp.EndsOn.Format(time.DateOnly))
		}
		n.Period = p.Key
		cid := camp.ID
		uid, err := participant(tx, cid, "unit", n.Unit)
		if err != nil {
			return err
		}
		var same int64
		if err := tx.Model(&Honour{}).Where("campaign_id = ? AND unit_id = ? AND period = ? AND title = ? AND scope = ?",
			cid, uid, n.Period, n.Title, n.Scope).Count(&same).Error; err != nil {
			return err
		}
		if same > 0 {
			return conflict("title", "%q was granted %q for %s already", n.Unit, n.Title, n.Period)
		}
		if n.Project != nil {
			var owner []int64
			if err := tx.Model(&Project{}).Where("id = ? AND campaign_id = ?", *n.Project, cid).Pluck("unit_id", &owner).Error; err != nil {
				return err
			}
			if len(owner) == 0 || owner[0] != uid {
				return invalid("project", "project %d is not a project of unit %q in this campaign", *n.Project, n.Unit)
			}
		}
		h := db.honourRow(ctx, cid, uid, nil, n)
		if err := tx.Omit("Unit", "UnitName").Create(&h).Error; err != nil {
			return err
		}
		id = h.ID
		h.Unit = n.Unit
		return db.audit(ctx, tx, "grant", "honour", idKey(h.ID), nil, h)
	})
	if err != nil {
		return nil, err
	}
	return db.honour(ctx, id)
}

func (db *DB) honourRow(ctx context.Context, cid, uid int64, runID *int64, n NewHonour) Honour {
	return Honour{CampaignID: cid, UnitID: uid, Period: n.Period, HonourKey: n.HonourKey, Title: n.Title,
		Citation: n.Citation, Scope: n.Scope, Grp: n.Group, ProjectID: n.Project, RunID: runID,
		GrantedBy: ActorFrom(ctx).Username, GrantedAt: db.Now(), Serial: newSerial()}
}

// grantHonours records the honours a closing run grants by rule.
func (db *DB) grantHonours(ctx context.Context, tx *gorm.DB, cid int64, runID *int64, in []NewHonour) error {
	if len(in) == 0 {
		return nil
	}
	units, err := unitIDs(tx)
	if err != nil {
		return err
	}
	rows := make([]Honour, len(in))
	for i, n := range in {
		uid, err := lookup(units, "unit", n.Unit)
		if err != nil {
			return err
		}
		rows[i] = db.honourRow(ctx, cid, uid, runID, n)
	}
	return tx.Omit("Unit", "UnitName").CreateInBatches(rows, 500).Error
}

// newSerial is a short random code, unambiguous to read aloud or type.
func newSerial() string {
	b := make([]byte, 10)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

const honourColumns = `h.*, u.code AS unit, u.name AS unit_name`

func (db *DB) honour(ctx context.Context, id int64) (*Honour, error) {
	var out []Honour
	err := db.gorm.WithContext(ctx).Table("honours h").Select(honourColumns).
		Joins("JOIN units u ON u.id = h.unit_id").Where("h.id = ?", id).Scan(&out).Error
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, notFound("no honour %d", id)
	}
	return &out[0], nil
}

// HonourBySerial finds an honour by the code on its certificate.
func (db *DB) HonourBySerial(ctx context.Context, serial string) (*Honour, error) {
	var out []Honour
	err := db.gorm.WithContext(ctx).Table("honours h").Select(honourColumns).
		Joins("JOIN units u ON u.id = h.unit_id").Where("h.serial = ?", serial).Scan(&out).Error
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, notFound("no honour with serial %q", serial)
	}
	return &out[0], nil
}

// HonourFilter narrows a campaign's honours.
type HonourFilter struct {
	Period string
	Unit   string
	Page
}

// Honours lists a campaign's honours, newest first.
func (db *DB) Honours(ctx context.Context, slug string, f HonourFilter) ([]Honour, string, error) {
	var before int64
	if err := f.decode(&before); err != nil {
		return nil, "", err
	}
	q := db.gorm.WithContext(ctx).Table("honours h").Select(honourColumns).
		Joins("JOIN units u ON u.id = h.unit_id").Joins("JOIN campaigns c ON c.id = h.campaign_id").
		Where("c.slug = ?", slug)
	if f.Period != "" {
		q = q.Where("h.period = ?", f.Period)
	}
	if f.Unit != "" {
		q = q.Where("u.code = ?", f.Unit)
	}
	if before > 0 {
		q = q.Where("h.id < ?", before)
	}
	var out []Honour
	if err := q.Order("h.id DESC").Limit(f.limit() + 1).Scan(&out).Error; err != nil {
		return nil, "", err
	}
	if len(out) == 0 {
		if _, err := campaignID(db.gorm.WithContext(ctx), slug); err != nil {
			return nil, "", err
		}
	}
	out, next := paginate(out, f.limit(), func(h Honour) any { return h.ID })
	return out, next, nil
}
