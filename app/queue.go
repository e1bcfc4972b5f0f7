package app

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// queuePage is reportQueue{listOf(q.Items, q.Next), q.Counts} as
// encoding/json writes it, written by hand: a page of fifty reports has
// some four hundred values, whose maps encoding/json sorts by reflection,
// a third of the CPU of a page made afresh. Evidence files, rare, are
// left to encoding/json.
func queuePage(q *platform.ReportQueue) ([]byte, error) {
	b := append(make([]byte, 0, 512*(len(q.Items)+1)), `{"items":[`...)
	var err error
	for i := range q.Items {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendReportRow(b, &q.Items[i]); err != nil {
			return nil, err
		}
	}
	b = append(b, `],"next_cursor":`...)
	if q.Next == "" {
		b = append(b, "null"...)
	} else {
		b = jsonString(b, q.Next)
	}
	b = append(b, `,"counts":`...)
	if q.Counts == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		for i, k := range slices.Sorted(maps.Keys(q.Counts)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(append(jsonString(b, k), ':'), int64(q.Counts[k]), 10)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// appendReportRow appends a report of the queue as encoding/json writes a
// store.ReportRow.
func appendReportRow(b []byte, r *store.ReportRow) ([]byte, error) {
	var err error
	b = jsonString(append(b, `{"campaign":`...), r.Campaign)
	b = jsonString(append(b, `,"unit":`...), r.Unit)
	b = jsonString(append(b, `,"period":`...), r.Period)
	b = appendDate(append(b, `,"period_start":`...), r.PeriodStart)
	b = appendDate(append(b, `,"period_end":`...), r.PeriodEnd)
	if b, err = appendTime(append(b, `,"submitted_at":`...), r.SubmittedAt); err != nil {
		return nil, err
	}
	if b, err = appendTime(append(b, `,"updated_at":`...), r.UpdatedAt); err != nil {
		return nil, err
	}
	b = appendValues(append(b, `,"values":`...), r.Values)
	b = jsonString(append(b, `,"status":`...), r.Status)
	if r.Reason != "" {
		b = jsonString(append(b, `,"reason":`...), r.Reason)
	}
	if r.DecidedAt != nil {
		if b, err = appendTime(append(b, `,"decided_at":`...), *r.DecidedAt); err != nil {
			return nil, err
		}
	}
	if r.DecidedBy != nil {
		b = jsonString(append(b, `,"decided_by":`...), *r.DecidedBy)
	}
	if r.VerifiedAt != nil {
		if b, err = appendTime(append(b, `,"verified_at":`...), *r.VerifiedAt); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"evidence_files":`...)
	if r.EvidenceFiles != nil && len(r.EvidenceFiles) == 0 {
		b = append(b, "[]"...)
	} else {
		files, err := json.Marshal(r.EvidenceFiles)
		if err != nil {
			return nil, err
		}
		b = append(b, files...)
	}
	b = jsonString(append(b, `,"unit_name":`...), r.UnitName)
	return append(b, '}'), nil
}

// appendDate appends d as encoding/json writes a store.Date.
func appendDate(b []byte, d store.Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	return append(d.AppendFormat(append(b, '"'), store.DateLayout), '"')
}

// appendTime appends t as encoding/json writes a time.Time: RFC 3339 with
// the fraction of a second it has, which time.Time.MarshalJSON refuses
// outside years 0 to 9999 (left to it, to say so).
func appendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		j, err := t.MarshalJSON()
		return append(b, j...), err
	}
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"'), nil
}

// appendValues appends a report's values as encoding/json writes a map of
// numbers: by key, each number as its floatEncoder writes it.
func appendValues(b []byte, values map[string]float64) []byte {
	if values == nil {
		return append(b, "null"...)
	}
	var few [32]string // a report's values are a few dozen at most
	keys := few[:0]
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(append(jsonString(b, k), ':'), values[k])
	}
	return append(b, '}')
}

// appendFloat appends a finite number as encoding/json does: the shortest
// text that reads back the same, in exponent form below 1e-6 and from 1e21,
// its exponent without a leading zero.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 is written 1e-7.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
