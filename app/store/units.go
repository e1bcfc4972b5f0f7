package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/thidua/thidua/app/natural"
)

// Unit is an organisation that takes part in campaigns: a Front committee, a
// member organisation, a residential group… Code is its stable id.
type Unit struct {
	ID        int64     `json:"-"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Search    string    `json:"-"`
	Level     string    `json:"level"`
	Kind      string    `json:"kind"`
	ParentID  *int64    `json:"-"`
	Parent    string    `json:"parent" gorm:"->;-:migration"`
	Clusters  []string  `json:"clusters" gorm:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UnitRef names a unit briefly.
type UnitRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
	Kind  string `json:"kind"`
}

// UnitDetail is a unit with its place in the hierarchy.
type UnitDetail struct {
	Unit
	Ancestors []UnitRef `json:"ancestors"` // from the root down to the parent
	Children  []UnitRef `json:"children"`
}

// Cluster is an emulation cluster (cụm/khối thi đua): comparable units that
// are ranked together.
type Cluster struct {
	Code      string    `json:"code" gorm:"primaryKey"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"-"`
}

type unitCluster struct {
	UnitID  int64
	Cluster string
}

func (unitCluster) TableName() string { return "unit_clusters" }

// NewUnit is what creating a unit takes.
type NewUnit struct {
	Code     string
	Name     string
	Level    string
	Kind     string
	Parent   string
	Clusters []string
}

// CreateUnit creates a unit. Its clusters are created when new. A new unit
// joins every campaign open to all units.
func (db *DB) CreateUnit(ctx context.Context, n NewUnit) (*Unit, error) {
	var u *Unit
	err := db.tx(ctx, func(tx *gorm.DB) error {
		units, err := db.createUnits(ctx, tx, []NewUnit{n}, nil)
		if err != nil {
			return err
		}
		u = units[0]
		return nil
	})
	return u, err
}

