package store

import (
	"context"
	"time"

	"github.com/thidua/thidua/app/policy"
	"gorm.io/gorm"
)

// SeedCommittee is a campaign's judging round with its past: the judges,
// who was assigned what and when, and the scores given.
type SeedCommittee struct {
	Judges      []string // usernames of users with the role judge
	AddedAt     time.Time
	Assignments []SeedAssignment
	Scores      []SeedScore // each of an assigned project
}

// SeedAssignment is a project (by id) assigned to a judge at a given time.
type SeedAssignment struct {
	Project int64
	Judge   string
	At      time.Time
}

// SeedScore is a score given at a given time.
type SeedScore struct {
	Project  int64
	Judge    string
	Criteria map[string]float64
	Comment  string
	At       time.Time
}

// SeedJudging loads a judging round in one transaction of batched inserts.
// It refuses (ErrInvalid) a user who is not a judge, a score without an
// assignment and any assignment with a conflict of interest.
func (db *DB) SeedJudging(ctx context.Context, slug string, c SeedCommittee) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		var users []User
		if err := tx.Select("id", "username").Where("username IN ? AND role = ?", c.Judges, policy.Judge).Find(&users).Error; err != nil {
			return err
		}
		ids := make(map[string]int64, len(users))
		for _, u := range users {
			ids[u.Username] = u.ID
		}
		judges := make([]judgeRow, len(c.Judges))
		for i, name := range c.Judges {
			id, err := lookup(ids, "judge", name)
			if err != nil {
				return err
			}
			judges[i] = judgeRow{CampaignID: cid, UserID: id, AddedAt: c.AddedAt}
		}
		assigned := make([]assignmentRow, len(c.Assignments))
		for i, a := range c.Assignments {
			id, err := lookup(ids, "judge", a.Judge)
			if err != nil {
				return err
			}
			assigned[i] = assignmentRow{ProjectID: a.Project, UserID: id, AssignedAt: a.At, AssignedBy: "demo"}
		}
		has := make(map[pair]bool, len(assigned))
		for _, a := range assigned {
			has[pair{a.UserID, a.ProjectID}] = true
		}
		scores := make([]Score, len(c.Scores))
		for i, s := range c.Scores {
			id := ids[s.Judge]
			if !has[pair{id, s.Project}] {
				return invalid("", "%s scores project %d without being assigned to it", s.Judge, s.Project)
			}
			scores[i] = Score{ProjectID: s.Project, UserID: id, Criteria: JSONOf(s.Criteria), Comment: s.Comment,
				CreatedAt: s.At, UpdatedAt: s.At}
		}
		for _, batch := range []struct {
			rows any
			n    int
		}{{&judges, len(judges)}, {&assigned, len(assigned)}, {&scores, len(scores)}} {
			if batch.n == 0 {
				continue
			}
			if err := tx.CreateInBatches(batch.rows, 1000).Error; err != nil {
				return err
			}
		}
		var bad int64
		if err := tx.Raw(conflictsCTE+` SELECT COUNT(*) FROM conflicts c
			JOIN judge_assignments a ON a.user_id = c.user_id AND a.project_id = c.project_id`,
			campaignArgs(cid)).Scan(&bad).Error; err != nil {
			return err
		}
		if bad > 0 {
			return invalid("", "%d assignments have a conflict of interest", bad)
		}
		return db.audit(ctx, tx, "seed", "judging", slug, nil, map[string]any{
			"judges": c.Judges, "assignments": len(assigned), "scores": len(scores)})
	})
}
