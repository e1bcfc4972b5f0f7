package scoring

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"

	"github.com/thidua/thidua/rules"
)

// tableBoards are boards whose tables must give back exactly their
// results: the golden fixture, random units, and results with what a
// board rarely holds (nil maps and lines, a line's error, a unit of its
// own shape, a key in one map only).
func tableBoards(t *testing.T) map[string]tableBoard {
	golden, example := compile(t, "golden.yaml"), compile(t, "example.yaml")
	random := randomUnits(rand.New(rand.NewPCG(7, 8)), 3000)
	for i := range random {
		f := &random[i].Facts
		f.KPI = map[string]float64{"staff_trained": float64(i%7) / 7, "docs_electronic": float64(i % 5)}
		f.Target = map[string]float64{"staff_trained": 1}
		f.Reported = map[string]bool{"staff_trained": i%2 == 0}
	}
	odd := &Board{Results: []Result{
		{Code: "a", Name: "Phường \"A\"", Level: "ward", Kind: "front", Clusters: []string{"x", "y"}, Total: 7.5, Max: 10, Eligible: true,
			Criteria:    []Line{{Key: "c1", Title: "Một", Value: 0.75, Points: 7.5}, {Key: "c2", Title: "Hai", Value: 0, Points: 0, Error: "division by zero"}},
			Adjustments: []Line{},
			Rank:        Ranks{Overall: 1, Level: 1, Cluster: map[string]int{"x": 1, "y": 1}},
			Facts: rules.Facts{Unit: rules.UnitFacts{Level: "ward", Kind: "front"}, Projects: rules.ProjectFacts{Registered: 2, Adopted: 1},
				KPI: map[string]float64{"k": 3}, Target: map[string]float64{"t": 4}, Reported: map[string]bool{"r": false},
				Reports: rules.ReportFacts{Due: 3, Late: 1}, Judging: rules.JudgingFacts{Best: 0.9, Mean: 0.5, Projects: 2}}},
		{Code: "d", Name: "D", Level: "ward", Kind: "front", Clusters: []string{"y", "y"}, Total: 5, Max: 10, Eligible: true,
			Rank: Ranks{Overall: 2, Level: 2, Cluster: map[string]int{"y": 2}}}, // a cluster twice
		{Code: "b", Name: "B", Level: "city", Kind: "front", Max: 10},
		{Code: "c", Name: "C", Level: "ward", Kind: "youth", Clusters: []string{}, Max: 10,
			Criteria: []Line{{Key: "c1", Title: "Một (cũ)"}}, Adjustments: []Line{{Key: "adj", Title: "Trừ", Value: -3, Points: -2}},
			Facts: rules.Facts{KPI: map[string]float64{}, Target: map[string]float64{}, Reported: map[string]bool{}}},
	}}
	return map[string]tableBoard{"golden": {Score(golden, fixture()), golden}, "random": {Score(example, random), example},
		"odd": {odd, nil}}
}

// tableBoard is a board and the ruleset that scored it (nil: none did).
type tableBoard struct {
	b  *Board
	rs *rules.Ruleset
}

// TestTable: a table's results, their breakdowns, facts and scopes are the
// board's, whether packed from the board or decoded from its snapshot.
func TestTable(t *testing.T) {
	for name, tb := range tableBoards(t) {
		checkTable(t, name, NewTable(tb.b), tb.b)
		if tb.rs == nil { // a snapshot's lines take their titles from the ruleset
			continue
		}
		var buf bytes.Buffer
		if err := EncodeBoard(&buf, tb.b); err != nil {
			t.Fatal(err)
		}
		decoded, err := DecodeTable(&buf, tb.rs)
		if err != nil {
			t.Fatal(err)
		}
		checkTable(t, name+" decoded", decoded, tb.b)
	}
}

