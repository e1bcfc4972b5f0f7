package rules

import (
	"errors"
	"fmt"
	"math"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Evaluator evaluates a ruleset's compiled expressions on facts. It reuses
// one virtual machine, so it is cheap per call but not safe for concurrent
// use: make one per goroutine (the Ruleset itself is shared).
//
// Results are never NaN or infinite: a division or modulo by zero yields 0
// for that operation, and a result that is still not finite is 0. A runtime
// error (such as an index out of range) makes the result 0 (false for a
// condition) and is returned as a Problem, so that a caller can both carry on
// and explain. Values are not clamped here: clamping is the scorer's job.
type Evaluator struct {
	rs *Ruleset
	vm vm.VM
}

// NewEvaluator returns an Evaluator of rs's expressions.
func (rs *Ruleset) NewEvaluator() *Evaluator {
	return &Evaluator{rs: rs}
}

// Value evaluates the value of criterion i (an index into Criteria).
func (e *Evaluator) Value(i int, f *Facts) (float64, error) {
	x, err := e.number(e.rs.Criteria[i].program, f)
	if err != nil {
		return 0, runtimeProblem(fmt.Sprintf("criteria[%d].value", i), err)
	}
	return x, nil
}

// Points evaluates the points of adjustment i (an index into Adjustments),
// before its bounds are applied.
func (e *Evaluator) Points(i int, f *Facts) (float64, error) {
	x, err := e.number(e.rs.Adjustments[i].program, f)
	if err != nil {
		return 0, runtimeProblem(fmt.Sprintf("adjustments[%d].points", i), err)
	}
	return x, nil
}

// When evaluates the condition of honour i (an index into Honours); an
// honour without a condition holds for every unit.
func (e *Evaluator) When(i int, f *HonourFacts) (bool, error) {
	prog := e.rs.Honours[i].program
	if prog == nil {
		return true, nil
	}
	out, err := e.vm.Run(prog, f)
	if err != nil {
		return false, runtimeProblem(fmt.Sprintf("honours[%d].when", i), err)
	}
	b, _ := out.(bool)
	return b, nil
}

func (e *Evaluator) number(prog *vm.Program, f *Facts) (float64, error) {
	out, err := e.vm.Run(prog, f)
	if err != nil {
		return 0, err
	}
	x, _ := out.(float64) // the program ends by converting to float64
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, nil
	}
	return x, nil
}

// runtimeProblem describes an evaluation error at path, without the
// library's multi-line snippet.
func runtimeProblem(path string, err error) Problem {
	var fe *file.Error
	if errors.As(err, &fe) {
		return Problem{Path: path, Message: friendly(fe.Message), Line: fe.Line, Column: fe.Column + 1}
	}
	return Problem{Path: path, Message: friendly(err.Error())}
}
