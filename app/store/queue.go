package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// QueuedReports lists a campaign's reports for its verifiers, oldest
// submission first, with their values, and counts those awaiting work of
// the same units, submitted and returned (the verified ones, which grow
// with every period, are not counted): one statement, and a second only
// when a report of the page has evidence files or the page is empty.
func (db *DB) QueuedReports(ctx context.Context, campaignID int64, slug string, f ReportFilter) (rows []ReportRow, next string, counts map[string]int, err error) {
	var after int64
	if err := f.decode(&after); err != nil {
		return nil, "", nil, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return db.param(len(args))
	}
	// The counts, and the units strictly below f.Below when it is set.
	var with strings.Builder
	below := ""
	with.WriteString("WITH ")
	if f.Below != "" {
		fmt.Fprintf(&with, `RECURSIVE below (id) AS (
			SELECT u.id FROM units u JOIN units top ON u.parent_id = top.id WHERE top.code = %s
			UNION ALL
			SELECT u.id FROM units u JOIN below ON u.parent_id = below.id), `, arg(f.Below))
		below = " AND r.unit_id IN (SELECT id FROM below)"
	}
	fmt.Fprintf(&with, `counts (submitted, returned) AS MATERIALIZED (
		SELECT COUNT(CASE WHEN r.status = '%s' THEN 1 END), COUNT(CASE WHEN r.status = '%s' THEN 1 END)
		FROM reports r WHERE r.campaign_id = %s AND r.status IN ('%[1]s', '%[2]s')%[4]s)`,
		ReportSubmitted, ReportReturned, arg(campaignID), below)
	countArgs := len(args)

	// A report's values as "key value,key value": the values' text is
	// read back exactly (the shortest text that does so on PostgreSQL, 17
	// digits on SQLite), the keys are of letters, digits and '_'.
	values := "string_agg(i.key || ' ' || v.value::text, ',')"
	if db.dialect != Postgres {
		values = "group_concat(i.key || ' ' || printf('%!.17g', v.value), ',')"
	}
	q := with.String() + ` SELECT ` + reportRowColumns + `,
		(SELECT ` + values + ` FROM report_values v JOIN indicators i ON i.id = v.indicator_id WHERE v.report_id = r.id),
		EXISTS (SELECT 1 FROM evidence e WHERE e.report_id = r.id), counts.submitted, counts.returned
		FROM counts CROSS JOIN reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = ` + arg(campaignID) + ` AND r.id > ` + arg(after)
	if f.Status != "" {
		q += " AND r.status = " + arg(f.Status)
	}
	q += below + " ORDER BY r.id LIMIT " + arg(f.limit()+1)

	counts = map[string]int{ReportSubmitted: 0, ReportReturned: 0}
	var withFiles []int64
	res, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", nil, translate(err)
	}
	defer res.Close()
	for res.Next() {
		var (
			r       ReportRow
			vals    sql.NullString
			files   bool
			sub, rt int
		)
		if err := res.Scan(&r.ID, &r.CampaignID, &r.UnitID, &r.Period, &r.PeriodStart, &r.PeriodEnd, &r.SubmittedAt, &r.UpdatedAt,
			&r.Status, &r.Reason, &r.DecidedAt, &r.DecidedBy, &r.VerifiedAt, &r.UnitCode, &r.UnitName, &vals, &files, &sub, &rt); err != nil {
			return nil, "", nil, err
		}
		if r.Values, err = parseValues(vals.String); err != nil {
			return nil, "", nil, fmt.Errorf("report %d: %w", r.ID, err)
		}
		r.Campaign, r.Unit, r.EvidenceFiles = slug, r.UnitCode, []File{}
		counts[ReportSubmitted], counts[ReportReturned] = sub, rt
		if files {
			withFiles = append(withFiles, r.ID)
		}
		rows = append(rows, r)
	}
	if err := res.Err(); err != nil {
		return nil, "", nil, translate(err)
	}
	res.Close()
	rows, next = paginate(rows, f.limit(), func(r ReportRow) any { return r.ID })
	if len(rows) == 0 {
		var sub, rt int
		if err := db.sql.QueryRowContext(ctx, with.String()+" SELECT submitted, returned FROM counts", args[:countArgs]...).Scan(&sub, &rt); err != nil {
			return nil, "", nil, translate(err)
		}
		counts[ReportSubmitted], counts[ReportReturned] = sub, rt
		return rows, next, counts, nil
	}
	if len(withFiles) > 0 {
		files, err := evidenceOf(db.gorm.WithContext(ctx), evidenceOfReport, withFiles)
		if err != nil {
			return nil, "", nil, err
		}
		for i := range rows {
			rows[i].EvidenceFiles = nonNil(files[rows[i].ID])
		}
	}
	return rows, next, counts, nil
}

// parseValues reads a report's values as QueuedReports aggregates them.
func parseValues(s string) (map[string]float64, error) {
	out := make(map[string]float64, strings.Count(s, ",")+1)
	if s == "" {
		return out, nil
	}
	for pair := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(pair, " ")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: value %q is not a key and a number", pair)
		}
		out[k] = x
	}
	return out, nil
}
