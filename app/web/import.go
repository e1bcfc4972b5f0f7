package web

import (
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type importView struct {
	page
	Lines   store.ImportErrors // the bad lines of a refused file
	Problem string             // why a file could not be read
	Created int
}

// admin returns the signed-in user when they are the organiser.
func admin(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	if u.Role != store.RoleAdmin {
		return errForbidden
	}
	return nil
}

func (h *pages) importForm(c *fiber.Ctx) error {
	if err := admin(c); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "import", "", importView{page: h.base(c, text(langOf(c), "import.title"))})
}

// importUnits imports a CSV file of units, all or nothing, and shows every
// bad line in place.
func (h *pages) importUnits(c *fiber.Ctx) error {
	if err := admin(c); err != nil {
		return err
	}
	v := importView{page: h.base(c, text(langOf(c), "import.title"))}
	fh, err := c.FormFile("file")
	if err != nil {
		v.Problem = text(v.Lang, "import.no_file")
		return h.render(c, fiber.StatusUnprocessableEntity, "import", "", v)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	body, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	v.Created, err = h.ImportUnits(c, body)
	var se *store.Error
	switch {
	case err == nil:
		return h.render(c, fiber.StatusCreated, "import", "", v)
	case errors.As(err, &v.Lines):
	case errors.As(err, &se) && errors.Is(err, store.ErrInvalid):
		v.Problem = se.Text(v.Lang)
	default:
		return err
	}
	return h.render(c, fiber.StatusUnprocessableEntity, "import", "", v)
}
