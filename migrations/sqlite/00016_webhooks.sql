-- +goose Up
-- Webhooks: a subscription sends a campaign's events (or every campaign's,
-- when campaign_id is NULL) to a URL, signed with its secret. events is the
-- list of event types, comma-separated.
CREATE TABLE webhook_subscriptions (
    id          integer PRIMARY KEY,
    campaign_id bigint REFERENCES campaigns (id) ON DELETE CASCADE,
    url         text NOT NULL,
    events      text NOT NULL,
    secret      text NOT NULL,
    created_by  text NOT NULL,
    created_at  datetime NOT NULL
);
CREATE INDEX webhook_subscriptions_campaign ON webhook_subscriptions (campaign_id);

-- The outbox and the deliveries log: one row per event and subscription,
-- written in the transaction of the change that caused the event. body is
-- the exact JSON sent at every attempt; uid the delivery id it carries. A
-- worker claims a pending row that is due by taking its lease (lease_until,
-- lease_token), sends it, and records the outcome if it still holds the lease.
CREATE TABLE webhook_deliveries (
    id              integer PRIMARY KEY,
    uid             text NOT NULL UNIQUE,
    subscription_id bigint NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event           text NOT NULL,
    body            text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at datetime NOT NULL,
    lease_until     datetime,
    lease_token     text NOT NULL DEFAULT '',
    last_status     integer,
    last_error      text NOT NULL DEFAULT '',
    created_at      datetime NOT NULL,
    finished_at     datetime
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
