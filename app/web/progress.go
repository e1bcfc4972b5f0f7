package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

type progressFormView struct {
	page
	Project  *store.ProjectDetail
	Note     string
	Evidence string // one link a line
	Figures  string // one "name = number" a line
	Files    evidenceField
	Errors   formErrors
}

func (h *pages) progressForm(c *fiber.Ctx) error {
	p, err := h.progressProject(c)
	if err != nil {
		return err
	}
	v := progressFormView{page: h.base(c, text(langOf(c), "progress.title")), Project: p, Files: h.evidenceOf(nil)}
	return h.render(c, fiber.StatusOK, "progress", "", v)
}

// progressCreate records a progress report with its evidence (files and
// links) and figures.
func (h *pages) progressCreate(c *fiber.Ctx) error {
	p, err := h.progressProject(c)
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	v := progressFormView{page: h.base(c, text(langOf(c), "progress.title")), Project: p,
		Note: c.FormValue("note"), Evidence: c.FormValue("evidence"), Figures: c.FormValue("figures")}
	links := readLinks(v.Evidence)
	figures := readFigures(ck, v.Figures)
	ids, files, err := h.readEvidence(c, ck)
	if err != nil {
		return err
	}
	v.Files = files
	if len(ck.errors) == 0 {
		_, err := h.Platform.AddProgress(c.UserContext(), p.ID, platform.Progress{Note: v.Note, EvidenceURLs: links,
			EvidenceFiles: ids, Figures: figures})
		if err == nil {
			return c.Redirect("/projects/"+strconv.FormatInt(p.ID, 10)+"#progress", fiber.StatusSeeOther)
		}
		if err := ck.refused(err, map[string]string{"evidence_urls": "evidence", "figures": "figures"}); err != nil {
			return err
		}
	}
	v.Errors, v.Files = ck.errors, v.Files.shown(ck.errors)
	return h.render(c, ck.status(), "progress", "", v)
}

// progressProject loads the project of the path when the visitor may
// report its progress.
func (h *pages) progressProject(c *fiber.Ctx) (*store.ProjectDetail, error) {
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
	if !h.Platform.ReportsProgress(c.UserContext(), &p.Project) {
		return nil, errForbidden
	}
	return p, nil
}

// readLinks reads evidence links, one a line; the platform checks them.
func readLinks(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// readFigures reads figures, one "name = number" a line; the platform
// checks the names.
func readFigures(ck *check, s string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		n, err := parseNumber(strings.TrimSpace(val))
		if !ok || err != nil {
			ck.fail("figures", "progress.bad_figure", line)
			continue
		}
		out[strings.TrimSpace(k)] = n
	}
	return out
}
