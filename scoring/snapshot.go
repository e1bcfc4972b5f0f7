package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/gzip"

	"github.com/thidua/thidua/rules"
)

// A board is stored as a snapshot: gzip'd JSON, one result per line, in
// overall order. Lines leave out the criteria's titles, which the ruleset
// version of the run holds, so that a snapshot of 100,000 units stays small
// and quick to write. Chunks are encoded and compressed in parallel as
// separate gzip members, which read back as one stream.

// EncodeBoard writes b as a snapshot.
func EncodeBoard(w io.Writer, b *Board) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(b.Results)/minPerWorker))
	chunk := (len(b.Results) + workers - 1) / workers
	parts := make([]bytes.Buffer, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		lo, hi := i*chunk, min((i+1)*chunk, len(b.Results))
		wg.Go(func() { errs[i] = encodeResults(&parts[i], b.Results[lo:hi]) })
	}
	wg.Wait()
	for i := range parts {
		if errs[i] != nil {
			return errs[i]
		}
		if _, err := w.Write(parts[i].Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func encodeResults(w io.Writer, results []Result) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	var (
		e    lineEncoder
		line []byte
	)
	for i := range results {
		line = e.appendResult(line[:0], &results[i])
		if _, err := zw.Write(line); err != nil {
			return err
		}
	}
	return zw.Close()
}

// lineEncoder writes results as JSON lines. It remembers the sorted keys of
// the last map it wrote in each place: a board's units share their
// indicators and mostly their clusters, so each set is sorted and written
// as JSON once.
type lineEncoder struct {
	clusters, kpi, target, reported keyOrder
}

// keyOrder is a map's keys in order, each also as the JSON text that
// introduces its value ("key":), and the last map written in its place
// with its text.
type keyOrder struct {
	keys  []string
	text  []byte
	until []int // key i's text is text[until[i-1]:until[i]]

	last     unsafe.Pointer
	lastText []byte
}

// set makes keys (sorted) the order.
func (o *keyOrder) set(keys []string) {
	o.keys, o.text, o.until = keys, o.text[:0], o.until[:0]
	for _, k := range keys {
		o.text = append(appendString(o.text, k), ':')
		o.until = append(o.until, len(o.text))
	}
}

// appendResult writes r as one JSON line, as encoding/json would but for
// the lines' titles, without reflection: a run encodes 100,000 of them.
func (e *lineEncoder) appendResult(b []byte, r *Result) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, r.Code)
	b = append(b, `,"name":`...)
	b = appendString(b, r.Name)
	b = append(b, `,"level":`...)
	b = appendString(b, r.Level)
	b = append(b, `,"kind":`...)
	b = appendString(b, r.Kind)
	b = append(b, `,"clusters":`...)
	if r.Clusters == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range r.Clusters {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, c)
		}
		b = append(b, ']')
	}
	b = append(b, `,"total":`...)
	b = appendFloat(b, r.Total)
	b = append(b, `,"max":`...)
	b = appendFloat(b, r.Max)
	b = append(b, `,"eligible":`...)
	b = strconv.AppendBool(b, r.Eligible)
	b = append(b, `,"criteria":`...)
	b = appendLines(b, r.Criteria)
	b = append(b, `,"adjustments":`...)
	b = appendLines(b, r.Adjustments)
	b = append(b, `,"rank":{"overall":`...)
	b = strconv.AppendInt(b, int64(r.Rank.Overall), 10)
	b = append(b, `,"level":`...)
	b = strconv.AppendInt(b, int64(r.Rank.Level), 10)
	if len(r.Rank.Cluster) > 0 {
		b = append(b, `,"cluster":`...)
		b = appendMap(b, r.Rank.Cluster, &e.clusters, func(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) })
	}
	f := &r.Facts
	b = append(b, `},"facts":{"unit":{"level":`...)
	b = appendString(b, f.Unit.Level)
	b = append(b, `,"kind":`...)
	b = appendString(b, f.Unit.Kind)
	b = appendInts(b, `},"projects":{"registered":`, f.Projects.Registered, `,"in_progress":`, f.Projects.InProgress,
		`,"completed":`, f.Projects.Completed, `,"verified":`, f.Projects.Verified, `,"adopted":`, f.Projects.Adopted)
	b = append(b, `},"kpi":`...)
	b = appendMap(b, f.KPI, &e.kpi, appendFloat)
	b = append(b, `,"target":`...)
	b = appendMap(b, f.Target, &e.target, appendFloat)
	b = append(b, `,"reported":`...)
	b = appendMap(b, f.Reported, &e.reported, strconv.AppendBool)
	b = appendInts(b, `,"reports":{"due":`, f.Reports.Due, `,"on_time":`, f.Reports.OnTime,
		`,"late":`, f.Reports.Late, `,"missing":`, f.Reports.Missing)
	b = append(b, `},"judging":{"best":`...)
	b = appendFloat(b, f.Judging.Best)
	b = append(b, `,"mean":`...)
	b = appendFloat(b, f.Judging.Mean)
	b = append(b, `,"projects":`...)
	b = strconv.AppendInt(b, int64(f.Judging.Projects), 10)
	return append(b, "}}}\n"...)
}

