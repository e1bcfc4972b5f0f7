package web

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// fieldError is a problem with a form, shown in place: beside its field
// (Field is the input's name) or, without a field, above the form.
type fieldError struct {
	Field   string
	Message string
}

// ID is the id of the message's element, for aria-describedby.
func (e fieldError) ID() string { return "e-" + e.Field }

// formErrors are a form's problems, in the order of its fields.
type formErrors []fieldError

// For returns the problem with a field, or nil.
func (fe formErrors) For(field string) *fieldError {
	for i := range fe {
		if fe[i].Field == field {
			return &fe[i]
		}
	}
	return nil
}

// check collects a form's problems in the page's language, and the status
// the refused form is answered with: 422 for what the visitor can correct
// in the form (conflicts too), 403 for a field the visitor may not choose.
type check struct {
	lang   string
	errors formErrors
	code   int // 0 for 422
}

// status is the refused form's status: 422, or what a refusal said.
func (ck *check) status() int {
	if ck.code != 0 {
		return ck.code
	}
	return fiber.StatusUnprocessableEntity
}

// say records a problem already in the page's language.
func (ck *check) say(field, message string) {
	if ck.errors.For(field) == nil {
		ck.errors = append(ck.errors, fieldError{Field: field, Message: message})
	}
}

// fail records a problem with a field; the message is a translation key,
// formatted with args.
func (ck *check) fail(field, key string, args ...any) {
	if ck.errors.For(field) != nil {
		return // one message per field: the first is the one to fix
	}
	msg := text(ck.lang, key)
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	ck.errors = append(ck.errors, fieldError{Field: field, Message: msg})
}

// number reads an optional number field; Vietnamese decimal commas are
// accepted. ok is false when the field is empty or invalid.
func (ck *check) number(c *fiber.Ctx, field string) (raw string, n float64, ok bool) {
	raw = strings.TrimSpace(c.FormValue(field))
	if raw == "" {
		return raw, 0, false
	}
	n, err := parseNumber(raw)
	if err != nil || n < 0 {
		ck.fail(field, "form.number")
		return raw, 0, false
	}
	return raw, n, true
}

// parseNumber reads a finite number, with a decimal point or a Vietnamese
// decimal comma ("NaN" and "Inf" are not numbers here).
func parseNumber(s string) (float64, error) {
	n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err == nil && (math.IsNaN(n) || math.IsInf(n, 0)) {
		return 0, strconv.ErrSyntax
	}
	return n, err
}

// labelled names the field of a message of the platform's that begins
// with the field's JSON name ("title là bắt buộc") by its label, as the
// form shows it ("Tên là bắt buộc").
func (ck *check) labelled(field, message string) string {
	leaf := field[strings.LastIndex(field, ".")+1:]
	if i := strings.IndexByte(leaf, '['); i > 0 {
		leaf = leaf[:i]
	}
	rest, ok := strings.CutPrefix(message, leaf)
	if !ok || leaf == "" || !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "[") {
		return message
	}
	if i := strings.IndexByte(rest, ' '); i > 0 { // "[0]" of a list's item
		rest = rest[i:]
	}
	if _, ok := texts["field."+leaf]; !ok {
		return text(ck.lang, "form.this_field") + rest
	}
	return text(ck.lang, "field."+leaf) + rest
}

// refused shows the platform's refusal of a form in place: every invalid
// field beside its input (inputs are named as the API's fields, or as
// fields maps them, or the field their name starts with), a conflict and a refusal of the policy that names a
// field there or above the form. Other errors (unknown things, a refusal
// of the whole page, failures) are returned for the error page.
func (ck *check) refused(err error, fields map[string]string) error {
	name := func(f string) string {
		if n, ok := fields[f]; ok {
			return n
		}
		if i := strings.IndexAny(f, "[."); i > 0 { // "evidence_urls[2]" on the input of "evidence_urls"
			if n, ok := fields[f[:i]]; ok {
				return n
			}
			if f[i] == '[' {
				return f[:i] // one input for the list
			}
		}
		return f
	}
	var (
		inv      *platform.Invalid
		se       *store.Error
		conflict *platform.Conflict
		denied   *policy.Denied
		malf     *platform.Malformed
		big      *platform.TooLarge
		uns      *platform.Unsupported
	)
	switch {
	case err == nil:
	case errors.As(err, &inv):
		for _, f := range inv.Fields {
			ck.say(name(f.Field), ck.labelled(f.Field, f.Text(ck.lang)))
		}
	case errors.As(err, &malf):
		ck.say("", malf.Text(ck.lang))
	case errors.As(err, &big):
		ck.say(name(big.Field), big.Text(ck.lang))
	case errors.As(err, &uns):
		ck.say(name(uns.Field), uns.Text(ck.lang))
	case errors.As(err, &conflict):
		ck.say(name(conflict.Field), conflict.Text(ck.lang))
	case errors.As(err, &denied) && denied.Field != "" && !denied.SignIn:
		ck.code = fiber.StatusForbidden
		ck.say(name(denied.Field), denied.Text(ck.lang))
	case errors.As(err, &se) && (errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict)):
		key := "form.refused"
		if errors.Is(err, store.ErrConflict) {
			key = "form.conflict"
		}
		ck.fail(name(se.Field), key, se.Text(ck.lang))
	default:
		return err
	}
	return nil
}
