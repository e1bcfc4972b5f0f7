package web

import (
	"fmt"
	"strconv"

	"github.com/thidua/thidua/rules"
)

// romanQuarters are the quarters as Vietnamese documents write them.
var romanQuarters = [...]string{"I", "II", "III", "IV"}

// period names a period key in words: "Quý IV/2026", "Tháng 12/2026",
// "Tuần 49/2026" in Vietnamese, "Q4 2026", "December 2026", "Week 49, 2026"
// in English. A key that does not parse is shown as it is.
func (f formats) period(key string) string {
	p, err := rules.ParsePeriod(key)
	if err != nil {
		return key
	}
	y := p.Start.Year()
	switch p.Granularity {
	case rules.Campaign:
		return text(f.lang, "period.all")
	case rules.Week:
		wy, w := p.Start.ISOWeek()
		if f.lang == en {
			return fmt.Sprintf("Week %d, %d", w, wy)
		}
		return fmt.Sprintf("Tuần %d/%d", w, wy)
	case rules.Month:
		if f.lang == en {
			return p.Start.Format("January 2006")
		}
		return fmt.Sprintf("Tháng %d/%d", p.Start.Month(), y)
	case rules.Quarter:
		q := (int(p.Start.Month())-1)/3 + 1
		if f.lang == en {
			return fmt.Sprintf("Q%d %d", q, y)
		}
		return fmt.Sprintf("Quý %s/%d", romanQuarters[q-1], y)
	case rules.Half:
		if p.Start.Month() == 1 {
			return fmt.Sprintf(text(f.lang, "period.h1"), y)
		}
		return fmt.Sprintf(text(f.lang, "period.h2"), y)
	}
	if f.lang == en {
		return strconv.Itoa(y)
	}
	return "Năm " + strconv.Itoa(y)
}

// periodInline names a period inside a sentence, where Vietnamese writes
// it in lower case: "kết quả kỳ quý IV/2026".
func (f formats) periodInline(key string) string {
	s := f.period(key)
	if f.lang == en {
		return s
	}
	return lowerFirst(s)
}
