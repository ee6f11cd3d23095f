-- Wizards (issue 7, shared UI): a multi-step panel's state, so a restart mid-wizard resumes it
-- or expires it cleanly. `kind` is the wizard's registered name, `state` its JSON state, and
-- `version` rises on every applied action (a click carries the version it was drawn with; a
-- stale one is refused, so two fast clicks never both apply).
CREATE TABLE ui_wizards (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,
    owner_id    BIGINT NOT NULL,
    guild_id    BIGINT NULL,
    channel_id  BIGINT NULL,
    message_id  BIGINT NULL,
    step        INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
    state       TEXT NOT NULL DEFAULT '{}',
    version     BIGINT NOT NULL DEFAULT 1,
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'done', 'cancelled', 'expired')),
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ui_wizards_status_expires_idx ON ui_wizards (status, expires_at);
