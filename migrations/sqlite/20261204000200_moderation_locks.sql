-- Issue 12: lock, lockdown and role cases.
-- `mod_channel_locks`: one row per channel Chronix locked, holding the @everyone overwrite the
-- channel had before (`had_overwrite` false: there was none, so unlocking deletes it; else the
-- allow/deny bits to put back), written BEFORE the channel is changed, so `unlock` and
-- `lockdown end` restore exactly what was there, after restarts too. `lockdown` marks the
-- channels a server lockdown locked (`lockdown end` restores those; a channel locked on its own
-- stays locked). `bot_id` (with its `bot_*` previous overwrite, same encoding): the member
-- overwrite Chronix set so that it can still answer in the locked channel (not set when it is
-- an administrator), restored the same way. The primary key makes a second lock of a locked channel a no-op, which keeps
-- the first "previous" overwrite (a re-run lockdown never stores its own lock as previous).
-- `mod_lockdowns`: the running lockdown of a server (one at most).
-- `mod_cases.role_id`: the role given or taken by a `role add` / `role remove` case.
CREATE TABLE mod_channel_locks (
    guild_id       BIGINT NOT NULL,
    channel_id     BIGINT NOT NULL,
    lockdown       BOOLEAN NOT NULL,
    had_overwrite  BOOLEAN NOT NULL,
    prev_allow     BIGINT NOT NULL,
    prev_deny      BIGINT NOT NULL,
    bot_id             BIGINT NULL,
    bot_had_overwrite  BOOLEAN NOT NULL DEFAULT FALSE,
    bot_prev_allow     BIGINT NOT NULL DEFAULT 0,
    bot_prev_deny      BIGINT NOT NULL DEFAULT 0,
    locked_by      BIGINT NOT NULL,
    locked_at      TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

CREATE TABLE mod_lockdowns (
    guild_id    BIGINT PRIMARY KEY,
    started_by  BIGINT NOT NULL,
    reason      TEXT NULL,
    started_at  TEXT NOT NULL
);

ALTER TABLE mod_cases ADD COLUMN role_id BIGINT NULL;
