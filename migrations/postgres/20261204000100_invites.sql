-- Issue 12: invite tracking. `invite_joins` keeps one row per join: how the member came
-- (`source`: an invite code with its inviter, the vanity URL, or unknown), whether the account
-- was younger than the server's limit (`fake`), and when they left (`left_at`, set on the open
-- row of that member when they leave; a rejoin is a new row). Counts are computed from it.
-- `invite_bonus` holds admin adjustments per inviter (`invites bonus`, audited);
-- `invite_settings` the server's settings (JSON of `chronix_core::invites::InviteSettings`);
-- `invite_reward_grants` which reward role an inviter was given, so each is given once.
CREATE TABLE invite_joins (
    id          BIGSERIAL PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('invite', 'vanity', 'unknown')),
    code        TEXT NULL,
    inviter_id  BIGINT NULL,
    fake        BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at   TIMESTAMPTZ NOT NULL,
    left_at     TIMESTAMPTZ NULL
);
CREATE INDEX invite_joins_member_idx ON invite_joins (guild_id, user_id, joined_at);
CREATE INDEX invite_joins_inviter_idx ON invite_joins (guild_id, inviter_id);
CREATE INDEX invite_joins_code_idx ON invite_joins (guild_id, code);

CREATE TABLE invite_bonus (
    guild_id    BIGINT NOT NULL,
    inviter_id  BIGINT NOT NULL,
    bonus       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, inviter_id)
);

CREATE TABLE invite_settings (
    guild_id    BIGINT PRIMARY KEY,
    config      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE invite_reward_grants (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    count       INTEGER NOT NULL CHECK (count > 0),
    role_id     BIGINT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, user_id, count)
);
