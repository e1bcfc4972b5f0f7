package scoring

import (
	"slices"
	"strings"

	"github.com/thidua/thidua/rules"
)

// Table is a board as it is served: every unit's result without its
// breakdown, which is kept packed beside them and read back a unit at a
// time. A Result's lines and the maps of its facts are most of a board's
// memory (about 2 KB a unit); packed, they take about a fifth of that.
type Table struct {
	// Results are the board's results in overall order, without their
	// breakdown: Lookup, Lines and Facts give it.
	Results []Standing

	at      map[string]int32 // the index of each unit's code in Results
	units   []packedUnit
	lines   []packedLine
	names   []lineName // of lines, each once
	errs    []string   // of lines, each once; errs[0] is ""
	keys    []string   // of the facts' maps, each once
	figures []packedFigure
}

// Standing is a unit's result without its breakdown (its criteria's and
// adjustments' lines and its facts): its place on the board.
type Standing struct {
	Code     string
	Name     string
	Level    string
	Kind     string
	Clusters []string
	Total    float64
	Max      float64
	Eligible bool
	// Rank is the unit's place overall and in its level; ClusterRank and
	// Ranks give its ranks in its clusters.
	Rank Place
	// clusterRanks are the unit's ranks in Clusters, index for index; nil
	// when it has none (an ineligible unit, or no cluster).
	clusterRanks []int32
}

// Place is a unit's rank overall and within its level, as a Table keeps it:
// a national board holds 100,000 of them.
type Place struct {
	Overall, Level int32
}

// ClusterRank is the unit's rank within a cluster: 0 when it is ineligible
// or not in the cluster.
func (s *Standing) ClusterRank(cluster string) int {
	for i, c := range s.Clusters[:len(s.clusterRanks)] {
		if c == cluster {
			return int(s.clusterRanks[i])
		}
	}
	return 0
}

// Ranks are the unit's ranks as a Result holds them.
func (s *Standing) Ranks() Ranks {
	r := Ranks{Overall: int(s.Rank.Overall), Level: int(s.Rank.Level)}
	for i, rank := range s.clusterRanks {
		if rank == 0 {
			continue
		}
		if r.Cluster == nil {
			r.Cluster = make(map[string]int, len(s.clusterRanks))
		}
		r.Cluster[s.Clusters[i]] = int(rank)
	}
	return r
}

// packedUnit is where a unit's breakdown lies in a Table, and the facts
// that are not maps.
type packedUnit struct {
	facts            rules.Facts // its maps nil: they are in figures
	lines, figures   uint32      // the first of the unit's
	nLines, nFigures uint16
	criteria         uint16 // how many of the lines are criteria
	nils             uint8  // which of the breakdown's slices and maps are nil
}

// The bits of packedUnit.nils.
const (
	nilCriteria = 1 << iota
	nilAdjustments
	nilKPI
	nilTarget
	nilReported
)

type packedLine struct {
	value, points float64
	name, err     uint32
}

type lineName struct{ key, title string }

// packedFigure is one key of a unit's kpi, target and reported maps.
type packedFigure struct {
	kpi, target float64
	key         uint32
	has         uint8 // the bits below
}

const (
	hasKPI = 1 << iota
	hasTarget
	hasReported
	reportedTrue
)

// NewTable packs a board's results.
func NewTable(b *Board) *Table {
	tb := newTableBuilder(len(b.Results))
	for i := range b.Results {
		tb.add(&b.Results[i])
	}
	return tb.done()
}

// tableBuilder packs results into a Table one at a time, each string the
// results share kept once.
type tableBuilder struct {
	t        *Table
	names    map[lineName]uint32
	errs     map[string]uint32
	keys     map[string]uint32
	strs     map[string]string
	clusters map[string][]string
	ranks    []int32 // where the next units' cluster ranks are cut from
}

func newTableBuilder(n int) *tableBuilder {
	return &tableBuilder{
		t: &Table{Results: make([]Standing, 0, n), at: make(map[string]int32, n), units: make([]packedUnit, 0, n),
			errs: []string{""}},
		names: map[lineName]uint32{}, errs: map[string]uint32{"": 0}, keys: map[string]uint32{},
		strs: map[string]string{}, clusters: map[string][]string{},
	}
}

