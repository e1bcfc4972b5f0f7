package web

import (
	"github.com/thidua/thidua/rules"
)

// period names a period key in words (rules.Period.Name) in the page's
// language. A key that does not parse is shown as it is.
func (f formats) period(key string) string {
	p, err := rules.ParsePeriod(key)
	if err != nil {
		return key
	}
	return p.Name(f.lang)
}

// periodInline names a period inside a sentence, where Vietnamese writes
// it in lower case: "kết quả kỳ quý IV/2026".
func (f formats) periodInline(key string) string {
	p, err := rules.ParsePeriod(key)
	if err != nil {
		return key
	}
	return p.Inline(f.lang)
}
