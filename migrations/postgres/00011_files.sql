-- +goose Up
-- Evidence files: their bytes are in the file store (THIDUA_FILES), under
-- files/{id} and, for images, thumbs/{id}; here, what they are and what they
-- are attached to. An id is random, never a count.
CREATE TABLE files (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    type        text NOT NULL,
    size        bigint NOT NULL CHECK (size > 0),
    sha256      text NOT NULL,
    width       integer NOT NULL DEFAULT 0,
    height      integer NOT NULL DEFAULT 0,
    thumb       boolean NOT NULL DEFAULT false,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL
);
CREATE INDEX files_uploaded_at ON files (uploaded_at);

-- evidence attaches a file to exactly one project, progress note or report,
-- in the order the unit gave.
CREATE TABLE evidence (
    file_id     text NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    project_id  bigint REFERENCES projects (id) ON DELETE CASCADE,
    progress_id bigint REFERENCES progress_notes (id) ON DELETE CASCADE,
    report_id   bigint REFERENCES reports (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    CHECK ((project_id IS NOT NULL)::int + (progress_id IS NOT NULL)::int + (report_id IS NOT NULL)::int = 1)
);
CREATE INDEX evidence_file ON evidence (file_id);
CREATE UNIQUE INDEX evidence_project ON evidence (project_id, file_id) WHERE project_id IS NOT NULL;
CREATE UNIQUE INDEX evidence_progress ON evidence (progress_id, file_id) WHERE progress_id IS NOT NULL;
CREATE UNIQUE INDEX evidence_report ON evidence (report_id, file_id) WHERE report_id IS NOT NULL;

-- +goose Down
DROP TABLE evidence;
DROP TABLE files;
