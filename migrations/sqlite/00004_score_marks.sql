-- +goose Up
-- PostgreSQL's migration of this number turns a score's marks from jsonb
-- into json; SQLite keeps them as text already.
SELECT 1;

-- +goose Down
SELECT 1;
