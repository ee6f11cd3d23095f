-- Issue 10 (items), pets: evolution stage and per-pet training cooldown; the hunt effects of
-- used consumables (`use <item>`). SQLite dialect: timestamps are TEXT (RFC 3339 UTC).

ALTER TABLE pets ADD COLUMN stage INTEGER NOT NULL DEFAULT 0 CHECK (stage >= 0);
ALTER TABLE pets ADD COLUMN trained_at TEXT NULL;
ALTER TABLE pets ADD COLUMN team_since TEXT NULL;

CREATE TABLE hunt_effects (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_key    TEXT NOT NULL,
    hunts_left  INTEGER NOT NULL CHECK (hunts_left > 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (user_id, item_key)
);
