package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// The organiser's changes to a judging round by hand: assigning a judge to
// a project, taking a project from a judge who has not scored it, taking a
// judge off the committee, and locking or reopening the round. The store refuses what the committee's
// rules forbid; its reasons show in place on the judging screen.

// assignFields maps the store's fields to the manual assignment form's.
var assignFields = map[string]string{"username": "judge", "project": "project"}

// assign assigns a judge of the committee to a project of the campaign.
func (h *pages) assign(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ck := &check{lang: v.Lang}
	v.Project = strings.TrimSpace(c.FormValue("project"))
	v.AssignJudge = strings.TrimSpace(c.FormValue("judge"))
	id, err := strconv.ParseInt(v.Project, 10, 64)
	switch {
	case v.Project == "":
		ck.fail("project", "form.required")
	case err != nil || id <= 0:
		ck.fail("project", "form.number")
	}
	if v.AssignJudge == "" {
		ck.fail("judge", "form.required")
	}
	if len(ck.errors) == 0 {
		if owner, err := h.DB.ProjectOwnerOf(ctx, id); errors.Is(err, store.ErrNotFound) || err == nil && owner.Campaign != v.Campaign.Slug {
			ck.fail("project", "admin.not_in_campaign")
		} else if err != nil {
			return err
		}
	}
	if len(ck.errors) == 0 {
		_, err := h.Platform.Assign(ctx, id, v.AssignJudge)
		if err = refusal(ck, err, assignFields); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_judging", "", v)
	}
	return c.Redirect(judgingURL(v.Campaign.Slug, v.AssignJudge), fiber.StatusSeeOther)
}

// unassign takes a project from a judge; the store keeps the assignment of
// a judge who has scored the project, and says why.
func (h *pages) unassign(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	username := c.FormValue("username")
	id, err := strconv.ParseInt(c.FormValue("project"), 10, 64)
	if err != nil {
		return errBadRequest // the form's hidden fields were tampered with
	}
	if err := refusal(ck, h.Platform.Unassign(c.UserContext(), id, username), nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_judging", "", v)
	}
	return c.Redirect(judgingURL(v.Campaign.Slug, username), fiber.StatusSeeOther)
}

// removeJudge takes a judge off the committee with their assignments; with
// withdraw_scores checked their scores are withdrawn too, otherwise the
// store keeps a judge who has scored, and says why.
func (h *pages) removeJudge(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	username := c.FormValue("username")
	_, err = h.Platform.RemoveJudge(c.UserContext(), v.Campaign.Slug, username, c.FormValue("withdraw_scores") == "on")
	if err := refusal(ck, err, nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_judging", "", v)
	}
	return c.Redirect(judgingURL(v.Campaign.Slug, ""), fiber.StatusSeeOther)
}

// lockJudging locks the round (action=lock), making its scores final, or
// reopens it (action=unlock).
func (h *pages) lockJudging(c *fiber.Ctx) error {
	v, err := h.judgingPage(c)
	if err != nil {
		return err
	}
	ctx, slug := c.UserContext(), v.Campaign.Slug
	switch c.FormValue("action") {
	case "lock":
		_, err = h.Platform.LockJudging(ctx, slug)
	case "unlock":
		err = h.Platform.UnlockJudging(ctx, slug)
	default:
		return errBadRequest
	}
	ck := &check{lang: v.Lang}
	if err := ck.refused(err, nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_judging", "", v)
	}
	return c.Redirect(judgingURL(slug, ""), fiber.StatusSeeOther)
}

// refusal shows the store's refusal of an assignment in place, beside the
// field of fields it names (or above the forms); an unknown judge or
// assignment too: they were typed or picked on this screen, so they are
// the form's problem, not a missing page.
func refusal(ck *check, err error, fields map[string]string) error {
	var se *store.Error
	if errors.As(err, &se) && errors.Is(err, store.ErrNotFound) {
		ck.fail(fields["username"], "form.refused", se.Text(ck.lang))
		return nil
	}
	return ck.refused(err, fields)
}

// judgingURL is the judging screen, listing a judge's assignments when
// judge is set.
func judgingURL(slug, judge string) string {
	u := "/admin/c/" + slug + "/judging"
	if judge != "" {
		u += "?judge=" + url.QueryEscape(judge)
	}
	return u
}
