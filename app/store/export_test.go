package store

// CampaignLockKey is campaignLockKey, for the tests that hold a campaign's
// lock as a writer would.
var CampaignLockKey = campaignLockKey

// MaxOpenConns is how many connections the pool opens at most.
func (db *DB) MaxOpenConns() int { return db.sql.Stats().MaxOpenConnections }

// DefaultMaxConns is defaultMaxConns.
var DefaultMaxConns = defaultMaxConns

// CompactJSON is compactJSON.
var CompactJSON = compactJSON

// Turns is how many transactions may hold the pool's connections at once
// (see turns); 0 when they are not queued (SQLite).
func (db *DB) Turns() int {
	if t := db.turns.Load(); t != nil {
		return cap(*t)
	}
	return 0
}
