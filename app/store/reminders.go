package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Kinds of reminder.
const (
	RemindNoProject = "no_project"      // a participating unit has no live project
	RemindDue       = "report_due"      // a report is due soon and not yet sent
	RemindOverdue   = "report_overdue"  // a report's deadline passed and it was never sent
	RemindReturned  = "report_returned" // a report was returned, with a reason
	RemindUnscored  = "unscored"        // a judge's assignments not yet scored
)

// Reminder is one thing to remind one person of: a row of the reminder
// queries. Unit is "" for a judge's; Period for a report's; Count for a
// judge's (how many projects wait).
type Reminder struct {
	UserID       int64
	Username     string
	Email        string
	Kind         string
	Campaign     string
	CampaignName string
	Unit         string
	UnitName     string
	Period       string
	Reason       string
	Count        int
}

// ReminderScope says whose reminders to find.
type ReminderScope struct {
	Today Date // campaigns running on this day
	// Within keeps the people of this unit's subtree (an organiser's
	// preview); "" keeps everyone.
	Within string
}

// recipientsSQL lists, as CTEs, the people who receive reminders (an
// address, not unsubscribed; within a subtree when its parameter is not
// "") and, for each unit officer, the units it acts for: its own, and with
// scope subtree every unit below it. Its parameters: Within twice.
const recipientsSQL = `WITH RECURSIVE down (id) AS (
		SELECT id FROM units WHERE code = ?
		UNION ALL
		SELECT u.id FROM units u JOIN down ON u.parent_id = down.id
	), recipients AS (
		SELECT id, username, email, role, unit_id, scope FROM users
		WHERE email IS NOT NULL AND unsubscribed_at IS NULL AND (? = '' OR unit_id IN (SELECT id FROM down))
	), acts (user_id, unit_id) AS (
		SELECT id, unit_id FROM recipients WHERE role = 'unit'
		UNION ALL
		SELECT a.user_id, u.id FROM acts a
		JOIN recipients r ON r.id = a.user_id AND r.scope = 'subtree'
		JOIN units u ON u.parent_id = a.unit_id
	)
`

func (s ReminderScope) args(more ...any) []any {
	return append([]any{s.Within, s.Within}, more...)
}

// UnitReminders finds, in one query each, the units with no live project
// in a running campaign and the reports returned to them, for each officer
// who acts for them.
func (db *DB) UnitReminders(ctx context.Context, s ReminderScope) ([]Reminder, error) {
	var out []Reminder
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var none, returned []Reminder
		if err := tx.Raw(recipientsSQL+`SELECT r.id AS user_id, r.username, r.email, '`+RemindNoProject+`' AS kind,
				c.slug AS campaign, c.name AS campaign_name, u.code AS unit, u.name AS unit_name
			FROM acts a
			JOIN recipients r ON r.id = a.user_id
			JOIN campaign_units cu ON cu.unit_id = a.unit_id
			JOIN campaigns c ON c.id = cu.campaign_id AND c.starts_on <= ? AND c.ends_on >= ?
			JOIN units u ON u.id = a.unit_id
			WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.campaign_id = c.id AND p.unit_id = a.unit_id
				AND p.status NOT IN ('rejected', 'withdrawn'))
			ORDER BY r.id, c.slug, u.code`, s.args(s.Today, s.Today)...).Scan(&none).Error; err != nil {
			return err
		}
		if err := tx.Raw(recipientsSQL+`SELECT r.id AS user_id, r.username, r.email, '`+RemindReturned+`' AS kind,
				c.slug AS campaign, c.name AS campaign_name, u.code AS unit, u.name AS unit_name, rp.period, rp.reason
			FROM acts a
			JOIN recipients r ON r.id = a.user_id
			JOIN reports rp ON rp.unit_id = a.unit_id AND rp.status = 'returned'
			JOIN campaigns c ON c.id = rp.campaign_id AND c.starts_on <= ? AND c.ends_on >= ?
			JOIN units u ON u.id = a.unit_id
			ORDER BY r.id, c.slug, u.code, rp.period_start`, s.args(s.Today, s.Today)...).Scan(&returned).Error; err != nil {
			return err
		}
		out = append(none, returned...)
		return nil
	})
	return out, err
}

// MissingReports finds, in one query, for each officer the units it acts
// for in the campaign that have sent no report for one of the periods:
// the campaign's reminders of reports due soon or overdue (kind).
func (db *DB) MissingReports(ctx context.Context, s ReminderScope, campaign, kind string, periods []string) ([]Reminder, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	sel := make([]string, len(periods))
	args := s.args()
	for i, p := range periods {
		sel[i] = "SELECT CAST(? AS text) AS period"
		args = append(args, p)
	}
	args = append(args, campaign)
	var out []Reminder
	err := db.gorm.WithContext(ctx).Raw(recipientsSQL+`SELECT r.id AS user_id, r.username, r.email, '`+kind+`' AS kind,
			c.slug AS campaign, c.name AS campaign_name, u.code AS unit, u.name AS unit_name, per.period
		FROM acts a
		JOIN recipients r ON r.id = a.user_id
		JOIN campaign_units cu ON cu.unit_id = a.unit_id
		JOIN campaigns c ON c.id = cu.campaign_id
		JOIN units u ON u.id = a.unit_id
		CROSS JOIN (`+strings.Join(sel, " UNION ALL ")+`) per
		WHERE c.slug = ? AND NOT EXISTS (SELECT 1 FROM reports rp
			WHERE rp.campaign_id = c.id AND rp.unit_id = a.unit_id AND rp.period = per.period)
		ORDER BY r.id, u.code, per.period`, args...).Scan(&out).Error
	return out, err
}

