package web

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
)

// userCode is the API's "code" format, for usernames and unit codes.
var userCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// userRoles are the roles an organiser may give, in the form's order.
var userRoles = []string{store.RoleUnit, store.RoleJudge, store.RoleAdmin}

type userFormView struct {
	page
	Roles                []string
	Username, Role, Unit string
	Created              *store.User
	Errors               formErrors
}

func (h *pages) userForm(c *fiber.Ctx) error {
	if _, err := requireAdmin(c); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_users", "", h.userPage(c))
}

// userCreate adds a user under the API's rules (POST /api/v1/users): a
// username and unit code in the code format, a password of 8 to 256
// characters, a unit for a unit officer, none for an admin.
func (h *pages) userCreate(c *fiber.Ctx) error {
	if _, err := requireAdmin(c); err != nil {
		return err
	}
	v := h.userPage(c)
	ck := &check{lang: v.Lang}
	v.Username = ck.text(c, "username", true, 64)
	if v.Username != "" && ck.errors.For("username") == nil && (utf8.RuneCountInString(v.Username) < 3 || !userCode.MatchString(v.Username)) {
		ck.fail("username", "admin.bad_username")
	}
	// The password is taken as typed (in NFC, as the API reads it), never trimmed nor shown again.
	password := norm.NFC.String(c.FormValue("password"))
	switch n := utf8.RuneCountInString(password); {
	case n == 0:
		ck.fail("password", "form.required")
	case n < 8:
		ck.fail("password", "form.too_short", 8)
	case n > 256:
		ck.fail("password", "form.too_long", 256)
	}
	v.Role = strings.TrimSpace(c.FormValue("role"))
	if !slices.Contains(userRoles, v.Role) {
		ck.fail("role", "form.choose")
	}
	v.Unit = ck.text(c, "unit", false, 64)
	switch {
	case v.Role == store.RoleAdmin && v.Unit != "":
		ck.fail("unit", "admin.admin_no_unit")
	case v.Role == store.RoleUnit && v.Unit == "":
		ck.fail("unit", "admin.officer_unit")
	case v.Unit != "" && !userCode.MatchString(v.Unit):
		ck.fail("unit", "admin.bad_unit_code")
	}
	if len(ck.errors) == 0 {
		u, err := h.CreateUser(c.UserContext(), v.Username, password, v.Role, v.Unit)
		if err = ck.storeProblem(err, map[string]string{"username": "username", "unit": "unit", "role": "role", "password": "password"}); err != nil {
			return err
		}
		if len(ck.errors) == 0 {
			created := h.userPage(c)
			created.Created = u
			return h.render(c, fiber.StatusCreated, "admin_users", "", created)
		}
	}
	v.Errors = ck.errors
	return h.render(c, fiber.StatusUnprocessableEntity, "admin_users", "", v)
}

func (h *pages) userPage(c *fiber.Ctx) *userFormView {
	return &userFormView{page: h.base(c, text(langOf(c), "admin.new_user")), Roles: userRoles}
}
