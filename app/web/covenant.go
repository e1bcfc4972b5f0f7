package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

type covenantFormView struct {
	page
	Campaign *store.Campaign
	Unit     *store.UnitDetail
	Covenant *store.Covenant // the signed one, nil before signing
	Inputs   []indicatorInput
	Errors   formErrors
	Saved    bool
}

// covenantContext loads what both covenant handlers need, when the user may
// act for the unit.
func (h *pages) covenantContext(c *fiber.Ctx) (covenantFormView, []store.Indicator, error) {
	ctx := c.UserContext()
	var v covenantFormView
	var err error
	slug, code := c.Params("slug"), c.Params("code")
	if v.Campaign, v.Unit, err = h.unitWork(c); err != nil {
		return v, nil, err
	}
	v.Covenant, err = h.DB.Covenant(ctx, slug, code)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return v, nil, err
	}
	inds, err := h.DB.Indicators(ctx, slug)
	v.page = h.campaignBase(c, text(langOf(c), "covenant.title"), v.Campaign)
	return v, inds, err
}

// covenantForm shows the unit's pledged targets: the signed ones, or the
// city's to start from.
func (h *pages) covenantForm(c *fiber.Ctx) error {
	v, inds, err := h.covenantContext(c)
	if err != nil {
		return err
	}
	targets := map[string]float64{}
	if v.Covenant != nil {
		targets = v.Covenant.Targets
	} else {
		for _, in := range inds {
			targets[in.Key] = in.Target
		}
	}
	v.Inputs, v.Saved = indicatorInputs(inds, targets), c.Query("saved") == "1"
	return h.render(c, fiber.StatusOK, "covenant", "", v)
}

// covenantPut signs the covenant, or replaces its targets.
func (h *pages) covenantPut(c *fiber.Ctx) error {
	v, inds, err := h.covenantContext(c)
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	v.Inputs = indicatorInputs(inds, nil)
	targets := readIndicators(c, ck, v.Inputs)
	if len(ck.errors) == 0 {
		_, err := h.Platform.SignCovenant(c.UserContext(), v.Campaign.Slug, v.Unit.Code, platform.Covenant{Targets: targets})
		if err == nil {
			return c.Redirect(c.Path()+"?saved=1", fiber.StatusSeeOther)
		}
		if err := ck.refused(err, indicatorFields(v.Inputs)); err != nil {
			return err
		}
	}
	v.Errors = ck.errors
	return h.render(c, ck.status(), "covenant", "", v)
}

// unitWork loads the campaign and the unit of a unit's work page
// (/c/:slug/u/:code/…), once the visitor may act for the unit.
func (h *pages) unitWork(c *fiber.Ctx) (*store.Campaign, *store.UnitDetail, error) {
	code := c.Params("code")
	camp, err := h.Platform.ActingFor(c.UserContext(), c.Params("slug"), code)
	if err != nil {
		return nil, nil, err
	}
	unit, err := h.DB.UnitByCode(c.UserContext(), code)
	return camp, unit, err
}
