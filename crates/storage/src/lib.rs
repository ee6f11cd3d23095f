//! Chronix storage: the only crate that speaks SQL (PostgreSQL and SQLite).
#![warn(missing_docs)]
//!
//! # Shape
//!
//! * [`Storage`] is a cheap, cloneable handle around a connection pool of either backend
//!   ([`Db::Postgres`] or [`Db::Sqlite`]); [`Storage::connect`] picks the backend from the URL.
//! * [`Tx`] is a write transaction of either backend. Features expose *composable in-transaction
//!   functions* taking `&mut Tx` (for example [`economy::apply`], [`audit::append_in`]) so a later
//!   feature (bets, marketplace, autohunt) can move coins, items and more in ONE transaction:
//!
//!   ```ignore
//!   let mut tx = storage.begin().await?;
//!   economy::apply(&mut tx, user, -cost, &Memo::new("autohunt run").kind("autohunt")).await?;
//!   my_feature::grant_items(&mut tx, user, &loot).await?; // written with `tx_run!`
//!   tx.commit().await?;
//!   ```
//!
//! * Each query is written once: the crate-internal macros `tx_run!` (inside a [`Tx`]) and
//!   `conn_run!` (on a pooled connection) expand the same body once per backend, with `conn`
//!   bound to `&mut PgConnection` or `&mut SqliteConnection` and an optional [`Dialect`] for the
//!   few places where SQL differs (`FOR UPDATE`, `SKIP LOCKED`).
//! * Time-dependent functions take `now: DateTime<Utc>` so tests control the clock.
//!
//! * The crate-internal `transaction!(storage, |tx| body)` runs `body` in a transaction, commits,
//!   and retries the whole body on transient errors (Postgres deadlock/serialization failure,
//!   SQLite busy; see [`StorageError::is_retryable`]). It is a macro rather than a method taking
//!   an async closure because such futures cannot be proven `Send` by today's compiler.
//!
//! Architecture invariant: no other crate runs SQL; every balance change goes through
//! [`economy::apply`] or, for many users at once (the autohunt batch), [`economy::apply_batch`]
//! (or a function built on them), which write a ledger row per change. No other module writes
//! `users.chrons` or `transactions`, except two bulk loaders that create players with their
//! opening ledger row (the legacy import and the benchmark seeder).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

/// Runs `$body` inside a [`Tx`], once per backend, with `$conn` bound to the backend's
/// connection (`&mut PgConnection` / `&mut SqliteConnection`) and the optional `$d` to the
/// [`Dialect`]. Use `&mut *$conn` as the executor.
macro_rules! tx_run {
    ($tx:expr, |$conn:ident $(, $d:ident)?| $body:expr) => {
        match $tx.inner_mut() {
            $crate::TxInner::Pg(t) => {
                let $conn: &mut ::sqlx::PgConnection = &mut **t;
                $(let $d = $crate::Dialect::Postgres;)?
                $body
            }
            $crate::TxInner::Sqlite(t) => {
                let $conn: &mut ::sqlx::SqliteConnection = &mut **t;
                $(let $d = $crate::Dialect::Sqlite;)?
                $body
            }
        }
    };
}

/// Like `tx_run!` but on a connection acquired from the pool, or a warm one (see [`warm`]),
/// in autocommit: for reads.
macro_rules! conn_run {
    ($storage:expr, |$conn:ident $(, $d:ident)?| $body:expr) => {
        match &$storage.db {
            // A warm connection when one waits (see `warm`): it is kept again only when the
            // body runs to its end (an error's `?` or a cancellation drops it to the pool).
            $crate::Db::Postgres(pool) => {
                let mut pooled = $storage.warm.checkout(pool).await?;
                let $conn: &mut ::sqlx::PgConnection = &mut *pooled;
                $(let $d = $crate::Dialect::Postgres;)?
                let out = $body;
                $storage.warm.keep(pooled, pool);
                out
            }
            $crate::Db::Sqlite(pool) => {
                let mut pooled = $storage.warm.checkout(pool).await?;
                let $conn: &mut ::sqlx::SqliteConnection = &mut *pooled;
                $(let $d = $crate::Dialect::Sqlite;)?
                let out = $body;
                $storage.warm.keep(pooled, pool);
                out
            }
        }
    };
}

