package store

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"github.com/thidua/thidua/app/natural"
)

// Coverage is the movement's core requirement: which participating units
// have at least one project (registered or further, not rejected or
// withdrawn), and which have none yet.
type Coverage struct {
	Units       int               `json:"units"`
	WithProject int               `json:"with_project"`
	Without     int               `json:"without_project"`
	Share       float64           `json:"share"` // WithProject / Units, 0..1
	Clusters    []ClusterCoverage `json:"clusters"`
	// UnitsWithout and UnitsWith are one page of the units, by code: the
	// counts and clusters above are of every unit.
	UnitsWithout []CoverageUnit `json:"units_without"`
	UnitsWith    []CoverageUnit `json:"units_with"`
	// NextCursor is the cursor of the next page of units, null on the last.
	NextCursor *string `json:"next_cursor"`
	// PrevCursor is the cursor of the page before ("" on the first), to
	// ask for with Before.
	PrevCursor string `json:"-"`
}

// ClusterCoverage is the coverage inside one cluster.
type ClusterCoverage struct {
	Cluster     string `json:"cluster"`
	Name        string `json:"name"`
	Units       int    `json:"units"`
	WithProject int    `json:"with_project"`
}

// CoverageUnit is a participating unit and how many live projects it has.
type CoverageUnit struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Level    string `json:"level"`
	Kind     string `json:"kind"`
	Projects int    `json:"projects"`
}

// CoverageFilter narrows coverage to a level or a cluster.
type CoverageFilter struct {
	Level   string
	Cluster string
	// Totals asks for the counts and share only: no unit lists and no
	// clusters, one counting query (what a summary card shows).
	Totals bool
	// Without lists only the units without a project.
	Without bool
	// Page is the page of the units listed, by code; with Before, the page
	// that ends before the cursor (a PrevCursor).
	Page   Page
	Before bool
}

// Coverage computes a campaign's coverage with three set-based queries
// (counts, a page of units, clusters), or one for totals.
func (db *DB) Coverage(ctx context.Context, slug string, f CoverageFilter) (*Coverage, error) {
	out := &Coverage{Clusters: []ClusterCoverage{}, UnitsWith: []CoverageUnit{}, UnitsWithout: []CoverageUnit{}}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		counts := `SELECT unit_id, COUNT(*) AS n FROM projects
			WHERE campaign_id = ? AND status NOT IN ('rejected', 'withdrawn') GROUP BY unit_id`
		q := tx.Table("campaign_units cu").
			Select("u.code, u.name, u.level, u.kind, COALESCE(pc.n, 0) AS projects").
			Joins("JOIN units u ON u.id = cu.unit_id").
			Joins("LEFT JOIN ("+counts+") pc ON pc.unit_id = cu.unit_id", cid).
			Where("cu.campaign_id = ?", cid)
		if f.Level != "" {
			q = q.Where("u.level = ?", f.Level)
		}
		if f.Cluster != "" {
			q = q.Where("u.id IN (SELECT unit_id FROM unit_clusters WHERE cluster = ?)", f.Cluster)
		}
		q = q.Session(&gorm.Session{}) // counted, then listed
		var n struct{ Units, WithProject int }
		if err := q.Select("COUNT(*) AS units, COUNT(pc.n) AS with_project").Scan(&n).Error; err != nil {
			return err
		}
		out.Units, out.WithProject, out.Without = n.Units, n.WithProject, n.Units-n.WithProject
		if n.Units > 0 {
			out.Share = float64(n.WithProject) / float64(n.Units)
		}
		if f.Totals {
			return nil
		}
		if err := coverageUnits(q, f, out); err != nil {
			return err
		}
		cq := tx.Table("campaign_units cu").
			Select(`uc.cluster, cl.name, COUNT(*) AS units, SUM(CASE WHEN pc.n > 0 THEN 1 ELSE 0 END) AS with_project`).
			Joins("JOIN unit_clusters uc ON uc.unit_id = cu.unit_id").
			Joins("JOIN clusters cl ON cl.code = uc.cluster").
			Joins("JOIN units u ON u.id = cu.unit_id").
			Joins("LEFT JOIN ("+counts+") pc ON pc.unit_id = cu.unit_id", cid).
			Where("cu.campaign_id = ?", cid)
		if f.Level != "" {
			cq = cq.Where("u.level = ?", f.Level)
		}
		if f.Cluster != "" {
			cq = cq.Where("uc.cluster = ?", f.Cluster)
		}
		if err := cq.Group("uc.cluster, cl.name").Order("uc.cluster").Scan(&out.Clusters).Error; err != nil {
			return err
		}
		slices.SortStableFunc(out.Clusters, func(a, b ClusterCoverage) int { return natural.Compare(a.Name, b.Name) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// coverageUnits reads one page of the units of q into out, by code.
func coverageUnits(q *gorm.DB, f CoverageFilter, out *Coverage) error {
	var after string
	if err := f.Page.decode(&after); err != nil {
		return err
	}
	if f.Without {
		q = q.Where("pc.n IS NULL")
	}
	limit := f.Page.limit()
	switch {
	case f.Before && after != "":
		q = q.Where("u.code < ?", after).Order("u.code DESC")
	case after != "":
		q = q.Where("u.code > ?", after).Order("u.code")
	default:
		q = q.Order("u.code")
	}
	var units []CoverageUnit
	if err := q.Limit(limit + 1).Scan(&units).Error; err != nil {
		return err
	}
	more := len(units) > limit
	units = units[:min(len(units), limit)]
	if f.Before && after != "" {
		slices.Reverse(units)
	}
	if len(units) > 0 {
		first, last := encodeCursor(units[0].Code), encodeCursor(units[len(units)-1].Code)
		switch {
		case f.Before && after != "": // the page after this one holds the cursor's unit
			out.NextCursor = &last
			if more {
				out.PrevCursor = first
			}
		default:
			if more {
				out.NextCursor = &last
			}
			if after != "" {
				out.PrevCursor = first
			}
		}
	}
	for _, u := range units {
		if u.Projects > 0 {
			out.UnitsWith = append(out.UnitsWith, u)
		} else {
			out.UnitsWithout = append(out.UnitsWithout, u)
		}
	}
	return nil
}
