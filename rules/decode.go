package rules

import (
	"fmt"
	"math"

	"gopkg.in/yaml.v3"
)

// decoder reads a YAML (or JSON) document node by node, rather than into
// tagged structs, so that every problem carries its path and every problem
// is collected instead of the first. A null value counts as absent.
type decoder struct {
	problems Problems
}

func (d *decoder) add(path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// fields calls field for each field of the mapping n at path, and reports
// the fields it does not know (those for which it returns false), fields
// given twice, and a node that is not a mapping. It returns the names of the
// fields given with a non-null value.
func (d *decoder) fields(n *yaml.Node, path string, field func(name string, v *yaml.Node, at string) bool) map[string]bool {
	n = resolve(n)
	given := map[string]bool{}
	if isNull(n) {
		return given
	}
	if n.Kind != yaml.MappingNode {
		d.add(path, "must be a mapping of fields")
		return given
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.add(path, "field names must be text")
			continue
		}
		at := join(path, k.Value)
		if seen[k.Value] {
			d.add(at, "is given twice")
			continue
		}
		seen[k.Value] = true
		if !field(k.Value, v, at) {
			d.add(at, "unknown field")
			continue
		}
		if !isNull(v) {
			given[k.Value] = true
		}
	}
	return given
}

// list calls item for each item of the sequence n at path; null is empty.
func (d *decoder) list(n *yaml.Node, path string, item func(v *yaml.Node, at string)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.add(path, "must be a list")
		return
	}
	for i, v := range n.Content {
		item(resolve(v), fmt.Sprintf("%s[%d]", path, i))
	}
}

// text sets *into to the scalar n (a number or a boolean is taken as written)
// and reports whether it did.
func (d *decoder) text(n *yaml.Node, at string, into *string) bool {
	if isNull(n) {
		return false
	}
	if n.Kind != yaml.ScalarNode {
		d.add(at, "must be text")
		return false
	}
	*into = n.Value
	return true
}

// number sets *into to the finite number n and reports whether it did.
func (d *decoder) number(n *yaml.Node, at string, into *float64) bool {
	if isNull(n) {
		return false
	}
	var x float64
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || n.Decode(&x) != nil {
		d.add(at, "must be a number")
		return false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		d.add(at, "must be a finite number")
		return false
	}
	*into = x
	return true
}

// optional is number for a field whose absence means "not set".
func (d *decoder) optional(n *yaml.Node, at string, into **float64) bool {
	var x float64
	if !d.number(n, at, &x) {
		return false
	}
	*into = &x
	return true
}

// integer sets *into to the whole number n and reports whether it did.
func (d *decoder) integer(n *yaml.Node, at string, into *int) bool {
	if isNull(n) {
		return false
	}
	var i int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		d.add(at, "must be a whole number")
		return false
	}
	*into = i
	return true
}

// boolean sets *into to the boolean n and reports whether it did.
func (d *decoder) boolean(n *yaml.Node, at string, into *bool) bool {
	if isNull(n) {
		return false
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.add(at, "must be true or false")
		return false
	}
	*into = b
	return true
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// join is the path of the field name inside path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
