//! Weekly wars: wins credited to the clan of the moment ([`credit_win`]) and the week settled
//! once ([`settle_war`]).

use chronix_core::clans::{self as rules, Pairing, Standing, WarOutcome, WarRules};
use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use super::{Entry, log_in};
use crate::{Result, Storage, Tx};

/// One clan's line of a war report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarLine {
    /// The clan.
    pub clan: i64,
    /// Its name.
    pub name: String,
    /// Its results channel.
    pub channel: Option<ChannelId>,
    /// The server of that channel (its language is the post's).
    pub guild: Option<GuildId>,
    /// Its score.
    pub score: i64,
    /// Its opponent (id, name, score), `None` for a bye.
    pub opponent: Option<(i64, String, i64)>,
    /// What happened to it.
    pub outcome: WarResult,
    /// Chrons paid into its treasury.
    pub prize: Chrons,
    /// BP earned.
    pub bp: i64,
}

/// A clan's result in a war.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarResult {
    /// Won its pairing.
    Won,
    /// Lost it.
    Lost,
    /// Same score.
    Draw,
    /// No opponent.
    Bye,
}

/// A settled war.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarReport {
    /// `clan_wars.id`.
    pub war_id: i64,
    /// Week start.
    pub week_start: DateTime<Utc>,
    /// Week end.
    pub week_end: DateTime<Utc>,
    /// One line per clan.
    pub lines: Vec<WarLine>,
}

/// The battle types a war counts: PvP wins count `pvp_points`, the others `pve_points`.
pub const WAR_BATTLE_TYPES: [&str; 3] = ["pvp", "wild", "boss"];

/// Settles the war of the week `[start, end)` once: pairs the clans ([`rules::pair`] by BP),
/// scores them from the battle wins credited to them in the week ([`credit_win`]: the clan the
/// winner was in when the battle ended, whatever happened since), pays each pairing's winner `prize` Chrons into its treasury and
/// `rules.win_bp` BP (clan ledger, kind `war_prize`), and records the matches. `None` when the
/// week was already settled (by this or another process): nothing changes.
pub async fn settle_war(
    storage: &Storage,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    rules: &WarRules,
    prize: Chrons,
    now: DateTime<Utc>,
) -> Result<Option<WarReport>> {
    transaction!(storage, |tx| {
        let war: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO clan_wars (week_start, week_end, settled_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (week_end) DO NOTHING RETURNING id",
            )
            .bind(start)
            .bind(end)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some((war_id,)) = war else {
            return Ok(None);
        };
        let clans: Vec<WarClanRow> = tx_run!(tx, |conn, d| {
            let sql = format!(
                "SELECT id, name, CAST(bp AS BIGINT) AS bp, channel_id, guild_id FROM clans \
                 ORDER BY id{}",
                d.for_update()
            );
            sqlx::query_as(&sql).fetch_all(&mut *conn).await?
        });
        let wins: Vec<(i64, String, i64)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "SELECT clan_id, battle_type, COUNT(*) FROM clan_war_points \
                 WHERE won_at >= $1 AND won_at < $2 GROUP BY clan_id, battle_type",
            )
            .bind(start)
            .bind(end)
            .fetch_all(&mut *conn)
            .await?
        });
        let mut tally: HashMap<i64, (i64, i64)> = HashMap::new();
        for (clan, kind, n) in wins {
            let t = tally.entry(clan).or_default();
            if kind == "pvp" {
                t.0 += n;
            } else {
                t.1 += n;
            }
        }
        let score = |c: i64| {
            let (pvp, pve) = tally.get(&c).copied().unwrap_or_default();
            rules.score(pvp, pve)
        };
        let info: HashMap<i64, ClanPost> = clans
            .iter()
            .map(|c| {
                let post = ClanPost {
                    name: c.name.clone(),
                    channel: c.channel_id.map(ChannelId::from_db),
                    guild: c.guild_id.map(GuildId::from_db),
                };
                (c.id, post)
            })
            .collect();
        let standings: Vec<Standing> = clans
            .iter()
            .map(|c| Standing {
                clan: c.id,
                rating: c.bp,
            })
            .collect();
        let mut lines = Vec::new();
        for p in rules::pair(&standings) {
            let (sa, sb) = (score(p.a), p.b.map_or(0, score));
            let outcome = rules::decide(&p, sa, sb);
            let winner = match outcome {
                WarOutcome::Winner(w) => Some(w),
                _ => None,
            };
            let mut paid = Chrons::ZERO;
            if let Some(w) = winner {
                if prize.is_positive() || rules.win_bp > 0 {
                    log_in(
                        tx,
                        w,
                        &Entry {
                            kind: "war_prize",
                            user: None,
                            change: prize.max(Chrons::ZERO),
                            bp_change: rules.win_bp,
                            detail: format!("war {war_id}"),
                        },
                        now,
                    )
                    .await?;
                    paid = prize.max(Chrons::ZERO);
                }
                let loser = if w == p.a { p.b } else { Some(p.a) };
                tx_run!(tx, |conn| {
                    sqlx::query("UPDATE clans SET war_wins = war_wins + 1 WHERE id = $1")
                        .bind(w)
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("UPDATE clans SET war_losses = war_losses + 1 WHERE id = $1")
                        .bind(loser)
                        .execute(&mut *conn)
                        .await?;
                });
            }
            tx_run!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO clan_war_matches (war_id, clan_a, clan_b, score_a, score_b, \
                     winner, prize) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(war_id)
                .bind(p.a)
                .bind(p.b)
                .bind(sa)
                .bind(sb)
                .bind(winner)
                .bind(paid.get())
                .execute(&mut *conn)
                .await?;
            });
            lines.extend(war_lines(&p, sa, sb, winner, paid, rules.win_bp, &info));
        }
        Ok(Some(WarReport {
            war_id,
            week_start: start,
            week_end: end,
            lines,
        }))
    })
}

