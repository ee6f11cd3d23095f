//! Upgrading a database of the old bot (coins in `users.mythcoins`).

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_storage::economy::{self, Memo};
use chronix_storage::testing::{empty_postgres, empty_sqlite};
use chronix_storage::{Dialect, Storage, legacy};

use crate::{exec, scalar};

#[tokio::test]
async fn legacy_mythcoins_sqlite() {
    let db = empty_sqlite().await;
    legacy_upgrade(db.storage()).await;
}

#[tokio::test]
async fn legacy_mythcoins_postgres() {
    let db = empty_postgres().await;
    legacy_upgrade(db.storage()).await;
}

async fn legacy_upgrade(s: Storage) {
    let ddl: &[&str] = match s.dialect() {
        Dialect::Postgres => &[
            "CREATE TABLE users (id BIGINT PRIMARY KEY, mythcoins BIGINT, global_xp BIGINT, \
             global_level INT, created_at TIMESTAMP DEFAULT now())",
            "CREATE TABLE transactions (id SERIAL PRIMARY KEY, user_id BIGINT, change BIGINT)",
            "CREATE INDEX transactions_user_idx ON transactions (user_id)",
        ],
        Dialect::Sqlite => &[
            "CREATE TABLE users (id INTEGER PRIMARY KEY, mythcoins INTEGER, global_xp INTEGER, \
             global_level INTEGER, created_at TEXT DEFAULT CURRENT_TIMESTAMP)",
            "CREATE TABLE transactions (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER, change INTEGER)",
        ],
    };
    for sql in ddl {
        exec(&s, sql).await.unwrap();
    }
    exec(
        &s,
        "INSERT INTO users (id, mythcoins, global_xp, global_level, created_at) VALUES \
              (1, 500, 1200, 3, '2024-05-01 12:00:00'), (2, 0, 10, 0, '2024-05-02 08:30:00'), \
              (3, NULL, NULL, NULL, NULL)",
    )
    .await
    .unwrap();
    exec(
        &s,
        "INSERT INTO transactions (user_id, change) VALUES (1, 500)",
    )
    .await
    .unwrap();

    s.migrate().await.unwrap();

    // column renamed, data preserved
    let cols = legacy::table_columns(&s, "users").await.unwrap();
    assert!(
        cols.contains(&"chrons".to_string()) && !cols.contains(&"mythcoins".to_string()),
        "{cols:?}"
    );
    let old_cols = legacy::table_columns(&s, "legacy_users_imported")
        .await
        .unwrap();
    assert!(
        old_cols.contains(&"chrons".to_string()) && !old_cols.contains(&"mythcoins".to_string())
    );
    assert_eq!(
        scalar(&s, "SELECT chrons FROM users WHERE id = 1").await,
        500
    );
    assert_eq!(
        scalar(&s, "SELECT global_xp FROM users WHERE id = 1").await,
        1200
    );
    assert_eq!(
        scalar(
            &s,
            "SELECT CAST(global_level AS BIGINT) FROM users WHERE id = 1"
        )
        .await,
        3
    );
    assert_eq!(scalar(&s, "SELECT chrons FROM users WHERE id = 3").await, 0);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM users").await, 3);
    let u1 = chronix_storage::users::get(&s, UserId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u1.created_at.to_rfc3339(), "2024-05-01T12:00:00+00:00");
    // the old ledger is kept aside; the new one starts with an opening balance
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM legacy_transactions").await,
        1
    );
    let h = economy::history(&s, UserId::new(1), 10, None)
        .await
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].change, h[0].balance_after, h[0].kind.as_str()),
        (Chrons::new(500), Chrons::new(500), "legacy_import")
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // migrations applied; running again is a no-op and the economy works
    s.migrate().await.unwrap();
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM users").await, 3);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM transactions").await, 1);
    let tr = economy::transfer(
        &s,
        UserId::new(1),
        UserId::new(2),
        Chrons::new(100),
        &Memo::new("after upgrade"),
    )
    .await
    .unwrap();
    assert_eq!(
        (tr.from.balance_after, tr.to.balance_after),
        (Chrons::new(400), Chrons::new(100))
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}
