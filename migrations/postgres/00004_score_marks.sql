-- +goose Up
-- A score's marks are written whole and read back a million at a time by
-- the scoring runs, never queried inside: json keeps the text as written
-- and sends it without re-serialising, which jsonb must do for every row.
ALTER TABLE judge_scores ALTER COLUMN criteria TYPE json USING criteria::json;

-- +goose Down
ALTER TABLE judge_scores ALTER COLUMN criteria TYPE jsonb USING criteria::jsonb;
