package scoring

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/thidua/thidua/rules"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fixture is twelve units of a ward-level campaign: a city body, wards and
// residential groups, in two area clusters and two member-organisation
// clusters, with ties, an ineligible unit and a unit in no cluster.
func fixture() []Unit {
	type f = rules.Facts
	kpi := func(trained, docs float64) map[string]float64 {
		return map[string]float64{"staff_trained": trained, "docs_electronic": docs}
	}
	target := map[string]float64{"staff_trained": 1, "docs_electronic": 0.9}
	p := func(registered, completed, adopted int) rules.ProjectFacts {
		return rules.ProjectFacts{Registered: registered, InProgress: registered - completed, Completed: completed, Verified: completed / 2, Adopted: adopted}
	}
	r := func(due, onTime, late int) rules.ReportFacts {
		return rules.ReportFacts{Due: due, OnTime: onTime, Late: late, Missing: due - onTime - late}
	}
	j := func(best, mean float64, n int) rules.JudgingFacts {
		return rules.JudgingFacts{Best: best, Mean: mean, Projects: n}
	}
	return []Unit{
		{"mttq_hn", "Ủy ban MTTQ thành phố Hà Nội", "city", "front", nil,
			f{Projects: p(3, 2, 3), KPI: kpi(1, 0.9), Target: target, Reports: r(3, 3, 0), Judging: j(0.9, 0.8, 2)}},
		{"hlhpn_hn", "Hội LHPN thành phố Hà Nội", "city", "womens_union", []string{"womens_union"},
			f{Projects: p(2, 2, 1), KPI: kpi(0.95, 0.85), Target: target, Reports: r(3, 2, 1), Judging: j(0.85, 0.85, 1)}},
		{"mttq_hoankiem", "Ủy ban MTTQ phường Hoàn Kiếm", "commune", "front", []string{"wards_centre"},
			f{Projects: p(2, 2, 2), KPI: kpi(0.9, 0.9), Target: target, Reports: r(3, 3, 0), Judging: j(0.8, 0.7, 2)}},
		{"mttq_badinh", "Ủy ban MTTQ phường Ba Đình", "commune", "front", []string{"wards_centre"},
			f{Projects: p(1, 1, 0), KPI: kpi(0.8, 0.45), Target: target, Reports: r(3, 2, 0), Judging: j(0.6, 0.6, 1)}},
		{"mttq_longbien", "Ủy ban MTTQ phường Long Biên", "commune", "front", []string{"wards_east"},
			f{Projects: p(2, 2, 2), KPI: kpi(0.9, 0.9), Target: target, Reports: r(3, 3, 0), Judging: j(0.8, 0.7, 2)}}, // ties mttq_hoankiem
		{"hlhpn_hoankiem", "Hội LHPN phường Hoàn Kiếm", "commune", "womens_union", []string{"wards_centre", "womens_union"},
			f{Projects: p(1, 1, 0), KPI: kpi(1, 0.9), Target: target, Reports: r(3, 3, 0), Judging: j(0.75, 0.75, 1)}},
		{"hlhpn_longbien", "Hội LHPN phường Long Biên", "commune", "womens_union", []string{"wards_east", "womens_union"},
			f{Projects: p(0, 0, 0), KPI: kpi(1, 0.9), Target: target, Reports: r(3, 3, 0)}}, // no project: ineligible
		{"dtn_longbien", "Đoàn TN phường Long Biên", "commune", "youth_union", []string{"wards_east"},
			f{Projects: p(4, 3, 6), KPI: kpi(0.7, 0.6), Target: target, Reports: r(3, 1, 1), Judging: j(0.95, 0.8, 3)}},
		{"tdp_hoankiem_1", "Tổ dân phố số 1 phường Hoàn Kiếm", "group", "residential_group", []string{"wards_centre"},
			f{Projects: p(1, 0, 0), KPI: kpi(0.5, 0.3), Target: target, Reports: r(3, 0, 0)}}, // missing everything: −6
		{"tdp_hoankiem_2", "Tổ dân phố số 2 phường Hoàn Kiếm", "group", "residential_group", []string{"wards_centre"},
			f{Projects: p(1, 1, 1), KPI: kpi(0.6, 0.9), Target: target, Reports: r(0, 0, 0)}},
		{"tdp_longbien_1", "Tổ dân phố số 1 phường Long Biên", "group", "residential_group", []string{"wards_east"},
			f{Projects: p(1, 1, 1), KPI: kpi(0.6, 0.9), Target: target, Reports: r(0, 0, 0)}}, // ties tdp_hoankiem_2
		{"tcns_longbien", "Tổ công nghệ số cộng đồng Long Biên", "group", "digital_team", []string{"wards_east", "wards_east"},
			f{Projects: p(2, 1, 0), KPI: kpi(1.2, 2), Target: target, Reports: r(3, 3, 0), Judging: j(0.5, 0.5, 1)}}, // over target: clamped
	}
}

// TestGoldenLeaderboard scores the fixture with the RULES.md example (plus a
// level honour) and compares every scope's leaderboard, the full board and
// the honours with testdata/leaderboard.golden. Run with -update to rewrite it.
func TestGoldenLeaderboard(t *testing.T) {
	rs := compile(t, "golden.yaml")
	b := Score(rs, fixture())
	table := NewTable(b)

	var buf bytes.Buffer
	for _, s := range []string{"overall", "level:city", "level:commune", "level:group",
		"cluster:wards_centre", "cluster:wards_east", "cluster:womens_union"} {
		entries, err := table.Scope(s)
		if err != nil {
			t.Fatalf("Scope(%q) error = %v", s, err)
		}
		fmt.Fprintf(&buf, "== %s\n", s)
		for _, e := range entries {
			fmt.Fprintf(&buf, "%2d  %-16s %8.4f  eligible=%v\n", e.Rank, e.Result.Code, e.Result.Total, e.Result.Eligible)
		}
	}
	buf.WriteString("== honours\n")
	for _, a := range Honours(rs, b) {
		fmt.Fprintf(&buf, "%-12s %-8s %-13s #%d  %-16s %8.4f\n", a.Honour, a.Scope, a.Group, a.Rank, a.Unit, a.Score)
	}
	buf.WriteString("== board\n")
	board, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	buf.Write(board)
	buf.WriteByte('\n')
	got := buf.Bytes()

	const golden = "testdata/leaderboard.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("leaderboard differs from %s (run go test -update and review the diff):\n%s", golden, got)
	}
}
