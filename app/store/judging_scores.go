package store

import (
	"context"
	"encoding/json"
	"maps"
	"time"

	"gorm.io/gorm"
)

// Score is a judge's score of a project: a value for each rubric criterion,
// by key, and a comment.
type Score struct {
	ID        int64     `json:"-"`
	ProjectID int64     `json:"project"`
	UserID    int64     `json:"-"`
	Judge     string    `json:"judge" gorm:"->;-:migration"`
	Criteria  JSON      `json:"criteria"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName is the scores' table.
func (Score) TableName() string { return "judge_scores" }

// SaveScore records or revises a judge's score of a project; the caller has
// checked the criteria against the rubric. A judge who is not assigned to
// the project or is conflicted with it is ErrForbidden; a locked round is
// ErrConflict. Every change is audited with the score before and after.
func (db *DB) SaveScore(ctx context.Context, project int64, username string, criteria map[string]float64, comment string) (*Score, error) {
	return db.SaveCheckedScore(ctx, project, username, criteria, comment, nil)
}

// SaveCheckedScore is SaveScore that first calls check, when not nil, with
// whose the project is as the write's transaction reads it (where it holds
// the project), and writes nothing if check fails: the caller's rules (the
// rubric of the campaign's current ruleset) are decided against what the
// write sees, in no more round trips. check must not query the database:
// it runs while the transaction holds its connection. On PostgreSQL a
// rescore of a score this process wrote is first tried in one round trip
// (see rescoreInOneTrip): check may then be called twice, the first time
// with whose the project was when that score was written.
func (db *DB) SaveCheckedScore(ctx context.Context, project int64, username string, criteria map[string]float64, comment string,
	check func(ProjectOwner) error) (*Score, error) {
	if err := finite("criteria", criteria); err != nil {
		return nil, err
	}
	key := scoreKey{project, username}
	if w, ok := db.writtenScores.get(key); ok && !(sameCriteria(w.score.Criteria, criteria) && w.score.Comment == comment) &&
		(check == nil || check(w.owner) == nil) {
		out, audited, done, err := db.rescoreInOneTrip(ctx, w, criteria, comment)
		if done {
			w.score, w.audited = out, audited
			db.writtenScores.put(key, w.copied())
		}
		if err != nil || done {
			return out, err
		}
		db.writtenScores.forget(key)
	}
	var out *Score
	var read writtenScore
	err := db.piped(ctx, func(pp *pipe) error {
		// One score of a project at a time: a double-tapped first score
		// becomes a score and its revision, not a score and a conflict.
		held := holdProjectOf(pp, project)
		// Whether the project is assigned to the judge, the judge's
		// conflict with it, the round's lock, and the judge's score so far,
		// in one statement after the hold.
		var h *scoreHead
		pp.query(projectConflictCTE+` SELECT us.id, EXISTS (SELECT 1 FROM conflicts), l.locked_at, l.locked_by,
				s.id, s.criteria, s.comment, s.created_at, s.updated_at
			FROM judge_assignments a JOIN users us ON us.id = a.user_id
			LEFT JOIN judging_locks l ON l.campaign_id = `+projectsCampaign+`
			LEFT JOIN judge_scores s ON s.project_id = a.project_id AND s.user_id = us.id
			WHERE a.project_id = @project AND us.username = @judge`, []any{map[string]any{"judge": username, "project": project}},
			func(rs rows) error {
				for rs.Next() {
					var (
						x                scoreHead
						id               *int64
						comment          *string
						created, updated *time.Time
					)
					if err := rs.Scan(&x.judge, &x.conflicted, &x.lockedAt, &x.lockedBy, &id, &x.criteria, &comment, &created, &updated); err != nil {
						return err
					}
					if id != nil {
						x.score = &Score{ID: *id, ProjectID: project, UserID: x.judge, Judge: username, Criteria: x.criteria,
							Comment: *comment, CreatedAt: *created, UpdatedAt: *updated}
					}
					h = &x
				}
				return nil
			})
		if err := pp.flush(); err != nil {
			return err
		}
		if held.project == nil {
			return notFound("no project %d", project)
		}
		if check != nil {
			if err := check(held.owner); err != nil {
				return err
			}
		}
		switch {
		case h == nil:
			return forbidden("project %d is not assigned to you", project)
		case h.conflicted:
			return forbidden("you have a conflict of interest with project %d", project)
		case h.lockedAt != nil:
			return lockedRound(JudgingLock{LockedAt: *h.lockedAt, LockedBy: *h.lockedBy})
		}
		read = writtenScore{owner: held.owner, campaign: held.project.CampaignID}
		now := db.Now()
		after := Score{ProjectID: project, UserID: h.judge, Judge: username, Criteria: JSONOf(criteria),
			Comment: comment, CreatedAt: now, UpdatedAt: now}
		b := h.score
		if b == nil {
			out = &after
			pp.auditedWrite(db, []write{{"INSERT INTO judge_scores (project_id, user_id, criteria, comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				[]any{after.ProjectID, after.UserID, after.Criteria, after.Comment, after.CreatedAt, after.UpdatedAt}}},
				"score", "judge_score", judgeKey(project, username), nil, after)
			return nil
		}
		if sameCriteria(b.Criteria, criteria) && b.Comment == comment {
			out = b
			return nil
		}
		after.ID, after.CreatedAt = b.ID, b.CreatedAt
		out = &after
		pp.auditedWrite(db, []write{{"UPDATE judge_scores SET criteria = ?, comment = ?, updated_at = ? WHERE id = ?",
			[]any{after.Criteria, after.Comment, after.UpdatedAt, after.ID}}}, "rescore", "judge_score", judgeKey(project, username), *b, after)
		return nil
	})
	if err == nil && db.dialect == Postgres && out.ID != 0 {
		read.score = out
		db.writtenScores.put(key, read.copied())
	}
	return out, err
}

// scoreHead is what a judge's score of a project is checked against: the
// judge's id, their conflict with the project, the round's lock, and their
// score so far (nil for none).
type scoreHead struct {
	judge      int64
	conflicted bool
	lockedAt   *time.Time
	lockedBy   *string
	criteria   JSON
	score      *Score
}

func sameCriteria(stored JSON, criteria map[string]float64) bool {
	var m map[string]float64
	return json.Unmarshal(stored, &m) == nil && maps.Equal(m, criteria)
}

// ProjectScores lists a project's scores by judge. The admin (all) sees
// every score; a judge sees them only once they have scored the project
// themself, and never when conflicted with it (ErrForbidden).
func (db *DB) ProjectScores(ctx context.Context, project int64, viewer string, all bool) ([]Score, error) {
	var out []Score
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := projectOf(tx, project)
		if err != nil {
			return err
		}
		q := tx.Table("judge_scores s").Select("s.*, us.username AS judge").
			Joins("JOIN users us ON us.id = s.user_id").Where("s.project_id = ?", project)
		if !all {
			var uid []int64
			if err := tx.Table("users").Where("username = ?", viewer).Pluck("id", &uid).Error; err != nil {
				return err
			}
			if len(uid) == 0 {
				return notFound("no user %q", viewer)
			}
			if bad, err := conflicted(tx, p.CampaignID, viewer, project); err != nil || bad {
				if err == nil {
					err = forbidden("you have a conflict of interest with project %d", project)
				}
				return err
			}
			var own int64
			if err := tx.Model(&Score{}).Where("project_id = ? AND user_id = ?", project, uid[0]).Count(&own).Error; err != nil {
				return err
			}
			if own == 0 {
				return forbidden("the scores of project %d stay hidden until you submit your own", project)
			}
		}
		return q.Order("us.username").Scan(&out).Error
	})
	if out == nil {
		out = []Score{}
	}
	return out, err
}

// Recusal is a conflict of interest a judge declared on a project.
type Recusal struct {
	ProjectID int64     `json:"project"`
	UserID    int64     `json:"-"`
	Judge     string    `json:"judge" gorm:"->;-:migration"`
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
	// Withdrawn is the judge's score of the project, which stops counting.
	Withdrawn *Score `json:"withdrawn_score,omitempty" gorm:"-"`
}

// TableName is the recusals' table.
func (Recusal) TableName() string { return "recusals" }

// Recuse records a committee member's conflict of interest with a project:
// from then on they are never assigned to it, cannot score it and cannot see
// its scores. Their assignment goes, and so does their score if they gave
// one (it is kept in the audit log). A judge not on the project's committee
// is ErrForbidden; recusing twice or in a locked round is ErrConflict.
func (db *DB) Recuse(ctx context.Context, project int64, username, reason string) (*Recusal, error) {
	var out *Recusal
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := projectOf(tx, project)
		if err != nil {
			return err
		}
		// Alone: an assignment being made to this judge must land first,
		// so that the recusal removes it.
		if err := holdCampaign(tx, p.CampaignID, true); err != nil {
			return err
		}
		uid, err := member(tx, p.CampaignID, username)
		if err != nil {
			return err
		}
		if err := unlocked(tx, p.CampaignID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Recusal{}).Where("project_id = ? AND user_id = ?", project, uid).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return conflict("", "you have already recused yourself from project %d", project)
		}
		out = &Recusal{ProjectID: project, UserID: uid, Judge: username, Reason: reason, At: db.Now()}
		if err := tx.Create(out).Error; err != nil {
			return err
		}
		var scores []Score
		if err := tx.Where("project_id = ? AND user_id = ?", project, uid).Find(&scores).Error; err != nil {
			return err
		}
		if len(scores) > 0 {
			out.Withdrawn = &scores[0]
			out.Withdrawn.Judge = username
		}
		for _, m := range []any{&Score{}, &assignmentRow{}} {
			if err := tx.Delete(m, "project_id = ? AND user_id = ?", project, uid).Error; err != nil {
				return err
			}
		}
		var before any // the withdrawn score, if any
		if out.Withdrawn != nil {
			before = out.Withdrawn
		}
		return db.audit(ctx, tx, "recuse", "judge_recusal", judgeKey(project, username), before, out)
	})
	return out, err
}