// ImportError is a problem with one line of an import.
type ImportError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`

	format string // Message's format and arguments, for Text
	args   []any
}

func importError(line int, field, format string, args ...any) ImportError {
	return ImportError{Line: line, Field: field, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// Text is the message in a language, as Error.Text gives it.
func (e ImportError) Text(lang string) string {
	return (&Error{Detail: e.Message, format: e.format, args: e.args}).Text(lang)
}

// ImportUnits creates all the units or none. lines[i] is the source line of
// units[i], for errors. Parents may be earlier in the same import or exist
// already. On invalid input the error is *ImportErrors.
func (db *DB) ImportUnits(ctx context.Context, units []NewUnit, lines []int) (int, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		_, err := db.createUnits(ctx, tx, units, lines)
		return err
	})
	return len(units), err
}

// ImportErrors lists every bad line of an import.
type ImportErrors []ImportError

func (e ImportErrors) Error() string { return "import refused: some lines are invalid" }

// Unwrap makes an import failure ErrInvalid.
func (e ImportErrors) Unwrap() error { return ErrInvalid }

// CheckImport finds what would refuse an import — codes taken or repeated,
// unknown parents — without writing anything.
func (db *DB) CheckImport(ctx context.Context, units []NewUnit, lines []int) (ImportErrors, error) {
	_, problems, err := checkUnits(db.gorm.WithContext(ctx), units, lines)
	return problems, err
}

// checkUnits resolves every code the units refer to with one query per
// chunk and lists the problems.
func checkUnits(tx *gorm.DB, in []NewUnit, lines []int) (map[string]int64, ImportErrors, error) {
	lineOf := func(i int) int {
		if lines == nil {
			return 0
		}
		return lines[i]
	}
	codes := make([]string, 0, 2*len(in))
	for _, n := range in {
		codes = append(codes, n.Code)
		if n.Parent != "" {
			codes = append(codes, n.Parent)
		}
	}
	known := map[string]int64{}
	for chunk := range slices.Chunk(codes, 500) {
		var rows []Unit
		if err := tx.Select("id", "code").Where("code IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			known[r.Code] = r.ID
		}
	}
	var problems ImportErrors
	seen := map[string]int{}
	for i, n := range in {
		if _, dup := seen[n.Code]; dup {
			problems = append(problems, importError(lineOf(i), "code", "duplicate code in this import: %s", n.Code))
		} else if _, exists := known[n.Code]; exists {
			problems = append(problems, importError(lineOf(i), "code", "a unit with this code already exists: %s", n.Code))
		}
		seen[n.Code] = i
		if n.Parent == "" {
			continue
		}
		if j, ok := seen[n.Parent]; ok && j < i {
			continue
		}
		if _, ok := known[n.Parent]; !ok || n.Parent == n.Code {
			problems = append(problems, importError(lineOf(i), "parent", "unknown parent unit: %s", n.Parent))
		}
	}
	return known, problems, nil
}

func (db *DB) createUnits(ctx context.Context, tx *gorm.DB, in []NewUnit, lines []int) ([]*Unit, error) {
	if err := holdMembership(tx); err != nil {
		return nil, err
	}
	known, problems, err := checkUnits(tx, in, lines)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		if lines == nil {
			p := problems[0]
			kind := ErrInvalid
			if p.Field == "code" {
				kind = ErrConflict
			}
			return nil, NewError(kind, p.Field, p.format, p.args...)
		}
		return nil, problems
	}

	now := db.Now()
	units := make([]*Unit, len(in))
	var clusters []string
	for i, n := range in {
		units[i] = &Unit{
			Code: n.Code, Name: n.Name, Search: fold(n.Name + " " + n.Code),
			Level: n.Level, Kind: n.Kind, Parent: n.Parent,
			Clusters: uniqueSorted(n.Clusters), CreatedAt: now, UpdatedAt: now,
		}
		clusters = append(clusters, n.Clusters...)
	}
	if err := ensureClusters(tx, uniqueSorted(clusters), now); err != nil {
		return nil, err
	}
	// Parents first: insert in batches of units whose parents are known.
	pending := units
	for len(pending) > 0 {
		var ready, later []*Unit
		for _, u := range pending {
			if u.Parent == "" {
				ready = append(ready, u)
			} else if id, ok := known[u.Parent]; ok {
				u.ParentID = &id
				ready = append(ready, u)
			} else {
				later = append(later, u)
			}
		}
		if err := tx.Omit("Parent").CreateInBatches(ready, 500).Error; err != nil {
			return nil, err
		}
		for _, u := range ready {
			known[u.Code] = u.ID
		}
		pending = later
	}
	var links []unitCluster
	for _, u := range units {
		for _, c := range u.Clusters {
			links = append(links, unitCluster{UnitID: u.ID, Cluster: c})
		}
	}
	if len(links) > 0 {
		if err := tx.CreateInBatches(links, 1000).Error; err != nil {
			return nil, err
		}
	}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	// New units join the campaigns of every unit: the platform's, and those
	// organised by a unit above them.
	for chunk := range slices.Chunk(ids, 500) {
		if err := tx.Exec(`INSERT INTO campaign_units (campaign_id, unit_id)
			WITH RECURSIVE up (unit_id, id) AS (
				SELECT id, id FROM units WHERE id IN ?
				UNION ALL
				SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.id WHERE u.parent_id IS NOT NULL
			)
			SELECT c.id, up.unit_id FROM campaigns c JOIN up ON up.id = c.organiser_id WHERE c.all_units
			UNION
			SELECT c.id, u.id FROM campaigns c CROSS JOIN units u
			WHERE c.all_units AND c.organiser_id IS NULL AND u.id IN ?`, chunk, chunk).Error; err != nil {
			return nil, err
		}
	}
	if len(units) == 1 {
		return units, db.audit(ctx, tx, "create", "unit", units[0].Code, nil, units[0])
	}
	return units, db.audit(ctx, tx, "import", "unit", "", nil, map[string]any{"count": len(units), "codes": codesOf(units)})
}

func codesOf(units []*Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Code
	}
	return out
}

func ensureClusters(tx *gorm.DB, codes []string, now time.Time) error {
	if len(codes) == 0 {
		return nil
	}
	rows := make([]Cluster, len(codes))
	for i, c := range codes {
		rows[i] = Cluster{Code: c, Name: c, CreatedAt: now}
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 500).Error
}

// SaveClusters creates clusters or renames existing ones.
func (db *DB) SaveClusters(ctx context.Context, clusters []Cluster) error {
	now := db.Now()
	for i := range clusters {
		clusters[i].CreatedAt = now
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "code"}},
			DoUpdates: clause.AssignmentColumns([]string{"name"}),
		}).CreateInBatches(clusters, 500).Error
	})
}

// Clusters lists every cluster by name, as people read it ("Cụm 2" before
// "Cụm 10").
func (db *DB) Clusters(ctx context.Context) ([]Cluster, error) {
	var out []Cluster
	err := db.gorm.WithContext(ctx).Order("code").Find(&out).Error
	slices.SortStableFunc(out, func(a, b Cluster) int { return natural.Compare(a.Name, b.Name) })
	return out, err
}

// ClusterNames are the clusters' names by code.
func (db *DB) ClusterNames(ctx context.Context) (map[string]string, error) {
	var out []Cluster
	if err := db.gorm.WithContext(ctx).Find(&out).Error; err != nil {
		return nil, err
	}
	names := make(map[string]string, len(out))
	for _, c := range out {
		names[c.Code] = c.Name
	}
	return names, nil
}

func uniqueSorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// UnitFilter narrows a list of units.
type UnitFilter struct {
	Within  string // the unit of this code and every unit below it
	Parents bool   // only units with units below them
	Parent  string
	Level   string
	Kind    string
	Cluster string
	Q       string // accent-insensitive search in name and code
	Page
}

const unitColumns = `u.id, u.code, u.name, u.level, u.kind, u.parent_id, u.created_at, u.updated_at,
	COALESCE(p.code, '') AS parent`

// Units lists units by code.
func (db *DB) Units(ctx context.Context, f UnitFilter) ([]Unit, string, error) {
	q := db.gorm.WithContext(ctx).Table("units u").Select(unitColumns).
		Joins("LEFT JOIN units p ON p.id = u.parent_id")
	if f.Within != "" {
		q = q.Where("u.id IN ("+subtreeOfCode+" SELECT id FROM down)", f.Within)
	}
	if f.Parents {
		q = q.Where("u.id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL)")
	}
	if f.Parent != "" {
		q = q.Where("p.code = ?", f.Parent)
	}
	if f.Level != "" {
		q = q.Where("u.level = ?", f.Level)
	}
	if f.Kind != "" {
		q = q.Where("u.kind = ?", f.Kind)
	}
	if f.Cluster != "" {
		q = q.Where("u.id IN (SELECT unit_id FROM unit_clusters WHERE cluster = ?)", f.Cluster)
	}
	if s := fold(f.Q); s != "" {
		q = q.Where(`u.search LIKE ? ESCAPE '\'`, like(s))
	}
	var after string
	if err := f.decode(&after); err != nil {
		return nil, "", err
	}
	if after != "" {
		q = q.Where("u.code > ?", after)
	}
	var units []Unit
	if err := q.Order("u.code").Limit(f.limit() + 1).Scan(&units).Error; err != nil {
		return nil, "", err
	}
	units, next := paginate(units, f.limit(), func(u Unit) any { return u.Code })
	if err := db.loadClusters(ctx, units); err != nil {
		return nil, "", err
	}
	return units, next, nil
}

