//! Autohunt sessions (spec §VII): one row per player in `autohunt_sessions`, run by ONE scheduler
//! loop for everybody.
//!
//! [`process_due`] is one scheduler batch, in ONE transaction:
//!
//! 1. claim up to `limit` enabled sessions with `next_run_at <= now`
//!    (`FOR UPDATE SKIP LOCKED` on Postgres, so several bot processes sharing a database never
//!    run a session twice: a session claimed by another worker is skipped, one it already
//!    committed is no longer due);
//! 2. lock their users through the ledger ([`economy::lock_batch`]: `WHERE id = ANY($1) ORDER
//!    BY id FOR UPDATE` on Postgres), reading wallets and XP under the lock;
//! 3. compute every run in Rust with `chronix_core::autohunt::tick_outcome` (cost from the
//!    session level and thrift, loot rolled with the caller's RNG, a CSPRNG in production);
//!    a player who cannot pay has the session disabled (`disabled_reason = 'insufficient_funds'`)
//!    and is reported in [`Batch::disabled`] so the bot can DM them;
//!    Autohunt rolls do not count in `hunt_stats` (manual hunts only); the session keeps its own
//!    totals.
//! 4. move the Chrons through the ledger module: [`economy::apply_batch_locked`] on Postgres
//!    (on the players locked in step 2; balances, global XP and ledger rows set-based, one
//!    `users` update per batch), [`economy::apply`] per run on SQLite; then write the rest
//!    set-based on Postgres (`UPDATE … FROM UNNEST(…)` for sessions, multi-row `INSERT … SELECT FROM UNNEST(…)` for loot and stats,
//!    `ON CONFLICT` upserts for item stacks); row by row on SQLite (same transaction);
//! 5. commit. A crash anywhere before the commit loses the whole batch and charges nobody:
//!    a session's `next_run_at` advances in the same transaction as its debit.
//!
//! Ledger: one row per run with the **net** change (`loot − cost`, kind `"autohunt"`, reason
//! `"autohunt run: -<cost> cost, +<loot> loot"`, `balance_after`). A run whose loot exactly pays
//! its cost changes no balance and writes no ledger row (the ledger refuses zero changes).
//!
//! The live embed's data lives in the row too: `last_loot` (loot codes, see [`loot_codes`]),
//! `last_xp`/`last_earned`/`last_essence`, the current cycle (`cycle_*`, reset by [`enable`])
//! and the lifetime totals.

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};

use chronix_core::autohunt::{
    self as rules_mod, AutohuntError, AutohuntRules, AutohuntSession, TickOutcome, Trait,
    TraitLevels, Upgrade,
};
use chronix_core::items::{CreatureDrop, GemDrop, Loot};
use chronix_core::tables::{Rarity, Tables};
use chronix_core::xp::XpCurve;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sqlx::types::Json;

use crate::economy::{self, Memo};
use crate::hunt;
use crate::{Missing, Refusal, Result, Storage, StorageError, Tx, TxInner, inventory, users};

/// `disabled_reason` when the scheduler disabled a session that could not pay.
pub const INSUFFICIENT_FUNDS: &str = "insufficient_funds";

/// The stored trait levels (JSON column); `Traits::default()` is all zero.
pub type Traits = Json<TraitLevels>;

/// A row of `autohunt_sessions`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Session {
    /// The hunter.
    #[sqlx(try_from = "i64")]
    pub user_id: UserId,
    /// Whether the scheduler runs it.
    pub enabled: bool,
    /// Last completed run.
    pub last_run: Option<DateTime<Utc>>,
    /// When the next run is due (while enabled).
    pub next_run_at: Option<DateTime<Utc>>,
    /// Unspent essence.
    pub essence: i64,
    /// Session level (drives cost and reward bonus).
    pub level: i32,
    /// Chrons per run (the last run's cost, or the expected one).
    #[sqlx(try_from = "i64")]
    pub cost: Chrons,
    /// Channel of the live embed.
    live_channel_id: Option<i64>,
    /// Message id of the live embed (edited in place).
    live_message_id: Option<i64>,
    /// Runs so far.
    pub total_runs: i64,
    /// Chrons spent so far.
    #[sqlx(try_from = "i64")]
    pub total_spent: Chrons,
    /// Chrons earned so far.
    #[sqlx(try_from = "i64")]
    pub total_earned: Chrons,
    /// Trait levels.
    pub traits: Traits,
    /// Runs in the current cycle (since the last enable).
    pub cycle_runs: i64,
    /// Chrons spent in the current cycle.
    #[sqlx(try_from = "i64")]
    pub cycle_spent: Chrons,
    /// Chrons earned in the current cycle.
    #[sqlx(try_from = "i64")]
    pub cycle_earned: Chrons,
    /// Essence earned so far (lifetime).
    pub total_essence: i64,
    /// XP of the last run.
    pub last_xp: i64,
    /// Chrons earned by the last run.
    #[sqlx(try_from = "i64")]
    pub last_earned: Chrons,
    /// Essence earned by the last run.
    pub last_essence: i64,
    /// Loot of the last run ([`loot_codes`] JSON).
    pub last_loot: String,
    /// Why the scheduler disabled the session ([`INSUFFICIENT_FUNDS`]), if it did.
    pub disabled_reason: Option<String>,
    /// Server the session was started in (`None`: a direct message); see [`sync_pauses`].
    live_guild_id: Option<i64>,
    /// Set while the session is paused because its server disabled the module ([`sync_pauses`]).
    pub paused_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Session {
    /// Channel of the live status message, if any.
    pub fn live_channel(&self) -> Option<ChannelId> {
        self.live_channel_id.map(ChannelId::from_db)
    }

    /// The live status message, if posted.
    pub fn live_message(&self) -> Option<MessageId> {
        self.live_message_id.map(MessageId::from_db)
    }

    /// The server the session was started in (`None`: started in a direct message).
    pub fn live_guild(&self) -> Option<GuildId> {
        self.live_guild_id.map(GuildId::from_db)
    }

    /// The part core's rules need.
    pub fn core(&self) -> AutohuntSession {
        AutohuntSession {
            level: u32::try_from(self.level).unwrap_or(1).max(1),
            essence: self.essence,
            traits: self.traits.0,
        }
    }

    /// The loot of the last run.
    pub fn last_loot(&self) -> Vec<Loot> {
        parse_loot_codes(&self.last_loot)
    }
}

