package scoring

import "github.com/thidua/thidua/rules"

// Board is the outcome of scoring every unit: a leaderboard with each unit's
// breakdown. It is plain data, so that it can be stored as a snapshot and
// read back.
type Board struct {
	// Results are in overall order: eligible units by total, highest first,
	// then by code; then ineligible units in the same order.
	Results []Result `json:"results"`
}

// Result is one unit's score.
type Result struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Level    string   `json:"level"`
	Kind     string   `json:"kind"`
	Clusters []string `json:"clusters"`
	// Total is the sum of the criteria's and the adjustments' points; Max is
	// the ruleset's maximum total (the sum of the criteria's weights).
	Total float64 `json:"total"`
	Max   float64 `json:"max"`
	// Eligible is whether every required criterion has a value > 0. An
	// ineligible unit has no rank and gets no honours.
	Eligible    bool   `json:"eligible"`
	Criteria    []Line `json:"criteria"`
	Adjustments []Line `json:"adjustments"`
	Rank        Ranks  `json:"rank"`
	// Facts are the figures the unit was scored on, so that every point can
	// be explained.
	Facts rules.Facts `json:"facts"`
}

// Line is one criterion's or adjustment's part of a total. For a criterion,
// Points = weight × clamp(Value, 0, 1); for an adjustment, Value is its
// expression's result and Points that bounded by its min and max.
type Line struct {
	Key    string  `json:"key"`
	Title  string  `json:"title"`
	Value  float64 `json:"value"`
	Points float64 `json:"points"`
	// Error says why the expression could not be evaluated for this unit,
	// in which case Value is 0.
	Error string `json:"error,omitempty"`
}

// Ranks are a unit's ranks, by standard competition ranking (1, 2, 2, 4):
// overall, within its level, and within each of its clusters. An ineligible
// unit's ranks are 0 and Cluster is empty.
type Ranks struct {
	Overall int            `json:"overall"`
	Level   int            `json:"level"`
	Cluster map[string]int `json:"cluster,omitempty"`
}

// Entry is one line of a scope's leaderboard: the unit's rank in that scope
// (0 if ineligible) and its result.
type Entry struct {
	Rank   int       `json:"rank"`
	Result *Standing `json:"result"`
}
