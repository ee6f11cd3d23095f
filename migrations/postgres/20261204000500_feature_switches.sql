-- dev_feature_switches: features switched off for everyone from the dev panel (issue 13). The
-- switch used to live in memory only; a row here keeps a feature off across restarts until a
-- dev switches it back on (which deletes the row).
CREATE TABLE dev_feature_switches (
    feature     TEXT PRIMARY KEY,
    switched_by BIGINT NOT NULL,
    switched_at TIMESTAMPTZ NOT NULL
);
