-- +goose Up
-- Verified figures (tự chấm → thẩm định): a report is submitted, then
-- verified or returned with a reason by the level above; a returned report is
-- submitted again. The values last verified are kept beside the values as
-- submitted: with reporting.verify, only they count.
ALTER TABLE reports ADD COLUMN status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'verified', 'returned'));
ALTER TABLE reports ADD COLUMN reason text NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN decided_at timestamptz;
ALTER TABLE reports ADD COLUMN decided_by text;
ALTER TABLE reports ADD COLUMN verified_at timestamptz;
ALTER TABLE report_values ADD COLUMN verified_value double precision;
CREATE INDEX reports_campaign_status ON reports (campaign_id, status, id);

-- +goose Down
DROP INDEX reports_campaign_status;
ALTER TABLE report_values DROP COLUMN verified_value;
ALTER TABLE reports DROP COLUMN verified_at;
ALTER TABLE reports DROP COLUMN decided_by;
ALTER TABLE reports DROP COLUMN decided_at;
ALTER TABLE reports DROP COLUMN reason;
ALTER TABLE reports DROP COLUMN status;
