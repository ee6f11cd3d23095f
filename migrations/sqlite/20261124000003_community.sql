-- Server-side features: announcements, logs, feeds, tickets, moderation, music.
-- SQLite dialect: JSON columns are TEXT holding JSON, timestamps are TEXT (RFC 3339 UTC), ids are INTEGER PRIMARY KEY.

CREATE TABLE announcements (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      BIGINT NOT NULL,
    author_id     BIGINT NOT NULL,
    channel_id    BIGINT NOT NULL,
    payload       TEXT  NOT NULL DEFAULT '{}',
    scheduled_at  TEXT NULL,
    recurrence    TEXT NULL,
    status        TEXT NOT NULL DEFAULT 'draft',
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX announcements_guild_idx ON announcements (guild_id, id);
CREATE INDEX announcements_due_idx ON announcements (scheduled_at) WHERE status = 'scheduled';

CREATE TABLE logs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    BIGINT NULL,
    log_type    TEXT NOT NULL,
    payload     TEXT  NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX logs_guild_created_idx ON logs (guild_id, created_at);

CREATE TABLE rss_feeds (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id         BIGINT NOT NULL,
    url              TEXT NOT NULL,
    channel_id       BIGINT NOT NULL,
    last_item        TEXT NULL,
    last_checked_at  TEXT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    UNIQUE (guild_id, url, channel_id)
);

CREATE TABLE youtube_channels (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id         BIGINT NOT NULL,
    channel_id       BIGINT NOT NULL,
    yt_channel_id    TEXT NOT NULL,
    last_video_id    TEXT NULL,
    last_checked_at  TEXT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    UNIQUE (guild_id, yt_channel_id, channel_id)
);

CREATE TABLE ticket_panels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    message_id  BIGINT NULL,
    config      TEXT  NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX ticket_panels_guild_idx ON ticket_panels (guild_id);

CREATE TABLE tickets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    BIGINT NOT NULL,
    opener_id   BIGINT NOT NULL,
    channel_id  BIGINT NULL,
    panel_id    BIGINT NULL REFERENCES ticket_panels (id) ON DELETE SET NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    claimed_by  BIGINT NULL,
    closed_at   TEXT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX tickets_guild_status_idx ON tickets (guild_id, status);
CREATE INDEX tickets_opener_idx ON tickets (guild_id, opener_id);

CREATE TABLE mod_cases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id       BIGINT NOT NULL,
    case_number    INTEGER NOT NULL,
    moderator_id   BIGINT NOT NULL,
    target_id      BIGINT NOT NULL,
    action         TEXT NOT NULL,
    reason         TEXT NULL,
    duration_secs  BIGINT NULL,
    expires_at     TEXT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    UNIQUE (guild_id, case_number)
);
CREATE INDEX mod_cases_target_idx ON mod_cases (guild_id, target_id);

CREATE TABLE warnings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      BIGINT NOT NULL,
    user_id       BIGINT NOT NULL,
    moderator_id  BIGINT NOT NULL,
    reason        TEXT NOT NULL,
    case_id       BIGINT NULL REFERENCES mod_cases (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);
CREATE INDEX warnings_user_idx ON warnings (guild_id, user_id, created_at);

CREATE TABLE music_queue (
    guild_id      BIGINT NOT NULL,
    position      INTEGER NOT NULL CHECK (position >= 0),
    track         TEXT  NOT NULL,
    requested_by  BIGINT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (guild_id, position)
);
