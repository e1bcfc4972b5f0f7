package store

import (
	"strconv"
	"testing"
)

// TestRecentBounded: what a process remembers of its writes stays within
// maxRecent and keeps the newest; a remembered report is a copy of what
// the writer was given.
func TestRecentBounded(t *testing.T) {
	var w recent[writtenKey, writtenReport]
	for i := range maxRecent + 5 {
		w.put(writtenKey{"c", strconv.Itoa(i), "2026-12"}, writtenReport{report: &Report{ID: int64(i)}})
	}
	if n := len(w.m); n != maxRecent {
		t.Errorf("%d remembered, want %d", n, maxRecent)
	}
	r := &Report{ID: 1, Values: map[string]float64{"x": 1}}
	k := writtenKey{"c", "last", "2026-12"}
	w.put(k, writtenReport{report: r}.copied())
	r.Values["x"], r.Status = 2, ReportVerified
	got, ok := w.get(k)
	if !ok || got.report.Values["x"] != 1 || got.report.Status != "" {
		t.Errorf("remembered %+v, %v; want the report as put", got.report, ok)
	}
	if w.forget(k); len(w.m) != maxRecent-1 {
		t.Errorf("after forgetting the newest, %d remembered", len(w.m))
	}
	if _, ok := w.get(k); ok {
		t.Error("forgotten, yet remembered")
	}
}