func checkTable(t *testing.T, name string, tab *Table, b *Board) {
	t.Helper()
	if len(tab.Results) != len(b.Results) {
		t.Fatalf("%s: %d results, want %d", name, len(tab.Results), len(b.Results))
	}
	for i := range b.Results {
		want := b.Results[i]
		got, ok := tab.Lookup(want.Code)
		if !ok || !reflect.DeepEqual(*got, want) {
			t.Fatalf("%s: Lookup(%s) = %+v, %v\nwant %+v", name, want.Code, got, ok, want)
		}
		gotJSON, _ := json.Marshal(got)
		wantJSON, _ := json.Marshal(want)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Fatalf("%s: Lookup(%s) encodes as %s, want %s", name, want.Code, gotJSON, wantJSON)
		}
		if c, a := tab.Lines(want.Code); !reflect.DeepEqual(c, want.Criteria) || !reflect.DeepEqual(a, want.Adjustments) {
			t.Fatalf("%s: Lines(%s) = %v, %v; want %v, %v", name, want.Code, c, a, want.Criteria, want.Adjustments)
		}
		r := tab.Results[i]
		if got := r.Ranks(); !reflect.DeepEqual(got, want.Rank) {
			t.Fatalf("%s: Results[%d].Ranks() = %+v, want %+v", name, i, got, want.Rank)
		}
		for _, c := range append([]string{"no such cluster"}, want.Clusters...) {
			if got := r.ClusterRank(c); got != want.Rank.Cluster[c] {
				t.Fatalf("%s: Results[%d].ClusterRank(%s) = %d, want %d", name, i, c, got, want.Rank.Cluster[c])
			}
		}
		r.clusterRanks = nil
		bare := Standing{Code: want.Code, Name: want.Name, Level: want.Level, Kind: want.Kind, Clusters: want.Clusters,
			Total: want.Total, Max: want.Max, Eligible: want.Eligible, Rank: Place{int32(want.Rank.Overall), int32(want.Rank.Level)}}
		if !reflect.DeepEqual(r, bare) {
			t.Fatalf("%s: Results[%d] = %+v, want %+v", name, i, r, bare)
		}
	}
	if r, ok := tab.Lookup("no such unit"); ok {
		t.Errorf("%s: Lookup(no such unit) = %+v", name, r)
	}
	i := 0
	tab.Facts(func(r *Standing, f *rules.Facts) {
		if want := &b.Results[i]; r.Code != want.Code || !reflect.DeepEqual(*f, want.Facts) {
			t.Fatalf("%s: Facts' unit %d: %s %+v, want %s %+v", name, i, r.Code, *f, want.Code, want.Facts)
		}
		i++
	})
	if i != len(b.Results) {
		t.Errorf("%s: Facts called fn %d times, want %d", name, i, len(b.Results))
	}
	scopes := []string{"overall", "level:ward", "level:city", "level:commune", "cluster:x", "cluster:k1", "cluster:wards_east"}
	for _, s := range scopes {
		got, err := tab.Scope(s)
		want, _ := NewTable(b).Scope(s)
		if err != nil || len(got) != len(want) {
			t.Fatalf("%s: Scope(%s) = %d entries, %v; want %d", name, s, len(got), err, len(want))
		}
		for k := range got {
			if got[k].Rank != want[k].Rank || got[k].Result.Code != want[k].Result.Code {
				t.Fatalf("%s: Scope(%s)[%d] = %d %s, want %d %s", name, s, k, got[k].Rank, got[k].Result.Code, want[k].Rank, want[k].Result.Code)
			}
		}
	}
}

// BenchmarkDecodeTable reads a national board's snapshot into a table, and
// reports the memory it holds per unit: 2,118 bytes for the board the
// snapshot was made of (when the server held boards, before tables).
func BenchmarkDecodeTable(b *testing.B) {
	rs, board := nationalBoard(b)
	var buf bytes.Buffer
	if err := EncodeBoard(&buf, board); err != nil {
		b.Fatal(err)
	}
	board = nil
	b.ReportAllocs()
	var kept *Table
	for b.Loop() {
		var err error
		if kept, err = DecodeTable(bytes.NewReader(buf.Bytes()), rs); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	kept = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	kept, _ = DecodeTable(bytes.NewReader(buf.Bytes()), rs)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(kept)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(kept.Results)), "held-B/unit")
}
