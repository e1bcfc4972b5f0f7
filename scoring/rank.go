package scoring

import (
	"cmp"
	"slices"
	"strings"
)

// order returns the indexes of units in overall order: eligible first, then
// by total (highest first), then by code and name. The index breaks any
// remaining tie, which only units with the same code and name can reach.
func order(units []Unit, outcomes []outcome) []int {
	// Sort compact keys rather than indexes into two slices: it keeps the
	// comparisons in cache.
	keys := make([]sortKey, len(units))
	for i := range keys {
		keys[i] = sortKey{outcome: outcomes[i], code: units[i].Code, name: units[i].Name, index: i}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if a.eligible != b.eligible {
			if a.eligible {
				return -1
			}
			return 1
		}
		// One comparison after another, not cmp.Or's all at once: most
		// units differ in their totals, and their codes need no comparing.
		if c := cmp.Compare(b.total, a.total); c != 0 {
			return c
		}
		if c := strings.Compare(a.code, b.code); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(a.index, b.index))
	})
	idx := make([]int, len(keys))
	for k, key := range keys {
		idx[k] = key.index
	}
	return idx
}

// sortKey is what order compares of a unit.
type sortKey struct {
	outcome
	code, name string
	index      int
}

// rank sets the ranks of results, which are in overall order: every
// eligible unit's rank overall, in its level and in each of its clusters.
func rank(results []Result) {
	var overall counter
	levels := map[string]*counter{}
	clusters := map[string]*counter{}
	for i := range results {
		r := &results[i]
		r.Rank = Ranks{}
		if !r.Eligible {
			continue
		}
		r.Rank.Overall = overall.next(r.Total)
		r.Rank.Level = counterOf(levels, r.Level).next(r.Total)
		for _, c := range r.Clusters {
			if _, dup := r.Rank.Cluster[c]; dup {
				continue
			}
			if r.Rank.Cluster == nil {
				r.Rank.Cluster = make(map[string]int, len(r.Clusters))
			}
			r.Rank.Cluster[c] = counterOf(clusters, c).next(r.Total)
		}
	}
}

// counter hands out standard competition ranks (1, 2, 2, 4) to totals given
// in descending order.
type counter struct {
	n, rank int
	last    float64
}

func (c *counter) next(total float64) int {
	c.n++
	if c.n == 1 || total != c.last {
		c.rank, c.last = c.n, total
	}
	return c.rank
}

func counterOf(m map[string]*counter, group string) *counter {
	c := m[group]
	if c == nil {
		c = &counter{}
		m[group] = c
	}
	return c
}
