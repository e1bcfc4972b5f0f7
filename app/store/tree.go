package store

import (
	"context"
	"slices"
)

// The unit tree: units never move (a unit's parent is set when it is
// created and never changes), so a unit's place, once read, stays true.

// subtreeOfID and subtreeOfCode select, as the table down(id), a unit (by
// the query's first parameter) and every unit below it.
const (
	subtreeOfID = `WITH RECURSIVE down (id) AS (
		SELECT id FROM units WHERE id = ?
		UNION ALL
		SELECT u.id FROM units u JOIN down ON u.parent_id = down.id)`
	subtreeOfCode = `WITH RECURSIVE down (id) AS (
		SELECT id FROM units WHERE code = ?
		UNION ALL
		SELECT u.id FROM units u JOIN down ON u.parent_id = down.id)`
)

// UnitPaths returns, for each of the codes that names a unit, the codes
// from the root of the unit tree down to that unit. Unknown codes are left
// out.
func (db *DB) UnitPaths(ctx context.Context, codes []string) (map[string][]string, error) {
	out := make(map[string][]string, len(codes))
	for chunk := range slices.Chunk(uniqueSorted(codes), 500) {
		var rows []struct {
			Start string
			Code  string
			Depth int
		}
		err := db.gorm.WithContext(ctx).Raw(`
			WITH RECURSIVE up (start, id, parent_id, depth) AS (
				SELECT code, id, parent_id, 0 FROM units WHERE code IN ?
				UNION ALL
				SELECT up.start, u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id
			)
			SELECT up.start, u.code, up.depth FROM up JOIN units u ON u.id = up.id
			ORDER BY up.start, up.depth DESC`, chunk).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Start] = append(out[r.Start], r.Code)
		}
	}
	return out, nil
}

// Roots lists the units without a parent.
func (db *DB) Roots(ctx context.Context) ([]UnitRef, error) {
	var out []UnitRef
	err := db.gorm.WithContext(ctx).Model(&Unit{}).Where("parent_id IS NULL").Order("code").Find(&out).Error
	return out, err
}

// Levels lists the levels of the units in the subtree of a unit ("" for
// every unit), in the order of the tree: the levels nearer the root first.
func (db *DB) Levels(ctx context.Context, within string) ([]string, error) {
	q := db.gorm.WithContext(ctx).Table("units u").Select("u.level, MIN(u.id) AS first").Group("u.level").Order("first")
	if within != "" {
		q = q.Where("u.id IN ("+subtreeOfCode+" SELECT id FROM down)", within)
	}
	var rows []struct {
		Level string
		First int64
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Level
	}
	return out, nil
}
