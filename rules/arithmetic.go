package rules

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/ast"
)

// Names of the functions that replace the / and % operators. They start with
// '$' so that they cannot clash with a builtin.
const (
	divideName = "$divide"
	moduloName = "$modulo"
)

// safeArithmetic is an AST patch that replaces every numeric a / b with
// $divide(a, b) and every integer a % b with $modulo(a, b), which yield 0
// when b is 0 instead of ±Inf, NaN or a runtime error. Operands of any other
// type are left alone, for the type checker to report.
type safeArithmetic struct{}

// Visit implements ast.Visitor. The walk is bottom-up, so nested divisions
// are replaced first.
func (safeArithmetic) Visit(node *ast.Node) {
	n, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	var name string
	switch {
	case n.Operator == "/" && isNumber(n.Left.Type()) && isNumber(n.Right.Type()):
		name = divideName
	case n.Operator == "%" && isInteger(n.Left.Type()) && isInteger(n.Right.Type()):
		name = moduloName
	default:
		return
	}
	ast.Patch(node, &ast.CallNode{
		Callee:    &ast.IdentifierNode{Value: name},
		Arguments: []ast.Node{n.Left, n.Right},
	})
}

// isNumber reports whether t is numeric or not known until run time.
func isNumber(t reflect.Type) bool {
	return t.Kind() == reflect.Interface || isInteger(t) ||
		t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64
}

// isInteger reports whether t is an integer or not known until run time.
func isInteger(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// divide is a / b, or 0 when b is 0.
func divide(args ...any) (any, error) {
	a, okA := toFloat(args[0])
	b, okB := toFloat(args[1])
	if !okA || !okB {
		return nil, fmt.Errorf("invalid operation: %T / %T", args[0], args[1])
	}
	if b == 0 {
		return 0.0, nil
	}
	return a / b, nil
}

// modulo is a % b, or 0 when b is 0.
func modulo(args ...any) (any, error) {
	a, okA := toInt(args[0])
	b, okB := toInt(args[1])
	if !okA || !okB {
		return nil, fmt.Errorf("invalid operation: %T %% %T", args[0], args[1])
	}
	if b == 0 {
		return 0, nil
	}
	return a % b, nil
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	}
	i, ok := toInt(v)
	return float64(i), ok
}

func toInt(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case int8:
		return int(v), true
	case int16:
		return int(v), true
	case int32:
		return int(v), true
	case int64:
		return int(v), true
	case uint:
		return int(v), true
	case uint8:
		return int(v), true
	case uint16:
		return int(v), true
	case uint32:
		return int(v), true
	case uint64:
		return int(v), true
	}
	return 0, false
}
