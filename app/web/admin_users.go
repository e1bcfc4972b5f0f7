package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// userRows is how many users the users screen lists.
const userRows = 200

type userFormView struct {
	page
	Roles                       []string // the roles the visitor may give
	Scopes                      []string
	Units                       []store.Unit // the units the visitor manages, to pick from
	Username, Role, Unit, Scope string
	Email                       string
	Created                     *store.User
	Users                       []store.User // the users the visitor manages
	Errors                      formErrors
}

func (h *pages) userForm(c *fiber.Ctx) error {
	v, err := h.userPage(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_users", "", v)
}

// userCreate adds a user as POST /api/v1/users does: the platform checks
// the input and whether the visitor may give the role at the unit.
func (h *pages) userCreate(c *fiber.Ctx) error {
	v, err := h.userPage(c)
	if err != nil {
		return err
	}
	v.Username, v.Role, v.Unit, v.Scope = c.FormValue("username"), c.FormValue("role"), c.FormValue("unit"), c.FormValue("scope")
	v.Email = c.FormValue("email")
	in := platform.NewUser{Username: v.Username, Password: c.FormValue("password"), Role: v.Role, Unit: v.Unit, Email: v.Email}
	if policy.Scoped(v.Role) {
		in.Scope = v.Scope
	}
	ck := &check{lang: v.Lang}
	u, err := h.Platform.CreateUser(c.UserContext(), in)
	if err = ck.refused(err, nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_users", "", v)
	}
	created, err := h.userPage(c)
	if err != nil {
		return err
	}
	created.Created = u
	return h.render(c, fiber.StatusCreated, "admin_users", "", created)
}

// userPage loads the screen for those who manage users: the roles they may
// give, their units and users.
func (h *pages) userPage(c *fiber.Ctx) (*userFormView, error) {
	ctx := c.UserContext()
	v := &userFormView{page: h.base(c, text(langOf(c), "admin.new_user")), Roles: policy.Grantable(actorOf(c)),
		Scopes: []string{policy.Own, policy.Subtree}}
	var err error
	if v.Users, _, err = h.Platform.Users(ctx, store.Page{Limit: userRows}); err != nil {
		return nil, err
	}
	if v.Units, _, err = h.Platform.ManagedUnits(ctx, store.UnitFilter{Page: store.Page{Limit: store.MaxLimit}}); err != nil {
		return nil, err
	}
	return v, nil
}
