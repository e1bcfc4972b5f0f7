package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/thidua/thidua/rules"
)

// factsPgx is Facts on PostgreSQL. A read-only transaction exports its
// snapshot and lists the participants; every kind of fact loads at once,
// each query in a transaction of its own that imports the snapshot, so that
// all of them read one state. The big reads (indicator values, project
// statuses, reports on time) are sent as soon as the snapshot is exported,
// so that the server computes them while the participants arrive; they run
// on native pgx. The small ones share the portable loaders, once the
// participants are in.
func (db *DB) factsPgx(ctx context.Context, q FactsQuery) ([]UnitFacts, error) {
	var units []UnitFacts
	err := db.withPgx(ctx, func(c *pgx.Conn) error {
		return pgx.BeginTxFunc(ctx, c, snapshotTx, func(tx pgx.Tx) error {
			var cid int64
			err := tx.QueryRow(ctx, "SELECT id FROM campaigns WHERE slug = $1", q.Campaign).Scan(&cid)
			if errors.Is(err, pgx.ErrNoRows) {
				return notFound("no campaign %q", q.Campaign)
			}
			if err != nil {
				return err
			}
			var snapshot string
			if err := tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snapshot); err != nil {
				return err
			}
			// Each task writes its own fields of the units, so they may run at once.
			var (
				idx     unitIndex
				in      = make(chan struct{}) // closed once the participants are in, or failed to come
				inErr   error
				started []func() error
			)
			participated := func() ([]UnitFacts, unitIndex, bool) {
				<-in
				return units, idx, inErr == nil
			}
			for _, load := range []func(context.Context, pgx.Tx, int64, FactsQuery, func() ([]UnitFacts, unitIndex, bool)) error{
				kpiFactsPgx, projectFactsPgx, reportFactsPgx,
			} {
				started = append(started, func() error {
					return db.inSnapshot(ctx, snapshot, func(tx pgx.Tx) error { return load(ctx, tx, cid, q, participated) })
				})
			}
			errs := make([]error, len(started)+2)
			var wg sync.WaitGroup
			for i, task := range started {
				wg.Go(func() { errs[i] = task() })
			}
			units, idx, inErr = participantsPgx(ctx, tx, cid)
			close(in)
			if inErr != nil {
				wg.Wait()
				return inErr
			}
			for i, load := range []func(*gorm.DB, int64, FactsQuery, []UnitFacts, unitIndex) error{
				adoptionFacts, targetFacts,
			} {
				wg.Go(func() {
					errs[len(started)+i] = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
						if err := tx.Exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'").Error; err != nil {
							return err
						}
						if err := tx.Exec("SET LOCAL work_mem = '256MB'").Error; err != nil { // sort in memory
							return err
						}
						return load(tx, cid, q, units, idx)
					}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
				})
			}
			wg.Wait()
			return errors.Join(errs...)
		})
	})
	return units, err
}

// projectFactsPgx is projectFacts on PostgreSQL without the window
// function: every status change before the period's end comes, in no
// order, and each project's latest is kept here.
func projectFactsPgx(ctx context.Context, tx pgx.Tx, cid int64, q FactsQuery, participated func() ([]UnitFacts, unitIndex, bool)) error {
	rows, err := tx.Query(ctx, `SELECT s.project_id, p.unit_id, s.at, s.id, s.status
		FROM project_status_changes s JOIN projects p ON p.id = s.project_id
		WHERE p.campaign_id = $1 AND s.at < $2`, rawMode, cid, q.EndAt.UTC())
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, int8Column, timeColumn, int8Column, textColumn); err != nil {
		return err
	}
	var (
		statuses []string // a handful
		changes  changeList
	)
	for rows.Next() {
		v := rows.RawValues()
		var nums [4]int64 // project, unit, at, change id
		for i := range nums {
			if nums[i], err = rawInt8(v[i]); err != nil {
				return err
			}
		}
		status := -1
		for k, s := range statuses {
			if s == string(v[4]) {
				status = k
				break
			}
		}
		if status < 0 {
			status, statuses = len(statuses), append(statuses, string(v[4]))
		}
		changes.add(statusChange{project: nums[0], unit: nums[1], at: nums[2], id: nums[3], status: int32(status)})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	units, idx, ok := participated()
	if !ok {
		return nil
	}
	latestChanges(&changes, func(c statusChange) {
		i, ok := idx.at(c.unit)
		if !ok {
			return
		}
		f := &units[i].Facts.Projects // field by field: Adopted is adoptionFacts'
		switch statuses[c.status] {
		case StatusRejected, StatusWithdrawn:
			return
		case StatusInProgress:
			f.InProgress++
		case StatusCompleted:
			f.Completed++
		case StatusVerified:
			f.Completed++
			f.Verified++
		}
		f.Registered++
	})
	return nil
}

