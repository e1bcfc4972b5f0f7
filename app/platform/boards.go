package platform

import (
	"bytes"
	"context"
	"errors"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// boards holds, per campaign and period, the latest snapshot in memory, so
// that leaderboard reads never touch the database. A snapshot written in
// this process is published here at once; one written by another replica is
// noticed by polling the count of succeeded runs, at most once per
// pollEvery.
type boards struct {
	db       *store.DB
	rulesets *jobs.Rulesets

	// pollEvery is how often the count of succeeded runs is read, at most.
	pollEvery time.Duration

	mu       sync.Mutex
	m        map[boardKey]*Leaderboard
	latest   map[string]string // campaign → period of its newest run
	seen     int64             // succeeded runs known (store.SucceededRuns)
	polled   time.Time
	loadings map[boardKey]*sync.WaitGroup
}

type boardKey struct{ campaign, period string }

func newBoards(db *store.DB, rulesets *jobs.Rulesets) *boards {
	return &boards{db: db, rulesets: rulesets, pollEvery: time.Second, m: map[boardKey]*Leaderboard{}, latest: map[string]string{},
		loadings: map[boardKey]*sync.WaitGroup{}}
}

// Leaderboard is one run's board as published, with what reading it
// needs, computed once.
type Leaderboard struct {
	Run     *store.Run
	Ruleset *rules.Ruleset // the version the run used
	// Table is the run's board, each unit's breakdown packed: Lookup gives
	// a unit's result with it.
	Table *scoring.Table
	// PreviousPeriod is the period the rank changes compare with when it is
	// not the board's own: a period's first run is compared with the period
	// before (its closing run once closed). "" otherwise.
	PreviousPeriod string
	previous       *ranksBefore // nil if there was no run before

	mu     sync.Mutex
	scopes map[scopeKey][]scoring.Entry
	kinds  []string
	pages  map[PageKey][]byte // encoded leaderboard pages
}

// scopeKey names the entries of a scope, of one kind of unit or of every
// kind ("").
type scopeKey struct{ scope, kind string }

// PageKey names an encoded page of a leaderboard.
type PageKey struct {
	Scope, Kind   string
	Offset, Limit int
}

// Leaderboard returns a campaign's published board for a period ("" for
// the period of its newest run), read from memory: a campaign or period
// without a run is store.ErrNotFound.
func (s *Service) Leaderboard(ctx context.Context, slug, period string) (*Leaderboard, error) {
	return s.boards.get(ctx, slug, period)
}

// maxPages bounds the encoded pages kept per snapshot.
const maxPages = 512

// publish makes a run just written the current snapshot of its period.
func (b *boards) publish(campaign string, run *store.Run, board *scoring.Board) {
	key := boardKey{campaign, run.Period}
	rs, _, err := b.rulesets.Get(context.Background(), campaign, run.RulesetVersion)
	b.mu.Lock()
	prev := b.m[key]
	if err != nil { // read back from the database by the next reader
		delete(b.m, key)
		delete(b.latest, campaign)
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	s := &Leaderboard{Run: run, Ruleset: rs, Table: scoring.NewTable(board)}
	if prev != nil {
		s.previous = alignRanks(s.Table, tableRanks(prev.Table))
	} else {
		// The previous run may be in the database only, or be the
		// previous period's.
		ctx := context.Background()
		_, p, err := b.db.LatestRuns(ctx, campaign, run.Period)
		if err == nil && p == nil {
			p, s.PreviousPeriod = b.previousPeriodRun(ctx, campaign, run.Period)
		}
		if err == nil && p != nil {
			if ranks, err := b.loadRanks(ctx, p); err == nil {
				s.previous = alignRanks(s.Table, mapRanks(ranks))
			}
		}
	}
	b.mu.Lock()
	b.m[key] = s
	b.latest[campaign] = run.Period
	b.seen++ // this run: not a reason to forget the snapshots at the next poll
	b.mu.Unlock()
}

// ranksBefore are the ranks in the run before of a board's units, for its
// rank changes, kept small: a national board keeps 100,000 of them, and a
// map a unit would take a quarter of a kilobyte. They are aligned with the
// board's Table.Results, index for index, and a unit's cluster ranks with
// its clusters as they are now: a rank change is asked of a unit in a
// scope it is in now.
type ranksBefore struct {
	places []scoring.Place // zero for a unit the run before did not rank
	// clusters[at[i]:at[i+1]] are Table.Results[i]'s ranks in its
	// clusters, 0 in a cluster the run before did not rank it in.
	clusters []int32
	at       []uint32
}

// rankSource gives a unit's place in the run before, by code, and fills
// into with its ranks there in clusters (all zero for a unit it did not
// rank).
type rankSource func(code string, clusters []string, into []int32) scoring.Place

// alignRanks keeps the ranks the run before gave now's units.
func alignRanks(now *scoring.Table, before rankSource) *ranksBefore {
	n := len(now.Results)
	rb := &ranksBefore{places: make([]scoring.Place, n), at: make([]uint32, n+1)}
	for i := range now.Results {
		r := &now.Results[i]
		k := len(rb.clusters)
		rb.clusters = slices.Grow(rb.clusters, len(r.Clusters))[:k+len(r.Clusters)]
		rb.places[i] = before(r.Code, r.Clusters, rb.clusters[k:])
		rb.at[i+1] = uint32(len(rb.clusters))
	}
	rb.clusters = slices.Clip(rb.clusters)
	return rb
}

// tableRanks are the ranks of a table's units.
func tableRanks(t *scoring.Table) rankSource {
	return func(code string, clusters []string, into []int32) scoring.Place {
		i, ok := t.Index(code)
		if !ok {
			clear(into)
			return scoring.Place{}
		}
		r := &t.Results[i]
		for k, c := range clusters {
			into[k] = int32(r.ClusterRank(c))
		}
		return r.Rank
	}
}

// mapRanks are ranks by unit code, as scoring.DecodeRanks reads them.
func mapRanks(m map[string]scoring.Ranks) rankSource {
	return func(code string, clusters []string, into []int32) scoring.Place {
		r := m[code]
		for k, c := range clusters {
			into[k] = int32(r.Cluster[c])
		}
		return scoring.Place{Overall: int32(r.Overall), Level: int32(r.Level)}
	}
}

// refresh forgets every snapshot when another process wrote a newer run.
func (b *boards) refresh(ctx context.Context) error {
	b.mu.Lock()
	if time.Since(b.polled) < b.pollEvery {
		b.mu.Unlock()
		return nil
	}
	b.polled = time.Now()
	b.mu.Unlock()
	n, err := b.db.SucceededRuns(ctx)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n != b.seen {
		b.seen = n
		b.m = map[boardKey]*Leaderboard{}
		b.latest = map[string]string{}
	}
	return nil
}

// get returns the latest snapshot of a campaign for a period ("" for the
// period of its newest run). No run yet is store.ErrNotFound.
func (b *boards) get(ctx context.Context, campaign, period string) (*Leaderboard, error) {
	if err := b.refresh(ctx); err != nil {
		return nil, err
	}
	if period == "" {
		b.mu.Lock()
		period = b.latest[campaign]
		b.mu.Unlock()
		if period == "" {
			p, err := b.db.LatestPeriod(ctx, campaign)
			if err != nil {
				return nil, err
			}
			period = p
		}
	}
	key := boardKey{campaign, period}
	for {
		b.mu.Lock()
		if s, ok := b.m[key]; ok {
			b.mu.Unlock()
			return s, nil
		}
		if wg, loading := b.loadings[key]; loading { // someone else loads it: wait
			b.mu.Unlock()
			wg.Wait()
			continue
		}
		wg := &sync.WaitGroup{}
		wg.Add(1)
		b.loadings[key] = wg
		b.mu.Unlock()
		s, err := b.load(ctx, campaign, period)
		b.mu.Lock()
		delete(b.loadings, key)
		if err == nil {
			b.m[key] = s
			if b.latest[campaign] == "" {
				b.latest[campaign] = period
			}
		}
		b.mu.Unlock()
		wg.Done()
		return s, err
	}
}

func (b *boards) load(ctx context.Context, campaign, period string) (*Leaderboard, error) {
	run, prev, err := b.db.LatestRuns(ctx, campaign, period)
	if err != nil {
		return nil, err
	}
	rs, _, err := b.rulesets.Get(ctx, campaign, run.RulesetVersion)
	if err != nil {
		return nil, err
	}
	s := &Leaderboard{Run: run, Ruleset: rs}
	if prev == nil {
		prev, s.PreviousPeriod = b.previousPeriodRun(ctx, campaign, period)
	}
	// The run before gives only its ranks (the rank changes), read while
	// this run's board is.
	var (
		wg      sync.WaitGroup
		ranks   map[string]scoring.Ranks
		prevErr error
	)
	if prev != nil {
		wg.Go(func() {
			var err error
			if ranks, err = b.loadRanks(ctx, prev); !errors.Is(err, store.ErrNotFound) {
				// Else pruned since LatestRuns read it (newer runs finished
				// on another replica): no rank changes until the next refresh.
				prevErr = err
			}
		})
	}
	s.Table, err = b.loadTable(ctx, campaign, run)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if prevErr != nil {
		return nil, prevErr
	}
	if ranks != nil {
		s.previous = alignRanks(s.Table, mapRanks(ranks))
	}
	// Decoding a national board leaves a few times its size as garbage:
	// give it back to the system now rather than keep it as the heap's
	// headroom.
	if len(s.Table.Results) >= releaseAfter {
		debug.FreeOSMemory()
	}
	return s, nil
}

// previousPeriodRun is the newest run of the period before period (its
// closing run once closed) and that period's key; nil when it has none
// (the campaign had not started, or the period is the whole campaign).
func (b *boards) previousPeriodRun(ctx context.Context, campaign, period string) (*store.Run, string) {
	p, err := rules.ParsePeriod(period)
	if err != nil || !p.Bounded() {
		return nil, ""
	}
	prev := p.Previous()
	run, _, err := b.db.LatestRuns(ctx, campaign, prev.Key)
	if err != nil {
		return nil, ""
	}
	return run, prev.Key
}

// loadTable reads a run's snapshot back into a table.
func (b *boards) loadTable(ctx context.Context, campaign string, run *store.Run) (*scoring.Table, error) {
	blob, err := b.db.RunSnapshot(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	rs, _, err := b.rulesets.Get(ctx, campaign, run.RulesetVersion)
	if err != nil {
		return nil, err
	}
	return scoring.DecodeTable(bytes.NewReader(blob), rs)
}

// loadRanks reads only the ranks of a run's snapshot, by unit code.
func (b *boards) loadRanks(ctx context.Context, run *store.Run) (map[string]scoring.Ranks, error) {
	blob, err := b.db.RunSnapshot(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	return scoring.DecodeRanks(bytes.NewReader(blob))
}

// releaseAfter is the size of a board, in units, whose loading returns
// the decoding's garbage to the system at once.
const releaseAfter = 20_000

// Scope returns the entries of a scope (see scoring.ParseScope), computed
// once per run.
func (s *Leaderboard) Scope(scope string) ([]scoring.Entry, error) {
	return s.ScopeOfKind(scope, "")
}

// ScopeOfKind returns the entries of a scope of the units of one kind
// (every kind for ""), each keeping its rank in the scope: the wards'
// Front committees without the mass organisations of their level. A kind
// no unit of the board has gives no entry. Computed once per run.
func (s *Leaderboard) ScopeOfKind(scope, kind string) ([]scoring.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scopeOfKind(scope, kind)
}

func (s *Leaderboard) scopeOfKind(scope, kind string) ([]scoring.Entry, error) {
	k := scopeKey{scope, kind}
	if e, ok := s.scopes[k]; ok {
		return e, nil
	}
	if kind != "" && !slices.Contains(s.kindsLocked(), kind) {
		return nil, nil // not kept: any string may be asked for
	}
	var e []scoring.Entry
	if kind == "" {
		var err error
		if e, err = s.Table.Scope(scope); err != nil {
			return nil, err
		}
	} else {
		all, err := s.scopeOfKind(scope, "")
		if err != nil {
			return nil, err
		}
		for _, x := range all {
			if x.Result.Kind == kind {
				e = append(e, x)
			}
		}
	}
	if s.scopes == nil {
		s.scopes = map[scopeKey][]scoring.Entry{}
	}
	s.scopes[k] = e
	return e, nil
}

// Kinds are the kinds of the board's units, each once, in order of their
// keys.
func (s *Leaderboard) Kinds() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.kindsLocked())
}

func (s *Leaderboard) kindsLocked() []string {
	if s.kinds == nil {
		for _, r := range s.Table.Results {
			if !slices.Contains(s.kinds, r.Kind) {
				s.kinds = append(s.kinds, r.Kind)
			}
		}
		slices.Sort(s.kinds)
	}
	return s.kinds
}

// RankChange is how many places a unit rose in a scope since the previous
// run (negative: fell); nil when either run left it unranked.
func (s *Leaderboard) RankChange(sc scoring.Scope, e scoring.Entry) *int {
	if s.previous == nil || e.Rank == 0 {
		return nil
	}
	i, ok := s.Table.Index(e.Result.Code)
	if !ok {
		return nil
	}
	prev := s.previous
	var before int32
	switch sc.Kind {
	case "level":
		before = prev.places[i].Level
	case "cluster":
		if k := slices.Index(s.Table.Results[i].Clusters, sc.Group); k >= 0 {
			before = prev.clusters[int(prev.at[i])+k]
		}
	default:
		before = prev.places[i].Overall
	}
	if before == 0 {
		return nil
	}
	d := int(before) - e.Rank
	return &d
}

// Page returns an encoded page, encoding it once.
func (s *Leaderboard) Page(k PageKey, encode func() ([]byte, error)) ([]byte, error) {
	s.mu.Lock()
	if b, ok := s.pages[k]; ok {
		s.mu.Unlock()
		return b, nil
	}
	s.mu.Unlock()
	b, err := encode()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.pages == nil {
		s.pages = map[PageKey][]byte{}
	}
	if len(s.pages) < maxPages {
		s.pages[k] = b
	}
	s.mu.Unlock()
	return b, nil
}

// WarmBoards loads the newest board of every campaign, so that the first
// reader after a start does not wait for a national snapshot to be read
// and decoded. A campaign without a run is skipped.
func (s *Service) WarmBoards(ctx context.Context) (int, error) {
	warmed := 0
	f := store.CampaignFilter{Page: store.Page{Limit: store.MaxLimit}}
	for {
		camps, next, err := s.db.Campaigns(ctx, f)
		if err != nil {
			return warmed, err
		}
		for _, c := range camps {
			if _, err := s.boards.get(ctx, c.Slug, ""); errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return warmed, err
			}
			warmed++
		}
		if next == "" {
			return warmed, nil
		}
		f.Cursor = next
	}
}