/// A clan as a war reads it (locked).
#[derive(sqlx::FromRow)]
struct WarClanRow {
    id: i64,
    name: String,
    bp: i64,
    channel_id: Option<i64>,
    guild_id: Option<i64>,
}

/// Where a clan's war result goes.
struct ClanPost {
    name: String,
    channel: Option<ChannelId>,
    guild: Option<GuildId>,
}

fn war_lines(
    p: &Pairing,
    sa: i64,
    sb: i64,
    winner: Option<i64>,
    prize: Chrons,
    win_bp: i64,
    info: &HashMap<i64, ClanPost>,
) -> Vec<WarLine> {
    let name = |c: i64| info.get(&c).map(|x| x.name.clone()).unwrap_or_default();
    let line = |me: i64, my: i64, other: Option<(i64, i64)>| {
        let outcome = match (other, winner) {
            (None, _) => WarResult::Bye,
            (_, Some(w)) if w == me => WarResult::Won,
            (_, Some(_)) => WarResult::Lost,
            (_, None) => WarResult::Draw,
        };
        let won = outcome == WarResult::Won;
        WarLine {
            clan: me,
            name: name(me),
            channel: info.get(&me).and_then(|x| x.channel),
            guild: info.get(&me).and_then(|x| x.guild),
            score: my,
            opponent: other.map(|(o, s)| (o, name(o), s)),
            outcome,
            prize: if won { prize } else { Chrons::ZERO },
            bp: if won { win_bp } else { 0 },
        }
    };
    let mut v = vec![line(p.a, sa, p.b.map(|b| (b, sb)))];
    if let Some(b) = p.b {
        v.push(line(b, sb, Some((p.a, sa))));
    }
    v
}

/// Credits the win of `winner` in battle `battle` (of type `battle_type`, ended at `at`) to the
/// clan `winner` is in now, inside the battle's final transaction: a `clan_war_points` row that
/// [`settle_war`] scores (only the types of [`WAR_BATTLE_TYPES`]; outside a clan, nothing).
/// Leaving the clan later does not move it; joining another brings nothing from before.
pub async fn credit_win(
    tx: &mut Tx,
    battle: i64,
    battle_type: &str,
    winner: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    if !WAR_BATTLE_TYPES.contains(&battle_type) {
        return Ok(());
    }
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO clan_war_points (battle_id, user_id, clan_id, battle_type, won_at) \
             SELECT $1, user_id, clan_id, $2, $3 FROM clan_members WHERE user_id = $4 \
             ON CONFLICT (battle_id, user_id) DO NOTHING",
        )
        .bind(battle)
        .bind(battle_type)
        .bind(at)
        .bind(winner.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Test helper: inserts a finished battle row won by `winner` at `at` and credits the win as
/// the battle's final transaction does ([`credit_win`]: `status = 'finished'`, `winner_id`,
/// `battle_type`, `updated_at`, and the clan war point of the winner's clan now).
#[cfg(feature = "testing")]
pub async fn insert_finished_battle(
    storage: &Storage,
    battle_type: &str,
    winner: UserId,
    at: DateTime<Utc>,
) -> Result<i64> {
    transaction!(storage, |tx| {
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO battles (battle_type, status, winner_id, created_at, updated_at) \
                 VALUES ($1, 'finished', $2, $3, $3) RETURNING id",
            )
            .bind(battle_type)
            .bind(winner.to_db())
            .bind(at)
            .fetch_one(&mut *conn)
            .await?
        });
        credit_win(tx, id, battle_type, winner, at).await?;
        Ok(id)
    })
}
