-- Tamper-evident audit trail: a hash chain, appended under a lock on audit_head.
-- SQLite dialect: JSON columns are TEXT holding JSON, timestamps are TEXT (RFC 3339 UTC), ids are INTEGER PRIMARY KEY.
-- `details` is TEXT holding canonical JSON (exactly the bytes that were hashed).

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY CHECK (id >= 1),
    actor_id    BIGINT NOT NULL,
    guild_id    BIGINT NULL,
    action      TEXT NOT NULL,
    target      TEXT NULL,
    details     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_guild_idx ON audit_log (guild_id, created_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, created_at);

CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_id     BIGINT NOT NULL,
    last_hash   TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (UPDATE refused)');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (DELETE refused)');
END;
