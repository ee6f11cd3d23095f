-- Tamper-evident audit trail: a hash chain, appended under a lock on audit_head.
-- `details` is TEXT holding canonical JSON (exactly the bytes that were hashed).

CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY CHECK (id >= 1),
    actor_id    BIGINT NOT NULL,
    guild_id    BIGINT NULL,
    action      TEXT NOT NULL,
    target      TEXT NULL,
    details     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_guild_idx ON audit_log (guild_id, created_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, created_at);

CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_id     BIGINT NOT NULL,
    last_hash   TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
