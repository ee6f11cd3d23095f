-- Economy state beyond the wallet: daily/weekly claims (streaks), bank interest bookkeeping,
-- the player marketplace and two-sided trades.

-- One row per player who ever claimed /daily or /weekly. Updated in the same transaction as the
-- ledger credit (whose idempotency key is `daily:<user>:<day>` / `weekly:<user>:<week>`).
CREATE TABLE economy_claims (
    user_id            BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    daily_last_claim   TIMESTAMPTZ NULL,
    daily_streak       INTEGER NOT NULL DEFAULT 0 CHECK (daily_streak >= 0),
    daily_best_streak  INTEGER NOT NULL DEFAULT 0 CHECK (daily_best_streak >= 0),
    weekly_last_claim  TIMESTAMPTZ NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Bank interest: the last period paid (period = unix seconds div period length). Interest for a
-- period is paid at most once: this column is updated in the same transaction as the ledger
-- rows, which also carry the key `interest:<user>:<period>`.
CREATE TABLE bank_accounts (
    user_id               BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_interest_period  BIGINT NOT NULL,
    interest_paid         BIGINT NOT NULL DEFAULT 0 CHECK (interest_paid >= 0),
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The interest job walks savers by id (keyset); most users have an empty bank.
CREATE INDEX users_bank_idx ON users (id) WHERE bank > 0;

-- Player marketplace. A listing holds its items in escrow (taken from the seller's inventory
-- when listed); `status` moves from 'open' to 'sold' or 'cancelled' exactly once.
CREATE TABLE market_listings (
    id          BIGSERIAL PRIMARY KEY,
    seller_id   BIGINT NOT NULL REFERENCES users (id),
    item_key    TEXT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    price       BIGINT NOT NULL CHECK (price > 0),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sold', 'cancelled')),
    buyer_id    BIGINT NULL REFERENCES users (id),
    closed_at   TIMESTAMPTZ NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX market_listings_open_idx ON market_listings (item_key, price, id) WHERE status = 'open';
CREATE INDEX market_listings_open_id_idx ON market_listings (id) WHERE status = 'open';
CREATE INDEX market_listings_seller_idx ON market_listings (seller_id, status);

-- Two-sided trades: each side offers Chrons and/or one item stack; both confirm; the swap runs
-- in one transaction when the second side confirms.
CREATE TABLE trades (
    id                    BIGSERIAL PRIMARY KEY,
    initiator_id          BIGINT NOT NULL REFERENCES users (id),
    partner_id            BIGINT NOT NULL REFERENCES users (id),
    initiator_chrons      BIGINT NOT NULL DEFAULT 0 CHECK (initiator_chrons >= 0),
    initiator_item_key    TEXT NULL,
    initiator_item_qty    BIGINT NOT NULL DEFAULT 0 CHECK (initiator_item_qty >= 0),
    partner_chrons        BIGINT NOT NULL DEFAULT 0 CHECK (partner_chrons >= 0),
    partner_item_key      TEXT NULL,
    partner_item_qty      BIGINT NOT NULL DEFAULT 0 CHECK (partner_item_qty >= 0),
    initiator_confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    partner_confirmed     BOOLEAN NOT NULL DEFAULT FALSE,
    status                TEXT NOT NULL DEFAULT 'open'
                          CHECK (status IN ('open', 'done', 'cancelled', 'failed')),
    guild_id              BIGINT NULL,
    expires_at            TIMESTAMPTZ NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (initiator_id <> partner_id)
);
CREATE INDEX trades_initiator_idx ON trades (initiator_id, status);
CREATE INDEX trades_partner_idx ON trades (partner_id, status);
