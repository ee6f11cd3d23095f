//! Reaction roles: panels (`reaction_panels`, the configuration record as JSON, validated by
//! [`PanelConfig::validate`] before every write) and the roles each panel gave
//! (`reaction_role_grants`), which the restart reconciliation compares with the reactions
//! still on the message.

use chronix_core::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use chronix_core::reactionroles::{PanelConfig, PanelError};
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, StorageError};

/// A panel's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PanelId(i64);

impl PanelId {
    /// An id (as shown to admins and carried by buttons).
    pub const fn new(v: i64) -> Self {
        Self(v)
    }
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for PanelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A stored panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    /// Id.
    pub id: PanelId,
    /// Its server.
    pub guild: GuildId,
    /// Its channel.
    pub channel: ChannelId,
    /// Its message (none until posted).
    pub message: Option<MessageId>,
    /// Its configuration.
    pub config: PanelConfig,
    /// Who set it up.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Why a reaction-role action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReactionRoleRefusal {
    /// The configuration is invalid.
    #[error(transparent)]
    InvalidPanel(#[from] PanelError),
    /// No such panel on this server.
    #[error("no such panel")]
    NoPanel,
}

fn refused(r: ReactionRoleRefusal) -> StorageError {
    StorageError::Refused(Refusal::ReactionRoles(r))
}

type Row = (i64, i64, i64, Option<i64>, String, i64, DateTime<Utc>);

const COLUMNS: &str = "id, guild_id, channel_id, message_id, config, created_by, created_at";

fn from_row(r: Row) -> Result<Panel> {
    let config = serde_json::from_str(&r.4)
        .map_err(|e| StorageError::Corrupt(format!("reaction panel {}: {e}", r.0)))?;
    Ok(Panel {
        id: PanelId(r.0),
        guild: GuildId::from_db(r.1),
        channel: ChannelId::from_db(r.2),
        message: r.3.map(MessageId::from_db),
        config,
        created_by: UserId::from_db(r.5),
        created_at: r.6,
    })
}

fn to_json(config: &PanelConfig) -> Result<String> {
    config
        .validate()
        .map_err(|e| refused(ReactionRoleRefusal::InvalidPanel(e)))?;
    serde_json::to_string(config)
        .map_err(|e| StorageError::Corrupt(format!("reaction panel config: {e}")))
}

/// Stores a panel (its message is posted afterwards: [`set_message`]). An invalid
/// configuration is refused ([`ReactionRoleRefusal::InvalidPanel`]).
pub async fn create(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
    config: &PanelConfig,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Panel> {
    let json = to_json(config)?;
    let row: Row = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "INSERT INTO reaction_panels \
             (guild_id, channel_id, config, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
        ))
        .bind(guild.to_db())
        .bind(channel.to_db())
        .bind(&json)
        .bind(by.to_db())
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    from_row(row)
}

/// Records the panel's message.
pub async fn set_message(storage: &Storage, id: PanelId, message: MessageId) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE reaction_panels SET message_id = $1 WHERE id = $2")
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Replaces a panel's configuration (validated); refused when the panel is not on `guild`.
pub async fn update(
    storage: &Storage,
    guild: GuildId,
    id: PanelId,
    config: &PanelConfig,
    now: DateTime<Utc>,
) -> Result<Panel> {
    let json = to_json(config)?;
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "UPDATE reaction_panels SET config = $1, updated_at = $2 \
             WHERE id = $3 AND guild_id = $4 RETURNING {COLUMNS}"
        ))
        .bind(&json)
        .bind(now)
        .bind(id.0)
        .bind(guild.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    match row {
        Some(r) => from_row(r),
        None => Err(refused(ReactionRoleRefusal::NoPanel)),
    }
}

/// A panel of `guild` by id.
pub async fn panel(storage: &Storage, guild: GuildId, id: PanelId) -> Result<Option<Panel>> {
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM reaction_panels WHERE id = $1 AND guild_id = $2"
        ))
        .bind(id.0)
        .bind(guild.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row).transpose()
}

/// The panel posted as `message`.
pub async fn by_message(storage: &Storage, message: MessageId) -> Result<Option<Panel>> {
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM reaction_panels WHERE message_id = $1"
        ))
        .bind(message.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row).transpose()
}

/// The panels of a server, oldest first.
pub async fn panels(storage: &Storage, guild: GuildId) -> Result<Vec<Panel>> {
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM reaction_panels WHERE guild_id = $1 ORDER BY id"
        ))
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    rows.into_iter().map(from_row).collect()
}

/// Deletes a panel of `guild` and its grants; returns it (none: no such panel).
pub async fn delete(storage: &Storage, guild: GuildId, id: PanelId) -> Result<Option<Panel>> {
    transaction!(storage, |tx| {
        let row: Option<Row> = tx_run!(tx, |conn| {
            sqlx::query_as(&format!(
                "DELETE FROM reaction_panels WHERE id = $1 AND guild_id = $2 RETURNING {COLUMNS}"
            ))
            .bind(id.0)
            .bind(guild.to_db())
            .fetch_optional(&mut *conn)
            .await?
        });
        tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM reaction_role_grants WHERE panel_id = $1")
                .bind(id.0)
                .execute(&mut *conn)
                .await?;
        });
        row.map(from_row).transpose()
    })
}

/// Records that `panel` gave `role` to `user` (idempotent).
pub async fn record_grant(
    storage: &Storage,
    panel: PanelId,
    user: UserId,
    role: RoleId,
    now: DateTime<Utc>,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO reaction_role_grants (panel_id, user_id, role_id, granted_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (panel_id, user_id, role_id) DO NOTHING",
        )
        .bind(panel.0)
        .bind(user.to_db())
        .bind(role.to_db())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Forgets that `panel` gave `role` to `user`.
pub async fn drop_grant(
    storage: &Storage,
    panel: PanelId,
    user: UserId,
    role: RoleId,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "DELETE FROM reaction_role_grants \
             WHERE panel_id = $1 AND user_id = $2 AND role_id = $3",
        )
        .bind(panel.0)
        .bind(user.to_db())
        .bind(role.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// What a panel gave: `(user, role)`, ordered.
pub async fn grants(storage: &Storage, panel: PanelId) -> Result<Vec<(UserId, RoleId)>> {
    let rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id, role_id FROM reaction_role_grants WHERE panel_id = $1 \
             ORDER BY user_id, role_id",
        )
        .bind(panel.0)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(u, r)| (UserId::from_db(u), RoleId::from_db(r)))
        .collect())
}
