package store

import (
	"cmp"
	"context"
	"slices"

	"gorm.io/gorm"
)

// insertResults writes a snapshot's rows: one statement on PostgreSQL,
// batched inserts on SQLite.
func (db *DB) insertResults(ctx context.Context, tx *gorm.DB, runID int64, rows []RunResult) error {
	for i := range rows {
		rows[i].RunID = runID
	}
	if len(rows) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		return copyResults(ctx, tx, rows)
	}
	return tx.CreateInBatches(rows, 500).Error
}

// copyResults inserts every row in one statement from column arrays, which
// PostgreSQL unnests: as fast as COPY, and inside the transaction. The rows
// go in unit order, the order of the table's key (run_id, unit_id): a run's
// entries are appended at the end of the index, however many past runs it
// holds.
func copyResults(ctx context.Context, tx *gorm.DB, rows []RunResult) error {
	n := len(rows)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(rows[a].UnitID, rows[b].UnitID) })
	units, pos, ro, rl := make([]int64, n), make([]int32, n), make([]int32, n), make([]int32, n)
	totals, elig := make([]float64, n), make([]bool, n)
	for i, j := range order {
		r := &rows[j]
		units[i], pos[i], ro[i], rl[i] = r.UnitID, int32(r.Position), int32(r.RankOverall), int32(r.RankLevel)
		totals[i], elig[i] = r.Total, r.Eligible
	}
	_, err := tx.Statement.ConnPool.ExecContext(ctx, `
		INSERT INTO run_results (run_id, unit_id, position, total, eligible, rank_overall, rank_level)
		SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::float8[], $5::bool[], $6::int[], $7::int[])`,
		rows[0].RunID, units, pos, totals, elig, ro, rl)
	return err
}
