package store

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Report is a unit's indicator values for one reporting period.
type Report struct {
	ID          int64              `json:"-"`
	CampaignID  int64              `json:"-"`
	UnitID      int64              `json:"-"`
	Campaign    string             `json:"campaign" gorm:"-"`
	Unit        string             `json:"unit" gorm:"-"`
	Period      string             `json:"period"`
	PeriodStart Date               `json:"period_start"`
	PeriodEnd   Date               `json:"period_end"` // exclusive
	SubmittedAt time.Time          `json:"submitted_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	Values      map[string]float64 `json:"values" gorm:"-"`
	// Status is ReportSubmitted, ReportVerified or ReportReturned; Reason
	// says why it was returned.
	Status    string     `json:"status"`
	Reason    string     `json:"reason,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
	DecidedBy *string    `json:"decided_by,omitempty"`
	// VerifiedAt is when its values were last verified; they count from then
	// in a campaign whose figures must be verified.
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	// EvidenceFiles are the files attached to it, in order.
	EvidenceFiles []File `json:"evidence_files" gorm:"-"`
}

// Report statuses: a report is submitted, then verified or returned with a
// reason; a returned report, or a verified one that changes, is submitted
// again.
const (
	ReportSubmitted = "submitted"
	ReportVerified  = "verified"
	ReportReturned  = "returned"
)

type reportValue struct {
	ReportID      int64
	IndicatorID   int64
	Value         float64
	VerifiedValue *float64 `gorm:"->:false;<-:create"`
}

func (reportValue) TableName() string { return "report_values" }

// ReportPeriod names a reporting period and its dates (end exclusive).
type ReportPeriod struct {
	Key        string
	Start, End Date
}

// PutReport records a unit's values for a period, replacing the values it
// names and keeping the others, and when evidence is not nil, replacing its
// evidence files with those. The first submission's time is kept: it
// decides whether the report was on time. A closed period is ErrConflict.
func (db *DB) PutReport(ctx context.Context, slug, unit string, p ReportPeriod, values map[string]float64, evidence *[]string) (*Report, error) {
	return db.PutCheckedReport(ctx, slug, unit, p, values, evidence, nil)
}

