-- Issue 7 (autohunt throughput): every run rewrites its session row and, since next_run_at is
-- indexed, adds an entry to every index of autohunt_sessions. The index on live_guild_id added
-- for the pause cost 15-40 % of the session update (measured with pgbench, 500-row UNNEST
-- updates on 100,000 sessions), so it goes. Pausing no longer looks sessions up by server on
-- every tick: autohunt_paused_guilds remembers the servers whose sessions are already paused,
-- and only a server that newly disabled gameplay costs one scan of the sessions.
DROP INDEX autohunt_live_guild_idx;
-- Paused sessions leave the due index, so a claim never walks over them.
DROP INDEX autohunt_due_idx;
CREATE INDEX autohunt_due_idx ON autohunt_sessions (next_run_at) WHERE enabled AND paused_at IS NULL;
CREATE TABLE autohunt_paused_guilds (
    guild_id  BIGINT PRIMARY KEY,
    paused_at TIMESTAMPTZ NOT NULL
);
INSERT INTO autohunt_paused_guilds (guild_id, paused_at)
SELECT live_guild_id, MIN(paused_at) FROM autohunt_sessions
WHERE paused_at IS NOT NULL AND live_guild_id IS NOT NULL GROUP BY live_guild_id;