// add appends r to the table: its breakdown packed, the rest as it is.
func (tb *tableBuilder) add(r *Result) {
	t := tb.t
	u := packedUnit{facts: r.Facts, lines: uint32(len(t.lines)), figures: uint32(len(t.figures)),
		nLines: uint16(len(r.Criteria) + len(r.Adjustments)), criteria: uint16(len(r.Criteria))}
	u.facts.KPI, u.facts.Target, u.facts.Reported = nil, nil, nil
	u.facts.Unit = rules.UnitFacts{Level: tb.str(r.Facts.Unit.Level), Kind: tb.str(r.Facts.Unit.Kind)}
	u.nils = nilBit(r.Criteria == nil, nilCriteria) | nilBit(r.Adjustments == nil, nilAdjustments) |
		nilBit(r.Facts.KPI == nil, nilKPI) | nilBit(r.Facts.Target == nil, nilTarget) | nilBit(r.Facts.Reported == nil, nilReported)
	for _, lines := range [][]Line{r.Criteria, r.Adjustments} {
		for _, l := range lines {
			t.lines = append(t.lines, packedLine{value: l.Value, points: l.Points,
				name: intern(tb.names, &t.names, lineName{l.Key, l.Title}), err: intern(tb.errs, &t.errs, l.Error)})
		}
	}
	figure := func(k string) *packedFigure {
		key := intern(tb.keys, &t.keys, k)
		for i := int(u.figures); i < len(t.figures); i++ { // a few keys a unit
			if t.figures[i].key == key {
				return &t.figures[i]
			}
		}
		t.figures = append(t.figures, packedFigure{key: key})
		return &t.figures[len(t.figures)-1]
	}
	for k, v := range r.Facts.KPI {
		f := figure(k)
		f.kpi, f.has = v, f.has|hasKPI
	}
	for k, v := range r.Facts.Target {
		f := figure(k)
		f.target, f.has = v, f.has|hasTarget
	}
	for k, v := range r.Facts.Reported {
		f := figure(k)
		f.has |= hasReported
		if v {
			f.has |= reportedTrue
		}
	}
	u.nFigures = uint16(len(t.figures) - int(u.figures))
	t.units = append(t.units, u)

	s := Standing{Code: r.Code, Name: r.Name, Level: tb.str(r.Level), Kind: tb.str(r.Kind), Clusters: r.Clusters,
		Total: r.Total, Max: r.Max, Eligible: r.Eligible, Rank: Place{Overall: int32(r.Rank.Overall), Level: int32(r.Rank.Level)}}
	if r.Clusters != nil {
		key := strings.Join(r.Clusters, "\x00")
		cl, ok := tb.clusters[key]
		if !ok || len(cl) != len(r.Clusters) {
			cl = make([]string, len(r.Clusters))
			for i, c := range r.Clusters {
				cl[i] = tb.str(c)
			}
			tb.clusters[key] = cl
		}
		s.Clusters = cl[:len(cl):len(cl)]
	}
	if len(r.Rank.Cluster) > 0 {
		s.clusterRanks = tb.int32s(len(s.Clusters))
		for i, c := range s.Clusters {
			s.clusterRanks[i] = int32(r.Rank.Cluster[c])
		}
	}
	t.at[s.Code] = int32(len(t.Results))
	t.Results = append(t.Results, s)
}

// done returns the table built, its slices no longer than they need be:
// grown by appending, they would hold up to twice that.
func (tb *tableBuilder) done() *Table {
	t := tb.t
	t.Results, t.units, t.lines, t.figures = slices.Clone(t.Results), slices.Clone(t.units), slices.Clone(t.lines), slices.Clone(t.figures)
	return t
}

func nilBit(isNil bool, bit uint8) uint8 {
	if isNil {
		return bit
	}
	return 0
}

// int32s returns n zeros cut from a block shared by many units: a slice
// of its own for each would cost an allocation a unit.
func (tb *tableBuilder) int32s(n int) []int32 {
	if len(tb.ranks)+n > cap(tb.ranks) {
		tb.ranks = make([]int32, 0, max(n, 4096))
	}
	k := len(tb.ranks)
	tb.ranks = tb.ranks[:k+n]
	return tb.ranks[k : k+n : k+n]
}

func (tb *tableBuilder) str(s string) string {
	if v, ok := tb.strs[s]; ok {
		return v
	}
	tb.strs[s] = s
	return s
}

