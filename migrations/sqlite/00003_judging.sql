-- +goose Up
-- A campaign's judging committee: judges are users with the role judge.
CREATE TABLE judges (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id),
    added_at    datetime NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX judges_user ON judges (user_id);

-- Which judge is to score which project.
CREATE TABLE judge_assignments (
    project_id  bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id),
    assigned_at datetime NOT NULL,
    assigned_by text NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX judge_assignments_user ON judge_assignments (user_id, project_id);

-- A judge's score of a project: criteria maps rubric keys to 0..max.
CREATE TABLE judge_scores (
    id         integer PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    criteria   text NOT NULL,
    comment    text NOT NULL,
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL,
    UNIQUE (project_id, user_id)
);
CREATE INDEX judge_scores_user ON judge_scores (user_id, project_id);

-- A conflict of interest declared by a judge.
CREATE TABLE recusals (
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    reason     text NOT NULL,
    at         datetime NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX recusals_user ON recusals (user_id);

-- A locked round: its scores are final.
CREATE TABLE judging_locks (
    campaign_id bigint PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    locked_at   datetime NOT NULL,
    locked_by   text NOT NULL
);

-- +goose Down
DROP TABLE judging_locks;
DROP TABLE recusals;
DROP TABLE judge_scores;
DROP TABLE judge_assignments;
DROP TABLE judges;
