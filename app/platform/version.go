package platform

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// versionFor is how long a data version is trusted before the database is
// asked again: a write or a run on another replica shows within it.
const versionFor = 250 * time.Millisecond

// version caches the store's data version, and the mark made of it and
// this replica's writes. Every public read asks for the mark: it reads the
// newest one without a lock while it holds; the lock is taken to make the
// next one (at most once per versionFor from the database).
type version struct {
	mu   sync.Mutex
	mark atomic.Pointer[versionMark]
}

// versionMark is a mark and what it was made of.
type versionMark struct {
	value string    // the store's data version
	until time.Time // when value is to be asked again
	local int64     // this replica's writes (store.DB.LocalWrites)
	mark  string    // value+local
}

// DataVersion is a mark that changes whenever what the public sees may have
// changed (see store.DataVersion): a write or a run of this replica at once,
// another replica's within versionFor.
func (s *Service) DataVersion(ctx context.Context) (string, error) {
	local := s.db.LocalWrites()
	v := &s.version
	if m := v.mark.Load(); m != nil && m.local == local && time.Now().Before(m.until) {
		return m.mark, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	m := v.mark.Load()
	if m == nil || !time.Now().Before(m.until) {
		value, err := s.db.DataVersion(ctx)
		if err != nil {
			return "", err
		}
		m = &versionMark{value: value, until: time.Now().Add(versionFor), local: -1}
	}
	if m.local != local {
		m = &versionMark{value: m.value, until: m.until, local: local, mark: m.value + "+" + strconv.FormatInt(local, 10)}
		v.mark.Store(m)
	}
	return m.mark, nil
}

// staleVersion makes the next DataVersion ask the database.
func (s *Service) staleVersion() {
	s.version.mu.Lock()
	s.version.mark.Store(nil)
	s.version.mu.Unlock()
}
