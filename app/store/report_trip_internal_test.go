package store

import (
	"strconv"
	"testing"
)

// TestWrittenReportsBounded: what a process remembers of its reports stays
// within maxWrittenReports, keeps the newest, and is a copy of what the
// writer was given.
func TestWrittenReportsBounded(t *testing.T) {
	var w writtenReports
	for i := range maxWrittenReports + 5 {
		w.put(writtenKey{"c", strconv.Itoa(i), "2026-12"}, writtenReport{report: &Report{ID: int64(i), Values: map[string]float64{"x": 1}}})
	}
	if n := len(w.m); n != maxWrittenReports {
		t.Errorf("%d remembered, want %d", n, maxWrittenReports)
	}
	r := &Report{ID: 1, Values: map[string]float64{"x": 1}}
	k := writtenKey{"c", "last", "2026-12"}
	w.put(k, writtenReport{report: r})
	r.Values["x"], r.Status = 2, ReportVerified
	got, ok := w.get(k)
	if !ok || got.report.Values["x"] != 1 || got.report.Status != "" {
		t.Errorf("remembered %+v, %v; want the report as put", got.report, ok)
	}
	if w.forget(k); len(w.m) != maxWrittenReports-1 {
		t.Errorf("after forgetting the newest, %d remembered", len(w.m))
	}
	if _, ok := w.get(k); ok {
		t.Error("forgotten, yet remembered")
	}
}
