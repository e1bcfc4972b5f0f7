package store

import (
	"context"
	"slices"
)

// HonouredProject is a project named by honours (granted by decision with
// the project, see GrantHonour), with the honours' titles.
type HonouredProject struct {
	Project
	Honours []string `json:"honours"` // titles, the newest honour's first, each once
}

// HonouredFilter narrows a campaign's honoured projects as the gallery
// narrows its projects.
type HonouredFilter struct {
	Statuses []string // any of them; none for every status
	Category string
	Q        string // searched without accents, as in Projects
}

// HonouredProjects lists the campaign's projects named by an honour, the
// most recently honoured first, each with its honours' titles. It is one
// query over at most MaxLimit honours: honours naming a project are granted
// by hand, so a campaign has few.
func (db *DB) HonouredProjects(ctx context.Context, slug string, f HonouredFilter) ([]HonouredProject, error) {
	q := projectQuery(db.gorm.WithContext(ctx)).Select(projectColumns+", h.title AS honour").
		Joins("JOIN honours h ON h.project_id = p.id AND h.revoked_at IS NULL").Where("c.slug = ?", slug) // a revoked honour is no model to copy
	if len(f.Statuses) > 0 {
		q = q.Where("p.status IN ?", f.Statuses)
	}
	if f.Category != "" {
		q = q.Where("p.category = ?", f.Category)
	}
	if s := fold(f.Q); s != "" {
		q = q.Where(`(p.search LIKE ? ESCAPE '\' OR u.search LIKE ? ESCAPE '\')`, like(s), like(s))
	}
	var rows []struct {
		Project
		Honour string
	}
	if err := q.Order("h.id DESC").Limit(MaxLimit).Scan(&rows).Error; err != nil {
		return nil, err
	}
	var out []HonouredProject
	at := map[int64]int{} // project id → index in out
	for _, r := range rows {
		i, ok := at[r.ID]
		if !ok {
			i, at[r.ID] = len(out), len(out)
			out = append(out, HonouredProject{Project: r.Project})
		}
		if !slices.Contains(out[i].Honours, r.Honour) {
			out[i].Honours = append(out[i].Honours, r.Honour)
		}
	}
	return out, nil
}
