package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
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
	// Units are the units the visitor may register a project for, when it
	// chooses among several; AnyUnit lets it type any unit's code.
	Units    []store.Unit
	AnyUnit  bool
	Moves    []string // statuses the visitor may move the project to
	Reviewer bool     // the visitor verifies and rejects the campaign's projects
	Files    evidenceField
}

// projectUnits is how many units the project form offers to choose from.
const projectUnits = 300

func (h *pages) projectNewForm(c *fiber.Ctx) error {
	if err := policy.SignedIn(actorOf(c)); err != nil {
		return err
	}
	camp, err := h.DB.CampaignBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	f := projectForm{Unit: c.Query("unit", userOf(c).Unit), AdoptedFrom: c.Query("adopted_from")}
	return h.renderProjectForm(c, fiber.StatusOK, camp, nil, f, h.evidenceOf(nil), nil)
}

// projectCreate registers a project for a unit the visitor acts for, and
// shows it.
func (h *pages) projectCreate(c *fiber.Ctx) error {
	if err := policy.SignedIn(actorOf(c)); err != nil {
		return err
	}
	ctx := c.UserContext()
	camp, err := h.DB.CampaignBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	f := readProject(c)
	if f.Unit = strings.TrimSpace(c.FormValue("unit")); f.Unit == "" {
		f.Unit = userOf(c).Unit // an officer of one unit is not asked
	}
	in := platform.NewProject{Unit: f.Unit, Title: f.Title, Summary: f.Summary, Category: f.Category,
		StartsOn: f.StartsOn, EndsOn: f.EndsOn}
	if f.AdoptedFrom != "" {
		id, err := strconv.ParseInt(f.AdoptedFrom, 10, 64)
		if err != nil || id <= 0 {
			ck.fail("adopted_from", "form.refused", f.AdoptedFrom)
		} else {
			in.AdoptedFrom = &id
		}
	}
	ids, files, err := h.readEvidence(c, ck)
	if err != nil {
		return err
	}
	in.EvidenceFiles = ids
	if len(ck.errors) == 0 {
		p, err := h.Platform.CreateProject(ctx, camp.Slug, in)
		if err == nil {
			return c.Redirect("/projects/"+strconv.FormatInt(p.ID, 10)+"?created=1", fiber.StatusSeeOther)
		}
		if err := ck.refused(err, nil); err != nil {
			return err
		}
	}
	return h.renderProjectForm(c, ck.status(), camp, nil, f, files, ck.errors)
}

// readProject reads the fields both project forms share, as typed.
func readProject(c *fiber.Ctx) projectForm {
	return projectForm{Title: c.FormValue("title"), Summary: c.FormValue("summary"), Category: c.FormValue("category"),
		StartsOn: strings.TrimSpace(c.FormValue("starts_on")), EndsOn: strings.TrimSpace(c.FormValue("ends_on")),
		AdoptedFrom: strings.TrimSpace(c.FormValue("adopted_from"))}
}

func (h *pages) projectEditForm(c *fiber.Ctx) error {
	p, err := h.editedProject(c)
	if err != nil {
		return err
	}
	f := projectForm{Unit: p.Unit, Title: p.Title, Summary: p.Summary, Category: p.Category,
		StartsOn: p.StartsOn.String(), EndsOn: p.EndsOn.String(), Status: p.Status, RejectReason: p.RejectReason}
	return h.renderProjectForm(c, fiber.StatusOK, nil, p, f, h.evidenceOf(p.EvidenceFiles), nil)
}

// projectUpdate edits a project and moves its status; the platform decides
// who may verify or reject it.
func (h *pages) projectUpdate(c *fiber.Ctx) error {
	p, err := h.editedProject(c)
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	f := readProject(c)
	f.Unit, f.Status, f.RejectReason = p.Unit, c.FormValue("status"), c.FormValue("reject_reason")
	in := platform.ProjectChanges{Title: &f.Title, Summary: &f.Summary, Category: &f.Category,
		StartsOn: &f.StartsOn, EndsOn: &f.EndsOn}
	if f.Status != p.Status {
		in.Status = &f.Status
		if f.Status == store.StatusRejected {
			in.RejectReason = &f.RejectReason
		}
	}
	ids, files, err := h.readEvidence(c, ck)
	if err != nil {
		return err
	}
	in.EvidenceFiles = &ids
	if len(ck.errors) == 0 {
		_, err = h.Platform.UpdateProject(c.UserContext(), p.ID, in)
		if err == nil {
			return c.Redirect("/projects/"+strconv.FormatInt(p.ID, 10)+"?saved=1", fiber.StatusSeeOther)
		}
		if err := ck.refused(err, nil); err != nil {
			return err
		}
	}
	return h.renderProjectForm(c, ck.status(), nil, p, f, files, ck.errors)
}

// editedProject loads the project of the path when the visitor may act
// for its unit.
func (h *pages) editedProject(c *fiber.Ctx) (*store.ProjectDetail, error) {
	if err := policy.SignedIn(actorOf(c)); err != nil {
		return nil, err
	}
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	p, err := h.DB.ProjectByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if _, err := h.Platform.ActingFor(c.UserContext(), p.Campaign, p.Unit); err != nil {
		return nil, err
	}
	return p, nil
}

func (h *pages) renderProjectForm(c *fiber.Ctx, status int, camp *store.Campaign, p *store.ProjectDetail, f projectForm,
	files evidenceField, errs formErrors) error {
	ctx := c.UserContext()
	v := projectFormView{Campaign: camp, Project: p, Form: f, Errors: errs, Categories: store.Categories, Files: files.shown(errs)}
	title := text(langOf(c), "project.new_title")
	if p != nil {
		title = text(langOf(c), "project.edit_title")
		v.Moves = h.Platform.Moves(ctx, &p.Project)
		for _, m := range v.Moves {
			v.Reviewer = v.Reviewer || m == store.StatusVerified || m == store.StatusRejected
		}
	} else {
		var err error
		if v.Units, v.AnyUnit, err = h.Platform.UnitsActedFor(ctx, projectUnits); err != nil {
			return err
		}
		if len(v.Units) >= projectUnits {
			v.Units, v.AnyUnit = nil, true
		}
	}
	v.page = h.base(c, title)
	v.Movement = camp
	return h.render(c, status, "projectform", "", v)
}
