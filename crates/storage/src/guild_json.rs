//! A server's settings record kept as one JSON document in a `(guild_id, config, updated_at)`
//! table (`level_settings`, `welcome_settings`): read with defaults, written by upsert. The
//! caller validates before writing and audits in the same transaction.

use chronix_core::ids::GuildId;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::{Result, Storage, StorageError, Tx};

/// The record of `guild` in `table`, or `T::default()` when it never saved one.
pub(crate) async fn load<T: DeserializeOwned + Default>(
    storage: &Storage,
    table: &'static str,
    guild: GuildId,
) -> Result<T> {
    let sql = format!("SELECT config FROM {table} WHERE guild_id = $1");
    let row: Option<(String,)> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        None => Ok(T::default()),
        Some((json,)) => serde_json::from_str(&json)
            .map_err(|e| StorageError::Corrupt(format!("{table} of {guild}: {e}"))),
    }
}

/// Writes the record of `guild` in `table` inside `tx`.
pub(crate) async fn store_in(
    tx: &mut Tx,
    table: &'static str,
    guild: GuildId,
    json: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO {table} (guild_id, config, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (guild_id) DO UPDATE SET config = excluded.config, \
         updated_at = excluded.updated_at"
    );
    tx_run!(tx, |conn| {
        sqlx::query(&sql)
            .bind(guild.to_db())
            .bind(json)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
