-- Issue 15, the welcomer feature. Timed XP boosts per member and server (`storage::xp_boosts`). The welcomer gives new
-- members one (`source = 'welcome'`, once per member and server: rejoining does not renew it);
-- the levels feature reads the member's active boost and multiplies chat XP by it.
CREATE TABLE xp_boosts (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    source      TEXT NOT NULL,
    pct         BIGINT NOT NULL CHECK (pct >= 100),
    until       TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, user_id, source)
);

-- Members who joined a server whose auto roles wait for membership screening: the row is taken
-- (deleted) when the member passes it, so the roles are given once (`storage::welcome`).
CREATE TABLE welcome_screening (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    joined_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
