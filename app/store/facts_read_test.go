package store

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUnitIndex: units are found at their places by id, and no other id
// is found, whether the ids are close together (kept by id) or spread wide
// (kept in a map).
func TestUnitIndex(t *testing.T) {
	for _, ids := range [][]int64{
		{7, 3, 5, 4, 12},            // close together, with gaps
		{1},                         // one
		{2, 1 << 40, 9},             // spread wide
		{math.MaxInt64, 1, 1 << 62}, // spread as wide as ids go
	} {
		units := make([]UnitFacts, len(ids))
		for i, id := range ids {
			units[i].ID = id
		}
		x := newUnitIndex(units)
		for i, id := range ids {
			if got, ok := x.at(id); !ok || got != i {
				t.Errorf("%v: at(%d) = %d, %v; want %d, true", ids, id, got, ok, i)
			}
		}
		for _, id := range []int64{0, -1, 2, 6, 8, 11, 13, 1<<40 + 1, math.MinInt64, math.MaxInt64 - 1} {
			if !slices.Contains(ids, id) {
				if got, ok := x.at(id); ok {
					t.Errorf("%v: at(%d) = %d, true; want none", ids, id, got)
				}
			}
		}
	}
	if _, ok := newUnitIndex(nil).at(0); ok {
		t.Error("an index of no units finds id 0")
	}
}

// TestLatestChanges: each project's latest change is the one at the latest
// time, then of the highest id, in whatever order they come, whether the
// projects' ids are close together (kept by id) or spread wide (in a map).
func TestLatestChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, step := range []int64{1, 3, 1 << 40} {
		var changes []statusChange
		want := map[int64]statusChange{}
		for id := range int64(3*changeChunk + 5) { // a few chunks

			c := statusChange{project: 100 + int64(rng.IntN(60_000))*step, unit: int64(rng.IntN(50)),
				at: int64(rng.IntN(20)), id: id, status: int32(rng.IntN(4))}
			changes = append(changes, c)
			if w, ok := want[c.project]; !ok || c.at > w.at || c.at == w.at && c.id > w.id {
				want[c.project] = c
			}
		}
		rng.Shuffle(len(changes), func(i, j int) { changes[i], changes[j] = changes[j], changes[i] })
		var list changeList
		for _, c := range changes {
			list.add(c)
		}
		got := map[int64]statusChange{}
		latestChanges(&list, func(c statusChange) {
			if _, ok := got[c.project]; ok {
				t.Errorf("step %d: project %d given twice", step, c.project)
			}
			got[c.project] = c
		})
		if !maps.Equal(got, want) {
			t.Errorf("step %d: %d latest changes, want %d", step, len(got), len(want))
		}
	}
	latestChanges(&changeList{}, func(statusChange) { t.Error("a change of none") })
}
