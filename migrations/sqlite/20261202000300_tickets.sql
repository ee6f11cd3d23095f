-- Issue 14: tickets. `ticket_panels.config` holds the panel's configuration record (JSON of
-- `chronix_core::tickets::PanelConfig`, checked by its one validation before every write).
-- A ticket gets a number per guild from `ticket_counters` (the counter row is locked by the
-- upsert that takes the next number, which also serialises the per-member open limit check).
ALTER TABLE tickets ADD COLUMN number BIGINT NULL;
ALTER TABLE tickets ADD COLUMN topic TEXT NULL;
ALTER TABLE tickets ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tickets ADD COLUMN closed_by BIGINT NULL;
ALTER TABLE tickets ADD COLUMN close_reason TEXT NULL;
ALTER TABLE tickets ADD COLUMN message_id BIGINT NULL;
CREATE UNIQUE INDEX tickets_guild_number_idx ON tickets (guild_id, number);
CREATE UNIQUE INDEX tickets_channel_idx ON tickets (channel_id);

CREATE TABLE ticket_counters (
    guild_id     BIGINT PRIMARY KEY,
    last_number  BIGINT NOT NULL
);
