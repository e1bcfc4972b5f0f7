package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// judgeScoresPgxSQL is judgeScoresSQL with the project's unit id in place
// of its code: joining a million scores to the units costs the server more
// than naming the units once (projectUnitsSQL).
const judgeScoresPgxSQL = conflictsCTE + `
SELECT s.project_id, p.unit_id, s.user_id, s.criteria
FROM judge_scores s
JOIN projects p ON p.id = s.project_id
WHERE p.campaign_id = @campaign AND ` + activeProject + `
AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.user_id = s.user_id AND c.project_id = s.project_id)`

// projectUnitsSQL names the units of a campaign's projects.
const projectUnitsSQL = `SELECT u.id, u.code FROM units u
WHERE u.id IN (SELECT p.unit_id FROM projects p WHERE p.campaign_id = $1)`

// eachJudgeScorePgx is eachJudgeScore on PostgreSQL's native protocol:
// both queries in one read-only transaction, the million rows decoded from
// their raw values in place.
func (db *DB) eachJudgeScorePgx(ctx context.Context, cid int64, fn func(JudgeScore) error) error {
	marks := newMarksReader()
	err := db.withPgx(ctx, func(c *pgx.Conn) error {
		return pgx.BeginTxFunc(ctx, c, snapshotTx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil { // hash in memory
				return err
			}
			codes := map[int64]string{}
			var id int64
			var code string
			rows, err := tx.Query(ctx, projectUnitsSQL, cid)
			if err != nil {
				return err
			}
			if _, err := pgx.ForEachRow(rows, []any{&id, &code}, func() error {
				codes[id] = code
				return nil
			}); err != nil {
				return err
			}
			rows, err = tx.Query(ctx, judgeScoresPgxSQL, rawMode, pgx.NamedArgs(conflictArgs(cid, 0, 0)))
			if err != nil {
				return err
			}
			defer rows.Close()
			if err := checkColumns(rows, int8Column, int8Column, int8Column, jsonColumn); err != nil {
				return err
			}
			for rows.Next() {
				v := rows.RawValues()
				project, err := rawInt8(v[0])
				if err != nil {
					return err
				}
				unit, err := rawInt8(v[1])
				if err != nil {
					return err
				}
				judge, err := rawInt8(v[2])
				if err != nil {
					return err
				}
				m, err := marks.read(project, judge, v[3])
				if err != nil {
					return err
				}
				if err := fn(JudgeScore{Project: project, Unit: codes[unit], Judge: judge, Criteria: m}); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	})
	return translate(err)
}
