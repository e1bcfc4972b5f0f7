package rules

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// SourceLine is the line of a ruleset's source (YAML or JSON) that a
// problem is about, so that an editor can show it beside that line: the
// line of the field at the problem's Path (of the deepest part of the path
// the document has, for a field that is missing), moved down by the
// problem's Line inside an expression written over several lines; a
// syntax error's own line. It is 0 when the source cannot be read.
func (p Problem) SourceLine(src []byte) int {
	if p.Path == "" {
		return p.Line
	}
	node, line := locate(src, p.Path)
	if node == nil {
		return line
	}
	if node.Kind == yaml.ScalarNode && p.Line > 0 {
		if node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return node.Line + p.Line // the text starts on the line after "|" or ">"
		}
		return node.Line + p.Line - 1
	}
	return line
}

// locate walks a path such as "criteria[2].value" down the document. It
// returns the node at the path with its line (a scalar's own line, or the
// line of the key or list item that holds it), or nil and the line of the
// deepest part found.
func locate(src []byte, path string) (*yaml.Node, int) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return nil, 0
	}
	n := resolve(doc.Content[0])
	line := n.Line
	for _, step := range pathSteps(path) {
		var next *yaml.Node
		switch {
		case step.key != "" && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == step.key {
					next, line = resolve(n.Content[i+1]), n.Content[i].Line
					break
				}
			}
		case step.key == "" && n.Kind == yaml.SequenceNode && step.index < len(n.Content):
			next = resolve(n.Content[step.index])
			line = next.Line
		}
		if next == nil {
			return nil, line
		}
		n = next
	}
	if n.Kind == yaml.ScalarNode {
		line = n.Line
	}
	return n, line
}

// pathStep is one part of a problem's path: a field's key, or a list's index.
type pathStep struct {
	key   string
	index int
}

// pathSteps splits "criteria[2].value" into criteria, 2, value.
func pathSteps(path string) []pathStep {
	var out []pathStep
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			out = append(out, pathStep{key: name})
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			if err != nil {
				return out
			}
			out = append(out, pathStep{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}

// CronSpec is a cron spec of a ruleset's schedule, as its source gives it.
type CronSpec struct {
	Field string // "score", "close"
	Spec  string
	Line  int
}

// CronSpecs lists the cron specs under schedule in a ruleset's source, in
// order, whether or not they are valid; a source that cannot be read has
// none.
func CronSpecs(src []byte) []CronSpec {
	n, _ := locate(src, "schedule")
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out []CronSpec
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := resolve(n.Content[i+1]); v.Kind == yaml.ScalarNode && v.Value != "" {
			out = append(out, CronSpec{Field: n.Content[i].Value, Spec: v.Value, Line: v.Line})
		}
	}
	return out
}
