package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// meUnits is how many of the units an officer acts for the page lists.
const meUnits = 100

type meView struct {
	page
	Unit      *store.UnitDetail // the user's unit
	Todo      *platform.Todo    // an officer's to-do list, campaign by campaign
	Campaigns []store.Campaign  // for a judge
	// Desks are the campaigns an organiser or the admin manages, with
	// their figures and queues; Totals adds the queues up.
	Desks  []platform.CampaignDesk
	Totals store.Desk
	Admin  bool // the user may open the organisers' screens
	Judge  bool
}

// me is the signed-in user's starting point: an officer's to-do list for
// its units in every campaign they take part in; an organiser's campaigns
// with their figures and queues; the way to a judge's queue.
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
	switch {
	case policy.WorksFor(a):
		if v.Todo, err = h.Platform.Todo(ctx, meUnits); err != nil {
			return err
		}
	case v.Admin:
		if v.Desks, err = h.Platform.ManagedDesks(ctx, store.Page{Limit: store.MaxLimit}); err != nil {
			return err
		}
		v.Totals = deskTotals(v.Desks)
	default:
		if v.Campaigns, _, err = h.DB.Campaigns(ctx, store.CampaignFilter{Page: store.Page{Limit: store.MaxLimit}}); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "me", "", v)
}

// dueBy is the last day on which a report is on time, from its deadline
// (the first instant it is late).
func dueBy(deadline time.Time) store.Date { return store.DateOf(deadline.AddDate(0, 0, -1)) }

// lastDay is the last day of a period, whose end is exclusive.
func lastDay(end time.Time) store.Date { return store.DateOf(end.AddDate(0, 0, -1)) }
