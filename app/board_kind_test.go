package app

import (
	"slices"
	"strings"
	"testing"
)

// TestLeaderboardByKind: the API's leaderboard, a unit's neighbours and the
// exports filter by kind of unit as the board page does (the wards' Front
// committees without the mass organisations of their level), each unit
// keeping its rank in the scope; the cache keeps each filter's answer
// apart, and a kind no unit of the campaign has is refused by name.
func TestLeaderboardByKind(t *testing.T) {
	eachDB(t, func(t *testing.T, ts *testServer) {
		admin, _, _ := scoringFixture(t, ts)
		admin.do("POST", "/api/v1/campaigns/cds/runs", map[string]any{"period": "2025-Q3"}).want(201)
		anon := ts.as("")
		board := func(query string) (lb leaderboard) {
			t.Helper()
			anon.do("GET", "/api/v1/campaigns/cds/leaderboard?"+query, nil).want(200).decode(&lb)
			return lb
		}
		ranks := func(lb leaderboard) map[string]*int {
			m := map[string]*int{}
			for _, it := range lb.Items {
				m[it.Unit] = it.Rank
			}
			return m
		}
		for _, scope := range []string{"overall", "level:commune"} {
			all := board("scope=" + scope)
			fronts := board("scope=" + scope + "&kind=front")
			again := board("scope=" + scope) // after the filtered answer was kept
			if again.Total != all.Total || again.Kind != "" {
				t.Errorf("%s after ?kind=front: %d units of kind %q, want %d of every kind", scope, again.Total, again.Kind, all.Total)
			}
			if fronts.Kind != "front" || fronts.Total != len(fronts.Items) || fronts.Total >= all.Total || fronts.Total < 2 {
				t.Errorf("%s, front: kind %q, %d units (%d items) of %d", scope, fronts.Kind, fronts.Total, len(fronts.Items), all.Total)
			}
			want := ranks(all)
			for _, it := range fronts.Items {
				if it.Unit == "P-DINHCONG-PN" {
					t.Errorf("%s, front: the Women's Union is shown", scope)
				}
				if w := want[it.Unit]; (w == nil) != (it.Rank == nil) || w != nil && *w != *it.Rank {
					t.Errorf("%s, front: %s ranks %v, want its rank in the scope %v", scope, it.Unit, it.Rank, w)
				}
			}
		}
		// Pages of a kind walk that kind only.
		first := board("kind=front&limit=1")
		if first.Total != 3 || len(first.Items) != 1 || first.NextCursor == nil {
			t.Fatalf("first page of the fronts: %+v", first)
		}
		if next := board("kind=front&limit=1&cursor=" + *first.NextCursor); len(next.Items) != 1 || next.Items[0].Unit == first.Items[0].Unit {
			t.Errorf("second page of the fronts: %+v", next.Items)
		}
		women := board("scope=level:commune&kind=womens_union")
		if women.Total != 1 || women.Items[0].Unit != "P-DINHCONG-PN" {
			t.Errorf("the commune's Women's Unions: %+v", women.Items)
		}
		// A kind of the campaign with no unit in the scope is an empty board.
		if none := board("scope=level:city&kind=womens_union"); none.Total != 0 || none.Items == nil {
			t.Errorf("no Women's Union at the city's level: %+v", none)
		}

		var around leaderboard
		anon.do("GET", "/api/v1/campaigns/cds/leaderboard/around/P-DINHCONG?kind=front&n=50", nil).want(200).decode(&around)
		if around.Total != 3 || slices.ContainsFunc(around.Items, func(it leaderboardItem) bool { return it.Unit == "P-DINHCONG-PN" }) {
			t.Errorf("Định Công's neighbours among the fronts: %+v", around.Items)
		}
		anon.do("GET", "/api/v1/campaigns/cds/leaderboard/around/P-DINHCONG-PN?kind=front", nil).want(404)

		csv := anon.do("GET", "/api/v1/campaigns/cds/export.csv?scope=level:commune&kind=front", nil).want(200)
		if body := string(csv.Body); strings.Contains(body, "P-DINHCONG-PN") || !strings.Contains(body, "P-HOANKIEM") {
			t.Errorf("the communes' fronts as CSV: %s", body)
		}
		if cd := csv.Header.Get("Content-Disposition"); cd != `attachment; filename="cds-2025-Q3-level-commune-front.csv"` {
			t.Errorf("Content-Disposition = %q", cd)
		}
		anon.do("GET", "/api/v1/campaigns/cds/export.xlsx?kind=womens_union", nil).want(200)

		for _, path := range []string{"leaderboard?kind=nope", "leaderboard?kind=nope&scope=level:commune",
			"leaderboard/around/P-DINHCONG?kind=nope", "export.csv?kind=nope", "export.xlsx?kind=nope"} {
			p := anon.do("GET", "/api/v1/campaigns/cds/"+path, nil).want(422).problem()
			if !slices.Equal(p.fields(), []string{"kind"}) {
				t.Errorf("%s: fields %v, want kind", path, p.fields())
			}
		}
	})
}
