package store

import "sync"

// recent is what a process remembers of the things it wrote last, by key:
// at most maxRecent, any one forgotten to make room. Its values are
// copies, which no one changes.
type recent[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

// maxRecent bounds what a recent holds: an officer revises a report, a
// judge a score, within minutes, and a process writes far fewer in that
// time. Each report or score takes under 1 KB.
const maxRecent = 10000

func (r *recent[K, V]) get(k K) (V, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.m[k]
	return v, ok
}

func (r *recent[K, V]) put(k K, v V) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[K]V{}
	}
	if _, ok := r.m[k]; !ok && len(r.m) >= maxRecent {
		for old := range r.m {
			delete(r.m, old)
			break
		}
	}
	r.m[k] = v
}

func (r *recent[K, V]) forget(k K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, k)
}
