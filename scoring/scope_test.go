package scoring

import (
	"testing"

	"github.com/thidua/thidua/rules"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		in   string
		want Scope
	}{
		{"overall", Scope{Kind: rules.ScopeOverall}},
		{"level:commune", Scope{Kind: rules.ScopeLevel, Group: "commune"}},
		{"cluster:womens_union_wards", Scope{Kind: rules.ScopeCluster, Group: "womens_union_wards"}},
		{"cluster:a:b", Scope{Kind: rules.ScopeCluster, Group: "a:b"}},
	}
	for _, tt := range tests {
		got, err := ParseScope(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseScope(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("ParseScope(%q).String() = %q", tt.in, got.String())
		}
	}
	for _, in := range []string{"", "Overall", "overall:", "overall:x", "level", "level:", "cluster", "cluster:", "kind:front", ":x"} {
		if got, err := ParseScope(in); err == nil {
			t.Errorf("ParseScope(%q) = %+v, want an error", in, got)
		}
	}
}

func TestTableScope(t *testing.T) {
	b := NewTable(&Board{Results: []Result{
		{Code: "a", Level: "ward", Clusters: []string{"x"}, Eligible: true, Total: 9, Rank: Ranks{Overall: 1, Level: 1, Cluster: map[string]int{"x": 1}}},
		{Code: "b", Level: "city", Clusters: []string{"x", "y"}, Eligible: true, Total: 8, Rank: Ranks{Overall: 2, Level: 1, Cluster: map[string]int{"x": 2, "y": 1}}},
		{Code: "c", Level: "ward", Clusters: []string{"y"}, Eligible: true, Total: 7, Rank: Ranks{Overall: 3, Level: 2, Cluster: map[string]int{"y": 2}}},
		{Code: "d", Level: "ward", Clusters: []string{"x"}, Total: 9},
	}})
	type entry struct {
		code string
		rank int
	}
	tests := []struct {
		scope string
		want  []entry
	}{
		{"overall", []entry{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 0}}},
		{"level:ward", []entry{{"a", 1}, {"c", 2}, {"d", 0}}},
		{"level:city", []entry{{"b", 1}}},
		{"cluster:x", []entry{{"a", 1}, {"b", 2}, {"d", 0}}},
		{"cluster:y", []entry{{"b", 1}, {"c", 2}}},
		{"cluster:none", nil},
	}
	for _, tt := range tests {
		entries, err := b.Scope(tt.scope)
		if err != nil {
			t.Errorf("Scope(%q) error = %v", tt.scope, err)
			continue
		}
		var got []entry
		for _, e := range entries {
			got = append(got, entry{e.Result.Code, e.Rank})
		}
		if len(got) != len(tt.want) || (len(got) > 0 && !equalEntries(got, tt.want)) {
			t.Errorf("Scope(%q) = %v, want %v", tt.scope, got, tt.want)
		}
	}
	if _, err := b.Scope("region:north"); err == nil {
		t.Errorf("Scope(region:north) error = nil, want an error")
	}
	if r, ok := b.Lookup("c"); !ok || r.Code != "c" {
		t.Errorf("Lookup(c) = %v, %v; want c", r, ok)
	}
	if _, ok := b.Lookup("zz"); ok {
		t.Errorf("Lookup(zz) found a result")
	}
}

func equalEntries[E comparable](a, b []E) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
