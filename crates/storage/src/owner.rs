//! Owner and developer tools (issue 13): the blacklist, owner actions waiting for confirmation,
//! dev elevations, dev panel locations, ledgered grants and takes, the read-only `owner sql`
//! query and table sizes.
//!
//! * Grants and takes of Chrons go through [`economy::apply`] (one ledger row) and of items
//!   through [`inventory::add`]/[`inventory::remove`], with their audit entry
//!   ([`audit::append_in`]) in the same transaction: a grant without its audit row cannot exist.
//! * [`read_only_query`] runs one `SELECT` in a `READ ONLY` transaction with a statement timeout
//!   on PostgreSQL, and on a connection with `PRAGMA query_only` (and a timeout that closes the
//!   connection) on SQLite; a statement the database refuses is [`OwnerRefusal::Query`].

use std::time::Duration;

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError, audit, inventory, truncate_to_micros};

/// Why an owner tool refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnerRefusal {
    /// `owner sql` accepts one `SELECT` (or `WITH … SELECT`, `VALUES`) statement.
    #[error("only one SELECT statement is allowed")]
    NotASelect,
    /// The database refused the query (syntax, unknown table, read-only violation, timeout).
    #[error("the query failed: {0}")]
    Query(String),
    /// The pending action is no longer open (done or expired).
    #[error("pending action {0} is no longer open")]
    PendingClosed(i64),
    /// Already on the blacklist / not on it.
    #[error("blacklist unchanged")]
    BlacklistUnchanged,
}

fn refused(r: OwnerRefusal) -> StorageError {
    StorageError::Refused(Refusal::Owner(r))
}

// --- blacklist -------------------------------------------------------------------------------

/// What is blacklisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Blacklisted {
    /// A user: their commands are refused.
    User(UserId),
    /// A guild: the bot leaves it when it joins.
    Guild(GuildId),
}

impl Blacklisted {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Blacklisted::User(u) => ("user", u.to_db()),
            Blacklisted::Guild(g) => ("guild", g.to_db()),
        }
    }
    fn from_parts(kind: &str, id: i64) -> Self {
        if kind == "guild" {
            Blacklisted::Guild(GuildId::from_db(id))
        } else {
            Blacklisted::User(UserId::from_db(id))
        }
    }
}

/// A blacklist row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlacklistEntry {
    /// Who or which server.
    pub target: Blacklisted,
    /// Why.
    pub reason: String,
    /// By whom.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Adds `target` to the blacklist; [`OwnerRefusal::BlacklistUnchanged`] when it is already there.
pub async fn blacklist_add(
    storage: &Storage,
    target: Blacklisted,
    reason: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let (kind, id) = target.parts();
    let n = conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO owner_blacklist (kind, target_id, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, target_id) DO NOTHING",
        )
        .bind(kind)
        .bind(id)
        .bind(reason)
        .bind(by.to_db())
        .bind(truncate_to_micros(now))
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(refused(OwnerRefusal::BlacklistUnchanged));
    }
    Ok(())
}

