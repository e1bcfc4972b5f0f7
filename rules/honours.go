package rules

import "gopkg.in/yaml.v3"

// honour reads one item of the honours list; keys is the honours' namespace.
func (b *builder) honour(n *yaml.Node, path string, keys map[string]string) Honour {
	h := Honour{Scope: ScopeOverall}
	given := b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "key":
			b.text(v, at, &h.Key)
		case "title":
			b.text(v, at, &h.Title)
		case "scope":
			if b.text(v, at, &h.Scope) {
				switch h.Scope {
				case ScopeOverall, ScopeLevel, ScopeCluster:
				default:
					b.add(at, "must be overall, level or cluster, not %q", h.Scope)
				}
			}
		case "top":
			if b.integer(v, at, &h.Top) && h.Top < 1 {
				b.add(at, "must be at least 1")
			}
		case "min_score":
			b.optional(v, at, &h.MinScore)
		case "when":
			if b.text(v, at, &h.When) {
				h.program = b.expression(at, h.When, condition)
			}
		default:
			return false
		}
		return true
	})
	b.key(path, h.Key, given["key"], keys)
	if h.Title == "" {
		h.Title = h.Key
	}
	return h
}
