package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// judging reads the judging section; defaults are applied by ruleset.
func (b *builder) judging(n *yaml.Node, path string, j *Judging) {
	keys := map[string]string{}
	b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "min_judges":
			if b.integer(v, at, &j.MinJudges) && j.MinJudges < 1 {
				b.add(at, "must be at least 1")
			}
		case "aggregate":
			if b.text(v, at, &j.Aggregate) {
				switch j.Aggregate {
				case AggregateMean, AggregateMedian, AggregateTrimmedMean:
				default:
					b.add(at, "must be mean, median or trimmed_mean, not %q", j.Aggregate)
				}
			}
		case "normalize":
			if b.text(v, at, &j.Normalize) && j.Normalize != NormalizeZScore {
				b.add(at, "must be zscore or absent, not %q", j.Normalize)
			}
		case "criteria":
			b.list(v, at, func(v *yaml.Node, at string) {
				j.Criteria = append(j.Criteria, b.rubric(v, at, keys))
			})
		default:
			return false
		}
		return true
	})
}

// rubric reads one judging criterion.
func (b *builder) rubric(n *yaml.Node, path string, keys map[string]string) JudgingCriterion {
	c := JudgingCriterion{Weight: 1}
	given := b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "key":
			b.text(v, at, &c.Key)
		case "title":
			b.text(v, at, &c.Title)
		case "max":
			if b.number(v, at, &c.Max) && c.Max <= 0 {
				b.add(at, "must be greater than 0")
			}
		case "weight":
			if b.number(v, at, &c.Weight) && c.Weight <= 0 {
				b.add(at, "must be greater than 0")
			}
		case "description":
			b.text(v, at, &c.Description)
		case "levels":
			b.list(v, at, func(v *yaml.Node, at string) {
				c.Levels = append(c.Levels, b.rubricLevel(v, at))
			})
		default:
			return false
		}
		return true
	})
	b.key(path, c.Key, given["key"], keys)
	if c.Title == "" {
		c.Title = c.Key
	}
	if !given["max"] {
		b.add(path+".max", "is required")
	}
	b.checkLevels(path+".levels", c)
	return c
}

// rubricLevel reads one band of a rubric criterion's scores.
func (b *builder) rubricLevel(n *yaml.Node, path string) RubricLevel {
	var l RubricLevel
	given := b.fields(n, path, func(name string, v *yaml.Node, at string) bool {
		switch name {
		case "from":
			b.number(v, at, &l.From)
		case "to":
			b.number(v, at, &l.To)
		case "text":
			b.text(v, at, &l.Text)
		default:
			return false
		}
		return true
	})
	for _, f := range []string{"from", "to", "text"} {
		if !given[f] {
			b.add(path+"."+f, "is required")
		}
	}
	return l
}

// checkLevels checks that a criterion's bands lie in 0..max, lowest first,
// without overlapping.
func (b *builder) checkLevels(path string, c JudgingCriterion) {
	for i, l := range c.Levels {
		at := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case l.From < 0 || l.To > c.Max && c.Max > 0:
			b.add(at, "must lie between 0 and the criterion's max (%g)", c.Max)
		case l.From > l.To:
			b.add(at+".to", "must not be less than from")
		case i > 0 && l.From <= c.Levels[i-1].To:
			b.add(at+".from", "must be greater than the previous level's to (%g)", c.Levels[i-1].To)
		}
	}
}
