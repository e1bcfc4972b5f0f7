package rules

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a ruleset, or with evaluating one of its
// expressions.
type Problem struct {
	// Path names the field with YAML names and indexes, such as
	// "criteria[2].value", "schedule.score" or "honours[0].scope"; it is
	// empty for a problem with the document as a whole.
	Path string `json:"field"`
	// Message says what is wrong, in English.
	Message string `json:"message"`
	// Line and Column are the 1-based position inside the expression at Path
	// when known; for a syntax error in the document, Line is its line.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// Error formats the problem as "path: message (line:column)".
func (p Problem) Error() string {
	var b strings.Builder
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	switch {
	case p.Line > 0 && p.Column > 0:
		fmt.Fprintf(&b, " (%d:%d)", p.Line, p.Column)
	case p.Line > 0:
		fmt.Fprintf(&b, " (line %d)", p.Line)
	}
	return b.String()
}

// Problems is every problem found in a ruleset; it implements error.
type Problems []Problem

// Error joins the problems, one per line.
func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}
