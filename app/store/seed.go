package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/thidua/thidua/app/policy"
	"gorm.io/gorm"
)

// Seeding loads data that already has a past — the demo campaign, benchmark
// datasets — in bulk, keeping the times it carries. Each call is one
// transaction of batched inserts (no per-row queries) with one audit entry.

// SeedProject is a project with its whole history.
type SeedProject struct {
	Unit         string
	Title        string
	Summary      string
	Category     string
	Status       string
	RejectReason string
	StartsOn     Date
	EndsOn       Date
	CreatedAt    time.Time
	AdoptedFrom  int // index of an earlier project in the same call, or -1
	History      []StatusChange
	Progress     []ProgressNote
}

// SeedReport is a report submitted at a given time.
type SeedReport struct {
	Unit        string
	Period      ReportPeriod
	SubmittedAt time.Time
	Values      map[string]float64
	// Status is ReportSubmitted ("" too), ReportVerified or ReportReturned
	// (with Reason), decided at DecidedAt by the demo's verifier.
	Status    string
	Reason    string
	DecidedAt time.Time
}

// SeedCovenant is a covenant signed at a given time.
type SeedCovenant struct {
	Unit     string
	SignedAt time.Time
	Targets  map[string]float64
}

// unitIDs maps every unit code to its id.
func unitIDs(tx *gorm.DB) (map[string]int64, error) {
	var rows []Unit
	if err := tx.Select("id", "code").Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.Code] = r.ID
	}
	return m, nil
}

func indicatorsByKey(tx *gorm.DB, cid int64) (map[string]int64, error) {
	var inds []Indicator
	if err := tx.Select("id", "key").Where("campaign_id = ?", cid).Find(&inds).Error; err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(inds))
	for _, in := range inds {
		m[in.Key] = in.ID
	}
	return m, nil
}

func lookup(m map[string]int64, kind, key string) (int64, error) {
	id, ok := m[key]
	if !ok {
		return 0, invalid("", "unknown %s %q", kind, key)
	}
	return id, nil
}

// SeedProjects loads projects with their status history and progress notes
// and returns their ids in input order.
func (db *DB) SeedProjects(ctx context.Context, slug string, in []SeedProject) ([]int64, error) {
	ids := make([]int64, len(in))
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		units, err := unitIDs(tx)
		if err != nil {
			return err
		}
		rows := make([]*Project, len(in))
		for i, p := range in {
			uid, err := lookup(units, "unit", p.Unit)
			if err != nil {
				return err
			}
			if p.AdoptedFrom >= i {
				return invalid("", "project %d adopts a later project", i)
			}
			rows[i] = &Project{CampaignID: cid, UnitID: uid, Title: p.Title, Summary: p.Summary, Category: p.Category,
				Search: fold(p.Title + " " + p.Summary), StartsOn: p.StartsOn, EndsOn: p.EndsOn, Status: p.Status,
				RejectReason: p.RejectReason, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.CreatedAt.UTC()}
			if n := len(p.History); n > 0 {
				rows[i].UpdatedAt = p.History[n-1].At.UTC()
			}
		}
		// Adoptions point at earlier projects: insert in waves whose sources have ids.
		done := make([]bool, len(in))
		for remaining := len(in); remaining > 0; {
			var wave []*Project
			var idx []int
			for i, p := range in {
				if done[i] || (p.AdoptedFrom >= 0 && !done[p.AdoptedFrom]) {
					continue
				}
				if p.AdoptedFrom >= 0 {
					src := rows[p.AdoptedFrom].ID
					rows[i].AdoptedFrom = &src
				}
				wave, idx = append(wave, rows[i]), append(idx, i)
			}
			if err := tx.Omit("Campaign", "Unit", "UnitName", "Adoptions").CreateInBatches(wave, 500).Error; err != nil {
				return err
			}
			for _, i := range idx {
				done[i], ids[i] = true, rows[i].ID
			}
			remaining -= len(wave)
		}
		var history []StatusChange
		var notes []ProgressNote
		for i, p := range in {
			for _, h := range p.History {
				h.ProjectID, h.At = ids[i], h.At.UTC()
				history = append(history, h)
			}
			for _, n := range p.Progress {
				n.ProjectID, n.CreatedAt = ids[i], n.CreatedAt.UTC()
				notes = append(notes, n)
			}
		}
		if len(history) > 0 {
			if err := tx.CreateInBatches(history, 1000).Error; err != nil {
				return err
			}
		}
		if len(notes) > 0 {
			if err := tx.CreateInBatches(notes, 500).Error; err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "import", "project", slug, nil, map[string]int{"projects": len(in)})
	})
	return ids, err
}

