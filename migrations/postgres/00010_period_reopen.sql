-- +goose Up
-- A period closed before it ended says why; a closed period may be reopened,
-- with the reason, and its closing run stays in the history, superseded.
ALTER TABLE runs ADD COLUMN early_reason text NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN superseded_at timestamptz;
ALTER TABLE runs ADD COLUMN superseded_reason text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE runs DROP COLUMN superseded_reason;
ALTER TABLE runs DROP COLUMN superseded_at;
ALTER TABLE runs DROP COLUMN early_reason;
