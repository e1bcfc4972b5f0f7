package platform

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/thidua/thidua/app/store"
)

// tokenCacheFor is how long a session's check is trusted without asking the
// database again: a token revoked on another replica (or a user changed
// there) is honoured within this time; one revoked here at once.
const tokenCacheFor = time.Second

// tokenCacheSize bounds the cache: past it, it starts afresh.
const tokenCacheSize = 50_000

// tokens caches the database's answer to "whose token is this?" for
// tokenCacheFor, by the token's hash, so that a burst of requests with one
// token is one query a second rather than one each.
type tokens struct {
	mu      sync.Mutex
	entries map[string]tokenEntry
}

type tokenEntry struct {
	user    *store.User // nil with err: refused
	err     error
	expires time.Time // the session's end, by the store's clock
	at      time.Time // when the database said so
}

// get returns the user of a token hash, from the cache while fresh and the
// session not expired by the store's clock (now). The user is a copy:
// callers may not change the cached one.
func (t *tokens) get(ctx context.Context, hash string, now time.Time,
	lookup func(context.Context, string) (*store.User, time.Time, error)) (*store.User, error) {
	t.mu.Lock()
	e, ok := t.entries[hash]
	t.mu.Unlock()
	if !ok || time.Since(e.at) >= tokenCacheFor || e.err == nil && !now.Before(e.expires) {
		u, expires, err := lookup(ctx, hash)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err // the database failed: nothing to remember
		}
		e = tokenEntry{user: u, err: err, expires: expires, at: time.Now()}
		t.mu.Lock()
		if t.entries == nil || len(t.entries) >= tokenCacheSize {
			t.entries = make(map[string]tokenEntry)
		}
		t.entries[hash] = e
		t.mu.Unlock()
	}
	if e.err != nil {
		return nil, e.err
	}
	u := *e.user
	return &u, nil
}

// forget drops a token's entry: it was revoked here.
func (t *tokens) forget(hash string) {
	t.mu.Lock()
	delete(t.entries, hash)
	t.mu.Unlock()
}
