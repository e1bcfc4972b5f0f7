// Package jobs runs scoring: a run loads every unit's facts with set-based
// queries, scores them with the campaign's compiled ruleset, and writes the
// snapshot in one transaction (Runner); the scheduler starts runs and period
// closes on each campaign's cron schedule, once per slot across replicas.
package jobs