const COLUMNS: &str = "user_id, enabled, last_run, next_run_at, essence, level, cost, \
     live_channel_id, live_message_id, total_runs, total_spent, total_earned, traits, \
     cycle_runs, cycle_spent, cycle_earned, total_essence, last_xp, last_earned, last_essence, \
     last_loot, disabled_reason, live_guild_id, paused_at, created_at, updated_at";

/// Encodes loot as a JSON array of short codes: `"c:<creature>:<rarity>"`,
/// `"g:<gem>:<rarity>:<power>"`, `"k:<crate>"`.
pub fn loot_codes(loot: &[Loot]) -> String {
    let codes: Vec<String> = loot
        .iter()
        .map(|l| match l {
            Loot::Creature(c) => format!("c:{}:{}", c.id, c.rarity.as_str()),
            Loot::Gem(g) => format!("g:{}:{}:{}", g.gem_type, g.rarity.as_str(), g.power),
            Loot::Crate { id } => format!("k:{id}"),
        })
        .collect();
    serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into())
}

/// Decodes [`loot_codes`] (unknown codes are skipped).
pub fn parse_loot_codes(s: &str) -> Vec<Loot> {
    let codes: Vec<String> = serde_json::from_str(s).unwrap_or_default();
    codes
        .iter()
        .filter_map(|c| {
            let parts: Vec<&str> = c.split(':').collect();
            match parts.as_slice() {
                ["c", id, r] => Some(Loot::Creature(CreatureDrop {
                    id: (*id).to_string(),
                    rarity: Rarity::from_name(r)?,
                })),
                ["g", t, r, p] => Some(Loot::Gem(GemDrop {
                    gem_type: (*t).to_string(),
                    rarity: Rarity::from_name(r)?,
                    power: p.parse().ok()?,
                })),
                ["k", id] => Some(Loot::Crate {
                    id: (*id).to_string(),
                }),
                _ => None,
            }
        })
        .collect()
}

/// The player's session, if any.
pub async fn get(storage: &Storage, user_id: UserId) -> Result<Option<Session>> {
    let sql = format!("SELECT {COLUMNS} FROM autohunt_sessions WHERE user_id = $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Session>(&sql)
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?)
    })
}

