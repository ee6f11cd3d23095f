//! Tickets: panels (`ticket_panels`, the configuration record as JSON, validated by
//! [`PanelConfig::validate`] before every write) and tickets (`tickets`, numbered per guild
//! through `ticket_counters`).
//!
//! [`open`] takes the guild's next number with one upsert on the counter row (which locks it
//! until the transaction ends, so opens in one guild are serialised), then checks the opener's
//! open tickets of that panel against the panel's limit; a refusal rolls the number back.
//! Every state change ([`claim`], [`set_locked`], [`close`], [`reopen`], [`mark_deleted`]) is
//! one conditional `UPDATE … RETURNING`, so of two racing clicks one applies and the other is
//! refused with what happened.

use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_core::tickets::{PanelConfig, PanelError};
use chrono::{DateTime, Utc};

use crate::{Dialect, Refusal, Result, Storage, StorageError, Tx};

/// A panel's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PanelId(i64);

/// A ticket's id (row id, not its number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketId(i64);

macro_rules! row_id {
    ($t:ident) => {
        impl $t {
            /// From its button or job form.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }
            /// Its value.
            pub const fn get(self) -> i64 {
                self.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
row_id!(PanelId);
row_id!(TicketId);

/// A stored panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    /// Id.
    pub id: PanelId,
    /// Its server.
    pub guild: GuildId,
    /// The channel of its message.
    pub channel: ChannelId,
    /// Its message (set once posted).
    pub message: Option<MessageId>,
    /// Its configuration.
    pub config: PanelConfig,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketStatus {
    /// Open.
    Open,
    /// Closed (its channel waits for deletion; it can be reopened).
    Closed,
    /// Closed and its channel deleted.
    Deleted,
}

impl TicketStatus {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Closed => "closed",
            TicketStatus::Deleted => "deleted",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "open" => TicketStatus::Open,
            "closed" => TicketStatus::Closed,
            _ => TicketStatus::Deleted,
        }
    }
}

/// A stored ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Row id.
    pub id: TicketId,
    /// Its server.
    pub guild: GuildId,
    /// Its number in the server (1, 2, 3…).
    pub number: i64,
    /// Who opened it.
    pub opener: UserId,
    /// Its channel (set once created).
    pub channel: Option<ChannelId>,
    /// Its panel.
    pub panel: Option<PanelId>,
    /// Its topic.
    pub topic: Option<String>,
    /// Open, closed or deleted.
    pub status: TicketStatus,
    /// The staff member handling it.
    pub claimed_by: Option<UserId>,
    /// Whether the opener may no longer write.
    pub locked: bool,
    /// Who closed it.
    pub closed_by: Option<UserId>,
    /// Why.
    pub close_reason: Option<String>,
    /// When.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it opened.
    pub created_at: DateTime<Utc>,
    /// The ticket's own message (with its buttons).
    pub message: Option<MessageId>,
    /// Whether `channel` is a private thread of the panel's channel (not a channel).
    pub thread: bool,
}

/// Why a ticket action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketRefusal {
    /// The panel configuration is invalid.
    #[error(transparent)]
    InvalidPanel(#[from] PanelError),
    /// The opener has `max` open tickets from this panel already.
    #[error("you already have {max} open tickets here")]
    LimitReached {
        /// The panel's limit.
        max: u32,
    },
    /// No such panel.
    #[error("this panel no longer exists")]
    NoPanel,
    /// Already closed.
    #[error("this ticket is already closed")]
    AlreadyClosed,
    /// Not closed (reopen).
    #[error("this ticket is not closed")]
    NotClosed,
    /// Its channel is gone (deleted tickets cannot be reopened).
    #[error("this ticket's channel was deleted")]
    Deleted,
    /// Claimed already.
    #[error("this ticket is already claimed by {by}")]
    AlreadyClaimed {
        /// Who holds it.
        by: UserId,
    },
    /// Locked or unlocked already.
    #[error("this ticket is already in that lock state")]
    Unchanged,
}

fn refused(r: TicketRefusal) -> StorageError {
    StorageError::Refused(Refusal::Ticket(r))
}

type PanelRow = (i64, i64, i64, Option<i64>, String, DateTime<Utc>);

fn panel_columns(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgres => "id, guild_id, channel_id, message_id, config::text, created_at",
        Dialect::Sqlite => "id, guild_id, channel_id, message_id, config, created_at",
    }
}

fn panel_from_row(r: PanelRow) -> Result<Panel> {
    let config = serde_json::from_str(&r.4)
        .map_err(|e| StorageError::Corrupt(format!("ticket panel {}: {e}", r.0)))?;
    Ok(Panel {
        id: PanelId(r.0),
        guild: GuildId::from_db(r.1),
        channel: ChannelId::from_db(r.2),
        message: r.3.map(MessageId::from_db),
        config,
        created_at: r.5,
    })
}

