// Package natural orders names and codes as people read them: "Cụm 2"
// before "Cụm 10", "cum-2" before "cum-10".
package natural

import (
	"cmp"
	"strings"
)

// Compare orders a and b with runs of digits by their value and the rest
// byte by byte (in UTF-8, the order of the letters' code points); names
// that differ only in leading zeros ("cum-02", "cum-2") are then ordered
// as plain strings, so that the order is total.
func Compare(a, b string) int {
	return cmp.Or(parts(a, b), strings.Compare(a, b))
}

func parts(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			x, y := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Or(cmp.Compare(len(x), len(y)), strings.Compare(x, y)); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digitRun is the length of the decimal digits s starts with.
func digitRun(s string) int {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n
}
