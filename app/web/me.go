package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type meView struct {
	page
	Unit      *store.UnitDetail // a unit officer's unit
	Campaigns []store.Campaign
	Admin     bool
}

// me is the signed-in user's starting point: their unit and what they can
// do in each campaign.
func (h *pages) me(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	v := meView{page: h.base(c, text(langOf(c), "me.title")), Admin: u.Role == store.RoleAdmin}
	if u.Role == store.RoleUnit {
		if v.Unit, err = h.DB.UnitByCode(ctx, u.Unit); err != nil {
			return err
		}
	}
	if v.Campaigns, _, err = h.DB.Campaigns(ctx, store.Page{Limit: store.MaxLimit}); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "me", "", v)
}
