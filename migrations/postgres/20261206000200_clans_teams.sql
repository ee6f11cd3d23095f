-- Clans (treasury ledger, invites and join requests, perks, weekly wars) and teams.

ALTER TABLE clans ALTER COLUMN bp TYPE BIGINT;
-- The server the clan was created in, and the channel that gets its war results.
ALTER TABLE clans ADD COLUMN guild_id BIGINT NULL;
ALTER TABLE clans ADD COLUMN channel_id BIGINT NULL;
ALTER TABLE clans ADD COLUMN war_wins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clans ADD COLUMN war_losses INTEGER NOT NULL DEFAULT 0;

-- 'invite': an officer invited the user; 'request': the user asked to join (an officer approves).
CREATE TABLE clan_invites (
    clan_id     BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('invite', 'request')),
    by_id       BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (clan_id, user_id)
);
CREATE INDEX clan_invites_user_idx ON clan_invites (user_id);

-- The clan ledger and log: every treasury move (change <> 0) and every event (change = 0).
-- The sum of `change` of a clan is its treasury (`clans::reconcile`).
CREATE TABLE clan_ledger (
    id              BIGSERIAL PRIMARY KEY,
    clan_id         BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    user_id         BIGINT NULL,
    kind            TEXT NOT NULL,
    change          BIGINT NOT NULL DEFAULT 0,
    treasury_after  BIGINT NOT NULL,
    bp_change       BIGINT NOT NULL DEFAULT 0,
    bp_after        BIGINT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX clan_ledger_clan_idx ON clan_ledger (clan_id, id);

CREATE TABLE clan_perks (
    clan_id     BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    perk        TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level >= 0),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (clan_id, perk)
);

-- One row per settled war week: the unique week_end makes the payout happen once.
CREATE TABLE clan_wars (
    id          BIGSERIAL PRIMARY KEY,
    week_start  TIMESTAMPTZ NOT NULL,
    week_end    TIMESTAMPTZ NOT NULL UNIQUE,
    settled_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The pairings of a war (clan ids are kept even after a clan is disbanded).
CREATE TABLE clan_war_matches (
    war_id      BIGINT NOT NULL REFERENCES clan_wars (id) ON DELETE CASCADE,
    clan_a      BIGINT NOT NULL,
    clan_b      BIGINT NULL,
    score_a     BIGINT NOT NULL,
    score_b     BIGINT NOT NULL,
    winner      BIGINT NULL,
    prize       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (war_id, clan_a)
);

CREATE TABLE teams (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    leader_id   BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
    team_id     BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    joined_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE team_invites (
    team_id     BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
