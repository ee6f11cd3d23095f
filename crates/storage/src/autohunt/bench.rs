//! Benchmark support (`chronix bench autohunt`): a scratch database (a fresh Postgres database
//! on a given server, or a fresh SQLite file in a temporary directory), dropped afterwards.

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
pub async fn create_scratch_postgres(admin_url: &str, max_connections: u32) -> Result<ScratchDb> {
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
    let storage = Storage::connect_postgres(admin.clone().database(&name), max_connections).await?;
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
