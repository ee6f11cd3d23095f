-- Gameplay: pets, weapons, gems, crates, items, autohunt, battles, clans.

CREATE TABLE item_definitions (
    id          TEXT PRIMARY KEY,
    item_type   TEXT NOT NULL,
    name        TEXT NOT NULL,
    rarity      TEXT NOT NULL,
    data        JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE user_items (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_type   TEXT NOT NULL,
    item_key    TEXT NULL REFERENCES item_definitions (id),
    quantity    BIGINT NOT NULL DEFAULT 1 CHECK (quantity > 0),
    item_data   JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_items_owner_idx ON user_items (owner_id, item_type);
CREATE UNIQUE INDEX user_items_stack_idx ON user_items (owner_id, item_key) WHERE item_key IS NOT NULL;

CREATE TABLE pets (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pet_type    TEXT NOT NULL,
    name        TEXT NOT NULL,
    rarity      TEXT NOT NULL,
    level       INTEGER NOT NULL DEFAULT 1 CHECK (level >= 1),
    xp          BIGINT NOT NULL DEFAULT 0 CHECK (xp >= 0),
    stamina     INTEGER NOT NULL DEFAULT 100 CHECK (stamina >= 0),
    affinity    DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    active      BOOLEAN NOT NULL DEFAULT FALSE,
    prestige    INTEGER NOT NULL DEFAULT 0 CHECK (prestige >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pets_owner_idx ON pets (owner_id);
CREATE INDEX pets_active_idx ON pets (owner_id) WHERE active;

CREATE TABLE weapons (
    id           BIGSERIAL PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    weapon_type  TEXT NOT NULL,
    rarity       TEXT NOT NULL,
    attack       INTEGER NOT NULL DEFAULT 0 CHECK (attack >= 0),
    crit_rate    DOUBLE PRECISION NOT NULL DEFAULT 0,
    slots        INTEGER NOT NULL DEFAULT 0 CHECK (slots >= 0),
    gems         JSONB NOT NULL DEFAULT '[]',
    equipped     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX weapons_owner_idx ON weapons (owner_id);

CREATE TABLE gems (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    gem_type    TEXT NOT NULL,
    rarity      TEXT NOT NULL,
    power       INTEGER NOT NULL DEFAULT 0 CHECK (power >= 0),
    weapon_id   BIGINT NULL REFERENCES weapons (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX gems_owner_idx ON gems (owner_id);
CREATE INDEX gems_weapon_idx ON gems (weapon_id) WHERE weapon_id IS NOT NULL;

CREATE TABLE crates (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    crate_type  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX crates_owner_idx ON crates (owner_id, crate_type);

CREATE TABLE autohunt_sessions (
    user_id          BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    enabled          BOOLEAN NOT NULL DEFAULT FALSE,
    last_run         TIMESTAMPTZ NULL,
    next_run_at      TIMESTAMPTZ NULL,
    essence          BIGINT NOT NULL DEFAULT 0 CHECK (essence >= 0),
    level            INTEGER NOT NULL DEFAULT 1 CHECK (level >= 1),
    cost             BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    live_channel_id  BIGINT NULL,
    live_message_id  BIGINT NULL,
    total_runs       BIGINT NOT NULL DEFAULT 0,
    total_spent      BIGINT NOT NULL DEFAULT 0,
    total_earned     BIGINT NOT NULL DEFAULT 0,
    traits           JSONB NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- due-session query: WHERE enabled AND next_run_at <= $now ORDER BY next_run_at
CREATE INDEX autohunt_due_idx ON autohunt_sessions (next_run_at) WHERE enabled;

CREATE TABLE battles (
    id           BIGSERIAL PRIMARY KEY,
    battle_type  TEXT NOT NULL,
    guild_id     BIGINT NULL,
    channel_id   BIGINT NULL,
    message_id   BIGINT NULL,
    data         JSONB NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'active',
    winner_id    BIGINT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX battles_status_idx ON battles (status, updated_at);

CREATE TABLE clans (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    level       INTEGER NOT NULL DEFAULT 1 CHECK (level >= 1),
    treasury    BIGINT NOT NULL DEFAULT 0 CHECK (treasury >= 0),
    bp          INTEGER NOT NULL DEFAULT 0 CHECK (bp >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX clans_name_lower_idx ON clans (lower(name));

CREATE TABLE clan_members (
    clan_id     BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL DEFAULT 'member',
    joined_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (clan_id, user_id)
);
