package platform

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// versionFor is how long a data version is trusted before the database is
// asked again: a write or a run on another replica shows within it.
const versionFor = 250 * time.Millisecond

// version caches the store's data version, and the mark made of it and
// this replica's writes (asked for by every public read: made again only
// when one of them changes).
type version struct {
	mu    sync.Mutex
	value string
	at    time.Time
	local int64
	mark  string
}

// DataVersion is a mark that changes whenever what the public sees may have
// changed (see store.DataVersion): a write or a run of this replica at once,
// another replica's within versionFor.
func (s *Service) DataVersion(ctx context.Context) (string, error) {
	local := s.db.LocalWrites()
	v := &s.version
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.value == "" || time.Since(v.at) >= versionFor {
		value, err := s.db.DataVersion(ctx)
		if err != nil {
			return "", err
		}
		v.value, v.at, v.mark = value, time.Now(), ""
	}
	if v.mark == "" || v.local != local {
		v.local, v.mark = local, v.value+"+"+strconv.FormatInt(local, 10)
	}
	return v.mark, nil
}

// staleVersion makes the next DataVersion ask the database.
func (s *Service) staleVersion() {
	s.version.mu.Lock()
	s.version.value = ""
	s.version.mu.Unlock()
}