fn json_param(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgres => "CAST($1 AS JSONB)",
        Dialect::Sqlite => "$1",
    }
}

/// Stores a panel (its message is posted afterwards: [`set_panel_message`]). An invalid
/// configuration is refused ([`TicketRefusal::InvalidPanel`]).
pub async fn create_panel(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
    config: &PanelConfig,
    now: DateTime<Utc>,
) -> Result<Panel> {
    config
        .validate()
        .map_err(|e| refused(TicketRefusal::InvalidPanel(e)))?;
    let json = serde_json::to_string(config)
        .map_err(|e| StorageError::Corrupt(format!("ticket panel config: {e}")))?;
    let row: PanelRow = conn_run!(storage, |conn, d| {
        let sql = format!(
            "INSERT INTO ticket_panels (config, guild_id, channel_id, created_at, updated_at) \
             VALUES ({}, $2, $3, $4, $4) RETURNING {}",
            json_param(d),
            panel_columns(d)
        );
        sqlx::query_as(&sql)
            .bind(&json)
            .bind(guild.to_db())
            .bind(channel.to_db())
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
    });
    panel_from_row(row)
}

/// Records the panel's message.
pub async fn set_panel_message(storage: &Storage, id: PanelId, message: MessageId) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE ticket_panels SET message_id = $1 WHERE id = $2")
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A panel by id.
pub async fn panel(storage: &Storage, id: PanelId) -> Result<Option<Panel>> {
    transaction!(storage, |tx| panel_in(tx, id).await)
}

/// A panel by id, inside a caller's transaction.
async fn panel_in(tx: &mut Tx, id: PanelId) -> Result<Option<Panel>> {
    let row: Option<PanelRow> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {} FROM ticket_panels WHERE id = $1",
            panel_columns(d)
        );
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(panel_from_row).transpose()
}

/// The panels of a guild, oldest first.
pub async fn panels(storage: &Storage, guild: GuildId) -> Result<Vec<Panel>> {
    let rows: Vec<PanelRow> = conn_run!(storage, |conn, d| {
        let sql = format!(
            "SELECT {} FROM ticket_panels WHERE guild_id = $1 ORDER BY id",
            panel_columns(d)
        );
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .fetch_all(&mut *conn)
            .await?
    });
    rows.into_iter().map(panel_from_row).collect()
}

