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
}

// levels are the units' levels, for the coverage picker.
var levels = []string{"city", "commune", "group"}

// coverage shows who still has no project: by cluster, and the list of the
// units without one in the chosen cluster and level.
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
	if v.Coverage, err = h.DB.Coverage(ctx, slug, store.CoverageFilter{Level: v.Level, Cluster: v.Cluster}); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "coverage", "", v)
}
