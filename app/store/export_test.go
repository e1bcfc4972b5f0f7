package store

import "context"

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

// TwoRoundTrips runs a pipe (see piped) of reads, flushed, then of writes:
// it returns how many rows each read returned. decide, called between, may
// refuse the write as a check would.
func (db *DB) TwoRoundTrips(ctx context.Context, reads, writes []string, decide func(rows []int) error) ([]int, error) {
	counts := make([]int, len(reads))
	err := db.piped(ctx, func(p *pipe) error {
		for i, q := range reads {
			p.query(q, nil, func(rs rows) error {
				for rs.Next() {
					counts[i]++
				}
				return nil
			})
		}
		if err := p.flush(); err != nil {
			return err
		}
		if err := decide(counts); err != nil {
			return err
		}
		for _, w := range writes {
			p.exec(w)
		}
		return nil
	})
	return counts, err
}
