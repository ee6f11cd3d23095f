-- Clans (treasury ledger, invites and join requests, perks, weekly wars) and teams.
-- SQLite dialect: timestamps are TEXT (RFC 3339 UTC); `clans.bp` is already a 64-bit INTEGER.

ALTER TABLE clans ADD COLUMN guild_id BIGINT NULL;
ALTER TABLE clans ADD COLUMN channel_id BIGINT NULL;
ALTER TABLE clans ADD COLUMN war_wins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clans ADD COLUMN war_losses INTEGER NOT NULL DEFAULT 0;

CREATE TABLE clan_invites (
    clan_id     BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('invite', 'request')),
    by_id       BIGINT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (clan_id, user_id)
);
CREATE INDEX clan_invites_user_idx ON clan_invites (user_id);

CREATE TABLE clan_ledger (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    clan_id         BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    user_id         BIGINT NULL,
    kind            TEXT NOT NULL,
    change          BIGINT NOT NULL DEFAULT 0,
    treasury_after  BIGINT NOT NULL,
    bp_change       BIGINT NOT NULL DEFAULT 0,
    bp_after        BIGINT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX clan_ledger_clan_idx ON clan_ledger (clan_id, id);

CREATE TABLE clan_perks (
    clan_id     BIGINT NOT NULL REFERENCES clans (id) ON DELETE CASCADE,
    perk        TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level >= 0),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (clan_id, perk)
);

CREATE TABLE clan_wars (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    week_start  TEXT NOT NULL,
    week_end    TEXT NOT NULL UNIQUE,
    settled_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);

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
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    leader_id   BIGINT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);

CREATE TABLE team_members (
    team_id     BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    joined_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE team_invites (
    team_id     BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (team_id, user_id)
);