// PutCheckedReport is PutReport that first calls check, when not nil, with
// the campaign as the write's transaction reads it (where it holds the
// unit), and writes nothing if check fails: the caller's permissions and
// rules are decided against the campaign the write sees, in no more round
// trips. check is called with nil, to say what to answer, when the unit
// is not one of the campaign's participants or either is unknown. It must
// not query the database: it runs while the transaction holds its
// connection.
//
// On PostgreSQL a revision of a report this process wrote is first tried
// in one round trip, checked against the campaign as that write read it
// (see reviseInOneTrip): check may then be called twice, the first time
// with that campaign. Otherwise a revision takes two round trips (a pipe):
// the unit held with its campaign and the report read, then the writes
// with their audit entry; a first submission, evidence files and their
// check take one more each.
func (db *DB) PutCheckedReport(ctx context.Context, slug, unit string, p ReportPeriod, values map[string]float64, evidence *[]string,
	check func(*Campaign) error) (*Report, error) {
	if err := finite("values", values); err != nil {
		return nil, err
	}
	key := writtenKey{slug, unit, p.Key}
	if w, ok := db.writtenReports.get(key); ok && evidence == nil && len(w.report.EvidenceFiles) == 0 && (check == nil || check(w.campaign) == nil) {
		out, audited, done, err := db.reviseInOneTrip(ctx, w, values)
		if done {
			w.report, w.audited = out, audited
			db.writtenReports.put(key, w.copied())
		}
		if err != nil || done {
			return out, err
		}
		db.writtenReports.forget(key)
	}
	var out *Report
	var read writtenReport
	err := db.piped(ctx, func(pp *pipe) error {
		// One report of a unit at a time: a double-tapped first submission
		// becomes a report and its revision, not a report and a conflict.
		held := holdParticipantOf(pp, slug, unit)
		w := readReportToWrite(pp, slug, unit, p)
		if err := pp.flush(); err != nil {
			return err
		}
		switch {
		case held.campaign == nil && check == nil:
			return errNotParticipant
		case held.campaign == nil:
			return check(nil)
		case check != nil:
			if err := check(held.campaign); err != nil {
				return err
			}
		}
		cid, uid := held.campaign.ID, held.unit
		before, inds, closed := w.report, w.indicators, w.closed
		if closed != "" {
			return conflict("period", "%s is closed: its reports can no longer change", namedPeriod(closed))
		}
		ids, err := indicatorsNamed(inds, "values", values)
		if err != nil {
			return err
		}
		if before != nil {
			before.CampaignID, before.UnitID = cid, uid
		}
		if before != nil && w.files > 0 {
			if before.EvidenceFiles, err = evidenceOfOne(pp, evidenceOfReport, before.ID); err != nil {
				return err
			}
		}
		now := db.Now()
		r := Report{CampaignID: cid, UnitID: uid, Period: p.Key, PeriodStart: p.Start, PeriodEnd: p.End, SubmittedAt: now, UpdatedAt: now,
			Status: ReportSubmitted}
		var writes []write
		if before != nil {
			// Changed figures are to be verified again; the values last
			// verified keep counting until they are.
			r.ID, r.SubmittedAt = before.ID, before.SubmittedAt
			writes = append(writes, write{"UPDATE reports SET updated_at = ?, status = ?, reason = ? WHERE id = ?",
				[]any{now, ReportSubmitted, "", r.ID}})
		} else if r.ID, err = insertReport(pp, &r); err != nil {
			return err
		}
		if len(values) > 0 {
			writes = append(writes, upsertValues(r.ID, ids, values))
		}
		// The report as written, without reading it back.
		out = &r
		out.Values, out.EvidenceFiles = make(map[string]float64, len(values)), []File{}
		maps.Copy(out.Values, values)
		if before != nil {
			out = revised(before, values, now)
		}
		if evidence != nil {
			if out.EvidenceFiles, err = db.attachEvidence(pp, evidenceOfReport, r.ID, *evidence); err != nil {
				return err
			}
		}
		out.Campaign, out.Unit = slug, unit
		var b any
		if before != nil {
			before.Campaign, before.Unit = slug, unit
			b = before
		}
		pp.auditedWrite(db, writes, "report", "report", slug+"/"+unit+"/"+p.Key, b, out)
		read = writtenReport{campaign: held.campaign, indicators: inds}
		return nil
	})
	switch {
	case errors.Is(err, errNotParticipant):
		err = db.whyNotParticipant(ctx, slug, "unit", unit)
	case err == nil && db.dialect == Postgres:
		read.report = out
		db.writtenReports.put(key, read.copied())
	}
	return out, err
}

