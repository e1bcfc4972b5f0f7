package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// JudgeScore is one judge's score of one project as the scoring reads it.
// Scores with the same marks share their Criteria map: treat it as read-only.
type JudgeScore struct {
	Project  int64
	Unit     int64 // the project's unit id
	Judge    int64 // the judge's user id
	Criteria map[string]float64
}

// judgeScoresSQL reads a campaign's scores that count: of projects in
// competition, by judges free of conflict with them (the write paths
// already refuse conflicted scores; this keeps the results right even if
// the hierarchy changes afterwards).
var judgeScoresSQL = conflictsCTE + `
SELECT s.project_id, p.unit_id, s.user_id, s.criteria
FROM judge_scores s
JOIN projects p ON p.id = s.project_id
WHERE p.campaign_id = @campaign AND ` + activeProject + `
AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.user_id = s.user_id AND c.project_id = s.project_id)`

// JudgeScores reads every score of the campaign that counts, set-based, in
// no particular order.
func (db *DB) JudgeScores(ctx context.Context, slug string) ([]JudgeScore, error) {
	var out []JudgeScore
	err := db.EachJudgeScore(ctx, slug, func(s JudgeScore) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// EachJudgeScore streams what JudgeScores reads to fn, in one query: a
// national round's million scores never sit in memory as rows.
func (db *DB) EachJudgeScore(ctx context.Context, slug string, fn func(JudgeScore) error) error {
	marks := newMarksReader()
	return db.eachJudgeMarks(ctx, slug, func(project, unit, judge int64, criteria []byte) error {
		m, err := marks.read(project, judge, criteria)
		if err != nil {
			return err
		}
		return fn(JudgeScore{Project: project, Unit: unit, Judge: judge, Criteria: m})
	})
}

// eachJudgeMarks streams what JudgeScores reads with the marks undecoded:
// criteria is JSON text that fn must not keep.
func (db *DB) eachJudgeMarks(ctx context.Context, slug string, fn func(project, unit, judge int64, criteria []byte) error) error {
	q := db.gorm.WithContext(ctx)
	cid, err := campaignID(q, slug)
	if err != nil {
		return err
	}
	if db.dialect == Postgres {
		return db.eachJudgeMarksPgx(ctx, cid, fn)
	}
	return eachJudgeMarks(q, cid, fn)
}

func eachJudgeScore(tx *gorm.DB, cid int64, fn func(JudgeScore) error) error {
	marks := newMarksReader()
	return eachJudgeMarks(tx, cid, func(project, unit, judge int64, criteria []byte) error {
		m, err := marks.read(project, judge, criteria)
		if err != nil {
			return err
		}
		return fn(JudgeScore{Project: project, Unit: unit, Judge: judge, Criteria: m})
	})
}

func eachJudgeMarks(tx *gorm.DB, cid int64, fn func(project, unit, judge int64, criteria []byte) error) error {
	rows, err := tx.Raw(judgeScoresSQL, campaignArgs(cid)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		project  int64
		unit     int64
		judge    int64
		criteria sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&project, &unit, &judge, &criteria); err != nil {
			return err
		}
		if err := fn(project, unit, judge, criteria); err != nil {
			return err
		}
	}
	return rows.Err()
}

// marksReader decodes the marks of a million scores as they stream in,
// each distinct set once — judges give whole marks, so few sets repeat a
// lot — sharing its map between the scores.
type marksReader struct {
	keys    map[string]string
	decoded map[string]map[string]float64
}

func newMarksReader() *marksReader {
	return &marksReader{keys: map[string]string{}, decoded: map[string]map[string]float64{}}
}

// read decodes the marks (JSON text) of a project's score by judge;
// criteria may be reused by the caller afterwards.
func (r *marksReader) read(project, judge int64, criteria []byte) (map[string]float64, error) {
	if m, ok := r.decoded[string(criteria)]; ok {
		return m, nil
	}
	m, err := decodeCriteria(criteria, r.keys)
	if err != nil {
		return nil, fmt.Errorf("score of project %d by judge %d: %w", project, judge, err)
	}
	if len(r.decoded) < 1<<16 {
		r.decoded[string(criteria)] = m
	}
	return m, nil
}

func intern(m map[string]string, b []byte) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	m[s] = s
	return s
}

