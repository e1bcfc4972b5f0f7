package store

import (
	"cmp"
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
)

// Writes in one round trip (reviseInOneTrip, rescoreInOneTrip,
// addProgressNote) that arrive while others are on their way share a
// transaction: a group commit of the app's own. The first write of a quiet moment leaves at once, alone; while
// maxTripsInFlight transactions of them are out, the next wait, and the
// first transaction back takes those waiting (at most maxTripsShared) in
// one more. On a busy morning PostgreSQL then begins, commits and flushes
// its log once for many officers' reports, where it did so for each.
//
// A transaction takes its writes' locks in one order (campaign, kind, id),
// so that two never wait on each other. Each write's statement writes only
// if what it rests on is as its writer remembers (see revisedInOneTrip):
// one that declines leaves the others to commit. If PostgreSQL refuses the
// transaction, nothing of it was written, and each write is sent again
// alone, so that one write's failure is its own.

// maxTripsInFlight bounds the transactions of writes in one round trip out
// at once, a core each: PostgreSQL runs a transaction's statements one
// after another. On two cores two carried 3-5% more report revisions a
// second than four did. maxTripsShared bounds the writes one carries.
var maxTripsInFlight = min(max(runtime.NumCPU(), 2), 16)

const maxTripsShared = 32

// trip is a write in one round trip: BEGIN, the hold of a thing of a kind
// (by id) alone after its campaign's shared lock (none when kind is ""),
// stmt with args (as a pipe takes them), COMMIT. stmt returns a row of one
// integer when it wrote.
type trip struct {
	kind         string
	id, campaign int64
	stmt         string
	args         []any

	done     bool  // stmt returned a row: it wrote
	returned int64 // that row's integer
	err      error // the transaction's, errAloneAgain when the write must be sent alone
	// next receives the writes the trip's writer is to send (its own
	// among them), or nil once its transaction has ended.
	next chan []*trip
}

// trips are the writes in one round trip waiting for a transaction.
type trips struct {
	mu       sync.Mutex
	waiting  []*trip
	inFlight int

	sent, carried atomic.Int64 // transactions sent, and the writes they carried
}

// TripStats is how many transactions of writes in one round trip this
// process sent, and how many writes they carried (see sendTrip): the
// second over the first is how many share a commit.
func (db *DB) TripStats() (transactions, writes int64) {
	return db.trips.sent.Load(), db.trips.carried.Load()
}

// errAloneAgain marks a write whose shared transaction PostgreSQL refused;
// errNoAnswer one whose transaction ended without saying whether it wrote.
var (
	errAloneAgain = errors.New("sent again alone")
	errNoAnswer   = errors.New("the write's transaction ended without an answer")
)

// sendTrip sends t in a transaction of its own or shared with others (see
// above) and sets its outcome: the error is also returned.
func (db *DB) sendTrip(ctx context.Context, t *trip) error {
	t.next = make(chan []*trip, 1)
	db.trips.mu.Lock()
	if db.trips.inFlight < maxTripsInFlight {
		db.trips.inFlight++
		db.trips.mu.Unlock()
		db.lead(ctx, t, []*trip{t})
	} else {
		db.trips.waiting = append(db.trips.waiting, t)
		db.trips.mu.Unlock()
		if ts := <-t.next; ts != nil {
			db.lead(ctx, t, ts)
		}
	}
	if errors.Is(t.err, errAloneAgain) {
		db.sendTrips(ctx, []*trip{t})
	}
	return t.err
}

// lead sends ts, own among them, in one transaction, then hands the
// writes that have come meanwhile to the first of their writers (or ends
// its turn) and tells the others' writers that theirs has ended: even if
// sending panics, so that no writer waits for ever.
func (db *DB) lead(ctx context.Context, own *trip, ts []*trip) {
	defer db.handOff(own, ts)
	db.sendTrips(ctx, ts)
}

// handOff ends the transaction of ts, own's writer's (see lead).
func (db *DB) handOff(own *trip, ts []*trip) {
	db.trips.mu.Lock()
	n := min(len(db.trips.waiting), maxTripsShared)
	next := slices.Clone(db.trips.waiting[:n])
	db.trips.waiting = slices.Delete(db.trips.waiting, 0, n)
	if n == 0 {
		db.trips.inFlight--
	}
	db.trips.mu.Unlock()
	if n > 0 {
		next[0].next <- next
	}
	for _, t := range ts {
		if t != own {
			t.next <- nil
		}
	}
}

// sendTrips sends ts in one transaction and sets each one's outcome. No
// write's context cancels it: it carries the others' writes too.
func (db *DB) sendTrips(ctx context.Context, ts []*trip) {
	if len(ts) > 1 { // the lock order; a copy, as the leader hands ts on
		ts = slices.Clone(ts)
		slices.SortFunc(ts, func(a, b *trip) int {
			return cmp.Or(cmp.Compare(a.campaign, b.campaign), cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id))
		})
	}
	for _, t := range ts {
		t.done, t.err = false, errNoAnswer // until the transaction says
	}
	db.trips.sent.Add(1)
	db.trips.carried.Add(int64(len(ts)))
	err := db.piped(context.WithoutCancel(ctx), func(p *pipe) error {
		for _, t := range ts {
			if t.kind != "" {
				p.exec("SELECT "+heldAlone(true, t.kind, "?::bigint")+" FROM pg_advisory_xact_lock_shared("+campaignLockKey+")", t.id, t.campaign)
			}
			p.query(t.stmt, t.args, func(rs rows) error {
				for rs.Next() {
					if err := rs.Scan(&t.returned); err != nil {
						return err
					}
					t.done, p.audited = true, true
				}
				return nil
			})
		}
		return nil
	})
	refused := len(ts) > 1 && (errors.As(err, new(*pgconn.PgError)) || errors.As(err, new(*Error)))
	for _, t := range ts {
		switch {
		case refused:
			t.done, t.err = false, errAloneAgain
		case err != nil:
			t.done, t.err = false, err
		default:
			t.err = nil
		}
	}
}
