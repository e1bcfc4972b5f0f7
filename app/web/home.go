package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// campaignCard is a campaign with its headline figures.
type campaignCard struct {
	store.Campaign
	Coverage *store.Coverage
}

type homeView struct {
	page
	Campaigns []campaignCard
}

// home lists the campaigns with their participating units and the share of
// them with at least one project.
func (h *pages) home(c *fiber.Ctx) error {
	ctx := c.UserContext()
	camps, _, err := h.DB.Campaigns(ctx, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	v := homeView{page: h.base(c, text(langOf(c), "home.title")), Campaigns: make([]campaignCard, len(camps))}
	for i, camp := range camps {
		cov, err := h.DB.Coverage(ctx, camp.Slug, store.CoverageFilter{})
		if err != nil {
			return err
		}
		v.Campaigns[i] = campaignCard{Campaign: camp, Coverage: cov}
	}
	return h.render(c, fiber.StatusOK, "home", "", v)
}

type campaignView struct {
	page
	Campaign   *store.Campaign
	Coverage   *store.Coverage
	Indicators []store.Indicator
	Q          string
	Units      []store.Unit // units matching Q
}

// campaign is a campaign's page: its figures, its indicators with the
// city's targets, a search for a unit, and where its ranking will be.
func (h *pages) campaign(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	v := campaignView{page: h.base(c, camp.Name), Campaign: camp, Q: c.Query("q")}
	if v.Coverage, err = h.DB.Coverage(ctx, slug, store.CoverageFilter{}); err != nil {
		return err
	}
	if v.Indicators, err = h.DB.Indicators(ctx, slug); err != nil {
		return err
	}
	if v.Q != "" {
		if v.Units, _, err = h.DB.Units(ctx, store.UnitFilter{Q: v.Q, Page: store.Page{Limit: 20}}); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "campaign", "", v)
}
