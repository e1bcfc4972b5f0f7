package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

type honourFormView struct {
	page
	Campaign                               *store.Campaign
	Unit, Title, Period, Citation, Project string
	DecisionNo, DecidedOn                  string
	Granted                                *store.Honour
	Revoked                                bool
	Honours                                []store.Honour // the latest granted, to revoke
	Errors                                 formErrors
}

// honourRows is how many of the latest honours the screen lists.
const honourRows = 100

// honourForm shows the form, and the honour just granted (?granted=serial)
// when the form led here.
func (h *pages) honourForm(c *fiber.Ctx) error {
	v, err := h.honourPage(c)
	if err != nil {
		return err
	}
	v.Revoked = c.Query("revoked") != ""
	if serial := c.Query("granted"); serial != "" {
		hn, err := h.DB.HonourBySerial(c.UserContext(), serial)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if hn != nil && hn.CampaignID == v.Campaign.ID {
			v.Granted = hn
		}
	}
	return h.render(c, fiber.StatusOK, "admin_honours", "", v)
}

// honourGrant records an honour by the organisers' decision.
func (h *pages) honourGrant(c *fiber.Ctx) error {
	v, err := h.honourPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	v.Unit, v.Title, v.Period, v.Citation = c.FormValue("unit"), c.FormValue("title"), c.FormValue("period"), c.FormValue("citation")
	v.Project = strings.TrimSpace(c.FormValue("project"))
	v.DecisionNo, v.DecidedOn = c.FormValue("decision_no"), strings.TrimSpace(c.FormValue("decided_on"))
	in := platform.NewHonour{Unit: v.Unit, Title: v.Title, Period: v.Period, Citation: v.Citation, DecisionNo: v.DecisionNo, DecidedOn: v.DecidedOn}
	if v.Project != "" {
		id, err := strconv.ParseInt(v.Project, 10, 64)
		if err != nil || id <= 0 {
			ck.fail("project", "form.number")
		}
		in.Project = &id
	}
	var granted *store.Honour
	if len(ck.errors) == 0 {
		granted, err = h.Platform.GrantHonour(c.UserContext(), v.Campaign.Slug, in)
		if err = ck.refused(err, nil); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_honours", "", v)
	}
	// Post/Redirect/Get: reloading the page shows the honour, never grants
	// it again.
	return c.Redirect("/admin/c/"+v.Campaign.Slug+"/honours?granted="+url.QueryEscape(granted.Serial), fiber.StatusSeeOther)
}

func (h *pages) honourPage(c *fiber.Ctx) (*honourFormView, error) {
	ctx := c.UserContext()
	camp, err := h.Platform.OrganisedCampaign(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := &honourFormView{page: h.campaignBase(c, text(langOf(c), "admin.honours")+" · "+camp.Name, camp), Campaign: camp}
	if v.Honours, _, err = h.DB.Honours(ctx, camp.Slug, store.HonourFilter{Page: store.Page{Limit: honourRows}}); err != nil {
		return nil, err
	}
	return v, nil
}

// honourRevoke revokes an honour with the reason, which the roll and the
// verification page show.
func (h *pages) honourRevoke(c *fiber.Ctx) error {
	serial := c.FormValue("serial")
	_, err := h.Platform.RevokeHonour(c.UserContext(), serial, platform.Revocation{Reason: c.FormValue("reason")})
	ck := &check{lang: langOf(c)}
	if err := ck.refused(err, map[string]string{"reason": ""}); err != nil {
		return err
	}
	if len(ck.errors) == 0 {
		return c.Redirect("/admin/c/"+c.Params("slug")+"/honours?revoked=1", fiber.StatusSeeOther)
	}
	v, err := h.honourPage(c)
	if err != nil {
		return err
	}
	v.Errors = ck.errors
	return h.render(c, ck.status(), "admin_honours", "", v)
}
