package store

import (
	"context"
	"errors"
	"time"

	"github.com/thidua/thidua/app/policy"
	"gorm.io/gorm"
)

// Judging committees (hội đồng chấm): a campaign's judges, who scores which
// project, the scores, recusals and the lock that makes a round final.
// Conflicts of interest are in judging_conflicts.go, auto-assignment in
// judging_assign.go.

// ErrForbidden is the kind of a judge's request the rules of the committee
// refuse: a project not assigned to them, or one they are conflicted with.
var ErrForbidden = errors.New("forbidden")

func forbidden(format string, args ...any) error {
	return NewError(ErrForbidden, "", format, args...)
}

// activeProject selects the projects still in competition (alias p).
const activeProject = "p.status NOT IN ('rejected', 'withdrawn')"

// Progress is how many of a judge's assigned projects they have scored.
// Projects rejected or withdrawn do not count.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Judge is a member of a campaign's committee.
type Judge struct {
	UserID   int64     `json:"-"`
	Username string    `json:"username"`
	Unit     string    `json:"unit"` // "" for a judge without a unit
	UnitName string    `json:"unit_name"`
	AddedAt  time.Time `json:"added_at"`
	Progress Progress  `json:"progress" gorm:"-"`
}

type judgeRow struct {
	CampaignID int64
	UserID     int64
	AddedAt    time.Time
}

func (judgeRow) TableName() string { return "judges" }

// JudgingLock closes a campaign's judging round: its scores are final.
type JudgingLock struct {
	CampaignID int64     `json:"-" gorm:"primaryKey"`
	LockedAt   time.Time `json:"locked_at"`
	LockedBy   string    `json:"locked_by"`
}

// TableName is the locks' table.
func (JudgingLock) TableName() string { return "judging_locks" }

// judgeKey names a (project, judge) pair in the audit log.
func judgeKey(project int64, username string) string { return idKey(project) + "/" + username }

// AddJudge puts a user with the role judge on the campaign's committee; a
// member already on it is ErrConflict.
func (db *DB) AddJudge(ctx context.Context, slug, username string) (*Judge, error) {
	var out *Judge
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		var users []User
		if err := tx.Select("id", "role").Where("username = ?", username).Find(&users).Error; err != nil {
			return err
		}
		switch {
		case len(users) == 0:
			return invalid("username", "no user %q", username)
		case users[0].Role != policy.Judge:
			return invalid("username", "%q is a %s user, not a judge", username, users[0].Role)
		}
		var n int64
		if err := tx.Model(&judgeRow{}).Where("campaign_id = ? AND user_id = ?", cid, users[0].ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return conflict("username", "%q is already on the committee", username)
		}
		row := judgeRow{CampaignID: cid, UserID: users[0].ID, AddedAt: db.Now()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		judges, err := committee(tx, cid, username, Page{Limit: 1})
		if err != nil {
			return err
		}
		out = &judges[0]
		return db.audit(ctx, tx, "add", "judge", slug+"/"+username, nil, out)
	})
	return out, err
}

// Judges lists a campaign's committee by username, each judge with their
// unit and progress.
func (db *DB) Judges(ctx context.Context, slug string, p Page) ([]Judge, string, error) {
	var after string
	if err := p.decode(&after); err != nil {
		return nil, "", err
	}
	q := db.gorm.WithContext(ctx)
	cid, err := campaignID(q, slug)
	if err != nil {
		return nil, "", err
	}
	judges, err := committee(q.Where("us.username > ?", after), cid, "", Page{Limit: p.limit() + 1})
	if err != nil {
		return nil, "", err
	}
	judges, next := paginate(judges, p.limit(), func(j Judge) any { return j.Username })
	return judges, next, nil
}

// committee reads the campaign's judges with their progress, one query;
// username narrows it to one judge; p.Limit 0 means all.
func committee(tx *gorm.DB, cid int64, username string, p Page) ([]Judge, error) {
	q := tx.Table("judges j").
		Select(`us.id AS user_id, us.username, COALESCE(un.code, '') AS unit, COALESCE(un.name, '') AS unit_name,
			j.added_at, COALESCE(g.done, 0) AS done, COALESCE(g.total, 0) AS total`).
		Joins("JOIN users us ON us.id = j.user_id").
		Joins("LEFT JOIN units un ON un.id = us.unit_id").
		Joins(`LEFT JOIN (
			SELECT a.user_id, COUNT(*) AS total, COUNT(s.id) AS done
			FROM judge_assignments a
			JOIN projects p ON p.id = a.project_id
			LEFT JOIN judge_scores s ON s.project_id = a.project_id AND s.user_id = a.user_id
			WHERE p.campaign_id = ? AND `+activeProject+`
			GROUP BY a.user_id) g ON g.user_id = j.user_id`, cid).
		Where("j.campaign_id = ?", cid)
	if username != "" {
		q = q.Where("us.username = ?", username)
	}
	if p.Limit > 0 {
		q = q.Limit(p.Limit)
	}
	var rows []struct {
		Judge
		Done, Total int
	}
	if err := q.Order("us.username").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Judge, len(rows))
	for i, r := range rows {
		out[i] = r.Judge
		out[i].Progress = Progress{Done: r.Done, Total: r.Total}
	}
	return out, nil
}

