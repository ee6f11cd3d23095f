//! Giveaways: the giveaway row (`giveaways`, validated by [`StartSpec::validate`] before it is
//! written), entries (`giveaway_entries`), winners by round (`giveaway_winners`) and who may
//! run them (`giveaway_settings`).
//!
//! [`end`] is exactly once: one conditional `UPDATE … SET status = 'ended' WHERE status =
//! 'open'` in the transaction that reads the entrants, draws (with the caller's draw function:
//! the RNG stays in the bot) and stores the winners. Of two workers (the scheduler's end job
//! and a manager's `giveaway end`, or two bot processes) exactly one draws; the other is
//! refused with [`GiveawayRefusal::AlreadyEnded`]. [`reroll`] draws again among the entrants
//! who never won, as a new round.

use chronix_core::giveaways::{Requirements, SpecError, StartSpec};
use chronix_core::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx};

/// A giveaway's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GiveawayId(i64);

impl GiveawayId {
    /// From its button or job form.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for GiveawayId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a giveaway is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveawayStatus {
    /// Taking entries.
    Open,
    /// Winners drawn.
    Ended,
    /// Called off (no winners).
    Cancelled,
}

impl GiveawayStatus {
    fn parse(s: &str) -> Self {
        match s {
            "open" => GiveawayStatus::Open,
            "ended" => GiveawayStatus::Ended,
            _ => GiveawayStatus::Cancelled,
        }
    }
}

/// A stored giveaway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Giveaway {
    /// Id.
    pub id: GiveawayId,
    /// Its server.
    pub guild: GuildId,
    /// The channel of its panel.
    pub channel: ChannelId,
    /// Its panel message (set once posted).
    pub message: Option<MessageId>,
    /// Who started it.
    pub host: UserId,
    /// The prize.
    pub prize: String,
    /// How many winners the first draw picks.
    pub winners: u32,
    /// Entry requirements.
    pub requirements: Requirements,
    /// When entries close.
    pub ends_at: DateTime<Utc>,
    /// Open, ended or cancelled.
    pub status: GiveawayStatus,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it ended or was cancelled.
    pub ended_at: Option<DateTime<Utc>>,
}

/// Why a giveaway action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GiveawayRefusal {
    /// The options are invalid.
    #[error(transparent)]
    Invalid(#[from] SpecError),
    /// No such giveaway in this server.
    #[error("no such giveaway")]
    NotFound,
    /// It has ended already.
    #[error("this giveaway has ended")]
    AlreadyEnded,
    /// It was cancelled.
    #[error("this giveaway was cancelled")]
    Cancelled,
    /// A reroll of a giveaway that is still open.
    #[error("this giveaway has not ended yet")]
    NotEnded,
}

fn refused(r: GiveawayRefusal) -> StorageError {
    StorageError::Refused(Refusal::Giveaway(r))
}

type Row = (
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
    String,
    i32,
    String,
    DateTime<Utc>,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

const COLUMNS: &str = "id, guild_id, channel_id, message_id, host_id, prize, winners, \
                       requirements, ends_at, status, created_at, ended_at";

fn from_row(r: Row) -> Result<Giveaway> {
    let requirements = serde_json::from_str(&r.7)
        .map_err(|e| StorageError::Corrupt(format!("giveaway {} requirements: {e}", r.0)))?;
    Ok(Giveaway {
        id: GiveawayId(r.0),
        guild: GuildId::from_db(r.1),
        channel: ChannelId::from_db(r.2),
        message: r.3.map(MessageId::from_db),
        host: UserId::from_db(r.4),
        prize: r.5,
        winners: u32::try_from(r.6).unwrap_or(1),
        requirements,
        ends_at: r.8,
        status: GiveawayStatus::parse(&r.9),
        created_at: r.10,
        ended_at: r.11,
    })
}

/// Starts a giveaway (its panel is posted afterwards: [`set_message`]); invalid options are
/// refused with [`GiveawayRefusal::Invalid`].
pub async fn create(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
    host: UserId,
    spec: &StartSpec,
    now: DateTime<Utc>,
) -> Result<Giveaway> {
    spec.validate()
        .map_err(|e| refused(GiveawayRefusal::Invalid(e)))?;
    let req = serde_json::to_string(&spec.requirements)
        .map_err(|e| StorageError::Corrupt(format!("giveaway requirements: {e}")))?;
    let winners = i32::try_from(spec.winners).unwrap_or(i32::MAX);
    let sql = format!(
        "INSERT INTO giveaways (guild_id, channel_id, host_id, prize, winners, requirements, \
         ends_at, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) \
         RETURNING {COLUMNS}"
    );
    let row: Row = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(channel.to_db())
            .bind(host.to_db())
            .bind(spec.prize.trim())
            .bind(winners)
            .bind(&req)
            .bind(now + spec.duration)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
    });
    from_row(row)
}

