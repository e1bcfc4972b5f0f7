package store

import (
	"go/ast"
	"go/constant"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// errorMakers are the functions whose format argument (at the index given)
// becomes an Error's detail.
var errorMakers = map[string]int{"notFound": 0, "forbidden": 0, "conflict": 1, "invalid": 1, "NewError": 2, "importError": 2}

// TestEveryErrorSpeaksVietnamese: every format the store and the runner
// give an error has its Vietnamese in the catalog, with the same verbs, in
// NFC; and the catalog holds nothing else.
func TestEveryErrorSpeaksVietnamese(t *testing.T) {
	used := map[string]string{} // format → where
	for _, dir := range []string{".", "../../jobs"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			fs := gotoken.NewFileSet()
			file, err := parser.ParseFile(fs, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := ""
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				i, ok := errorMakers[name]
				if !ok || len(call.Args) <= i {
					return true
				}
				if id, ok := call.Args[i].(*ast.Ident); ok && id.Name == "format" ||
					isSelector(call.Args[i], "p", "format") {
					return true // a maker passing its own format on
				}
				format, ok := constString(call.Args[i])
				if !ok {
					t.Errorf("%s: the format of %s is not a constant", fs.Position(call.Pos()), name)
					return true
				}
				used[format] = fs.Position(call.Pos()).String()
				return true
			})
		}
	}
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z%]`)
	for format, at := range used {
		vi, ok := vietnamese[format]
		if !ok {
			t.Errorf("%s: %q has no Vietnamese", at, format)
			continue
		}
		if got, want := strings.Join(verbs.FindAllString(vi, -1), " "), strings.Join(verbs.FindAllString(format, -1), " "); got != want {
			t.Errorf("%q: Vietnamese verbs %q, want %q", format, got, want)
		}
		if !utf8.ValidString(vi) || !norm.NFC.IsNormalString(vi) {
			t.Errorf("%q: Vietnamese is not NFC text", format)
		}
	}
	for format := range vietnamese {
		if _, ok := used[format]; !ok {
			t.Errorf("catalog entry %q is not used", format)
		}
	}
}

// constString is the value of a constant string expression: literals,
// their sums, and the package's string constants.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(e.Value, e.Kind, 0)
		return constant.StringVal(v), v.Kind() == constant.String
	case *ast.BinaryExpr:
		a, ok1 := constString(e.X)
		b, ok2 := constString(e.Y)
		return a + b, ok1 && ok2 && e.Op == gotoken.ADD
	case *ast.Ident:
		return namedConst(e.Name)
	case *ast.SelectorExpr:
		return namedConst(e.Sel.Name)
	}
	return "", false
}

// namedConst is a string constant of this package used as a format.
func namedConst(name string) (string, bool) {
	v, ok := map[string]string{"PeriodFormat": PeriodFormat, "shortFormat": shortFormat}[name]
	return v, ok
}

// TestErrorText: an error reads in Vietnamese or English, a period named
// in words in each.
func TestErrorText(t *testing.T) {
	for key, want := range map[string][2]string{
		"2025-Q3":  {"kỳ quý III/2025 đã được chốt", "Q3 2025 is closed already"},
		"2026-12":  {"kỳ tháng 12/2026 đã được chốt", "December 2026 is closed already"},
		"2026-W49": {"kỳ tuần 49/2026 đã được chốt", "week 49, 2026 is closed already"},
		"all":      {"kỳ cả phong trào đã được chốt", "the whole campaign is closed already"},
		"2026-13":  {"kỳ 2026-13 đã được chốt", "2026-13 is closed already"}, // not a period: as it is
	} {
		err := NewError(ErrConflict, "period", "%s is closed already", namedPeriod(key))
		if got := err.Text("vi"); got != want[0] {
			t.Errorf("%s: Text(vi) = %q, want %q", key, got, want[0])
		}
		if got := err.Text("en"); got != want[1] || err.Detail != got {
			t.Errorf("%s: Text(en) = %q, Detail %q, want %q", key, got, err.Detail, want[1])
		}
	}
	if got := NewError(ErrInvalid, "", "not in the catalog %d", 1).Text("vi"); got != "not in the catalog 1" {
		t.Errorf("Text(vi) of an unknown format = %q, want the English", got)
	}
}

// isSelector reports whether e is x.sel.
func isSelector(e ast.Expr, x, sel string) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := s.X.(*ast.Ident)
	return ok && id.Name == x && s.Sel.Name == sel
}
