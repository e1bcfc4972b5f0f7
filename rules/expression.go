package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Bounds on one expression, so that compiling and evaluating stay cheap.
const (
	maxExpressionLen   = 4096 // bytes of source
	maxExpressionNodes = 500  // AST nodes
)

// builtins are the expression language's functions a ruleset may call: pure,
// bounded and clock-free (now, date, duration and the like are left out so
// that a run depends only on its facts).
var builtins = []string{
	"abs", "ceil", "floor", "round", "int", "float",
	"max", "min", "mean", "median", "sum", "len",
	"all", "any", "none", "one", "filter", "map", "count",
	"lower", "upper", "trim", "hasPrefix", "hasSuffix",
}

// kind is what an expression must evaluate to, and where it may appear.
type kind int

const (
	numeric   kind = iota // a criterion value or an adjustment's points
	condition             // an honour's when: a boolean that may read score and rank
)

// compiler compiles the expressions of one ruleset against the campaign's
// indicators.
type compiler struct {
	indicators map[string]bool
}

func newCompiler(indicators []string) *compiler {
	c := &compiler{indicators: make(map[string]bool, len(indicators))}
	for _, k := range indicators {
		c.indicators[k] = true
	}
	return c
}

// compile compiles src into a program, or returns every problem found in it
// (with paths set to path).
func (c *compiler) compile(path, src string, k kind) (prog *vm.Program, problems Problems) {
	if strings.TrimSpace(src) == "" {
		return nil, Problems{{Path: path, Message: "is required"}}
	}
	if len(src) > maxExpressionLen {
		return nil, Problems{{Path: path, Message: fmt.Sprintf("is too long (over %d bytes)", maxExpressionLen)}}
	}
	defer func() {
		// The expression library is not expected to panic, but a ruleset
		// is untrusted input and Compile must never panic.
		if r := recover(); r != nil {
			prog, problems = nil, Problems{{Path: path, Message: fmt.Sprintf("cannot be compiled: %v", r)}}
		}
	}()

	names := &nameCheck{compiler: c, condition: k == condition}
	env, expect := any(Facts{}), expr.AsFloat64()
	if k == condition {
		env, expect = HonourFacts{}, expr.AsBool()
	}
	opts := []expr.Option{
		expr.Env(env),
		expect,
		expr.MaxNodes(maxExpressionNodes),
		expr.DisableAllBuiltins(),
	}
	for _, name := range builtins {
		opts = append(opts, expr.EnableBuiltin(name))
	}
	opts = append(opts,
		expr.Function(divideName, divide, new(func(any, any) float64)),
		expr.Function(moduloName, modulo, new(func(any, any) int)),
		expr.Patch(names),
		expr.Patch(safeArithmetic{}),
	)

	prog, err := expr.Compile(src, opts...)
	// Name problems come first and all of them: the type checker would stop
	// at the first, in less friendly words.
	for _, e := range names.errs {
		problems = append(problems, exprProblem(path, src, e))
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if err != nil {
		return nil, Problems{exprProblem(path, src, err)}
	}
	return prog, nil
}

// exprProblem turns an error of the expression library into a Problem with
// a 1-based line and column, in the words of a ruleset's author.
func exprProblem(path, src string, err error) Problem {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return Problem{Path: path, Message: friendly(err.Error())}
	}
	if fe.Snippet == "" && fe.Line == 0 {
		fe = fe.Bind(file.NewSource(src))
	}
	return Problem{Path: path, Message: friendly(fe.Message), Line: fe.Line, Column: fe.Column + 1}
}

