package platform

import (
	"testing"
	"time"
)

// TestSignInWait: the limit slides over the turn of a minute, and the wait
// is until the count falls back within it.
func TestSignInWait(t *testing.T) {
	s := time.Second
	for _, c := range []struct {
		name            string
		elapsed         time.Duration
		current, before int
		want            time.Duration
	}{
		{"within the limit", 30 * s, 20, 0, 0},
		{"the 21st in a minute", 30 * s, 21, 0, 30*s + 3*s - s/7},
		{"a burst across the turn of a minute", 1 * s, 1, 20, 2 * s},
		{"the minute before mostly slid out", 54 * s, 18, 20, 0},
		{"half of the minute before still counts", 30 * s, 15, 20, 15 * s},
	} {
		got := signInWait(c.elapsed, c.current, c.before, 20)
		if d := got - c.want; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("%s: wait %v, want %v", c.name, got, c.want)
		}
	}
}
