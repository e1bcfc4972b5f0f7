package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/thidua/thidua/app"
	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
)

// BenchmarkPages renders the public pages on the demo dataset (749 units,
// 500 projects, 19 clusters, the demo ruleset with every past quarter
// closed and the open one scored) through the whole service, on the
// embedded database. Each must stay well under 50 ms of server time:
//
//	go test -run '^$' -bench Pages ./app/web/
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	db := dbtest.SQLite(b)
	hasher := password.New(1024, 1)
	ds := demo.Generate(db.Now())
	if err := demo.Load(ctx, db, ds, hasher.Hash); err != nil {
		b.Fatal(err)
	}
	cfg, err := app.LoadConfig(func(k string) string { return map[string]string{"THIDUA_SCHEDULER": "off"}[k] })
	if err != nil {
		b.Fatal(err)
	}
	srv := app.NewServer(cfg, db, filestest.Disk(b), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := db.SaveRuleset(ctx, ds.Campaign.Slug, demo.Ruleset, "yaml"); err != nil {
		b.Fatal(err)
	}
	rs, _, err := srv.Platform().Rulesets().Get(ctx, ds.Campaign.Slug, 0)
	if err != nil {
		b.Fatal(err)
	}
	open := rules.PeriodOf(rs.Period, db.Now().In(rs.Location))
	for _, p := range rules.Periods(rs.Period, ds.Campaign.StartsOn, open.Start) {
		if _, err := srv.Platform().Runner().Run(ctx, jobs.Request{Campaign: ds.Campaign.Slug, Period: p.Key, Close: true}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := srv.Platform().Runner().Run(ctx, jobs.Request{Campaign: ds.Campaign.Slug}); err != nil {
		b.Fatal(err)
	}
	honours, _, err := db.Honours(ctx, ds.Campaign.Slug, store.HonourFilter{Page: store.Page{Limit: 1}})
	if err != nil || len(honours) == 0 {
		b.Fatalf("no honour to certify: %v", err)
	}
	for _, path := range []string{
		"/",
		"/c/cong-dan-so",
		"/c/cong-dan-so?scope=cluster:cum-2",
		"/c/cong-dan-so?scope=level:commune&page=5",
		"/c/cong-dan-so?period=2025-Q4",
		"/c/cong-dan-so/coverage",
		"/c/cong-dan-so/projects",
		"/c/cong-dan-so/projects?q=cho+so",
		"/c/cong-dan-so/u/P-DINHCONG",
		"/c/cong-dan-so/u/P-DINHCONG?period=2025-Q4",
		"/c/cong-dan-so/honours",
		"/c/cong-dan-so/honours.atom",
		"/verify/" + honours[0].Serial,
		"/honours/" + honours[0].Serial + ".pdf",
		"/projects/1",
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				resp, err := srv.App().Test(httptest.NewRequest("GET", path, nil), -1)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("GET %s = %d", path, resp.StatusCode)
				}
			}
		})
	}
}
