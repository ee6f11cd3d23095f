-- Chronix core schema: users, per-guild profiles, the coin ledger, cooldowns and guild settings.
-- Timestamps are TIMESTAMPTZ; the application always binds chrono::DateTime<Utc>.
-- (A legacy `users.mythcoins` column is renamed to `chrons` by Rust code before this runs;
--  see crates/storage/src/legacy.rs.)

CREATE TABLE users (
    id            BIGINT PRIMARY KEY,
    chrons        BIGINT NOT NULL DEFAULT 0 CHECK (chrons >= 0),
    bank          BIGINT NOT NULL DEFAULT 0 CHECK (bank >= 0),
    global_xp     BIGINT NOT NULL DEFAULT 0 CHECK (global_xp >= 0),
    global_level  INTEGER NOT NULL DEFAULT 0 CHECK (global_level >= 0),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_chrons_idx ON users (chrons DESC, id);
CREATE INDEX users_global_xp_idx ON users (global_xp DESC, id);

CREATE TABLE guild_users (
    guild_id      BIGINT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    xp            BIGINT NOT NULL DEFAULT 0 CHECK (xp >= 0),
    level         INTEGER NOT NULL DEFAULT 0 CHECK (level >= 0),
    balance       BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
    last_message  TIMESTAMPTZ NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX guild_users_user_idx ON guild_users (user_id);
CREATE INDEX guild_users_xp_idx ON guild_users (guild_id, xp DESC, user_id);

-- The ledger: one row per balance change of one user. Append-only by convention.
CREATE TABLE transactions (
    id               BIGSERIAL PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id),
    guild_id         BIGINT NULL,
    change           BIGINT NOT NULL CHECK (change <> 0),
    balance_after    BIGINT NOT NULL CHECK (balance_after >= 0),
    reason           TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'other',
    counterparty_id  BIGINT NULL,
    idempotency_key  TEXT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX transactions_user_idx ON transactions (user_id, id);
CREATE UNIQUE INDEX transactions_idempotency_idx ON transactions (user_id, idempotency_key);
CREATE INDEX transactions_guild_idx ON transactions (guild_id, created_at) WHERE guild_id IS NOT NULL;

CREATE TABLE cooldowns (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    command     TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, command)
);
CREATE INDEX cooldowns_expires_idx ON cooldowns (expires_at);

CREATE TABLE guild_settings (
    guild_id              BIGINT PRIMARY KEY,
    prefix                TEXT NULL,
    locale                TEXT NULL,
    disabled_modules      JSONB NOT NULL DEFAULT '[]',
    log_channels          JSONB NOT NULL DEFAULT '{}',
    dj_role_id            BIGINT NULL,
    error_log_channel_id  BIGINT NULL,
    ai_enabled            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Leaderboards: a live view over users plus a cache table filled by a periodic job.
CREATE VIEW leaderboard_global AS
    SELECT id AS user_id, chrons, global_xp, global_level FROM users;

CREATE TABLE leaderboard_cache (
    scope        TEXT NOT NULL,
    guild_id     BIGINT NOT NULL DEFAULT 0,
    rank         INTEGER NOT NULL CHECK (rank > 0),
    user_id      BIGINT NOT NULL,
    score        BIGINT NOT NULL,
    computed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, guild_id, rank)
);
