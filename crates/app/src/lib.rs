//! The `chronix` application: wiring of the layers (configuration, database, bot, health server,
//! sandbox playground, benchmarks). The binary (`main.rs`) parses the command line and calls in
//! here; the end-to-end tests (`tests/e2e`) use the same functions, so they exercise the binary's
//! own wiring.
//!
//! Architecture invariant: migrations run once at start-up, in [`connect_and_migrate`] (the bot
//! and `chronix migrate`) or in the playground's own database set-up; the bot never migrates.

pub mod bench;
pub mod bot;
pub mod logging;
pub mod playground;

use anyhow::Context as _;
use chronix_config::Config;

/// Connect to the configured database and apply every pending migration (including the
/// legacy `mythcoins` → `chrons` upgrade). Returns the connected storage.
pub async fn connect_and_migrate(config: &Config) -> anyhow::Result<chronix_storage::Storage> {
    let url = config
        .database_url
        .expose()
        .context("DATABASE_URL is empty")?;
    let backend = if config.uses_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let storage = chronix_storage::Storage::connect(url, config.database_max_connections)
        .await
        .with_context(|| format!("cannot connect to the {backend} database (DATABASE_URL)"))?;
    storage.migrate().await.context("applying migrations")?;
    let versions = storage.migration_versions();
    tracing::info!(
        backend,
        migrations = versions.len(),
        latest = versions.last().copied().unwrap_or_default(),
        "database ready"
    );
    Ok(storage)
}
