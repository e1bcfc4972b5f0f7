package scoring

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/thidua/thidua/rules"
)

func TestSnapshotRoundTrip(t *testing.T) {
	rs, err := rules.Compile([]byte(`schema: 1
criteria:
  - {key: a, title: "Tiêu chí A", weight: 60, value: "kpi.x"}
  - {key: b, title: "Tiêu chí B", weight: 40, value: "projects.registered >= 1 ? 1 : 0", required: true}
adjustments:
  - {key: late, title: "Nộp muộn", points: "-1 * reports.late"}
`), []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	var units []Unit
	clusters := [][]string{nil, {"cum-1"}, {"cum-1", "cum-2"}, {"cum-3", "cum-1"}}
	for i := range 5000 { // enough for several parallel chunks
		units = append(units, Unit{Code: string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676)), Name: "Phường Định Công",
			Level: "commune", Kind: "front", Clusters: clusters[i%len(clusters)],
			Facts: rules.Facts{KPI: map[string]float64{"x": float64(i%100) / 100}, Target: map[string]float64{"x": 1},
				Reported: map[string]bool{"x": true}, Projects: rules.ProjectFacts{Registered: i % 3}, Reports: rules.ReportFacts{Late: i % 2}}})
	}
	want := Score(rs, units)
	var buf bytes.Buffer
	if err := EncodeBoard(&buf, want); err != nil {
		t.Fatal(err)
	}
	blob := bytes.Clone(buf.Bytes())
	table, err := DecodeTable(&buf, rs)
	if err != nil {
		t.Fatal(err)
	}
	got := boardOf(table)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeTable(EncodeBoard(b)) differs from b: first results %+v vs %+v", got.Results[0], want.Results[0])
	}
	// Encoded again, the table's board is the same snapshot, byte for byte
	// (once unzipped: the members' cuts may differ).
	var again bytes.Buffer
	if err := EncodeBoard(&again, got); err != nil {
		t.Fatal(err)
	}
	if a, b := gunzip(t, again.Bytes()), gunzip(t, blob); !bytes.Equal(a, b) {
		t.Errorf("EncodeBoard(DecodeTable(s)) = %d bytes, want the %d of s", len(a), len(b))
	}
	// Its ranks alone, by code, are the board's.
	ranks, err := DecodeRanks(bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	wantRanks := make(map[string]Ranks, len(want.Results))
	for _, r := range want.Results {
		wantRanks[r.Code] = r.Rank
	}
	if !reflect.DeepEqual(ranks, wantRanks) {
		t.Errorf("DecodeRanks: %d ranks, want %d; P0's %+v, want %+v", len(ranks), len(wantRanks), ranks[want.Results[0].Code], want.Results[0].Rank)
	}
	if _, err := DecodeRanks(bytes.NewReader(blob[:len(blob)/2])); err == nil {
		t.Error("DecodeRanks of half a snapshot: no error")
	}
}

