//! Log channels' storage: the `logs` table (one row per logged event, written in batches) and
//! `logging_settings` (per-server category switches, ignored channels and roles, the
//! "don't store content" switch, the category `create-logs` made). Which channel receives a
//! category is `guild_settings.log_channels` ([`crate::guild_settings::set_log_channel`]).
//!
//! The write path is [`insert_batch`]: on Postgres one `COPY logs … FROM STDIN` (text format) per
//! chunk of [`PG_CHUNK`] rows (with `synchronous_commit = off` for that transaction only), on SQLite
//! multi-row `VALUES` of [`SQLITE_CHUNK`] rows; one transaction for the whole batch.

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::{Result, Storage, Tx};

/// Rows per statement on Postgres.
pub const PG_CHUNK: usize = 5_000;
/// Rows per statement on SQLite (8 parameters a row, under SQLite's 32,766).
pub const SQLITE_CHUNK: usize = 500;

/// A log row to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLog {
    /// The guild (`None` for events without one).
    pub guild_id: Option<GuildId>,
    /// The category key (`message`, `mod`, …).
    pub category: String,
    /// What happened (`message_edit`, `role_update`, …).
    pub log_type: String,
    /// The channel it happened in, when there is one.
    pub channel_id: Option<ChannelId>,
    /// Who did it, when known.
    pub actor_id: Option<UserId>,
    /// What it happened to (a message, role, channel, user id), when there is one.
    pub subject_id: Option<u64>,
    /// Everything else (before/after, names, ids).
    pub payload: serde_json::Value,
    /// When it happened.
    pub created_at: DateTime<Utc>,
}

/// A stored log row.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    /// Row id.
    pub id: i64,
    /// The guild.
    pub guild_id: Option<GuildId>,
    /// The category key.
    pub category: String,
    /// What happened.
    pub log_type: String,
    /// The channel.
    pub channel_id: Option<ChannelId>,
    /// Who did it.
    pub actor_id: Option<UserId>,
    /// What it happened to.
    pub subject_id: Option<u64>,
    /// The payload.
    pub payload: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    guild_id: Option<i64>,
    category: String,
    log_type: String,
    channel_id: Option<i64>,
    actor_id: Option<i64>,
    subject_id: Option<i64>,
    payload: Json<serde_json::Value>,
    created_at: DateTime<Utc>,
}

impl From<Row> for LogRow {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            guild_id: r.guild_id.map(GuildId::from_db),
            category: r.category,
            log_type: r.log_type,
            channel_id: r.channel_id.map(ChannelId::from_db),
            actor_id: r.actor_id.map(UserId::from_db),
            subject_id: r.subject_id.map(|s| s as u64),
            payload: r.payload.0,
            created_at: r.created_at,
        }
    }
}

/// Writes `rows` in one transaction (chunked multi-row inserts). Returns how many were written.
pub async fn insert_batch(storage: &Storage, rows: &[NewLog]) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tx = storage.begin().await?;
    if let crate::TxInner::Pg(t) = tx.inner_mut() {
        // Log rows are not money: their commit need not wait for the WAL to reach the disk (a
        // crash of the machine may lose the last moments of log rows, never consistency).
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut **t)
            .await?;
    }
    let n = insert_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(n)
}

/// [`insert_batch`] inside a caller's transaction.
pub async fn insert_batch_in(tx: &mut Tx, rows: &[NewLog]) -> Result<u64> {
    let mut written = 0;
    match tx.inner_mut() {
        crate::TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = &mut *t;
            for chunk in rows.chunks(PG_CHUNK) {
                let mut buf = Vec::with_capacity(chunk.len() * 160);
                for r in chunk {
                    copy_row(&mut buf, r);
                }
                let mut copy = conn
                    .copy_in_raw(
                        "COPY logs (guild_id, category, log_type, channel_id, actor_id, \
                         subject_id, payload, created_at) FROM STDIN",
                    )
                    .await?;
                if let Err(e) = copy.send(buf).await {
                    // The connection must leave COPY mode before the error goes up.
                    let _ = copy.abort("send failed").await;
                    return Err(e.into());
                }
                written += copy.finish().await?;
            }
        }
        crate::TxInner::Sqlite(t) => {
            for chunk in rows.chunks(SQLITE_CHUNK) {
                let conn: &mut sqlx::SqliteConnection = &mut *t;
                let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                    "INSERT INTO logs (guild_id, category, log_type, channel_id, actor_id, \
                     subject_id, payload, created_at) ",
                );
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(r.guild_id.map(GuildId::to_db))
                        .push_bind(r.category.clone())
                        .push_bind(r.log_type.clone())
                        .push_bind(r.channel_id.map(ChannelId::to_db))
                        .push_bind(r.actor_id.map(UserId::to_db))
                        .push_bind(r.subject_id.map(subject_to_db))
                        .push_bind(Json(r.payload.clone()))
                        .push_bind(r.created_at);
                });
                // Only the full-size statement is kept prepared: each other length is another
                // SQL text, and a connection's statement cache (100 entries) full of 500-row
                // inserts of every length held hundreds of MB under a flood of joins.
                let full = chunk.len() == SQLITE_CHUNK;
                written += qb
                    .build()
                    .persistent(full)
                    .execute(conn)
                    .await?
                    .rows_affected();
            }
        }
    }
    Ok(written)
}

