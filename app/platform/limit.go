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
// limit it is *RateLimited until the window ends.
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
		n, err := s.db.CountSignIn(ctx, l.key, window, window.Add(-time.Hour))
		if err != nil {
			return err
		}
		if n > l.max {
			return &RateLimited{RetryAfter: window.Add(signInWindow).Sub(now)}
		}
	}
	return nil
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
