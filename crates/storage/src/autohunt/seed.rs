//! Seeding due sessions for benchmarks and load tests.

use super::*;

/// Seeds `n` players with ids `first_id..first_id + n`, each with `balance` Chrons (and the
/// matching seed ledger row) and an enabled level-1 session due at `due_at`, started on one of
/// 100 servers (`live_guild_id` 1000–1099, as sessions started in a server are), in one
/// transaction. For benchmarks and load tests; refuses ids that already exist (unique
/// violation).
pub async fn seed_due_sessions(
    storage: &Storage,
    first_id: i64,
    n: i64,
    balance: i64,
    due_at: DateTime<Utc>,
) -> Result<()> {
    if n <= 0 {
        return Ok(());
    }
    if balance <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(balance)));
    }
    let last = first_id
        .checked_add(n - 1)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    const SERIES: &str = "WITH RECURSIVE g(x) AS (SELECT CAST($1 AS BIGINT) UNION ALL SELECT x + 1 FROM g WHERE x < $2)";
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            sqlx::query(&format!(
                "{SERIES} INSERT INTO users (id, chrons, created_at, updated_at) \
                 SELECT x, $3, $4, $4 FROM g"
            ))
            .bind(first_id)
            .bind(last)
            .bind(balance)
            .bind(due_at)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "{SERIES} INSERT INTO transactions (user_id, change, balance_after, reason, kind, \
                 created_at) SELECT x, $3, $3, 'seed', 'seed', $4 FROM g"
            ))
            .bind(first_id)
            .bind(last)
            .bind(balance)
            .bind(due_at)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "{SERIES} INSERT INTO autohunt_sessions (user_id, enabled, next_run_at, level, \
                 cost, live_guild_id, created_at, updated_at) \
                 SELECT x, TRUE, $3, 1, 0, 1000 + x % 100, $3, $3 FROM g"
            ))
            .bind(first_id)
            .bind(last)
            .bind(due_at)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    })?;
    // A live database has planner statistics (autovacuum keeps them); freshly bulk-loaded
    // tables have none, and without them Postgres claims the first batches with a bitmap scan
    // and a sort of every due session (100 ms each at 100,000 sessions) instead of walking the
    // due index.
    conn_run!(storage, |conn| {
        sqlx::query("ANALYZE users").execute(&mut *conn).await?;
        sqlx::query("ANALYZE autohunt_sessions")
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