/// Runs `$body` (an expression that may use `.await` and `?`, evaluating to `Result<T>`) inside
/// a write transaction bound to `$tx: &mut Tx`, commits, and retries the whole body (up to 5
/// attempts) when it fails with a transient error. The body must only touch the database
/// through `$tx`. Evaluates to `Result<T>`.
macro_rules! transaction {
    ($storage:expr, |$tx:ident| $body:expr) => {{
        let storage: &$crate::Storage = $storage;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let mut tx_value = storage.begin().await?;
            let res: $crate::Result<_> = {
                let $tx = &mut tx_value;
                async { $body }.await
            };
            let res = match res {
                Ok(v) => tx_value.commit().await.map(|()| v),
                Err(e) => {
                    // Explicit rollback so the connection is clean before a retry.
                    let _ = tx_value.rollback().await;
                    Err(e)
                }
            };
            match res {
                Err(e) if e.is_retryable() && attempt < $crate::TX_MAX_ATTEMPTS => {
                    tracing::debug!(attempt, error = %e, "transient database error, retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(5 * u64::from(attempt)))
                        .await;
                }
                other => break other,
            }
        }
    }};
}

/// Attempts made by `transaction!` before giving up on a transient error.
pub const TX_MAX_ATTEMPTS: u32 = 5;

pub mod announcements;
pub mod audit;
pub mod autohunt;
pub mod backup;
pub mod bank;
pub mod battles;
pub mod bets;
pub mod claims;
pub mod clans;
pub mod consumables;
pub mod cooldowns;
pub mod economy;
mod error;
pub mod eventboard;
pub mod giveaways;
mod guild_json;
pub mod guild_settings;
pub mod guild_users;
pub mod hunt;
pub mod inventory;
pub mod invites;
pub mod items;
pub mod jobs;
pub mod leaderboard;
pub mod legacy;
pub mod levels;
pub mod logging;
pub mod market;
pub mod moderation;
pub mod owner;
pub mod payments;
pub mod pets;
pub mod rankings;
pub mod rate_limits;
pub mod reactionroles;
mod role_grants;
pub mod shop;
pub mod tags;
pub mod teams;
pub mod tempvoice;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tickets;
pub mod trade;
pub mod trail;
pub mod users;
mod warm;
pub mod weapons;
pub mod welcome;
pub mod wizards;
pub mod xp_boosts;

pub use economy::Memo;
pub use error::{Missing, Refusal, Result, StorageError};

static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Which SQL dialect a connection speaks; used only where the dialects really differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// Row-lock suffix for a `SELECT`: `" FOR UPDATE"` on Postgres, nothing on SQLite (where a
    /// write transaction started with `BEGIN IMMEDIATE` already holds the database write lock).
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Postgres => " FOR UPDATE",
            Dialect::Sqlite => "",
        }
    }

    /// `" FOR UPDATE SKIP LOCKED"` on Postgres, nothing on SQLite.
    pub fn for_update_skip_locked(self) -> &'static str {
        match self {
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
            Dialect::Sqlite => "",
        }
    }
}

/// The connection pool of one backend.
#[derive(Clone, Debug)]
pub enum Db {
    /// PostgreSQL pool.
    Postgres(PgPool),
    /// SQLite pool (WAL, foreign keys on, busy timeout).
    Sqlite(SqlitePool),
}

/// Cloneable handle to the database. All storage functions take `&Storage` or `&mut Tx`.
#[derive(Clone, Debug)]
pub struct Storage {
    pub(crate) db: Db,
    /// Connections kept between autocommit statements ([`warm`]).
    pub(crate) warm: std::sync::Arc<warm::Warm>,
}

