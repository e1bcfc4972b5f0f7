-- +goose Up
CREATE TABLE clusters (
    code       text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE units (
    id         bigserial PRIMARY KEY,
    code       text NOT NULL UNIQUE,
    name       text NOT NULL,
    search     text NOT NULL,
    level      text NOT NULL,
    kind       text NOT NULL,
    parent_id  bigint REFERENCES units (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX units_parent_id ON units (parent_id);
CREATE INDEX units_level_code ON units (level, code);

CREATE TABLE unit_clusters (
    unit_id bigint NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    cluster text NOT NULL REFERENCES clusters (code),
    PRIMARY KEY (unit_id, cluster)
);
CREATE INDEX unit_clusters_cluster ON unit_clusters (cluster, unit_id);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'unit', 'judge')),
    unit_id       bigint REFERENCES units (id),
    created_at    timestamptz NOT NULL,
    CHECK (role <> 'unit' OR unit_id IS NOT NULL)
);

CREATE TABLE tokens (
    hash       text PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX tokens_user_id ON tokens (user_id);

CREATE TABLE campaigns (
    id              bigserial PRIMARY KEY,
    slug            text NOT NULL UNIQUE,
    name            text NOT NULL,
    starts_on       date NOT NULL,
    ends_on         date NOT NULL,
    all_units       boolean NOT NULL,
    ruleset_version integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE campaign_units (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES units (id),
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE indicators (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    key         text NOT NULL,
    title       text NOT NULL,
    unit        text NOT NULL CHECK (unit IN ('percent', 'count')),
    target      double precision NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (campaign_id, key)
);

CREATE TABLE covenants (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES units (id),
    signed_at   timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE covenant_targets (
    campaign_id  bigint NOT NULL,
    unit_id      bigint NOT NULL,
    indicator_id bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    target       double precision NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, indicator_id),
    FOREIGN KEY (campaign_id, unit_id) REFERENCES covenants (campaign_id, unit_id) ON DELETE CASCADE
);

CREATE TABLE reports (
    id           bigserial PRIMARY KEY,
    campaign_id  bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id      bigint NOT NULL REFERENCES units (id),
    period       text NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    submitted_at timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (campaign_id, unit_id, period)
);
CREATE INDEX reports_campaign_period ON reports (campaign_id, period_start);

CREATE TABLE report_values (
    report_id    bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    indicator_id bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    value        double precision NOT NULL,
    PRIMARY KEY (report_id, indicator_id)
);

CREATE TABLE closed_periods (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    period       text NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    closed_at    timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, period)
);

CREATE TABLE projects (
    id            bigserial PRIMARY KEY,
    campaign_id   bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id       bigint NOT NULL REFERENCES units (id),
    title         text NOT NULL,
    summary       text NOT NULL,
    category      text NOT NULL,
    search        text NOT NULL,
    starts_on     date,
    ends_on       date,
    status        text NOT NULL CHECK (status IN ('registered', 'in_progress', 'completed', 'verified', 'rejected', 'withdrawn')),
    reject_reason text NOT NULL DEFAULT '',
    adopted_from  bigint REFERENCES projects (id),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX projects_campaign_unit ON projects (campaign_id, unit_id);
CREATE INDEX projects_adopted_from ON projects (adopted_from);

CREATE TABLE project_status_changes (
    id         bigserial PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    status     text NOT NULL,
    at         timestamptz NOT NULL,
    actor      text NOT NULL
);
CREATE INDEX project_status_changes_project ON project_status_changes (project_id, at);

CREATE TABLE progress_notes (
    id            bigserial PRIMARY KEY,
    project_id    bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    note          text NOT NULL,
    evidence_urls jsonb NOT NULL,
    figures       jsonb NOT NULL,
    author        text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX progress_notes_project ON progress_notes (project_id, id);

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    request_id text NOT NULL,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_key text NOT NULL,
    before     jsonb,
    after      jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key, id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE progress_notes;
DROP TABLE project_status_changes;
DROP TABLE projects;
DROP TABLE closed_periods;
DROP TABLE report_values;
DROP TABLE reports;
DROP TABLE covenant_targets;
DROP TABLE covenants;
DROP TABLE indicators;
DROP TABLE campaign_units;
DROP TABLE campaigns;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE unit_clusters;
DROP TABLE units;
DROP TABLE clusters;
