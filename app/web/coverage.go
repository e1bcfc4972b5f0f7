package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type coverageView struct {
	page
	Campaign *store.Campaign
	Coverage *store.Coverage
	Clusters []store.Cluster // every cluster, for the picker
	Cluster  string          // the chosen one, or "" for all
	Level    string
	Levels   []string
	// Next and Prev are the cursors of the pages of units after and before
	// this one ("" for none).
	Next, Prev string
}

// coverageRows are the units listed on one page of the coverage.
const coverageRows = 100

// levels are the units' levels, for the coverage picker.
var levels = []string{"city", "commune", "group"}

// coverage shows who still has no project: by cluster, and the list of the
// units without one in the chosen cluster and level, a page at a time.
func (h *pages) coverage(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	v := coverageView{page: h.campaignBase(c, text(langOf(c), "coverage.title")+" · "+camp.Name, camp), Campaign: camp,
		Cluster: c.Query("cluster"), Level: c.Query("level"), Levels: levels}
	if v.Level != "" && !slices.Contains(levels, v.Level) {
		v.Level = ""
	}
	if v.Clusters, err = h.DB.Clusters(ctx); err != nil {
		return err
	}
	if !slices.ContainsFunc(v.Clusters, func(cl store.Cluster) bool { return cl.Code == v.Cluster }) {
		v.Cluster = ""
	}
	f := store.CoverageFilter{Level: v.Level, Cluster: v.Cluster, Without: true, Page: store.Page{Limit: coverageRows, Cursor: c.Query("cursor")}}
	if before := c.Query("before"); before != "" {
		f.Page.Cursor, f.Before = before, true
	}
	if v.Coverage, err = h.DB.Coverage(ctx, slug, f); err != nil {
		return err
	}
	if v.Coverage.NextCursor != nil {
		v.Next = *v.Coverage.NextCursor
	}
	v.Prev = v.Coverage.PrevCursor
	return h.render(c, fiber.StatusOK, "coverage", "", v)
}
