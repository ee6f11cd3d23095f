-- Issue 14: reaction roles and tags.
--
-- A reaction-role panel is a message with its configuration record (`config`: JSON of
-- `chronix_core::reactionroles::PanelConfig`, checked by its one validation before every
-- write). `reaction_role_grants` remembers which roles a panel gave to whom, so that after a
-- restart a reaction removed while the bot was down takes its role back.
CREATE TABLE reaction_panels (
    id          BIGSERIAL PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    message_id  BIGINT NULL,
    config      TEXT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX reaction_panels_guild_idx ON reaction_panels (guild_id);
CREATE UNIQUE INDEX reaction_panels_message_idx ON reaction_panels (message_id);

CREATE TABLE reaction_role_grants (
    panel_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    role_id     BIGINT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (panel_id, user_id, role_id)
);

-- Tags and custom commands: one row per tag, its name unique per server (the index decides
-- between two creations of one name at once). `trigger_word`: a message that is exactly the
-- name (plus arguments) gets the tag; `slash`: registered as a guild slash command
-- (`slash_command_id` once Discord accepted it).
CREATE TABLE tags (
    id                BIGSERIAL PRIMARY KEY,
    guild_id          BIGINT NOT NULL,
    name              TEXT NOT NULL,
    content           TEXT NOT NULL,
    embed             BOOLEAN NOT NULL DEFAULT FALSE,
    image_url         TEXT NULL,
    owner_id          BIGINT NOT NULL,
    uses              BIGINT NOT NULL DEFAULT 0,
    trigger_word      BOOLEAN NOT NULL DEFAULT FALSE,
    slash             BOOLEAN NOT NULL DEFAULT FALSE,
    slash_command_id  BIGINT NULL,
    cooldown_secs     BIGINT NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tags_guild_name_idx ON tags (guild_id, name);

-- Who may create tags on a server (JSON of `chronix_core::tags::TagSettings`).
CREATE TABLE tag_settings (
    guild_id    BIGINT PRIMARY KEY,
    config      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
