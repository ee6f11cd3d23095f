//! Mass actions (`massban` / `masskick`): one `mass_actions` row per run (who, what, the
//! progress message, counts, status) and its targets in `mass_action_targets` (in order, each
//! `pending`, `done` or `failed`). The bot's job takes the next pending targets, acts, and
//! records the batch; the state is in these rows, so a restart resumes where it stopped, and a
//! cancel is one conditional update the next batch sees.

use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_core::ratelimit::RateLimit;
use chrono::{DateTime, Duration, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx};

/// Ban or kick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MassKind {
    /// `massban`.
    Ban,
    /// `masskick`.
    Kick,
}

impl MassKind {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            MassKind::Ban => "ban",
            MassKind::Kick => "kick",
        }
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MassStatus {
    /// Targets left to act on.
    Running,
    /// Stopped by a moderator.
    Cancelled,
    /// Every target handled.
    Done,
}

/// Why a mass action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MassRefusal {
    /// The server started as many runs as its window allows.
    #[error("too many mass actions; next one at {retry_at}")]
    RateLimited {
        /// When the next run may start.
        retry_at: DateTime<Utc>,
    },
    /// Nothing selected.
    #[error("no target")]
    NoTargets,
}

/// A run as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MassAction {
    /// Row id (the job's payload and the Cancel button carry it).
    pub id: i64,
    /// The server.
    pub guild: GuildId,
    /// Ban or kick.
    pub kind: MassKind,
    /// Who started it.
    pub moderator: UserId,
    /// The reason given.
    pub reason: Option<String>,
    /// The selection as typed.
    pub selection: String,
    /// The channel of the progress message.
    pub channel: ChannelId,
    /// The progress message, once posted.
    pub message: Option<MessageId>,
    /// Where it stands.
    pub status: MassStatus,
    /// Targets.
    pub total: u32,
    /// Targets acted on.
    pub done: u32,
    /// Targets that failed.
    pub failed: u32,
    /// The summary case, once recorded.
    pub case_number: Option<u32>,
    /// Started.
    pub created_at: DateTime<Utc>,
}

impl MassAction {
    /// Targets handled (done or failed).
    pub fn handled(&self) -> u32 {
        self.done + self.failed
    }
}

/// A run to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMass {
    /// The server.
    pub guild: GuildId,
    /// Ban or kick.
    pub kind: MassKind,
    /// Who starts it.
    pub moderator: UserId,
    /// The reason.
    pub reason: Option<String>,
    /// The selection as typed.
    pub selection: String,
    /// Where the progress message goes.
    pub channel: ChannelId,
    /// The targets, in order.
    pub targets: Vec<UserId>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    guild_id: i64,
    kind: String,
    moderator_id: i64,
    reason: Option<String>,
    selection: String,
    channel_id: i64,
    message_id: Option<i64>,
    status: String,
    total: i32,
    done_count: i32,
    failed_count: i32,
    case_number: Option<i32>,
    created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, guild_id, kind, moderator_id, reason, selection, channel_id, \
                       message_id, status, total, done_count, failed_count, case_number, \
                       created_at";

impl Row {
    fn into_action(self) -> Result<MassAction> {
        let kind = match self.kind.as_str() {
            "ban" => MassKind::Ban,
            "kick" => MassKind::Kick,
            k => return Err(StorageError::Corrupt(format!("mass action kind {k:?}"))),
        };
        let status = match self.status.as_str() {
            "running" => MassStatus::Running,
            "cancelled" => MassStatus::Cancelled,
            "done" => MassStatus::Done,
            s => return Err(StorageError::Corrupt(format!("mass action status {s:?}"))),
        };
        let n = |v: i32| u32::try_from(v).unwrap_or(0);
        Ok(MassAction {
            id: self.id,
            guild: GuildId::from_db(self.guild_id),
            kind,
            moderator: UserId::from_db(self.moderator_id),
            reason: self.reason,
            selection: self.selection,
            channel: ChannelId::from_db(self.channel_id),
            message: self.message_id.map(MessageId::from_db),
            status,
            total: n(self.total),
            done: n(self.done_count),
            failed: n(self.failed_count),
            case_number: self.case_number.map(n),
            created_at: self.created_at,
        })
    }
}

