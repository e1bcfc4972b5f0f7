package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// JudgeRemoval is what removing a judge from a committee undid.
type JudgeRemoval struct {
	Username string `json:"username"`
	// Assignments is how many of the judge's assignments were removed.
	Assignments int `json:"assignments_removed"`
	// Withdrawn are the judge's scores withdrawn with them (kept in the
	// audit log).
	Withdrawn []Score `json:"scores_withdrawn"`
}

// RemoveJudge takes a judge off the campaign's committee with their
// assignments, while the round is open. A judge who has scored projects is
// ErrConflict unless withdraw is set, which withdraws those scores too: a
// committee's results never count the scores of someone not on it.
func (db *DB) RemoveJudge(ctx context.Context, slug, username string, withdraw bool) (*JudgeRemoval, error) {
	var out *JudgeRemoval
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := heldCampaign(tx, slug)
		if err != nil {
			return err
		}
		uid, err := member(tx, cid, username)
		if errors.Is(err, ErrForbidden) {
			return notFound("%q is not on this campaign's judging committee", username)
		}
		if err != nil {
			return err
		}
		if err := unlocked(tx, cid); err != nil {
			return err
		}
		inCampaign := tx.Table("projects").Select("id").Where("campaign_id = ?", cid)
		var scores []Score
		if err := tx.Where("user_id = ? AND project_id IN (?)", uid, inCampaign).Order("project_id").Find(&scores).Error; err != nil {
			return err
		}
		if len(scores) > 0 && !withdraw {
			return conflict("", "%q has scored %d projects: remove them with withdraw_scores=true to withdraw those scores too", username, len(scores))
		}
		if scores == nil {
			scores = []Score{}
		}
		for i := range scores {
			scores[i].Judge = username
		}
		out = &JudgeRemoval{Username: username, Withdrawn: scores}
		del := tx.Where("user_id = ? AND project_id IN (?)", uid, inCampaign).Delete(&assignmentRow{})
		if del.Error != nil {
			return del.Error
		}
		out.Assignments = int(del.RowsAffected)
		if err := tx.Where("user_id = ? AND project_id IN (?)", uid, inCampaign).Delete(&Score{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&judgeRow{}, "campaign_id = ? AND user_id = ?", cid, uid).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "remove", "judge", slug+"/"+username, out, nil)
	})
	return out, err
}
