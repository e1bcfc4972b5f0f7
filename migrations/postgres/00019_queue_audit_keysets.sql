-- +goose Up
-- Keyset pages of the signed-in lists: the verifiers' queue of every
-- status (its pages of one status walk reports_campaign_status), and the
-- audit log of one actor, newest first.
CREATE INDEX reports_campaign_id ON reports (campaign_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);

-- +goose Down
DROP INDEX audit_log_actor;
DROP INDEX reports_campaign_id;
