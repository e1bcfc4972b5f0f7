package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

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

// Trip is a write in one round trip (see writeInOneTrip): SQL returns a
// row when it wrote.
type Trip struct {
	Kind         string
	ID, Campaign int64
	SQL          string
	Args         map[string]any
}

// TripsTogether sends ts as writes in one round trip that arrive while
// every transaction of them is out (see sendTrip): they wait, then share
// one. It returns each one's outcome; a writer's panic is its error.
func (db *DB) TripsTogether(ctx context.Context, ts []Trip) ([]bool, []error) {
	db.trips.mu.Lock()
	taken := maxTripsInFlight - db.trips.inFlight
	db.trips.inFlight = maxTripsInFlight
	db.trips.mu.Unlock()
	done, errs := make([]bool, len(ts)), make([]error, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("panicked: %v", r)
				}
			}()
			tr := &trip{kind: t.Kind, id: t.ID, campaign: t.Campaign, stmt: t.SQL, args: []any{t.Args}}
			errs[i] = db.sendTrip(ctx, tr)
			done[i] = tr.done
		})
	}
	for {
		db.trips.mu.Lock()
		if len(db.trips.waiting) == len(ts) {
			break
		}
		db.trips.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	waiting := db.trips.waiting
	db.trips.waiting = nil
	db.trips.mu.Unlock()
	waiting[0].next <- waiting // as the last transaction back would
	wg.Wait()
	db.trips.mu.Lock()
	db.trips.inFlight -= taken - 1 // the one just sent gave back its own
	db.trips.mu.Unlock()
	return done, errs
}
