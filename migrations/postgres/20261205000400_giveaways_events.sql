-- Issue 14: giveaways and server events (feature `eventboard`, switch ENABLE_EVENTS).
--
-- A giveaway is ended exactly once by one conditional UPDATE (status 'open' -> 'ended') in the
-- transaction that draws and stores its winners; rerolls add winners with a higher round.
-- `requirements` is the JSON of chronix_core::giveaways::Requirements.
CREATE TABLE giveaways (
    id            BIGSERIAL PRIMARY KEY,
    guild_id      BIGINT NOT NULL,
    channel_id    BIGINT NOT NULL,
    message_id    BIGINT NULL,
    host_id       BIGINT NOT NULL,
    prize         TEXT NOT NULL,
    winners       INTEGER NOT NULL,
    requirements  TEXT NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL,
    status        TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ NULL
);
CREATE INDEX giveaways_guild_idx ON giveaways (guild_id, status);

CREATE TABLE giveaway_entries (
    giveaway_id  BIGINT NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    entered_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (giveaway_id, user_id)
);

CREATE TABLE giveaway_winners (
    giveaway_id  BIGINT NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    round        INTEGER NOT NULL,
    PRIMARY KEY (giveaway_id, user_id)
);

-- Who may run giveaways and events besides Manage Server: one role per server.
CREATE TABLE giveaway_settings (
    guild_id         BIGINT PRIMARY KEY,
    manager_role_id  BIGINT NULL
);

-- Server events. `starts_at` is the next (or current) occurrence; a repeating event moves it
-- forward when an occurrence ends, and its RSVPs start over.
CREATE TABLE server_events (
    id                 BIGSERIAL PRIMARY KEY,
    guild_id           BIGINT NOT NULL,
    channel_id         BIGINT NOT NULL,
    message_id         BIGINT NULL,
    host_id            BIGINT NOT NULL,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    starts_at          TIMESTAMPTZ NOT NULL,
    duration_secs      BIGINT NOT NULL,
    recurrence         TEXT NOT NULL,
    capacity           INTEGER NULL,
    remind_by          TEXT NOT NULL,
    remind_before_secs BIGINT NOT NULL,
    discord_event_id   BIGINT NULL,
    status             TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX server_events_guild_idx ON server_events (guild_id, status);

-- One RSVP per member and event; `seq` orders the waitlist (first in line, first promoted).
CREATE TABLE server_event_rsvps (
    event_id    BIGINT NOT NULL REFERENCES server_events (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, user_id)
);

-- The attendee bonus, once per member and occurrence.
CREATE TABLE server_event_bonuses (
    event_id     BIGINT NOT NULL,
    occurrence   TIMESTAMPTZ NOT NULL,
    user_id      BIGINT NOT NULL,
    PRIMARY KEY (event_id, occurrence, user_id)
);
