package web

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/thidua/thidua/app/store"
)

// A criterion is explained to the public in two sentences instead of its
// expression: what it measures (the ruleset's description when it has one)
// and how the unit gains the points it lacks. The sentences are read off
// the expression's shape; a shape not recognised falls back to naming the
// figures it reads, or to the criterion's title.

// plainText is a rule said in words.
type plainText struct {
	What string // what it measures and what it is worth
	How  string // how to gain its points, for this unit
}

// factRef is a fact an expression reads, with its label and value for the unit.
type factRef struct {
	group, name string
	label       string
	value       any
	shown       string
}

// explainer says rules in one language about one unit's facts.
type explainer struct {
	lang  string
	f     formats
	facts map[string]map[string]any
	inds  map[string]store.Indicator
}

func (x explainer) ref(n ast.Node) (factRef, bool) {
	m, ok := n.(*ast.MemberNode)
	if !ok {
		return factRef{}, false
	}
	id, ok1 := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if !ok1 || !ok2 {
		return factRef{}, false
	}
	v := x.facts[id.Value][prop.Value]
	return factRef{group: id.Value, name: prop.Value, value: v,
		label: lowerFirst(factLabel(x.lang, id.Value, prop.Value, x.inds)),
		shown: factValue(x.lang, x.f, id.Value, prop.Value, v, x.inds)}, true
}

// number is a literal number, negative ones included.
func number(n ast.Node) (float64, bool) {
	switch v := n.(type) {
	case *ast.IntegerNode:
		return float64(v.Value), true
	case *ast.FloatNode:
		return v.Value, true
	case *ast.UnaryNode:
		if x, ok := number(v.Node); ok && v.Operator == "-" {
			return -x, true
		}
	}
	return 0, false
}

func (x explainer) t(key string, args ...any) string {
	return fmt.Sprintf(text(x.lang, key), args...)
}

// criterion explains a criterion worth weight, of which the unit has points.
func (x explainer) criterion(title, description, src string, weight, points float64) plainText {
	var p plainText
	full := points >= weight-1e-9
	tree, err := parser.Parse(src)
	if err == nil {
		p = x.criterionShape(tree.Node, weight)
	}
	if description != "" {
		p.What = description
	}
	if p.What == "" {
		p.What = title
	}
	switch {
	case full:
		p.How = x.t("explain.full")
	case p.How == "":
		p.How = x.t("explain.improve", x.f.score(weight-points))
	}
	return p
}

// criterionShape recognises the usual shapes of a criterion's expression.
func (x explainer) criterionShape(n ast.Node, weight float64) plainText {
	w := x.f.score(weight)
	switch e := n.(type) {
	case *ast.ConditionalNode: // fact >= n ? 1 : 0
		c, ok := e.Cond.(*ast.BinaryNode)
		yes, ok1 := number(e.Exp1)
		no, ok2 := number(e.Exp2)
		if !ok || !ok1 || !ok2 || yes != 1 || no != 0 {
			break
		}
		r, ok := x.ref(c.Left)
		limit, ok2 := number(c.Right)
		cond, ok3 := x.comparison(c.Operator, limit)
		if !ok || !ok2 || !ok3 {
			break
		}
		return plainText{What: x.t("explain.when", w, r.label, cond),
			How: x.t("explain.when_how", r.label, cond, r.shown)}
	case *ast.BinaryNode:
		if e.Operator != "/" {
			break
		}
		num, ok := x.ref(e.Left)
		if !ok {
			break
		}
		if den, ok := x.ref(e.Right); ok { // kpi.x / target.x
			return plainText{What: x.t("explain.ratio", num.label, den.shown, w),
				How: x.t("explain.ratio_how", num.label, den.shown, num.shown)}
		}
		if n, ok := number(e.Right); ok && n > 0 { // projects.adopted / 3
			each := x.f.number(weight / n)
			return plainText{What: x.t("explain.per", each, num.label, w, x.f.number(n)),
				How: x.t("explain.per_how", num.label, x.f.number(n), num.shown)}
		}
	case *ast.MemberNode: // judging.best
		r, ok := x.ref(e)
		if !ok {
			break
		}
		return plainText{What: x.t("explain.share", r.label, w), How: x.t("explain.share_how", r.label, r.shown)}
	}
	// Otherwise: the figures it reads.
	var refs factRefs
	ast.Walk(&n, &refs)
	var labels []string
	for _, ref := range refs {
		group, name, _ := strings.Cut(ref, ".")
		labels = append(labels, factLabel(x.lang, group, name, x.inds))
	}
	if len(labels) > 0 {
		return plainText{How: x.t("explain.reads", strings.Join(labels, "; "))}
	}
	return plainText{}
}

// comparison says "fact op limit" after the fact's name.
func (x explainer) comparison(op string, limit float64) (string, bool) {
	key := map[string]string{">=": "explain.at_least", ">": "explain.more_than", "==": "explain.exactly",
		"<=": "explain.at_most", "<": "explain.less_than"}[op]
	if key == "" {
		return "", false
	}
	return x.t(key, x.f.number(limit)), true
}

// adjustment explains an adjustment's points: k × fact, bounded.
func (x explainer) adjustment(title, description, src string, lo, hi *float64, points float64) plainText {
	p := plainText{What: title}
	if tree, err := parser.Parse(src); err == nil {
		if e, ok := tree.Node.(*ast.BinaryNode); ok && e.Operator == "*" {
			k, ok1 := number(e.Left)
			r, ok2 := x.ref(e.Right)
			if !ok1 || !ok2 {
				k, ok1 = number(e.Right)
				r, ok2 = x.ref(e.Left)
			}
			if ok1 && ok2 && k != 0 {
				key, bound, how := "explain.add_each", hi, "explain.add_how"
				if k < 0 {
					key, bound, how = "explain.sub_each", lo, "explain.sub_how"
				}
				p.What = x.t(key, x.f.number(math.Abs(k)), r.label)
				if bound != nil {
					p.What += x.t("explain.bound", x.f.number(math.Abs(*bound)))
				}
				p.What += "."
				p.How = x.t(how, r.label, r.shown)
				if k < 0 && points == 0 {
					p.How = x.t("explain.none_lost")
				}
			}
		}
	}
	if description != "" {
		p.What = description
	}
	if p.How == "" && points < 0 {
		p.How = x.t("explain.lost", x.f.score(-points))
	}
	return p
}

// lowerFirst writes a label inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
