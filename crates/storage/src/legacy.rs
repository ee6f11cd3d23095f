//! Upgrading databases of old bot versions (the Python bot, where coins were `mythcoins`).
//!
//! SQLite cannot run conditional DDL in SQL, so this runs in Rust around the migrator, on both
//! backends, and logs every step:
//!
//! 1. [`prepare`] (before migrations), only when our first migration has not been applied and a
//!    `users` table exists: renames `users.mythcoins` to `chrons`, then moves every legacy table
//!    whose name our schema uses out of the way (`users` → `legacy_users`, with its indexes and
//!    sequences on Postgres), so the migrations create the current schema.
//! 2. [`finish`] (after migrations), when `legacy_users` exists: copies the profiles into
//!    `users` (balances, XP, level, creation time), writes one opening-balance ledger row per
//!    user with coins (so the ledger still reconciles), and renames `legacy_users` to
//!    `legacy_users_imported`, all in one transaction (crash-safe, runs once). Other legacy
//!    tables are kept as `legacy_*` for manual inspection.

use chrono::Utc;

use crate::{Db, Result, Storage};

/// Version of the first migration (same number in both folders).
pub const FIRST_MIGRATION: i64 = 20261124000001;

/// Every table created by our migrations (legacy tables with these names are moved aside).
pub const SCHEMA_TABLES: &[&str] = &[
    "users",
    "guild_users",
    "transactions",
    "cooldowns",
    "guild_settings",
    "leaderboard_cache",
    "item_definitions",
    "user_items",
    "pets",
    "weapons",
    "gems",
    "crates",
    "autohunt_sessions",
    "battles",
    "clans",
    "clan_members",
    "announcements",
    "logs",
    "rss_feeds",
    "youtube_channels",
    "ticket_panels",
    "tickets",
    "mod_cases",
    "warnings",
    "music_queue",
    "jobs",
    "audit_log",
    "audit_head",
];