// decodeCriteria reads a flat JSON object of numbers, such as
// {"innovation": 8, "effectiveness": 7.5}, interning its keys. It is the
// hot loop of reading a million scores, so the usual shape is parsed by
// hand; anything else (escapes, nesting) goes through encoding/json.
func decodeCriteria(b []byte, keys map[string]string) (map[string]float64, error) {
	m := make(map[string]float64, 4)
	i := skipSpace(b, 0)
	if i == len(b) || b[i] != '{' {
		return slowCriteria(b)
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return m, nil
	}
	for i < len(b) {
		if b[i] != '"' {
			return slowCriteria(b)
		}
		start := i + 1
		end := start
		for end < len(b) && b[end] != '"' && b[end] != '\\' {
			end++
		}
		if end == len(b) || b[end] == '\\' {
			return slowCriteria(b)
		}
		key := intern(keys, b[start:end])
		i = skipSpace(b, end+1)
		if i == len(b) || b[i] != ':' {
			return slowCriteria(b)
		}
		i = skipSpace(b, i+1)
		start = i
		for i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == '-' || b[i] == '+' || b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
			i++
		}
		v, err := strconv.ParseFloat(string(b[start:i]), 64)
		if err != nil {
			return slowCriteria(b)
		}
		m[key] = v
		i = skipSpace(b, i)
		if i == len(b) {
			break
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			if skipSpace(b, i+1) != len(b) {
				return slowCriteria(b)
			}
			return m, nil
		default:
			return slowCriteria(b)
		}
	}
	return slowCriteria(b)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func slowCriteria(b []byte) (map[string]float64, error) {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]float64{}
	}
	return m, nil
}

// ProjectJudging is a project's state in its committee's overview.
type ProjectJudging struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Unit     string `json:"unit"`
	UnitName string `json:"unit_name"`
	Status   string `json:"status"`
	Assigned int    `json:"assigned"`
	Scores   int    `json:"scores"`
}

// JudgingOverview is a campaign's judging round at one moment: for the
// committee chair.
type JudgingOverview struct {
	Lock     *JudgingLock
	Projects []ProjectJudging // in competition, by id
	Judges   []Judge          // by username
	Scores   []JudgeScore     // those that count, as JudgeScores
}

// JudgingOverview reads the campaign's judging round consistently, one
// query per kind of row.
func (db *DB) JudgingOverview(ctx context.Context, slug string) (*JudgingOverview, error) {
	var o JudgingOverview
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		var locks []JudgingLock
		if err := tx.Where("campaign_id = ?", cid).Find(&locks).Error; err != nil {
			return err
		}
		if len(locks) > 0 {
			o.Lock = &locks[0]
		}
		err = tx.Table("projects p").
			Select(`p.id, p.title, u.code AS unit, u.name AS unit_name, p.status,
				(SELECT COUNT(*) FROM judge_assignments a WHERE a.project_id = p.id) AS assigned,
				(SELECT COUNT(*) FROM judge_scores s WHERE s.project_id = p.id) AS scores`).
			Joins("JOIN units u ON u.id = p.unit_id").
			Where("p.campaign_id = ? AND "+activeProject, cid).Order("p.id").Scan(&o.Projects).Error
		if err != nil {
			return err
		}
		if o.Judges, err = committee(tx, cid, "", Page{}); err != nil {
			return err
		}
		return eachJudgeScore(tx, cid, func(s JudgeScore) error {
			o.Scores = append(o.Scores, s)
			return nil
		})
	})
	return &o, err
}