/// Removes `target` from the blacklist; [`OwnerRefusal::BlacklistUnchanged`] when it was not there.
pub async fn blacklist_remove(storage: &Storage, target: Blacklisted) -> Result<()> {
    let (kind, id) = target.parts();
    let n = conn_run!(storage, |conn| {
        sqlx::query("DELETE FROM owner_blacklist WHERE kind = $1 AND target_id = $2")
            .bind(kind)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(refused(OwnerRefusal::BlacklistUnchanged));
    }
    Ok(())
}

/// Records a feature switched off (`on = false`) or back on for everyone from the dev panel,
/// so the switch outlives a restart. Returns whether anything changed.
pub async fn set_feature_switch(
    storage: &Storage,
    feature: &str,
    on: bool,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn_run!(storage, |conn| {
        if on {
            sqlx::query("DELETE FROM dev_feature_switches WHERE feature = $1")
                .bind(feature)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        } else {
            sqlx::query(
                "INSERT INTO dev_feature_switches (feature, switched_by, switched_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (feature) DO NOTHING",
            )
            .bind(feature)
            .bind(by.to_db())
            .bind(truncate_to_micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }
    });
    Ok(n > 0)
}

/// The features switched off for everyone, by name.
pub async fn switched_off_features(storage: &Storage) -> Result<Vec<String>> {
    Ok(conn_run!(storage, |conn| {
        sqlx::query_scalar::<_, String>("SELECT feature FROM dev_feature_switches ORDER BY feature")
            .fetch_all(&mut *conn)
            .await?
    }))
}

/// The whole blacklist, oldest first.
pub async fn blacklist(storage: &Storage) -> Result<Vec<BlacklistEntry>> {
    let rows: Vec<(String, i64, String, i64, DateTime<Utc>)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT kind, target_id, reason, created_by, created_at FROM owner_blacklist \
             ORDER BY created_at, kind, target_id",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(kind, id, reason, by, at)| BlacklistEntry {
            target: Blacklisted::from_parts(&kind, id),
            reason,
            created_by: UserId::from_db(by),
            created_at: at,
        })
        .collect())
}

/// Whether `target` is on the blacklist.
pub async fn is_blacklisted(storage: &Storage, target: Blacklisted) -> Result<bool> {
    let (kind, id) = target.parts();
    let (n,): (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT COUNT(*) FROM owner_blacklist WHERE kind = $1 AND target_id = $2")
            .bind(kind)
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n > 0)
}

// --- pending owner actions -------------------------------------------------------------------

/// Id of an `owner_pending` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PendingId(i64);

impl PendingId {
    /// From a button's custom id.
    pub fn new(id: i64) -> Self {
        Self(id)
    }
    /// The raw id (for custom ids and texts).
    pub fn get(self) -> i64 {
        self.0
    }
}

/// Where a pending action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingStatus {
    /// Waiting for the Confirm click.
    Open,
    /// Confirmed and run.
    Done,
    /// Not confirmed in time.
    Expired,
}

impl PendingStatus {
    fn parse(s: &str) -> Self {
        match s {
            "done" => Self::Done,
            "expired" => Self::Expired,
            _ => Self::Open,
        }
    }
}

/// An owner action waiting for confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Its id (the Confirm button carries it).
    pub id: PendingId,
    /// The action's name (`owner.leave`, `owner.unban_me`, …).
    pub action: String,
    /// The action's arguments.
    pub payload: serde_json::Value,
    /// The server it affects.
    pub guild: Option<GuildId>,
    /// Who asked.
    pub requested_by: UserId,
    /// The confirmation message's channel.
    pub channel: Option<ChannelId>,
    /// The confirmation message.
    pub message: Option<MessageId>,
    /// Open, done or expired.
    pub status: PendingStatus,
    /// When it was asked.
    pub created_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

type PendingRow = (
    i64,
    String,
    String,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

const PENDING_COLUMNS: &str = "id, action, payload, guild_id, requested_by, channel_id, \
                               message_id, status, created_at, expires_at";

fn pending_from(r: PendingRow) -> Result<Pending> {
    Ok(Pending {
        id: PendingId(r.0),
        action: r.1,
        payload: serde_json::from_str(&r.2)
            .map_err(|e| StorageError::Corrupt(format!("owner_pending payload: {e}")))?,
        guild: r.3.map(GuildId::from_db),
        requested_by: UserId::from_db(r.4),
        channel: r.5.map(ChannelId::from_db),
        message: r.6.map(MessageId::from_db),
        status: PendingStatus::parse(&r.7),
        created_at: r.8,
        expires_at: r.9,
    })
}

/// Stores an owner action waiting for confirmation until `expires_at`.
pub async fn pending_create(
    storage: &Storage,
    action: &str,
    payload: &serde_json::Value,
    guild: Option<GuildId>,
    requested_by: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Pending> {
    let sql = format!(
        "INSERT INTO owner_pending (action, payload, guild_id, requested_by, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {PENDING_COLUMNS}"
    );
    let row: PendingRow = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(action)
            .bind(payload.to_string())
            .bind(guild.map(GuildId::to_db))
            .bind(requested_by.to_db())
            .bind(truncate_to_micros(now))
            .bind(truncate_to_micros(expires_at))
            .fetch_one(&mut *conn)
            .await?
    });
    pending_from(row)
}