async fn fetch_in(tx: &mut Tx, user_id: i64, lock: bool) -> Result<Option<Session>> {
    tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {COLUMNS} FROM autohunt_sessions WHERE user_id = $1{}",
            if lock { d.for_update() } else { "" }
        );
        Ok(sqlx::query_as::<_, Session>(&sql)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// Enables the player's session (creating it when missing), first run due one interval after
/// `now` (so the live message can be posted and saved before the first run), and starts a new
/// cycle (cycle counters reset, `disabled_reason` cleared). The session level follows the
/// player's global level (at least 1) and `cost` is set to the cost of the next run. When
/// `live_channel_id` differs from the stored one, the stored live message is forgotten (the
/// caller posts a new one and saves it with [`set_live_message`]). With a live channel, the
/// session's server becomes `live_guild_id` (`None` for a direct message) and a pause is
/// lifted, unless that server's sessions are paused ([`sync_pauses`]): then it starts paused.
pub async fn enable(
    storage: &Storage,
    user_id: UserId,
    live_channel_id: Option<ChannelId>,
    live_guild_id: Option<GuildId>,
    rules: &AutohuntRules,
    now: DateTime<Utc>,
) -> Result<Session> {
    transaction!(storage, |tx| {
        let user = users::get_or_create_in(tx, user_id).await?;
        let level = user.global_level.max(1);
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO autohunt_sessions (user_id, level, created_at, updated_at) \
                 VALUES ($1, $2, $3, $3) ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user_id.to_db())
            .bind(level)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        let current = fetch_in(tx, user_id.to_db(), true)
            .await?
            .ok_or_else(|| StorageError::NotFound(Missing::AutohuntSession(user_id)))?;
        let mut next = current.core();
        next.level = u32::try_from(level).unwrap_or(1);
        let cost = rules_mod::tick_cost(&next, rules);
        let first_run = next_run(&next, rules, now)?;
        let live_channel_id = live_channel_id.map(ChannelId::to_db);
        let keep_message = live_channel_id.is_none() || live_channel_id == current.live_channel_id;
        let sql = format!(
            "UPDATE autohunt_sessions SET enabled = TRUE, next_run_at = $7, level = $2, \
             cost = $3, cycle_runs = 0, cycle_spent = 0, cycle_earned = 0, \
             disabled_reason = NULL, live_channel_id = $4, live_message_id = $5, updated_at = $1, \
             live_guild_id = $8, paused_at = CASE WHEN $8 IN \
             (SELECT guild_id FROM autohunt_paused_guilds) THEN $1 ELSE NULL END \
             WHERE user_id = $6 RETURNING {COLUMNS}"
        );
        tx_run!(tx, |conn| {
            Ok(sqlx::query_as::<_, Session>(&sql)
                .bind(now)
                .bind(level)
                .bind(cost.get())
                .bind(live_channel_id.or(current.live_channel_id))
                .bind(if keep_message {
                    current.live_message_id
                } else {
                    None
                })
                .bind(user_id.to_db())
                .bind(first_run)
                .bind(if live_channel_id.is_some() {
                    live_guild_id.map(GuildId::to_db)
                } else {
                    current.live_guild_id
                })
                .fetch_one(&mut *conn)
                .await?)
        })
    })
}

/// Disables the player's session. `None` when they have none.
pub async fn disable(
    storage: &Storage,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Option<Session>> {
    let sql = format!(
        "UPDATE autohunt_sessions SET enabled = FALSE, next_run_at = NULL, paused_at = NULL, \
         updated_at = $1 WHERE user_id = $2 RETURNING {COLUMNS}"
    );
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            Ok(sqlx::query_as::<_, Session>(&sql)
                .bind(now)
                .bind(user_id.to_db())
                .fetch_optional(&mut *conn)
                .await?)
        })
    })
}

/// Spends essence on one trait level (core's [`rules_mod::upgrade`]) with the session row
/// locked. Fails with [`StorageError::NotFound`] without a session; refused with
/// [`Refusal::Autohunt`] by the rule (not enough essence, max level).
pub async fn upgrade(
    storage: &Storage,
    user_id: UserId,
    t: Trait,
    rules: &AutohuntRules,
    now: DateTime<Utc>,
) -> Result<(Upgrade, Session)> {
    let sql = format!(
        "UPDATE autohunt_sessions SET essence = $1, traits = $2, cost = $3, updated_at = $4 \
         WHERE user_id = $5 RETURNING {COLUMNS}"
    );
    transaction!(storage, |tx| {
        let s = fetch_in(tx, user_id.to_db(), true)
            .await?
            .ok_or_else(|| StorageError::NotFound(Missing::AutohuntSession(user_id)))?;
        let up = match rules_mod::upgrade(&s.core(), t, rules) {
            Ok(u) => u,
            Err(e) => return Err(Refusal::Autohunt(e).into()),
        };
        let cost = rules_mod::tick_cost(&up.session, rules);
        let row = tx_run!(tx, |conn| {
            sqlx::query_as::<_, Session>(&sql)
                .bind(up.session.essence)
                .bind(Json(up.session.traits))
                .bind(cost.get())
                .bind(now)
                .bind(user_id.to_db())
                .fetch_one(&mut *conn)
                .await?
        });
        Ok((up, row))
    })
}

/// Stores where the live embed is (channel and message), or forgets it (`None`).
pub async fn set_live_message(
    storage: &Storage,
    user_id: UserId,
    live: Option<(ChannelId, MessageId)>,
    now: DateTime<Utc>,
) -> Result<()> {
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE autohunt_sessions SET live_channel_id = COALESCE($1, live_channel_id), \
                 live_message_id = $2, updated_at = $3 WHERE user_id = $4",
            )
            .bind(live.map(|l| l.0.to_db()))
            .bind(live.map(|l| l.1.to_db()))
            .bind(now)
            .bind(user_id.to_db())
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    })
}

/// Forgets the live message AND its channel (the channel was deleted or the bot can no longer
/// see it): nothing is posted for the session any more until `enable` gives it a new channel.
/// The session keeps running, and keeps its server for [`sync_pauses`].
pub async fn forget_live_channel(
    storage: &Storage,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE autohunt_sessions SET live_channel_id = NULL, live_message_id = NULL, \
                 updated_at = $1 WHERE user_id = $2",
            )
            .bind(now)
            .bind(user_id.to_db())
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    })
}

/// What [`sync_pauses`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PauseChanges {
    /// Sessions paused now (their server disabled the module): tell the players.
    pub paused: Vec<UserId>,
    /// Sessions running again (the module is back on, or the session moved or stopped).
    pub resumed: Vec<UserId>,
}

