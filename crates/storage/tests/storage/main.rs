//! The storage test suite: every case is written once as `async fn case(s: Storage)` and run on
//! both backends by `both!`, which generates `<case>::sqlite` and `<case>::postgres` tests
//! (fresh database each). Postgres comes from `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); when it is unreachable the Postgres tests fail.

use chronix_storage::{Db, Storage};
use chrono::{DateTime, TimeZone, Utc};

/// Generates a `sqlite` and a `postgres` test for each named `async fn name(s: Storage)`.
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = chronix_storage::testing::fresh_sqlite().await;
                    super::$name(db.storage()).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = chronix_storage::testing::fresh_postgres_with(20).await;
                    super::$name(db.storage()).await;
                }
            }
        )*
    };
}

/// Like `both!`, for cases that take the whole `TestDb` (to reconnect, e.g. a simulated restart).
macro_rules! both_db {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(chronix_storage::testing::fresh_sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(chronix_storage::testing::fresh_postgres_with(20).await).await;
                }
            }
        )*
    };
}

mod announcements;
mod audit;
mod autohunt;
mod battles;
mod clans;
mod cooldowns;
mod economy;
mod economy_features;
mod giveaways;
mod hunt;
mod invites;
mod items;
mod jobs;
mod leaderboard;
mod legacy;
mod levels;
mod logging;
mod mass_actions;
mod moderation;
mod owner;
mod payments;
mod pets;
mod rate_limits;
mod reactionroles;
mod schema;
mod settings;
mod tags;
mod tempvoice;
mod tickets;
mod trail;
mod users;
mod weapons;
mod welcome;
mod wizards;

/// A fixed test clock: 2026-01-01T00:00:00Z plus `secs`.
pub fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

/// The game tables shipped in `assets/tables`.
pub fn tables() -> chronix_core::tables::Tables {
    chronix_core::tables::Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
        .expect("shipped tables are valid")
}

/// Runs one raw statement (test-only tampering and inspection).
pub async fn exec(s: &Storage, sql: &str) -> Result<u64, sqlx::Error> {
    match s.db() {
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
    }
}

/// Runs a query returning one BIGINT.
pub async fn scalar(s: &Storage, sql: &str) -> i64 {
    match s.db() {
        Db::Postgres(p) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

/// Runs a query returning a list of strings.
pub async fn strings(s: &Storage, sql: &str) -> Vec<String> {
    match s.db() {
        Db::Postgres(p) => sqlx::query_scalar::<_, String>(sql)
            .fetch_all(p)
            .await
            .unwrap(),
        Db::Sqlite(p) => sqlx::query_scalar::<_, String>(sql)
            .fetch_all(p)
            .await
            .unwrap(),
    }
}

/// The refusal of a storage call that must have been refused (panics on success or failure).
pub fn refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> chronix_storage::Refusal {
    match r {
        Err(chronix_storage::StorageError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}
