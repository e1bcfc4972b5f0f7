package web

import (
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
)

type importView struct {
	page
	Lines   []importLine // the bad lines of a refused file
	Problem string       // why a file could not be read
	Created int
}

// importLine is a problem with one line of an imported file.
type importLine struct {
	Line           int
	Field, Message string
}

func (h *pages) importForm(c *fiber.Ctx) error {
	if err := policy.Administer(actorOf(c)); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "import", "", importView{page: h.base(c, text(langOf(c), "import.title"))})
}

// importUnits imports a CSV file of units, all or nothing, and shows every
// bad line in place.
func (h *pages) importUnits(c *fiber.Ctx) error {
	v := importView{page: h.base(c, text(langOf(c), "import.title"))}
	var body []byte
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if body, err = io.ReadAll(f); err != nil {
			return err
		}
	}
	n, err := h.Platform.ImportUnits(c.UserContext(), body)
	var (
		inv    *platform.Invalid
		malf   *platform.Malformed
		denied *policy.Denied
	)
	switch {
	case err == nil:
		v.Created = n
		return h.render(c, fiber.StatusCreated, "import", "", v)
	case errors.As(err, &inv):
		for _, f := range inv.Fields {
			v.Lines = append(v.Lines, importLine{Line: f.Line, Field: f.Field, Message: f.Text(v.Lang)})
		}
	case errors.As(err, &malf) && len(body) == 0:
		v.Problem = text(v.Lang, "import.no_file")
	case errors.As(err, &malf):
		v.Problem = malf.Text(v.Lang)
	case errors.As(err, &denied) && denied.Field != "" && !denied.SignIn:
		v.Problem = denied.Text(v.Lang)
		return h.render(c, fiber.StatusForbidden, "import", "", v)
	default:
		return err
	}
	return h.render(c, fiber.StatusUnprocessableEntity, "import", "", v)
}