// TestAppendResultMatchesJSON: the hand-written encoder writes what
// encoding/json writes (titles aside), escapes included.
func TestAppendResultMatchesJSON(t *testing.T) {
	r := Result{Code: `X-"1"\`, Name: "Tổ số 5\n<b>", Level: "commune", Kind: "front", Clusters: []string{"cum-1"},
		Total: 1e-7, Max: 100, Eligible: true,
		Criteria:    []Line{{Key: "a", Value: 0.1 + 0.2, Points: 12.3456}, {Key: "b", Error: "division"}},
		Adjustments: []Line{},
		Rank:        Ranks{Overall: 3, Level: 2, Cluster: map[string]int{"cum-1": 1, "a": 2}},
		Facts: rules.Facts{KPI: map[string]float64{"x": 0.5, "a": 1e22}, Target: map[string]float64{}, Reported: nil,
			Projects: rules.ProjectFacts{Registered: 2, Adopted: 1}, Judging: rules.JudgingFacts{Best: 0.78, Projects: 1}}}
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var a Result
	json.Unmarshal(want, &a)
	var e lineEncoder
	// Twice: the second time with the keys the first remembered, then with
	// maps of other keys of the same sizes.
	other := r
	other.Rank.Cluster = map[string]int{"cum-1": 1, "b": 2}
	other.Facts.KPI = map[string]float64{"x": 0.5, "z": 3}
	var otherWant Result
	j, _ := json.Marshal(other)
	json.Unmarshal(j, &otherWant)
	for i, tt := range []struct {
		r    *Result
		want Result
	}{{&r, a}, {&r, a}, {&other, otherWant}} {
		line := e.appendResult(nil, tt.r)
		var b Result
		if err := json.Unmarshal(line, &b); err != nil {
			t.Fatalf("%d: appendResult wrote invalid JSON: %v\n%s", i, err, line)
		}
		if !reflect.DeepEqual(tt.want, b) {
			t.Errorf("%d: appendResult = %s\nencoding/json = %s", i, line, want)
		}
	}
}

// TestAppendResultSharedMaps: results that share maps (as units whose
// targets are their campaign's do), written one after another between
// results with maps of their own, are written as each would be alone.
func TestAppendResultSharedMaps(t *testing.T) {
	shared := map[string]float64{"a": 1, "b": 0.5}
	own := map[string]float64{"a": 2, "b": 0.25}
	other := map[string]float64{"a": 1, "c": 3}
	var rs []Result
	for i, target := range []map[string]float64{shared, shared, own, shared, other, other, shared, {}, shared, nil, shared} {
		rs = append(rs, Result{Code: strconv.Itoa(i), Facts: rules.Facts{
			KPI: map[string]float64{"a": float64(i)}, Target: target, Reported: map[string]bool{"a": i%2 == 0}}})
	}
	var e lineEncoder
	for i := range rs {
		var alone lineEncoder
		if got, want := e.appendResult(nil, &rs[i]), alone.appendResult(nil, &rs[i]); !bytes.Equal(got, want) {
			t.Errorf("result %d = %s, want %s", i, got, want)
		}
	}
}

// TestAppendFloat: the fast path for decimals of up to 4 places writes what
// strconv's shortest formatting writes, byte for byte, at every magnitude
// and near its limit; other floats take strconv's path.
func TestAppendFloat(t *testing.T) {
	want := func(f float64) string { // the encoder's formatting before the fast path
		if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
			return strconv.FormatFloat(f, 'e', -1, 64)
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	fs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.0001, -0.0001, 0.00005, 1e-6, 1e-7, 0.1 + 0.2, 1.0 / 3,
		12.3456, 99.99995, 1e11 - 0.0001, 1e11, 1e11 + 0.0001, 99999999999.9999, 1e12, 123456789012.3456, 1e15, 1e21, 1e22,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.Nextafter(0.25, 1), math.Nextafter(0.25, 0)}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 200_000 {
		n := rng.Int64N(2e15) - 1e15
		d := float64(n) / math.Pow10(rng.IntN(8))
		fs = append(fs, d/1e4, float64(n%1e6)/100, d, math.Nextafter(d/1e4, math.Inf(1)), rng.NormFloat64()*math.Pow10(rng.IntN(30)-15))
	}
	for _, f := range fs {
		if got := string(appendFloat(nil, f)); got != want(f) {
			t.Fatalf("appendFloat(%v) = %s, want %s", f, got, want(f))
		}
	}
}

// nationalBoard is a board of 100,000 units with the RULES.md example's
// facts, for the snapshot benchmarks.
func nationalBoard(b *testing.B) (*rules.Ruleset, *Board) {
	rs := compile(b, "example.yaml")
	rng := rand.New(rand.NewPCG(5, 6))
	units := randomUnits(rng, 100_000)
	for i := range units {
		f := &units[i].Facts
		f.KPI = map[string]float64{"staff_trained": rng.Float64(), "docs_electronic": rng.Float64() * 100, "records_online": rng.Float64()}
		f.Target = map[string]float64{"staff_trained": 1, "docs_electronic": 100, "records_online": 1}
		f.Reported = map[string]bool{"staff_trained": true, "docs_electronic": rng.IntN(2) == 0, "records_online": true}
		f.Reports = rules.ReportFacts{Due: 3, OnTime: rng.IntN(4), Missing: rng.IntN(2)}
	}
	return rs, Score(rs, units)
}

// BenchmarkEncodeBoard writes a national board as a snapshot.
func BenchmarkEncodeBoard(b *testing.B) {
	_, board := nationalBoard(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := EncodeBoard(&buf, board); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// BenchmarkDecodeRanks reads only the ranks of a national board's snapshot.
func BenchmarkDecodeRanks(b *testing.B) {
	_, board := nationalBoard(b)
	var buf bytes.Buffer
	if err := EncodeBoard(&buf, board); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeRanks(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCutLines: blocks end after a newline, a line longer than a block
// makes a longer one, and together they are the whole input.
func TestCutLines(t *testing.T) {
	for _, in := range []string{"", "a\n", "ab\ncd\nef", "short\n" + strings.Repeat("x", 40) + "\nend\n", "no newline at all"} {
		for _, size := range []int{1, 3, 7, 64} {
			var got []string
			err := cutLines(strings.NewReader(in), size, func(b []byte) { got = append(got, string(b)) })
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "") != in {
				t.Errorf("cutLines(%q, %d) = %q: not the input", in, size, got)
			}
			for i, b := range got {
				if i < len(got)-1 && !strings.HasSuffix(b, "\n") || b == "" {
					t.Errorf("cutLines(%q, %d): block %d %q is not whole lines", in, size, i, b)
				}
			}
		}
	}
}

// TestDecodeTableRefusesDamage: a damaged line is an error, wherever it is.
func TestDecodeTableRefusesDamage(t *testing.T) {
	rs, err := rules.Compile([]byte("schema: 1\ncriteria:\n  - {key: a, title: A, weight: 100, value: \"1\"}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines strings.Builder
	for range 3000 {
		lines.WriteString(`{"code":"P-1","name":"Phường","criteria":[{"key":"a","value":1,"points":100}]}` + "\n")
	}
	good := lines.String()
	for _, bad := range []string{good + "{\"code\":", good[:len(good)/2] + "]\n" + good[len(good)/2:]} {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(bad))
		zw.Close()
		if _, err := DecodeTable(&buf, rs); err == nil {
			t.Errorf("a damaged snapshot of %d bytes decoded without error", len(bad))
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(good))
	zw.Close()
	table, err := DecodeTable(&buf, rs)
	if err != nil || len(table.Results) != 3000 || boardOf(table).Results[2999].Criteria[0].Title != "A" {
		t.Errorf("the undamaged lines: %v, %v", table, err)
	}
}

// boardOf is the board a table holds, every result with its breakdown.
func boardOf(t *Table) *Board {
	b := &Board{Results: make([]Result, len(t.Results))}
	for i := range t.Results {
		r, _ := t.Lookup(t.Results[i].Code)
		b.Results[i] = *r
	}
	return b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
