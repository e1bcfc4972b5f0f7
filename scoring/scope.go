package scoring

import (
	"fmt"
	"slices"
	"strings"

	"github.com/thidua/thidua/rules"
)

// Scope is a leaderboard's scope: every unit, the units of one level, or the
// units of one cluster.
type Scope struct {
	// Kind is rules.ScopeOverall, rules.ScopeLevel or rules.ScopeCluster.
	Kind string
	// Group is the level or the cluster's code; empty for overall.
	Group string
}

// ParseScope parses "overall", "level:<level>" or "cluster:<cluster>", with
// a non-empty level or cluster, and rejects anything else.
func ParseScope(s string) (Scope, error) {
	if s == rules.ScopeOverall {
		return Scope{Kind: rules.ScopeOverall}, nil
	}
	kind, group, ok := strings.Cut(s, ":")
	if ok && group != "" && (kind == rules.ScopeLevel || kind == rules.ScopeCluster) {
		return Scope{Kind: kind, Group: group}, nil
	}
	return Scope{}, fmt.Errorf("invalid scope %q: want overall, level:<level> or cluster:<cluster>", s)
}

// String formats the scope as ParseScope reads it.
func (s Scope) String() string {
	if s.Kind == rules.ScopeOverall {
		return s.Kind
	}
	return s.Kind + ":" + s.Group
}

// rank reports whether r is in the scope, and its rank there.
func (s Scope) rank(r *Standing) (int, bool) {
	switch s.Kind {
	case rules.ScopeLevel:
		return int(r.Rank.Level), r.Level == s.Group
	case rules.ScopeCluster:
		return r.ClusterRank(s.Group), slices.Contains(r.Clusters, s.Group)
	}
	return int(r.Rank.Overall), true
}