/// True when `opts` only *prefers* TLS (the default) and name a server on this machine
/// (loopback address, `localhost` or a Unix socket).
fn prefers_tls_on_loopback(opts: &PgConnectOptions) -> bool {
    if !matches!(opts.get_ssl_mode(), PgSslMode::Prefer) {
        return false;
    }
    let host = opts
        .get_host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    opts.get_socket().is_some()
        || host == "localhost"
        || host.starts_with('/')
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// How long an SQLite writer waits for the write lock before failing with `SQLITE_BUSY`.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl Storage {
    /// Connects to `url`: `postgres://…`/`postgresql://…` or `sqlite:…` (e.g.
    /// `sqlite://data/chronix.db`, `sqlite:chronix.db`). For SQLite the file and its directory
    /// are created when missing. Does not run migrations; call [`Storage::migrate`].
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let max_connections = max_connections.max(1);
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            Self::connect_postgres(opts, max_connections).await
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?;
            Self::connect_sqlite(opts, max_connections).await
        } else {
            Err(StorageError::Config(format!(
                "unsupported database URL scheme (want postgres:// or sqlite:): {}",
                redact_url(url)
            )))
        }
    }

    /// Connects to Postgres with explicit options.
    /// With `sslmode=prefer` (libpq's and sqlx's default) and a server on this machine, it
    /// connects without TLS, which protects nothing over loopback (its CPU cost per command
    /// was within the noise of `chronix bench commands`; the round trips are what cost).
    /// `sslmode=require` (or stricter) keeps TLS.
    pub async fn connect_postgres(opts: PgConnectOptions, max_connections: u32) -> Result<Self> {
        let opts = if prefers_tls_on_loopback(&opts) {
            opts.ssl_mode(PgSslMode::Disable)
        } else {
            opts
        };
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            // sqlx already pings every connection when it goes back to the pool; a second ping
            // on the way out doubled the round trips of a one-query command. A connection that
            // died while idle fails its next query, which the caller reports as a DB error.
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await?;
        let warm = std::sync::Arc::new(warm::Warm::for_pool(&pool));
        Ok(Self {
            db: Db::Postgres(pool),
            warm,
        })
    }

    /// Connects to SQLite with explicit options; WAL, foreign keys, `synchronous = NORMAL` and a
    /// busy timeout are always set, and the file (and its directory) is created when missing.
    pub async fn connect_sqlite(opts: SqliteConnectOptions, max_connections: u32) -> Result<Self> {
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let file = opts.get_filename().to_path_buf();
        let name = file.to_string_lossy();
        // `sqlite::memory:` becomes a shared-cache `file:sqlx-in-memory-N` database.
        let in_memory = name.is_empty()
            || name.contains(":memory:")
            || name.starts_with("file:sqlx-in-memory-")
            || name.contains("mode=memory");
        if !in_memory {
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StorageError::Config(format!("cannot create directory {}: {e}", dir.display()))
                })?;
            }
        }
        let mut pool = SqlitePoolOptions::new()
            .acquire_timeout(Duration::from_secs(60))
            // As for Postgres: sqlx pings on release already.
            .test_before_acquire(false);
        pool = if in_memory {
            // An in-memory database lives as long as its connection, and shared-cache locking
            // does not honour the busy timeout: keep exactly one connection, forever.
            pool.max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            pool.max_connections(max_connections)
        };
        let pool = pool.connect_with(opts).await?;
        let warm = std::sync::Arc::new(warm::Warm::for_pool(&pool));
        Ok(Self {
            db: Db::Sqlite(pool),
            warm,
        })
    }

    /// The underlying pool.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The dialect of this storage.
    pub fn dialect(&self) -> Dialect {
        match self.db {
            Db::Postgres(_) => Dialect::Postgres,
            Db::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// Runs the legacy fix-ups ([`legacy::prepare`]), then the embedded migrations of this
    /// backend, then the post-migration legacy import ([`legacy::finish`]).
    pub async fn migrate(&self) -> Result<()> {
        legacy::prepare(self).await?;
        match &self.db {
            Db::Postgres(pool) => PG_MIGRATOR.run(pool).await?,
            Db::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await?,
        }
        legacy::finish(self).await?;
        Ok(())
    }

    /// Versions of the embedded migrations of this backend, in order.
    pub fn migration_versions(&self) -> Vec<i64> {
        let m = match self.db {
            Db::Postgres(_) => &PG_MIGRATOR,
            Db::Sqlite(_) => &SQLITE_MIGRATOR,
        };
        m.iter().map(|m| m.version).collect()
    }

    /// Begins a write transaction: `BEGIN` on Postgres (READ COMMITTED; functions lock the rows
    /// they change), `BEGIN IMMEDIATE` on SQLite so concurrent writers queue on the busy timeout
    /// instead of failing with `SQLITE_BUSY` when upgrading a read lock.
    pub async fn begin(&self) -> Result<Tx> {
        // A writer that finds the pool full gets one of the warm connections first.
        let inner = match &self.db {
            Db::Postgres(pool) => {
                self.warm.make_room(pool);
                TxInner::Pg(pool.begin().await?)
            }
            Db::Sqlite(pool) => {
                self.warm.make_room(pool);
                TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)
            }
        };
        Ok(Tx { inner })
    }

    /// Closes the pool, waiting for connections to be returned (the warm ones first).
    pub async fn close(&self) {
        self.warm.release_all();
        match &self.db {
            Db::Postgres(pool) => pool.close().await,
            Db::Sqlite(pool) => pool.close().await,
        }
    }

    /// Cheap liveness check (`SELECT 1`), for health endpoints.
    pub async fn ping(&self) -> Result<()> {
        conn_run!(self, |conn| {
            sqlx::query("SELECT 1").execute(&mut *conn).await?;
        });
        Ok(())
    }
}