/// One row of `COPY … FROM STDIN` text format: tab-separated, `\\N` for NULL, and backslash,
/// tab, newline and carriage return escaped in values.
fn copy_row(buf: &mut Vec<u8>, r: &NewLog) {
    use std::io::Write;
    fn opt(buf: &mut Vec<u8>, v: Option<i64>) {
        match v {
            Some(v) => {
                let _ = write!(buf, "{v}");
            }
            None => buf.extend_from_slice(b"\\N"),
        }
    }
    fn text(buf: &mut Vec<u8>, s: &str) {
        for b in s.bytes() {
            match b {
                b'\\' => buf.extend_from_slice(b"\\\\"),
                b'\t' => buf.extend_from_slice(b"\\t"),
                b'\n' => buf.extend_from_slice(b"\\n"),
                b'\r' => buf.extend_from_slice(b"\\r"),
                _ => buf.push(b),
            }
        }
    }
    opt(buf, r.guild_id.map(GuildId::to_db));
    buf.push(b'\t');
    text(buf, &r.category);
    buf.push(b'\t');
    text(buf, &r.log_type);
    buf.push(b'\t');
    opt(buf, r.channel_id.map(ChannelId::to_db));
    buf.push(b'\t');
    opt(buf, r.actor_id.map(UserId::to_db));
    buf.push(b'\t');
    opt(buf, r.subject_id.map(subject_to_db));
    buf.push(b'\t');
    text(buf, &r.payload.to_string());
    buf.push(b'\t');
    let _ = write!(
        buf,
        "{}",
        r.created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    buf.push(b'\n');
}

fn subject_to_db(s: u64) -> i64 {
    i64::try_from(s).unwrap_or(i64::MAX)
}

/// Deletes rows created before `before` (the retention job). Returns how many.
pub async fn prune(storage: &Storage, before: DateTime<Utc>) -> Result<u64> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query("DELETE FROM logs WHERE created_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(n)
}

const COLUMNS: &str =
    "id, guild_id, category, log_type, channel_id, actor_id, subject_id, payload, created_at";

/// The latest rows of a guild (newest first), optionally of one `log_type`.
pub async fn recent(
    storage: &Storage,
    guild_id: GuildId,
    log_type: Option<&str>,
    limit: i64,
) -> Result<Vec<LogRow>> {
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        let sql = format!(
            "SELECT {COLUMNS} FROM logs WHERE guild_id = $1 AND ($2 IS NULL OR log_type = $2) \
             ORDER BY id DESC LIMIT $3"
        );
        sqlx::query_as::<_, Row>(&sql)
            .bind(guild_id.to_db())
            .bind(log_type)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// How many rows a guild has (every guild with `None`).
pub async fn count(storage: &Storage, guild_id: Option<GuildId>) -> Result<i64> {
    let n: (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT COUNT(*) FROM logs WHERE ($1 IS NULL OR guild_id = $1)")
            .bind(guild_id.map(GuildId::to_db))
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n.0)
}

/// A server's logging settings (defaults when it has no row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggingSettings {
    /// The guild.
    pub guild_id: GuildId,
    /// Category keys switched off.
    pub disabled_categories: Vec<String>,
    /// Channels whose events are not logged.
    pub ignored_channels: Vec<ChannelId>,
    /// Roles whose members' events are not logged.
    pub ignored_roles: Vec<RoleId>,
    /// Whether message content may be kept in memory and in `logs` (privacy switch).
    pub store_content: bool,
    /// The category `create-logs` made.
    pub category_channel_id: Option<ChannelId>,
}

impl LoggingSettings {
    /// Defaults: every category on, nothing ignored, content stored.
    pub fn defaults(guild_id: GuildId) -> Self {
        Self {
            guild_id,
            disabled_categories: Vec::new(),
            ignored_channels: Vec::new(),
            ignored_roles: Vec::new(),
            store_content: true,
            category_channel_id: None,
        }
    }
    /// Whether a category is on.
    pub fn category_enabled(&self, key: &str) -> bool {
        !self.disabled_categories.iter().any(|c| c == key)
    }
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    guild_id: i64,
    disabled_categories: Json<Vec<String>>,
    ignored_channels: Json<Vec<i64>>,
    ignored_roles: Json<Vec<i64>>,
    store_content: bool,
    category_channel_id: Option<i64>,
}

impl From<SettingsRow> for LoggingSettings {
    fn from(r: SettingsRow) -> Self {
        Self {
            guild_id: GuildId::from_db(r.guild_id),
            disabled_categories: r.disabled_categories.0,
            ignored_channels: r
                .ignored_channels
                .0
                .into_iter()
                .map(ChannelId::from_db)
                .collect(),
            ignored_roles: r.ignored_roles.0.into_iter().map(RoleId::from_db).collect(),
            store_content: r.store_content,
            category_channel_id: r.category_channel_id.map(ChannelId::from_db),
        }
    }
}

const SETTINGS_COLUMNS: &str = "guild_id, disabled_categories, ignored_channels, ignored_roles, \
                                store_content, category_channel_id";

/// The logging settings of a guild.
pub async fn settings(storage: &Storage, guild_id: GuildId) -> Result<LoggingSettings> {
    let sql = format!("SELECT {SETTINGS_COLUMNS} FROM logging_settings WHERE guild_id = $1");
    let row: Option<SettingsRow> = conn_run!(storage, |conn| {
        sqlx::query_as::<_, SettingsRow>(&sql)
            .bind(guild_id.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map_or_else(|| LoggingSettings::defaults(guild_id), Into::into))
}

/// One change to a guild's logging settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsChange {
    /// A category on or off.
    Category(String, bool),
    /// A channel ignored (`true`) or not.
    IgnoreChannel(ChannelId, bool),
    /// A role ignored (`true`) or not.
    IgnoreRole(RoleId, bool),
    /// The privacy switch: whether content is stored.
    StoreContent(bool),
    /// The category channel `create-logs` made.
    CategoryChannel(Option<ChannelId>),
}

/// Applies a change in one transaction (row locked) and returns the new settings.
pub async fn update(
    storage: &Storage,
    guild_id: GuildId,
    change: SettingsChange,
    now: DateTime<Utc>,
) -> Result<LoggingSettings> {
    let mut tx = storage.begin().await?;
    let row: SettingsRow = tx_run!(&mut tx, |conn, d| {
        sqlx::query(
            "INSERT INTO logging_settings (guild_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(guild_id.to_db())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        let sql = format!(
            "SELECT {SETTINGS_COLUMNS} FROM logging_settings WHERE guild_id = $1{}",
            d.for_update()
        );
        sqlx::query_as::<_, SettingsRow>(&sql)
            .bind(guild_id.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    let mut s: LoggingSettings = row.into();
    fn toggle<T: PartialEq + Ord>(list: &mut Vec<T>, item: T, present: bool) {
        list.retain(|x| *x != item);
        if present {
            list.push(item);
        }
        list.sort();
    }
    match change {
        SettingsChange::Category(key, on) => toggle(&mut s.disabled_categories, key, !on),
        SettingsChange::IgnoreChannel(c, on) => toggle(&mut s.ignored_channels, c, on),
        SettingsChange::IgnoreRole(r, on) => toggle(&mut s.ignored_roles, r, on),
        SettingsChange::StoreContent(on) => s.store_content = on,
        SettingsChange::CategoryChannel(c) => s.category_channel_id = c,
    }
    let channels: Vec<i64> = s.ignored_channels.iter().map(|c| c.to_db()).collect();
    let roles: Vec<i64> = s.ignored_roles.iter().map(|r| r.to_db()).collect();
    tx_run!(&mut tx, |conn| {
        sqlx::query(
            "UPDATE logging_settings SET disabled_categories = $1, ignored_channels = $2, \
             ignored_roles = $3, store_content = $4, category_channel_id = $5, updated_at = $6 \
             WHERE guild_id = $7",
        )
        .bind(Json(&s.disabled_categories))
        .bind(Json(&channels))
        .bind(Json(&roles))
        .bind(s.store_content)
        .bind(s.category_channel_id.map(ChannelId::to_db))
        .bind(now)
        .bind(guild_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    tx.commit().await?;
    Ok(s)
}
