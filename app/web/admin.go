package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

type adminView struct {
	page
	Campaigns []platform.CampaignDesk
	// Totals add up the queues of every campaign.
	Totals store.Desk
	// Within is the unit whose subtree an organiser manages; nil for the
	// admin, who manages everything.
	Within *store.UnitDetail
}

// admin is the organisers' hub: the campaigns the visitor manages, each
// with its figures (units, with a project, coverage), its queues (reports
// to verify, assignments to score, runs failed) and its screens.
func (h *pages) admin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	camps, err := h.Platform.ManagedDesks(ctx, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	v := adminView{page: h.base(c, text(langOf(c), "admin.heading")), Campaigns: camps, Totals: deskTotals(camps)}
	if within, _ := policy.Manages(actorOf(c)); within != "" {
		if v.Within, err = h.DB.UnitByCode(ctx, within); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "admin", "", v)
}

// deskTotals adds up the queues of campaigns' desks.
func deskTotals(ds []platform.CampaignDesk) store.Desk {
	var t store.Desk
	for _, d := range ds {
		t.Submitted += d.Submitted
		t.Unscored += d.Unscored
		t.Failed += d.Failed
	}
	return t
}

// campaignFormView is the form that opens a campaign, with its unit
// picker: the participants are every unit of the organiser's subtree, or
// the units picked from that subtree, narrowed by level, cluster and search.
type campaignFormView struct {
	page
	Slug, Name, StartsOn, EndsOn, Organiser, SignerTitle string
	Organisers                                           []store.Unit // the units the visitor may name as organiser
	Every                                                bool         // every unit of the organiser's subtree
	Picked                                               map[string]bool
	Kept                                                 []string // picked units the list does not show, kept
	Shown                                                []store.Unit
	More                                                 bool // the filter matches more units than shown
	Level, Cluster, Q                                    string
	Levels                                               []string
	Clusters                                             []store.Cluster
	Errors                                               formErrors
}

// pickerRows is how many units the picker lists at once.
const pickerRows = 300

func (h *pages) campaignForm(c *fiber.Ctx) error {
	v := &campaignFormView{Every: true, Picked: map[string]bool{}, Level: c.Query("level"), Cluster: c.Query("cluster"), Q: c.Query("q")}
	if u := userOf(c); u != nil {
		v.Organiser = u.Unit
	}
	if err := h.fillCampaignForm(c, v); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_campaign", "", v)
}

// campaignCreate opens the campaign; with action filter, check_all or
// clear it only redraws the picker, keeping what was typed and picked.
func (h *pages) campaignCreate(c *fiber.Ctx) error {
	v := &campaignFormView{Slug: c.FormValue("slug"), Name: c.FormValue("name"), StartsOn: c.FormValue("starts_on"),
		EndsOn: c.FormValue("ends_on"), Organiser: c.FormValue("organiser"), SignerTitle: c.FormValue("signer_title"),
		Every: c.FormValue("units") != "picked", Picked: map[string]bool{},
		Level: c.FormValue("level"), Cluster: c.FormValue("cluster"), Q: c.FormValue("q")}
	args := c.Context().PostArgs()
	for _, code := range args.PeekMulti("unit") {
		v.Picked[string(code)] = true
	}
	action := c.FormValue("action")
	if action == "clear" {
		clear(v.Picked)
	}
	if err := h.fillCampaignForm(c, v); err != nil {
		return err
	}
	switch action {
	case "check_all":
		for _, u := range v.Shown {
			v.Picked[u.Code] = true
		}
		v.Every = false
		v.keep()
		fallthrough
	case "filter", "clear":
		return h.render(c, fiber.StatusOK, "admin_campaign", "", v)
	}
	in := platform.NewCampaign{Slug: v.Slug, Name: v.Name, StartsOn: v.StartsOn, EndsOn: v.EndsOn,
		Organiser: v.Organiser, SignerTitle: v.SignerTitle, Units: platform.Participants{All: v.Every}}
	if !v.Every {
		for code := range v.Picked {
			in.Units.Codes = append(in.Units.Codes, code)
		}
		slices.Sort(in.Units.Codes)
	}
	ck := &check{lang: v.Lang}
	camp, err := h.Platform.CreateCampaign(c.UserContext(), in)
	if err := ck.refused(err, nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_campaign", "", v)
	}
	return c.Redirect("/admin/c/"+camp.Slug+"/indicators", fiber.StatusSeeOther)
}