/// Records where the confirmation message was posted.
pub async fn pending_set_message(
    storage: &Storage,
    id: PendingId,
    channel: ChannelId,
    message: MessageId,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE owner_pending SET channel_id = $2, message_id = $3 WHERE id = $1")
            .bind(id.0)
            .bind(channel.to_db())
            .bind(message.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// One pending action.
pub async fn pending_get(storage: &Storage, id: PendingId) -> Result<Option<Pending>> {
    let sql = format!("SELECT {PENDING_COLUMNS} FROM owner_pending WHERE id = $1");
    let row: Option<PendingRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(pending_from).transpose()
}

/// The open pending actions, oldest first.
pub async fn pending_open(storage: &Storage) -> Result<Vec<Pending>> {
    let sql = format!(
        "SELECT {PENDING_COLUMNS} FROM owner_pending WHERE status = 'open' ORDER BY id LIMIT 100"
    );
    let rows: Vec<PendingRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql).fetch_all(&mut *conn).await?
    });
    rows.into_iter().map(pending_from).collect()
}

/// Marks an open, unexpired action done and returns it: exactly one caller gets it (two fast
/// clicks run it once). [`OwnerRefusal::PendingClosed`] otherwise.
pub async fn pending_take(storage: &Storage, id: PendingId, now: DateTime<Utc>) -> Result<Pending> {
    let sql = format!(
        "UPDATE owner_pending SET status = 'done', decided_at = $2 \
         WHERE id = $1 AND status = 'open' AND expires_at > $2 RETURNING {PENDING_COLUMNS}"
    );
    let row: Option<PendingRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .bind(truncate_to_micros(now))
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some(r) => pending_from(r),
        None => Err(refused(OwnerRefusal::PendingClosed(id.0))),
    }
}

/// Marks the action expired when it is still open at or after its expiry; returns it then.
pub async fn pending_expire(
    storage: &Storage,
    id: PendingId,
    now: DateTime<Utc>,
) -> Result<Option<Pending>> {
    let sql = format!(
        "UPDATE owner_pending SET status = 'expired', decided_at = $2 \
         WHERE id = $1 AND status = 'open' AND expires_at <= $2 RETURNING {PENDING_COLUMNS}"
    );
    let row: Option<PendingRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .bind(truncate_to_micros(now))
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(pending_from).transpose()
}

// --- dev elevation ---------------------------------------------------------------------------

/// Elevates `user` until `until` (replacing an earlier elevation).
pub async fn elevate(
    storage: &Storage,
    user: UserId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO dev_elevations (user_id, granted_at, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET granted_at = excluded.granted_at, \
             expires_at = excluded.expires_at",
        )
        .bind(user.to_db())
        .bind(truncate_to_micros(now))
        .bind(truncate_to_micros(until))
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Until when `user` is elevated, if they are at `now`.
pub async fn elevated_until(
    storage: &Storage,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT expires_at FROM dev_elevations WHERE user_id = $1 AND expires_at > $2",
        )
        .bind(user.to_db())
        .bind(truncate_to_micros(now))
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|r| r.0))
}

