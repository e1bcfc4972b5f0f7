-- +goose Up
-- E-mail: a user may have an address, unique without regard to case, where
-- reminders go and by which single sign-on finds the user; unsubscribed_at
-- is when the user asked for no more reminders.
ALTER TABLE users ADD COLUMN email text;
ALTER TABLE users ADD COLUMN unsubscribed_at timestamptz;
CREATE UNIQUE INDEX users_email_lower ON users (lower(email)) WHERE email IS NOT NULL;

-- One reminder digest per person and day (the day in Vietnam's time zone).
-- A replica claims the row before it sends, so that no two replicas send
-- the same digest; status is sending (claimed, under way or interrupted),
-- sent, or failed (the SMTP server refused or vanished: claimed again by a
-- later tick that day).
CREATE TABLE digests (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        date NOT NULL,
    status     text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    items      integer NOT NULL,
    attempts   integer NOT NULL,
    claimed_by text NOT NULL,
    claimed_at timestamptz NOT NULL,
    sent_at    timestamptz,
    error      text NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, day)
);
CREATE INDEX digests_day ON digests (day, status);

-- Keys the replicas share, made once: signing unsubscribe links and the
-- single sign-on cookie.
CREATE TABLE site_keys (
    name       text PRIMARY KEY,
    secret     text NOT NULL,
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE site_keys;
DROP INDEX digests_day;
DROP TABLE digests;
DROP INDEX users_email_lower;
ALTER TABLE users DROP COLUMN unsubscribed_at;
ALTER TABLE users DROP COLUMN email;
