-- Clan war points as they happened: a battle win is credited to the winner's clan at the time of
-- the battle, in the battle's final transaction (`chronix_storage::clans::credit_win`), so a
-- member who leaves keeps their points with the clan they fought for and a newcomer brings none
-- from before. The weekly war (`clans::settle_war`) scores a week from these rows: `battle_type`
-- 'pvp' counts `war.pvp_points`, 'wild' and 'boss' `war.pve_points` (clans.yaml).
--
-- No foreign key on clan_id: a battle ending while its winner's clan is being disbanded must not
-- fail (clan ids are never reused; the rows of a disbanded clan are simply no longer scored).
CREATE TABLE clan_war_points (
    battle_id    BIGINT NOT NULL REFERENCES battles (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    clan_id      BIGINT NOT NULL,
    battle_type  TEXT NOT NULL,
    won_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (battle_id, user_id)
);
CREATE INDEX clan_war_points_week_idx ON clan_war_points (won_at, clan_id);

-- Battles finished before this migration: credited to the winner's clan now (the old rule).
INSERT INTO clan_war_points (battle_id, user_id, clan_id, battle_type, won_at)
SELECT b.id, b.winner_id, m.clan_id, b.battle_type, b.updated_at
FROM battles b JOIN clan_members m ON m.user_id = b.winner_id
WHERE b.status = 'finished' AND b.battle_type IN ('pvp', 'wild', 'boss');
