package jobs

import (
	"context"
	"sync"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// Rulesets compiles each stored ruleset version once and keeps it: a
// version never changes, so its compiled form is valid for ever.
type Rulesets struct {
	db *store.DB
	mu sync.Mutex
	m  map[rulesetKey]*rules.Ruleset
}

type rulesetKey struct {
	campaign string
	version  int
}

// NewRulesets returns an empty cache over db.
func NewRulesets(db *store.DB) *Rulesets {
	return &Rulesets{db: db, m: map[rulesetKey]*rules.Ruleset{}}
}

// Get returns a campaign's compiled ruleset and its version; version 0
// asks for the current one. A campaign without one is store.ErrNotFound.
// A version compiled before is not read again: only the current version's
// number is.
func (c *Rulesets) Get(ctx context.Context, campaign string, version int) (*rules.Ruleset, int, error) {
	if version == 0 {
		v, err := c.db.RulesetVersionOf(ctx, campaign)
		if err != nil {
			return nil, 0, err
		}
		version = v
	}
	key := rulesetKey{campaign, version}
	c.mu.Lock()
	rs, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return rs, version, nil
	}
	rv, err := c.db.Ruleset(ctx, campaign, version)
	if err != nil {
		return nil, 0, err
	}
	keys, err := c.Indicators(ctx, campaign)
	if err != nil {
		return nil, 0, err
	}
	if rs, err = rules.Compile([]byte(rv.Source), keys); err != nil {
		return nil, 0, err // it compiled when it was saved; indicators are never removed
	}
	c.mu.Lock()
	c.m[key] = rs
	c.mu.Unlock()
	return rs, rv.Version, nil
}

// Cached returns a campaign's ruleset of a version if it is compiled
// already, without reading the database.
func (c *Rulesets) Cached(campaign string, version int) (*rules.Ruleset, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rs, ok := c.m[rulesetKey{campaign, version}]
	return rs, ok
}

// Indicators lists the keys a campaign's ruleset may name.
func (c *Rulesets) Indicators(ctx context.Context, campaign string) ([]string, error) {
	inds, err := c.db.Indicators(ctx, campaign)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(inds))
	for i, in := range inds {
		keys[i] = in.Key
	}
	return keys, nil
}
