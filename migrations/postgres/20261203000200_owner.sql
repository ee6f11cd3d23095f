-- Issue 13 (owner and developer tools).
-- owner_blacklist: users whose commands are refused and guilds the bot leaves on join.
-- owner_pending: an owner action that affects another server, waiting for the owner's Confirm
--   click in the dev server (FORCE_OWNER_OVERRIDE=false); the button carries only the row id,
--   the action is read from the row; a one-shot job expires it.
-- dev_elevations: a dev's time-limited permission to run dev commands outside the dev server
--   (checked at use against expires_at; no timer).
-- dev_panels: where the live dev panels are posted (edited in place by a tick).
CREATE TABLE owner_blacklist (
    kind        TEXT NOT NULL CHECK (kind IN ('user', 'guild')),
    target_id   BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, target_id)
);

CREATE TABLE owner_pending (
    id            BIGSERIAL PRIMARY KEY,
    action        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    guild_id      BIGINT NULL,
    requested_by  BIGINT NOT NULL,
    channel_id    BIGINT NULL,
    message_id    BIGINT NULL,
    status        TEXT NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'done', 'expired')),
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    decided_at    TIMESTAMPTZ NULL
);
CREATE INDEX owner_pending_status_idx ON owner_pending (status, expires_at);

CREATE TABLE dev_elevations (
    user_id     BIGINT PRIMARY KEY,
    granted_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE dev_panels (
    channel_id  BIGINT PRIMARY KEY,
    message_id  BIGINT NULL,
    created_by  BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
