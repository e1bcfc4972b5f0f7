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
