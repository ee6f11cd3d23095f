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

pub mod bench;
mod seed;
mod tick;

pub use seed::seed_due_sessions;
use tick::next_run;
pub use tick::{Batch, Disabled, PetShare, Run, TickRules, process_due, process_due_in};

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
/// `"g:<gem>:<rarity>:<power>"`, `"k:<crate>"`, `"w:<weapon>:<rarity>:<attack>:<crit>:<slots>"`.
pub fn loot_codes(loot: &[Loot]) -> String {
    let codes: Vec<String> = loot
        .iter()
        .map(|l| match l {
            Loot::Creature(c) => format!("c:{}:{}", c.id, c.rarity.as_str()),
            Loot::Gem(g) => format!("g:{}:{}:{}", g.gem_type, g.rarity.as_str(), g.power),
            Loot::Crate { id } => format!("k:{id}"),
            Loot::Pet(c) => format!("p:{}:{}", c.id, c.rarity.as_str()),
            Loot::Weapon(w) => format!(
                "w:{}:{}:{}:{}:{}",
                w.weapon_type,
                w.rarity.as_str(),
                w.base.attack,
                w.base.crit,
                w.base.slots
            ),
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
                ["p", id, r] => Some(Loot::Pet(CreatureDrop {
                    id: (*id).to_string(),
                    rarity: Rarity::from_name(r)?,
                })),
                ["k", id] => Some(Loot::Crate {
                    id: (*id).to_string(),
                }),
                ["w", t, r, a, c, s] => Some(Loot::Weapon(chronix_core::weapons::WeaponDrop {
                    weapon_type: (*t).to_string(),
                    rarity: Rarity::from_name(r)?,
                    base: chronix_core::weapons::WeaponBase {
                        attack: a.parse().ok()?,
                        crit: c.parse().ok()?,
                        slots: s.parse().ok()?,
                    },
                })),
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
