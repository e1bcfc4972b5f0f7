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
// conflictsCTE computes the relation conflicts(user_id, project_id) for
// every member of a campaign's committee and every project of the campaign,
// set-based, of one named parameter, @campaign (the campaign's id);
// conflictCTE computes it for one judge and one project, of @campaign,
// @judge (the judge's username) and @project (the project's id). Every path
// that assigns, scores or shows scores reads one of them, so the rule is
// written once, in SQL, in conflictsOf. projectConflictCTE is conflictCTE
// of @judge and @project alone, in the project's campaign.
var (
	conflictsCTE = conflictsOf(`@campaign`, `us.id IN (SELECT j.user_id FROM judges j WHERE j.campaign_id = @campaign)`, `TRUE`, `TRUE`)
	conflictCTE  = conflictsOf(`@campaign`, `us.username = @judge`, `p.id = @project`,
		`r.user_id IN (SELECT us.id FROM users us WHERE us.username = @judge)`)
	projectConflictCTE = conflictsOf(projectsCampaign, `us.username = @judge`, `p.id = @project`,
		`r.user_id IN (SELECT us.id FROM users us WHERE us.username = @judge)`)
)

// projectsCampaign is the SQL of the id of @project's campaign.
const projectsCampaign = `(SELECT pc.campaign_id FROM projects pc WHERE pc.id = @project)`

// conflictsOf is the conflicts CTE, in the campaign whose id is the SQL
// campaign, of the judges (users us) and projects (p) that the SQL
// conditions judges and project keep, with the recusals
// (r) that recusedBy keeps. Each variant writes its conditions out rather
// than switching them by a parameter that means "all" when zero: PostgreSQL
// then keeps one generic plan of a prepared variant per connection, where
// a switch made it plan the statement again on every call (a millisecond,
// on the path of every score).
func conflictsOf(campaign, judges, project, recusedBy string) string {
	return `
WITH RECURSIVE
jud (user_id, unit_id) AS (
	SELECT us.id, us.unit_id FROM users us
	WHERE us.unit_id IS NOT NULL AND ` + judges + `
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
	WHERE p.campaign_id = ` + campaign + ` AND ` + project + `
	UNION
	SELECT r.user_id, r.project_id FROM recusals r JOIN projects p ON p.id = r.project_id
	WHERE p.campaign_id = ` + campaign + ` AND ` + project + ` AND ` + recusedBy + `
)`
}

// campaignArgs are conflictsCTE's parameters.
func campaignArgs(campaign int64) map[string]any {
	return map[string]any{"campaign": campaign}
}

// pair is a judge (by user id) and a project.
type pair struct{ user, project int64 }

// conflictPairs lists every conflict of the campaign's committee.
func conflictPairs(tx *gorm.DB, campaign int64) (map[pair]bool, error) {
	var rows []struct{ UserID, ProjectID int64 }
	if err := tx.Raw(conflictsCTE+` SELECT user_id, project_id FROM conflicts`, campaignArgs(campaign)).
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
func conflicted(tx *gorm.DB, campaign int64, judge string, project int64) (bool, error) {
	var n int64
	err := tx.Raw(conflictCTE+` SELECT COUNT(*) FROM conflicts`, conflictArgs(campaign, judge, project)).Scan(&n).Error
	return n > 0, err
}

// conflictArgs are conflictCTE's parameters.
func conflictArgs(campaign int64, judge string, project int64) map[string]any {
	return map[string]any{"campaign": campaign, "judge": judge, "project": project}
}
