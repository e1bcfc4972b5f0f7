package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// factsPgx is Facts on PostgreSQL. A read-only transaction exports its
// snapshot and lists the participants; every kind of fact loads at once,
// each query in a transaction of its own that imports the snapshot, so that
// all of them read one state. The big reads (indicator values, project
// statuses) are sent as soon as the snapshot is exported, so that the
// server computes them while the participants arrive; they run on native
// pgx. The small ones share the portable loaders, once the participants
// are in.
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
				idx     map[int64]int
				in      = make(chan struct{}) // closed once the participants are in, or failed to come
				inErr   error
				started []func() error
			)
			participated := func() ([]UnitFacts, map[int64]int, bool) {
				<-in
				return units, idx, inErr == nil
			}
			for _, load := range []func(context.Context, pgx.Tx, int64, FactsQuery, func() ([]UnitFacts, map[int64]int, bool)) error{
				kpiFactsPgx, projectFactsPgx,
			} {
				started = append(started, func() error {
					return db.inSnapshot(ctx, snapshot, func(tx pgx.Tx) error { return load(ctx, tx, cid, q, participated) })
				})
			}
			errs := make([]error, len(started)+3)
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
			for i, load := range []func(*gorm.DB, int64, FactsQuery, []UnitFacts, map[int64]int) error{
				adoptionFacts, targetFacts, reportFacts,
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
func projectFactsPgx(ctx context.Context, tx pgx.Tx, cid int64, q FactsQuery, participated func() ([]UnitFacts, map[int64]int, bool)) error {
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
	type latest struct {
		unit   int64
		at, id int64
		status string
	}
	statuses := map[string]string{}
	byProject := map[int64]latest{}
	for rows.Next() {
		v := rows.RawValues()
		var nums [4]int64 // project, unit, at, change id
		for i := range nums {
			if nums[i], err = rawInt8(v[i]); err != nil {
				return err
			}
		}
		project, change := nums[0], latest{unit: nums[1], at: nums[2], id: nums[3]}
		if cur, ok := byProject[project]; ok && (cur.at > change.at || cur.at == change.at && cur.id > change.id) {
			continue
		}
		change.status = intern(statuses, v[4])
		byProject[project] = change
	}
	if err := rows.Err(); err != nil {
		return err
	}
	units, idx, ok := participated()
	if !ok {
		return nil
	}
	for _, p := range byProject {
		i, ok := idx[p.unit]
		if !ok {
			continue
		}
		f := &units[i].Facts.Projects // field by field: Adopted is adoptionFacts'
		switch p.status {
		case StatusRejected, StatusWithdrawn:
			continue
		case StatusInProgress:
			f.InProgress++
		case StatusCompleted:
			f.Completed++
		case StatusVerified:
			f.Completed++
			f.Verified++
		}
		f.Registered++
	}
	return nil
}

// snapshotTx is the transaction of every fact query on PostgreSQL.
var snapshotTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// participantsPgx is participants on native pgx.
func participantsPgx(ctx context.Context, tx pgx.Tx, cid int64) ([]UnitFacts, map[int64]int, error) {
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil { // hash in memory
		return nil, nil, err
	}
	// A unit's facts make a big struct: size the slice once.
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM campaign_units WHERE campaign_id = $1", cid).Scan(&n); err != nil {
		return nil, nil, err
	}
	rows, err := tx.Query(ctx, `SELECT u.id, u.code, u.name, u.level, u.kind FROM campaign_units cu
		JOIN units u ON u.id = cu.unit_id WHERE cu.campaign_id = $1`, rawMode, cid)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, textColumn, textColumn, textColumn, textColumn); err != nil {
		return nil, nil, err
	}
	names := map[string]string{} // levels, kinds and clusters: one string each
	units := make([]UnitFacts, 0, n)
	for rows.Next() {
		v := rows.RawValues()
		id, err := rawInt8(v[0])
		if err != nil {
			return nil, nil, err
		}
		units = append(units, UnitFacts{ID: id, Code: string(v[1]), Name: string(v[2]),
			Level: intern(names, v[3]), Kind: intern(names, v[4])})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	idx := indexUnits(units)
	rows, err = tx.Query(ctx, `SELECT uc.unit_id, uc.cluster FROM unit_clusters uc
		JOIN campaign_units cu ON cu.unit_id = uc.unit_id AND cu.campaign_id = $1`, rawMode, cid)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	if err := checkColumns(rows, int8Column, textColumn); err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		v := rows.RawValues()
		id, err := rawInt8(v[0])
		if err != nil {
			return nil, nil, err
		}
		u := &units[idx[id]]
		u.Clusters = append(u.Clusters, intern(names, v[1]))
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
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
func kpiFactsPgx(ctx context.Context, tx pgx.Tx, cid int64, q FactsQuery, participated func() ([]UnitFacts, map[int64]int, bool)) error {
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
			if i, ok := idx[id]; ok {
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