/// Pauses the enabled sessions whose server (`live_guild_id`) has `module` disabled in its
/// guild settings, and lifts the pause of sessions whose server no longer does (or that were
/// disabled or moved meanwhile). A paused session is not claimed by [`process_due`], so it is
/// neither run nor charged; it runs again at its next due time after the pause is lifted
/// (at most one run to catch up, never the missed ones). Each session is reported once per
/// pause: a session already paused is not reported again.
///
/// Cost per call (the scheduler calls it every tick): one look at `guild_settings` and one at
/// the paused sessions (partial index). `autohunt_paused_guilds` remembers the servers whose
/// sessions are paused, so the sessions are searched by server (a scan: no index on
/// `live_guild_id`, which every run would have to maintain) only when a server newly disabled
/// the module.
pub async fn sync_pauses(
    storage: &Storage,
    module: &str,
    now: DateTime<Utc>,
) -> Result<PauseChanges> {
    transaction!(storage, |tx| {
        let (paused, resumed): (Vec<i64>, Vec<i64>) = tx_run!(tx, |conn, d| {
            // The module is `$2` in the statements that also bind `now`, else `$1`.
            let disabled = crate::guild_settings::module_disabled_sql(d, "$2");
            let disabled_only = crate::guild_settings::module_disabled_sql(d, "$1");
            let newly = format!(
                "SELECT guild_id FROM guild_settings WHERE {disabled_only} \
                 AND guild_id NOT IN (SELECT guild_id FROM autohunt_paused_guilds) LIMIT 1"
            );
            let any_new: Option<(i64,)> = sqlx::query_as(&newly)
                .bind(module)
                .fetch_optional(&mut *conn)
                .await?;
            let paused: Vec<(i64,)> = if any_new.is_some() {
                let pause = format!(
                    "UPDATE autohunt_sessions SET paused_at = $1, updated_at = $1 \
                     WHERE enabled AND paused_at IS NULL AND live_guild_id IN \
                     (SELECT guild_id FROM guild_settings WHERE {disabled}) RETURNING user_id"
                );
                let paused = sqlx::query_as(&pause)
                    .bind(now)
                    .bind(module)
                    .fetch_all(&mut *conn)
                    .await?;
                sqlx::query(&format!(
                    "INSERT INTO autohunt_paused_guilds (guild_id, paused_at) \
                     SELECT guild_id, $1 FROM guild_settings WHERE {disabled} \
                     ON CONFLICT (guild_id) DO NOTHING"
                ))
                .bind(now)
                .bind(module)
                .execute(&mut *conn)
                .await?;
                paused
            } else {
                Vec::new()
            };
            sqlx::query(&format!(
                "DELETE FROM autohunt_paused_guilds WHERE guild_id NOT IN \
                 (SELECT guild_id FROM guild_settings WHERE {disabled_only})"
            ))
            .bind(module)
            .execute(&mut *conn)
            .await?;
            let resume = format!(
                "UPDATE autohunt_sessions SET paused_at = NULL, updated_at = $1 \
                 WHERE paused_at IS NOT NULL AND (NOT enabled OR live_guild_id IS NULL OR \
                 live_guild_id NOT IN (SELECT guild_id FROM guild_settings WHERE {disabled})) \
                 RETURNING user_id"
            );
            let resumed: Vec<(i64,)> = sqlx::query_as(&resume)
                .bind(now)
                .bind(module)
                .fetch_all(&mut *conn)
                .await?;
            (
                paused.into_iter().map(|r| r.0).collect(),
                resumed.into_iter().map(|r| r.0).collect(),
            )
        });
        let mut changes = PauseChanges {
            paused: paused.into_iter().map(UserId::from_db).collect(),
            resumed: resumed.into_iter().map(UserId::from_db).collect(),
        };
        changes.paused.sort();
        changes.resumed.sort();
        Ok(changes)
    })
}

/// Enabled sessions due at `now` (oldest due first), at most `limit`, without locking: the
/// candidates a batch would claim (for inspection and tests).
pub async fn due(storage: &Storage, now: DateTime<Utc>, limit: i64) -> Result<Vec<Session>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM autohunt_sessions WHERE enabled AND paused_at IS NULL \
         AND next_run_at <= $1 ORDER BY next_run_at, user_id LIMIT $2"
    );
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Session>(&sql)
            .bind(now)
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// The rules a batch runs with.
#[derive(Debug, Clone, Copy)]
pub struct TickRules<'a> {
    /// Autohunt costs, traits, intervals.
    pub rules: &'a AutohuntRules,
    /// Loot tables.
    pub tables: &'a Tables,
    /// XP curve for global levels.
    pub curve: &'a XpCurve,
}

/// One session's run in a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The session after the run.
    pub session: Session,
    /// What the run rolled (cost, loot, XP, Chrons, essence).
    pub outcome: TickOutcome,
    /// Wallet balance after the run.
    pub balance_after: Chrons,
}

