package remind

import (
	"fmt"
	"strings"

	"github.com/thidua/thidua/rules"
)

// romans are the quarters as Vietnamese documents write them.
var romans = [...]string{"I", "II", "III", "IV"}

// PeriodName is a period's Vietnamese name, as a document says it:
// "Tháng 12/2026", "Quý IV/2026", "6 tháng đầu năm 2026", "Năm 2026",
// "Tuần 49/2026", "Cả phong trào"; a key that does not parse is given as is.
func PeriodName(key string) string {
	p, err := rules.ParsePeriod(key)
	if err != nil {
		return key
	}
	y := key[:min(4, len(key))]
	switch p.Granularity {
	case rules.Week:
		_, rest, _ := strings.Cut(p.Key, "-W")
		return fmt.Sprintf("Tuần %s/%s", strings.TrimLeft(rest, "0"), y)
	case rules.Month:
		return fmt.Sprintf("Tháng %d/%s", int(p.Start.Month()), y)
	case rules.Quarter:
		return fmt.Sprintf("Quý %s/%s", romans[(int(p.Start.Month())-1)/3], y)
	case rules.Half:
		if p.Start.Month() == 1 {
			return "6 tháng đầu năm " + y
		}
		return "6 tháng cuối năm " + y
	case rules.Year:
		return "Năm " + y
	case rules.Campaign:
		return "Cả phong trào"
	}
	return key
}
