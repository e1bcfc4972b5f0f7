package store

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/thidua/thidua/rules"
)

// UnitFacts is one participating unit with the facts it is scored on.
// Units whose targets are their campaign's share one Facts.Target map: the
// facts are to be read, not changed.
type UnitFacts struct {
	ID       int64
	Code     string
	Name     string
	Level    string
	Kind     string
	Clusters []string    `gorm:"-"`
	Facts    rules.Facts `gorm:"-"`
}

// FactsQuery says what to compute facts for.
type FactsQuery struct {
	Campaign string
	// Start and End are the scored period's dates (End exclusive); EndAt is
	// the instant it ends in the campaign's time zone.
	Start, End time.Time
	EndAt      time.Time
	// AsOf is the run's time: reports submitted later are ignored.
	AsOf time.Time
	// Due lists the reporting periods whose deadline has passed by AsOf,
	// from the campaign's start to the scored period's end, with deadlines.
	Due []DuePeriod
	// Verified counts only the values of reports verified by AsOf, as they
	// were last verified; a report submitted on time and verified later is
	// still on time.
	Verified bool
}

// reportSQL is what makes a report and its values count for q: the column
// of the value, and the condition on the report r (its one parameter is
// q.AsOf) and on the value v.
func (q FactsQuery) reportSQL() (value, counts string) {
	if q.Verified {
		return "v.verified_value", "r.verified_at IS NOT NULL AND r.verified_at <= ? AND v.verified_value IS NOT NULL"
	}
	return "v.value", "r.submitted_at <= ?"
}

// reportCounts is the condition on a report r that makes it count for q
// (its one parameter is q.AsOf).
func (q FactsQuery) reportCounts() string {
	if q.Verified {
		return "r.verified_at IS NOT NULL AND r.verified_at <= ?"
	}
	return "r.submitted_at <= ?"
}

// DuePeriod is a reporting period and the instant it is late from.
type DuePeriod struct {
	Key      string
	Deadline time.Time
}

// Facts computes every participating unit's facts for a period with one
// set-based query per kind of fact (RULES.md "Facts"); judging facts are
// the caller's (see JudgeScores). Units come in no particular order.
//
// On PostgreSQL the queries run at once, each in a read-only transaction
// that imports the first one's snapshot, so that they all read one state
// (see factsPgx).
func (db *DB) Facts(ctx context.Context, q FactsQuery) ([]UnitFacts, error) {
	var units []UnitFacts
	var err error
	if db.dialect == Postgres {
		units, err = db.factsPgx(ctx, q)
	} else {
		err = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			cid, err := campaignID(tx, q.Campaign)
			if err != nil {
				return err
			}
			var idx unitIndex
			if units, idx, err = participants(tx, cid); err != nil {
				return err
			}
			for _, load := range []func(*gorm.DB, int64, FactsQuery, []UnitFacts, unitIndex) error{
				projectFacts, adoptionFacts, kpiFacts, targetFacts, reportFacts,
			} {
				if err := load(tx, cid, q, units, idx); err != nil {
					return err
				}
			}
			return nil
		})
	}
	// Every indicator is a known name: 0 for a unit that did not report it.
	for i := range units {
		for k := range units[i].Facts.Target {
			if _, ok := units[i].Facts.KPI[k]; !ok {
				units[i].Facts.KPI[k] = 0
			}
		}
	}
	return units, translate(err)
}

// indexUnits makes the units ready for their facts and indexes them by id.
func indexUnits(units []UnitFacts) unitIndex {
	for i := range units {
		f := &units[i].Facts
		f.Unit = rules.UnitFacts{Level: units[i].Level, Kind: units[i].Kind}
		f.KPI, f.Reported = map[string]float64{}, map[string]bool{} // Target is targetFacts'
	}
	return newUnitIndex(units)
}

// unitIndex maps units' ids to their places. A campaign's units mostly have
// ids close together (a national one, all of them): their places are then
// kept in a slice by id, which a fact row reads without hashing; ids spread
// wider go in a map.
type unitIndex struct {
	lo     int64
	places []int32 // by id − lo: the place + 1, 0 for no unit
	byID   map[int64]int
}

func newUnitIndex(units []UnitFacts) unitIndex {
	if len(units) == 0 {
		return unitIndex{}
	}
	lo, hi := units[0].ID, units[0].ID
	for i := range units {
		lo, hi = min(lo, units[i].ID), max(hi, units[i].ID)
	}
	if span := uint64(hi - lo); span < 4*uint64(len(units)) && span < math.MaxInt32 {
		x := unitIndex{lo: lo, places: make([]int32, span+1)}
		for i := range units {
			x.places[units[i].ID-lo] = int32(i) + 1
		}
		return x
	}
	x := unitIndex{byID: make(map[int64]int, len(units))}
	for i := range units {
		x.byID[units[i].ID] = i
	}
	return x
}

