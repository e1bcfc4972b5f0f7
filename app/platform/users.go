package platform

import (
	"context"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// NewUser is a user to create. An officer (role unit) and an organiser
// belong to a unit; an officer's scope says whether it acts for the units
// below its own too.
type NewUser struct {
	Username string `json:"username" validate:"required,min=3,max=64,code"`
	Password string `json:"password" validate:"required,min=8,max=256"`
	Role     string `json:"role" validate:"required,oneof=admin organiser unit judge"`
	Unit     string `json:"unit" validate:"required_if=Role unit,required_if=Role organiser,omitempty,code"`
	Scope    string `json:"scope" validate:"omitempty,oneof=own subtree"`
	// Email is where reminders go and how single sign-on finds the user.
	Email string `json:"email" validate:"omitempty,max=254,email"`
}

// UserChanges is a change of a user: its e-mail address ("" removes it).
type UserChanges struct {
	Email *string `json:"email"` // required: "" removes the address
}

// CreateUser creates a user, as the admin or an organiser for its subtree
// may.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*store.User, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	switch {
	case in.Role == policy.Admin && in.Unit != "":
		return nil, invalid("unit", "quản trị viên không thuộc đơn vị nào", "an admin belongs to no unit")
	case in.Scope != "" && !policy.Scoped(in.Role):
		return nil, invalid("scope", "chỉ cán bộ đơn vị có phạm vi", "only a unit officer has a scope")
	}
	var place policy.Place
	if in.Unit != "" {
		p, err := s.tree.place(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		place = p
	}
	if err := policy.CreateUser(a, in.Role, place); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	return s.db.CreateUser(ctx, store.NewUser{Username: in.Username, PasswordHash: hash, Role: in.Role,
		Unit: in.Unit, Scope: in.Scope, Email: in.Email})
}

// UpdateUser changes a user's e-mail address, as those who could have
// created the user may: the admin, an organiser for a user of its subtree
// (never an admin). A user does not set its own: single sign-on trusts the
// address to say who the user is.
func (s *Service) UpdateUser(ctx context.Context, username string, in UserChanges) (*store.User, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	if in.Email == nil {
		return nil, invalid("email", "hãy cho biết địa chỉ thư điện tử (\"\" để xóa)", `email is required ("" removes the address)`)
	}
	// Validate normalises the fields it checks (NFC, no spaces around): the
	// address is checked and kept in such a field.
	email := struct {
		Email string `json:"email" validate:"omitempty,max=254,email"`
	}{*in.Email}
	if err := Validate(&email); err != nil {
		return nil, err
	}
	u, err := s.db.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	var place policy.Place
	if u.Unit != "" {
		if place, err = s.tree.place(ctx, "unit", u.Unit); err != nil {
			return nil, err
		}
	}
	if err := policy.CreateUser(a, u.Role, place); err != nil {
		return nil, err
	}
	return s.db.SetEmail(ctx, u.Username, email.Email)
}

// Users lists the users the actor manages: every user for the admin, those
// of its subtree for an organiser.
func (s *Service) Users(ctx context.Context, p store.Page) ([]store.User, string, error) {
	within, err := policy.Manages(ActorFrom(ctx))
	if err != nil {
		return nil, "", err
	}
	return s.db.Users(ctx, store.UserFilter{Within: within, Page: p})
}
