-- Issue 9: a `pay` above the confirmation threshold waits here for the payer's Confirm click.
-- The button's custom id carries only the row id; payee, amount and expiry are read from the row.
-- Confirming locks the row, moves the Chrons through the ledger (idempotency key
-- `pay:confirm:<id>`) and marks the row done in the same transaction, so a double click pays once
-- and a click after a restart still pays. The expiry job marks open rows past `expires_at`
-- expired and strips their message's buttons.
CREATE TABLE pending_payments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    payer_id    BIGINT NOT NULL REFERENCES users (id),
    payee_id    BIGINT NOT NULL REFERENCES users (id),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    guild_id    BIGINT NULL,
    channel_id  BIGINT NULL,
    message_id  BIGINT NULL,
    memo        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'done', 'cancelled', 'expired')),
    expires_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    CHECK (payer_id <> payee_id)
);
CREATE INDEX pending_payments_status_expires_idx ON pending_payments (status, expires_at);
