-- Issue 15: a starter kit may give items as well as Chrons (or items only). `items` is the JSON
-- list of what the member got (`[{"item":"lure","quantity":2}]`), written in the same
-- transaction as the item stacks and the ledger row.
ALTER TABLE welcome_kits DROP CONSTRAINT welcome_kits_chrons_check;
ALTER TABLE welcome_kits ADD CONSTRAINT welcome_kits_chrons_check CHECK (chrons >= 0);
ALTER TABLE welcome_kits ADD COLUMN items TEXT NOT NULL DEFAULT '[]';
