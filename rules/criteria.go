package rules

import "gopkg.in/yaml.v3"

// MaxWeight bounds a criterion's weight, so that the sum of any number of
// weights stays finite.
const MaxWeight = 1_000_000

// criterion reads one item of the criteria list.
func (b *builder) criterion(n *yaml.Node, path string) Criterion {
	var c Criterion
	given := b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "key":
			b.text(v, at, &c.Key)
		case "title":
			b.text(v, at, &c.Title)
		case "description":
			b.text(v, at, &c.Description)
		case "weight":
			switch {
			case !b.number(v, at, &c.Weight):
			case c.Weight <= 0:
				b.add(at, "must be greater than 0")
			case c.Weight > MaxWeight:
				b.add(at, "must be at most %d", MaxWeight)
			}
		case "required":
			b.boolean(v, at, &c.Required)
		case "value":
			if b.text(v, at, &c.Value) {
				c.program = b.expression(at, c.Value, numeric)
			}
		default:
			return false
		}
		return true
	})
	b.key(path, c.Key, given["key"], b.breakdown)
	if c.Title == "" {
		c.Title = c.Key
	}
	for _, f := range []string{"weight", "value"} {
		if !given[f] {
			b.add(path+"."+f, "is required")
		}
	}
	return c
}

// adjustment reads one item of the adjustments list.
func (b *builder) adjustment(n *yaml.Node, path string) Adjustment {
	var a Adjustment
	given := b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "key":
			b.text(v, at, &a.Key)
		case "title":
			b.text(v, at, &a.Title)
		case "description":
			b.text(v, at, &a.Description)
		case "points":
			if b.text(v, at, &a.Points) {
				a.program = b.expression(at, a.Points, numeric)
			}
		case "min":
			b.optional(v, at, &a.Min)
		case "max":
			b.optional(v, at, &a.Max)
		default:
			return false
		}
		return true
	})
	b.key(path, a.Key, given["key"], b.breakdown)
	if a.Title == "" {
		a.Title = a.Key
	}
	if !given["points"] {
		b.add(path+".points", "is required")
	}
	if a.Min != nil && a.Max != nil && *a.Max < *a.Min {
		b.add(path+".max", "must not be less than min (%g)", *a.Min)
	}
	return a
}