fn refused(r: MassRefusal) -> StorageError {
    StorageError::Refused(Refusal::Mass(r))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<MassAction>> {
    let sql = format!("SELECT {COLUMNS} FROM mass_actions WHERE id = $1");
    let row: Option<Row> = tx_run!(tx, |conn| {
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(Row::into_action).transpose()
}

/// Starts a run: refused with [`MassRefusal::RateLimited`] when the server already started
/// `limit.max` runs in the last `limit.window_secs` (the rate limit is per server), or
/// [`MassRefusal::NoTargets`]. The run and its targets are written in one transaction.
pub async fn create(
    storage: &Storage,
    new: &NewMass,
    limit: RateLimit,
    now: DateTime<Utc>,
) -> Result<MassAction> {
    if new.targets.is_empty() {
        return Err(refused(MassRefusal::NoTargets));
    }
    let total = i32::try_from(new.targets.len())
        .map_err(|_| StorageError::Corrupt("too many targets".into()))?;
    transaction!(storage, |tx| {
        if !limit.is_off() {
            let since = now - Duration::seconds(i64::from(limit.window_secs));
            let recent: Vec<(DateTime<Utc>,)> = tx_run!(tx, |conn| {
                sqlx::query_as(
                    "SELECT created_at FROM mass_actions WHERE guild_id = $1 \
                     AND created_at > $2 ORDER BY created_at",
                )
                .bind(new.guild.to_db())
                .bind(since)
                .fetch_all(&mut *conn)
                .await?
            });
            if recent.len() >= limit.max as usize {
                let oldest = recent[recent.len() - limit.max as usize].0;
                return Err(refused(MassRefusal::RateLimited {
                    retry_at: oldest + Duration::seconds(i64::from(limit.window_secs)),
                }));
            }
        }
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO mass_actions (guild_id, kind, moderator_id, reason, selection, \
                 channel_id, status, total, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9) RETURNING id",
            )
            .bind(new.guild.to_db())
            .bind(new.kind.as_str())
            .bind(new.moderator.to_db())
            .bind(new.reason.as_deref())
            .bind(&new.selection)
            .bind(new.channel.to_db())
            .bind(total)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        for (chunk_no, chunk) in new.targets.chunks(200).enumerate() {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
                .collect();
            let sql = format!(
                "INSERT INTO mass_action_targets (action_id, position, user_id) VALUES {}",
                values.join(", ")
            );
            tx_run!(tx, |conn| {
                let mut q = sqlx::query(&sql).bind(id);
                for (i, u) in chunk.iter().enumerate() {
                    q = q.bind((chunk_no * 200 + i) as i32).bind(u.to_db());
                }
                q.execute(&mut *conn).await?;
            });
        }
        get_in(tx, id)
            .await?
            .ok_or_else(|| StorageError::Corrupt(format!("mass action {id} vanished")))
    })
}

/// A run by id.
pub async fn get(storage: &Storage, id: i64) -> Result<Option<MassAction>> {
    transaction!(storage, |tx| get_in(tx, id).await)
}

/// Remembers the progress message of a run.
pub async fn set_message(storage: &Storage, id: i64, message: MessageId) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE mass_actions SET message_id = $1 WHERE id = $2")
            .bind(message.to_db())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The next `n` pending targets of a run, in order.
pub async fn next_batch(storage: &Storage, id: i64, n: u32) -> Result<Vec<UserId>> {
    let rows: Vec<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id FROM mass_action_targets WHERE action_id = $1 AND state = 'pending' \
             ORDER BY position LIMIT $2",
        )
        .bind(id)
        .bind(i64::from(n))
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(|(u,)| UserId::from_db(u)).collect())
}

/// Records a batch: `done` and `failed` targets (only those still pending count, so a batch
/// recorded twice counts once). Returns the run after it.
pub async fn record_batch(
    storage: &Storage,
    id: i64,
    done: &[UserId],
    failed: &[UserId],
    now: DateTime<Utc>,
) -> Result<MassAction> {
    transaction!(storage, |tx| {
        let mut counts = [0i32; 2];
        for (slot, (users, state)) in [(done, "done"), (failed, "failed")].iter().enumerate() {
            for u in users.iter() {
                let n = tx_run!(tx, |conn| {
                    sqlx::query(
                        "UPDATE mass_action_targets SET state = $1 \
                         WHERE action_id = $2 AND user_id = $3 AND state = 'pending'",
                    )
                    .bind(*state)
                    .bind(id)
                    .bind(u.to_db())
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
                });
                counts[slot] += i32::try_from(n).unwrap_or(0);
            }
        }
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE mass_actions SET done_count = done_count + $1, \
                 failed_count = failed_count + $2, updated_at = $3 WHERE id = $4",
            )
            .bind(counts[0])
            .bind(counts[1])
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        });
        get_in(tx, id)
            .await?
            .ok_or_else(|| StorageError::Corrupt(format!("mass action {id} vanished")))
    })
}

async fn set_status(
    storage: &Storage,
    id: i64,
    guild: Option<GuildId>,
    to: &str,
    now: DateTime<Utc>,
) -> Result<Option<MassAction>> {
    transaction!(storage, |tx| {
        let n = tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE mass_actions SET status = $1, updated_at = $2, finished_at = $3 \
                 WHERE id = $4 AND status = 'running' AND ($5 = 0 OR guild_id = $6)",
            )
            .bind(to)
            .bind(now)
            .bind(now)
            .bind(id)
            .bind(i64::from(guild.is_some()))
            .bind(guild.map_or(0, GuildId::to_db))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Ok(None);
        }
        get_in(tx, id).await
    })
}

/// Cancels a running run of `guild`; `None` when it was not running (already finished or
/// cancelled, or another server's): exactly one caller cancels it.
pub async fn cancel(
    storage: &Storage,
    id: i64,
    guild: GuildId,
    now: DateTime<Utc>,
) -> Result<Option<MassAction>> {
    set_status(storage, id, Some(guild), "cancelled", now).await
}

/// Marks a running run done; `None` when it was not running (exactly one caller finishes it).
pub async fn finish(storage: &Storage, id: i64, now: DateTime<Utc>) -> Result<Option<MassAction>> {
    set_status(storage, id, None, "done", now).await
}

/// Remembers the summary case of a run.
pub async fn set_case(storage: &Storage, id: i64, number: u32) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE mass_actions SET case_number = $1 WHERE id = $2")
            .bind(i32::try_from(number).unwrap_or(i32::MAX))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
