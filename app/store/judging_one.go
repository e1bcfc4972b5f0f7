package store

import "context"

// Single-row reads of a judging round: one judge's assignment to one
// project, and whether the round is locked.

// MyAssignment returns a judge's assignment to a project, with their score
// of it once given, in one query. A project not assigned to the judge (or
// an unknown project or judge) is ErrNotFound.
func (db *DB) MyAssignment(ctx context.Context, username string, project int64) (*Assignment, error) {
	as, err := assignments(db.gorm.WithContext(ctx).Where("us.username = ? AND a.project_id = ?", username, project), Page{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, notFound("%q is not assigned to project %d", username, project)
	}
	return &as[0], nil
}

// JudgingLocked returns the lock of a campaign's judging round, and false
// while the round is open (or the campaign unknown), in one query.
func (db *DB) JudgingLocked(ctx context.Context, slug string) (*JudgingLock, bool, error) {
	var locks []JudgingLock
	err := db.gorm.WithContext(ctx).Table("judging_locks l").Select("l.*").
		Joins("JOIN campaigns c ON c.id = l.campaign_id").Where("c.slug = ?", slug).Scan(&locks).Error
	if err != nil || len(locks) == 0 {
		return nil, false, err
	}
	return &locks[0], true, nil
}
