package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// judgeListSize is how many of a judge's assignments the screen lists at once.
const judgeListSize = 50

type judgingView struct {
	page
	Campaign *store.Campaign
	Judges   []store.Judge
	Lock     *store.JudgingLock // nil while the round is open
	Username string             // the judge to add, as typed
	// The manual assignment's project number and judge, as typed.
	Project, AssignJudge string
	Assigned             *store.AssignResult
	Errors               formErrors

	// Judge is the judge whose assignments are listed ("" for none), a page
	// at a time: Next is the cursor of the next page.
	Judge       string
	Assignments []store.Assignment
	Next        string
}

// judgingForm lists the committee with each judge's progress and one
// judge's assignments (?judge=), with forms to add a judge, assign by hand
// or automatically, unassign, and lock or reopen the round.
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
	v.Username = c.FormValue("username")
	_, err = h.Platform.AddJudge(c.UserContext(), v.Campaign.Slug, platform.JudgeRef{Username: v.Username})
	if err = ck.refused(err, nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_judging", "", v)
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
	v.Assigned, err = h.Platform.AutoAssign(ctx, v.Campaign.Slug, platform.AutoAssign{Partial: true})
	if err = ck.refused(err, map[string]string{"per_project": ""}); err != nil {
		return err
	}
	v.Errors = ck.errors
	if v.Judges, _, err = h.Platform.Judges(ctx, v.Campaign.Slug, store.Page{Limit: store.MaxLimit}); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_judging", "", v)
}

func (h *pages) judgingPage(c *fiber.Ctx) (*judgingView, error) {
	ctx := c.UserContext()
	camp, err := h.Platform.OrganisedCampaign(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	v := &judgingView{page: h.campaignBase(c, text(langOf(c), "admin.judging")+" · "+camp.Name, camp), Campaign: camp}
	if v.Judges, _, err = h.Platform.Judges(ctx, camp.Slug, store.Page{Limit: store.MaxLimit}); err != nil {
		return nil, err
	}
	if v.Lock, _, err = h.DB.JudgingLocked(ctx, camp.Slug); err != nil {
		return nil, err
	}
	if v.Judge = c.Query("judge"); v.Judge != "" {
		v.Assignments, v.Next, err = h.Platform.JudgeAssignments(ctx, camp.Slug, v.Judge,
			store.Page{Limit: judgeListSize, Cursor: c.Query("cursor")})
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}
