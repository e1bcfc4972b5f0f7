package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// adminRunRows is how many runs the runs screen lists.
const adminRunRows = 30

type runsView struct {
	page
	Campaign *store.Campaign
	Runs     []store.Run
	Closed   []string
	// The close form as typed: its period, whether early and why.
	Period, Reason string
	Early          bool
	Done           *store.Run
	// CanReopen: the viewer may reopen a closed period (the admin);
	// Reopened is the closing run a reopening just superseded.
	CanReopen bool
	Reopened  *store.Run
	Errors    formErrors
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
// confirmation typed, closes a period (a final run that grants honours); a
// period that has not ended, only when ticked early, with a reason.
func (h *pages) runCreate(c *fiber.Ctx) error {
	v, err := h.runsPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	closing := c.FormValue("action") == "close"
	if closing {
		v.Period = strings.TrimSpace(c.FormValue("period"))
		v.Early, v.Reason = c.FormValue("early") != "", strings.TrimSpace(c.FormValue("reason"))
		switch {
		case v.Period == "":
			ck.fail("period", "form.required")
		case strings.TrimSpace(c.FormValue("confirm")) != v.Period:
			ck.fail("confirm", "admin.close_confirm_missing")
		}
	}
	if len(ck.errors) == 0 {
		run, err := h.Platform.Run(c.UserContext(), v.Campaign.Slug, platform.RunRequest{Period: v.Period, Close: closing,
			Early: v.Early, Reason: v.Reason})
		if err = ck.refused(err, nil); err != nil {
			return err
		}
		v.Done = run
	}
	return h.runsDone(c, v, ck, fiber.StatusCreated)
}

// periodReopen reopens a closed period, for the reason typed (the admin).
func (h *pages) periodReopen(c *fiber.Ctx) error {
	v, err := h.runsPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	period := strings.TrimSpace(c.FormValue("reopen_period"))
	run, err := h.Platform.ReopenPeriod(c.UserContext(), v.Campaign.Slug, period,
		platform.Reopening{Reason: strings.TrimSpace(c.FormValue("reopen_reason"))})
	if err = ck.refused(err, map[string]string{"period": "reopen_period", "reason": "reopen_reason"}); err != nil {
		return err
	}
	v.Reopened = run
	return h.runsDone(c, v, ck, fiber.StatusOK)
}

// runsDone shows the runs screen after a form: its problems, or the
// history as it is now.
func (h *pages) runsDone(c *fiber.Ctx, v *runsView, ck *check, ok int) error {
	v.Errors = ck.errors
	status := ok
	if len(ck.errors) > 0 {
		status = ck.status()
	}
	var err error
	if v.Runs, _, err = h.DB.Runs(c.UserContext(), v.Campaign.Slug, store.Page{Limit: adminRunRows}); err != nil {
		return err
	}
	if v.Closed, err = h.DB.ClosedPeriods(c.UserContext(), v.Campaign.Slug); err != nil {
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
	v := &runsView{page: h.campaignBase(c, text(langOf(c), "admin.runs")+" · "+camp.Name, camp), Campaign: camp,
		CanReopen: policy.ReopenPeriod(actorOf(c)) == nil}
	if v.Runs, _, err = h.DB.Runs(ctx, camp.Slug, store.Page{Limit: adminRunRows}); err != nil {
		return nil, err
	}
	if v.Closed, err = h.DB.ClosedPeriods(ctx, camp.Slug); err != nil {
		return nil, err
	}
	return v, nil
}
