package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// adminRunRows is how many runs the runs screen lists.
const adminRunRows = 30

type runsView struct {
	page
	Campaign *store.Campaign
	Runs     []store.Run
	Closed   []string
	Period   string // typed into the close form
	Done     *store.Run
	Errors   formErrors
}

// runsForm lists the campaign's runs with the forms to score now and to
// close a period.
func (h *pages) runsForm(c *fiber.Ctx) error {
	v, err := h.runsPage(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_runs", "", v)
}

// runCreate scores the campaign now or, with action=close and the
// confirmation ticked, closes a period (a final run that grants honours).
func (h *pages) runCreate(c *fiber.Ctx) error {
	v, err := h.runsPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	closing := c.FormValue("action") == "close"
	if closing {
		v.Period = strings.TrimSpace(c.FormValue("period"))
		switch {
		case v.Period == "":
			ck.fail("period", "form.required")
		case strings.TrimSpace(c.FormValue("confirm")) != v.Period:
			ck.fail("confirm", "admin.close_confirm_missing")
		}
	}
	if len(ck.errors) == 0 {
		run, err := h.Platform.Run(c.UserContext(), v.Campaign.Slug, platform.RunRequest{Period: v.Period, Close: closing})
		if err = ck.refused(err, nil); err != nil {
			return err
		}
		v.Done = run
	}
	v.Errors = ck.errors
	status := fiber.StatusCreated
	if len(ck.errors) > 0 {
		status = ck.status()
	}
	if v.Runs, _, err = h.DB.Runs(c.UserContext(), v.Campaign.Slug, store.Page{Limit: adminRunRows}); err != nil {
		return err
	}
	return h.render(c, status, "admin_runs", "", v)
}

func (h *pages) runsPage(c *fiber.Ctx) (*runsView, error) {
	ctx := c.UserContext()
	camp, err := h.Platform.OrganisedCampaign(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := &runsView{page: h.campaignBase(c, text(langOf(c), "admin.runs")+" · "+camp.Name, camp), Campaign: camp}
	if v.Runs, _, err = h.DB.Runs(ctx, camp.Slug, store.Page{Limit: adminRunRows}); err != nil {
		return nil, err
	}
	if v.Closed, err = h.DB.ClosedPeriods(ctx, camp.Slug); err != nil {
		return nil, err
	}
	return v, nil
}
