package web

import (
	"testing"

	"github.com/thidua/thidua/app/store"
)

func TestNextToScore(t *testing.T) {
	a := func(id int64, scored bool) store.Assignment {
		as := store.Assignment{Project: store.ProjectRef{ID: id}}
		if scored {
			as.Score = &store.Score{}
		}
		return as
	}
	mine := []store.Assignment{a(1, false), a(3, true), a(5, false), a(7, false)}
	for _, tt := range []struct {
		at, want int64 // 0: none
	}{{3, 5}, {5, 7}, {7, 1}, {1, 5}} {
		got := nextToScore(mine, tt.at)
		if (got == nil) != (tt.want == 0) || got != nil && got.ID != tt.want {
			t.Errorf("nextToScore after %d = %+v, want %d", tt.at, got, tt.want)
		}
	}
	if got := nextToScore([]store.Assignment{a(1, true), a(2, false)}, 2); got != nil {
		t.Errorf("all others scored: next = %+v, want none", got)
	}
}
