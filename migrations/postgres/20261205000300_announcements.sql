-- Issue 14: announcements. `announcements.payload` holds the record (JSON of
-- `chronix_core::announcements::Announcement`, checked by its one validation before every
-- write); `scheduled_at` is the next occurrence while `status = 'scheduled'` (statuses: draft,
-- scheduled, done, cancelled, missed). `announcement_runs` has one row per posted (or skipped)
-- occurrence: its primary key makes each occurrence post at most once, whatever the workers.
-- The server's time zone (IANA name, NULL: UTC) is `guild_settings.timezone`.
ALTER TABLE announcements ADD COLUMN runs BIGINT NOT NULL DEFAULT 0;
ALTER TABLE announcements ADD COLUMN last_run_at TIMESTAMPTZ NULL;
ALTER TABLE guild_settings ADD COLUMN timezone TEXT NULL;

CREATE TABLE announcement_runs (
    announcement_id  BIGINT NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    occurrence_at    TIMESTAMPTZ NOT NULL,
    posted           BOOLEAN NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (announcement_id, occurrence_at)
);

-- Networks for cross-server broadcasting: a server owns a network; other servers ask to join
-- with the channel that receives its broadcasts (their admin opts in), the owner approves.
CREATE TABLE announce_networks (
    id          BIGSERIAL PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    name        TEXT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX announce_networks_guild_idx ON announce_networks (guild_id);

CREATE TABLE announce_network_members (
    network_id    BIGINT NOT NULL REFERENCES announce_networks (id) ON DELETE CASCADE,
    guild_id      BIGINT NOT NULL,
    channel_id    BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved')),
    requested_by  BIGINT NOT NULL,
    approved_by   BIGINT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (network_id, guild_id)
);
CREATE INDEX announce_network_members_guild_idx ON announce_network_members (guild_id);
