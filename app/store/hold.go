package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// holdCampaign serialises the changes that must not interleave within a
// campaign, on PostgreSQL, by holding the campaign's advisory lock until the
// transaction ends. Everyday writes (a score, an assignment, a report) hold
// it shared and run side by side. The changes that decide over them hold it
// alone: locking or reopening the judging round, removing a judge,
// unassigning (no score may land on an assignment that is going), recusing
// (no assignment may land beside it), auto-assignment (two would fill the
// same gaps), and closing a period (no report of it may land after its
// final facts are read). Holding alone waits for the shared holders to
// finish, and they then see its change. An advisory lock, not the
// campaign's row: shared row locks of many writers on one hot row cost
// PostgreSQL a multixact each. SQLite runs one write transaction at a time
// anyway.
func holdCampaign(tx *gorm.DB, cid int64, alone bool) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	lock := "pg_advisory_xact_lock_shared"
	if alone {
		lock = "pg_advisory_xact_lock"
	}
	return tx.Exec("SELECT "+lock+"("+campaignLockKey+")", cid).Error
}

// campaignLockKey is the SQL of a campaign's advisory lock key, of its id
// as the one parameter.
var campaignLockKey = campaignLockKeyOf("?::bigint")

// campaignLockKeyOf is the SQL of a campaign's advisory lock key, of the
// SQL of its id.
func campaignLockKeyOf(id string) string { return lockKeyOf("campaign", id) }

// lockKeyOf is the SQL of the advisory lock key of a thing of a kind, of
// the SQL of its id.
func lockKeyOf(kind, id string) string {
	return "hashtextextended('thidua." + kind + ".' || " + id + ", 0)"
}

// heldAlone is the SQL of an output column, "" (its text), whose value
// holds the advisory lock of a thing of a kind alone until the transaction
// ends, on PostgreSQL: of the SQL of its id, taken after the locks of the
// statement's FROM. It serialises the writes of one thing without writing
// its row, where a row lock (FOR NO KEY UPDATE) dirties the row's page and
// logs the lock: locking a unit's row cost PostgreSQL as much as a
// transaction of two INSERTs.
func heldAlone(postgres bool, kind, id string) string {
	if !postgres {
		return "''"
	}
	return "pg_advisory_xact_lock(" + lockKeyOf(kind, id) + ")::text"
}

// heldUnit is a campaign's participant held for a write of its own, and
// the campaign: nil when the unit does not take part in it or either is
// unknown.
type heldUnit struct {
	campaign *Campaign
	unit     int64
}

// holdParticipantOf queues the resolution of a campaign by slug and a unit
// taking part in it by code, held as holdUnitIn holds them, with the read
// of the campaign (as CampaignBySlug reads it), in one statement, for a
// check of the write against it: the write of a unit's report pays for
// one statement before its work. What it read is there once the pipe is
// flushed.
func holdParticipantOf(p *pipe, slug, code string) *heldUnit {
	q := `SELECT campaigns.id, campaigns.slug, campaigns.name, campaigns.starts_on, campaigns.ends_on, campaigns.all_units,
			campaigns.ruleset_version, campaigns.organiser_id, campaigns.signer_title, campaigns.created_at, campaigns.updated_at,
			COALESCE(o.code, ''), COALESCE(o.name, ''), COALESCE(o.level, ''), COALESCE(o.kind, ''), u.id, ` + heldAlone(p.postgres, "unit", "u.id") + `
		FROM campaigns JOIN campaign_units cu ON cu.campaign_id = campaigns.id
		JOIN units u ON u.id = cu.unit_id LEFT JOIN units o ON o.id = campaigns.organiser_id`
	if p.postgres { // as holdUnitIn
		q += `, pg_advisory_xact_lock_shared(` + campaignLockKeyOf("campaigns.id") + `)`
	}
	q += ` WHERE campaigns.slug = ? AND u.code = ?`
	out := &heldUnit{}
	p.query(q, []any{slug, code}, func(rs rows) error {
		for rs.Next() {
			var c Campaign
			var held string
			if err := rs.Scan(&c.ID, &c.Slug, &c.Name, &c.StartsOn, &c.EndsOn, &c.AllUnits, &c.RulesetVersion, &c.OrganiserID,
				&c.SignerTitle, &c.CreatedAt, &c.UpdatedAt, &c.OrganiserCode, &c.OrganiserName, &c.OrganiserLevel, &c.OrganiserKind,
				&out.unit, &held); err != nil {
				return err
			}
			c.fill()
			out.campaign = &c
		}
		return nil
	})
	return out
}

// errNotParticipant says a write found no participant to hold: the
// transaction ends, and whyNotParticipant says what to answer.
var errNotParticipant = errors.New("store: not a participant")

// whyNotParticipant says why a write found no unit code taking part in
// campaign slug: an unknown campaign is
// ErrNotFound, an unknown unit or one not taking part ErrInvalid on field.
func (db *DB) whyNotParticipant(ctx context.Context, slug, field, code string) error {
	tx := db.gorm.WithContext(ctx)
	cid, err := campaignID(tx, slug)
	if err == nil {
		_, err = participant(tx, cid, field, code)
	}
	if err == nil {
		err = invalid(field, "unit %q does not take part in this campaign", code) // joined in the meantime
	}
	return translate(err)
}

// holdUnitIn holds a campaign shared (see holdCampaign) and then one of
// its units alone (heldAlone), in one round trip, on PostgreSQL: for the
// writes of that unit's reports, one at a time.
func holdUnitIn(tx *gorm.DB, cid, uid int64) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	var got []string
	return tx.Raw("SELECT "+heldAlone(true, "unit", "?::bigint")+" FROM pg_advisory_xact_lock_shared("+campaignLockKey+")",
		uid, cid).Scan(&got).Error
}

// holdRow holds one row of table alone until the transaction ends, on
// PostgreSQL, so that a read-modify-write of it cannot lose a concurrent
// change (SQLite runs one write transaction at a time anyway).
func holdRow(tx *gorm.DB, table string, id int64) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	var got int64
	return tx.Raw("SELECT id FROM "+table+" WHERE id = ? FOR NO KEY UPDATE", id).Scan(&got).Error
}

// holdMembership serialises, on PostgreSQL, the writes that decide which
// units take part in which campaign: creating a campaign of every unit, and
// creating units (which join every such campaign). Otherwise a unit created
// while such a campaign is being created would join neither way.
func holdMembership(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('thidua.membership', 0))").Error
}

// heldCampaign resolves a campaign by slug and holds it alone (see
// holdCampaign) for a change that decides over its everyday writes.
func heldCampaign(tx *gorm.DB, slug string) (int64, error) {
	cid, err := campaignID(tx, slug)
	if err != nil {
		return 0, err
	}
	return cid, holdCampaign(tx, cid, true)
}
