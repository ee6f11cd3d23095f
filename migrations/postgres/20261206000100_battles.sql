-- Issue 11: battles (feature `battles`, switch ENABLE_BATTLES).
--
-- A battle is a pure function of its setup (`data`: chronix_core::battles::Setup as JSON),
-- `seed` and `actions` (JSON list of chronix_core::battles::Action): the live state and
-- `battle replay` are both a replay. `turn` counts the actions stored (a click or a timer
-- carries the turn it was drawn for; one conditional update applies it). Status: 'pending' (a
-- challenge waiting for Accept), 'active', 'finished' (winner_id = the winning user, NULL for
-- a draw or a lost PvE battle; updated_at = the end, never changed afterwards), 'declined',
-- 'expired'. battle_type stays 'pvp', 'wild' or 'boss'.
ALTER TABLE battles ADD COLUMN challenger_id BIGINT NULL;
ALTER TABLE battles ADD COLUMN opponent_id BIGINT NULL;
ALTER TABLE battles ADD COLUMN wager BIGINT NOT NULL DEFAULT 0;
ALTER TABLE battles ADD COLUMN seed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE battles ADD COLUMN actions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE battles ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE battles ADD COLUMN turn_deadline TIMESTAMPTZ NULL;
ALTER TABLE battles ADD COLUMN warned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE battles ADD COLUMN expires_at TIMESTAMPTZ NULL;

-- Who fights in which battle; `live` while the battle is pending-accepted/active, so a player
-- is in at most one live battle (the unique index backs the check made under lock).
CREATE TABLE battle_participants (
    battle_id  BIGINT NOT NULL REFERENCES battles (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL,
    side       INTEGER NOT NULL,
    live       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (battle_id, user_id)
);
CREATE UNIQUE INDEX battle_participants_live_idx ON battle_participants (user_id) WHERE live;
CREATE INDEX battle_participants_user_idx ON battle_participants (user_id, battle_id);
CREATE INDEX battles_winner_idx ON battles (winner_id, status);
