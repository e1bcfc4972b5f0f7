package rules

import (
	"time"

	"github.com/expr-lang/expr/vm"
)

// Schema is the only ruleset schema this package reads.
const Schema = 1

// DefaultTimeZone is the time zone of a ruleset that names none.
const DefaultTimeZone = "Asia/Ho_Chi_Minh"

// Scopes of an honour: one award group for the whole board, one per level,
// or one per cluster.
const (
	ScopeOverall = "overall"
	ScopeLevel   = "level"
	ScopeCluster = "cluster"
)

// Ways of aggregating the judges' scores of one project.
const (
	AggregateMean        = "mean"
	AggregateMedian      = "median"
	AggregateTrimmedMean = "trimmed_mean"
)

// NormalizeZScore standardises each judge's scores before aggregating them.
const NormalizeZScore = "zscore"

// Ruleset is a compiled ruleset: the parsed configuration, with defaults
// applied, and every expression compiled once. It is immutable (treat its
// fields as read-only) and safe for concurrent use. The JSON encoding of a
// Ruleset is itself a valid ruleset document with the same meaning.
type Ruleset struct {
	Schema int `json:"schema"`
	// TimeZone is the IANA name of the campaign's time zone and Location the
	// loaded zone: schedules run and report deadlines fall in it.
	TimeZone string         `json:"timezone"`
	Location *time.Location `json:"-"`
	// Period is the scoring period's granularity.
	Period      Granularity  `json:"period"`
	Schedule    Schedule     `json:"schedule"`
	Reporting   Reporting    `json:"reporting"`
	Criteria    []Criterion  `json:"criteria"`
	Adjustments []Adjustment `json:"adjustments,omitempty"`
	Judging     Judging      `json:"judging"`
	Honours     []Honour     `json:"honours,omitempty"`
}

// Schedule holds the cron specs (five fields, or a descriptor such as @daily
// or @every 6h) of the campaign's jobs, in the ruleset's time zone. An empty
// spec means the job is not scheduled.
type Schedule struct {
	// Score recomputes the open period.
	Score string `json:"score,omitempty"`
	// Close closes the period that just ended: a final run, then honours.
	Close string `json:"close,omitempty"`
}

// Reporting says how often units report indicator values and when a report
// is due.
type Reporting struct {
	// Every is the reporting period: Week, Month or Quarter. It defaults to
	// the scoring period when that is a month or a quarter, and to Quarter
	// for longer scoring periods.
	Every Granularity `json:"every"`
	// Verify makes a report count only once the level above has verified
	// it: kpi.*, reported.* and reports.* read verified reports only.
	Verify bool `json:"verify,omitempty"`
	// DueDays is how many days after its reporting period ends a report is
	// due; 10 by default.
	DueDays int `json:"due_days"`
}

// Criterion gives points = Weight × clamp(value, 0, 1), where value is its
// expression evaluated on a unit's facts.
type Criterion struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	// Description says in plain words what the criterion measures, for the
	// public breakdown; optional.
	Description string  `json:"description,omitempty"`
	Weight      float64 `json:"weight"`
	// Required criteria must have a value > 0 for the unit to be eligible.
	Required bool `json:"required,omitempty"`
	// Value is the expression's source.
	Value string `json:"value"`

	program *vm.Program
}

// Adjustment adds its points to the total as they are (they may be
// negative), bounded by Min and Max when set.
type Adjustment struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	// Description says in plain words what the adjustment counts; optional.
	Description string `json:"description,omitempty"`
	// Points is the expression's source.
	Points string   `json:"points"`
	Min    *float64 `json:"min,omitempty"`
	Max    *float64 `json:"max,omitempty"`

	program *vm.Program
}

// Judging configures how committees score projects.
type Judging struct {
	// MinJudges is how many judges' scores a project needs before its
	// judging score is final; 1 by default.
	MinJudges int `json:"min_judges"`
	// Aggregate is AggregateMean (the default), AggregateMedian or
	// AggregateTrimmedMean.
	Aggregate string `json:"aggregate"`
	// Normalize is "" or NormalizeZScore.
	Normalize string             `json:"normalize,omitempty"`
	Criteria  []JudgingCriterion `json:"criteria,omitempty"`
}

// JudgingCriterion is one rubric criterion: a judge gives it 0..Max, and it
// counts with its Weight (1 by default) in the judge's score of a project.
type JudgingCriterion struct {
	Key    string  `json:"key"`
	Title  string  `json:"title"`
	Max    float64 `json:"max"`
	Weight float64 `json:"weight"`
	// Description says what the criterion judges; Levels describe what
	// each band of scores means, lowest first, so that judges score alike.
	Description string        `json:"description,omitempty"`
	Levels      []RubricLevel `json:"levels,omitempty"`
}

// RubricLevel is a band of scores of a rubric criterion, From to To
// inclusive, and what a project in it looks like.
type RubricLevel struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
	Text string  `json:"text"`
}

// Honour is granted when a period is closed, in every group of its Scope,
// to the eligible units ranked within the best Top of the group (ties at the
// border included; 0 means no limit), whose total is at least MinScore when
// set, and for which When holds when set.
type Honour struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	Scope    string   `json:"scope"`
	Top      int      `json:"top,omitempty"`
	MinScore *float64 `json:"min_score,omitempty"`
	// When is the condition's source; it reads the facts plus score and rank.
	When string `json:"when,omitempty"`

	program *vm.Program
}

// MaxTotal is the most points a unit can get from the criteria: the sum of
// their weights. Adjustments may move a total outside 0..MaxTotal.
func (rs *Ruleset) MaxTotal() float64 {
	var sum float64
	for _, c := range rs.Criteria {
		sum += c.Weight
	}
	return sum
}

// Deadline is the instant, in the ruleset's time zone, from which a report
// for the reporting period p is late. A report is on time until the end of
// the DueDays-th day after the period's last day: with DueDays 10, a July
// report is late from 11 August, 00:00.
func (rs *Ruleset) Deadline(p Period) time.Time {
	y, m, d := p.End.AddDate(0, 0, rs.Reporting.DueDays).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, rs.Location)
}