// seedKeys resolves what seeded rows name: the campaign, every unit by
// code, and the campaign's indicators by key.
func seedKeys(tx *gorm.DB, slug string) (cid int64, units, inds map[string]int64, err error) {
	if cid, err = campaignID(tx, slug); err != nil {
		return 0, nil, nil, err
	}
	if units, err = unitIDs(tx); err != nil {
		return 0, nil, nil, err
	}
	inds, err = indicatorsByKey(tx, cid)
	return cid, units, inds, err
}

// SeedReports loads reports with their values.
func (db *DB) SeedReports(ctx context.Context, slug string, in []SeedReport) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		cid, units, inds, err := seedKeys(tx, slug)
		if err != nil {
			return err
		}
		for chunk := range slices.Chunk(in, 2000) {
			rows := make([]*Report, len(chunk))
			for i, r := range chunk {
				uid, err := lookup(units, "unit", r.Unit)
				if err != nil {
					return err
				}
				rows[i] = &Report{CampaignID: cid, UnitID: uid, Period: r.Period.Key, PeriodStart: r.Period.Start,
					PeriodEnd: r.Period.End, SubmittedAt: r.SubmittedAt.UTC(), UpdatedAt: r.SubmittedAt.UTC(), Status: r.Status, Reason: r.Reason}
				if r.Status == "" {
					rows[i].Status = ReportSubmitted
				}
				if r.Status == ReportVerified || r.Status == ReportReturned {
					at, by := r.DecidedAt.UTC(), "demo"
					rows[i].DecidedAt, rows[i].DecidedBy = &at, &by
					if r.Status == ReportVerified {
						rows[i].VerifiedAt = &at
					}
				}
			}
			if err := tx.CreateInBatches(rows, 500).Error; err != nil {
				return err
			}
			var vals []reportValue
			for i, r := range chunk {
				for k, v := range r.Values {
					iid, err := lookup(inds, "indicator", k)
					if err != nil {
						return err
					}
					rv := reportValue{ReportID: rows[i].ID, IndicatorID: iid, Value: v}
					if r.Status == ReportVerified {
						rv.VerifiedValue = &v
					}
					vals = append(vals, rv)
				}
			}
			if len(vals) > 0 {
				if err := tx.CreateInBatches(vals, 1000).Error; err != nil {
					return err
				}
			}
		}
		return db.audit(ctx, tx, "import", "report", slug, nil, map[string]int{"reports": len(in)})
	})
}

// SeedCovenants loads signed covenants.
func (db *DB) SeedCovenants(ctx context.Context, slug string, in []SeedCovenant) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		cid, units, inds, err := seedKeys(tx, slug)
		if err != nil {
			return err
		}
		var covs []covenantRow
		var targets []covenantTarget
		for _, c := range in {
			uid, err := lookup(units, "unit", c.Unit)
			if err != nil {
				return err
			}
			covs = append(covs, covenantRow{CampaignID: cid, UnitID: uid, SignedAt: c.SignedAt.UTC(), UpdatedAt: c.SignedAt.UTC()})
			for k, v := range c.Targets {
				iid, err := lookup(inds, "indicator", k)
				if err != nil {
					return err
				}
				targets = append(targets, covenantTarget{cid, uid, iid, v})
			}
		}
		if len(covs) > 0 {
			if err := tx.CreateInBatches(covs, 500).Error; err != nil {
				return err
			}
		}
		if len(targets) > 0 {
			if err := tx.CreateInBatches(targets, 1000).Error; err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "import", "covenant", slug, nil, map[string]int{"covenants": len(in)})
	})
}

// SeedUsers creates users whose passwords are already hashed.
func (db *DB) SeedUsers(ctx context.Context, in []NewUser) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		units, err := unitIDs(tx)
		if err != nil {
			return err
		}
		rows := make([]*User, len(in))
		for i, n := range in {
			rows[i] = &User{Username: n.Username, PasswordHash: n.PasswordHash, Role: n.Role, Scope: n.Scope, CreatedAt: db.Now()}
			if n.Scope == "" {
				rows[i].Scope = policy.Own
			}
			if n.Email != "" {
				rows[i].Email = &n.Email
			}
			if n.Unit != "" {
				uid, err := lookup(units, "unit", n.Unit)
				if err != nil {
					return err
				}
				rows[i].UnitID = &uid
			}
		}
		if err := tx.Omit("Unit").CreateInBatches(rows, 500).Error; err != nil {
			return fmt.Errorf("seed users: %w", translate(err))
		}
		return db.audit(ctx, tx, "import", "user", "", nil, map[string]int{"users": len(in)})
	})
}
