package store

import (
	"context"
	"database/sql/driver"
	"time"
)

// ScheduledCampaign is what the scheduler needs of a campaign that has a
// ruleset.
type ScheduledCampaign struct {
	Slug           string
	RulesetVersion int
	StartsOn       Date
	EndsOn         Date // the last day
}

// ScheduledCampaigns lists the campaigns that have a ruleset, by slug.
func (db *DB) ScheduledCampaigns(ctx context.Context) ([]ScheduledCampaign, error) {
	var out []ScheduledCampaign
	err := db.gorm.WithContext(ctx).Table("campaigns").Select("slug, ruleset_version, starts_on, ends_on").
		Where("ruleset_version > 0").Order("slug").Scan(&out).Error
	return out, err
}

// ClaimSlot claims a scheduled job's slot (the instant the schedule fires)
// for replica. Of every caller claiming the same campaign, job and slot —
// on any replica, at any time — exactly one gets true; the others get
// false. An unknown campaign is ErrNotFound.
func (db *DB) ClaimSlot(ctx context.Context, campaign, job string, slot time.Time, replica string) (bool, error) {
	// One statement, not a read-then-write transaction, so that SQLite takes
	// its write lock (waiting for it) before reading. The slot is stored in
	// UTC so that equal instants are equal on SQLite too, where times are text.
	res := db.gorm.WithContext(ctx).Exec(`INSERT INTO job_claims (campaign_id, job, slot, claimed_by, claimed_at)
		SELECT id, ?, ?, ?, ? FROM campaigns WHERE slug = ?
		ON CONFLICT DO NOTHING`, job, slot.UTC().Truncate(time.Microsecond), replica, db.Now(), campaign)
	if res.Error != nil {
		return false, translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	if _, err := campaignID(db.gorm.WithContext(ctx), campaign); err != nil {
		return false, err
	}
	return false, nil
}

// ReleaseSlot gives up replica's claim of a slot, so that it can be claimed
// again: a close that failed is retried.
func (db *DB) ReleaseSlot(ctx context.Context, campaign, job string, slot time.Time, replica string) error {
	return db.gorm.WithContext(ctx).Exec(`DELETE FROM job_claims WHERE job = ? AND slot = ? AND claimed_by = ?
		AND campaign_id = (SELECT id FROM campaigns WHERE slug = ?)`, job, slot.UTC().Truncate(time.Microsecond), replica, campaign).Error
}

// LockCampaign waits for and takes a campaign's lock, held across replicas
// until unlock is called, so that two replicas never run one campaign's
// jobs at once. On PostgreSQL it is a session advisory lock on a connection
// of its own (it must be released on the connection that took it); on
// SQLite, where one process owns the database file, it does nothing.
func (db *DB) LockCampaign(ctx context.Context, campaign string) (unlock func(), err error) {
	if db.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// A lock taken by a query whose context ended may be held anyway: drop
	// the connection rather than return it to the pool.
	discard := func() {
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}
	key := "thidua.campaign." + campaign
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, key); err != nil {
		discard()
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		var released bool
		err := conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key).Scan(&released)
		if err != nil || !released {
			discard()
			return
		}
		conn.Close()
	}, nil
}
