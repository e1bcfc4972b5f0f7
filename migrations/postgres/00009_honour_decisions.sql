-- +goose Up
-- An honour by decision carries its decision's number and date; any honour
-- may be revoked, with the reason, and stays on record as revoked.
ALTER TABLE honours ADD COLUMN decision_no text NOT NULL DEFAULT '';
ALTER TABLE honours ADD COLUMN decided_on date;
ALTER TABLE honours ADD COLUMN revoked_at timestamptz;
ALTER TABLE honours ADD COLUMN revoked_by text;
ALTER TABLE honours ADD COLUMN revoke_reason text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE honours DROP COLUMN revoke_reason;
ALTER TABLE honours DROP COLUMN revoked_by;
ALTER TABLE honours DROP COLUMN revoked_at;
ALTER TABLE honours DROP COLUMN decided_on;
ALTER TABLE honours DROP COLUMN decision_no;