// at is the place of the unit with the given id, if there is one.
func (x unitIndex) at(id int64) (int, bool) {
	if x.byID != nil {
		i, ok := x.byID[id]
		return i, ok
	}
	if d := uint64(id - x.lo); d < uint64(len(x.places)) && x.places[d] > 0 {
		return int(x.places[d]) - 1, true
	}
	return 0, false
}

// participants lists a campaign's units with their clusters, ready for
// their facts and indexed by id: two queries.
func participants(tx *gorm.DB, cid int64) ([]UnitFacts, unitIndex, error) {
	rows, err := tx.Raw(`SELECT u.id, u.code, u.name, u.level, u.kind FROM campaign_units cu
		JOIN units u ON u.id = cu.unit_id WHERE cu.campaign_id = ?`, cid).Rows()
	if err != nil {
		return nil, unitIndex{}, err
	}
	defer rows.Close()
	var units []UnitFacts
	for rows.Next() {
		var u UnitFacts
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.Level, &u.Kind); err != nil {
			return nil, unitIndex{}, err
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, unitIndex{}, err
	}
	idx := indexUnits(units)
	cl, err := tx.Raw(`SELECT uc.unit_id, uc.cluster FROM unit_clusters uc
		JOIN campaign_units cu ON cu.unit_id = uc.unit_id AND cu.campaign_id = ?`, cid).Rows()
	if err != nil {
		return nil, unitIndex{}, err
	}
	defer cl.Close()
	names := map[string]string{} // one string per cluster, shared by its units
	for cl.Next() {
		var id int64
		var cluster string
		if err := cl.Scan(&id, &cluster); err != nil {
			return nil, unitIndex{}, err
		}
		if n, ok := names[cluster]; ok {
			cluster = n
		} else {
			names[cluster] = cluster
		}
		if i, ok := idx.at(id); ok {
			units[i].Clusters = append(units[i].Clusters, cluster)
		}
	}
	if err := cl.Err(); err != nil {
		return nil, unitIndex{}, err
	}
	sortClusters(units)
	return units, idx, nil
}

// sortClusters puts each unit's clusters in order: the queries do not
// (sorting 100,000 codes by a linguistic collation costs PostgreSQL more
// than the rest of the query).
func sortClusters(units []UnitFacts) {
	for i := range units {
		slices.Sort(units[i].Clusters)
	}
}

// projectFacts counts each unit's projects by their status at the period's
// end: the last status change before it (a project registered later has
// none). Completed counts projects that reached completion, verified ones
// included.
func projectFacts(tx *gorm.DB, cid int64, q FactsQuery, units []UnitFacts, idx unitIndex) error {
	rows, err := tx.Raw(`
		WITH st AS (
			SELECT unit_id, status FROM (
				SELECT p.unit_id, s.status,
					ROW_NUMBER() OVER (PARTITION BY s.project_id ORDER BY s.at DESC, s.id DESC) AS rn
				FROM project_status_changes s JOIN projects p ON p.id = s.project_id
				WHERE p.campaign_id = ? AND s.at < ?
			) latest WHERE rn = 1
		)
		SELECT unit_id,
			SUM(CASE WHEN status NOT IN ('rejected', 'withdrawn') THEN 1 ELSE 0 END),
			SUM(CASE WHEN status = 'in_progress' THEN 1 ELSE 0 END),
			SUM(CASE WHEN status IN ('completed', 'verified') THEN 1 ELSE 0 END),
			SUM(CASE WHEN status = 'verified' THEN 1 ELSE 0 END)
		FROM st GROUP BY unit_id`, cid, q.EndAt.UTC()).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p rules.ProjectFacts
		if err := rows.Scan(&id, &p.Registered, &p.InProgress, &p.Completed, &p.Verified); err != nil {
			return err
		}
		if i, ok := idx.at(id); ok { // field by field: Adopted is adoptionFacts'
			f := &units[i].Facts.Projects
			f.Registered, f.InProgress, f.Completed, f.Verified = p.Registered, p.InProgress, p.Completed, p.Verified
		}
	}
	return rows.Err()
}

// adoptionFacts counts, for each unit, the live projects of other units
// registered before the period's end that adopted one of its projects.
func adoptionFacts(tx *gorm.DB, cid int64, q FactsQuery, units []UnitFacts, idx unitIndex) error {
	rows, err := tx.Raw(`SELECT src.unit_id, COUNT(*) FROM projects a JOIN projects src ON src.id = a.adopted_from
		WHERE a.campaign_id = ? AND a.created_at < ? AND a.unit_id <> src.unit_id
		AND a.status NOT IN ('rejected', 'withdrawn') GROUP BY src.unit_id`, cid, q.EndAt.UTC()).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		if i, ok := idx.at(id); ok {
			units[i].Facts.Projects.Adopted = n
		}
	}
	return rows.Err()
}