/// Records the panel message.
pub async fn set_message(storage: &Storage, id: GiveawayId, message: MessageId) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE giveaways SET message_id = $1 WHERE id = $2")
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A giveaway by id.
pub async fn get(storage: &Storage, id: GiveawayId) -> Result<Option<Giveaway>> {
    let sql = format!("SELECT {COLUMNS} FROM giveaways WHERE id = $1");
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(from_row).transpose()
}

/// A giveaway of `guild` by id (`NotFound` refusal for another server's).
pub async fn get_in(storage: &Storage, guild: GuildId, id: GiveawayId) -> Result<Giveaway> {
    match get(storage, id).await? {
        Some(g) if g.guild == guild => Ok(g),
        _ => Err(refused(GiveawayRefusal::NotFound)),
    }
}

/// The server's open giveaways (soonest end first) and its last `recent` ended or cancelled
/// ones (newest first).
pub async fn list(storage: &Storage, guild: GuildId, recent: i64) -> Result<Vec<Giveaway>> {
    let open_sql = format!(
        "SELECT {COLUMNS} FROM giveaways WHERE guild_id = $1 AND status = 'open' \
         ORDER BY ends_at, id"
    );
    let done_sql = format!(
        "SELECT {COLUMNS} FROM giveaways WHERE guild_id = $1 AND status <> 'open' \
         ORDER BY id DESC LIMIT $2"
    );
    let (open, done): (Vec<Row>, Vec<Row>) = conn_run!(storage, |conn| {
        let open = sqlx::query_as(&open_sql)
            .bind(guild.to_db())
            .fetch_all(&mut *conn)
            .await?;
        let done = sqlx::query_as(&done_sql)
            .bind(guild.to_db())
            .bind(recent)
            .fetch_all(&mut *conn)
            .await?;
        (open, done)
    });
    open.into_iter().chain(done).map(from_row).collect()
}

async fn status_refusal(storage: &Storage, id: GiveawayId) -> Result<StorageError> {
    Ok(match get(storage, id).await? {
        None => refused(GiveawayRefusal::NotFound),
        Some(g) => match g.status {
            GiveawayStatus::Cancelled => refused(GiveawayRefusal::Cancelled),
            GiveawayStatus::Ended => refused(GiveawayRefusal::AlreadyEnded),
            GiveawayStatus::Open => refused(GiveawayRefusal::NotEnded),
        },
    })
}

/// Whether `user` has entered.
pub async fn is_entered(storage: &Storage, id: GiveawayId, user: UserId) -> Result<bool> {
    let n: i64 = conn_run!(storage, |conn| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM giveaway_entries WHERE giveaway_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.to_db())
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(n > 0)
}

/// How many members have entered.
pub async fn entry_count(storage: &Storage, id: GiveawayId) -> Result<i64> {
    let n: i64 = conn_run!(storage, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM giveaway_entries WHERE giveaway_id = $1")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n)
}

/// What [`toggle_entry`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggled {
    /// The member entered; the entry count now.
    Entered(i64),
    /// The member left; the entry count now.
    Left(i64),
}