// typeNames maps Go names in the library's messages to the names of facts.
var typeNames = strings.NewReplacer(
	"compilation failed: expression exceeds maximum allowed nodes", fmt.Sprintf("is too complex (over %d nodes)", maxExpressionNodes),
	"expected float64, but got", "must be a number, not",
	"expected bool, but got", "must be true or false, not",
	"rules.HonourFacts", "facts",
	"rules.Facts", "facts",
	"rules.UnitFacts", "unit",
	"rules.ProjectFacts", "projects",
	"rules.ReportFacts", "reports",
	"rules.JudgingFacts", "judging",
	"rules.RankFacts", "rank",
	"map[string]float64", "indicators",
	"map[string]bool", "indicators",
	"float64", "number",
	"[]interface {}", "list",
	"interface {}", "any value",
)

func friendly(msg string) string {
	return typeNames.Replace(msg)
}

// nameCheck is an AST visitor that reports every unknown fact or indicator,
// with its position, before the type checker runs.
type nameCheck struct {
	*compiler
	condition bool
	errs      []error
}

// nested reports whether the predicate body n contains a predicate.
func nested(n ast.Node) bool {
	var found predicateFinder
	ast.Walk(&n, &found)
	return bool(found)
}

// predicateFinder is an AST visitor that notes whether it met a predicate.
type predicateFinder bool

// Visit implements ast.Visitor.
func (f *predicateFinder) Visit(node *ast.Node) {
	if _, ok := (*node).(*ast.PredicateNode); ok {
		*f = true
	}
}

// groups are the facts that have named members, and those names; kpi,
// target and reported have the campaign's indicators as members instead.
var groups = map[string]map[string]bool{
	"unit":     exprNames(reflect.TypeFor[UnitFacts]()),
	"projects": exprNames(reflect.TypeFor[ProjectFacts]()),
	"reports":  exprNames(reflect.TypeFor[ReportFacts]()),
	"judging":  exprNames(reflect.TypeFor[JudgingFacts]()),
	"rank":     exprNames(reflect.TypeFor[RankFacts]()),
}

func exprNames(t reflect.Type) map[string]bool {
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		names[t.Field(i).Tag.Get("expr")] = true
	}
	return names
}

func (v *nameCheck) errorf(n ast.Node, format string, args ...any) {
	v.errs = append(v.errs, &file.Error{Location: n.Location(), Message: fmt.Sprintf(format, args...)})
}

// Visit implements ast.Visitor.
func (v *nameCheck) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		// Ranges and nested predicates are the only ways to loop without a
		// small bound: an array literal has fewer than maxExpressionNodes
		// items, so a predicate runs at most that many times.
		if n.Operator == ".." {
			v.errorf(n, "ranges (a..b) are not available")
		}
	case *ast.PredicateNode:
		if nested(n.Node) {
			v.errorf(n, "predicates (all, any, count, filter, map, …) cannot be nested")
		}
	case *ast.VariableDeclaratorNode:
		// A variable would hide a group of facts from the name check, and
		// doubling a string through variables grows it exponentially.
		v.errorf(n, "variables (let) are not available: write the expression out")
	case *ast.IdentifierNode:
		switch n.Value {
		case "$env":
			v.errorf(n, "$env is not available: name the facts directly")
		case "Facts": // the Go name of the facts inside a condition's
			v.errorf(n, "unknown fact %q", n.Value)
		case "score", "rank":
			if !v.condition {
				v.errorf(n, "%s is known only in honours[].when", n.Value)
			}
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		if !ok {
			return
		}
		prop, literal := n.Property.(*ast.StringNode)
		switch id.Value {
		case "kpi", "target", "reported":
			switch {
			case !literal:
				v.errorf(n, "name the indicator, as in %s.staff_trained", id.Value)
			case !v.indicators[prop.Value]:
				v.errorf(n.Property, "unknown indicator %q", prop.Value)
			}
		case "unit", "projects", "reports", "judging", "rank":
			switch {
			case id.Value == "rank" && !v.condition:
				// Already reported on the identifier.
			case !literal:
				v.errorf(n, "name the fact, as in projects.registered")
			case !groups[id.Value][prop.Value]:
				v.errorf(n.Property, "unknown fact %q", id.Value+"."+prop.Value)
			}
		}
	}
}
