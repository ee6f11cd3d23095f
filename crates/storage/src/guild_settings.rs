//! Per-guild settings: prefix, disabled modules, log channels, DJ role, error-log channel, locale.
//! [`get`] returns defaults for a guild without a row; setters upsert.

use chronix_core::ids::{ChannelId, GuildId, RoleId};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::{Result, Storage, Tx};

/// Settings of one guild (defaults when the guild has no row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuildSettings {
    /// Guild id.
    pub guild_id: GuildId,
    /// Custom prefix; `None` means the bot's default prefix.
    pub prefix: Option<String>,
    /// Locale tag; `None` means the default.
    pub locale: Option<String>,
    /// Names of disabled modules (sorted, unique).
    pub disabled_modules: Vec<String>,
    /// Log channel per log kind (e.g. "mod" → channel id).
    pub log_channels: BTreeMap<String, i64>,
    /// DJ role for music control.
    pub dj_role_id: Option<RoleId>,
    /// Channel receiving error reports with error ids.
    pub error_log_channel_id: Option<ChannelId>,
    /// Whether AI features are opted in.
    pub ai_enabled: bool,
    /// Last change (`None` for defaults).
    pub updated_at: Option<DateTime<Utc>>,
}

impl GuildSettings {
    /// Defaults for a guild without stored settings.
    pub fn defaults(guild_id: GuildId) -> Self {
        Self {
            guild_id,
            prefix: None,
            locale: None,
            disabled_modules: Vec::new(),
            log_channels: BTreeMap::new(),
            dj_role_id: None,
            error_log_channel_id: None,
            ai_enabled: false,
            updated_at: None,
        }
    }

