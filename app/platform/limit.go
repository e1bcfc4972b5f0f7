package platform

import (
	"fmt"
	"sync"
	"time"
)

// Sign-in attempts allowed per username and client address in a window.
const (
	signInAttempts = 20
	signInWindow   = time.Minute
)

// limiter counts attempts per key in fixed windows, in this process.
type limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu     sync.Mutex
	counts map[string]*attempts
	swept  time.Time
}

type attempts struct {
	start time.Time
	n     int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, now: time.Now, counts: map[string]*attempts{}}
}

// allow counts an attempt for key; past the limit it returns how long to
// wait for the next window.
func (l *limiter) allow(key string) (ok bool, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window { // forget the windows that ended
		for k, a := range l.counts {
			if now.Sub(a.start) >= l.window {
				delete(l.counts, k)
			}
		}
		l.swept = now
	}
	a := l.counts[key]
	if a == nil || now.Sub(a.start) >= l.window {
		a = &attempts{start: now}
		l.counts[key] = a
	}
	if a.n >= l.max {
		return false, a.start.Add(l.window).Sub(now)
	}
	a.n++
	return true, 0
}

// RateLimited refuses an attempt past the limit: try again after RetryAfter.
type RateLimited struct{ RetryAfter time.Duration }

func (e *RateLimited) Error() string {
	return fmt.Sprintf("too many attempts: wait %s", e.RetryAfter.Round(time.Second))
}

// Text is the refusal in a language ("vi" or "en").
func (e *RateLimited) Text(lang string) string {
	secs := int(e.RetryAfter.Seconds() + 0.999)
	return message{fmt.Sprintf("đăng nhập sai quá nhiều lần; hãy thử lại sau %d giây", secs),
		fmt.Sprintf("too many sign-in attempts; try again in %d seconds", secs)}.in(lang)
}