/// Names of the columns of `table` (empty when the table does not exist).
pub async fn table_columns(storage: &Storage, table: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = conn_run!(storage, |conn, d| {
        let sql = match d {
            crate::Dialect::Postgres => {
                "SELECT column_name::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 ORDER BY ordinal_position"
            }
            crate::Dialect::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        };
        sqlx::query_as(sql)
            .bind(table)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// True when `table` exists (table or view).
pub async fn table_exists(storage: &Storage, table: &str) -> Result<bool> {
    let n: (i64,) = conn_run!(storage, |conn, d| {
        let sql = match d {
            crate::Dialect::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1"
            }
            crate::Dialect::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = $1"
            }
        };
        sqlx::query_as(sql)
            .bind(table)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n.0 > 0)
}

async fn schema_applied(storage: &Storage) -> Result<bool> {
    if !table_exists(storage, "_sqlx_migrations").await? {
        return Ok(false);
    }
    let n: (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE version = $1")
            .bind(FIRST_MIGRATION)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n.0 > 0)
}

/// Pre-migration step; a no-op on fresh and current databases. Returns true when it changed
/// something.
pub async fn prepare(storage: &Storage) -> Result<bool> {
    if schema_applied(storage).await? || !table_exists(storage, "users").await? {
        return Ok(false);
    }
    tracing::warn!("legacy schema found (users table without Chronix migrations): upgrading");
    let columns = table_columns(storage, "users").await?;
    let mut moved = Vec::new();
    for table in SCHEMA_TABLES {
        if table_exists(storage, table).await? {
            moved.push(*table);
        }
    }
    let mut tx = storage.begin().await?;
    if columns.iter().any(|c| c == "mythcoins") && !columns.iter().any(|c| c == "chrons") {
        tracing::warn!("legacy schema: renaming users.mythcoins to users.chrons");
        tx_run!(&mut tx, |conn| {
            sqlx::query("ALTER TABLE users RENAME COLUMN mythcoins TO chrons")
                .execute(&mut *conn)
                .await?;
        });
    }
    for table in &moved {
        let legacy = format!("legacy_{table}");
        tracing::warn!("legacy schema: renaming table {table} to {legacy}");
        tx_run!(&mut tx, |conn| {
            sqlx::query(&format!("ALTER TABLE {table} RENAME TO {legacy}"))
                .execute(&mut *conn)
                .await?;
        });
        if let Db::Postgres(_) = storage.db {
            rename_pg_dependents(&mut tx, &legacy).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Postgres: index and sequence names are schema-wide, so rename those of a moved legacy table
/// (e.g. `users_pkey` → `legacy_users_pkey`) to free the names for the new schema.
async fn rename_pg_dependents(tx: &mut crate::Tx, legacy_table: &str) -> Result<()> {
    let crate::TxInner::Pg(t) = tx.inner_mut() else {
        return Ok(());
    };
    let names: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::TEXT, c.relkind::TEXT FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() \
         WHERE c.relkind IN ('i', 'S') AND c.relname NOT LIKE 'legacy\\_%' AND ( \
            c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = CAST($1 AS TEXT)::regclass) \
            OR c.oid IN (SELECT objid FROM pg_depend WHERE refobjid = CAST($1 AS TEXT)::regclass \
                         AND classid = 'pg_class'::regclass))",
    )
    .bind(legacy_table)
    .fetch_all(&mut **t)
    .await?;
    for (name, kind) in names {
        let what = if kind == "S" { "SEQUENCE" } else { "INDEX" };
        tracing::warn!("legacy schema: renaming {what} {name} to legacy_{name}");
        sqlx::query(&format!(
            "ALTER {what} \"{name}\" RENAME TO \"legacy_{name}\""
        ))
        .execute(&mut **t)
        .await?;
    }
    Ok(())
}

/// Post-migration step: imports `legacy_users` into `users` once. Returns the number of users
/// imported.
pub async fn finish(storage: &Storage) -> Result<u64> {
    if !table_exists(storage, "legacy_users").await? {
        return Ok(0);
    }
    let cols = table_columns(storage, "legacy_users").await?;
    let has = |c: &str| cols.iter().any(|x| x == c);
    let non_negative = |c: &str| {
        if has(c) {
            format!("CASE WHEN {c} > 0 THEN {c} ELSE 0 END")
        } else {
            "0".to_string()
        }
    };
    let coins = non_negative("chrons");
    let xp = non_negative("global_xp");
    let level = non_negative("global_level");
    let now = Utc::now();
    let mut tx = storage.begin().await?;
    let imported = tx_run!(&mut tx, |conn, d| {
        let created = match (has("created_at"), d) {
            (true, crate::Dialect::Postgres) => "COALESCE(CAST(created_at AS TIMESTAMPTZ), $1)",
            (true, crate::Dialect::Sqlite) => {
                "COALESCE(strftime('%Y-%m-%dT%H:%M:%f+00:00', created_at), $1)"
            }
            (false, _) => "$1",
        };
        let sql = format!(
            "INSERT INTO users (id, chrons, bank, global_xp, global_level, created_at, updated_at) \
             SELECT id, {coins}, 0, {xp}, {level}, {created}, $1 FROM legacy_users \
             WHERE id IS NOT NULL ON CONFLICT (id) DO NOTHING"
        );
        let n = sqlx::query(&sql)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        sqlx::query(
            "INSERT INTO transactions (user_id, change, balance_after, reason, kind, \
             idempotency_key, created_at) \
             SELECT id, chrons, chrons, 'opening balance imported from the legacy schema', \
                    'legacy_import', 'legacy-import', $1 \
             FROM users WHERE chrons > 0 AND id IN (SELECT id FROM legacy_users) \
             ON CONFLICT (user_id, idempotency_key) DO NOTHING",
        )
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query("ALTER TABLE legacy_users RENAME TO legacy_users_imported")
            .execute(&mut *conn)
            .await?;
        n
    });
    tx.commit().await?;
    tracing::warn!(
        imported,
        "legacy schema: imported users from legacy_users (kept as legacy_users_imported)"
    );
    Ok(imported)
}
