package platform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/thidua/thidua/app/store"
)

// Text in the platform's two languages: Vietnamese first.
const (
	VI = "vi"
	EN = "en"
)

// message is a text in Vietnamese and English.
type message [2]string

func (m message) in(lang string) string {
	if lang == EN {
		return m[1]
	}
	return m[0]
}

// FieldError is one invalid field of an input: its JSON name (a path such
// as "criteria.innovation" or "evidence_urls[0]", or "" for the input as a
// whole), with a position for a file's line or an expression's column.
type FieldError struct {
	Field  string
	Line   int
	Column int
	msg    message
}

// Text is the problem in a language ("vi" or "en").
func (f FieldError) Text(lang string) string { return f.msg.in(lang) }

// Invalid is input that parsed but breaks the data's invariants: every
// invalid field is listed.
type Invalid struct{ Fields []FieldError }

func (e *Invalid) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.msg[1]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is match store.ErrInvalid.
func (e *Invalid) Unwrap() error { return store.ErrInvalid }

// also adds a problem with a field to what validation found: a v that is
// invalid on its tags and on an invariant across fields lists both.
func also(err error, field, vi, en string) error {
	f := FieldError{Field: field, msg: message{vi, en}}
	if err == nil {
		return &Invalid{Fields: []FieldError{f}}
	}
	var inv *Invalid
	if !errors.As(err, &inv) {
		return err
	}
	for _, g := range inv.Fields {
		if g.Field == field {
			return err // one message per field
		}
	}
	inv.Fields = append(inv.Fields, f)
	return inv
}

// invalid is an Invalid of one field.
func invalid(field, vi, en string) *Invalid {
	return &Invalid{Fields: []FieldError{{Field: field, msg: message{vi, en}}}}
}

// Malformed is input that cannot be read at all (an empty or broken file,
// a body that is not a ruleset).
type Malformed struct{ msg message }

func malformed(vi, en string) *Malformed { return &Malformed{message{vi, en}} }

func (e *Malformed) Error() string { return e.msg[1] }

// Text is the problem in a language ("vi" or "en").
func (e *Malformed) Text(lang string) string { return e.msg.in(lang) }

// Conflict is a request that the data's state refuses (the campaign has no
// rubric yet, …); errors.Is matches store.ErrConflict.
type Conflict struct {
	Field string
	msg   message
}

func conflict(field, vi, en string) *Conflict { return &Conflict{Field: field, msg: message{vi, en}} }

func (e *Conflict) Error() string { return fmt.Sprintf("conflict: %s", e.msg[1]) }

// Text is the problem in a language ("vi" or "en").
func (e *Conflict) Text(lang string) string { return e.msg.in(lang) }

// Unwrap lets errors.Is match store.ErrConflict.
func (e *Conflict) Unwrap() error { return store.ErrConflict }

// TooLarge is an upload larger than the limit (413).
type TooLarge struct {
	Field string
	msg   message
}

func (e *TooLarge) Error() string { return "too large: " + e.msg[1] }

// Text is the problem in a language ("vi" or "en").
func (e *TooLarge) Text(lang string) string { return e.msg.in(lang) }

// Unsupported is an upload of a type the platform does not keep (415).
type Unsupported struct {
	Field string
	msg   message
}

func (e *Unsupported) Error() string { return "unsupported: " + e.msg[1] }

// Text is the problem in a language ("vi" or "en").
func (e *Unsupported) Text(lang string) string { return e.msg.in(lang) }
