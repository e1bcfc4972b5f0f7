package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// describeCron says a cron spec in words, in the page's language, for the
// ruleset editor: "hằng ngày lúc 02:00", "thứ Hai hằng tuần lúc 07:30",
// "mỗi 6 giờ". A spec it cannot put in words (or an invalid one, which the
// editor reports anyway) gives "".
func describeCron(lang, spec string) string {
	vi := lang != en
	say := func(v, e string, args ...any) string {
		if vi {
			return fmt.Sprintf(v, args...)
		}
		return fmt.Sprintf(e, args...)
	}
	spec = strings.TrimSpace(spec)
	if every, ok := strings.CutPrefix(spec, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(every))
		if err != nil || d <= 0 {
			return ""
		}
		switch {
		case d%time.Hour == 0:
			return say("mỗi %d giờ", "every %d hours", d/time.Hour)
		case d%time.Minute == 0:
			return say("mỗi %d phút", "every %d minutes", d/time.Minute)
		}
		return ""
	}
	switch spec {
	case "@yearly", "@annually":
		return say("ngày 1 tháng 1 hằng năm lúc 00:00", "every year on 1 January at 00:00")
	case "@monthly":
		return say("ngày 1 hằng tháng lúc 00:00", "on the 1st of every month at 00:00")
	case "@weekly":
		return say("Chủ nhật hằng tuần lúc 00:00", "every Sunday at 00:00")
	case "@daily", "@midnight":
		return say("hằng ngày lúc 00:00", "every day at 00:00")
	case "@hourly":
		return say("đầu mỗi giờ", "at the start of every hour")
	}
	f := strings.Fields(spec)
	if len(f) != 5 {
		return ""
	}
	minute, hour, dom, month, dow := f[0], f[1], f[2], f[3], f[4]
	var at string
	m, mOK := cronNumber(minute, 0, 59)
	h, hOK := cronNumber(hour, 0, 23)
	switch {
	case mOK && hOK:
		at = say("lúc %02d:%02d", "at %02d:%02d", h, m)
	case mOK && hour == "*":
		at = say("vào phút %d của mỗi giờ", "at minute %d of every hour", m)
	case mOK && strings.HasPrefix(hour, "*/"):
		n, ok := cronNumber(strings.TrimPrefix(hour, "*/"), 1, 23)
		if !ok {
			return ""
		}
		at = say("mỗi %d giờ, vào phút %d", "every %d hours, at minute %d", n, m)
	case strings.HasPrefix(minute, "*/") && hour == "*":
		n, ok := cronNumber(strings.TrimPrefix(minute, "*/"), 1, 59)
		if !ok {
			return ""
		}
		at = say("mỗi %d phút", "every %d minutes", n)
	default:
		return ""
	}
	var days []string
	if dow != "*" {
		names, ok := cronWeekdays(lang, dow)
		if !ok {
			return ""
		}
		days = append(days, say("%s hằng tuần", "every %s", names))
	}
	if dom != "*" {
		d, ok := cronNumber(dom, 1, 31)
		if !ok {
			return ""
		}
		days = append(days, say("ngày %d", "on day %d", d))
	}
	if month != "*" {
		var months []string
		for _, part := range strings.Split(month, ",") {
			mo, ok := cronNumber(part, 1, 12)
			if !ok {
				return ""
			}
			months = append(months, strconv.Itoa(mo))
		}
		if len(months) == 1 {
			days = append(days, say("tháng %s hằng năm", "of month %s every year", months[0]))
		} else {
			days = append(days, say("các tháng %s", "of months %s", strings.Join(months, ", ")))
		}
	} else if dom != "*" {
		days = append(days, say("hằng tháng", "of every month"))
	}
	if len(days) == 0 {
		if hOK {
			days = append(days, say("hằng ngày", "every day"))
		}
	}
	return strings.TrimSpace(strings.Join(days, " ") + " " + at)
}

// cronNumber reads a cron field that is one number within lo..hi.
func cronNumber(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

// cronWeekdays names the days of a day-of-week field: a number, a list or a
// range of numbers (0 and 7 are Sunday).
func cronWeekdays(lang, field string) (string, bool) {
	viNames := []string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"}
	var names []string
	for _, part := range strings.Split(field, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, ok := cronNumber(lo, 0, 7)
		if !ok {
			return "", false
		}
		b := a
		if isRange {
			if b, ok = cronNumber(hi, a, 7); !ok {
				return "", false
			}
		}
		for d := a; d <= b; d++ {
			if lang == en {
				names = append(names, time.Weekday(d%7).String())
			} else {
				names = append(names, viNames[d])
			}
		}
	}
	return strings.Join(names, ", "), true
}
