// Package rules reads, validates and compiles a campaign's ruleset, the
// document that says how its units are scored (see RULES.md), and defines
// the periods a campaign is scored and reported in. It is pure: no database,
// no clock, no I/O.
//
// # Compiling
//
// Compile takes the document (YAML, or JSON, which is read by the same
// parser with the same schema) and the campaign's indicator keys. It reads
// the document node by node so that it can report every problem at once,
// each with the path of its field ("criteria[2].value") and, inside an
// expression, its line and column. A ruleset that compiles is a *Ruleset:
// the configuration as plain fields with defaults applied, and every
// expression compiled once. A Ruleset is immutable and shared by all the
// goroutines that score with it.
//
// Defaults: timezone Asia/Ho_Chi_Minh; period campaign (the whole campaign);
// reporting.every the scoring period when that is a month or a quarter, else
// quarter; reporting.due_days 10; a title defaults to its key; judging
// min_judges 1 and aggregate mean; a rubric criterion's weight 1; an
// honour's scope overall, and no top (every eligible unit that meets its
// other conditions).
//
// Beyond RULES.md, Compile also refuses: unknown fields; a criterion and an
// adjustment with the same key (they share the breakdown's columns); a
// reporting period longer than the scoring period; a cron spec that names a
// time zone or runs more often than every minute; an adjustment whose max is
// below its min; an expression over 4096 bytes or 500 nodes; and a document
// over 1 MiB.
//
// Beyond RULES.md, a rubric criterion may say what it judges (description)
// and what each band of scores means (levels: from, to, text, lowest
// first, within 0..max, not overlapping), shown to judges beside the field.
//
// # Expressions
//
// Expressions are github.com/expr-lang/expr programs type-checked against
// Facts (HonourFacts for an honour's when). The checker rejects unknown
// names and wrong types; before it runs, an AST pass rejects every unknown
// fact (projects.foo) and every unknown or computed indicator (kpi.foo,
// kpi[x]) with its position, since maps would otherwise accept any key.
// Only pure, bounded, clock-free builtins are available (no now or date),
// and there are no ranges (a..b) and no nested predicates, so that every
// loop runs over an array literal of fewer than 500 items.
//
// Division by zero yields 0 for that division: every numeric a / b is
// compiled as a call that returns 0 when b is 0, and likewise a % b, so
// "1 + 1/0" is 1 and "0/0" is 0. Any result that is still not finite (an
// overflow, 0 ** -1) is 0. Numeric results are float64; int facts convert.
//
// An Evaluator runs the compiled programs on one unit's facts, reusing one
// virtual machine: one Evaluator per goroutine. It does not clamp values;
// that is the scorer's job. A runtime error (an index out of range, say)
// yields 0, or false for a condition, and is returned as a Problem so that
// a run can carry on and still explain itself.
//
// # Periods
//
// A Period is a span of calendar dates named by its key: "2025-07" (month),
// "2025-Q3" (quarter), "2025-H2" (half), "2025" (year) or "all" (the whole
// campaign). Dates are time.Time values at midnight UTC and End is
// exclusive; the campaign period's dates are the campaign's, given by
// CampaignPeriod.
package rules
