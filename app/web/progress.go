package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type progressFormView struct {
	page
	Project  *store.ProjectDetail
	Note     string
	Evidence string // one link a line
	Figures  string // one "name = number" a line
	Errors   formErrors
}

// Limits of a progress report, as the API's.
const (
	maxEvidence = 20
	maxFigures  = 50
)

var figureKey = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

func (h *pages) progressForm(c *fiber.Ctx) error {
	p, err := h.progressProject(c)
	if err != nil {
		return err
	}
	v := progressFormView{page: h.base(c, text(langOf(c), "progress.title")), Project: p}
	return h.render(c, fiber.StatusOK, "progress", "", v)
}

// progressCreate records a progress report with its evidence links and
// figures.
func (h *pages) progressCreate(c *fiber.Ctx) error {
	p, err := h.progressProject(c)
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	v := progressFormView{page: h.base(c, text(langOf(c), "progress.title")), Project: p,
		Note: ck.text(c, "note", true, 5000), Evidence: c.FormValue("evidence"), Figures: c.FormValue("figures")}
	links := readLinks(ck, v.Evidence)
	figures := readFigures(ck, v.Figures)
	if len(ck.errors) == 0 {
		_, err := h.DB.AddProgress(c.UserContext(), p.ID, v.Note, links, figures)
		if err == nil {
			return c.Redirect("/projects/"+strconv.FormatInt(p.ID, 10)+"#progress", fiber.StatusSeeOther)
		}
		if err := ck.storeProblem(err, nil); err != nil {
			return err
		}
	}
	v.Errors = ck.errors
	return h.render(c, fiber.StatusUnprocessableEntity, "progress", "", v)
}

// progressProject loads the project of the path when the user is an
// officer of its unit: only they report its progress (as in the API).
func (h *pages) progressProject(c *fiber.Ctx) (*store.ProjectDetail, error) {
	u, err := requireUser(c)
	if err != nil {
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
	if u.Role != store.RoleUnit || u.Unit != p.Unit {
		return nil, errForbidden
	}
	return p, nil
}

// readLinks reads evidence links, one a line: http(s) URLs only.
func readLinks(ck *check, s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(line) > 2000 {
			ck.fail("evidence", "progress.bad_link", line)
			continue
		}
		out = append(out, line)
	}
	if len(out) > maxEvidence {
		ck.fail("evidence", "progress.too_many_links", maxEvidence)
	}
	return out
}

// readFigures reads figures, one "name = number" a line.
func readFigures(ck *check, s string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		n, err := parseNumber(strings.TrimSpace(val))
		if !ok || !figureKey.MatchString(k) || err != nil {
			ck.fail("figures", "progress.bad_figure", line)
			continue
		}
		out[k] = n
	}
	if len(out) > maxFigures {
		ck.fail("figures", "progress.too_many_figures", maxFigures)
	}
	return out
}
