-- Issue 10 (items), pets: evolution stage and per-pet training cooldown; the hunt effects of
-- used consumables (`use <item>`).

-- Evolution stage (0 = first stage of pets.yaml) and the last training (cooldown per pet).
ALTER TABLE pets ADD COLUMN stage INTEGER NOT NULL DEFAULT 0 CHECK (stage >= 0);
ALTER TABLE pets ADD COLUMN trained_at TIMESTAMPTZ NULL;
-- Team order: the active pets of a player, listed by when they joined the team.
ALTER TABLE pets ADD COLUMN team_since TIMESTAMPTZ NULL;

-- Consumables in use: one row per player and item, with the hunts it still applies to (manual
-- hunts and autohunt runs both count one). The effect itself is read from items.yaml.
CREATE TABLE hunt_effects (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_key    TEXT NOT NULL,
    hunts_left  INTEGER NOT NULL CHECK (hunts_left > 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, item_key)
);
