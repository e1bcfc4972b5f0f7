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

// version caches the store's data version.
type version struct {
	mu    sync.Mutex
	value string
	at    time.Time
}

// DataVersion is a mark that changes whenever what the public sees may have
// changed (see store.DataVersion): a write or a run of this replica at once,
// another replica's within versionFor.
func (s *Service) DataVersion(ctx context.Context) (string, error) {
	local := strconv.FormatInt(s.db.LocalWrites(), 10)
	v := &s.version
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.value != "" && time.Since(v.at) < versionFor {
		return v.value + "+" + local, nil
	}
	value, err := s.db.DataVersion(ctx)
	if err != nil {
		return "", err
	}
	v.value, v.at = value, time.Now()
	return value + "+" + local, nil
}

// staleVersion makes the next DataVersion ask the database.
func (s *Service) staleVersion() {
	s.version.mu.Lock()
	s.version.value = ""
	s.version.mu.Unlock()
}
