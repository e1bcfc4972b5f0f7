package store

import (
	"slices"
	"testing"
)

func TestNaturalCompare(t *testing.T) {
	names := []string{"Cụm 10", "Cụm 2", "cum-10", "Cụm 1", "cum-2", "Cụm 02b", "Cụm 2a", "Khối 1", "cum-1"}
	slices.SortFunc(names, naturalCompare)
	want := []string{"Cụm 1", "Cụm 2", "Cụm 2a", "Cụm 02b", "Cụm 10", "Khối 1", "cum-1", "cum-2", "cum-10"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted = %q, want %q", names, want)
	}
}