async fn count_in(tx: &mut Tx, id: GiveawayId) -> Result<i64> {
    Ok(tx_run!(tx, |conn| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM giveaway_entries WHERE giveaway_id = $1")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?
    }))
}

/// Enters `user` (`enter = true`; a second entry is a no-op) or takes them out, while the
/// giveaway is open. The caller checks the requirements before entering.
pub async fn set_entry(
    storage: &Storage,
    id: GiveawayId,
    user: UserId,
    enter: bool,
    now: DateTime<Utc>,
) -> Result<Toggled> {
    let r = transaction!(storage, |tx| {
        let open: Option<i64> = tx_run!(tx, |conn, d| {
            let sql = format!(
                "SELECT id FROM giveaways WHERE id = $1 AND status = 'open'{}",
                d.for_update()
            );
            sqlx::query_scalar(&sql)
                .bind(id.0)
                .fetch_optional(&mut *conn)
                .await?
        });
        if open.is_none() {
            return Ok(None);
        }
        tx_run!(tx, |conn| {
            if enter {
                sqlx::query(
                    "INSERT INTO giveaway_entries (giveaway_id, user_id, entered_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (giveaway_id, user_id) DO NOTHING",
                )
                .bind(id.0)
                .bind(user.to_db())
                .bind(now)
                .execute(&mut *conn)
                .await?;
            } else {
                sqlx::query("DELETE FROM giveaway_entries WHERE giveaway_id = $1 AND user_id = $2")
                    .bind(id.0)
                    .bind(user.to_db())
                    .execute(&mut *conn)
                    .await?;
            }
        });
        let n = count_in(tx, id).await?;
        Ok(Some(if enter {
            Toggled::Entered(n)
        } else {
            Toggled::Left(n)
        }))
    })?;
    match r {
        Some(t) => Ok(t),
        None => Err(status_refusal(storage, id).await?),
    }
}

/// What [`end`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    /// The giveaway, now ended.
    pub giveaway: Giveaway,
    /// Its winners (empty without entrants).
    pub winners: Vec<UserId>,
    /// How many had entered.
    pub entrants: i64,
}

async fn entrants_in(tx: &mut Tx, id: GiveawayId) -> Result<Vec<UserId>> {
    let rows: Vec<i64> = tx_run!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT user_id FROM giveaway_entries WHERE giveaway_id = $1 ORDER BY user_id",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(UserId::from_db).collect())
}

async fn winners_in(tx: &mut Tx, id: GiveawayId) -> Result<Vec<(UserId, u32)>> {
    let rows: Vec<(i64, i32)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT user_id, round FROM giveaway_winners WHERE giveaway_id = $1 \
             ORDER BY round, user_id",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(u, r)| (UserId::from_db(u), u32::try_from(r).unwrap_or(0)))
        .collect())
}

async fn insert_winners(tx: &mut Tx, id: GiveawayId, winners: &[UserId], round: u32) -> Result<()> {
    let round = i32::try_from(round).unwrap_or(i32::MAX);
    for w in winners {
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO giveaway_winners (giveaway_id, user_id, round) VALUES ($1, $2, $3)",
            )
            .bind(id.0)
            .bind(w.to_db())
            .bind(round)
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(())
}

