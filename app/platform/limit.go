package platform

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Sign-in attempts allowed in a minute: per username (without regard to
// case or the spaces around it) and client address, and per address over
// every username (one office behind one address signs in many officers).
const (
	signInWindow     = time.Minute
	signInPerUser    = 20
	signInPerAddress = 300
)

// limitSignIn counts a sign-in attempt where every replica sees it; past a
// limit it is *RateLimited. The limit slides: the attempts of the minute so
// far count in full and those of the minute before in proportion to how
// much of it is still within the last sixty seconds, so a burst across the
// turn of a minute is counted as one.
func (s *Service) limitSignIn(ctx context.Context, username, client string) error {
	now := s.db.Now()
	window := now.Truncate(signInWindow)
	for _, l := range []struct {
		key string
		max int
	}{
		{"user:" + strings.ToLower(strings.TrimSpace(username)) + "|" + client, signInPerUser},
		{"address:" + client, signInPerAddress},
	} {
		current, before, err := s.db.CountSignIn(ctx, l.key, window, window.Add(-signInWindow), window.Add(-time.Hour))
		if err != nil {
			return err
		}
		if wait := signInWait(now.Sub(window), current, before, l.max); wait > 0 {
			return &RateLimited{RetryAfter: wait}
		}
	}
	return nil
}

// signInWait is how long to wait before another attempt counts within max,
// elapsed into the current window with current attempts in it and before
// in the window before; zero when this attempt is within the limit.
func signInWait(elapsed time.Duration, current, before, max int) time.Duration {
	w := float64(signInWindow)
	left := 1 - float64(elapsed)/w // the share of the window before still counted
	if float64(current)+float64(before)*left <= float64(max) {
		return 0
	}
	if current <= max { // within this window, once enough of the one before has slid out
		return time.Duration((left - float64(max-current)/float64(before)) * w)
	}
	// into the next window, until enough of this one has slid out
	return time.Duration((left + 1 - float64(max)/float64(current)) * w)
}

// RateLimited refuses an attempt past the limit: try again after RetryAfter.
type RateLimited struct{ RetryAfter time.Duration }

func (e *RateLimited) Error() string {
	return fmt.Sprintf("too many attempts: wait %s", e.RetryAfter.Round(time.Second))
}

// Seconds is how many whole seconds to wait, for Retry-After.
func (e *RateLimited) Seconds() int { return max(1, int(e.RetryAfter.Seconds()+0.999)) }

// Text is the refusal in a language ("vi" or "en").
func (e *RateLimited) Text(lang string) string {
	return message{fmt.Sprintf("đăng nhập quá nhiều lần; hãy thử lại sau %d giây", e.Seconds()),
		fmt.Sprintf("too many sign-in attempts; try again in %d seconds", e.Seconds())}.in(lang)
}