// intern returns the index of v in list, appending it the first time.
func intern[T comparable](index map[T]uint32, list *[]T, v T) uint32 {
	i, ok := index[v]
	if !ok {
		i = uint32(len(*list))
		index[v] = i
		*list = append(*list, v)
	}
	return i
}

// Scope lists the leaderboard of a scope ("overall", "level:<level>" or
// "cluster:<cluster>", see ParseScope): the units in it in overall order,
// with their rank within it. A level or cluster without units has an empty
// leaderboard.
func (t *Table) Scope(scope string) ([]Entry, error) {
	s, err := ParseScope(scope)
	if err != nil {
		return nil, err
	}
	entries := []Entry{}
	for i := range t.Results {
		r := &t.Results[i]
		if rank, ok := s.rank(r); ok {
			entries = append(entries, Entry{Rank: rank, Result: r})
		}
	}
	return entries, nil
}

// Lookup returns the result of the unit with the given code, breakdown
// included: a copy made for the caller.
func (t *Table) Lookup(code string) (*Result, bool) {
	i, ok := t.at[code]
	if !ok {
		return nil, false
	}
	s := &t.Results[i]
	r := &Result{Code: s.Code, Name: s.Name, Level: s.Level, Kind: s.Kind, Clusters: s.Clusters, Total: s.Total, Max: s.Max,
		Eligible: s.Eligible, Rank: s.Ranks(), Facts: t.unitFacts(i, &rules.Facts{})}
	r.Criteria, r.Adjustments = t.breakdown(i)
	return r, true
}

// Index returns the index in Results of the unit with the given code.
func (t *Table) Index(code string) (int, bool) {
	i, ok := t.at[code]
	return int(i), ok
}

// Lines returns the criteria's and the adjustments' lines of the unit with
// the given code (nil for a code not on the board).
func (t *Table) Lines(code string) (criteria, adjustments []Line) {
	if i, ok := t.at[code]; ok {
		return t.breakdown(i)
	}
	return nil, nil
}

func (t *Table) breakdown(i int32) (criteria, adjustments []Line) {
	u := &t.units[i]
	lines := make([]Line, u.nLines)
	for j := range lines {
		p := &t.lines[int(u.lines)+j]
		n := t.names[p.name]
		lines[j] = Line{Key: n.key, Title: n.title, Value: p.value, Points: p.points, Error: t.errs[p.err]}
	}
	criteria, adjustments = lines[:u.criteria:u.criteria], lines[u.criteria:]
	if u.nils&nilCriteria != 0 {
		criteria = nil
	}
	if u.nils&nilAdjustments != 0 {
		adjustments = nil
	}
	return criteria, adjustments
}

// Facts calls fn with every unit's result (without its breakdown) and
// facts, in overall order. The facts' maps are reused from one call to the
// next: fn must not keep them.
func (t *Table) Facts(fn func(r *Standing, f *rules.Facts)) {
	var maps rules.Facts
	for i := range t.Results {
		f := t.unitFacts(int32(i), &maps)
		fn(&t.Results[i], &f)
	}
}

// unitFacts returns unit i's facts, their maps those of into, cleared and
// filled (made when nil).
func (t *Table) unitFacts(i int32, into *rules.Facts) rules.Facts {
	u := &t.units[i]
	f := u.facts
	if u.nils&nilKPI == 0 {
		into.KPI = clearMap(into.KPI, int(u.nFigures))
		f.KPI = into.KPI
	}
	if u.nils&nilTarget == 0 {
		into.Target = clearMap(into.Target, int(u.nFigures))
		f.Target = into.Target
	}
	if u.nils&nilReported == 0 {
		into.Reported = clearMap(into.Reported, int(u.nFigures))
		f.Reported = into.Reported
	}
	for _, p := range t.figures[u.figures : u.figures+uint32(u.nFigures)] {
		k := t.keys[p.key]
		if p.has&hasKPI != 0 {
			f.KPI[k] = p.kpi
		}
		if p.has&hasTarget != 0 {
			f.Target[k] = p.target
		}
		if p.has&hasReported != 0 {
			f.Reported[k] = p.has&reportedTrue != 0
		}
	}
	return f
}

func clearMap[V any](m map[string]V, n int) map[string]V {
	if m == nil {
		return make(map[string]V, n)
	}
	clear(m)
	return m
}