/// Replaces a panel's configuration (checked by [`PanelConfig::validate`], refused with
/// [`TicketRefusal::InvalidPanel`]; [`TicketRefusal::NoPanel`] when it is not a panel of
/// `guild`). Returns the panel as stored.
pub async fn update_panel(
    storage: &Storage,
    guild: GuildId,
    id: PanelId,
    config: &PanelConfig,
    now: DateTime<Utc>,
) -> Result<Panel> {
    config
        .validate()
        .map_err(|e| refused(TicketRefusal::InvalidPanel(e)))?;
    let json = serde_json::to_string(config)
        .map_err(|e| StorageError::Corrupt(format!("ticket panel config: {e}")))?;
    let row: Option<PanelRow> = conn_run!(storage, |conn, d| {
        let sql = format!(
            "UPDATE ticket_panels SET config = {}, updated_at = $2 \
             WHERE id = $3 AND guild_id = $4 RETURNING {}",
            json_param(d),
            panel_columns(d)
        );
        sqlx::query_as(&sql)
            .bind(&json)
            .bind(now)
            .bind(id.0)
            .bind(guild.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(panel_from_row)
        .transpose()?
        .ok_or_else(|| refused(TicketRefusal::NoPanel))
}

/// Deletes a panel of `guild` and returns it ([`TicketRefusal::NoPanel`] when there is none).
/// Its tickets stay (their `panel_id` becomes null: server managers still handle them).
pub async fn delete_panel(storage: &Storage, guild: GuildId, id: PanelId) -> Result<Panel> {
    transaction!(storage, |tx| {
        let Some(p) = panel_in(tx, id).await?.filter(|p| p.guild == guild) else {
            return Err(refused(TicketRefusal::NoPanel));
        };
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE tickets SET panel_id = NULL WHERE panel_id = $1")
                .bind(id.0)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM ticket_panels WHERE id = $1")
                .bind(id.0)
                .execute(&mut *conn)
                .await?;
        });
        Ok(p)
    })
}

type TicketRow = (
    i64,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    String,
    Option<i64>,
    bool,
    Option<i64>,
    Option<String>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    Option<i64>,
    bool,
);

const COLUMNS: &str = "id, guild_id, number, opener_id, channel_id, panel_id, topic, status, \
                       claimed_by, locked, closed_by, close_reason, closed_at, created_at, message_id, \
                       thread";

fn from_row(r: TicketRow) -> Ticket {
    Ticket {
        id: TicketId(r.0),
        guild: GuildId::from_db(r.1),
        number: r.2.unwrap_or(0),
        opener: UserId::from_db(r.3),
        channel: r.4.map(ChannelId::from_db),
        panel: r.5.map(PanelId),
        topic: r.6,
        status: TicketStatus::parse(&r.7),
        claimed_by: r.8.map(UserId::from_db),
        locked: r.9,
        closed_by: r.10.map(UserId::from_db),
        close_reason: r.11,
        closed_at: r.12,
        created_at: r.13,
        message: r.14.map(MessageId::from_db),
        thread: r.15,
    }
}

/// Opens a ticket of `panel` for `opener`: the guild's next number, refused with
/// [`TicketRefusal::LimitReached`] when the opener already has the panel's `max_open` open
/// tickets from it (the number is not used then). Its channel is set afterwards
/// ([`set_channel`]).
pub async fn open(
    storage: &Storage,
    panel: PanelId,
    opener: UserId,
    topic: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    transaction!(storage, |tx| {
        let Some(p) = panel_in(tx, panel).await? else {
            return Err(refused(TicketRefusal::NoPanel));
        };
        let number: i64 = tx_run!(tx, |conn| {
            sqlx::query_scalar(
                "INSERT INTO ticket_counters (guild_id, last_number) VALUES ($1, 1) \
                 ON CONFLICT (guild_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 \
                 RETURNING last_number",
            )
            .bind(p.guild.to_db())
            .fetch_one(&mut *conn)
            .await?
        });
        let open: i64 = tx_run!(tx, |conn| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM tickets WHERE guild_id = $1 AND opener_id = $2 \
                 AND panel_id = $3 AND status = 'open'",
            )
            .bind(p.guild.to_db())
            .bind(opener.to_db())
            .bind(panel.0)
            .fetch_one(&mut *conn)
            .await?
        });
        if open >= i64::from(p.config.max_open) {
            return Err(refused(TicketRefusal::LimitReached {
                max: p.config.max_open,
            }));
        }
        let sql = format!(
            "INSERT INTO tickets (guild_id, number, opener_id, panel_id, topic, status, locked, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', FALSE, $6, $6) \
             RETURNING {COLUMNS}"
        );
        let row: TicketRow = tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(p.guild.to_db())
                .bind(number)
                .bind(opener.to_db())
                .bind(panel.0)
                .bind(topic)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        });
        Ok(from_row(row))
    })
}

/// Records the ticket's channel (or private thread: `thread`) and its message (after creating
/// them).
pub async fn set_channel(
    storage: &Storage,
    id: TicketId,
    channel: ChannelId,
    message: Option<MessageId>,
    thread: bool,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "UPDATE tickets SET channel_id = $1, message_id = $2, thread = $3 WHERE id = $4",
        )
        .bind(channel.to_db())
        .bind(message.map(MessageId::to_db))
        .bind(thread)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Forgets a ticket whose channel could not be created (its number stays used).
pub async fn discard(storage: &Storage, id: TicketId, now: DateTime<Utc>) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE tickets SET status = 'deleted', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A ticket by id.
pub async fn get(storage: &Storage, id: TicketId) -> Result<Option<Ticket>> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE id = $1");
    let row: Option<TicketRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(from_row))
}

/// The ticket whose channel this is.
pub async fn by_channel(storage: &Storage, channel: ChannelId) -> Result<Option<Ticket>> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE channel_id = $1");
    let row: Option<TicketRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(channel.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(from_row))
}

/// Runs one conditional `UPDATE tickets … RETURNING` (`$1` is the ticket id, `$2` now, then
/// `$3`… the binds of `$bind`); evaluates to the updated ticket, `None` when its condition did
/// not hold.
macro_rules! update_if {
    ($storage:expr, $id:expr, $now:expr, $set_where:expr $(, $bind:expr)*) => {{
        let sql = format!("UPDATE tickets SET updated_at = $2, {} RETURNING {COLUMNS}", $set_where);
        let row: Option<TicketRow> = conn_run!($storage, |conn| {
            sqlx::query_as(&sql)
                .bind($id.0)
                .bind($now)
                $(.bind($bind))*
                .fetch_optional(&mut *conn)
                .await?
        });
        row.map(from_row)
    }};
}

/// Why a state change did not apply, from the ticket as it is now.
async fn why(storage: &Storage, id: TicketId) -> Result<StorageError> {
    Ok(match get(storage, id).await? {
        None => refused(TicketRefusal::Deleted),
        Some(t) => match (t.status, t.claimed_by) {
            (TicketStatus::Deleted, _) => refused(TicketRefusal::Deleted),
            (TicketStatus::Closed, _) => refused(TicketRefusal::AlreadyClosed),
            (TicketStatus::Open, Some(by)) => refused(TicketRefusal::AlreadyClaimed { by }),
            (TicketStatus::Open, None) => refused(TicketRefusal::Unchanged),
        },
    })
}

