-- The DB-backed job queue for all timed work (reminders, scheduled announcements, autohunt ticks...).
-- SQLite dialect: JSON columns are TEXT holding JSON, timestamps are TEXT (RFC 3339 UTC), ids are INTEGER PRIMARY KEY.

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    payload       TEXT  NOT NULL DEFAULT '{}',
    run_at        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'done', 'dead')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts  INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    locked_by     TEXT NULL,
    locked_until  TEXT NULL,
    last_error    TEXT NULL,
    dedupe_key    TEXT NULL UNIQUE,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX jobs_status_run_at_idx ON jobs (status, run_at);
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_kind_idx ON jobs (kind, status);
