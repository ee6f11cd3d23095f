-- Issue 15: temporary voice channels. A hub is a "join to create" voice channel with its
-- configuration record (name format, user limit, bitrate; checked by
-- `chronix_core::tempvoice::HubConfig::validate` before every write). Each channel the bot
-- created for a member is a row of `tempvoice_channels` (reserved with its number before the
-- channel exists, so `channel_id` is set afterwards). No foreign keys: removing a hub sets its
-- channels' `hub_id` to NULL in the same transaction.
CREATE TABLE tempvoice_hubs (
    id           BIGSERIAL PRIMARY KEY,
    guild_id     BIGINT NOT NULL,
    channel_id   BIGINT NOT NULL,
    category_id  BIGINT NULL,
    name_format  TEXT NOT NULL,
    user_limit   BIGINT NOT NULL DEFAULT 0,
    bitrate      BIGINT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tempvoice_hubs_channel_idx ON tempvoice_hubs (channel_id);
CREATE INDEX tempvoice_hubs_guild_idx ON tempvoice_hubs (guild_id);

CREATE TABLE tempvoice_channels (
    id          BIGSERIAL PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    hub_id      BIGINT NULL,
    channel_id  BIGINT NULL,
    owner_id    BIGINT NOT NULL,
    number      BIGINT NOT NULL,
    persistent  BOOLEAN NOT NULL DEFAULT FALSE,
    locked      BOOLEAN NOT NULL DEFAULT FALSE,
    hidden      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tempvoice_channels_channel_idx ON tempvoice_channels (channel_id);
CREATE INDEX tempvoice_channels_guild_idx ON tempvoice_channels (guild_id);
CREATE INDEX tempvoice_channels_hub_idx ON tempvoice_channels (hub_id);
