package platform

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
)

// BenchmarkReviewNational assembles the review of 2025-Q3 of the national
// campaign that jobs' BenchmarkRunNational generates and scores (100,000
// units, 200,000 projects, 1,000,000 judge scores): run that first on the
// same database.
//
//	THIDUA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/thidua_bench?sslmode=disable \
//	  go test ./app/platform/ -run '^$' -bench ReviewNational -benchtime 5x
func BenchmarkReviewNational(b *testing.B) {
	url := os.Getenv("THIDUA_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("set THIDUA_BENCH_DATABASE_URL to the database of jobs' BenchmarkRunNational")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, url, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2025, 10, 20, 3, 0, 0, 0, time.UTC) }
	s := New(db, Options{Log: slog.New(slog.DiscardHandler)})
	if _, _, err := db.ReviewRun(ctx, "national", "2025-Q3"); err != nil {
		b.Skipf("no run of the national campaign for 2025-Q3 (run jobs' BenchmarkRunNational first): %v", err)
	}
	for _, cold := range []bool{true, false} {
		name := map[bool]string{true: "cold", false: "warm"}[cold]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if cold { // the snapshots read from the database, as after a restart
					s.boards = newBoards(db, s.rulesets)
				}
				rv, err := s.Review(ctx, "national", "2025-Q3")
				if err != nil {
					b.Fatal(err)
				}
				if len(rv.Units) != 100_000 {
					b.Fatalf("review of %d units, want 100,000", len(rv.Units))
				}
			}
		})
	}
}
