package store

import (
	"context"
	"slices"
)

// A judge rescores the same projects again and again while a round is
// open. As with reports (see writtenReports), on PostgreSQL a process
// first tries to revise a score it wrote itself in one round trip: one
// statement takes the locks SaveCheckedScore takes; the next writes the
// score and its audit entry only if the score is still what the process
// wrote, the project still the campaign's and unit's the check saw, under
// the same ruleset version, still assigned to the judge, without a
// conflict of interest, and the round still open. Otherwise it writes
// nothing and the usual write answers.

// writtenScore is what a process remembers of a score it wrote.
type writtenScore struct {
	score    *Score       // as answered and audited; callers must not change it
	owner    ProjectOwner // whose the project was, as the write read it
	campaign int64        // the project's campaign's id
	audited  JSON         // the score's audited document, when known: the next entry's before
}

type scoreKey struct {
	project int64
	judge   string
}

// copied is w with a copy of its score: the writer's caller may change
// the one it is given.
func (w writtenScore) copied() writtenScore {
	c := *w.score
	c.Criteria = slices.Clone(w.score.Criteria)
	w.score = &c
	return w
}

// rescoredInOneTrip is the statement of a rescore in one round trip (see
// above), after the one that holds the project's scores: it returns a row
// when it wrote. @-named parameters: see rescoreInOneTrip.
var rescoredInOneTrip = projectConflictCTE + `,
ok AS (
	SELECT s.id FROM judge_scores s
	JOIN users us ON us.id = s.user_id AND us.username = @judge
	JOIN judge_assignments a ON a.project_id = s.project_id AND a.user_id = s.user_id
	JOIN projects p ON p.id = s.project_id JOIN campaigns c ON c.id = p.campaign_id JOIN units u ON u.id = p.unit_id
	WHERE s.id = @id AND s.project_id = @project AND s.criteria::jsonb = @was::jsonb AND s.comment = @wasComment
		AND s.created_at = @created AND s.updated_at = @updated
		AND c.id = @campaign AND c.slug = @slug AND u.code = @unit AND c.ruleset_version = @ruleset
		AND NOT EXISTS (SELECT 1 FROM conflicts)
		AND NOT EXISTS (SELECT 1 FROM judging_locks l WHERE l.campaign_id = c.id)),
rescored AS (UPDATE judge_scores s SET criteria = @criteria::json, comment = @comment, updated_at = @now FROM ok WHERE s.id = ok.id RETURNING s.id),
audit AS (INSERT INTO audit_log (at, actor, request_id, action, entity, entity_key, before, after)
	SELECT @at::timestamptz, @actor::text, @request::text, @action::text, @entity::text, @key::text, @before::jsonb, @after::jsonb FROM ok)
SELECT id FROM rescored`

// rescoreInOneTrip revises the score w remembers, as SaveCheckedScore
// would, in one round trip, and returns it with its audited document: done
// is false when it wrote nothing.
func (db *DB) rescoreInOneTrip(ctx context.Context, w writtenScore, criteria map[string]float64, comment string) (out *Score, audited JSON, done bool, err error) {
	b := w.score
	now := db.Now()
	after := Score{ID: b.ID, ProjectID: b.ProjectID, UserID: b.UserID, Judge: b.Judge, Criteria: JSONOf(criteria),
		Comment: comment, CreatedAt: b.CreatedAt, UpdatedAt: now}
	e := db.auditEntry(ctx, "rescore", "judge_score", judgeKey(b.ProjectID, b.Judge), nil, after)
	if e.Before = w.audited; e.Before == nil {
		e.Before = JSONOf(*b)
	}
	args := map[string]any{
		"project": b.ProjectID, "judge": b.Judge, "id": b.ID, "was": b.Criteria, "wasComment": b.Comment,
		"created": b.CreatedAt, "updated": b.UpdatedAt,
		"campaign": w.campaign, "slug": w.owner.Campaign, "unit": w.owner.Unit, "ruleset": w.owner.RulesetVersion,
		"criteria": after.Criteria, "comment": comment, "now": now,
	}
	// The locks of holdProjectOf, in its order.
	done, err = db.writeInOneTrip(ctx, "scores", b.ProjectID, w.campaign, rescoredInOneTrip, args, e)
	if err != nil || !done {
		return nil, nil, false, err
	}
	return &after, e.After, true, nil
}
