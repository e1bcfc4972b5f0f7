package store_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestCompactJSON: a document, as PostgreSQL's jsonb prints it or as
// encoding/json wrote it, comes out as encoding/json would write it.
func TestCompactJSON(t *testing.T) {
	for _, doc := range []string{
		`{"a": 1, "b": [1, 2.5, -3e+21], "c": {"d": null, "e": true}}`,
		`{"title": "Gia đình số: <b>, & \"x\" \\ y", "k": "a , b : c"}`,
		"{\"s\": \"line\u2028sep\u2029par\", \"t\": \"\\u2028\"}",
		`[ "\\", "\"", "\\\"", " " ]`,
		`{"a":1,"b":"\u003c\u0026"}`,
		`"only a string <>"`,
		`{}`,
		`[]`,
	} {
		want, err := json.Marshal(store.JSON(doc)) // encoding/json compacts and escapes a Marshaler's output
		if err != nil {
			t.Fatalf("Marshal(%s): %v", doc, err)
		}
		if got := store.CompactJSON(store.JSON(doc)); !bytes.Equal(got, want) {
			t.Errorf("CompactJSON(%s) = %s, want %s", doc, got, want)
		}
	}
	if got := store.CompactJSON(nil); got != nil {
		t.Errorf("CompactJSON(nil) = %q, want nil", got)
	}
}
