package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type adminView struct {
	page
	Campaigns []store.Campaign
}

// admin is the organiser's hub: every campaign with its screens.
func (h *pages) admin(c *fiber.Ctx) error {
	if _, err := requireAdmin(c); err != nil {
		return err
	}
	camps, _, err := h.DB.Campaigns(c.UserContext(), store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin", "", adminView{page: h.base(c, text(langOf(c), "admin.heading")), Campaigns: camps})
}

type campaignFormView struct {
	page
	Slug, Name, StartsOn, EndsOn string
	Errors                       formErrors
}

func (h *pages) campaignForm(c *fiber.Ctx) error {
	if _, err := requireAdmin(c); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_campaign", "", campaignFormView{page: h.base(c, text(langOf(c), "admin.new_campaign"))})
}

// campaignCreate opens a campaign for every unit.
func (h *pages) campaignCreate(c *fiber.Ctx) error {
	if _, err := requireAdmin(c); err != nil {
		return err
	}
	v := campaignFormView{page: h.base(c, text(langOf(c), "admin.new_campaign"))}
	ck := &check{lang: v.Lang}
	v.Slug = ck.text(c, "slug", true, 64)
	if v.Slug != "" && !store.ValidSlug(v.Slug) {
		ck.fail("slug", "form.slug")
	}
	v.Name = ck.text(c, "name", true, 300)
	var starts, ends store.Date
	v.StartsOn, starts = ck.date(c, "starts_on")
	v.EndsOn, ends = ck.date(c, "ends_on")
	if v.StartsOn == "" {
		ck.fail("starts_on", "form.required")
	}
	if v.EndsOn == "" {
		ck.fail("ends_on", "form.required")
	}
	if len(ck.errors) == 0 && ends.Before(starts.Time) {
		ck.fail("ends_on", "form.ends_before_starts")
	}
	if len(ck.errors) == 0 {
		_, err := h.DB.CreateCampaign(c.UserContext(), store.NewCampaign{Slug: v.Slug, Name: v.Name, StartsOn: starts, EndsOn: ends, AllUnits: true})
		if err = ck.storeProblem(err, map[string]string{"slug": "slug", "name": "name", "starts_on": "starts_on", "ends_on": "ends_on"}); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, fiber.StatusUnprocessableEntity, "admin_campaign", "", v)
	}
	return c.Redirect("/admin/c/"+v.Slug+"/indicators", fiber.StatusSeeOther)
}

type indicatorsView struct {
	page
	Campaign                 *store.Campaign
	Indicators               []store.Indicator
	Key, Title, Unit, Target string
	Units                    []string
	Errors                   formErrors
}

// indicatorUnits are the kinds of indicator values.
var indicatorUnits = []string{"percent", "count"}

func (h *pages) indicatorsForm(c *fiber.Ctx) error {
	v, err := h.indicatorsPage(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_indicators", "", v)
}

// indicatorAdd adds an indicator with the city's target; a percentage is
// typed from 0 to 100.
func (h *pages) indicatorAdd(c *fiber.Ctx) error {
	v, err := h.indicatorsPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	v.Key = ck.text(c, "key", true, 64)
	if v.Key != "" && !store.ValidKey(v.Key) {
		ck.fail("key", "form.key")
	}
	v.Title = ck.text(c, "title", true, 300)
	v.Unit = c.FormValue("unit")
	if !slices.Contains(indicatorUnits, v.Unit) {
		ck.fail("unit", "form.choose")
	}
	raw, target, ok := ck.number(c, "target")
	v.Target = raw
	switch {
	case raw == "":
		ck.fail("target", "form.required")
	case ok && v.Unit == "percent" && target > 100:
		ck.fail("target", "form.percent")
	case ok && v.Unit == "percent":
		target /= 100
	}
	if len(ck.errors) == 0 {
		_, err := h.DB.CreateIndicator(c.UserContext(), v.Campaign.Slug, store.Indicator{Key: v.Key, Title: v.Title, Unit: v.Unit, Target: target})
		if err = ck.storeProblem(err, map[string]string{"key": "key", "title": "title", "unit": "unit", "target": "target"}); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, fiber.StatusUnprocessableEntity, "admin_indicators", "", v)
	}
	return c.Redirect("/admin/c/"+v.Campaign.Slug+"/indicators", fiber.StatusSeeOther)
}

func (h *pages) indicatorsPage(c *fiber.Ctx) (*indicatorsView, error) {
	if _, err := requireAdmin(c); err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	camp, err := h.DB.CampaignBySlug(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := &indicatorsView{page: h.base(c, text(langOf(c), "admin.indicators")+" · "+camp.Name), Campaign: camp, Units: indicatorUnits}
	if v.Indicators, err = h.DB.Indicators(ctx, camp.Slug); err != nil {
		return nil, err
	}
	return v, nil
}
