package store

import "gorm.io/gorm"

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
func campaignLockKeyOf(id string) string {
	return "hashtextextended('thidua.campaign.' || " + id + ", 0)"
}

// heldParticipant resolves a campaign by slug and a unit taking part in it
// by code, and holds them as holdUnitIn does, in one round trip: the write
// of a unit's report pays for one statement before its work. An unknown
// campaign is ErrNotFound; an unknown unit, or one not taking part, is
// ErrInvalid on field, as participant says.
func heldParticipant(tx *gorm.DB, slug, field, code string) (cid, uid int64, err error) {
	q := `SELECT c.id, u.id FROM campaigns c JOIN campaign_units cu ON cu.campaign_id = c.id
		JOIN units u ON u.id = cu.unit_id WHERE c.slug = ? AND u.code = ?`
	if tx.Dialector.Name() == "postgres" { // the lock function sees c: FROM functions are lateral
		q = `SELECT c.id, u.id FROM campaigns c JOIN campaign_units cu ON cu.campaign_id = c.id
			JOIN units u ON u.id = cu.unit_id,
			pg_advisory_xact_lock_shared(` + campaignLockKeyOf("c.id") + `)
			WHERE c.slug = ? AND u.code = ? FOR NO KEY UPDATE OF u`
	}
	rows, err := tx.Raw(q, slug, code).Rows()
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	if rows.Next() {
		err = rows.Scan(&cid, &uid)
		return cid, uid, err
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	// Say which is missing.
	if cid, err = campaignID(tx, slug); err != nil {
		return 0, 0, err
	}
	if _, err = participant(tx, cid, field, code); err != nil {
		return 0, 0, err
	}
	return 0, 0, invalid(field, "unit %q does not take part in this campaign", code) // joined in the meantime
}

// heldParticipantOf is heldParticipant that reads the campaign too (as
// CampaignBySlug does), in the same one statement, for a check of the
// write against it. It returns a nil campaign, without saying why, when the
// unit is not one of the campaign's participants or either is unknown.
func heldParticipantOf(tx *gorm.DB, slug, code string) (*Campaign, int64, error) {
	from := `FROM campaigns JOIN campaign_units cu ON cu.campaign_id = campaigns.id
		JOIN units u ON u.id = cu.unit_id LEFT JOIN units o ON o.id = campaigns.organiser_id`
	lock := ""
	if tx.Dialector.Name() == "postgres" { // as heldParticipant
		from += `, pg_advisory_xact_lock_shared(` + campaignLockKeyOf("campaigns.id") + `)`
		lock = " FOR NO KEY UPDATE OF u"
	}
	var rows []struct {
		Campaign
		HeldUnit int64
	}
	if err := tx.Raw("SELECT "+campaignColumns+", u.id AS held_unit "+from+" WHERE campaigns.slug = ? AND u.code = ?"+lock,
		slug, code).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return nil, 0, err
	}
	c := rows[0].Campaign
	c.fill()
	return &c, rows[0].HeldUnit, nil
}

// holdUnitIn holds a campaign shared (see holdCampaign) and one of its
// units alone, in one round trip, on PostgreSQL: for the writes of that
// unit's reports, one at a time.
func holdUnitIn(tx *gorm.DB, cid, uid int64) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	var got []int64
	return tx.Raw("SELECT id FROM units, pg_advisory_xact_lock_shared("+campaignLockKey+") WHERE id = ? FOR NO KEY UPDATE OF units",
		cid, uid).Scan(&got).Error
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