/// Ends `user`'s elevation; true when they had one.
pub async fn drop_elevation(storage: &Storage, user: UserId) -> Result<bool> {
    let n = conn_run!(storage, |conn| {
        sqlx::query("DELETE FROM dev_elevations WHERE user_id = $1")
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(n > 0)
}

// --- dev panels ------------------------------------------------------------------------------

/// Registers a dev panel in `channel` (its message is set when posted).
pub async fn panel_add(
    storage: &Storage,
    channel: ChannelId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO dev_panels (channel_id, message_id, created_by, created_at) \
             VALUES ($1, NULL, $2, $3) ON CONFLICT (channel_id) DO NOTHING",
        )
        .bind(channel.to_db())
        .bind(by.to_db())
        .bind(truncate_to_micros(now))
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Saves the panel's message.
pub async fn panel_set_message(
    storage: &Storage,
    channel: ChannelId,
    message: MessageId,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE dev_panels SET message_id = $2 WHERE channel_id = $1")
            .bind(channel.to_db())
            .bind(message.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Forgets the panel of `channel`.
pub async fn panel_remove(storage: &Storage, channel: ChannelId) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("DELETE FROM dev_panels WHERE channel_id = $1")
            .bind(channel.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Every dev panel: `(channel, message)`.
pub async fn panels(storage: &Storage) -> Result<Vec<(ChannelId, Option<MessageId>)>> {
    let rows: Vec<(i64, Option<i64>)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT channel_id, message_id FROM dev_panels ORDER BY channel_id")
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(c, m)| (ChannelId::from_db(c), m.map(MessageId::from_db)))
        .collect())
}

// --- grants and takes ------------------------------------------------------------------------

/// What an owner grants or takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Chrons (through the ledger).
    Chrons(Chrons),
    /// A stack of an item (`item_definitions` key).
    Item {
        /// The item key.
        key: String,
        /// How many (> 0).
        qty: i64,
    },
}

/// The outcome of [`adjust`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjusted {
    /// The wallet after (Chrons), or the stack after (items).
    pub after: i64,
    /// The audit entry written with it.
    pub audit_id: i64,
}

/// Grants (`take = false`) or takes `what` from `target`, with `reason`, in one transaction with
/// its ledger row (Chrons, kind `owner`) or stack change (items) and its audit entry
/// (`owner.grant` / `owner.take`). Refusals as the ledger and inventory give them (not enough
/// Chrons or items, a bad amount).
#[allow(clippy::too_many_arguments)]
pub async fn adjust(
    storage: &Storage,
    actor: UserId,
    guild: Option<GuildId>,
    target: UserId,
    what: &Grant,
    take: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Adjusted> {
    let action = if take { "owner.take" } else { "owner.grant" };
    transaction!(storage, |tx| {
        let (after, details) = match what {
            Grant::Chrons(amount) => {
                if amount.get() <= 0 {
                    return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
                }
                let change = if take { -*amount } else { *amount };
                let mut memo = Memo::new(reason).kind("owner").at(now);
                if let Some(g) = guild {
                    memo = memo.guild(g);
                }
                let applied = economy::apply(tx, target, change, &memo).await?;
                let after = applied.entry.balance_after.get();
                (
                    after,
                    serde_json::json!({
                        "chrons": change.get(),
                        "balance_after": after,
                        "reason": reason,
                    }),
                )
            }
            Grant::Item { key, qty } => {
                let after = if take {
                    inventory::remove(tx, target, key, *qty, now).await?
                } else {
                    inventory::add(tx, target, key, *qty, now).await?
                };
                let signed = if take { -*qty } else { *qty };
                (
                    after,
                    serde_json::json!({
                        "item": key,
                        "quantity": signed,
                        "quantity_after": after,
                        "reason": reason,
                    }),
                )
            }
        };
        let entry = audit::append_in(
            tx,
            actor,
            guild,
            action,
            Some(&target.get().to_string()),
            &details,
            now,
        )
        .await?;
        Ok(Adjusted {
            after,
            audit_id: entry.id,
        })
    })
}

// --- read-only SQL ---------------------------------------------------------------------------

/// The result of [`read_only_query`]: column names and rows of text cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryResult {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows (at most the limit asked for), each cell as text (`NULL` for null).
    pub rows: Vec<Vec<String>>,
    /// True when the query returned more rows than the limit.
    pub truncated: bool,
}

/// Checks that `sql` is one `SELECT`, `WITH` or `VALUES` statement (a trailing `;` allowed) and
/// returns it without the `;`. The database's read-only mode is the real guard; this only gives
/// a clearer refusal.
pub fn check_select(sql: &str) -> Result<&str> {
    let s = sql.trim().trim_end_matches(';').trim();
    let first = s
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if s.is_empty() || s.contains(';') || !matches!(first.as_str(), "select" | "with" | "values") {
        return Err(refused(OwnerRefusal::NotASelect));
    }
    Ok(s)
}

fn query_refusal(e: sqlx::Error) -> StorageError {
    match e {
        sqlx::Error::Database(d) => refused(OwnerRefusal::Query(d.message().to_string())),
        sqlx::Error::ColumnDecode { index, source } => {
            refused(OwnerRefusal::Query(format!("column {index}: {source}")))
        }
        other => StorageError::Database(other),
    }
}

fn pg_cell(row: &sqlx::postgres::PgRow, i: usize) -> String {
    if row.try_get_raw(i).map(|v| v.is_null()).unwrap_or(true) {
        return "NULL".into();
    }
    macro_rules! try_as {
        ($($t:ty),*) => {$(
            if let Ok(v) = row.try_get::<$t, _>(i) {
                return v.to_string();
            }
        )*};
    }
    try_as!(i64, i32, i16, f64, f32, bool, String);
    if let Ok(v) = row.try_get::<DateTime<Utc>, _>(i) {
        return v.to_rfc3339();
    }
    if let Ok(v) = row.try_get::<chrono::NaiveDateTime, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<chrono::NaiveDate, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<serde_json::Value, _>(i) {
        return v.to_string();
    }
    format!("<{}>", row.column(i).type_info().name())
}

fn sqlite_cell(row: &sqlx::sqlite::SqliteRow, i: usize) -> String {
    if row.try_get_raw(i).map(|v| v.is_null()).unwrap_or(true) {
        return "NULL".into();
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<f64, _>(i) {
        return v.to_string();
    }
    if let Ok(v) = row.try_get::<String, _>(i) {
        return v;
    }
    if let Ok(v) = row.try_get::<Vec<u8>, _>(i) {
        return format!("<{} bytes>", v.len());
    }
    format!("<{}>", row.column(i).type_info().name())
}

/// Collects at most `max` rows of `stream`; true when there were more.
async fn collect<R>(
    mut stream: impl futures::Stream<Item = std::result::Result<R, sqlx::Error>> + Unpin,
    max: usize,
) -> std::result::Result<(Vec<R>, bool), sqlx::Error> {
    use futures::TryStreamExt;
    let mut rows = Vec::new();
    while let Some(r) = stream.try_next().await? {
        if rows.len() == max {
            return Ok((rows, true));
        }
        rows.push(r);
    }
    Ok((rows, false))
}

/// The table of `rows`, each cell read with `cell`.
fn tabulate<R: Row>(rows: &[R], truncated: bool, cell: fn(&R, usize) -> String) -> QueryResult {
    QueryResult {
        columns: rows
            .first()
            .map(|r| r.columns().iter().map(|c| c.name().to_string()).collect())
            .unwrap_or_default(),
        rows: rows
            .iter()
            .map(|r| (0..r.len()).map(|i| cell(r, i)).collect())
            .collect(),
        truncated,
    }
}

/// Runs one read-only `SELECT` (see the module docs) and returns at most `max_rows` rows.
pub async fn read_only_query(
    storage: &Storage,
    sql: &str,
    max_rows: usize,
    timeout: Duration,
) -> Result<QueryResult> {
    let sql = check_select(sql)?;
    match &storage.db {
        crate::Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SET TRANSACTION READ ONLY")
                .execute(&mut *tx)
                .await?;
            let ms = timeout.as_millis().clamp(1, 600_000);
            sqlx::query(&format!("SET LOCAL statement_timeout = {ms}"))
                .execute(&mut *tx)
                .await?;
            let (rows, truncated) = collect(sqlx::query(sql).fetch(&mut *tx), max_rows)
                .await
                .map_err(query_refusal)?;
            tx.rollback().await?;
            Ok(tabulate(&rows, truncated, pg_cell))
        }
        crate::Db::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            sqlx::query("PRAGMA query_only = ON")
                .execute(&mut *conn)
                .await?;
            let result = tokio::time::timeout(
                timeout,
                collect(sqlx::query(sql).fetch(&mut *conn), max_rows),
            )
            .await;
            let Ok(result) = result else {
                // The statement may still be running: never hand this connection back.
                conn.close_on_drop();
                return Err(refused(OwnerRefusal::Query(format!(
                    "canceled after {} ms (statement timeout)",
                    timeout.as_millis()
                ))));
            };
            sqlx::query("PRAGMA query_only = OFF")
                .execute(&mut *conn)
                .await?;
            let (rows, truncated) = result.map_err(query_refusal)?;
            Ok(tabulate(&rows, truncated, sqlite_cell))
        }
    }
}