// UnscoredReminders counts, in one query, each judge's assignments in
// running campaigns whose round is not locked that the judge has neither
// scored nor recused from.
func (db *DB) UnscoredReminders(ctx context.Context, s ReminderScope) ([]Reminder, error) {
	var out []Reminder
	err := db.gorm.WithContext(ctx).Raw(recipientsSQL+`SELECT r.id AS user_id, r.username, r.email, '`+RemindUnscored+`' AS kind,
			c.slug AS campaign, c.name AS campaign_name, COUNT(*) AS count
		FROM recipients r
		JOIN judge_assignments ja ON ja.user_id = r.id
		JOIN projects p ON p.id = ja.project_id AND `+activeProject+`
		JOIN campaigns c ON c.id = p.campaign_id AND c.starts_on <= ? AND c.ends_on >= ?
		WHERE NOT EXISTS (SELECT 1 FROM judge_scores sc WHERE sc.project_id = ja.project_id AND sc.user_id = ja.user_id)
			AND NOT EXISTS (SELECT 1 FROM recusals x WHERE x.project_id = ja.project_id AND x.user_id = ja.user_id)
			AND NOT EXISTS (SELECT 1 FROM judging_locks l WHERE l.campaign_id = c.id)
		GROUP BY r.id, r.username, r.email, c.slug, c.name
		ORDER BY r.id, c.slug`, s.args(s.Today, s.Today)...).Scan(&out).Error
	return out, err
}

// RunningCampaigns lists the campaigns with a ruleset that run on the day.
func (db *DB) RunningCampaigns(ctx context.Context, today Date) ([]ScheduledCampaign, error) {
	var out []ScheduledCampaign
	err := db.gorm.WithContext(ctx).Table("campaigns").Select("slug, ruleset_version, starts_on, ends_on").
		Where("ruleset_version > 0 AND starts_on <= ? AND ends_on >= ?", today, today).Order("slug").Scan(&out).Error
	return out, err
}

// Digest statuses.
const (
	DigestSending = "sending" // claimed: being sent, or interrupted by a crash (never sent again)
	DigestSent    = "sent"
	DigestFailed  = "failed" // the server refused it or vanished: claimed again later that day
)

// Digest is the record of one person's reminder digest of one day.
type Digest struct {
	UserID    int64      `json:"-"`
	Day       Date       `json:"day"`
	Status    string     `json:"status"`
	Items     int        `json:"items"`
	Attempts  int        `json:"attempts"`
	ClaimedBy string     `json:"claimed_by"`
	ClaimedAt time.Time  `json:"claimed_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Error     string     `json:"error,omitempty"`
}

// ClaimDigest claims the user's digest of the day for replica, in one
// statement: true when this caller is to send it, because no one claimed
// it before or its last attempt failed and fewer than maxAttempts were
// made. Of callers racing on any replicas, one at most gets true.
func (db *DB) ClaimDigest(ctx context.Context, userID int64, day Date, items int, replica string, maxAttempts int) (bool, error) {
	res := db.gorm.WithContext(ctx).Exec(`INSERT INTO digests (user_id, day, status, items, attempts, claimed_by, claimed_at)
		VALUES (?, ?, 'sending', ?, 1, ?, ?)
		ON CONFLICT (user_id, day) DO UPDATE SET status = 'sending', items = excluded.items,
			attempts = digests.attempts + 1, claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at, error = ''
		WHERE digests.status = 'failed' AND digests.attempts < ?`,
		userID, day, items, replica, db.Now(), maxAttempts)
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// FinishDigest records how replica's claimed digest went: sent when
// sendErr is nil, failed (with the error, to be claimed again) otherwise.
func (db *DB) FinishDigest(ctx context.Context, userID int64, day Date, replica string, sendErr error) error {
	status, msg, at := DigestSent, "", any(db.Now())
	if sendErr != nil {
		status, msg, at = DigestFailed, sendErr.Error(), nil
	}
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	return db.gorm.WithContext(ctx).Exec(`UPDATE digests SET status = ?, error = ?, sent_at = ?
		WHERE user_id = ? AND day = ? AND claimed_by = ? AND status = 'sending'`,
		status, msg, at, userID, day, replica).Error
}

// Digests returns the day's digest records by user id.
func (db *DB) Digests(ctx context.Context, day Date) (map[int64]Digest, error) {
	var rows []Digest
	if err := db.gorm.WithContext(ctx).Table("digests").Where("day = ?", day).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]Digest, len(rows))
	for _, d := range rows {
		out[d.UserID] = d
	}
	return out, nil
}

// SiteKey returns the secret named name that every replica shares, made
// at random by the first to ask.
func (db *DB) SiteKey(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	if err := db.gorm.WithContext(ctx).Exec(`INSERT INTO site_keys (name, secret, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, base64.RawStdEncoding.EncodeToString(b), db.Now()).Error; err != nil {
		return nil, err
	}
	var secret []string
	if err := db.gorm.WithContext(ctx).Table("site_keys").Where("name = ?", name).Pluck("secret", &secret).Error; err != nil {
		return nil, err
	}
	if len(secret) == 0 {
		return nil, notFound("no site key %q", name)
	}
	return base64.RawStdEncoding.DecodeString(secret[0])
}
