-- Issue 14: a ticket opened as a private thread of its panel's channel (panel option
-- `PanelConfig::threads`) instead of a private channel. `channel_id` then holds the thread's id.
ALTER TABLE tickets ADD COLUMN thread BOOLEAN NOT NULL DEFAULT FALSE;
