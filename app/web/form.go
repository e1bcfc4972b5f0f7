package web

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

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

// check collects a form's problems in the page's language.
type check struct {
	lang   string
	errors formErrors
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

// text reads a text field, trimmed and in NFC, and checks its length.
func (ck *check) text(c *fiber.Ctx, field string, required bool, max int) string {
	v := norm.NFC.String(strings.TrimSpace(c.FormValue(field)))
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		ck.fail(field, "form.bad_text")
		return ""
	case required && v == "":
		ck.fail(field, "form.required")
	case len([]rune(v)) > max:
		ck.fail(field, "form.too_long", max)
	}
	return v
}

// date reads an optional date field (YYYY-MM-DD, as <input type=date> sends).
func (ck *check) date(c *fiber.Ctx, field string) (string, store.Date) {
	v := strings.TrimSpace(c.FormValue(field))
	if v == "" {
		return "", store.Date{}
	}
	d, err := store.ParseDate(v)
	if err != nil {
		ck.fail(field, "form.date")
	}
	return v, d
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

// storeProblem shows a refusal of the store in the form: invalid input on
// its field (or above the form), a conflict above the form. Other errors
// are returned for the error page.
func (ck *check) storeProblem(err error, fields map[string]string) error {
	var se *store.Error
	if !errors.As(err, &se) || errors.Is(err, store.ErrNotFound) {
		return err
	}
	field := fields[se.Field]
	key := "form.refused"
	if errors.Is(err, store.ErrConflict) {
		key = "form.conflict"
	}
	ck.fail(field, key, se.Text(ck.lang))
	return nil
}