// fillCampaignForm loads the form's choices: the organising units and the
// picker's units, levels and clusters, all inside what the visitor manages.
func (h *pages) fillCampaignForm(c *fiber.Ctx, v *campaignFormView) error {
	ctx := c.UserContext()
	within, err := policy.Manages(actorOf(c))
	if err != nil {
		return err
	}
	v.page = h.base(c, text(langOf(c), "admin.new_campaign"))
	if v.Organisers, _, err = h.Platform.ManagedUnits(ctx, store.UnitFilter{Parents: true, Page: store.Page{Limit: store.MaxLimit}}); err != nil {
		return err
	}
	if v.Levels, err = h.DB.Levels(ctx, within); err != nil {
		return err
	}
	if v.Clusters, err = h.DB.Clusters(ctx); err != nil {
		return err
	}
	// The participants are the organiser's: the list shows its subtree.
	if v.Shown, _, err = h.Platform.ManagedUnits(ctx, store.UnitFilter{Within: v.Organiser, Level: v.Level, Cluster: v.Cluster,
		Q: v.Q, Page: store.Page{Limit: pickerRows + 1}}); err != nil {
		return err
	}
	if v.More = len(v.Shown) > pickerRows; v.More {
		v.Shown = v.Shown[:pickerRows]
	}
	v.keep()
	return nil
}

// keep lists the picked units the picker does not show, so that they stay
// picked.
func (v *campaignFormView) keep() {
	v.Kept = v.Kept[:0]
	for code := range v.Picked {
		if !slices.ContainsFunc(v.Shown, func(u store.Unit) bool { return u.Code == code }) {
			v.Kept = append(v.Kept, code)
		}
	}
	slices.Sort(v.Kept)
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

// indicatorAdd adds an indicator with the organiser's target; a percentage
// is typed from 0 to 100.
func (h *pages) indicatorAdd(c *fiber.Ctx) error {
	v, err := h.indicatorsPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	v.Key, v.Title, v.Unit = c.FormValue("key"), c.FormValue("title"), c.FormValue("unit")
	in := platform.NewIndicator{Key: v.Key, Title: v.Title, Unit: v.Unit}
	raw, target, ok := ck.number(c, "target")
	v.Target = raw
	switch {
	case ok && v.Unit == "percent" && target > 100:
		ck.fail("target", "form.percent")
	case ok && v.Unit == "percent":
		target /= 100
		in.Target = &target
	case ok:
		in.Target = &target
	}
	if len(ck.errors) == 0 {
		_, err := h.Platform.AddIndicator(c.UserContext(), v.Campaign.Slug, in)
		if err = ck.refused(err, nil); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_indicators", "", v)
	}
	return c.Redirect("/admin/c/"+v.Campaign.Slug+"/indicators", fiber.StatusSeeOther)
}

func (h *pages) indicatorsPage(c *fiber.Ctx) (*indicatorsView, error) {
	ctx := c.UserContext()
	camp, err := h.Platform.OrganisedCampaign(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := &indicatorsView{page: h.campaignBase(c, text(langOf(c), "admin.indicators")+" · "+camp.Name, camp), Campaign: camp, Units: indicatorUnits}
	if v.Indicators, err = h.DB.Indicators(ctx, camp.Slug); err != nil {
		return nil, err
	}
	return v, nil
}
