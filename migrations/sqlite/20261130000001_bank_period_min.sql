-- Issue 9: interest accrues only on money that was in the bank for a whole period.
-- `period_min_bank` is the lowest bank balance since the start of the open period
-- (`last_interest_period`); existing accounts start with their current balance.
ALTER TABLE bank_accounts
    ADD COLUMN period_min_bank BIGINT NOT NULL DEFAULT 0 CHECK (period_min_bank >= 0);
UPDATE bank_accounts
   SET period_min_bank = (SELECT u.bank FROM users u WHERE u.id = bank_accounts.user_id);
