-- Issue 15: a starter kit may give items as well as Chrons (or items only). `items` is the JSON
-- list of what the member got (`[{"item":"lure","quantity":2}]`), written in the same
-- transaction as the item stacks and the ledger row. SQLite cannot change a CHECK: the table
-- is rebuilt with its rows.
CREATE TABLE welcome_kits_new (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    chrons      BIGINT NOT NULL CHECK (chrons >= 0),
    given_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    items       TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (guild_id, user_id)
);
INSERT INTO welcome_kits_new (guild_id, user_id, chrons, given_at)
    SELECT guild_id, user_id, chrons, given_at FROM welcome_kits;
DROP TABLE welcome_kits;
ALTER TABLE welcome_kits_new RENAME TO welcome_kits;
