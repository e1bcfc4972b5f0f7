-- +goose Up
CREATE TABLE rulesets (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    source      text NOT NULL,
    format      text NOT NULL CHECK (format IN ('yaml', 'json')),
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

-- +goose Down
DROP TABLE rulesets;
