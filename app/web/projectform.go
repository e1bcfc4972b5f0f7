package web

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// projectForm is what the project forms hold, as typed.
type projectForm struct {
	Unit, Title, Summary, Category, StartsOn, EndsOn, AdoptedFrom string
	Status, RejectReason                                          string
}

type projectFormView struct {
	page
	Campaign   *store.Campaign
	Project    *store.ProjectDetail // being edited; nil when registering
	Form       projectForm
	Errors     formErrors
	Categories []string
	Moves      []string // statuses the user may move the project to
	Admin      bool
}

// projectFields maps the store's field names to the form's.
var projectFields = map[string]string{"unit": "unit", "title": "title", "summary": "summary", "category": "category",
	"starts_on": "starts_on", "ends_on": "ends_on", "adopted_from": "adopted_from", "status": "status",
	"reject_reason": "reject_reason"}

// officer returns the signed-in user when they may register and edit
// projects: a unit officer or an admin.
func officer(c *fiber.Ctx) (*store.User, error) {
	u, err := requireUser(c)
	if err != nil {
		return nil, err
	}
	if u.Role != store.RoleUnit && u.Role != store.RoleAdmin {
		return nil, errForbidden
	}
	return u, nil
}

func (h *pages) projectNewForm(c *fiber.Ctx) error {
	u, err := officer(c)
	if err != nil {
		return err
	}
	camp, err := h.DB.CampaignBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	f := projectForm{Unit: u.Unit, AdoptedFrom: c.Query("adopted_from")}
	if u.Role == store.RoleAdmin {
		f.Unit = c.Query("unit")
	}
	return h.renderProjectForm(c, fiber.StatusOK, camp, nil, f, nil)
}

// projectCreate registers a project for the officer's own unit (an admin
// names the unit) and shows it.
func (h *pages) projectCreate(c *fiber.Ctx) error {
	u, err := officer(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	camp, err := h.DB.CampaignBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	f, n := readProject(c, ck)
	n.Unit, f.Unit = u.Unit, u.Unit
	if u.Role == store.RoleAdmin {
		n.Unit = ck.text(c, "unit", true, 64)
		f.Unit = n.Unit
	}
	if f.AdoptedFrom != "" {
		id, err := strconv.ParseInt(f.AdoptedFrom, 10, 64)
		if err != nil || id <= 0 {
			ck.fail("adopted_from", "form.refused", f.AdoptedFrom)
		} else {
			n.AdoptedFrom = &id
		}
	}
	if len(ck.errors) == 0 {
		p, err := h.DB.CreateProject(ctx, camp.Slug, n)
		if err == nil {
			return c.Redirect("/projects/"+strconv.FormatInt(p.ID, 10), fiber.StatusSeeOther)
		}
		if err := ck.storeProblem(err, projectFields); err != nil {
			return err
		}
	}
	return h.renderProjectForm(c, fiber.StatusUnprocessableEntity, camp, nil, f, ck.errors)
}

// readProject reads and checks the fields both project forms share.
func readProject(c *fiber.Ctx, ck *check) (projectForm, store.NewProject) {
	var f projectForm
	var n store.NewProject
	f.Title = ck.text(c, "title", true, 300)
	f.Summary = ck.text(c, "summary", false, 5000)
	f.Category = c.FormValue("category")
	if !slices.Contains(store.Categories, f.Category) {
		ck.fail("category", "form.choose")
	}
	f.StartsOn, n.StartsOn = ck.date(c, "starts_on")
	f.EndsOn, n.EndsOn = ck.date(c, "ends_on")
	if !n.StartsOn.IsZero() && !n.EndsOn.IsZero() && n.EndsOn.Before(n.StartsOn.Time) {
		ck.fail("ends_on", "form.ends_before_starts")
	}
	f.AdoptedFrom = c.FormValue("adopted_from")
	n.Title, n.Summary, n.Category = f.Title, f.Summary, f.Category
	return f, n
}

func (h *pages) projectEditForm(c *fiber.Ctx) error {
	_, p, err := h.ownProject(c)
	if err != nil {
		return err
	}
	f := projectForm{Unit: p.Unit, Title: p.Title, Summary: p.Summary, Category: p.Category,
		StartsOn: p.StartsOn.String(), EndsOn: p.EndsOn.String(), Status: p.Status, RejectReason: p.RejectReason}
	return h.renderProjectForm(c, fiber.StatusOK, nil, p, f, nil)
}

// projectUpdate edits a project and moves its status; only the organiser
// verifies or rejects.
func (h *pages) projectUpdate(c *fiber.Ctx) error {
	u, p, err := h.ownProject(c)
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	f, n := readProject(c, ck)
	f.Unit = p.Unit
	f.Status = c.FormValue("status")
	f.RejectReason = ck.text(c, "reject_reason", false, 2000)
	ch := store.ProjectChanges{Title: &n.Title, Summary: &n.Summary, Category: &n.Category,
		StartsOn: &n.StartsOn, EndsOn: &n.EndsOn, ByOfficer: u.Role != store.RoleAdmin}
	if f.Status != p.Status {
		if !slices.Contains(moves(u, p.Status), f.Status) {
			ck.fail("status", "form.choose")
		}
		ch.Status = &f.Status
		if f.Status == store.StatusRejected {
			if f.RejectReason == "" {
				ck.fail("reject_reason", "form.required")
			}
			ch.RejectReason = &f.RejectReason
		}
	}
	if len(ck.errors) == 0 {
		_, err := h.DB.UpdateProject(c.UserContext(), p.ID, ch)
		if err == nil {
			return c.Redirect("/projects/"+strconv.FormatInt(p.ID, 10), fiber.StatusSeeOther)
		}
		if err := ck.storeProblem(err, projectFields); err != nil {
			return err
		}
	}
	return h.renderProjectForm(c, fiber.StatusUnprocessableEntity, nil, p, f, ck.errors)
}

// ownProject loads the project of the path when the user may edit it: an
// officer of its unit, or an admin.
func (h *pages) ownProject(c *fiber.Ctx) (*store.User, *store.ProjectDetail, error) {
	u, err := officer(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c)
	if err != nil {
		return nil, nil, err
	}
	p, err := h.DB.ProjectByID(c.UserContext(), id)
	if err != nil {
		return nil, nil, err
	}
	if err := actFor(u, p.Unit); err != nil {
		return nil, nil, err
	}
	return u, p, nil
}

// moves lists the statuses a user may move a project to from its status:
// the lifecycle's moves, without verifying and rejecting for a unit officer.
func moves(u *store.User, from string) []string {
	var out []string
	for _, to := range store.Statuses {
		if !store.CanMove(from, to) {
			continue
		}
		if (to == store.StatusVerified || to == store.StatusRejected) && u.Role != store.RoleAdmin {
			continue
		}
		out = append(out, to)
	}
	return out
}

func (h *pages) renderProjectForm(c *fiber.Ctx, status int, camp *store.Campaign, p *store.ProjectDetail, f projectForm, errs formErrors) error {
	u := userOf(c)
	v := projectFormView{Campaign: camp, Project: p, Form: f, Errors: errs, Categories: store.Categories,
		Admin: u.Role == store.RoleAdmin}
	title := text(langOf(c), "project.new_title")
	if p != nil {
		title = text(langOf(c), "project.edit_title")
		v.Moves = moves(u, p.Status)
	}
	v.page = h.base(c, title)
	return h.render(c, status, "projectform", "", v)
}
