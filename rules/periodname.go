package rules

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// romanQuarters are the quarters as Vietnamese documents write them.
var romanQuarters = [...]string{"I", "II", "III", "IV"}

// Name says the period in words, as people write it: "Quý IV/2026",
// "Tháng 12/2026", "Tuần 49/2026", "6 tháng đầu năm 2026", "Năm 2026",
// "Cả phong trào" in Vietnamese ("vi"); "Q4 2026", "December 2026",
// "Week 49, 2026", "First half of 2026", "2026", "The whole campaign" in
// English ("en").
func (p Period) Name(lang string) string {
	en := lang == "en"
	y := p.Start.Year()
	switch p.Granularity {
	case Campaign:
		if en {
			return "The whole campaign"
		}
		return "Cả phong trào"
	case Week:
		wy, w := p.Start.ISOWeek()
		if en {
			return fmt.Sprintf("Week %d, %d", w, wy)
		}
		return fmt.Sprintf("Tuần %d/%d", w, wy)
	case Month:
		if en {
			return p.Start.Format("January 2006")
		}
		return fmt.Sprintf("Tháng %d/%d", p.Start.Month(), y)
	case Quarter:
		q := (int(p.Start.Month())-1)/3 + 1
		if en {
			return fmt.Sprintf("Q%d %d", q, y)
		}
		return fmt.Sprintf("Quý %s/%d", romanQuarters[q-1], y)
	case Half:
		first := p.Start.Month() == 1
		switch {
		case en && first:
			return fmt.Sprintf("First half of %d", y)
		case en:
			return fmt.Sprintf("Second half of %d", y)
		case first:
			return fmt.Sprintf("6 tháng đầu năm %d", y)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", y)
	}
	if en {
		return strconv.Itoa(y)
	}
	return "Năm " + strconv.Itoa(y)
}

// Inline says the period inside a sentence, where Vietnamese writes it in
// lower case ("kết quả kỳ quý IV/2026") and English a week, a half and
// the whole campaign ("results for week 49, 2026", "for the first half of
// 2026"); a month and a quarter keep their capitals.
func (p Period) Inline(lang string) string {
	s := p.Name(lang)
	if lang == "en" && p.Granularity != Week && p.Granularity != Half && p.Granularity != Campaign {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToLower(r)) + s[n:]
	if lang == "en" && p.Granularity == Half {
		return "the " + s
	}
	return s
}