/// A write transaction on either backend. Dropping it without [`Tx::commit`] rolls back.
pub struct Tx {
    inner: TxInner,
}

/// The backend-specific transaction inside a [`Tx`]; matched by `tx_run!`.
pub(crate) enum TxInner {
    /// A Postgres transaction.
    Pg(sqlx::Transaction<'static, Postgres>),
    /// An SQLite transaction (started with `BEGIN IMMEDIATE`).
    Sqlite(sqlx::Transaction<'static, Sqlite>),
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Pg(t) => t.commit().await?,
            TxInner::Sqlite(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Rolls the transaction back explicitly.
    pub async fn rollback(self) -> Result<()> {
        match self.inner {
            TxInner::Pg(t) => t.rollback().await?,
            TxInner::Sqlite(t) => t.rollback().await?,
        }
        Ok(())
    }

    /// The dialect of this transaction.
    pub fn dialect(&self) -> Dialect {
        match self.inner {
            TxInner::Pg(_) => Dialect::Postgres,
            TxInner::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// The backend transaction, for `tx_run!`.
    pub(crate) fn inner_mut(&mut self) -> &mut TxInner {
        &mut self.inner
    }
}

/// Hides the password of a URL for error messages and logs.
pub(crate) fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Truncates a timestamp to whole microseconds (Postgres precision), so a value written and
/// read back is equal on both backends.
pub fn truncate_to_micros(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Timelike};
    let t = t.trunc_subsecs(6);
    debug_assert_eq!(t.nanosecond() % 1000, 0);
    t
}

#[cfg(test)]
mod connect_tests {
    use super::*;

    fn loopback(url: &str) -> bool {
        prefers_tls_on_loopback(&PgConnectOptions::from_str(url).unwrap())
    }

    #[test]
    fn tls_is_skipped_only_for_a_server_on_this_machine_that_merely_prefers_it() {
        if std::env::var_os("PGSSLMODE").is_some() {
            return; // the environment chooses the mode; nothing to decide
        }
        assert!(loopback("postgres://postgres@127.0.0.1:5432/postgres"));
        assert!(loopback("postgres://postgres@localhost/chronix"));
        assert!(loopback("postgres://postgres@[::1]:5432/chronix"));
        assert!(loopback("postgresql:///chronix?host=/var/run/postgresql"));
        assert!(loopback("postgres://postgres@127.0.0.1/c?sslmode=prefer"));
        assert!(!loopback("postgres://postgres@db.example.com/chronix"));
        assert!(!loopback("postgres://postgres@10.0.0.5/chronix"));
        assert!(!loopback("postgres://postgres@127.0.0.1/c?sslmode=require"));
        assert!(!loopback(
            "postgres://postgres@127.0.0.1/c?sslmode=verify-full"
        ));
    }
}
