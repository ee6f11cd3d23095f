-- Logging (issue 13): typed columns on `logs` for search and pruning, and per-server logging
-- settings (category switches, ignored channels and roles, the "don't store content" switch).
-- Which channel receives a category stays in guild_settings.log_channels.

ALTER TABLE logs ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE logs ADD COLUMN channel_id BIGINT NULL;
ALTER TABLE logs ADD COLUMN actor_id BIGINT NULL;
ALTER TABLE logs ADD COLUMN subject_id BIGINT NULL;
CREATE INDEX logs_created_idx ON logs (created_at);

CREATE TABLE logging_settings (
    guild_id             BIGINT PRIMARY KEY,
    disabled_categories  JSONB NOT NULL DEFAULT '[]',
    ignored_channels     JSONB NOT NULL DEFAULT '[]',
    ignored_roles        JSONB NOT NULL DEFAULT '[]',
    store_content        BOOLEAN NOT NULL DEFAULT TRUE,
    category_channel_id  BIGINT NULL,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
