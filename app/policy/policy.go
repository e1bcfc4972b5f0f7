// Package policy decides who may do what on which unit and campaign. It is
// the platform's one rulebook of permissions: the operations every
// front-end calls (package platform) ask it before they read or write
// anything that is not public, and the pages only read it to hide what a
// visitor may not use.
//
// The model: units form a tree (the city's Front committee, its wards and
// communes, their member organisations and digital teams). A user acts from
// a place in that tree:
//   - admin operates the platform and may do everything;
//   - organiser runs campaigns for its unit's subtree: campaigns organised by
//     its unit or a unit below it, and the units and users of that subtree;
//   - unit (an officer) acts for its own unit, or with scope subtree for its
//     unit and every unit below it (a ward's Front committee for its member
//     organisations);
//   - judge scores the projects its committee assigns it.
//
// A decision is a function of the actor, the action and the places it
// concerns; refusals are *Denied, naming the request field at fault.
// Policy is pure: the caller loads the places (see Place).
package policy

import "slices"

// Roles a user can have.
const (
	Admin     = "admin"
	Organiser = "organiser"
	Officer   = "unit"
	Judge     = "judge"
)

// Roles lists every role, from the most powerful.
var Roles = []string{Admin, Organiser, Officer, Judge}

// Scopes of a unit officer.
const (
	Own     = "own"     // its unit alone
	Subtree = "subtree" // its unit and every unit below it
)

// Actor is who asks. The zero Actor is an anonymous visitor.
type Actor struct {
	Username string
	Role     string
	Unit     string // the code of the actor's unit; "" for none
	Scope    string // Own or Subtree, for an officer
}

// SignedIn reports whether the actor is a user.
func (a Actor) SignedIn() bool { return a.Username != "" }

// Place is a unit with its ancestry: the codes from the root of the unit
// tree down to the unit itself. A nil Place is no unit.
type Place []string

// Code is the unit's code.
func (p Place) Code() string {
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

// Within reports whether the unit lies in the subtree of the unit code: it
// is that unit or a unit below it.
func (p Place) Within(code string) bool {
	return code != "" && slices.Contains(p, code)
}

// Campaign is what a decision needs of a campaign.
type Campaign struct {
	Slug string
	// Organiser is the organising unit's place; nil for a campaign of the
	// platform, which only the admin manages.
	Organiser Place
}

// Denied is a refusal: the actor may not do what it asked (403), or has
// not signed in (401). Field names the request field at fault, if one is.
type Denied struct {
	Field    string
	SignIn   bool      // no user: sign in first
	messages [2]string // vi, en
}

func deny(field, vi, en string) *Denied { return &Denied{Field: field, messages: [2]string{vi, en}} }

// errSignIn refuses an anonymous visitor.
var errSignIn = &Denied{SignIn: true, messages: [2]string{"hãy đăng nhập trước", "sign in first"}}

func (d *Denied) Error() string {
	if d.Field != "" {
		return "forbidden: " + d.Field + ": " + d.messages[1]
	}
	return "forbidden: " + d.messages[1]
}

// Text is the refusal in a language: "en" for English, Vietnamese otherwise.
func (d *Denied) Text(lang string) string {
	if lang == "en" {
		return d.messages[1]
	}
	return d.messages[0]
}

// SignedIn refuses an anonymous actor: what any user may try, the others
// are asked to sign in for first.
func SignedIn(a Actor) error { return signedIn(a) }

// signedIn refuses an anonymous actor.
func signedIn(a Actor) error {
	if !a.SignedIn() {
		return errSignIn
	}
	return nil
}
