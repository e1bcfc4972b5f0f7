// Package review renders a period's review pack (báo cáo sơ kết, tổng
// kết), as the platform assembles it (platform.Review): a PDF in the layout
// of a Vietnamese official report, and a workbook with the same figures in
// full. Both are in Vietnamese, the language of the official record.
package review

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/rules"
)

// Title is the report's title: a review within the campaign (sơ kết) for a
// week, month, quarter or half; the closing one (tổng kết) for a year or
// the whole campaign.
func Title(p rules.Period) string {
	if p.Granularity == rules.Year || p.Granularity == rules.Campaign {
		return "BÁO CÁO TỔNG KẾT"
	}
	return "BÁO CÁO SƠ KẾT"
}

// roman are the quarters' numerals, as Vietnamese writes them.
var roman = []string{"I", "II", "III", "IV"}

// PeriodName names a period in Vietnamese: "quý III năm 2025", "6 tháng
// đầu năm 2025", "toàn phong trào".
func PeriodName(p rules.Period) string {
	y := p.Start.Year()
	switch p.Granularity {
	case rules.Week:
		wy, wn := p.Start.ISOWeek()
		return fmt.Sprintf("tuần %d năm %d", wn, wy)
	case rules.Month:
		return fmt.Sprintf("tháng %d năm %d", p.Start.Month(), y)
	case rules.Quarter:
		return fmt.Sprintf("quý %s năm %d", roman[(p.Start.Month()-1)/3], y)
	case rules.Half:
		if p.Start.Month() == time.January {
			return fmt.Sprintf("6 tháng đầu năm %d", y)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", y)
	case rules.Year:
		return fmt.Sprintf("năm %d", y)
	}
	return "toàn phong trào"
}

// Span is a period's first and last dates: "từ 01/07/2025 đến 30/09/2025".
func Span(p rules.Period) string {
	if !p.Bounded() {
		return ""
	}
	return "từ " + date(p.Start) + " đến " + date(p.End.AddDate(0, 0, -1))
}

// capital writes s with its first letter in capitals.
func capital(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func date(t time.Time) string { return t.Format("02/01/2006") }

// moment writes an instant in the campaign's time zone, as loc gives it.
func moment(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("15:04 02/01/2006")
}

// levelNames name the levels of the units.
var levelNames = map[string]string{
	"nation":   "Trung ương",
	"province": "Tỉnh, thành phố",
	"city":     "Thành phố",
	"district": "Quận, huyện",
	"commune":  "Xã, phường",
	"group":    "Tổ dân phố, thôn",
}

// LevelName names a level in Vietnamese, or gives its code.
func LevelName(level string) string {
	if n, ok := levelNames[level]; ok {
		return n
	}
	return level
}

// number writes x the Vietnamese way with the given decimals, trailing
// zeros dropped: 1.234,5.
func number(x float64, decimals int) string {
	neg := x < 0
	p := math.Pow(10, float64(decimals))
	x = math.Round(math.Abs(x)*p) / p
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	if neg && x != 0 {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("," + frac)
	}
	return b.String()
}

// count writes a whole number: 100.000.
func count(n int) string { return number(float64(n), 0) }

// percent writes a fraction (1 = 100%) as a percentage: 66,7%.
func percent(share float64) string { return number(share*100, 1) + "%" }

// score writes a total: 39,67.
func score(x float64) string { return number(x, 2) }

// value writes an indicator's value: a percentage or a count.
func value(in platform.IndicatorResult, v float64) string {
	if in.Unit == "percent" {
		return percent(v)
	}
	return number(v, 1)
}

// nfc composes Vietnamese letters: a decomposed "ệ" would print its accents
// as separate, misplaced marks.
func nfc(s string) string { return norm.NFC.String(s) }

// FileName is the pack's file name without its extension: the campaign's
// slug and the period, in ASCII.
func FileName(slug, period string) string {
	return "bao-cao-" + slug + "-" + period
}

// Heading is how a review's document names itself in its metadata: the
// title, the campaign and the period.
func Heading(rv *platform.Review) string {
	return capital(strings.ToLower(Title(rv.Period))) + " " + PeriodName(rv.Period) + " · " + rv.Campaign.Name
}
