// Package scoring turns facts into scores: each unit's breakdown and total,
// ranks overall, per level and per cluster, honours, and the aggregation of
// judges' scores that feeds the judging facts. It is pure: the caller loads
// the facts and stores the outcome.
//
// # Scoring
//
// Score evaluates a compiled rules.Ruleset on every unit (RULES.md
// "Meaning"): a criterion gives weight × clamp(value, 0, 1) points; an
// adjustment gives its points bounded by its min and max; the total is their
// sum. A unit is eligible when every required criterion has a value > 0.
// Every points value and total is rounded to 4 decimal places (and bounded
// to ±1e12) before ranking, so that float noise such as 0.1 + 0.2 never
// splits a tie. A criterion whose expression fails at run time for a unit
// has value 0 and carries the error in its Line.
//
// Units are ranked by standard competition ranking (1, 2, 2, 4) on their
// total, highest first: overall, within their level and within each of their
// clusters. Ineligible units are listed after the eligible ones, in the same
// order, with rank 0. Ties are listed by unit code, so a Board does not
// depend on the order of its input. Evaluation is split between the cores
// for large inputs; each goroutine has its own rules.Evaluator.
//
// # Honours
//
// Honours grants a ruleset's honours on a board: per group of the honour's
// scope, the eligible units ranked within its top, with total ≥ min_score,
// for which its when holds.
//
// # Judging
//
// A Committee turns judges' rubric scores into one 0..1 score per project
// (mean, median or trimmed mean, optionally after z-score normalisation of
// each judge), final once enough judges have scored it, and units'
// projects' final scores into their judging facts; AggregateJudging is its
// project results from a slice of scores.
package scoring
