-- Issue 12: mass actions (`massban` / `masskick`). One `mass_actions` row per run: who started
-- it, the selection as typed, the progress message, counts and status (`running`, `cancelled`
-- by the Cancel button, `done`), and the summary case once recorded. Its targets, in order, are
-- rows of `mass_action_targets` (`pending` until the job acts on them, then `done` or
-- `failed`). The job takes the next pending targets each step, so a restart resumes the run.
-- The per-server rate limit counts the runs started in its window from `created_at`.
CREATE TABLE mass_actions (
    id            BIGSERIAL PRIMARY KEY,
    guild_id      BIGINT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('ban', 'kick')),
    moderator_id  BIGINT NOT NULL,
    reason        TEXT NULL,
    selection     TEXT NOT NULL,
    channel_id    BIGINT NOT NULL,
    message_id    BIGINT NULL,
    status        TEXT NOT NULL CHECK (status IN ('running', 'cancelled', 'done')),
    total         INTEGER NOT NULL CHECK (total > 0),
    done_count    INTEGER NOT NULL DEFAULT 0,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    case_number   INTEGER NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ NULL
);
CREATE INDEX mass_actions_guild_idx ON mass_actions (guild_id, created_at);

CREATE TABLE mass_action_targets (
    action_id  BIGINT NOT NULL REFERENCES mass_actions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    user_id    BIGINT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    PRIMARY KEY (action_id, position)
);
CREATE INDEX mass_action_targets_user_idx ON mass_action_targets (action_id, user_id);
