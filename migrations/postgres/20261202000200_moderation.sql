-- Issue 12: moderation cases. `mod_cases` (from the community migration) gets numbered per guild
-- through `mod_case_counters` (one row per guild, bumped with an upsert in the transaction that
-- inserts the case, so two moderators acting at once get consecutive numbers, no gap and no
-- duplicate), where the case came from (`bot`: a Chronix command; `manual`: done in Discord's own
-- menus and read from the audit log, `audit_entry_id` unique so a manual action becomes one case),
-- the messages it links, when a timed punishment ended, and a soft delete (`case delete`, audited)
-- so a number is never reused. Warnings are cases of action `warn` (`active` false once removed).
CREATE TABLE mod_case_counters (
    guild_id     BIGINT PRIMARY KEY,
    last_number  BIGINT NOT NULL CHECK (last_number > 0)
);

ALTER TABLE mod_cases ADD COLUMN source TEXT NOT NULL DEFAULT 'bot'
    CHECK (source IN ('bot', 'manual'));
ALTER TABLE mod_cases ADD COLUMN audit_entry_id BIGINT NULL;
ALTER TABLE mod_cases ADD COLUMN linked_messages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE mod_cases ADD COLUMN ended_at TIMESTAMPTZ NULL;
ALTER TABLE mod_cases ADD COLUMN deleted_at TIMESTAMPTZ NULL;
ALTER TABLE mod_cases ADD COLUMN deleted_by BIGINT NULL;
CREATE UNIQUE INDEX mod_cases_audit_entry_idx ON mod_cases (guild_id, audit_entry_id);
CREATE INDEX mod_cases_active_idx ON mod_cases (guild_id, target_id, action, active);

-- Per-guild moderation settings: whether the target of an action is told by DM.
CREATE TABLE moderation_settings (
    guild_id    BIGINT PRIMARY KEY,
    dm_targets  BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
