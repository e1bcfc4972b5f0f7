package store

import (
	"context"
	"maps"
	"slices"
	"time"
)

// A report's revision is the everyday write of a campaign: every unit, every
// period. On PostgreSQL a process first tries to revise a report it wrote
// itself in one round trip, from what it remembers of that write
// (DB.writtenReports): the report as written, the campaign and its indicators
// as that write read them. One statement takes the locks the usual write
// takes; the next writes the values, the report's new state and its audit
// entry only if the report, its values and evidence, the campaign's row
// and the indicators named are still what the process remembers, and the
// period is open. Otherwise it writes nothing, and the write is made the
// usual way (which reads them again). The audit entry is the one the usual
// write makes: built in Go from the same report.

// writtenReport is what a process remembers of a report it wrote.
type writtenReport struct {
	report     *Report     // as answered and audited; callers must not change it
	campaign   *Campaign   // as the write read it
	indicators []Indicator // the campaign's, as the write read them
	audited    JSON        // the report's audited document, when known: the next entry's before
}

// copied is w with a copy of its report: the writer's caller may change
// the one it is given.
func (w writtenReport) copied() writtenReport {
	c := *w.report
	c.Values = maps.Clone(w.report.Values)
	w.report = &c
	return w
}

type writtenKey struct{ campaign, unit, period string }

// revisedInOneTrip is the statement of a revision in one round trip (see
// above), after the one that holds the unit: it returns a row when it
// wrote. @-named parameters: see reviseInOneTrip.
const revisedInOneTrip = `WITH ok AS (
	SELECT r.id FROM reports r
	WHERE r.id = @id AND r.submitted_at = @submitted AND r.updated_at = @updated AND r.status = @status AND r.reason = @reason
		AND r.decided_at IS NOT DISTINCT FROM @decidedAt::timestamptz AND r.decided_by IS NOT DISTINCT FROM @decidedBy::text
		AND r.verified_at IS NOT DISTINCT FROM @verifiedAt::timestamptz
		AND (SELECT COALESCE(array_agg(v.indicator_id ORDER BY v.indicator_id), '{}') = @wasIDs::bigint[]
				AND COALESCE(array_agg(v.value ORDER BY v.indicator_id), '{}') = @wasValues::float8[]
			FROM report_values v WHERE v.report_id = r.id)
		AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.report_id = r.id)
		AND EXISTS (SELECT 1 FROM campaigns c JOIN campaign_units cu ON cu.campaign_id = c.id
			WHERE c.id = r.campaign_id AND cu.unit_id = r.unit_id AND c.updated_at = @stamp AND c.ruleset_version = @ruleset
				AND c.starts_on = @starts AND c.ends_on = @ends AND c.all_units = @all AND c.organiser_id IS NOT DISTINCT FROM @organiser::bigint)
		AND NOT EXISTS (SELECT 1 FROM closed_periods cp
			WHERE cp.campaign_id = r.campaign_id AND cp.period_start < r.period_end AND cp.period_end > r.period_start)
		AND (SELECT COUNT(*) FROM unnest(@indicatorIDs::bigint[], @indicatorKeys::text[], @indicatorUnits::text[]) x (id, key, unit)
			JOIN indicators i ON i.id = x.id AND i.key = x.key AND i.unit = x.unit AND i.campaign_id = r.campaign_id)
			= cardinality(@indicatorIDs::bigint[])),
up AS (UPDATE reports r SET updated_at = @now, status = 'submitted', reason = '' FROM ok WHERE r.id = ok.id RETURNING r.id),
vals AS (INSERT INTO report_values (report_id, indicator_id, value)
	SELECT ok.id, x.id, x.value FROM ok, unnest(@newIDs::bigint[], @newValues::float8[]) x (id, value)
	ON CONFLICT (report_id, indicator_id) DO UPDATE SET value = excluded.value),
audit AS (INSERT INTO audit_log (at, actor, request_id, action, entity, entity_key, before, after)
	SELECT @at::timestamptz, @actor::text, @request::text, @action::text, @entity::text, @key::text, @before::jsonb, @after::jsonb FROM ok)
SELECT id FROM up`

