package store

import (
	"context"
	"fmt"
)

// WeighedScore is one judge's score of one project, weighed by a rubric, 0..1.
type WeighedScore struct {
	Project int64
	Unit    int64 // the project's unit id
	Judge   int64 // the judge's user id
	Score   float64
}

// EachWeighedScore streams the scores that EachJudgeScore streams, each
// weighed: weigh turns one judge's marks into their score of the project
// (scoring.Committee.Weigh does). Judges give whole marks, so a national round's
// million scores hold a few thousand distinct sets of marks: each set, as
// stored, is decoded and weighed once, and every score with the same text
// takes its weight from a table.
//
// (PostgreSQL could weigh the marks itself and send four numbers a score
// instead of the text: it costs the server about three times the read,
// parsing every score's JSON once per criterion, for less than it saves
// here.)
func (db *DB) EachWeighedScore(ctx context.Context, slug string, weigh func(criteria map[string]float64) float64, fn func(WeighedScore) error) error {
	keys := map[string]string{}
	weighed := map[string]float64{}
	return db.eachJudgeMarks(ctx, slug, func(project, unit, judge int64, criteria []byte) error {
		score, ok := weighed[string(criteria)]
		if !ok {
			m, err := decodeCriteria(criteria, keys)
			if err != nil {
				return fmt.Errorf("score of project %d by judge %d: %w", project, judge, err)
			}
			score = weigh(m)
			if len(weighed) < 1<<16 {
				weighed[string(criteria)] = score
			}
		}
		return fn(WeighedScore{Project: project, Unit: unit, Judge: judge, Score: score})
	})
}
