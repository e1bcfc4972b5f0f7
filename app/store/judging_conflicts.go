package store

import (
	"gorm.io/gorm"
)

// Conflicts of interest.
//
// A judge is conflicted with a project when the project's unit is the
// judge's own unit, a unit above it or a unit below it in the hierarchy, or
// when the judge has recused themself from the project. A root of the
// hierarchy (a unit without a parent: the organising committee) never makes a
// conflict by being above the other unit: a ward's judge may score the
// city committee's projects and a judge of the city committee the wards'
// projects; only the root's own projects conflict with the root's own judges.
// A judge without a unit has only the conflicts they declare.
//
// conflictsCTE computes the relation conflicts(user_id, project_id) for a
// campaign's projects, set-based, with three named parameters:
//
//	@campaign  the campaign's id
//	@user      one judge's user id, or 0 for every member of the committee
//	@project   one project's id, or 0 for every project of the campaign
//
// Every path that assigns, scores or shows scores reads it, so the rule is
// written once, in SQL.
const conflictsCTE = `
WITH RECURSIVE
jud (user_id, unit_id) AS (
	SELECT us.id, us.unit_id FROM users us
	WHERE us.unit_id IS NOT NULL AND (us.id = @user OR (@user = 0 AND us.id IN
		(SELECT j.user_id FROM judges j WHERE j.campaign_id = @campaign)))
),
up (user_id, unit_id, parent_id, depth) AS (
	SELECT jud.user_id, un.id, un.parent_id, 0 FROM jud JOIN units un ON un.id = jud.unit_id
	UNION ALL
	SELECT up.user_id, un.id, un.parent_id, up.depth + 1 FROM up JOIN units un ON un.id = up.parent_id
),
down (user_id, unit_id) AS (
	SELECT jud.user_id, un.id FROM jud
	JOIN units own ON own.id = jud.unit_id AND own.parent_id IS NOT NULL
	JOIN units un ON un.parent_id = own.id
	UNION ALL
	SELECT down.user_id, un.id FROM down JOIN units un ON un.parent_id = down.unit_id
),
near (user_id, unit_id) AS (
	SELECT user_id, unit_id FROM up WHERE depth = 0 OR parent_id IS NOT NULL
	UNION ALL
	SELECT user_id, unit_id FROM down
),
conflicts (user_id, project_id) AS (
	SELECT near.user_id, p.id FROM near JOIN projects p ON p.unit_id = near.unit_id
	WHERE p.campaign_id = @campaign AND (@project = 0 OR p.id = @project)
	UNION
	SELECT r.user_id, r.project_id FROM recusals r JOIN projects p ON p.id = r.project_id
	WHERE p.campaign_id = @campaign AND (@project = 0 OR p.id = @project) AND (@user = 0 OR r.user_id = @user)
)`

// conflictArgs are conflictsCTE's parameters; zero user or project means all.
func conflictArgs(campaign, user, project int64) map[string]any {
	return map[string]any{"campaign": campaign, "user": user, "project": project}
}

// pair is a judge (by user id) and a project.
type pair struct{ user, project int64 }

// conflictPairs lists every conflict of the campaign's committee.
func conflictPairs(tx *gorm.DB, campaign int64) (map[pair]bool, error) {
	var rows []struct{ UserID, ProjectID int64 }
	if err := tx.Raw(conflictsCTE+` SELECT user_id, project_id FROM conflicts`, conflictArgs(campaign, 0, 0)).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[pair]bool, len(rows))
	for _, r := range rows {
		out[pair{r.UserID, r.ProjectID}] = true
	}
	return out, nil
}

// conflicted reports whether the judge is conflicted with the project.
func conflicted(tx *gorm.DB, campaign, user, project int64) (bool, error) {
	var n int64
	err := tx.Raw(conflictsCTE+` SELECT COUNT(*) FROM conflicts`, conflictArgs(campaign, user, project)).Scan(&n).Error
	return n > 0, err
}