// LockJudging makes the campaign's scores final: until UnlockJudging, no
// score, assignment or recusal changes. Locking a locked round is ErrConflict.
func (db *DB) LockJudging(ctx context.Context, slug string) (*JudgingLock, error) {
	var lock *JudgingLock
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := heldCampaign(tx, slug)
		if err != nil {
			return err
		}
		if err := unlocked(tx, cid); err != nil {
			return err
		}
		lock = &JudgingLock{CampaignID: cid, LockedAt: db.Now(), LockedBy: ActorFrom(ctx).Username}
		if err := tx.Create(lock).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "lock", "judging", slug, nil, lock)
	})
	return lock, err
}

// UnlockJudging reopens the campaign's judging round.
func (db *DB) UnlockJudging(ctx context.Context, slug string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := heldCampaign(tx, slug)
		if err != nil {
			return err
		}
		var locks []JudgingLock
		if err := tx.Where("campaign_id = ?", cid).Find(&locks).Error; err != nil {
			return err
		}
		if len(locks) == 0 {
			return conflict("", "the judging of %q is not locked", slug)
		}
		if err := tx.Delete(&JudgingLock{}, "campaign_id = ?", cid).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "unlock", "judging", slug, locks[0], nil)
	})
}

// unlocked fails with ErrConflict when the campaign's judging is locked.
func unlocked(tx *gorm.DB, cid int64) error {
	var locks []JudgingLock
	if err := tx.Where("campaign_id = ?", cid).Find(&locks).Error; err != nil {
		return err
	}
	if len(locks) > 0 {
		return lockedRound(locks[0])
	}
	return nil
}

// lockedRound refuses a change to a locked judging round (ErrConflict).
func lockedRound(l JudgingLock) error {
	return conflict("", "the judging round was locked at %s by %s: scores are final", l.LockedAt.Format(time.RFC3339), l.LockedBy)
}

// projectHeld is a project whose scores are held for a write, and whose it is:
// project nil when there is no such project.
type projectHeld struct {
	project *projectInfo
	owner   ProjectOwner
}

// holdProjectOf queues the hold of a project's scores, its campaign shared
// (see holdCampaign) and then its scores alone (heldAlone), with the
// read of whose the project is (as ProjectOwnerOf reads it), in one
// statement, for a check of the write against it; what it read is there
// once the pipe is flushed.
func holdProjectOf(p *pipe, id int64) *projectHeld {
	q := `SELECT p.id, p.campaign_id, p.status, c.slug, u.code, c.ruleset_version, ` + heldAlone(p.postgres, "scores", "p.id") + `
		FROM projects p JOIN campaigns c ON c.id = p.campaign_id JOIN units u ON u.id = p.unit_id`
	if p.postgres {
		q += `, pg_advisory_xact_lock_shared(` + campaignLockKeyOf("p.campaign_id") + `)`
	}
	q += " WHERE p.id = ?"
	out := &projectHeld{}
	p.query(q, []any{id}, func(rs rows) error {
		for rs.Next() {
			var pi projectInfo
			var held string
			if err := rs.Scan(&pi.ID, &pi.CampaignID, &pi.Status, &out.owner.Campaign, &out.owner.Unit, &out.owner.RulesetVersion, &held); err != nil {
				return err
			}
			out.project = &pi
		}
		return nil
	})
	return out
}

// projectInfo is what the committee's checks need of a project.
type projectInfo struct {
	ID         int64
	CampaignID int64
	Status     string
}

func projectOf(tx *gorm.DB, id int64) (projectInfo, error) {
	var ps []projectInfo
	if err := tx.Table("projects").Select("id", "campaign_id", "status").Where("id = ?", id).Scan(&ps).Error; err != nil {
		return projectInfo{}, err
	}
	if len(ps) == 0 {
		return projectInfo{}, notFound("no project %d", id)
	}
	return ps[0], nil
}

// member resolves a user on the campaign's committee; a user who is not on
// it is ErrForbidden, an unknown one ErrNotFound.
func member(tx *gorm.DB, cid int64, username string) (int64, error) {
	var rows []struct {
		ID     int64
		Member bool
	}
	err := tx.Raw(`SELECT us.id, EXISTS (SELECT 1 FROM judges j WHERE j.campaign_id = ? AND j.user_id = us.id) AS member
		FROM users us WHERE us.username = ?`, cid, username).Scan(&rows).Error
	switch {
	case err != nil:
		return 0, err
	case len(rows) == 0:
		return 0, notFound("no user %q", username)
	case !rows[0].Member:
		return rows[0].ID, forbidden("%q is not on this campaign's judging committee", username)
	}
	return rows[0].ID, nil
}