// loadClusters fills the clusters of units with one query.
func (db *DB) loadClusters(ctx context.Context, units []Unit) error {
	if len(units) == 0 {
		return nil
	}
	byID := make(map[int64]*Unit, len(units))
	ids := make([]int64, len(units))
	for i := range units {
		units[i].Clusters = []string{}
		byID[units[i].ID] = &units[i]
		ids[i] = units[i].ID
	}
	var links []unitCluster
	if err := db.gorm.WithContext(ctx).Where("unit_id IN ?", ids).Order("cluster").Find(&links).Error; err != nil {
		return err
	}
	for _, l := range links {
		u := byID[l.UnitID]
		u.Clusters = append(u.Clusters, l.Cluster)
	}
	return nil
}

// UnitByCode returns the unit with its ancestors and children.
func (db *DB) UnitByCode(ctx context.Context, code string) (*UnitDetail, error) {
	var units []Unit
	err := db.gorm.WithContext(ctx).Table("units u").Select(unitColumns).
		Joins("LEFT JOIN units p ON p.id = u.parent_id").Where("u.code = ?", code).Scan(&units).Error
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, notFound("no unit with code %q", code)
	}
	if err := db.loadClusters(ctx, units); err != nil {
		return nil, err
	}
	d := &UnitDetail{Unit: units[0], Ancestors: []UnitRef{}, Children: []UnitRef{}}
	if d.Ancestors, err = db.Ancestors(ctx, code); err != nil {
		return nil, err
	}
	err = db.gorm.WithContext(ctx).Model(&Unit{}).Where("parent_id = ?", d.ID).Order("code").Find(&d.Children).Error
	return d, err
}

// Ancestors lists the units above code, from the root down to its parent.
func (db *DB) Ancestors(ctx context.Context, code string) ([]UnitRef, error) {
	var rows []struct {
		UnitRef
		Depth int
	}
	err := db.gorm.WithContext(ctx).Raw(`
		WITH RECURSIVE up (id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM units WHERE code = ?
			UNION ALL
			SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id
		)
		SELECT u.code, u.name, u.level, u.kind, up.depth FROM up JOIN units u ON u.id = up.id
		WHERE up.depth > 0 ORDER BY up.depth DESC`, code).Scan(&rows).Error
	out := make([]UnitRef, len(rows))
	for i, r := range rows {
		out[i] = r.UnitRef
	}
	return out, err
}

// Subtree lists code and every unit below it, by code.
func (db *DB) Subtree(ctx context.Context, code string) ([]UnitRef, error) {
	var out []UnitRef
	err := db.gorm.WithContext(ctx).Raw(`
		WITH RECURSIVE down (id) AS (
			SELECT id FROM units WHERE code = ?
			UNION ALL
			SELECT u.id FROM units u JOIN down ON u.parent_id = down.id
		)
		SELECT u.code, u.name, u.level, u.kind FROM down JOIN units u ON u.id = down.id
		ORDER BY u.code`, code).Scan(&out).Error
	return out, err
}
