-- Issue 10 (items), weapons: enhancement level, one equipped weapon per player, numbered gem
-- slots, and the item trail.
--
-- `weapons.attack` / `crit_rate` / `slots` keep the weapon's base stats when it was obtained
-- (type × rarity, chronix_core::weapons::base_stats); the enhancement level and the socketed
-- gems are applied on top by chronix_core::weapons::stats. `weapons.gems` (TEXT, from the first
-- schema) is not used: a socketed gem is a `gems` row with `weapon_id` and `slot` set.
ALTER TABLE weapons ADD COLUMN level INTEGER NOT NULL DEFAULT 0 CHECK (level >= 0);
-- At most one equipped weapon per player, whatever the races.
CREATE UNIQUE INDEX weapons_one_equipped_idx ON weapons (owner_id) WHERE equipped;

-- The slot (0-based) a socketed gem fills; one gem per slot of a weapon, enforced here too.
ALTER TABLE gems ADD COLUMN slot INTEGER NULL CHECK (slot IS NULL OR slot >= 0);
CREATE UNIQUE INDEX gems_weapon_slot_idx ON gems (weapon_id, slot) WHERE weapon_id IS NOT NULL;

-- One row per movement of an item (a weapon, a gem or a stack of items): where it came from and
-- where it went, so an item's history can be read back and conservation checked.
-- item_kind: 'weapon' | 'gem' | 'stack'; item_id: the weapons/gems row id (NULL for stacks);
-- item_key: the stack key, gem type or weapon type; from_user / to_user: NULL when the item
-- comes from the game (a crate, a forge) or goes out of it (scrapped, consumed);
-- action: 'crate', 'forge', 'scrap', 'empower', 'unsocket', 'trade', 'market', 'release', ...
CREATE TABLE item_trail (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_kind   TEXT NOT NULL,
    item_id     BIGINT NULL,
    item_key    TEXT NOT NULL,
    quantity    BIGINT NOT NULL DEFAULT 1 CHECK (quantity > 0),
    from_user   BIGINT NULL,
    to_user     BIGINT NULL,
    action      TEXT NOT NULL,
    weapon_id   BIGINT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX item_trail_item_idx ON item_trail (item_kind, item_id);
CREATE INDEX item_trail_from_idx ON item_trail (from_user) WHERE from_user IS NOT NULL;
CREATE INDEX item_trail_to_idx ON item_trail (to_user) WHERE to_user IS NOT NULL;