/// Ends an open giveaway exactly once: closes it, hands the entrants (by id) to `draw`, which
/// returns the winners (at most the giveaway's winner count, each once), and stores them as
/// round 1. An ended or cancelled giveaway is refused ([`GiveawayRefusal::AlreadyEnded`],
/// [`GiveawayRefusal::Cancelled`]) and nothing is drawn.
pub async fn end<F>(
    storage: &Storage,
    id: GiveawayId,
    now: DateTime<Utc>,
    mut draw: F,
) -> Result<Ended>
where
    F: FnMut(&[UserId], u32) -> Vec<UserId> + Send,
{
    let sql = format!(
        "UPDATE giveaways SET status = 'ended', ended_at = $2 WHERE id = $1 AND status = 'open' \
         RETURNING {COLUMNS}"
    );
    let r = transaction!(storage, |tx| {
        let row: Option<Row> = tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(id.0)
                .bind(now)
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some(row) = row else { return Ok(None) };
        let g = from_row(row)?;
        let entrants = entrants_in(tx, id).await?;
        let mut winners = draw(&entrants, g.winners);
        winners.truncate(g.winners as usize);
        insert_winners(tx, id, &winners, 1).await?;
        Ok(Some(Ended {
            giveaway: g,
            winners,
            entrants: i64::try_from(entrants.len()).unwrap_or(i64::MAX),
        }))
    })?;
    match r {
        Some(e) => Ok(e),
        None => Err(status_refusal(storage, id).await?),
    }
}

/// Draws `count` more winners of an ended giveaway among the entrants who have not won yet
/// (`draw` gets them by id), stored as the next round. Returns the new winners (empty when
/// nobody is left). Refused while the giveaway is open or when it was cancelled.
pub async fn reroll<F>(
    storage: &Storage,
    id: GiveawayId,
    count: u32,
    mut draw: F,
) -> Result<Vec<UserId>>
where
    F: FnMut(&[UserId], u32) -> Vec<UserId> + Send,
{
    let r = transaction!(storage, |tx| {
        let status: Option<String> = tx_run!(tx, |conn, d| {
            let sql = format!(
                "SELECT status FROM giveaways WHERE id = $1{}",
                d.for_update()
            );
            sqlx::query_scalar(&sql)
                .bind(id.0)
                .fetch_optional(&mut *conn)
                .await?
        });
        if status.as_deref() != Some("ended") {
            return Ok(None);
        }
        let past = winners_in(tx, id).await?;
        let round = past.iter().map(|w| w.1).max().unwrap_or(0) + 1;
        let eligible: Vec<UserId> = entrants_in(tx, id)
            .await?
            .into_iter()
            .filter(|u| !past.iter().any(|w| w.0 == *u))
            .collect();
        let mut winners = draw(&eligible, count);
        winners.retain(|w| eligible.contains(w));
        winners.truncate(count as usize);
        insert_winners(tx, id, &winners, round).await?;
        Ok(Some(winners))
    })?;
    match r {
        Some(w) => Ok(w),
        None => Err(status_refusal(storage, id).await?),
    }
}

/// Every winner of a giveaway with their round, first round first.
pub async fn winners(storage: &Storage, id: GiveawayId) -> Result<Vec<(UserId, u32)>> {
    transaction!(storage, |tx| winners_in(tx, id).await)
}

/// Cancels an open giveaway (no winners).
pub async fn cancel(storage: &Storage, id: GiveawayId, now: DateTime<Utc>) -> Result<Giveaway> {
    let sql = format!(
        "UPDATE giveaways SET status = 'cancelled', ended_at = $2 \
         WHERE id = $1 AND status = 'open' RETURNING {COLUMNS}"
    );
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some(r) => from_row(r),
        None => Err(status_refusal(storage, id).await?),
    }
}

/// The role that may run giveaways and events in `guild` besides Manage Server.
pub async fn manager_role(storage: &Storage, guild: GuildId) -> Result<Option<RoleId>> {
    let r: Option<Option<i64>> = conn_run!(storage, |conn| {
        sqlx::query_scalar("SELECT manager_role_id FROM giveaway_settings WHERE guild_id = $1")
            .bind(guild.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(r.flatten().map(RoleId::from_db))
}

/// Sets (or clears) the manager role of `guild`.
pub async fn set_manager_role(
    storage: &Storage,
    guild: GuildId,
    role: Option<RoleId>,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO giveaway_settings (guild_id, manager_role_id) VALUES ($1, $2) \
             ON CONFLICT (guild_id) DO UPDATE SET manager_role_id = excluded.manager_role_id",
        )
        .bind(guild.to_db())
        .bind(role.map(RoleId::to_db))
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