// reviseInOneTrip revises the report w remembers with values, as
// PutCheckedReport would, in one round trip, and returns it with its
// audited document: done is false when it wrote nothing, the report or what
// decides over it having changed since.
func (db *DB) reviseInOneTrip(ctx context.Context, w writtenReport, values map[string]float64) (out *Report, audited JSON, done bool, err error) {
	ids, err := indicatorsNamed(w.indicators, "values", values)
	if err != nil {
		return nil, nil, false, nil // the usual write answers it
	}
	before, c := w.report, w.campaign
	byKey := make(map[string]Indicator, len(w.indicators))
	for _, in := range w.indicators {
		byKey[in.Key] = in
	}
	// The indicators of the values before and after, as remembered.
	var inds []Indicator
	for k := range before.Values {
		in, ok := byKey[k]
		if !ok {
			return nil, nil, false, nil
		}
		inds = append(inds, in)
	}
	for k := range values {
		if _, ok := before.Values[k]; !ok {
			inds = append(inds, byKey[k])
		}
	}
	slices.SortFunc(inds, func(a, b Indicator) int { return int(a.ID - b.ID) })
	// Not nil: pgx sends a nil slice as NULL.
	wasIDs, indIDs, wasValues := []int64{}, []int64{}, []float64{}
	indKeys, indUnits := []string{}, []string{}
	for _, in := range inds {
		indIDs, indKeys, indUnits = append(indIDs, in.ID), append(indKeys, in.Key), append(indUnits, in.Unit)
		if v, ok := before.Values[in.Key]; ok {
			wasIDs, wasValues = append(wasIDs, in.ID), append(wasValues, v)
		}
	}
	newIDs, newValues := make([]int64, 0, len(values)), make([]float64, 0, len(values))
	for k, v := range values {
		newIDs, newValues = append(newIDs, ids[k]), append(newValues, v)
	}
	now := db.Now()
	out = revised(before, values, now)
	e := db.auditEntry(ctx, "report", "report", before.Campaign+"/"+before.Unit+"/"+before.Period, nil, out)
	if e.Before = w.audited; e.Before == nil {
		e.Before = JSONOf(before)
	}
	args := map[string]any{
		"id": before.ID, "submitted": before.SubmittedAt, "updated": before.UpdatedAt, "status": before.Status, "reason": before.Reason,
		"decidedAt": before.DecidedAt, "decidedBy": before.DecidedBy, "verifiedAt": before.VerifiedAt,
		"wasIDs": wasIDs, "wasValues": wasValues,
		"stamp": c.UpdatedAt, "ruleset": c.RulesetVersion, "starts": c.StartsOn, "ends": c.EndsOn, "all": c.AllUnits, "organiser": c.OrganiserID,
		"indicatorIDs": indIDs, "indicatorKeys": indKeys, "indicatorUnits": indUnits,
		"now": now, "newIDs": newIDs, "newValues": newValues,
	}
	// The locks of holdParticipantOf, in its order.
	done, err = db.writeInOneTrip(ctx, "unit", before.UnitID, c.ID, revisedInOneTrip, args, e)
	if err != nil || !done {
		return nil, nil, false, err
	}
	return out, e.After, true, nil
}

// revised is a report as a revision with values leaves it, at now: its
// values merged, submitted again. before is not changed.
func revised(before *Report, values map[string]float64, now time.Time) *Report {
	r := *before
	r.Values, r.Status, r.Reason, r.UpdatedAt = make(map[string]float64, len(before.Values)+len(values)), ReportSubmitted, "", now
	maps.Copy(r.Values, before.Values)
	maps.Copy(r.Values, values)
	return &r
}

// writeInOneTrip sends BEGIN, the hold of a thing of a kind (by id) alone
// after its campaign's shared lock, stmt with args and e's entry as @at,
// @actor, @request, @action, @entity, @key, @before and @after, and COMMIT,
// in one round trip, alone or with others (see sendTrip): done is whether
// stmt returned a row (it wrote).
func (db *DB) writeInOneTrip(ctx context.Context, kind string, id, campaign int64, stmt string, args map[string]any, e AuditEntry) (done bool, err error) {
	args["at"], args["actor"], args["request"], args["action"] = e.At, e.Actor, e.RequestID, e.Action
	args["entity"], args["key"], args["before"], args["after"] = e.Entity, e.EntityKey, e.Before, e.After
	t := &trip{kind: kind, id: id, campaign: campaign, stmt: stmt, args: []any{args}}
	err = db.sendTrip(ctx, t)
	return t.done, err
}