// reportFactsPgx is reportFacts on native pgx.
func reportFactsPgx(ctx context.Context, tx pgx.Tx, cid int64, q FactsQuery, participated func() ([]UnitFacts, unitIndex, bool)) error {
	due := len(q.Due)
	if due == 0 {
		return nil // nothing due: every unit's report facts stay zero
	}
	values := make([]string, due)
	args := []any{cid, q.AsOf.UTC()}
	for i, d := range q.Due {
		values[i] = fmt.Sprintf("($%d, $%d::timestamptz)", len(args)+1, len(args)+2)
		args = append(args, d.Key, d.Deadline.UTC())
	}
	rows, err := tx.Query(ctx, `
		WITH due (period, deadline) AS (VALUES `+strings.Join(values, ", ")+`)
		SELECT r.unit_id,
			SUM(CASE WHEN r.submitted_at <= due.deadline THEN 1 ELSE 0 END)::int8,
			SUM(CASE WHEN r.submitted_at > due.deadline THEN 1 ELSE 0 END)::int8
		FROM reports r JOIN due ON due.period = r.period
		WHERE r.campaign_id = $1 AND `+strings.Replace(q.reportCounts(), "?", "$2", 1)+` GROUP BY r.unit_id`,
		append([]any{rawMode}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, int8Column, int8Column); err != nil {
		return err
	}
	units, idx, ok := participated()
	if !ok {
		return nil
	}
	reportsDue(units, due)
	for rows.Next() {
		v := rows.RawValues()
		var nums [3]int64 // unit, on time, late
		for i := range nums {
			if nums[i], err = rawInt8(v[i]); err != nil {
				return err
			}
		}
		if i, ok := idx.at(nums[0]); ok {
			onTime, late := int(nums[1]), int(nums[2])
			units[i].Facts.Reports = rules.ReportFacts{Due: due, OnTime: onTime, Late: late, Missing: due - onTime - late}
		}
	}
	return rows.Err()
}

// statusChange is a project's status change as projectFactsPgx reads it:
// at in microseconds, id the change's, status a number of the reader's.
type statusChange struct {
	project, unit, at, id int64
	status                int32
}

// changeList holds changes in chunks: half a million of them never regrow
// one slice.
type changeList struct {
	chunks [][]statusChange
	n      int
}

const changeChunk = 1 << 15

func (l *changeList) add(c statusChange) {
	if l.n%changeChunk == 0 {
		l.chunks = append(l.chunks, make([]statusChange, 0, changeChunk))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, c)
	l.n++
}

// at is change i, in the order added.
func (l *changeList) at(i int) *statusChange { return &l.chunks[i/changeChunk][i%changeChunk] }

// latestChanges calls fn with each project's latest change: the one at the
// latest time, then of the highest id. A campaign's projects have ids close
// together: each project's latest is then kept in a slice by id, not in a
// map.
func latestChanges(changes *changeList, fn func(statusChange)) {
	if changes.n == 0 {
		return
	}
	later := func(a, b *statusChange) bool { return a.at > b.at || a.at == b.at && a.id > b.id }
	lo, hi := changes.at(0).project, changes.at(0).project
	for _, ch := range changes.chunks {
		for i := range ch {
			lo, hi = min(lo, ch[i].project), max(hi, ch[i].project)
		}
	}
	if span := uint64(hi - lo); span < 2*uint64(changes.n) && changes.n < math.MaxInt32 {
		latest := make([]int32, span+1) // by project id − lo: its latest change's index + 1
		for i := range changes.n {
			c := changes.at(i)
			if l := &latest[c.project-lo]; *l == 0 || later(c, changes.at(int(*l-1))) {
				*l = int32(i) + 1
			}
		}
		for _, l := range latest {
			if l > 0 {
				fn(*changes.at(int(l - 1)))
			}
		}
		return
	}
	latest := map[int64]int{}
	for i := range changes.n {
		c := changes.at(i)
		if l, ok := latest[c.project]; !ok || later(c, changes.at(l)) {
			latest[c.project] = i
		}
	}
	for _, l := range latest {
		fn(*changes.at(l))
	}
}

// snapshotTx is the transaction of every fact query on PostgreSQL.
var snapshotTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// participantsPgx is participants on native pgx.
func participantsPgx(ctx context.Context, tx pgx.Tx, cid int64) ([]UnitFacts, unitIndex, error) {
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil { // hash in memory
		return nil, unitIndex{}, err
	}
	// A unit's facts make a big struct: size the slice once.
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM campaign_units WHERE campaign_id = $1", cid).Scan(&n); err != nil {
		return nil, unitIndex{}, err
	}
	rows, err := tx.Query(ctx, `SELECT u.id, u.code, u.name, u.level, u.kind FROM campaign_units cu
		JOIN units u ON u.id = cu.unit_id WHERE cu.campaign_id = $1`, rawMode, cid)
	if err != nil {
		return nil, unitIndex{}, err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, textColumn, textColumn, textColumn, textColumn); err != nil {
		return nil, unitIndex{}, err
	}
	names := map[string]string{} // levels, kinds and clusters: one string each
	units := make([]UnitFacts, 0, n)
	for rows.Next() {
		v := rows.RawValues()
		id, err := rawInt8(v[0])
		if err != nil {
			return nil, unitIndex{}, err
		}
		units = append(units, UnitFacts{ID: id, Code: string(v[1]), Name: string(v[2]),
			Level: intern(names, v[3]), Kind: intern(names, v[4])})
	}
	if err := rows.Err(); err != nil {
		return nil, unitIndex{}, err
	}
	idx := indexUnits(units)
	rows, err = tx.Query(ctx, `SELECT uc.unit_id, uc.cluster FROM unit_clusters uc
		JOIN campaign_units cu ON cu.unit_id = uc.unit_id AND cu.campaign_id = $1`, rawMode, cid)
	if err != nil {
		return nil, unitIndex{}, err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, textColumn); err != nil {
		return nil, unitIndex{}, err
	}
	for rows.Next() {
		v := rows.RawValues()
		id, err := rawInt8(v[0])
		if err != nil {
			return nil, unitIndex{}, err
		}
		if i, ok := idx.at(id); ok {
			units[i].Clusters = append(units[i].Clusters, intern(names, v[1]))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, unitIndex{}, err
	}
	sortClusters(units)
	return units, idx, nil
}

// kpiFactsPgx is kpiFacts on PostgreSQL without the window function:
// sorting a national campaign's million values by unit and indicator costs
// the server more than sending them all, so every value of the period
// comes, in no order, and the latest per unit and indicator is kept here.
// Of two reports that start on the same day either may win, as with the
// window.
func kpiFactsPgx(ctx context.Context, tx pgx.Tx, cid int64, q FactsQuery, participated func() ([]UnitFacts, unitIndex, bool)) error {
	keys, slots, err := indicatorSlots(ctx, tx, cid)
	if err != nil {
		return err
	}
	type latest struct {
		day   int32 // period_start, in days since 2000-01-01
		value float64
		set   bool
	}
	value, counts := q.reportSQL()
	rows, err := tx.Query(ctx, `SELECT r.unit_id, v.indicator_id, r.period_start, `+value+`
		FROM reports r JOIN report_values v ON v.report_id = r.id
		WHERE r.campaign_id = $1 AND r.period_start < $2 AND r.period_end > $3 AND `+strings.Replace(counts, "?", "$4", 1),
		rawMode, cid, q.End, q.Start, q.AsOf.UTC())
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, int8Column, dateColumn, float8Column); err != nil {
		return err
	}
	units, idx, ok := participated()
	if !ok {
		return nil
	}
	n := len(keys)
	best := make([]latest, len(units)*n)
	// A report's values come together: look its unit up once.
	lastID, unit := int64(0), -1
	for rows.Next() {
		v := rows.RawValues()
		id, err := rawInt8(v[0])
		if err != nil {
			return err
		}
		if id != lastID || unit < 0 {
			lastID, unit = id, -1
			if i, ok := idx.at(id); ok {
				unit = i
			}
		}
		ind, err := rawInt8(v[1])
		if err != nil {
			return err
		}
		slot, ok := slots[ind]
		if unit < 0 || !ok {
			continue
		}
		day, err := rawDate(v[2])
		if err != nil {
			return err
		}
		value, err := rawFloat8(v[3])
		if err != nil {
			return err
		}
		if b := &best[unit*n+slot]; !b.set || day > b.day {
			*b = latest{day: day, value: value, set: true}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range units {
		f := &units[i].Facts
		for s, key := range keys {
			if b := best[i*n+s]; b.set {
				f.KPI[key], f.Reported[key] = b.value, true
			}
		}
	}
	return nil
}

// indicatorSlots numbers a campaign's indicators from 0: keys by number,
// numbers by id.
func indicatorSlots(ctx context.Context, tx pgx.Tx, cid int64) ([]string, map[int64]int, error) {
	rows, err := tx.Query(ctx, "SELECT id, key FROM indicators WHERE campaign_id = $1 ORDER BY id", cid)
	if err != nil {
		return nil, nil, err
	}
	var keys []string
	slots := map[int64]int{}
	var id int64
	var key string
	_, err = pgx.ForEachRow(rows, []any{&id, &key}, func() error {
		slots[id] = len(keys)
		keys = append(keys, key)
		return nil
	})
	return keys, slots, err
}
