package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// eachJudgeMarksPgx is eachJudgeMarks on PostgreSQL's native protocol: the
// million rows decoded from their raw values in place.
func (db *DB) eachJudgeMarksPgx(ctx context.Context, cid int64, fn func(project, unit, judge int64, criteria []byte) error) error {
	err := db.withPgx(ctx, func(c *pgx.Conn) error {
		return pgx.BeginTxFunc(ctx, c, snapshotTx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil { // hash in memory
				return err
			}
			rows, err := tx.Query(ctx, judgeScoresSQL, rawMode, pgx.NamedArgs(campaignArgs(cid)))
			if err != nil {
				return err
			}
			defer rows.Close()
			if err := checkColumns(rows, int8Column, int8Column, int8Column, jsonColumn); err != nil {
				return err
			}
			for rows.Next() {
				v := rows.RawValues()
				var nums [3]int64 // project, unit, judge
				for i := range nums {
					if nums[i], err = rawInt8(v[i]); err != nil {
						return err
					}
				}
				if err := fn(nums[0], nums[1], nums[2], v[3]); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	})
	return translate(err)
}
