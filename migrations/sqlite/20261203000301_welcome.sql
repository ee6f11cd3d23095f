-- Issue 15: the welcomer (groundwork). `welcome_settings.config` holds a server's welcomer
-- settings (JSON of `chronix_core::welcome::WelcomeSettings`, checked by its one validation
-- before every write). `welcome_kits` records each member's starter kit per server, written in
-- the same transaction as its ledger row, so a member who leaves and joins again gets it once.
CREATE TABLE welcome_settings (
    guild_id    BIGINT PRIMARY KEY,
    config      TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
);

CREATE TABLE welcome_kits (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    chrons      BIGINT NOT NULL CHECK (chrons > 0),
    given_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    PRIMARY KEY (guild_id, user_id)
);
