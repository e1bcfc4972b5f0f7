package web

import "testing"

func TestPeriodNames(t *testing.T) {
	for _, c := range []struct{ key, vi, viInline, en, enInline string }{
		{"2026-Q4", "Quý IV/2026", "quý IV/2026", "Q4 2026", "Q4 2026"},
		{"2026-Q1", "Quý I/2026", "quý I/2026", "Q1 2026", "Q1 2026"},
		{"2026-12", "Tháng 12/2026", "tháng 12/2026", "December 2026", "December 2026"},
		{"2026-W49", "Tuần 49/2026", "tuần 49/2026", "Week 49, 2026", "week 49, 2026"},
		{"2020-W53", "Tuần 53/2020", "tuần 53/2020", "Week 53, 2020", "week 53, 2020"},
		{"2026-H1", "6 tháng đầu năm 2026", "6 tháng đầu năm 2026", "First half of 2026", "the first half of 2026"},
		{"2026-H2", "6 tháng cuối năm 2026", "6 tháng cuối năm 2026", "Second half of 2026", "the second half of 2026"},
		{"2026", "Năm 2026", "năm 2026", "2026", "2026"},
		{"all", "Cả phong trào", "cả phong trào", "The whole campaign", "the whole campaign"},
		{"2026-13", "2026-13", "2026-13", "2026-13", "2026-13"}, // not a period: as it is
	} {
		fv, fe := formatsFor(vi), formatsFor(en)
		if got := fv.period(c.key); got != c.vi {
			t.Errorf("period(%q) = %q, want %q", c.key, got, c.vi)
		}
		if got := fv.periodInline(c.key); got != c.viInline {
			t.Errorf("periodInline(%q) = %q, want %q", c.key, got, c.viInline)
		}
		if got := fe.period(c.key); got != c.en {
			t.Errorf("period(%q) in English = %q, want %q", c.key, got, c.en)
		}
		if got := fe.periodInline(c.key); got != c.enInline {
			t.Errorf("periodInline(%q) in English = %q, want %q", c.key, got, c.enInline)
		}
	}
}

func TestScoreHasOneDecimal(t *testing.T) {
	for _, c := range []struct {
		n      float64
		vi, en string
	}{{83, "83,0", "83.0"}, {83.6, "83,6", "83.6"}, {83.64, "83,6", "83.6"}, {0, "0,0", "0.0"}, {1234.5, "1.234,5", "1,234.5"}, {99.96, "100,0", "100.0"}} {
		if got := formatsFor(vi).score(c.n); got != c.vi {
			t.Errorf("score(%v) = %q, want %q", c.n, got, c.vi)
		}
		if got := formatsFor(en).score(c.n); got != c.en {
			t.Errorf("score(%v) in English = %q, want %q", c.n, got, c.en)
		}
	}
}
