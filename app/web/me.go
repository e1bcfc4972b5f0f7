package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
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
	case a.Role == policy.Officer:
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

// periodName names a period, given by its key, in words: "Tháng
// 11/2026", "Quý IV/2026", "Tuần 49/2026"; a key it cannot read shows as
// itself.
func periodName(lang, key string) string {
	p, err := rules.ParsePeriod(key)
	if err != nil {
		return key
	}
	y, m, _ := p.Start.Date()
	switch p.Granularity {
	case rules.Week:
		wy, w := p.Start.ISOWeek()
		if lang == en {
			return fmt.Sprintf("Week %d of %d", w, wy)
		}
		return fmt.Sprintf("Tuần %d/%d", w, wy)
	case rules.Month:
		if lang == en {
			return fmt.Sprintf("%s %d", m, y)
		}
		return fmt.Sprintf("Tháng %d/%d", m, y)
	case rules.Quarter:
		q := (int(m)-1)/3 + 1
		if lang == en {
			return fmt.Sprintf("Q%d %d", q, y)
		}
		return fmt.Sprintf("Quý %s/%d", [...]string{"I", "II", "III", "IV"}[q-1], y)
	case rules.Half:
		h := (int(m)-1)/6 + 1
		if lang == en {
			return fmt.Sprintf("H%d %d", h, y)
		}
		return fmt.Sprintf("%s %d", [...]string{"6 tháng đầu năm", "6 tháng cuối năm"}[h-1], y)
	case rules.Year:
		if lang == en {
			return fmt.Sprintf("Year %d", y)
		}
		return fmt.Sprintf("Năm %d", y)
	}
	if lang == en {
		return "The whole campaign"
	}
	return "Cả phong trào"
}

// dueBy is the last day on which a report is on time, from its deadline
// (the first instant it is late).
func dueBy(deadline time.Time) store.Date { return store.DateOf(deadline.AddDate(0, 0, -1)) }

// lastDay is the last day of a period, whose end is exclusive.
func lastDay(end time.Time) store.Date { return store.DateOf(end.AddDate(0, 0, -1)) }