// --- sizes and backups -----------------------------------------------------------------------

/// The tables the dev panel counts.
pub const COUNTED_TABLES: [&str; 8] = [
    "users",
    "transactions",
    "user_items",
    "jobs",
    "audit_log",
    "mod_cases",
    "tickets",
    "guild_settings",
];

/// Row counts of [`COUNTED_TABLES`].
pub async fn table_counts(storage: &Storage) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::with_capacity(COUNTED_TABLES.len());
    for t in COUNTED_TABLES {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let (n,): (i64,) = conn_run!(storage, |conn| {
            sqlx::query_as(&sql).fetch_one(&mut *conn).await?
        });
        out.push((t, n));
    }
    Ok(out)
}

/// Jobs that failed for good (`dead`) and jobs waiting (`pending`).
pub async fn job_health(storage: &Storage) -> Result<(i64, i64)> {
    let (dead, pending): (i64, i64) = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) FROM jobs",
        )
        .fetch_one(&mut *conn)
        .await?
    });
    Ok((dead, pending))
}

/// The pool's `(size, idle)` connections.
pub fn pool_state(storage: &Storage) -> (u32, usize) {
    match &storage.db {
        crate::Db::Postgres(p) => (p.size(), p.num_idle()),
        crate::Db::Sqlite(p) => (p.size(), p.num_idle()),
    }
}

/// SQLite only: writes a consistent copy of the database to `path` (`VACUUM INTO`; the file
/// must not exist). A configuration error on PostgreSQL (use `pg_dump`).
pub async fn sqlite_vacuum_into(storage: &Storage, path: &std::path::Path) -> Result<()> {
    let crate::Db::Sqlite(pool) = &storage.db else {
        return Err(StorageError::Config(
            "VACUUM INTO is SQLite only; back PostgreSQL up with pg_dump".into(),
        ));
    };
    let target = path.to_string_lossy().replace('\'', "''");
    sqlx::query(&format!("VACUUM INTO '{target}'"))
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_select_passes() {
        assert_eq!(check_select(" SELECT 1; ").unwrap(), "SELECT 1");
        assert_eq!(
            check_select("with x as (select 1) select * from x").unwrap(),
            "with x as (select 1) select * from x"
        );
        for bad in [
            "",
            "DELETE FROM users",
            "select 1; drop table users",
            "update users set chrons = 0",
            "selectx",
        ] {
            assert!(
                matches!(
                    check_select(bad),
                    Err(StorageError::Refused(Refusal::Owner(
                        OwnerRefusal::NotASelect
                    )))
                ),
                "{bad}"
            );
        }
    }
}
