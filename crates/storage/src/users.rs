//! Global user profiles (`users`): coins, bank, global XP and level.

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chrono::{DateTime, Utc};

use crate::{Result, Storage, Tx};

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    /// Discord user id.
    pub id: i64,
    /// Wallet balance (never negative).
    #[sqlx(try_from = "i64")]
    pub chrons: Chrons,
    /// Bank balance (never negative; for the bank feature).
    #[sqlx(try_from = "i64")]
    pub bank: Chrons,
    /// Global XP.
    pub global_xp: i64,
    /// Global level.
    pub global_level: i32,
    /// When the profile was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, chrons, bank, global_xp, global_level, created_at, updated_at";

/// The user, or `None` when they have no profile yet.
pub async fn get(storage: &Storage, user_id: UserId) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, User>(&sql)
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// The user, creating an empty profile (0 chrons) when missing.
pub async fn get_or_create(storage: &Storage, user_id: UserId) -> Result<User> {
    let mut tx = storage.begin().await?;
    let user = get_or_create_in(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(user)
}

/// [`get_or_create`] inside a transaction.
pub async fn get_or_create_in(tx: &mut Tx, user_id: UserId) -> Result<User> {
    ensure(tx, user_id).await?;
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    tx_run!(tx, |conn| {
        Ok(sqlx::query_as::<_, User>(&sql)
            .bind(user_id.to_db())
            .fetch_one(&mut *conn)
            .await?)
    })
}

/// Inserts an empty profile for `user_id` if there is none. Returns true when it was created.
pub async fn ensure(tx: &mut Tx, user_id: UserId) -> Result<bool> {
    let now = Utc::now();
    tx_run!(tx, |conn| {
        let r = sqlx::query(
            "INSERT INTO users (id, created_at, updated_at) VALUES ($1, $2, $2) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(user_id.to_db())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(r.rows_affected() == 1)
    })
}

/// Ensures the profile exists and locks its row until the end of the transaction
/// (`SELECT … FOR UPDATE` on Postgres; SQLite transactions already hold the write lock).
/// Returns the current wallet balance.
///
/// When locking several users, lock them in ascending id order to avoid deadlocks.
pub async fn lock(tx: &mut Tx, user_id: UserId) -> Result<i64> {
    ensure(tx, user_id).await?;
    tx_run!(tx, |conn, d| {
        let sql = format!("SELECT chrons FROM users WHERE id = $1{}", d.for_update());
        let (chrons,): (i64,) = sqlx::query_as(&sql)
            .bind(user_id.to_db())
            .fetch_one(&mut *conn)
            .await?;
        Ok(chrons)
    })
}

/// Number of user profiles.
pub async fn count(storage: &Storage) -> Result<i64> {
    conn_run!(storage, |conn| {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *conn)
            .await?;
        Ok(n)
    })
}