/// `staff` claims an open, unclaimed ticket.
pub async fn claim(
    storage: &Storage,
    id: TicketId,
    staff: UserId,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    let t = update_if!(
        storage,
        id,
        now,
        "claimed_by = $3 WHERE id = $1 AND status = 'open' AND claimed_by IS NULL",
        staff.to_db()
    );
    match t {
        Some(t) => Ok(t),
        None => Err(why(storage, id).await?),
    }
}

/// Locks (the opener can no longer write) or unlocks an open ticket.
pub async fn set_locked(
    storage: &Storage,
    id: TicketId,
    locked: bool,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    let t = update_if!(
        storage,
        id,
        now,
        "locked = $3 WHERE id = $1 AND status = 'open' AND locked <> $3",
        locked
    );
    match t {
        Some(t) => Ok(t),
        None => match get(storage, id).await? {
            Some(t) if t.status == TicketStatus::Open => Err(refused(TicketRefusal::Unchanged)),
            _ => Err(why(storage, id).await?),
        },
    }
}

/// `by` closes an open ticket with an optional reason.
pub async fn close(
    storage: &Storage,
    id: TicketId,
    by: UserId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    let t = update_if!(
        storage,
        id,
        now,
        "status = 'closed', closed_by = $3, close_reason = $4, closed_at = $2 \
         WHERE id = $1 AND status = 'open'",
        by.to_db(),
        reason
    );
    match t {
        Some(t) => Ok(t),
        None => Err(why(storage, id).await?),
    }
}

/// Reopens a closed ticket whose channel still exists (lock and close fields cleared; the
/// claim stays).
pub async fn reopen(storage: &Storage, id: TicketId, now: DateTime<Utc>) -> Result<Ticket> {
    let t = update_if!(
        storage,
        id,
        now,
        "status = 'open', locked = FALSE, closed_by = NULL, close_reason = NULL, \
         closed_at = NULL WHERE id = $1 AND status = 'closed'"
    );
    match t {
        Some(t) => Ok(t),
        None => match get(storage, id).await? {
            Some(t) if t.status == TicketStatus::Open => Err(refused(TicketRefusal::NotClosed)),
            _ => Err(refused(TicketRefusal::Deleted)),
        },
    }
}

/// Marks a closed ticket deleted (its channel is being deleted). `None` when it is not closed
/// any more (reopened in between: keep the channel).
pub async fn mark_deleted(
    storage: &Storage,
    id: TicketId,
    now: DateTime<Utc>,
) -> Result<Option<Ticket>> {
    Ok(update_if!(
        storage,
        id,
        now,
        "status = 'deleted' WHERE id = $1 AND status = 'closed'"
    ))
}

/// A staff member's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffStats {
    /// Who.
    pub staff: UserId,
    /// Tickets they claimed.
    pub claimed: i64,
    /// Tickets they closed.
    pub closed: i64,
}

/// A guild's ticket figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Open tickets.
    pub open: i64,
    /// Closed tickets (including deleted channels).
    pub closed: i64,
    /// Per staff member, most claimed first (then most closed, then id).
    pub staff: Vec<StaffStats>,
}

/// A guild's ticket statistics.
pub async fn stats(storage: &Storage, guild: GuildId) -> Result<Stats> {
    let (open, closed): (i64, i64) = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status <> 'open' AND closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM tickets WHERE guild_id = $1 AND number IS NOT NULL",
        )
        .bind(guild.to_db())
        .fetch_one(&mut *conn)
        .await?
    });
    let rows: Vec<(i64, i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT who, SUM(c), SUM(x) FROM ( \
               SELECT claimed_by AS who, 1 AS c, 0 AS x FROM tickets \
                 WHERE guild_id = $1 AND claimed_by IS NOT NULL \
               UNION ALL \
               SELECT closed_by AS who, 0 AS c, 1 AS x FROM tickets \
                 WHERE guild_id = $1 AND closed_by IS NOT NULL \
             ) t GROUP BY who",
        )
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    let mut staff: Vec<StaffStats> = rows
        .into_iter()
        .map(|(who, c, x)| StaffStats {
            staff: UserId::from_db(who),
            claimed: c,
            closed: x,
        })
        .collect();
    staff.sort_by(|a, b| {
        b.claimed
            .cmp(&a.claimed)
            .then(b.closed.cmp(&a.closed))
            .then(a.staff.cmp(&b.staff))
    });
    Ok(Stats {
        open,
        closed,
        staff,
    })
}
