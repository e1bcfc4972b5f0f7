package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// campaignCard is a campaign with its headline figures.
type campaignCard struct {
	store.Campaign
	Coverage *store.Coverage
	LastRun  *store.Run // nil before the first run
}

type homeView struct {
	page
	Campaigns []campaignCard
}

// home lists the campaigns with their participating units, the share of
// them with at least one project, and their last run.
func (h *pages) home(c *fiber.Ctx) error {
	ctx := c.UserContext()
	camps, _, err := h.DB.Campaigns(ctx, store.CampaignFilter{Page: store.Page{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	v := homeView{page: h.base(c, text(langOf(c), "home.title")), Campaigns: make([]campaignCard, len(camps))}
	for i, camp := range camps {
		cov, err := h.DB.Coverage(ctx, camp.Slug, store.CoverageFilter{Totals: true})
		if err != nil {
			return err
		}
		lb, err := h.Platform.Leaderboard(ctx, camp.Slug, "")
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		v.Campaigns[i] = campaignCard{Campaign: camp, Coverage: cov}
		if lb != nil {
			v.Campaigns[i].LastRun = lb.Run
		}
	}
	if len(camps) > 0 {
		v.Image = h.boardImageURL(c, camps[0].Slug) // the newest campaign's board
	}
	return h.render(c, fiber.StatusOK, "home", "", v)
}
