package rules

// Facts are what an expression can read about one unit for the scored period
// (RULES.md "Facts"). The `expr` tags are the names expressions use; the
// `json` tags are how a snapshot stores them.
//
// The fact types deliberately have no methods: the expression language would
// expose methods as callable names.
type Facts struct {
	Unit     UnitFacts          `expr:"unit" json:"unit"`
	Projects ProjectFacts       `expr:"projects" json:"projects"`
	KPI      map[string]float64 `expr:"kpi" json:"kpi"`
	Target   map[string]float64 `expr:"target" json:"target"`
	Reported map[string]bool    `expr:"reported" json:"reported"`
	Reports  ReportFacts        `expr:"reports" json:"reports"`
	Judging  JudgingFacts       `expr:"judging" json:"judging"`
}

// UnitFacts describe the unit itself: unit.level and unit.kind.
type UnitFacts struct {
	Level string `expr:"level" json:"level"`
	Kind  string `expr:"kind" json:"kind"`
}

// ProjectFacts count the unit's projects: projects.registered counts those
// registered up to the period's end and not rejected or withdrawn; the
// others count them by status at the period's end; Adopted counts the
// adoptions other units recorded of this unit's projects.
type ProjectFacts struct {
	Registered int `expr:"registered" json:"registered"`
	InProgress int `expr:"in_progress" json:"in_progress"`
	Completed  int `expr:"completed" json:"completed"`
	Verified   int `expr:"verified" json:"verified"`
	Adopted    int `expr:"adopted" json:"adopted"`
}

// ReportFacts are the unit's reporting record from the campaign's start to
// the end of the scored period: Due reporting periods whose deadline has
// passed, of which OnTime, Late and Missing.
type ReportFacts struct {
	Due     int `expr:"due" json:"due"`
	OnTime  int `expr:"on_time" json:"on_time"`
	Late    int `expr:"late" json:"late"`
	Missing int `expr:"missing" json:"missing"`
}

// JudgingFacts summarise the final judging scores of the unit's projects:
// the best and the mean score (0..1, 0 if none) and how many projects have one.
type JudgingFacts struct {
	Best     float64 `expr:"best" json:"best"`
	Mean     float64 `expr:"mean" json:"mean"`
	Projects int     `expr:"projects" json:"projects"`
}

// HonourFacts are what an honour's `when` reads: the unit's facts plus its
// total (`score`) and its ranks (`rank.overall`, `rank.level`, `rank.cluster`).
type HonourFacts struct {
	Facts
	Score float64   `expr:"score" json:"score"`
	Rank  RankFacts `expr:"rank" json:"rank"`
}

// RankFacts are a unit's ranks, 0 when unranked. Cluster is the unit's best
// (lowest non-zero) rank over the clusters it belongs to.
type RankFacts struct {
	Overall int `expr:"overall" json:"overall"`
	Level   int `expr:"level" json:"level"`
	Cluster int `expr:"cluster" json:"cluster"`
}
