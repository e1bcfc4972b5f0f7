package store

import (
	"slices"
	"testing"
)

// TestPipeSQL: a pipe's statements reach PostgreSQL with numbered
// placeholders, named ones in their order, text in quotes left as it is.
func TestPipeSQL(t *testing.T) {
	if got, want := numbered(`SELECT ? , '?', "a?" FROM t WHERE a = ? AND b = ?`), `SELECT $1 , '?', "a?" FROM t WHERE a = $2 AND b = $3`; got != want {
		t.Errorf("numbered = %s, want %s", got, want)
	}
	sql, args := positional(`SELECT @judge, '@judge', x@y FROM t WHERE p = @project AND j = @judge AND e = @unknown1`,
		map[string]any{"judge": "j1", "project": 7, "y": 0})
	if want := `SELECT ?, '@judge', x? FROM t WHERE p = ? AND j = ? AND e = @unknown1`; sql != want {
		t.Errorf("positional = %s, want %s", sql, want)
	}
	if want := []any{"j1", 0, 7, "j1"}; !slices.Equal(args, want) {
		t.Errorf("positional args = %v, want %v", args, want)
	}
}
