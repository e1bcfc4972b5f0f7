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
	q := `SELECT @judge, '@judge', x@y FROM t WHERE p = @project AND j = @judge AND e = @unknown1`
	sql, args, names := positional(q, map[string]any{"judge": "j1", "project": 7, "y": 0})
	if want := `SELECT ?, '@judge', x? FROM t WHERE p = ? AND j = ? AND e = @unknown1`; sql != want {
		t.Errorf("positional = %s, want %s", sql, want)
	}
	if want := []any{"j1", 0, 7, "j1"}; !slices.Equal(args, want) {
		t.Errorf("positional args = %v, want %v", args, want)
	}
	if want := []string{"judge", "y", "project", "judge"}; !slices.Equal(names, want) {
		t.Errorf("positional names = %v, want %v", names, want)
	}

	// pgStatement rewrites each SQL text once: the second time, and with
	// other values, from what it remembers; a map that names other
	// parameters, anew.
	for _, c := range []struct {
		named map[string]any
		sql   string
		args  []any
	}{
		{map[string]any{"judge": "j1", "project": 7, "y": 0}, `SELECT $1, '@judge', x$2 FROM t WHERE p = $3 AND j = $4 AND e = @unknown1`, []any{"j1", 0, 7, "j1"}},
		{map[string]any{"judge": "j2", "project": 8, "y": 1}, `SELECT $1, '@judge', x$2 FROM t WHERE p = $3 AND j = $4 AND e = @unknown1`, []any{"j2", 1, 8, "j2"}},
		{map[string]any{"judge": "j3", "project": 9, "y": 2, "unknown1": 3}, `SELECT $1, '@judge', x$2 FROM t WHERE p = $3 AND j = $4 AND e = $5`, []any{"j3", 2, 9, "j3", 3}},
		{map[string]any{"judge": "j4", "project": 10}, `SELECT $1, '@judge', x@y FROM t WHERE p = $2 AND j = $3 AND e = @unknown1`, []any{"j4", 10, "j4"}},
	} {
		if sql, args := pgStatement(q, []any{c.named}); sql != c.sql || !slices.Equal(args, c.args) {
			t.Errorf("pgStatement(%v) = %s %v, want %s %v", c.named, sql, args, c.sql, c.args)
		}
	}
	for range 2 {
		if sql, args := pgStatement("SELECT ? WHERE '?' = ?", []any{1, 2}); sql != "SELECT $1 WHERE '?' = $2" || !slices.Equal(args, []any{1, 2}) {
			t.Errorf("pgStatement(?) = %s %v", sql, args)
		}
	}
}