/// A session the batch disabled because its player could not pay.
#[derive(Debug, Clone, PartialEq)]
pub struct Disabled {
    /// The session after it was disabled.
    pub session: Session,
    /// Cost of the run.
    pub cost: Chrons,
    /// The player's balance.
    pub balance: Chrons,
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Sessions that ran.
    pub runs: Vec<Run>,
    /// Sessions disabled for lack of Chrons.
    pub disabled: Vec<Disabled>,
}

impl Batch {
    /// Sessions claimed (ran or disabled).
    pub fn claimed(&self) -> usize {
        self.runs.len() + self.disabled.len()
    }
}

/// Claims and runs one batch of due sessions in its own transaction (see the module docs),
/// retried as a whole on transient errors (deadlock, busy). Returns what happened, after the
/// commit.
pub async fn process_due<R: Rng + Send>(
    storage: &Storage,
    now: DateTime<Utc>,
    limit: i64,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    transaction!(storage, |tx| process_due_in(tx, now, limit, ctx, &mut *rng)
        .await)
}

/// [`process_due`] inside the caller's transaction (nothing is visible to others before the
/// caller commits; dropping `tx` undoes the whole batch).
pub async fn process_due_in<R: Rng + Send>(
    tx: &mut Tx,
    now: DateTime<Utc>,
    limit: i64,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    let sessions: Vec<Session> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {COLUMNS} FROM autohunt_sessions WHERE enabled AND paused_at IS NULL \
             AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2{}",
            d.for_update_skip_locked()
        );
        sqlx::query_as::<_, Session>(&sql)
            .bind(now)
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?
    });
    if sessions.is_empty() {
        return Ok(Batch::default());
    }
    match tx.dialect() {
        crate::Dialect::Postgres => process_pg(tx, sessions, now, ctx, rng).await,
        crate::Dialect::Sqlite => process_rows(tx, sessions, now, ctx, rng).await,
    }
}

/// The session after a run (the same values the SQL writes).
fn after_run(
    s: &Session,
    o: &TickOutcome,
    ctx: &TickRules<'_>,
    now: DateTime<Utc>,
) -> Result<Session> {
    let add = |a: i64, b: i64| {
        a.checked_add(b)
            .ok_or(StorageError::Refused(Refusal::Overflow))
    };
    let core = o.apply(&s.core());
    let next_cost = rules_mod::tick_cost(&core, ctx.rules);
    Ok(Session {
        last_run: Some(now),
        next_run_at: Some(next_run(&core, ctx.rules, now)?),
        essence: core.essence,
        cost: next_cost,
        total_runs: add(s.total_runs, 1)?,
        total_spent: Chrons::new(add(s.total_spent.get(), o.cost.get())?),
        total_earned: Chrons::new(add(s.total_earned.get(), o.chrons_earned.get())?),
        cycle_runs: add(s.cycle_runs, 1)?,
        cycle_spent: Chrons::new(add(s.cycle_spent.get(), o.cost.get())?),
        cycle_earned: Chrons::new(add(s.cycle_earned.get(), o.chrons_earned.get())?),
        total_essence: add(s.total_essence, o.essence_gained)?,
        last_xp: o.xp,
        last_earned: o.chrons_earned,
        last_essence: o.essence_gained,
        last_loot: loot_codes(&o.loot),
        updated_at: now,
        ..s.clone()
    })
}

fn next_run(
    core: &AutohuntSession,
    rules: &AutohuntRules,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let interval: Duration = rules_mod::tick_interval(core, rules);
    now.checked_add_signed(interval)
        .ok_or(StorageError::Refused(Refusal::Overflow))
}

fn run_memo(o: &TickOutcome, now: DateTime<Utc>) -> Memo {
    Memo::new(run_reason(o)).kind("autohunt").at(now)
}

fn run_reason(o: &TickOutcome) -> String {
    format!("autohunt run: -{} cost, +{} loot", o.cost, o.chrons_earned)
}

fn disabled_session(s: &Session, cost: i64, now: DateTime<Utc>) -> Session {
    Session {
        enabled: false,
        next_run_at: None,
        cost: Chrons::new(cost),
        disabled_reason: Some(INSUFFICIENT_FUNDS.to_string()),
        updated_at: now,
        ..s.clone()
    }
}

/// SQLite: the same effects, row by row, in the caller's transaction.
async fn process_rows<R: Rng + Send>(
    tx: &mut Tx,
    sessions: Vec<Session>,
    now: DateTime<Utc>,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    let mut batch = Batch::default();
    for s in sessions {
        let balance = users::lock(tx, s.user_id).await?;
        match rules_mod::tick_outcome(&s.core(), Chrons::new(balance), ctx.rules, ctx.tables, rng) {
            Err(AutohuntError::InsufficientChrons { cost, balance }) => {
                let after = disabled_session(&s, cost.get(), now);
                write_disabled_row(tx, &after).await?;
                batch.disabled.push(Disabled {
                    session: after,
                    cost,
                    balance,
                });
            }
            Err(e) => return Err(StorageError::Conflict(e.to_string())),
            Ok(o) => {
                let after = after_run(&s, &o, &ctx, now)?;
                let net = o.net_chrons();
                let balance_after = if net != 0 {
                    economy::apply(tx, s.user_id, net, &run_memo(&o, now))
                        .await?
                        .balance_after()
                } else {
                    Chrons::new(balance)
                };
                inventory::grant_loot(tx, s.user_id, &o.loot, now).await?;
                hunt::add_global_xp(tx, s.user_id, o.xp, ctx.curve, now).await?;
                write_run_row(tx, &after).await?;
                batch.runs.push(Run {
                    session: after,
                    outcome: o,
                    balance_after,
                });
            }
        }
    }
    Ok(batch)
}

