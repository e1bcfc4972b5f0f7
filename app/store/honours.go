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
	Campaign   string    `json:"campaign" gorm:"->;-:migration"`
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
	// DecisionNo and DecidedOn are the decision's number and date, for an
	// honour by decision.
	DecisionNo string `json:"decision_no,omitempty"`
	DecidedOn  *Date  `json:"decided_on,omitempty"`
	// A revoked honour stays on record, with when, by whom and why.
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokedBy    *string    `json:"revoked_by,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
}

// Revoked reports whether the honour was revoked.
func (h *Honour) Revoked() bool { return h.RevokedAt != nil }

// NewHonour is what granting an honour takes.
type NewHonour struct {
	DecisionNo string
	DecidedOn  *Date
	Unit       string
	Period     string
	HonourKey  string
	Title      string
	Citation   string
	Scope      string
	Group      string
	Project    *int64
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
			return invalid("period", "%s is outside the campaign (%s to %s)", p,
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
			return conflict("title", "%q was granted %q for %s already", n.Unit, n.Title, p)
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
		if err := tx.Omit("Unit", "UnitName", "Campaign").Create(&h).Error; err != nil {
			return err
		}
		id = h.ID
		h.Unit = n.Unit
		if err := db.publish(tx, cid, honourEventOf(EventHonourGranted, &h)); err != nil {
			return err
		}
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
		GrantedBy: ActorFrom(ctx).Username, GrantedAt: db.Now(), Serial: newSerial(), DecisionNo: n.DecisionNo, DecidedOn: n.DecidedOn}
}

// RevokeHonour revokes an honour by its serial, with the reason: it stays
// on record, marked revoked. Revoking it again is ErrConflict.
func (db *DB) RevokeHonour(ctx context.Context, serial, reason string) (*Honour, error) {
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []Honour
		if err := tx.Where("serial = ?", serial).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("no honour with serial %q", serial)
		}
		before := rows[0]
		id = before.ID
		if err := holdRow(tx, "honours", id); err != nil {
			return err
		}
		now, who := db.Now(), ActorFrom(ctx).Username
		res := tx.Model(&Honour{}).Where("id = ? AND revoked_at IS NULL", id).
			Updates(map[string]any{"revoked_at": now, "revoked_by": who, "revoke_reason": reason})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return conflict("", "honour %s was revoked already", serial)
		}
		after := before
		after.RevokedAt, after.RevokedBy, after.RevokeReason = &now, &who, reason
		var codes []string
		if err := tx.Model(&Unit{}).Where("id = ?", after.UnitID).Pluck("code", &codes).Error; err != nil {
			return err
		}
		if len(codes) > 0 {
			after.Unit = codes[0]
		}
		if err := db.publish(tx, after.CampaignID, honourEventOf(EventHonourRevoked, &after)); err != nil {
			return err
		}
		return db.audit(ctx, tx, "revoke", "honour", idKey(id), before, after)
	})
	if err != nil {
		return nil, err
	}
	return db.honour(ctx, id)
}

// grantHonours records the honours a closing run grants by rule. A unit
// that holds an honour already for the period (a period reopened and closed
// again) is not granted it twice.
func (db *DB) grantHonours(ctx context.Context, tx *gorm.DB, cid int64, runID *int64, in []NewHonour) ([]Honour, error) {
	if len(in) == 0 {
		return nil, nil
	}
	units, err := unitIDs(tx)
	if err != nil {
		return nil, err
	}
	var held []struct {
		UnitID    int64
		HonourKey string
		Period    string
	}
	if err := tx.Table("honours").Select("unit_id, honour_key, period").
		Where("campaign_id = ? AND honour_key <> '' AND revoked_at IS NULL AND period = ?", cid, in[0].Period).Scan(&held).Error; err != nil {
		return nil, err
	}
	type holding struct {
		unit      int64
		key, when string
	}
	holds := make(map[holding]bool, len(held))
	for _, h := range held {
		holds[holding{h.UnitID, h.HonourKey, h.Period}] = true
	}
	rows := make([]Honour, 0, len(in))
	for _, n := range in {
		uid, err := lookup(units, "unit", n.Unit)
		if err != nil {
			return nil, err
		}
		if !holds[holding{uid, n.HonourKey, n.Period}] {
			h := db.honourRow(ctx, cid, uid, runID, n)
			h.Unit = n.Unit
			rows = append(rows, h)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows, tx.Omit("Unit", "UnitName", "Campaign").CreateInBatches(rows, 500).Error
}

// newSerial is a short random code, unambiguous to read aloud or type.
func newSerial() string {
	b := make([]byte, 10)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

const honourColumns = `h.*, u.code AS unit, u.name AS unit_name, c.slug AS campaign`

func (db *DB) honour(ctx context.Context, id int64) (*Honour, error) {
	var out []Honour
	err := db.gorm.WithContext(ctx).Table("honours h").Select(honourColumns).Joins("JOIN campaigns c ON c.id = h.campaign_id").
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
	err := db.gorm.WithContext(ctx).Table("honours h").Select(honourColumns).Joins("JOIN campaigns c ON c.id = h.campaign_id").
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
	// Latest lists the honours granted or revoked last first, one page
	// only (for a feed).
	Latest bool
	Page
}

// Honours lists a campaign's honours, newest first.
func (db *DB) Honours(ctx context.Context, slug string, f HonourFilter) ([]Honour, string, error) {
	var before int64
	if err := f.decode(&before); err != nil {
		return nil, "", err
	}
	q := db.gorm.WithContext(ctx).Table("honours h").Select(honourColumns).Joins("JOIN campaigns c ON c.id = h.campaign_id").
		Joins("JOIN units u ON u.id = h.unit_id").Where("c.slug = ?", slug)
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
	order := "h.id DESC"
	if f.Latest {
		order = "COALESCE(h.revoked_at, h.granted_at) DESC, h.id DESC"
	}
	if err := q.Order(order).Limit(f.limit() + 1).Scan(&out).Error; err != nil {
		return nil, "", err
	}
	if len(out) == 0 {
		if _, err := campaignID(db.gorm.WithContext(ctx), slug); err != nil {
			return nil, "", err
		}
	}
	out, next := paginate(out, f.limit(), func(h Honour) any { return h.ID })
	if f.Latest {
		next = ""
	}
	return out, next, nil
}
