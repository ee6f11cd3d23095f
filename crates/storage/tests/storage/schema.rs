use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use std::collections::BTreeMap;
use std::path::Path;

use chronix_storage::jobs::{self, NewJob};
use chronix_storage::{Dialect, Storage, StorageError, legacy};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

use crate::{exec, scalar, strings};

fn migration_files(dir: &str) -> BTreeMap<i64, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(dir);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .map(|n| (n.split('_').next().unwrap().parse::<i64>().unwrap(), n))
        .collect()
}

#[test]
fn both_migration_folders_list_the_same_versions() {
    let pg = migration_files("postgres");
    let lite = migration_files("sqlite");
    assert!(!pg.is_empty());
    assert_eq!(
        pg, lite,
        "migrations/postgres and migrations/sqlite must have the same files"
    );
    assert_eq!(*pg.keys().next().unwrap(), legacy::FIRST_MIGRATION);
}

both!(
    migrations_create_every_table,
    migrate_twice_is_noop,
    timestamps_order_correctly
);

async fn migrations_create_every_table(s: Storage) {
    for table in legacy::SCHEMA_TABLES.iter().chain(&["leaderboard_global"]) {
        assert!(
            legacy::table_exists(&s, table).await.unwrap(),
            "missing table {table}"
        );
    }
    let versions = s.migration_versions();
    let files: Vec<i64> = migration_files("postgres").into_keys().collect();
    assert_eq!(versions, files);
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM _sqlx_migrations").await,
        files.len() as i64
    );
    s.ping().await.unwrap();
    // constraints hold even for raw SQL
    assert!(
        exec(&s, "INSERT INTO users (id, chrons) VALUES (1, -1)")
            .await
            .is_err()
    );
    assert!(
        exec(
            &s,
            "INSERT INTO guild_users (guild_id, user_id) VALUES (1, 999)"
        )
        .await
        .is_err(),
        "foreign keys must be enforced"
    );
    if s.dialect() == Dialect::Sqlite {
        assert_eq!(
            strings(&s, "PRAGMA journal_mode").await,
            vec!["wal".to_string()]
        );
        assert_eq!(scalar(&s, "PRAGMA foreign_keys").await, 1);
    }
}

async fn migrate_twice_is_noop(s: Storage) {
    s.migrate().await.unwrap();
    s.migrate().await.unwrap();
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM users").await, 0);
}

/// Timestamps with every sub-second precision sort and compare chronologically (on SQLite
/// they are RFC 3339 text written by sqlx: checks that text order is time order).
async fn timestamps_order_correctly(s: Storage) {
    let base = Utc.with_ymd_and_hms(2026, 3, 9, 23, 59, 59).unwrap();
    let mut times: Vec<DateTime<Utc>> = vec![
        base,
        base + Duration::nanoseconds(1_000),
        base + Duration::microseconds(10),
        base + Duration::milliseconds(5),
        base + Duration::milliseconds(500),
        base + Duration::microseconds(500_001),
        base + Duration::milliseconds(999),
        base + Duration::seconds(1),
        base + Duration::seconds(1) + Duration::microseconds(1),
        base + Duration::days(400),
        base - Duration::days(10_000),
        Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap() + Duration::microseconds(123_456),
    ];
    // insert in a scrambled order
    let mut shuffled = times.clone();
    shuffled.reverse();
    shuffled.rotate_left(5);
    for (i, at) in shuffled.iter().enumerate() {
        jobs::enqueue(&s, NewJob::new("order", json!(i), *at), base)
            .await
            .unwrap();
    }
    times.sort();
    // ORDER BY run_at
    let db_order: Vec<DateTime<Utc>> = match s.db() {
        chronix_storage::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT run_at FROM jobs ORDER BY run_at")
                .fetch_all(p)
                .await
                .unwrap()
        }
        chronix_storage::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT run_at FROM jobs ORDER BY run_at")
                .fetch_all(p)
                .await
                .unwrap()
        }
    };
    assert_eq!(db_order, times);
    // <= comparisons with a bound parameter: claim_due at each time gets exactly the due ones
    let mut claimed = 0;
    for (i, at) in times.iter().enumerate() {
        let got = jobs::claim_due(&s, "w", *at, 100, Duration::days(100_000))
            .await
            .unwrap();
        assert_eq!(got.len(), 1, "at {at} (index {i})");
        assert_eq!(got[0].run_at, *at);
        claimed += got.len();
    }
    assert_eq!(claimed, times.len());
}

#[tokio::test]
async fn connect_creates_sqlite_file_and_directory() {
    let dir = std::env::temp_dir().join(format!("chronix-connect-{}", uuid::Uuid::new_v4()));
    let file = dir.join("nested/deeper/chronix.db");
    let s = Storage::connect(&format!("sqlite://{}", file.display()), 4)
        .await
        .unwrap();
    s.migrate().await.unwrap();
    assert!(file.exists());
    assert_eq!(s.dialect(), Dialect::Sqlite);
    s.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn connect_rejects_unknown_scheme() {
    let err = Storage::connect("mysql://root:secret@localhost/db", 1)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StorageError::Config(ref m) if m.contains("mysql://root:***@localhost/db")),
        "{err}"
    );
}

#[tokio::test]
async fn sqlite_in_memory_works() {
    let s = Storage::connect("sqlite::memory:", 8).await.unwrap();
    s.migrate().await.unwrap();
    let m = chronix_storage::economy::Memo::new("x");
    chronix_storage::economy::credit(&s, UserId::new(1), Chrons::new(10), &m)
        .await
        .unwrap();
    chronix_storage::economy::transfer(&s, UserId::new(1), UserId::new(2), Chrons::new(4), &m)
        .await
        .unwrap();
    assert_eq!(
        chronix_storage::economy::balance(&s, UserId::new(2))
            .await
            .unwrap(),
        4
    );
}