async fn write_disabled_row(tx: &mut Tx, s: &Session) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE autohunt_sessions SET enabled = FALSE, next_run_at = NULL, cost = $1, \
             disabled_reason = $2, updated_at = $3 WHERE user_id = $4",
        )
        .bind(s.cost.get())
        .bind(&s.disabled_reason)
        .bind(s.updated_at)
        .bind(s.user_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

async fn write_run_row(tx: &mut Tx, s: &Session) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE autohunt_sessions SET last_run = $1, next_run_at = $2, essence = $3, \
             cost = $4, total_runs = $5, total_spent = $6, total_earned = $7, cycle_runs = $8, \
             cycle_spent = $9, cycle_earned = $10, total_essence = $11, last_xp = $12, \
             last_earned = $13, last_essence = $14, last_loot = $15, updated_at = $1 \
             WHERE user_id = $16",
        )
        .bind(s.last_run)
        .bind(s.next_run_at)
        .bind(s.essence)
        .bind(s.cost.get())
        .bind(s.total_runs)
        .bind(s.total_spent.get())
        .bind(s.total_earned.get())
        .bind(s.cycle_runs)
        .bind(s.cycle_spent.get())
        .bind(s.cycle_earned.get())
        .bind(s.total_essence)
        .bind(s.last_xp)
        .bind(s.last_earned.get())
        .bind(s.last_essence)
        .bind(&s.last_loot)
        .bind(s.user_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Postgres: set-based writes for the whole batch.
async fn process_pg<R: Rng + Send>(
    tx: &mut Tx,
    sessions: Vec<Session>,
    now: DateTime<Utc>,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    // Lock the players once, through the ledger (id order, deadlock-free against transfers);
    // the same lock serves the ledger batch below.
    let ids: Vec<UserId> = sessions.iter().map(|s| s.user_id).collect();
    let locked = economy::lock_batch(tx, &ids).await?;

    let mut batch = Batch::default();
    // Columns for the set-based statements.
    let (mut u_id, mut u_xp, mut u_lvl) = (vec![], vec![], vec![]);
    // Ledger changes, and the index in `batch.runs` of each.
    let (mut changes, mut change_run) = (vec![], vec![]);
    let mut loot: Vec<(UserId, Loot)> = Vec::new();
    let mut runs_after: Vec<Session> = Vec::new();
    let mut disabled_after: Vec<Session> = Vec::new();

    for s in sessions {
        // A session whose user row vanished cannot exist (FK); treat as zero balance.
        let (balance, xp) = (
            locked.balance(s.user_id).map_or(0, Chrons::get),
            locked.global_xp(s.user_id).unwrap_or(0),
        );
        match rules_mod::tick_outcome(&s.core(), Chrons::new(balance), ctx.rules, ctx.tables, rng) {
            Err(AutohuntError::InsufficientChrons { cost, balance }) => {
                let after = disabled_session(&s, cost.get(), now);
                disabled_after.push(after.clone());
                batch.disabled.push(Disabled {
                    session: after,
                    cost,
                    balance,
                });
            }
            Err(e) => return Err(StorageError::Conflict(e.to_string())),
            Ok(o) => {
                let after = after_run(&s, &o, &ctx, now)?;
                let net = o.net_chrons();
                let new_xp = xp
                    .checked_add(o.xp)
                    .ok_or(StorageError::Refused(Refusal::Overflow))?;
                u_id.push(s.user_id);
                u_xp.push(new_xp);
                u_lvl.push(
                    i32::try_from(ctx.curve.level_for_xp(new_xp))
                        .map_err(|_| StorageError::Refused(Refusal::Overflow))?,
                );
                if net != 0 {
                    changes.push(economy::Change::new(s.user_id, net, run_memo(&o, now)));
                    change_run.push(batch.runs.len());
                }
                loot.extend(o.loot.iter().map(|l| (s.user_id, l.clone())));
                runs_after.push(after.clone());
                // A run that changes no balance leaves it as it was; the others get the
                // ledger's `balance_after` below.
                batch.runs.push(Run {
                    session: after,
                    outcome: o,
                    balance_after: Chrons::new(balance),
                });
            }
        }
    }

    // Every Chron moves through the ledger module (debits refused below zero, one ledger row
    // with `balance_after` per run); a refusal fails the whole batch, which charges nobody.
    // XP rides in the same `users` write.
    let xp = economy::XpUpdates {
        user_ids: u_id,
        global_xp: u_xp,
        global_level: u_lvl,
        at: Some(now),
    };
    let applied = economy::apply_batch_locked(tx, locked, &changes, &xp).await?;
    for (a, &run) in applied.iter().zip(&change_run) {
        batch.runs[run].balance_after = a.balance_after();
    }
    let TxInner::Pg(t) = tx.inner_mut() else {
        return Err(StorageError::Config(
            "process_pg on a non-Postgres transaction".into(),
        ));
    };
    let conn: &mut sqlx::PgConnection = t;
    if !runs_after.is_empty() {
        let col = |f: fn(&Session) -> i64| runs_after.iter().map(f).collect::<Vec<i64>>();
        let next: Vec<DateTime<Utc>> = runs_after
            .iter()
            .map(|s| s.next_run_at.unwrap_or(now))
            .collect();
        let loot_json: Vec<&str> = runs_after.iter().map(|s| s.last_loot.as_str()).collect();
        sqlx::query(
            "UPDATE autohunt_sessions AS s SET last_run = $1, next_run_at = v.next, \
             essence = v.essence, cost = v.cost, total_runs = v.runs, total_spent = v.spent, \
             total_earned = v.earned, cycle_runs = v.c_runs, cycle_spent = v.c_spent, \
             cycle_earned = v.c_earned, total_essence = v.t_ess, last_xp = v.l_xp, \
             last_earned = v.l_earned, last_essence = v.l_ess, last_loot = v.l_loot, updated_at = $1 \
             FROM UNNEST($2::BIGINT[], $3::TIMESTAMPTZ[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], \
                         $7::BIGINT[], $8::BIGINT[], $9::BIGINT[], $10::BIGINT[], $11::BIGINT[], \
                         $12::BIGINT[], $13::BIGINT[], $14::BIGINT[], $15::BIGINT[], $16::TEXT[]) \
               AS v(user_id, next, essence, cost, runs, spent, earned, c_runs, c_spent, c_earned, \
                    t_ess, l_xp, l_earned, l_ess, l_loot) \
             WHERE s.user_id = v.user_id",
        )
        .bind(now)
        .bind(col(|s| s.user_id.to_db()))
        .bind(&next)
        .bind(col(|s| s.essence))
        .bind(col(|s| s.cost.get()))
        .bind(col(|s| s.total_runs))
        .bind(col(|s| s.total_spent.get()))
        .bind(col(|s| s.total_earned.get()))
        .bind(col(|s| s.cycle_runs))
        .bind(col(|s| s.cycle_spent.get()))
        .bind(col(|s| s.cycle_earned.get()))
        .bind(col(|s| s.total_essence))
        .bind(col(|s| s.last_xp))
        .bind(col(|s| s.last_earned.get()))
        .bind(col(|s| s.last_essence))
        .bind(&loot_json)
        .execute(&mut *conn)
        .await?;
    }
    if !disabled_after.is_empty() {
        let ids: Vec<i64> = disabled_after.iter().map(|s| s.user_id.to_db()).collect();
        let costs: Vec<i64> = disabled_after.iter().map(|s| s.cost.get()).collect();
        sqlx::query(
            "UPDATE autohunt_sessions AS s SET enabled = FALSE, next_run_at = NULL, cost = v.cost, \
             disabled_reason = $3, updated_at = $4 \
             FROM UNNEST($1::BIGINT[], $2::BIGINT[]) AS v(user_id, cost) WHERE s.user_id = v.user_id",
        )
        .bind(&ids)
        .bind(&costs)
        .bind(INSUFFICIENT_FUNDS)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    // Loot last: its upserts touch the most rows.
    inventory::grant_loot_batch(tx, &loot, now).await?;
    Ok(batch)
}

/// Seeds `n` players with ids `first_id..first_id + n`, each with `balance` Chrons (and the
/// matching seed ledger row) and an enabled level-1 session due at `due_at`, started on one of
/// 100 servers (`live_guild_id` 1000–1099, as sessions started in a server are), in one
/// transaction. For benchmarks and load tests; refuses ids that already exist (unique
/// violation).
pub async fn seed_due_sessions(
    storage: &Storage,
    first_id: i64,
    n: i64,
    balance: i64,
    due_at: DateTime<Utc>,
) -> Result<()> {
    if n <= 0 {
        return Ok(());
    }
    if balance <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(balance)));
    }
    let last = first_id
        .checked_add(n - 1)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    const SERIES: &str = "WITH RECURSIVE g(x) AS (SELECT CAST($1 AS BIGINT) UNION ALL SELECT x + 1 FROM g WHERE x < $2)";
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            sqlx::query(&format!(
                "{SERIES} INSERT INTO users (id, chrons, created_at, updated_at) \
                 SELECT x, $3, $4, $4 FROM g"
            ))
            .bind(first_id)
            .bind(last)
            .bind(balance)
            .bind(due_at)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "{SERIES} INSERT INTO transactions (user_id, change, balance_after, reason, kind, \
                 created_at) SELECT x, $3, $3, 'seed', 'seed', $4 FROM g"
            ))
            .bind(first_id)
            .bind(last)
            .bind(balance)
            .bind(due_at)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "{SERIES} INSERT INTO autohunt_sessions (user_id, enabled, next_run_at, level, \
                 cost, live_guild_id, created_at, updated_at) \
                 SELECT x, TRUE, $3, 1, 0, 1000 + x % 100, $3, $3 FROM g"
            ))
            .bind(first_id)
            .bind(last)
            .bind(due_at)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    })?;
    // A live database has planner statistics (autovacuum keeps them); freshly bulk-loaded
    // tables have none, and without them Postgres claims the first batches with a bitmap scan
    // and a sort of every due session (100 ms each at 100,000 sessions) instead of walking the
    // due index.
    conn_run!(storage, |conn| {
        sqlx::query("ANALYZE users").execute(&mut *conn).await?;
        sqlx::query("ANALYZE autohunt_sessions")
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Benchmark support (`chronix bench autohunt`): a scratch database (a fresh Postgres database
/// on a given server, or a fresh SQLite file in a temporary directory), dropped afterwards.
pub mod bench {
    use std::path::PathBuf;
    use std::str::FromStr;

    use sqlx::postgres::PgConnectOptions;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection, Executor};

    use crate::{Result, Storage, StorageError};

    /// A scratch database created by [`create_scratch_postgres`] or [`create_scratch_sqlite`];
    /// call [`ScratchDb::drop_database`] when done.
    pub struct ScratchDb {
        /// The (migrated) storage on the scratch database.
        pub storage: Storage,
        place: Place,
        /// The database name (Postgres) or file path (SQLite).
        pub name: String,
    }

    enum Place {
        Postgres(Box<PgConnectOptions>),
        Sqlite(PathBuf),
    }

    fn unique_name(prefix: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() % 1_000_000_000_000)
            .unwrap_or_default();
        format!("{prefix}_{}_{nanos}", std::process::id())
    }

    /// Creates a new, uniquely named database on the server of `admin_url` (a Postgres URL
    /// whose user may `CREATE DATABASE`), connects with `max_connections` and migrates it.
    pub async fn create_scratch_postgres(
        admin_url: &str,
        max_connections: u32,
    ) -> Result<ScratchDb> {
        if !(admin_url.starts_with("postgres://") || admin_url.starts_with("postgresql://")) {
            return Err(StorageError::Config(format!(
                "the benchmark needs a Postgres URL, got {}",
                crate::redact_url(admin_url)
            )));
        }
        let admin = PgConnectOptions::from_str(admin_url)?.disable_statement_logging();
        let name = unique_name("chronix_bench");
        let mut conn = sqlx::PgConnection::connect_with(&admin).await?;
        conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await?;
        conn.close().await?;
        let storage =
            Storage::connect_postgres(admin.clone().database(&name), max_connections).await?;
        storage.migrate().await?;
        Ok(ScratchDb {
            storage,
            place: Place::Postgres(Box::new(admin)),
            name,
        })
    }

    /// Creates a new SQLite database file (WAL, as the bot runs it) in a fresh directory under
    /// the system temporary directory, connects with `max_connections` and migrates it.
    pub async fn create_scratch_sqlite(max_connections: u32) -> Result<ScratchDb> {
        let dir = std::env::temp_dir().join(unique_name("chronix-bench"));
        let file = dir.join("chronix.db");
        let opts = SqliteConnectOptions::new()
            .filename(&file)
            .disable_statement_logging();
        let storage = Storage::connect_sqlite(opts, max_connections).await?;
        storage.migrate().await?;
        Ok(ScratchDb {
            storage,
            name: file.display().to_string(),
            place: Place::Sqlite(dir),
        })
    }

    impl ScratchDb {
        /// Closes the pool and drops the database (Postgres) or deletes its directory (SQLite).
        pub async fn drop_database(self) -> Result<()> {
            self.storage.close().await;
            match self.place {
                Place::Postgres(admin) => {
                    let mut conn = sqlx::PgConnection::connect_with(&admin).await?;
                    conn.execute(
                        format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name).as_str(),
                    )
                    .await?;
                    conn.close().await?;
                }
                Place::Sqlite(dir) => std::fs::remove_dir_all(&dir).map_err(|e| {
                    StorageError::Config(format!("cannot remove {}: {e}", dir.display()))
                })?,
            }
            Ok(())
        }
    }
}

/// An active pet, as the live embed shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivePet {
    /// Creature id.
    pub pet_type: String,
    /// Name.
    pub name: String,
    /// Stamina (0–100).
    pub stamina: i32,
}

/// The player's active pets (at most 5), for the live embed.
pub async fn active_pets(storage: &Storage, user_id: UserId) -> Result<Vec<ActivePet>> {
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, ActivePet>(
            "SELECT pet_type, name, stamina FROM pets WHERE owner_id = $1 AND active \
             ORDER BY id LIMIT 5",
        )
        .bind(user_id.to_db())
        .fetch_all(&mut *conn)
        .await?)
    })
}
