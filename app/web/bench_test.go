package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/thidua/thidua/app"
	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/store/dbtest"
)

// BenchmarkPages renders the public pages on the demo dataset (749 units,
// 500 projects, 19 clusters) through the whole service, on the embedded
// database. Each must stay well under 50 ms of server time:
//
//	go test -run '^$' -bench Pages ./app/web/
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	db := dbtest.SQLite(b)
	hasher := password.New(1024, 1)
	if err := demo.Load(ctx, db, demo.Generate(db.Now()), hasher.Hash); err != nil {
		b.Fatal(err)
	}
	cfg, err := app.LoadConfig(func(k string) string { return map[string]string{"THIDUA_SCHEDULER": "off"}[k] })
	if err != nil {
		b.Fatal(err)
	}
	srv := app.NewServer(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, path := range []string{
		"/",
		"/c/cong-dan-so",
		"/c/cong-dan-so/coverage",
		"/c/cong-dan-so/projects",
		"/c/cong-dan-so/projects?q=cho+so",
		"/c/cong-dan-so/u/P-DINHCONG",
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