// appendInts writes pairs of a literal and a number.
func appendInts(b []byte, pairs ...any) []byte {
	for i := 0; i < len(pairs); i += 2 {
		b = append(b, pairs[i].(string)...)
		b = strconv.AppendInt(b, int64(pairs[i+1].(int)), 10)
	}
	return b
}

// appendLines writes lines without their titles.
func appendLines(b []byte, lines []Line) []byte {
	if lines == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, l := range lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"key":`...)
		b = appendString(b, l.Key)
		b = append(b, `,"value":`...)
		b = appendFloat(b, l.Value)
		b = append(b, `,"points":`...)
		b = appendFloat(b, l.Points)
		if l.Error != "" {
			b = append(b, `,"error":`...)
			b = appendString(b, l.Error)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendMap writes a map with its keys sorted, or null for a nil map.
// order holds the sorted keys of the last map written in this place: when
// m has exactly those keys, they are not sorted again.
// Units may share a map (those whose targets are their campaign's do): a
// board is not changed while it is written, so the map written last in
// this place is written again as the same text.
func appendMap[V any](b []byte, m map[string]V, order *keyOrder, value func([]byte, V) []byte) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	id := reflect.ValueOf(m).UnsafePointer()
	if id == order.last {
		return append(b, order.lastText...)
	}
	start := len(b)
	out, ok := b, false
	if len(order.keys) == len(m) {
		out, ok = appendEntries(b, m, order, value)
	}
	if !ok {
		keys := order.keys[:0]
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		order.set(keys)
		out, _ = appendEntries(b, m, order, value)
	}
	order.last, order.lastText = id, append(order.lastText[:0], out[start:]...)
	return out
}

// appendEntries writes m's entries in order, whose keys must be m's keys:
// if one is missing, it reports false and b is to be discarded.
func appendEntries[V any](b []byte, m map[string]V, order *keyOrder, value func([]byte, V) []byte) ([]byte, bool) {
	b = append(b, '{')
	from := 0
	for i, k := range order.keys {
		v, ok := m[k]
		if !ok {
			return b, false
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, order.text[from:order.until[i]]...)
		from = order.until[i]
		b = value(b, v)
	}
	return append(b, '}'), true
}

// appendFloat writes a finite float as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	// Most of a board's numbers are points and totals rounded to 4 places,
	// shares in hundredths and whole targets: the float nearest a decimal
	// of at most 4 places below 1e11 (where floats are much closer together
	// than 1e-4) is written shortest as that decimal, which takes integer
	// arithmetic rather than strconv's search for the shortest digits.
	if n := math.Round(f * 1e4); f != 0 && math.Abs(n) < 1e15 && n/1e4 == f {
		return appendDecimal4(b, int64(n))
	}
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendDecimal4 writes n/10⁴ without trailing zeros.
func appendDecimal4(b []byte, n int64) []byte {
	if n < 0 {
		b, n = append(b, '-'), -n
	}
	b = strconv.AppendInt(b, n/1e4, 10)
	frac := n % 1e4
	if frac == 0 {
		return b
	}
	digits := 4
	for frac%10 == 0 {
		frac, digits = frac/10, digits-1
	}
	b = append(b, '.')
	for d := digits - 1; d >= 0; d-- {
		b = append(b, byte('0'+frac/pow10[d]%10))
	}
	return b
}

var pow10 = [...]int64{1, 10, 100, 1000}

// appendString writes s (valid UTF-8, as all stored text is) as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			q, _ := json.Marshal(s) // the rare string that needs escaping
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// DecodeTable reads a snapshot written by EncodeBoard, taking the lines'
// titles from the ruleset version the run used. It packs the results as
// they are decoded: the whole board is never held at once.
func DecodeTable(r io.Reader, rs *rules.Ruleset) (*Table, error) {
	tb := newTableBuilder(0)
	err := decodeResults(r, rs, func(chunk []Result) {
		for i := range chunk {
			tb.add(&chunk[i])
		}
	})
	if err != nil {
		return nil, err
	}
	return tb.done(), nil
}

// decodeResults decodes a snapshot's results, handing them to emit a
// chunk at a time, in order.
func decodeResults(r io.Reader, rs *rules.Ruleset, emit func([]Result)) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	titles := map[string]string{}
	for _, c := range rs.Criteria {
		titles[c.Key] = c.Title
	}
	for _, a := range rs.Adjustments {
		titles[a.Key] = a.Title
	}
	return decodeParallel(zr, func(data []byte) ([]Result, error) { return decodeLines(data, titles) }, emit)
}

// DecodeRanks reads only the ranks of a snapshot, by unit code: what a
// board needs of the run before it (its rank changes), for a fraction of
// the time and memory of DecodeTable.
func DecodeRanks(r io.Reader) (map[string]Ranks, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	type ranked struct {
		Code string `json:"code"`
		Rank Ranks  `json:"rank"`
	}
	m := map[string]Ranks{}
	err = decodeParallel(zr, func(data []byte) ([]ranked, error) {
		var out []ranked
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var l ranked
			if err := dec.Decode(&l); err == io.EOF {
				return out, nil
			} else if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
	}, func(lines []ranked) {
		for _, l := range lines {
			m[l.Code] = l.Rank
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// decodeParallel cuts a stream of JSON lines into chunks of whole lines,
// decodes them with decode in parallel while the next chunks are read, and
// hands what each decodes to to emit, in order, as soon as the chunks
// before it are handed: few chunks are held at once, whatever the stream's
// size. After an error, emit is not called again.
func decodeParallel[T any](r io.Reader, decode func([]byte) ([]T, error), emit func([]T)) error {
	type chunk struct {
		data []byte
		out  []T
		err  error
		done chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	var (
		work    = make(chan *chunk)
		ordered = make(chan *chunk, 2*workers) // the chunks not yet emitted
		wg      sync.WaitGroup
		failed  error
	)
	for range workers {
		wg.Go(func() {
			for c := range work {
				c.out, c.err = decode(c.data)
				c.data = nil
				close(c.done)
			}
		})
	}
	wg.Go(func() {
		for c := range ordered {
			<-c.done
			if failed == nil {
				if failed = c.err; failed == nil {
					emit(c.out)
				}
			}
		}
	})
	err := cutLines(r, decodeChunkBytes, func(data []byte) {
		c := &chunk{data: data, done: make(chan struct{})}
		ordered <- c
		work <- c
	})
	close(work)
	close(ordered)
	wg.Wait()
	if err != nil {
		return err
	}
	return failed
}

// decodeChunkBytes is about how much of a snapshot one worker decodes at a
// time: a few hundred lines.
const decodeChunkBytes = 256 << 10

// cutLines reads r to its end in blocks of about size bytes, each cut after
// its last newline (a line longer than size makes a longer block), and
// hands each block to fn, which may keep it.
func cutLines(r io.Reader, size int, fn func([]byte)) error {
	var carry []byte
	for {
		buf := make([]byte, len(carry), len(carry)+size)
		copy(buf, carry)
		n, err := io.ReadFull(r, buf[len(carry):cap(buf)])
		buf = buf[:len(carry)+n]
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return err
		}
		cut := len(buf)
		if !end {
			cut = bytes.LastIndexByte(buf, '\n') + 1
		}
		carry = buf[cut:]
		if cut > 0 {
			fn(buf[:cut:cut])
		}
		if end {
			return nil
		}
	}
}

// decodeLines decodes JSON lines of results, giving their lines the titles
// the ruleset holds.
func decodeLines(data []byte, titles map[string]string) ([]Result, error) {
	var out []Result
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var res Result
		if err := dec.Decode(&res); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		for i := range res.Criteria {
			res.Criteria[i].Title = titles[res.Criteria[i].Key]
		}
		for i := range res.Adjustments {
			res.Adjustments[i].Title = titles[res.Adjustments[i].Key]
		}
		out = append(out, res)
	}
}