// kpiFacts takes, per unit and indicator, the value of the latest reporting
// period overlapping the scored period that the unit reported (a campaign
// scored whole, from the 15th, counts its first and last months too).
func kpiFacts(tx *gorm.DB, cid int64, q FactsQuery, units []UnitFacts, idx unitIndex) error {
	keys, err := indicatorKeys(tx, cid)
	if err != nil {
		return err
	}
	value, counts := q.reportSQL()
	rows, err := tx.Raw(`
		SELECT unit_id, indicator_id, value FROM (
			SELECT r.unit_id, v.indicator_id, `+value+` AS value,
				ROW_NUMBER() OVER (PARTITION BY r.unit_id, v.indicator_id ORDER BY r.period_start DESC) AS rn
			FROM reports r JOIN report_values v ON v.report_id = r.id
			WHERE r.campaign_id = ? AND r.period_start < ? AND r.period_end > ? AND `+counts+`
		) latest WHERE rn = 1`, cid, dateParam(q.End), dateParam(q.Start), q.AsOf.UTC()).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, ind int64
		var v float64
		if err := rows.Scan(&id, &ind, &v); err != nil {
			return err
		}
		if i, ok := idx.at(id); ok {
			units[i].Facts.KPI[keys[ind]] = v
			units[i].Facts.Reported[keys[ind]] = true
		}
	}
	return rows.Err()
}

// indicatorKeys maps a campaign's indicator ids to their keys.
func indicatorKeys(tx *gorm.DB, cid int64) (map[int64]string, error) {
	var inds []Indicator
	if err := tx.Select("id", "key").Where("campaign_id = ?", cid).Find(&inds).Error; err != nil {
		return nil, err
	}
	keys := make(map[int64]string, len(inds))
	for _, in := range inds {
		keys[in.ID] = in.Key
	}
	return keys, nil
}

// targetFacts gives every unit the campaign's targets, overridden by its
// covenant's: the units without a covenant share the campaign's map, and
// each unit with one has a copy of its own.
func targetFacts(tx *gorm.DB, cid int64, q FactsQuery, units []UnitFacts, idx unitIndex) error {
	var inds []Indicator
	if err := tx.Select("key", "target").Where("campaign_id = ?", cid).Find(&inds).Error; err != nil {
		return err
	}
	campaign := make(map[string]float64, len(inds))
	for _, in := range inds {
		campaign[in.Key] = in.Target
	}
	for i := range units {
		units[i].Facts.Target = campaign
	}
	covenanted := map[int]bool{}
	rows, err := tx.Raw(`SELECT ct.unit_id, i.key, ct.target FROM covenant_targets ct
		JOIN indicators i ON i.id = ct.indicator_id WHERE ct.campaign_id = ?`, cid).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		var v float64
		if err := rows.Scan(&id, &key, &v); err != nil {
			return err
		}
		if i, ok := idx.at(id); ok {
			if !covenanted[i] {
				units[i].Facts.Target, covenanted[i] = maps.Clone(campaign), true
			}
			units[i].Facts.Target[key] = v
		}
	}
	return rows.Err()
}

// reportFacts counts each unit's due reporting periods reported on time,
// late or not at all, by AsOf (with Verified, verified by then).
func reportFacts(tx *gorm.DB, cid int64, q FactsQuery, units []UnitFacts, idx unitIndex) error {
	due := len(q.Due)
	reportsDue(units, due)
	if due == 0 {
		return nil
	}
	values := make([]string, due)
	args := make([]any, 0, 2*due+1)
	for i, d := range q.Due {
		values[i] = "(?, ?)"
		args = append(args, d.Key, d.Deadline.UTC())
	}
	args = append(args, cid, q.AsOf.UTC())
	cast := "?"
	if tx.Dialector.Name() == Postgres {
		cast = "CAST(? AS timestamptz)"
	}
	sql := fmt.Sprintf(`
		WITH due (period, deadline) AS (VALUES %s)
		SELECT r.unit_id,
			SUM(CASE WHEN r.submitted_at <= due.deadline THEN 1 ELSE 0 END),
			SUM(CASE WHEN r.submitted_at > due.deadline THEN 1 ELSE 0 END)
		FROM reports r JOIN due ON due.period = r.period
		WHERE r.campaign_id = ? AND `+q.reportCounts()+` GROUP BY r.unit_id`,
		strings.ReplaceAll(strings.Join(values, ", "), "(?, ?)", "(?, "+cast+")"))
	rows, err := tx.Raw(sql, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var onTime, late int
		if err := rows.Scan(&id, &onTime, &late); err != nil {
			return err
		}
		if i, ok := idx.at(id); ok {
			units[i].Facts.Reports = rules.ReportFacts{Due: due, OnTime: onTime, Late: late, Missing: due - onTime - late}
		}
	}
	return rows.Err()
}

// reportsDue gives every unit due reporting periods, none reported yet.
func reportsDue(units []UnitFacts, due int) {
	for i := range units {
		units[i].Facts.Reports = rules.ReportFacts{Due: due, Missing: due}
	}
}

// dateParam passes a date so that both databases compare it with a date column.
func dateParam(t time.Time) string { return t.Format(DateLayout) }
