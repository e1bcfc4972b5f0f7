package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// meUnits is how many of the units an officer acts for the page lists.
const meUnits = 100

type meView struct {
	page
	Unit      *store.UnitDetail // the user's unit
	Units     []store.Unit      // the units an officer acts for: its own, and with scope subtree those below it
	Campaigns []store.Campaign
	Admin     bool // the user may open the organisers' screens
	Judge     bool
}

// me is the signed-in user's starting point: their unit and what they can
// do in each campaign.
func (h *pages) me(c *fiber.Ctx) error {
	a := actorOf(c)
	if err := policy.SignedIn(a); err != nil {
		return err
	}
	ctx := c.UserContext()
	v := meView{page: h.base(c, text(langOf(c), "me.title")), Admin: policy.Administer(a) == nil, Judge: policy.Score(a) == nil}
	var err error
	if a.Unit != "" {
		if v.Unit, err = h.DB.UnitByCode(ctx, a.Unit); err != nil {
			return err
		}
	}
	if a.Role == policy.Officer {
		if v.Units, _, err = h.Platform.UnitsActedFor(ctx, meUnits); err != nil {
			return err
		}
	}
	if v.Campaigns, _, err = h.DB.Campaigns(ctx, store.CampaignFilter{Page: store.Page{Limit: store.MaxLimit}}); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "me", "", v)
}