// insertReport inserts a report's row and returns its id: a round trip of
// its own, as what follows needs the id.
func insertReport(p *pipe, r *Report) (int64, error) {
	var id int64
	p.query(`INSERT INTO reports (campaign_id, unit_id, period, period_start, period_end, submitted_at, updated_at, status, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{r.CampaignID, r.UnitID, r.Period, r.PeriodStart, r.PeriodEnd, r.SubmittedAt, r.UpdatedAt, r.Status, r.Reason},
		func(rs rows) error {
			for rs.Next() {
				if err := rs.Scan(&id); err != nil {
					return err
				}
			}
			return nil
		})
	return id, p.flush()
}

// upsertValues writes a report's values, by indicator key, replacing those
// it has of the same indicators; ids are the indicators' ids by key.
func upsertValues(report int64, ids map[string]int64, values map[string]float64) write {
	var q strings.Builder
	q.WriteString("INSERT INTO report_values (report_id, indicator_id, value) VALUES ")
	args := make([]any, 0, 3*len(values))
	for k, v := range values {
		if len(args) > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?)")
		args = append(args, report, ids[k], v)
	}
	q.WriteString(" ON CONFLICT (report_id, indicator_id) DO UPDATE SET value = excluded.value")
	return write{q.String(), args}
}

// reportToWrite is what a write of a unit's report reads once the unit is
// held: the report as it is (nil when there is none) and how many evidence
// files it has, the campaign's indicators, and the closed period that
// covers the report's if one does.
type reportToWrite struct {
	report     *Report
	files      int
	indicators []Indicator
	closed     string
}

// readReportToWrite queues the read of reportToWrite of a campaign's unit
// (by slug and code), in one statement. It is to be queued after the
// statement that holds the unit: a statement of its own reads what was
// committed before the hold was granted.
func readReportToWrite(p *pipe, slug, unit string, period ReportPeriod) *reportToWrite {
	out := &reportToWrite{}
	// One row at least: the report (NULLs when there is none) beside each
	// of the campaign's indicators, with the report's value of it when it
	// has one. The ids are found first, each on its own (initplans), so
	// that the report is found by the whole of its key, not among every
	// report of the period.
	p.query(`SELECT (SELECT cp.period FROM closed_periods cp WHERE cp.campaign_id = k.cid AND cp.period_start < ? AND cp.period_end > ? LIMIT 1),
			r.id, r.submitted_at, r.updated_at, r.status, r.reason, r.decided_at, r.decided_by, r.verified_at,
			(SELECT COUNT(*) FROM evidence e WHERE e.report_id = r.id), i.id, i.key, i.unit, v.value
		FROM (SELECT (SELECT c.id FROM campaigns c WHERE c.slug = ?) AS cid, (SELECT u.id FROM units u WHERE u.code = ?) AS uid) k
		LEFT JOIN reports r ON r.campaign_id = k.cid AND r.unit_id = k.uid AND r.period = ?
		LEFT JOIN indicators i ON i.campaign_id = k.cid
		LEFT JOIN report_values v ON v.indicator_id = i.id AND v.report_id = r.id`,
		[]any{period.End, period.Start, slug, unit, period.Key},
		func(rs rows) error {
			for rs.Next() {
				var (
					closed, status, reason, decidedBy, key, indUnit *string
					id, indID                                       *int64
					submitted, updated, decided, verified           *time.Time
					value                                           *float64
					files                                           int
				)
				if err := rs.Scan(&closed, &id, &submitted, &updated, &status, &reason, &decided, &decidedBy, &verified,
					&files, &indID, &key, &indUnit, &value); err != nil {
					return err
				}
				if closed != nil {
					out.closed = *closed
				}
				if id != nil && out.report == nil {
					out.report = &Report{ID: *id, Period: period.Key, PeriodStart: period.Start, PeriodEnd: period.End,
						SubmittedAt: *submitted, UpdatedAt: *updated, Status: *status, Reason: *reason,
						DecidedAt: decided, DecidedBy: decidedBy, VerifiedAt: verified,
						Values: map[string]float64{}, EvidenceFiles: []File{}}
					out.files = files
				}
				if indID != nil {
					out.indicators = append(out.indicators, Indicator{ID: *indID, Key: *key, Unit: *indUnit})
					if value != nil && out.report != nil {
						out.report.Values[*key] = *value
					}
				}
			}
			return nil
		})
	return out
}

// report reads one report with its values, or nil when there is none.
func (db *DB) report(tx *gorm.DB, cid, uid int64, period string) (*Report, error) {
	var rows []Report
	if err := tx.Where("campaign_id = ? AND unit_id = ? AND period = ?", cid, uid, period).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := &rows[0]
	var vals []struct {
		Key   string
		Value float64
	}
	err := tx.Table("report_values v").Select("i.key, v.value").Joins("JOIN indicators i ON i.id = v.indicator_id").
		Where("v.report_id = ?", r.ID).Scan(&vals).Error
	if err != nil {
		return nil, err
	}
	r.Values = make(map[string]float64, len(vals))
	for _, v := range vals {
		r.Values[v.Key] = v.Value
	}
	r.EvidenceFiles, err = db.evidence(tx, evidenceOfReport, r.ID)
	return r, err
}

// Reports lists a unit's reports in a campaign, oldest period first.
func (db *DB) Reports(ctx context.Context, slug, unit string) ([]Report, error) {
	var out []Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := unitID(tx, unit)
		if err != nil {
			return err
		}
		if err := tx.Where("campaign_id = ? AND unit_id = ?", cid, uid).Order("period_start").Find(&out).Error; err != nil {
			return err
		}
		var vals []struct {
			ReportID int64
			Key      string
			Value    float64
		}
		if err := tx.Table("report_values v").Select("v.report_id, i.key, v.value").
			Joins("JOIN reports r ON r.id = v.report_id").Joins("JOIN indicators i ON i.id = v.indicator_id").
			Where("r.campaign_id = ? AND r.unit_id = ?", cid, uid).Scan(&vals).Error; err != nil {
			return err
		}
		byID := make(map[int64]*Report, len(out))
		ids := make([]int64, len(out))
		for i := range out {
			out[i].Campaign, out[i].Unit, out[i].Values = slug, unit, map[string]float64{}
			byID[out[i].ID], ids[i] = &out[i], out[i].ID
		}
		for _, v := range vals {
			byID[v.ReportID].Values[v.Key] = v.Value
		}
		files, err := evidenceOf(tx, evidenceOfReport, ids)
		for i := range out {
			out[i].EvidenceFiles = nonNil(files[out[i].ID])
		}
		return err
	})
	return out, err
}

// VerifyReport records the level above's decision on a submitted report:
// ReportVerified makes its values count (their copy as verified), or
// ReportReturned sends it back with a reason. A verified report may be
// returned after all, its verified values withdrawn. Deciding on a report
// already decided so, or on one of a closed period, is ErrConflict.
func (db *DB) VerifyReport(ctx context.Context, slug, unit, period, decision, reason string) (*Report, error) {
	var out *Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := unitID(tx, unit)
		if err != nil {
			return err
		}
		if err := holdUnitIn(tx, cid, uid); err != nil {
			return err
		}
		before, err := db.report(tx, cid, uid, period)
		if err != nil {
			return err
		}
		if before == nil {
			return notFound("no report of %s for %s", unit, namedPeriod(period))
		}
		switch {
		case before.Status == ReportReturned:
			return conflict("decision", "the report was returned: it awaits the unit's corrections")
		case before.Status == decision:
			return conflict("decision", "the report is %s already", decision)
		}
		var closed []string
		if err := tx.Table("closed_periods").Where("campaign_id = ? AND period_start < ? AND period_end > ?",
			cid, before.PeriodEnd, before.PeriodStart).Limit(1).Pluck("period", &closed).Error; err != nil {
			return err
		}
		if len(closed) > 0 {
			return conflict("period", "%s is closed: its reports can no longer change", namedPeriod(closed[0]))
		}
		now, who := db.Now(), ActorFrom(ctx).Username
		set := map[string]any{"status": decision, "reason": reason, "decided_at": now, "decided_by": who}
		values := "verified_value"
		switch decision {
		case ReportVerified:
			set["verified_at"], values = now, "value"
		case ReportReturned:
			if before.Status == ReportVerified { // the verification is withdrawn
				set["verified_at"], values = nil, "NULL"
			}
		}
		if err := tx.Model(&Report{ID: before.ID}).Updates(set).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE report_values SET verified_value = "+values+" WHERE report_id = ?", before.ID).Error; err != nil {
			return err
		}
		if out, err = db.report(tx, cid, uid, period); err != nil {
			return err
		}
		before.Campaign, before.Unit, out.Campaign, out.Unit = slug, unit, slug, unit
		if decision == ReportReturned {
			if err := db.publish(tx, cid, event{EventReportReturned, map[string]any{"report": map[string]any{
				"unit": unit, "period": period, "reason": reason, "decided_by": who, "decided_at": now}}}); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, decision, "report", slug+"/"+unit+"/"+period, before, out)
	})
	return out, err
}

// ReportFilter narrows the verifiers' list of a campaign's reports.
type ReportFilter struct {
	Status string // "" for every status
	// Below lists only the reports of units strictly below this unit ("" for
	// every unit): what an organiser of a unit verifies.
	Below string
	Page
}

// ReportRow is a report in the verifiers' list, with its unit.
type ReportRow struct {
	Report
	UnitCode string `json:"-" gorm:"->;-:migration"`
	UnitName string `json:"unit_name" gorm:"->;-:migration"`
}

// reportRowColumns are the columns reportRows reads, of reports r joined
// with their units u.
const reportRowColumns = "r.id, r.campaign_id, r.unit_id, r.period, r.period_start, r.period_end, r.submitted_at, r.updated_at, " +
	"r.status, r.reason, r.decided_at, r.decided_by, r.verified_at, u.code, u.name"

// reportRows runs a query of reportRowColumns. Scanned by hand: GORM's
// reflection took more of a page of the verifiers' list than its query.
func reportRows(q *gorm.DB) ([]ReportRow, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReportRow
	for rows.Next() {
		var r ReportRow
		if err := rows.Scan(&r.ID, &r.CampaignID, &r.UnitID, &r.Period, &r.PeriodStart, &r.PeriodEnd, &r.SubmittedAt, &r.UpdatedAt,
			&r.Status, &r.Reason, &r.DecidedAt, &r.DecidedBy, &r.VerifiedAt, &r.UnitCode, &r.UnitName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// reportDetails fills the values and evidence files of reports with two
// queries.
func (db *DB) reportDetails(tx *gorm.DB, rows []ReportRow) error {
	if len(rows) == 0 {
		return nil
	}
	byID := make(map[int64]*ReportRow, len(rows))
	ids := make([]int64, len(rows))
	for i := range rows {
		rows[i].Values = map[string]float64{}
		byID[rows[i].ID], ids[i] = &rows[i], rows[i].ID
	}
	// Scanned by hand: a page of reports has hundreds of values, which
	// GORM's reflection would cost more than the query.
	vals, err := tx.Table("report_values v").Select("v.report_id, i.key, v.value").
		Joins("JOIN indicators i ON i.id = v.indicator_id").Where("v.report_id IN ?", ids).Rows()
	if err != nil {
		return err
	}
	defer vals.Close()
	for vals.Next() {
		var (
			id    int64
			key   string
			value float64
		)
		if err := vals.Scan(&id, &key, &value); err != nil {
			return err
		}
		byID[id].Values[key] = value
	}
	if err := vals.Err(); err != nil {
		return err
	}
	files, err := evidenceOf(tx, evidenceOfReport, ids)
	for i := range rows {
		rows[i].EvidenceFiles = nonNil(files[rows[i].ID])
	}
	return err
}

// ReportsOf lists the reports of units in a campaign, by unit code, oldest
// period first, with their values: two queries.
func (db *DB) ReportsOf(ctx context.Context, slug string, units []string) (map[string][]Report, error) {
	out := map[string][]Report{}
	if len(units) == 0 {
		return out, nil
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		rows, err := reportRows(tx.Table("reports r").Select(reportRowColumns).
			Joins("JOIN units u ON u.id = r.unit_id").Where("r.campaign_id = ? AND u.code IN ?", cid, units).
			Order("r.period_start"))
		if err != nil {
			return err
		}
		if err := db.reportDetails(tx, rows); err != nil {
			return err
		}
		for _, r := range rows {
			r.Campaign, r.Unit = slug, r.UnitCode
			out[r.UnitCode] = append(out[r.UnitCode], r.Report)
		}
		return nil
	})
	return out, err
}
