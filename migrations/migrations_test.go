package migrations

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestLockstep proves the two dialects hold the same migrations: the same
// file names, and in each file the same tables, columns and indexes.
func TestLockstep(t *testing.T) {
	pg := files(t, "postgres")
	lite := files(t, "sqlite")
	if !slices.Equal(pg, lite) {
		t.Fatalf("postgres migrations %v, sqlite migrations %v: want the same files", pg, lite)
	}
	if len(pg) == 0 {
		t.Fatal("no migrations found")
	}
	for _, name := range pg {
		p := shape(t, "postgres/"+name)
		s := shape(t, "sqlite/"+name)
		if !slices.Equal(p, s) {
			t.Errorf("%s differs between dialects:\npostgres: %v\nsqlite:   %v", name, p, s)
		}
	}
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

var (
	createRe = regexp.MustCompile(`(?i)CREATE (TABLE|INDEX|UNIQUE INDEX) (\w+)`)
	columnRe = regexp.MustCompile(`(?m)^\s{4}(\w+)\s+\w+`)
)

// shape lists what a migration creates: tables, indexes and column names, in order.
func shape(t *testing.T, path string) []string {
	t.Helper()
	b, err := fs.ReadFile(FS, path)
	if err != nil {
		t.Fatal(err)
	}
	up, _, _ := strings.Cut(string(b), "-- +goose Down")
	var out []string
	for _, m := range createRe.FindAllStringSubmatch(up, -1) {
		out = append(out, strings.ToLower(m[1])+" "+m[2])
	}
	for _, m := range columnRe.FindAllStringSubmatch(up, -1) {
		if kw := strings.ToUpper(m[1]); kw == "PRIMARY" || kw == "FOREIGN" || kw == "UNIQUE" || kw == "CHECK" || kw == "BEGIN" || kw == "END" || kw == "SELECT" || kw == "RAISE" || kw == "FOR" {
			continue
		}
		out = append(out, "column "+m[1])
	}
	return out
}