    /// True unless `module` is in the disabled list.
    pub fn is_module_enabled(&self, module: &str) -> bool {
        !self.disabled_modules.iter().any(|m| m == module)
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    guild_id: i64,
    prefix: Option<String>,
    locale: Option<String>,
    disabled_modules: Json<Vec<String>>,
    log_channels: Json<BTreeMap<String, i64>>,
    dj_role_id: Option<i64>,
    error_log_channel_id: Option<i64>,
    ai_enabled: bool,
    updated_at: DateTime<Utc>,
}

impl From<Row> for GuildSettings {
    fn from(r: Row) -> Self {
        Self {
            guild_id: GuildId::from_db(r.guild_id),
            prefix: r.prefix,
            locale: r.locale,
            disabled_modules: r.disabled_modules.0,
            log_channels: r.log_channels.0,
            dj_role_id: r.dj_role_id.map(RoleId::from_db),
            error_log_channel_id: r.error_log_channel_id.map(ChannelId::from_db),
            ai_enabled: r.ai_enabled,
            updated_at: Some(r.updated_at),
        }
    }
}

const COLUMNS: &str = "guild_id, prefix, locale, disabled_modules, log_channels, dj_role_id, \
                       error_log_channel_id, ai_enabled, updated_at";

/// Settings of `guild_id`, defaults when none are stored.
pub async fn get(storage: &Storage, guild_id: GuildId) -> Result<GuildSettings> {
    let sql = format!("SELECT {COLUMNS} FROM guild_settings WHERE guild_id = $1");
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as::<_, Row>(&sql)
            .bind(guild_id.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map_or_else(|| GuildSettings::defaults(guild_id), Into::into))
}

/// The SQL condition "`disabled_modules` contains the module bound as `param`" (`"$2"`, on a
/// `guild_settings` row) in the dialect's JSON functions.
pub(crate) fn module_disabled_sql(d: crate::Dialect, param: &str) -> String {
    match d {
        crate::Dialect::Postgres => format!("guild_settings.disabled_modules ? {param}"),
        crate::Dialect::Sqlite => format!(
            "EXISTS (SELECT 1 FROM json_each(guild_settings.disabled_modules) AS m \
             WHERE m.value = {param})"
        ),
    }
}

/// The guilds where `module` is disabled (`module disable`), in id order.
pub async fn with_module_disabled(storage: &Storage, module: &str) -> Result<Vec<GuildId>> {
    let rows: Vec<(i64,)> = conn_run!(storage, |conn, d| {
        let sql = format!(
            "SELECT guild_id FROM guild_settings WHERE {} ORDER BY guild_id",
            module_disabled_sql(d, "$1")
        );
        sqlx::query_as(&sql)
            .bind(module)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(|r| GuildId::from_db(r.0)).collect())
}

/// Reads, modifies and writes the settings of a guild in one transaction (row locked).
async fn update(
    storage: &Storage,
    guild_id: i64,
    f: impl FnOnce(&mut GuildSettings),
) -> Result<GuildSettings> {
    let now = Utc::now();
    let mut tx = storage.begin().await?;
    let mut s = lock(&mut tx, guild_id, now).await?;
    f(&mut s);
    s.disabled_modules.sort();
    s.disabled_modules.dedup();
    s.updated_at = Some(now);
    tx_run!(&mut tx, |conn| {
        sqlx::query(
            "UPDATE guild_settings SET prefix = $1, locale = $2, disabled_modules = $3, \
             log_channels = $4, dj_role_id = $5, error_log_channel_id = $6, ai_enabled = $7, \
             updated_at = $8 WHERE guild_id = $9",
        )
        .bind(&s.prefix)
        .bind(&s.locale)
        .bind(Json(&s.disabled_modules))
        .bind(Json(&s.log_channels))
        .bind(s.dj_role_id.map(RoleId::to_db))
        .bind(s.error_log_channel_id.map(ChannelId::to_db))
        .bind(s.ai_enabled)
        .bind(now)
        .bind(guild_id)
        .execute(&mut *conn)
        .await?;
    });
    tx.commit().await?;
    Ok(s)
}

/// Inserts the default row if missing and locks it; returns the current settings.
async fn lock(tx: &mut Tx, guild_id: i64, now: DateTime<Utc>) -> Result<GuildSettings> {
    let row: Row = tx_run!(tx, |conn, d| {
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, created_at, updated_at) VALUES ($1, $2, $2) \
             ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(guild_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM guild_settings WHERE guild_id = $1{}",
            d.for_update()
        );
        sqlx::query_as::<_, Row>(&sql)
            .bind(guild_id)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(row.into())
}

/// Sets (`Some`) or resets (`None`) the guild's command prefix. Empty or blank strings reset.
pub async fn set_prefix(
    storage: &Storage,
    guild_id: GuildId,
    prefix: Option<String>,
) -> Result<GuildSettings> {
    let prefix = prefix.filter(|p| !p.trim().is_empty());
    update(storage, guild_id.to_db(), |s| s.prefix = prefix).await
}

/// Enables or disables a module (by name) for the guild.
pub async fn set_module_enabled(
    storage: &Storage,
    guild_id: GuildId,
    module: &str,
    enabled: bool,
) -> Result<GuildSettings> {
    let module = module.to_string();
    update(storage, guild_id.to_db(), move |s| {
        if enabled {
            s.disabled_modules.retain(|m| *m != module);
        } else {
            s.disabled_modules.push(module);
        }
    })
    .await
}

/// Sets or clears the channel receiving error reports.
pub async fn set_error_log_channel(
    storage: &Storage,
    guild_id: GuildId,
    channel_id: Option<ChannelId>,
) -> Result<GuildSettings> {
    update(storage, guild_id.to_db(), |s| {
        s.error_log_channel_id = channel_id
    })
    .await
}

/// Sets or clears the log channel of one log kind (e.g. "mod", "invite", "gameplay").
pub async fn set_log_channel(
    storage: &Storage,
    guild_id: GuildId,
    kind: &str,
    channel_id: Option<ChannelId>,
) -> Result<GuildSettings> {
    let kind = kind.to_string();
    update(storage, guild_id.to_db(), move |s| match channel_id {
        Some(c) => {
            s.log_channels.insert(kind, c.to_db());
        }
        None => {
            s.log_channels.remove(&kind);
        }
    })
    .await
}

/// Sets or clears the DJ role.
pub async fn set_dj_role(
    storage: &Storage,
    guild_id: GuildId,
    role_id: Option<RoleId>,
) -> Result<GuildSettings> {
    update(storage, guild_id.to_db(), |s| s.dj_role_id = role_id).await
}

/// Sets or clears the locale.
pub async fn set_locale(
    storage: &Storage,
    guild_id: GuildId,
    locale: Option<String>,
) -> Result<GuildSettings> {
    update(storage, guild_id.to_db(), |s| s.locale = locale).await
}

/// Turns AI features on or off for the guild.
pub async fn set_ai_enabled(
    storage: &Storage,
    guild_id: GuildId,
    enabled: bool,
) -> Result<GuildSettings> {
    update(storage, guild_id.to_db(), |s| s.ai_enabled = enabled).await
}

/// The server's time zone (IANA name such as `Europe/Paris`; `None`: UTC). Read by the
/// announcements (schedules) and anything else that shows local times.
pub async fn timezone(storage: &Storage, guild_id: GuildId) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT timezone FROM guild_settings WHERE guild_id = $1")
            .bind(guild_id.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.and_then(|r| r.0))
}

/// Sets (`Some`, an IANA name the caller checked) or resets (`None`: UTC) the time zone;
/// returns the previous one.
pub async fn set_timezone(
    storage: &Storage,
    guild_id: GuildId,
    tz: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let mut tx = storage.begin().await?;
    lock(&mut tx, guild_id.to_db(), now).await?;
    let old: (Option<String>,) = tx_run!(&mut tx, |conn| {
        let old = sqlx::query_as("SELECT timezone FROM guild_settings WHERE guild_id = $1")
            .bind(guild_id.to_db())
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("UPDATE guild_settings SET timezone = $1, updated_at = $2 WHERE guild_id = $3")
            .bind(tz)
            .bind(now)
            .bind(guild_id.to_db())
            .execute(&mut *conn)
            .await?;
        old
    });
    tx.commit().await?;
    Ok(old.0)
}

/// Deletes the guild's settings (back to defaults), e.g. when the bot leaves the guild.
pub async fn reset(storage: &Storage, guild_id: GuildId) -> Result<bool> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query("DELETE FROM guild_settings WHERE guild_id = $1")
            .bind(guild_id.to_db())
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(n > 0)
}
