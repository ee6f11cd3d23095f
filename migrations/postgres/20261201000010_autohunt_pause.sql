-- Issue 9: autohunt pauses while gameplay is disabled on the server of its live message.
-- `live_guild_id` is the server the session was started in (NULL: a direct message);
-- `paused_at` is set while that server has `module disable gameplay` (the scheduler skips
-- paused sessions and charges nothing) and cleared when it is enabled again.
ALTER TABLE autohunt_sessions ADD COLUMN live_guild_id BIGINT NULL;
ALTER TABLE autohunt_sessions ADD COLUMN paused_at TIMESTAMPTZ NULL;
CREATE INDEX autohunt_live_guild_idx ON autohunt_sessions (live_guild_id) WHERE enabled;
-- The scheduler looks for paused sessions before every batch: keep that look-up small.
CREATE INDEX autohunt_paused_idx ON autohunt_sessions (user_id) WHERE paused_at IS NOT NULL;
