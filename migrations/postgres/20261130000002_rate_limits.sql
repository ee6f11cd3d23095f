-- Per-user rate limits (issue 9): hits of one action in the current fixed window
-- (`window_start` is a Unix timestamp in seconds, aligned to the window length).
CREATE TABLE rate_limits (
    user_id       BIGINT NOT NULL,
    action        TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL CHECK (hits >= 0),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, action)
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);
