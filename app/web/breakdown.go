package web

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// breakdown explains a unit's total: which rule gave which points from
// which figures.
type breakdown struct {
	Result      *scoring.Result
	Criteria    []breakdownLine
	Adjustments []breakdownLine
	Missing     []string // titles of the required criteria that kept it from being ranked
	Ranks       []scopeRank
}

// breakdownLine is one criterion or adjustment: its rule, the figures its
// expression read, its value and its points.
type breakdownLine struct {
	scoring.Line
	Rule    string // the expression's source
	Weight  float64
	Figures []factFigure
	Plain   plainText // the rule in words, with how to gain its points
}

// factFigure is one fact a rule read, named and formatted for the page.
type factFigure struct {
	Label string
	Value string
}

// scopeRank is the unit's rank in one scope of the board.
type scopeRank struct {
	Label  string
	Scope  string
	Rank   int // 0: not ranked
	Of     int // units in the scope
	Change *int
}

// newBreakdown explains res with the ruleset the run used.
func newBreakdown(lang string, res *scoring.Result, lb *platform.Leaderboard, inds []store.Indicator, clusters []store.Cluster) (*breakdown, error) {
	f := formatsFor(lang)
	facts, err := factMap(res.Facts)
	if err != nil {
		return nil, err
	}
	titles := map[string]store.Indicator{}
	for _, in := range inds {
		titles[in.Key] = in
	}
	b := &breakdown{Result: res}
	x := explainer{lang: lang, f: f, facts: facts, inds: titles}
	for _, line := range res.Criteria {
		bl := breakdownLine{Line: line}
		var description string
		if i := slices.IndexFunc(lb.Ruleset.Criteria, func(c rules.Criterion) bool { return c.Key == line.Key }); i >= 0 {
			cr := lb.Ruleset.Criteria[i]
			bl.Rule, bl.Weight, description = cr.Value, cr.Weight, cr.Description
			if cr.Required && line.Value <= 0 {
				b.Missing = append(b.Missing, line.Title)
			}
		}
		bl.Figures = figuresOf(lang, f, bl.Rule, facts, titles)
		bl.Plain = x.criterion(line.Title, description, bl.Rule, bl.Weight, line.Points)
		b.Criteria = append(b.Criteria, bl)
	}
	for _, line := range res.Adjustments {
		bl := breakdownLine{Line: line}
		var adj rules.Adjustment
		if i := slices.IndexFunc(lb.Ruleset.Adjustments, func(a rules.Adjustment) bool { return a.Key == line.Key }); i >= 0 {
			adj = lb.Ruleset.Adjustments[i]
			bl.Rule = adj.Points
		}
		bl.Figures = figuresOf(lang, f, bl.Rule, facts, titles)
		bl.Plain = x.adjustment(line.Title, adj.Description, bl.Rule, adj.Min, adj.Max, line.Points)
		b.Adjustments = append(b.Adjustments, bl)
	}
	scopes := []struct{ scope, label string }{
		{rules.ScopeOverall, text(lang, "board.overall")},
		{rules.ScopeLevel + ":" + res.Level, label(lang, "level", res.Level)},
	}
	for _, cl := range clusters {
		if slices.Contains(res.Clusters, cl.Code) {
			scopes = append(scopes, struct{ scope, label string }{rules.ScopeCluster + ":" + cl.Code, cl.Name})
		}
	}
	for _, s := range scopes {
		entries, err := lb.Scope(s.scope)
		if err != nil {
			return nil, err
		}
		sr := scopeRank{Label: s.label, Scope: s.scope, Of: len(entries)}
		if i := slices.IndexFunc(entries, func(e scoring.Entry) bool { return e.Result.Code == res.Code }); i >= 0 {
			sc, _ := scoring.ParseScope(s.scope)
			sr.Rank, sr.Change = entries[i].Rank, lb.RankChange(sc, entries[i])
		}
		b.Ranks = append(b.Ranks, sr)
	}
	return b, nil
}

// factMap is a unit's facts as the expressions name them (kpi.cashless,
// reports.on_time…), through their JSON names, which are the same.
func factMap(f rules.Facts) (map[string]map[string]any, error) {
	raw, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	var m map[string]map[string]any
	return m, json.Unmarshal(raw, &m)
}

// figuresOf lists the facts an expression reads, in the order it reads
// them, each once, with their values for this unit.
func figuresOf(lang string, f formats, src string, facts map[string]map[string]any, inds map[string]store.Indicator) []factFigure {
	if src == "" {
		return nil
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil // compiled when the ruleset was saved: cannot happen
	}
	var refs factRefs
	ast.Walk(&tree.Node, &refs)
	var out []factFigure
	for _, r := range refs {
		group, name, _ := strings.Cut(r, ".")
		v := facts[group][name]
		out = append(out, factFigure{Label: factLabel(lang, group, name, inds), Value: factValue(lang, f, group, name, v, inds)})
	}
	return out
}

// factRefs collects the "group.name" facts an expression reads.
type factRefs []string

// Visit implements ast.Visitor.
func (r *factRefs) Visit(node *ast.Node) {
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok1 := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if ok1 && ok2 {
		ref := id.Value + "." + prop.Value
		if !slices.Contains(*r, ref) {
			*r = append(*r, ref)
		}
	}
}

// factLabel names a fact: an indicator by its title, the others by the
// texts "fact.<group>.<name>".
func factLabel(lang, group, name string, inds map[string]store.Indicator) string {
	title := name
	if in, ok := inds[name]; ok {
		title = in.Title
	}
	switch group {
	case "kpi":
		return title
	case "target":
		return text(lang, "fact.target") + ": " + title
	case "reported":
		return text(lang, "fact.reported") + ": " + title
	}
	return label(lang, "fact."+group, name)
}

// factValue formats a fact's value: indicators in their unit, judging
// scores as percentages, counts as numbers.
func factValue(lang string, f formats, group, name string, v any, inds map[string]store.Indicator) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case bool:
		if x {
			return text(lang, "fact.yes")
		}
		return text(lang, "fact.no")
	case string: // unit.level, unit.kind
		return label(lang, name, x)
	case float64:
		switch {
		case group == "kpi" || group == "target":
			unit := "percent"
			if in, ok := inds[name]; ok {
				unit = in.Unit
			}
			return f.indicatorValue(unit, x)
		case group == "judging" && name != "projects":
			return f.percent(x)
		}
		return f.number(x)
	}
	return "–"
}
