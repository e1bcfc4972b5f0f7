-- +goose Up
-- Keyset pages of the lists: each list's filter, then its order.
CREATE INDEX projects_campaign_id ON projects (campaign_id, id);
CREATE INDEX projects_campaign_status ON projects (campaign_id, status, id);
CREATE INDEX runs_campaign_id ON runs (campaign_id, id);
CREATE INDEX honours_campaign_id ON honours (campaign_id, id);
CREATE INDEX honours_unit ON honours (unit_id, id);

-- +goose Down
DROP INDEX honours_unit;
DROP INDEX honours_campaign_id;
DROP INDEX runs_campaign_id;
DROP INDEX projects_campaign_status;
DROP INDEX projects_campaign_id;
