package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/thidua/thidua/rules"
)

// Rubric is how a committee weighs a judge's marks into one score of a
// project, 0..1 (see scoring.Committee, which makes one): Σ(weight ×
// min(value/max, 1)) over the criteria with a value > 0, in their order,
// divided by Weights.
type Rubric struct {
	Criteria []rules.JudgingCriterion
	// Weights is Σ weight over Criteria, summed in their order.
	Weights float64
	// Weigh is the same in Go: the score of the marks of one judge. It
	// weighs the marks where the database does not (SQLite).
	Weigh func(criteria map[string]float64) float64
}

// WeighedScore is one judge's score of one project, weighed by a rubric.
type WeighedScore struct {
	Project int64
	Unit    int64 // the project's unit id
	Judge   int64 // the judge's user id
	Score   float64
}

// EachWeighedScore streams the scores that EachJudgeScore streams, each
// weighed by the rubric. On PostgreSQL the database weighs them, so that a
// national round's million sets of marks are neither sent nor decoded: only
// four numbers a score. The result is the same to the bit as r.Weigh's.
func (db *DB) EachWeighedScore(ctx context.Context, slug string, r Rubric, fn func(WeighedScore) error) error {
	q := db.gorm.WithContext(ctx)
	cid, err := campaignID(q, slug)
	if err != nil {
		return err
	}
	if db.dialect == Postgres {
		return db.eachWeighedScorePgx(ctx, cid, r, fn)
	}
	return eachJudgeScore(q, cid, func(s JudgeScore) error {
		return fn(WeighedScore{Project: s.Project, Unit: s.Unit, Judge: s.Judge, Score: r.Weigh(s.Criteria)})
	})
}

// weighSQL is the rubric's score of a score s's marks in PostgreSQL, and
// its parameters. It computes what Rubric.Weigh does, operation by
// operation in the same order, each rounded as Go rounds it:
//
//   - a missing criterion or a JSON null is NULL, which GREATEST ignores,
//     and a value ≤ 0 becomes 0: its term is then +0 or −0, and adding
//     either changes no sum (the sum starts from +0, as Go's does);
//   - min(v/max, 1) is computed as min(v, max)/max, the same number
//     (division rounds monotonically, and max/max is 1) without overflow;
//   - the json type's ->> reads the last of duplicate keys, as Go's
//     decoding keeps the last.
func weighSQL(r Rubric, args map[string]any) string {
	if len(r.Criteria) == 0 || !(r.Weights > 0) {
		return "0::float8"
	}
	var b strings.Builder
	b.WriteString("(0::float8")
	for i, c := range r.Criteria {
		args[fmt.Sprintf("k%d", i)], args[fmt.Sprintf("w%d", i)], args[fmt.Sprintf("m%d", i)] = c.Key, c.Weight, c.Max
		fmt.Fprintf(&b, " + @w%[1]d::float8 * (LEAST(GREATEST((s.criteria->>@k%[1]d::text)::float8, 0), @m%[1]d::float8) / @m%[1]d::float8)", i)
	}
	args["weights"] = r.Weights
	b.WriteString(") / @weights::float8")
	return b.String()
}

// eachWeighedScorePgx is EachWeighedScore on PostgreSQL's native protocol.
func (db *DB) eachWeighedScorePgx(ctx context.Context, cid int64, r Rubric, fn func(WeighedScore) error) error {
	args := conflictArgs(cid, 0, 0)
	query := conflictsCTE + "\nSELECT s.project_id, p.unit_id, s.user_id, " + weighSQL(r, args) + judgeScoresFrom
	err := db.withPgx(ctx, func(c *pgx.Conn) error {
		return pgx.BeginTxFunc(ctx, c, snapshotTx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil { // hash in memory
				return err
			}
			rows, err := tx.Query(ctx, query, rawMode, pgx.NamedArgs(args))
			if err != nil {
				return err
			}
			defer rows.Close()
			if err := checkColumns(rows, int8Column, int8Column, int8Column, float8Column); err != nil {
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
				score, err := rawFloat8(v[3])
				if err != nil {
					return err
				}
				if err := fn(WeighedScore{Project: nums[0], Unit: nums[1], Judge: nums[2], Score: score}); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	})
	return translate(err)
}
