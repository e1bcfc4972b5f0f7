package natural

import (
	"slices"
	"testing"
)

func TestCompare(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"Cụm 10", "Cụm 2", "cum-10", "Cụm 1", "cum-2", "Cụm 02b", "Cụm 2a", "Khối 1", "cum-1"},
			[]string{"Cụm 1", "Cụm 2", "Cụm 2a", "Cụm 02b", "Cụm 10", "Khối 1", "cum-1", "cum-2", "cum-10"}},
		{[]string{"cum-10", "khoi-pn", "cum-2", "cum-1", "cum-02a", "cum-2b", "cum", "Cum-3", "cum-02"},
			[]string{"Cum-3", "cum", "cum-1", "cum-02", "cum-2", "cum-02a", "cum-2b", "cum-10", "khoi-pn"}},
		// Leading zeros break a tie: the order is total, whatever the input's.
		{[]string{"cum-2", "cum-02", "cum-002"}, []string{"cum-002", "cum-02", "cum-2"}},
		{[]string{"cum-002", "cum-2", "cum-02"}, []string{"cum-002", "cum-02", "cum-2"}},
	} {
		got := slices.Clone(tc.in)
		slices.SortFunc(got, Compare)
		if !slices.Equal(got, tc.want) {
			t.Errorf("sorted %q = %q, want %q", tc.in, got, tc.want)
		}
	}
}
