-- +goose Up
-- Usernames are unique without regard to case: ADMIN is admin.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

-- Sign-in attempts per key (a username and an address, or an address) and
-- minute, counted where every replica sees them.
CREATE TABLE sign_in_attempts (
    key          text NOT NULL,
    window_start datetime NOT NULL,
    attempts     integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts (window_start);

-- +goose Down
DROP TABLE sign_in_attempts;
DROP INDEX users_username_lower;
