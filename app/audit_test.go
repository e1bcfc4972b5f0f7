package app

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
)

// TestAuditPage checks the hand-written page of the audit log against what
// encoding/json writes of the same list, for entries whose strings need
// escaping and whose times are in other zones and precisions.
func TestAuditPage(t *testing.T) {
	hanoi := time.FixedZone("ICT", 7*3600)
	odd := []string{"", "admin", `a"b\c`, "<script>&", "Định Công", "tab\there", "line\u2028sep\u2029", "bad\xffutf8", "\x00\x1f\x7f", "c/HN/2026-10"}
	var items []store.AuditEntry
	for i, s := range odd {
		items = append(items, store.AuditEntry{
			ID: int64(i + 1), At: time.Date(2026, 12, 2, 21, 48, 29, i*123456789%1e9, [...]*time.Location{time.UTC, hanoi}[i%2]),
			Actor: s, RequestID: odd[(i+1)%len(odd)], Action: odd[(i+2)%len(odd)], Entity: odd[(i+3)%len(odd)], EntityKey: odd[(i+4)%len(odd)],
			Before: [...]store.JSON{nil, store.JSONOf(map[string]any{"unit": s, "values": map[string]float64{"x": 0.1 + 0.2}})}[i%2],
			After:  store.JSONOf([]any{s, 1e21, nil}),
		})
	}
	for _, c := range []struct {
		items []store.AuditEntry
		next  string
	}{{items, ""}, {items, "NTc"}, {nil, ""}, {items[:1], `a<b`}} {
		got, err := auditPage(c.items, c.next)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(listOf(c.items, c.next))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("auditPage(%d entries, %q) =\n%s\nwant\n%s", len(c.items), c.next, got, want)
		}
	}
}
