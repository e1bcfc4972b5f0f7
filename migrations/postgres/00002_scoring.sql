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

CREATE TABLE runs (
    id              bigserial PRIMARY KEY,
    campaign_id     bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    period          text NOT NULL,
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    ruleset_version integer NOT NULL,
    closing         boolean NOT NULL,
    trigger         text NOT NULL,
    status          text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    units           integer NOT NULL DEFAULT 0,
    error           text NOT NULL DEFAULT ''
);
CREATE INDEX runs_campaign_period ON runs (campaign_id, period, id);

-- A run's snapshot: its board (every unit's total, ranks, per-criterion
-- values and points, and the facts they came from) as gzip'd JSON lines, see
-- scoring.EncodeBoard. One row per run, written in the run's transaction.
CREATE TABLE run_snapshots (
    run_id bigint PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    board  bytea NOT NULL
);
-- Already compressed: keep PostgreSQL from compressing it again.
ALTER TABLE run_snapshots ALTER COLUMN board SET STORAGE EXTERNAL;

-- One row per unit and run: the figures a history or a query needs without
-- reading the snapshot. No foreign keys: a run writes 100,000 rows at once,
-- in the transaction that makes the run succeed, and neither runs nor units
-- are ever deleted. Keyed by run first, so that a run's rows are appended to
-- the index; a unit's history probes it once per run.
CREATE TABLE run_results (
    unit_id      bigint NOT NULL,
    run_id       bigint NOT NULL,
    position     integer NOT NULL,
    total        double precision NOT NULL,
    eligible     boolean NOT NULL,
    rank_overall integer NOT NULL,
    rank_level   integer NOT NULL,
    PRIMARY KEY (run_id, unit_id)
);

CREATE TABLE honours (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES units (id),
    period      text NOT NULL,
    honour_key  text NOT NULL,
    title       text NOT NULL,
    citation    text NOT NULL,
    scope       text NOT NULL,
    grp         text NOT NULL,
    project_id  bigint REFERENCES projects (id),
    run_id      bigint REFERENCES runs (id),
    granted_by  text NOT NULL,
    granted_at  timestamptz NOT NULL,
    serial      text NOT NULL UNIQUE
);
CREATE INDEX honours_campaign ON honours (campaign_id, period, id);

CREATE TABLE job_claims (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    job         text NOT NULL,
    slot        timestamptz NOT NULL,
    claimed_by  text NOT NULL,
    claimed_at  timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, job, slot)
);

-- +goose Down
DROP TABLE job_claims;
DROP TABLE honours;
DROP TABLE run_results;
DROP TABLE run_snapshots;
DROP TABLE runs;
DROP TABLE rulesets;
