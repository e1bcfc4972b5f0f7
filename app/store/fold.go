package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold makes text searchable without accents: "Phường Định Công" and
// "phuong dinh cong" fold to the same string. Stored beside the text, it is
// matched with LIKE on both databases.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
