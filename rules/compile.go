package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// maxSourceLen bounds the size of a ruleset document.
const maxSourceLen = 1 << 20

// Compile parses a ruleset document (YAML, or JSON, which the same parser
// reads), validates it completely and compiles every expression once against
// the typed facts, where indicators are the only names known under kpi.,
// target. and reported.. On any problem the error is Problems, listing every
// problem found. Compile never panics.
func Compile(src []byte, indicators []string) (*Ruleset, error) {
	if len(src) > maxSourceLen {
		return nil, Problems{{Message: fmt.Sprintf("the ruleset is too large (over %d bytes)", maxSourceLen)}}
	}
	root, problems := parse(src)
	if len(problems) > 0 {
		return nil, problems
	}
	b := &builder{compiler: newCompiler(indicators), breakdown: map[string]string{}}
	rs := b.ruleset(root)
	if len(b.problems) == 0 {
		b.checkSteps(rs)
	}
	if len(b.problems) > 0 {
		return nil, b.problems
	}
	return rs, nil
}

// parse parses the one document in src into its root node.
func parse(src []byte) (root *yaml.Node, problems Problems) {
	defer func() {
		if r := recover(); r != nil {
			root, problems = nil, Problems{{Message: fmt.Sprintf("the ruleset cannot be parsed: %v", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Problems{{Message: "the ruleset is empty"}}
		}
		return nil, Problems{syntaxProblem(err)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, Problems{syntaxProblem(err)}
		}
		return nil, Problems{{Message: "the ruleset must be one document, not several"}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, Problems{{Message: "the ruleset is empty"}}
	}
	return doc.Content[0], nil
}

// syntaxProblem turns "yaml: line 3: did not find expected key" into a
// problem on line 3.
func syntaxProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, text, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(n); err == nil {
				return Problem{Message: "syntax error: " + text, Line: line}
			}
		}
	}
	return Problem{Message: "syntax error: " + msg}
}

// builder turns a document's nodes into a Ruleset, collecting problems.
type builder struct {
	decoder
	*compiler
	// breakdown maps each criterion and adjustment key to the path of the
	// first one: they share a namespace, the columns of a breakdown.
	breakdown map[string]string
}

// ruleset reads the document's root.
func (b *builder) ruleset(n *yaml.Node) *Ruleset {
	rs := &Ruleset{}
	honours := map[string]string{}
	given := b.fields(n, "", func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "schema":
			if b.integer(v, at, &rs.Schema) && rs.Schema != Schema {
				b.add(at, "unknown schema %d: this version reads schema %d", rs.Schema, Schema)
			}
		case "timezone":
			b.text(v, at, &rs.TimeZone)
		case "period":
			b.text(v, at, (*string)(&rs.Period))
		case "schedule":
			b.schedule(v, at, &rs.Schedule)
		case "reporting":
			b.reporting(v, at, &rs.Reporting)
		case "criteria":
			b.list(v, at, func(v *yaml.Node, at string) {
				rs.Criteria = append(rs.Criteria, b.criterion(v, at))
			})
		case "adjustments":
			b.list(v, at, func(v *yaml.Node, at string) {
				rs.Adjustments = append(rs.Adjustments, b.adjustment(v, at))
			})
		case "judging":
			b.judging(v, at, &rs.Judging)
		case "honours":
			b.list(v, at, func(v *yaml.Node, at string) {
				rs.Honours = append(rs.Honours, b.honour(v, at, honours))
			})
		default:
			return false
		}
		return true
	})
	if n.Kind != yaml.MappingNode && !isNull(n) {
		return rs // already reported: nothing else to say
	}
	if !given["schema"] {
		b.add("schema", "is required (schema: %d)", Schema)
	}
	if len(rs.Criteria) == 0 {
		b.add("criteria", "at least one criterion is required")
	}
	b.timing(rs, given)
	if rs.Judging.MinJudges == 0 {
		rs.Judging.MinJudges = 1
	}
	if rs.Judging.Aggregate == "" {
		rs.Judging.Aggregate = AggregateMean
	}
	return rs
}

// key checks the key of the list item at path and records it in keys, a
// namespace mapping each key to the path of its first item.
func (b *builder) key(path, key string, given bool, keys map[string]string) {
	at := path + ".key"
	switch {
	case !given:
		b.add(at, "is required")
	case !validKey(key):
		b.add(at, "must be 1 to %d of a-z, 0-9 and _, not %q", maxKeyLen, key)
	case keys[key] != "":
		b.add(at, "duplicate key %q (also %s)", key, keys[key])
	default:
		keys[key] = path
	}
}

// maxKeyLen bounds keys, which name breakdown columns and honours.
const maxKeyLen = 64

// validKey reports whether key matches ^[a-z0-9_]+$ and is not too long.
func validKey(key string) bool {
	if key == "" || len(key) > maxKeyLen {
		return false
	}
	for i := range len(key) {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// expression compiles the expression src at path, reporting its problems.
func (b *builder) expression(at, src string, k kind) *vm.Program {
	prog, problems := b.compile(at, src, k)
	b.problems = append(b.problems, problems...)
	return prog
}
