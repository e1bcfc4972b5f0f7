package web

import "testing"

// A rank chart spans the unit's own ranks, not 1 to the number of units.
func TestRankRange(t *testing.T) {
	for _, c := range []struct {
		ranks  []float64
		units  int
		lo, hi float64
	}{
		{[]float64{212, 180, 195}, 749, 176, 216},
		{[]float64{3, 3}, 749, 2, 4},
		{[]float64{1, 2}, 749, 1, 3},
		{[]float64{748, 749}, 749, 747, 749},
		{nil, 749, 1, 749},
	} {
		if lo, hi := rankRange(c.ranks, c.units); lo != c.lo || hi != c.hi {
			t.Errorf("rankRange(%v, %d) = %v, %v; want %v, %v", c.ranks, c.units, lo, hi, c.lo, c.hi)
		}
	}
}
