package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type judgingView struct {
	page
	Campaign *store.Campaign
	Judges   []store.Judge
	Username string
	Assigned *store.AssignResult
	Errors   formErrors
}

// judgingForm lists the committee with each judge's progress, with forms
// to add a judge and to auto-assign projects.
func (h *pages) judgingForm(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_judging", "", v)
}

// judgeAdd adds a user to the committee by username.
func (h *pages) judgeAdd(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	v.Username = ck.text(c, "username", true, 64)
	if len(ck.errors) == 0 {
		_, err := h.DB.AddJudge(c.UserContext(), v.Campaign.Slug, v.Username)
		if err = ck.storeProblem(err, map[string]string{"username": "username"}); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, fiber.StatusUnprocessableEntity, "admin_judging", "", v)
	}
	return c.Redirect("/admin/c/"+v.Campaign.Slug+"/judging", fiber.StatusSeeOther)
}

// autoAssign gives every project in competition the ruleset's minimum of
// judges, assigning what it can and showing the projects left short.
func (h *pages) autoAssign(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ck := &check{lang: v.Lang}
	j, err := h.Judging(ctx, v.Campaign.Slug)
	if err != nil {
		return err
	}
	if j == nil {
		ck.fail("", "admin.no_ruleset")
	} else {
		v.Assigned, err = h.DB.AutoAssign(ctx, v.Campaign.Slug, store.AutoAssign{PerProject: j.MinJudges, Partial: true})
		if err = ck.storeProblem(err, nil); err != nil {
			return err
		}
	}
	v.Errors = ck.errors
	if v.Judges, _, err = h.DB.Judges(ctx, v.Campaign.Slug, store.Page{Limit: store.MaxLimit}); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_judging", "", v)
}

func (h *pages) judgingPage(c *fiber.Ctx) (*judgingView, error) {
	if _, err := requireAdmin(c); err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	camp, err := h.DB.CampaignBySlug(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := &judgingView{page: h.base(c, text(langOf(c), "admin.judging")+" · "+camp.Name), Campaign: camp}
	if v.Judges, _, err = h.DB.Judges(ctx, camp.Slug, store.Page{Limit: store.MaxLimit}); err != nil {
		return nil, err
	}
	return v, nil
}
