package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/store"
)

// The national-scale benchmark: a campaign of 100,000 units with about
// 1,000,000 indicator values, 200,000 projects and 1,000,000 judge scores,
// on PostgreSQL. THIDUA_BENCH_DATABASE_URL names an empty database the
// generator fills once; later runs reuse it.
//
//	createdb thidua_bench
//	THIDUA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/thidua_bench?sslmode=disable \
//	  go test ./jobs/ -run '^$' -bench RunNational -benchtime 5x

const (
	nationalSlug      = "national"
	nationalProvinces = 63
	nationalUnits     = 100_000
	nationalProjects  = 200_000
	nationalJudges    = 1_000
	judgesPerProject  = 5
)

var nationalIndicators = []string{"staff_trained", "docs_electronic", "records_online", "cashless"}

func nationalDB(b testing.TB) *store.DB {
	url := os.Getenv("THIDUA_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("set THIDUA_BENCH_DATABASE_URL to an empty PostgreSQL database to run the national benchmark")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, url, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.CampaignBySlug(ctx, nationalSlug); err == nil {
		return db
	}
	start := time.Now()
	if err := generateNational(ctx, db); err != nil {
		b.Fatal(err)
	}
	// Without fresh statistics the planner picks nested loops over the
	// freshly loaded million-row tables; autovacuum would get there later.
	if _, err := db.SQL().ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated the national dataset in %v", time.Since(start).Round(time.Second))
	return db
}

