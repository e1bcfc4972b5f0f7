package scoring

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"runtime"
	"sync"

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
	enc := json.NewEncoder(zw)
	for i := range results {
		r := results[i] // a copy whose lines may drop their titles
		r.Criteria = untitled(r.Criteria)
		r.Adjustments = untitled(r.Adjustments)
		if err := enc.Encode(&r); err != nil {
			return err
		}
	}
	return zw.Close()
}

func untitled(lines []Line) []Line {
	out := make([]Line, len(lines))
	for i, l := range lines {
		l.Title = ""
		out[i] = l
	}
	return out
}

// DecodeBoard reads a snapshot written by EncodeBoard, taking the lines'
// titles from the ruleset version the run used.
func DecodeBoard(r io.Reader, rs *rules.Ruleset) (*Board, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	titles := map[string]string{}
	for _, c := range rs.Criteria {
		titles[c.Key] = c.Title
	}
	for _, a := range rs.Adjustments {
		titles[a.Key] = a.Title
	}
	board := &Board{Results: []Result{}}
	dec := json.NewDecoder(bufio.NewReaderSize(zr, 1<<16))
	for {
		var res Result
		if err := dec.Decode(&res); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		for i := range res.Criteria {
			res.Criteria[i].Title = titles[res.Criteria[i].Key]
		}
		for i := range res.Adjustments {
			res.Adjustments[i].Title = titles[res.Adjustments[i].Key]
		}
		board.Results = append(board.Results, res)
	}
	return board, nil
}
