-- Hunt statistics and the autohunt live-embed fields.

-- Per-player hunting statistics (manual hunts and autohunt rolls); the "hunts" leaderboard
-- reads hunt_stats_hunts_idx.
CREATE TABLE hunt_stats (
    user_id        BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hunts          BIGINT NOT NULL DEFAULT 0 CHECK (hunts >= 0),
    creatures      BIGINT NOT NULL DEFAULT 0 CHECK (creatures >= 0),
    chrons_earned  BIGINT NOT NULL DEFAULT 0 CHECK (chrons_earned >= 0),
    xp_earned      BIGINT NOT NULL DEFAULT 0 CHECK (xp_earned >= 0),
    -- Tier index of the best creature caught (0 = common … 5 = celestial), -1 = none yet.
    best_rarity    INTEGER NOT NULL DEFAULT -1,
    best_catch     TEXT NULL,
    last_hunt_at   TEXT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX hunt_stats_hunts_idx ON hunt_stats (hunts DESC, user_id);

-- Autohunt: the current cycle (since the last enable) and the last run, for the live embed.
ALTER TABLE autohunt_sessions ADD COLUMN cycle_runs BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autohunt_sessions ADD COLUMN cycle_spent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autohunt_sessions ADD COLUMN cycle_earned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autohunt_sessions ADD COLUMN total_essence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autohunt_sessions ADD COLUMN last_xp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autohunt_sessions ADD COLUMN last_earned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autohunt_sessions ADD COLUMN last_essence BIGINT NOT NULL DEFAULT 0;
-- Loot of the last run as a JSON array of loot codes ("c:<creature>", "g:<gem>:<rarity>:<power>", "k:<crate>").
ALTER TABLE autohunt_sessions ADD COLUMN last_loot TEXT NOT NULL DEFAULT '[]';
-- Why the session was disabled by the scheduler ("insufficient_funds"), NULL otherwise.
ALTER TABLE autohunt_sessions ADD COLUMN disabled_reason TEXT NULL;
