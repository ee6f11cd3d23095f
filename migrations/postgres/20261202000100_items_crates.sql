-- Issue 10 (items), part 1: one crate inventory and the crate pity counter.
--
-- Unopened crates were two things: hunted crates were rows of `crates` (one per crate) and shop
-- crates stacks of `user_items`. From now on every crate, whatever its source, is a stack of
-- `user_items` under the key `<crate id>_crate` (item_type 'crate'), so the shop, the market,
-- trades and `crate open` see one inventory. The rows of `crates` are folded into those stacks
-- here (a definition is created for a kind the shop does not sell; the bot's start-up sync then
-- fills in its name) and the table is left empty (kept: a landed migration created it).
INSERT INTO item_definitions (id, item_type, name, rarity)
SELECT DISTINCT crate_type || '_crate', 'crate', crate_type || '_crate', ''
FROM crates
ON CONFLICT (id) DO NOTHING;

INSERT INTO user_items (owner_id, item_type, item_key, quantity, created_at, updated_at)
SELECT owner_id, 'crate', crate_type || '_crate', COUNT(*), MIN(created_at), MAX(updated_at)
FROM crates
GROUP BY owner_id, crate_type
ON CONFLICT (owner_id, item_key) WHERE item_key IS NOT NULL DO UPDATE
SET quantity = user_items.quantity + excluded.quantity, updated_at = excluded.updated_at;

DELETE FROM crates;

-- Bad-luck protection: per player and crate kind, how many openings in a row gave nothing of
-- the kind's pity tier (see chronix_core::items::open_crate_with_pity), and how many were opened.
CREATE TABLE crate_pity (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    crate_type  TEXT NOT NULL,
    misses      INTEGER NOT NULL DEFAULT 0 CHECK (misses >= 0),
    opened      BIGINT NOT NULL DEFAULT 0 CHECK (opened >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, crate_type)
);
