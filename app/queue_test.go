package app

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// TestQueuePage checks the hand-written page of the verifier's queue
// against what encoding/json writes of the same page: numbers of every
// form (exponents both ways, the extremes, negative zero), strings that
// need escaping, the optional fields present and absent, evidence files.
func TestQueuePage(t *testing.T) {
	hanoi := time.FixedZone("ICT", 7*3600)
	at := time.Date(2026, 11, 19, 3, 12, 0, 123456000, time.UTC)
	later := at.In(hanoi).Add(90 * time.Minute)
	who, none := "org.<dinhcong>", ""
	day := func(d int) store.Date { return store.DateOf(time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC)) }
	rows := []store.ReportRow{
		{Report: store.Report{Campaign: "cong-dan-so", Unit: "P-BADINH-TN", Period: "2026-10", PeriodStart: day(1), PeriodEnd: day(31),
			SubmittedAt: at, UpdatedAt: later, Status: store.ReportSubmitted, EvidenceFiles: []store.File{},
			Values: map[string]float64{"staff_trained": 0.8, "docs": 0.1 + 0.2, "tiny": 1e-7, "small": 0.000001, "huge": 1e21, "big": 1e20,
				"max": math.MaxFloat64, "min": 5e-324, "zero": 0, "negzero": math.Copysign(0, -1), "neg": -2.5e-9, "count": 12, "third": 1.0 / 3}},
			UnitName: "Đoàn Thanh niên phường Ba Đình"},
		{Report: store.Report{Campaign: "c", Unit: `P"&<>`, Period: "2026-Q4", SubmittedAt: at, UpdatedAt: at, Status: store.ReportReturned,
			Reason: "Thiếu biên bản <ký> & dấu\n\u2028", DecidedAt: &later, DecidedBy: &who, VerifiedAt: &at, Values: map[string]float64{},
			EvidenceFiles: []store.File{{ID: "f1", Name: "biên bản.pdf", Type: "application/pdf", Size: 3, SHA256: "abc", UploadedBy: "x", UploadedAt: at, URL: "/files/f1/b.pdf"}}},
			UnitName: "bad\xffutf8"},
		{Report: store.Report{Campaign: "c", Unit: "U", Period: "2026-10", Status: store.ReportVerified, DecidedBy: &none}},
	}
	for _, q := range []platform.ReportQueue{
		{Items: rows, Next: "MTIwNDg", Counts: map[string]int{store.ReportSubmitted: 182, store.ReportReturned: 10}},
		{Items: rows[:1], Counts: map[string]int{}},
		{},
	} {
		got, err := queuePage(&q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(reportQueue{listOf(q.Items, q.Next), q.Counts})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("queuePage(%d reports) =\n%s\nwant\n%s", len(q.Items), got, want)
		}
	}
}

// BenchmarkQueuePage writes a page of fifty reports of eight values each,
// by hand and by encoding/json.
func BenchmarkQueuePage(b *testing.B) {
	at := time.Date(2026, 11, 19, 3, 12, 0, 0, time.UTC)
	q := platform.ReportQueue{Next: "MTIwNDg", Counts: map[string]int{store.ReportSubmitted: 182, store.ReportReturned: 10}}
	for i := range 50 {
		values := map[string]float64{}
		for _, k := range []string{"archive_digitised", "docs_electronic", "records_online", "reports_digital", "staff_three_tools", "staff_trained", "workforce_trained", "cashless"} {
			values[k] = float64(50+i%50) / 100
		}
		q.Items = append(q.Items, store.ReportRow{Report: store.Report{Campaign: "cong-dan-so", Unit: "P-BADINH-TN", Period: "2026-10",
			PeriodStart: store.DateOf(at), PeriodEnd: store.DateOf(at), SubmittedAt: at, UpdatedAt: at, Status: store.ReportSubmitted,
			Values: values, EvidenceFiles: []store.File{}}, UnitName: "Đoàn Thanh niên phường Ba Đình"})
	}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			if _, err := queuePage(&q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(reportQueue{listOf(q.Items, q.Next), q.Counts}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
