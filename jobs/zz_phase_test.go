package jobs

import (
	"context"
	"bytes"
	"testing"
	"time"

	"github.com/thidua/thidua/scoring"
)

func BenchmarkZZPhases(b *testing.B) {
	db := nationalDB(b)
	ctx := context.Background()
	now := time.Date(2025, 10, 20, 3, 0, 0, 0, time.UTC)
	rsc := NewRulesets(db)
	rs, _, _ := rsc.Get(ctx, nationalSlug, 0)
	camp, _ := db.CampaignBySlug(ctx, nationalSlug)
	p, _ := ScoredPeriod(rs, camp, "2025-Q3", now)
	q := factsQuery(rs, camp, p, now)
	t0 := time.Now()
	facts, err := db.Facts(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("facts: %v (%d)", time.Since(t0), len(facts))
	t0 = time.Now()
	raw, err := db.JudgeScores(ctx, nationalSlug)
	b.Logf("judge scores: %v (%d) %v", time.Since(t0), len(raw), err)
	r := NewRunner(db, rsc, func() time.Time { return now })
	t0 = time.Now()
	jf, _ := r.judgingFacts(ctx, rs, nationalSlug)
	b.Logf("judging facts total: %v (%d)", time.Since(t0), len(jf))
	units := make([]scoring.Unit, len(facts))
	for i, f := range facts {
		units[i] = scoring.Unit{Code: f.Code, Name: f.Name, Level: f.Level, Kind: f.Kind, Clusters: f.Clusters, Facts: f.Facts}
	}
	t0 = time.Now()
	board := scoring.Score(rs, units)
	b.Logf("score: %v", time.Since(t0))
	t0 = time.Now()
	var buf bytes.Buffer
	scoring.EncodeBoard(&buf, board)
	b.Logf("encode: %v (%d bytes)", time.Since(t0), buf.Len())
	t0 = time.Now()
	sc, _, _ := rsc.Get(ctx, nationalSlug, 0)
	scoring.DecodeBoard(bytes.NewReader(buf.Bytes()), sc)
	b.Logf("decode: %v", time.Since(t0))
	for _, name := range []string{"participants", "projects", "adoptions", "kpi", "targets", "reports"} {
		_ = name
	}
}
