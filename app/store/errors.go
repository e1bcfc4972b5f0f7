package store

import (
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/thidua/thidua/rules"
)

// Kinds of failure a caller can act on. Test with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	ErrInvalid  = errors.New("invalid")
)

// Error is a failure of one of the kinds above, with the request field it
// concerns (JSON name, may be empty) and a human detail, in English; Text
// gives it in Vietnamese too.
type Error struct {
	Kind   error
	Field  string
	Detail string

	format string // Detail's format and arguments, for Text
	args   []any
}

// NewError is an Error of kind on field, its detail made from format and
// args as fmt.Sprintf does, a period (rules.Period) named in words. A
// format in the Vietnamese catalog (messages.go) can be read in Vietnamese.
func NewError(kind error, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Detail: fmt.Sprintf(format, argsIn("en", args)...), format: format, args: args}
}

// Text is the detail in a language: "vi" for Vietnamese when the catalog
// has it, English otherwise.
func (e *Error) Text(lang string) string {
	if vi, ok := vietnamese[e.format]; ok && lang == "vi" {
		return fmt.Sprintf(vi, argsIn(lang, e.args)...)
	}
	return e.Detail
}

// argsIn names a message's arguments in a language: a period in words
// ("quý III/2025", "Q3 2025") and, in Vietnamese, the values of data by
// their Vietnamese names.
func argsIn(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
		if p, ok := a.(rules.Period); ok {
			out[i] = p.Inline(lang)
		} else if v := reflect.ValueOf(a); lang == "vi" && v.Kind() == reflect.String { // granularities are strings of their own type
			out[i] = ValueText(lang, v.String())
		}
	}
	return out
}

// namedPeriod is a period key as a message's argument: the period, named
// in words, when the key parses; else the key as it is.
func namedPeriod(key string) any {
	if p, err := rules.ParsePeriod(key); err == nil {
		return p
	}
	return key
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%v: %s: %s", e.Kind, e.Field, e.Detail)
	}
	return fmt.Sprintf("%v: %s", e.Kind, e.Detail)
}

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

func notFound(format string, args ...any) error {
	return NewError(ErrNotFound, "", format, args...)
}

func conflict(field, format string, args ...any) error {
	return NewError(ErrConflict, field, format, args...)
}

func invalid(field, format string, args ...any) error {
	return NewError(ErrInvalid, field, format, args...)
}

// translate turns the driver's errors that callers can act on into ours.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return notFound("not found")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return conflict("", "already exists")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return invalid("", "refers to something that does not exist")
	}
	return err
}

// badText turns PostgreSQL's refusal of text that is not UTF-8 or holds
// NUL into ErrInvalid: wherever it came from (a query parameter, a form),
// the caller's input is at fault, not the service.
func badText(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05") {
		return invalid("", "text must be UTF-8 without NUL characters")
	}
	return err
}

// translateBadText makes every statement's error go through badText, for
// the queries made outside a transaction too.
func translateBadText(g *gorm.DB) error {
	fix := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = badText(tx.Error)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("thidua:bad_text", fix),
		cb.Row().After("gorm:row").Register("thidua:bad_text", fix),
		cb.Raw().After("gorm:raw").Register("thidua:bad_text", fix),
		cb.Create().After("gorm:create").Register("thidua:bad_text", fix),
		cb.Update().After("gorm:update").Register("thidua:bad_text", fix),
		cb.Delete().After("gorm:delete").Register("thidua:bad_text", fix),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// finite refuses a NaN or infinite value of m (which JSON cannot carry and
// no figure means), naming it as field.key.
func finite(field string, m map[string]float64) error {
	for k, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return invalid(field+"."+k, "must be a finite number")
		}
	}
	return nil
}