// generateNational fills db: provinces under a national root, communes
// under provinces, member organisations under communes; every unit reports
// four indicators for three months; projects with history; five judges'
// scores for each project.
func generateNational(ctx context.Context, db *store.DB) error {
	rng := rand.New(rand.NewPCG(1, 2))
	db.Now = func() time.Time { return time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC) }
	defer func() { db.Now = func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) } }()

	units := []store.NewUnit{{Code: "VN", Name: "Ủy ban Trung ương MTTQ Việt Nam", Level: "nation", Kind: "front"}}
	for p := 1; p <= nationalProvinces; p++ {
		units = append(units, store.NewUnit{Code: fmt.Sprintf("T%02d", p), Name: fmt.Sprintf("Tỉnh số %d", p),
			Level: "province", Kind: "front", Parent: "VN", Clusters: []string{"khoi-tinh"}})
	}
	kinds := []string{"womens_union", "youth_union", "farmers_union", "veterans_union", "labour_union"}
	for c := 0; len(units) < nationalUnits; c++ {
		prov := fmt.Sprintf("T%02d", c%nationalProvinces+1)
		code := fmt.Sprintf("%s-X%04d", prov, c)
		units = append(units, store.NewUnit{Code: code, Name: "Xã số " + fmt.Sprint(c), Level: "commune", Kind: "front",
			Parent: prov, Clusters: []string{"cum-" + prov}})
		for _, k := range kinds {
			if len(units) == nationalUnits {
				break
			}
			units = append(units, store.NewUnit{Code: code + "-" + k[:3], Name: k + " xã số " + fmt.Sprint(c), Level: "commune",
				Kind: k, Parent: code, Clusters: []string{"khoi-" + k}})
		}
	}
	lines := make([]int, len(units))
	if _, err := db.ImportUnits(ctx, units, lines); err != nil {
		return err
	}
	if _, err := db.CreateCampaign(ctx, store.NewCampaign{Slug: nationalSlug, Name: "Công dân số toàn quốc",
		StartsOn: store.DateOf(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)), EndsOn: store.DateOf(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)), AllUnits: true}); err != nil {
		return err
	}
	for _, k := range append(nationalIndicators, "donations_digital", "archive_digitised") {
		if _, err := db.CreateIndicator(ctx, nationalSlug, store.Indicator{Key: k, Title: k, Unit: "percent", Target: 1}); err != nil {
			return err
		}
	}
	rs := demo.Ruleset
	if _, err := db.SaveRuleset(ctx, nationalSlug, rs, "yaml"); err != nil {
		return err
	}

	var reports []store.SeedReport
	for _, u := range units {
		for m := 7; m <= 9; m++ {
			if rng.IntN(10) == 0 {
				continue // a missed month
			}
			start := store.DateOf(time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC))
			vals := map[string]float64{}
			for _, k := range nationalIndicators {
				vals[k] = float64(rng.IntN(101)) / 100
			}
			reports = append(reports, store.SeedReport{Unit: u.Code, Values: vals,
				SubmittedAt: start.AddDate(0, 1, rng.IntN(15)),
				Period:      store.ReportPeriod{Key: start.Format("2006-01"), Start: start, End: store.Date{Time: start.AddDate(0, 1, 0)}}})
		}
	}
	if err := db.SeedReports(ctx, nationalSlug, reports); err != nil {
		return err
	}

	projects := make([]store.SeedProject, nationalProjects)
	statuses := []string{"registered", "in_progress", "completed", "verified"}
	for i := range projects {
		u := units[1+rng.IntN(len(units)-1)]
		created := time.Date(2025, 7, 1+rng.IntN(60), 8, 0, 0, 0, time.UTC)
		p := store.SeedProject{Unit: u.Code, Title: fmt.Sprintf("Công trình số %d", i), Category: "digital_skills",
			CreatedAt: created, AdoptedFrom: -1}
		last := rng.IntN(len(statuses))
		for s := 0; s <= last; s++ {
			p.History = append(p.History, store.StatusChange{Status: statuses[s], At: created.Add(time.Duration(s*72) * time.Hour), Actor: "bench"})
		}
		p.Status = statuses[last]
		if i > 0 && rng.IntN(20) == 0 {
			p.AdoptedFrom = rng.IntN(i)
			if projects[p.AdoptedFrom].Unit == p.Unit {
				p.AdoptedFrom = -1
			}
		}
		projects[i] = p
	}
	ids, err := db.SeedProjects(ctx, nationalSlug, projects)
	if err != nil {
		return err
	}

	judges := make([]store.NewUser, nationalJudges)
	for i := range judges {
		judges[i] = store.NewUser{Username: fmt.Sprintf("judge%04d", i), PasswordHash: "$argon2id$v=19$m=1024,t=1,p=1$AA$AA", Role: "judge"}
	}
	if err := db.SeedUsers(ctx, judges); err != nil {
		return err
	}
	committee := store.SeedCommittee{AddedAt: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}
	for _, j := range judges {
		committee.Judges = append(committee.Judges, j.Username)
	}
	at := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range ids {
		for k := 0; k < judgesPerProject; k++ {
			j := judges[(i*judgesPerProject+k)%nationalJudges].Username
			committee.Assignments = append(committee.Assignments, store.SeedAssignment{Project: id, Judge: j, At: at})
			committee.Scores = append(committee.Scores, store.SeedScore{Project: id, Judge: j, At: at, Criteria: map[string]float64{
				"innovation": float64(rng.IntN(11)), "effectiveness": float64(rng.IntN(11)), "replicability": float64(rng.IntN(11))}})
		}
	}
	return db.SeedJudging(ctx, nationalSlug, committee)
}

// BenchmarkRunNational is one full run: load facts, evaluate, rank and
// write the snapshot, for 100,000 units. Retention keeps the fewest runs
// allowed, so that from the third run on each run also prunes one: the
// steady state of a long campaign.
func BenchmarkRunNational(b *testing.B) {
	db := nationalDB(b)
	ctx := context.Background()
	runner := NewRunner(db, NewRulesets(db), func() time.Time { return time.Date(2025, 10, 20, 3, 0, 0, 0, time.UTC) })
	runner.Keep, runner.Log = store.MinKeepRuns, slog.New(slog.DiscardHandler)
	b.ResetTimer()
	for b.Loop() {
		run, err := runner.Run(ctx, Request{Campaign: nationalSlug, Period: "2025-Q3"})
		if err != nil {
			b.Fatal(err)
		}
		if run.Units != nationalUnits {
			b.Fatalf("run scored %d units, want %d", run.Units, nationalUnits)
		}
	}
}
