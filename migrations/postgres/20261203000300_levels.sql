-- Issue 15: XP and levels. `level_settings.config` holds a server's level settings (JSON of
-- `chronix_core::levels::LevelSettings`, checked by its one validation before every write).
-- XP itself stays in `guild_users.xp/level` (server) and `users.global_xp/global_level`
-- (global); chat XP is written in batches by additive updates, so concurrent awards add up.
-- `level_role_grants` remembers which level's reward role a member was given, so a reward is
-- granted once even when the member levels past it again after an XP change.
CREATE TABLE level_settings (
    guild_id    BIGINT PRIMARY KEY,
    config      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE level_role_grants (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    level       INTEGER NOT NULL CHECK (level > 0),
    role_id     BIGINT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, user_id, level)
);
