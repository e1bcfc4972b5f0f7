-- +goose Up
-- When an older run's snapshot and result lines were removed by the
-- retention policy (THIDUA_KEEP_RUNS); the run stays in the history.
ALTER TABLE runs ADD COLUMN pruned_at datetime;

-- +goose Down
ALTER TABLE runs DROP COLUMN pruned_at;
