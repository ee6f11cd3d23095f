//! Test support for every crate (feature `testing`): fresh, migrated databases.
//!
//! * [`fresh_sqlite`]: a new SQLite file in a unique temporary directory (removed on drop).
//! * [`fresh_postgres`]: a new, uniquely named database created through `TEST_DATABASE_URL`
//!   (default `postgres://postgres@127.0.0.1:5432/postgres`), dropped on drop. When Postgres is
//!   unreachable this **panics with a clear message**: tests fail, they never silently skip.
//!
//! [`TestDb`] derefs to [`Storage`], so `&db` works wherever `&Storage` is expected; keep the
//! `TestDb` alive for as long as the storage is used.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};

use crate::Storage;

/// Admin URL used when `TEST_DATABASE_URL` is not set.
pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A test database; dropped (Postgres) or deleted (SQLite) when this value is dropped.
pub struct TestDb {
    storage: Storage,
    cleanup: Cleanup,
}

enum Cleanup {
    Postgres {
        admin: Box<PgConnectOptions>,
        name: String,
    },
    Sqlite {
        dir: PathBuf,
    },
}

impl TestDb {
    /// A clone of the storage handle (valid while this `TestDb` lives).
    pub fn storage(&self) -> Storage {
        self.storage.clone()
    }

    /// The database name (Postgres) or file path (SQLite).
    pub fn name(&self) -> String {
        match &self.cleanup {
            Cleanup::Postgres { name, .. } => name.clone(),
            Cleanup::Sqlite { dir } => dir.join("chronix.db").display().to_string(),
        }
    }
}

impl std::ops::Deref for TestDb {
    type Target = Storage;
    fn deref(&self) -> &Storage {
        &self.storage
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin, name } => {
                // Drop cannot await: use a short-lived runtime on a helper thread.
                let admin = (**admin).clone();
                let name = name.clone();
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(mut c) = sqlx::PgConnection::connect_with(&admin).await {
                            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                            let _ = c.execute(sql.as_str()).await;
                            let _ = c.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh, migrated SQLite database in its own temporary directory.
pub async fn fresh_sqlite() -> TestDb {
    let db = empty_sqlite().await;
    db.migrate()
        .await
        .expect("migrating a fresh SQLite test database");
    db
}

/// A fresh SQLite database without migrations (for legacy-upgrade tests).
pub async fn empty_sqlite() -> TestDb {
    let dir = std::env::temp_dir().join(unique_name("chronix-test"));
    let opts = SqliteConnectOptions::new().filename(dir.join("chronix.db"));
    let storage = Storage::connect_sqlite(opts, 8).await.unwrap_or_else(|e| {
        panic!(
            "cannot create SQLite test database in {}: {e}",
            dir.display()
        )
    });
    TestDb {
        storage,
        cleanup: Cleanup::Sqlite { dir },
    }
}

/// A fresh, migrated Postgres database (pool of 10 connections). Panics when Postgres is
/// unreachable.
pub async fn fresh_postgres() -> TestDb {
    fresh_postgres_with(10).await
}

/// [`fresh_postgres`] with a chosen pool size.
pub async fn fresh_postgres_with(max_connections: u32) -> TestDb {
    let db = empty_postgres_with(max_connections).await;
    db.migrate()
        .await
        .expect("migrating a fresh Postgres test database");
    db
}

/// A fresh Postgres database without migrations (for legacy-upgrade tests).
pub async fn empty_postgres() -> TestDb {
    empty_postgres_with(10).await
}

async fn empty_postgres_with(max_connections: u32) -> TestDb {
    let url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_string());
    let shown = crate::redact_url(&url);
    let admin = PgConnectOptions::from_str(&url)
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL {shown} is not a valid Postgres URL: {e}"))
        .disable_statement_logging();
    let mut conn = sqlx::PgConnection::connect_with(&admin)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is unreachable at {shown} (TEST_DATABASE_URL): {e}. The storage tests \
             need a running PostgreSQL: start it or set TEST_DATABASE_URL to an admin URL."
            )
        });
    let name = unique_name("chronix_test");
    conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name} at {shown}: {e}"));
    // Tests do not need durability across an OS crash: skip the WAL flush on commit.
    let _ = conn
        .execute(format!("ALTER DATABASE \"{name}\" SET synchronous_commit = off").as_str())
        .await;
    let _ = conn.close().await;
    let storage = Storage::connect_postgres(admin.clone().database(&name), max_connections)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to test database {name} at {shown}: {e}"));
    TestDb {
        storage,
        cleanup: Cleanup::Postgres {
            admin: Box::new(admin),
            name,
        },
    }
}
