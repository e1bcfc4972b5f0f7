package rules

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// MaxSteps bounds what a ruleset costs to score one unit: the expression
// nodes its criteria, adjustments and honours' conditions evaluate, a
// predicate's body counted once for every item of its list. A national
// run scores 100,000 units; the movement's rulesets take a few hundred
// steps a unit, and 20,000 steps take about 100 µs.
const MaxSteps = 20_000

// steps counts the nodes an expression evaluates at most: a predicate
// (all, any, count, filter, map…) runs its body once per item of its list,
// which is a literal of fewer than maxExpressionNodes items (predicates
// cannot be nested, and there are no ranges); a list that is not a literal
// counts as that many items.
func steps(prog *vm.Program) int {
	if prog == nil {
		return 0
	}
	var c counter
	node := prog.Node()
	ast.Walk(&node, &c)
	return c.n
}

// counter is an AST visitor that counts steps.
type counter struct{ n int }

// Visit implements ast.Visitor.
func (c *counter) Visit(node *ast.Node) {
	c.n++
	b, ok := (*node).(*ast.BuiltinNode)
	if !ok || len(b.Arguments) < 2 {
		return
	}
	p, ok := b.Arguments[1].(*ast.PredicateNode)
	if !ok {
		return
	}
	items := maxExpressionNodes
	switch list := b.Arguments[0].(type) {
	case *ast.ArrayNode:
		items = len(list.Nodes)
	case *ast.ConstantNode: // a literal list of constants, as the compiler folds it
		if v := reflect.ValueOf(list.Value); v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
			items = v.Len()
		}
	}
	var body counter
	ast.Walk(&p.Node, &body)
	c.n += (items - 1) * body.n // the walk counts the body once
}

// checkSteps reports a ruleset that costs more than MaxSteps a unit, at
// its costliest expression.
func (b *builder) checkSteps(rs *Ruleset) {
	total, worst, at := 0, 0, ""
	note := func(path string, prog *vm.Program) {
		n := steps(prog)
		total += n
		if n > worst {
			worst, at = n, path
		}
	}
	for i, c := range rs.Criteria {
		note(fmt.Sprintf("criteria[%d].value", i), c.program)
	}
	for i, a := range rs.Adjustments {
		note(fmt.Sprintf("adjustments[%d].points", i), a.program)
	}
	for i, h := range rs.Honours {
		note(fmt.Sprintf("honours[%d].when", i), h.program)
	}
	if total > MaxSteps {
		b.add(at, "the ruleset takes %d steps to score one unit (this expression %d): at most %d", total, worst, MaxSteps)
	}
}
