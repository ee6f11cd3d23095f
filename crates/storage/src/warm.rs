//! Warm connections: autocommit statements (`conn_run!`) hand their connection to a small
//! stash instead of back to the pool, and the next one takes it from there.
//!
//! Why: sqlx pings every connection it takes back into its pool (a `Sync` round trip on
//! PostgreSQL, a round trip to the worker thread on SQLite), so a one-query command such as
//! `balance` paid two round trips. The profile of `chronix bench commands --mode balance` on
//! PostgreSQL put that ping at ~11 % of the bot's CPU per command. The ping exists to flush what
//! an interrupted statement or a dropped transaction left behind; a connection goes to the
//! stash only when its statement ran to the end, so it has nothing to flush:
//! - a statement that fails (`?`) or is cancelled (its future dropped) drops its connection,
//!   which goes back to the pool the usual way, ping included;
//! - a connection that sat in the stash longer than [`IDLE`] goes back to the pool (so the
//!   pool's idle timeout and maximum lifetime still apply) and a fresh one is taken;
//! - the stash holds at most half the pool ([`Warm::for_pool`]; none for a pool of one
//!   connection, such as an in-memory SQLite database), and a transaction that finds the pool
//!   full with no idle connection releases one stashed connection to it first
//!   ([`Warm::make_room`]), so writers are never starved by idle readers;
//! - [`crate::Storage::close`] empties the stash before it closes the pool.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool, Postgres, Sqlite};

/// How long a connection may wait in the stash before it goes back to the pool.
pub(crate) const IDLE: Duration = Duration::from_secs(30);

/// One backend's stash: connections with the moment they were put in.
type Slot<DB> = Mutex<Vec<(Instant, PoolConnection<DB>)>>;

/// The stash of both backends (only the one in use ever holds anything).
pub(crate) struct Warm {
    cap: usize,
    pg: Slot<Postgres>,
    lite: Slot<Sqlite>,
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Warm").field("cap", &self.cap).finish()
    }
}

/// A backend's slot in [`Warm`].
pub(crate) trait Stashed: Database {
    fn slot(warm: &Warm) -> &Slot<Self>;
}

impl Stashed for Postgres {
    fn slot(warm: &Warm) -> &Slot<Self> {
        &warm.pg
    }
}

impl Stashed for Sqlite {
    fn slot(warm: &Warm) -> &Slot<Self> {
        &warm.lite
    }
}

impl Warm {
    /// A stash for `pool`: it keeps at most half of its connections.
    pub(crate) fn for_pool<DB: Database>(pool: &Pool<DB>) -> Self {
        Self::new(pool.options().get_max_connections())
    }

    fn new(max_connections: u32) -> Self {
        Self {
            cap: (max_connections / 2) as usize,
            pg: Mutex::new(Vec::new()),
            lite: Mutex::new(Vec::new()),
        }
    }

    /// A stashed connection that has not waited longer than [`IDLE`] (older ones go back to
    /// the pool on the way), else one from `pool`.
    pub(crate) async fn checkout<DB: Stashed>(
        &self,
        pool: &Pool<DB>,
    ) -> sqlx::Result<PoolConnection<DB>> {
        if let Some(conn) = self.take() {
            return Ok(conn);
        }
        pool.acquire().await
    }

    fn take<DB: Stashed>(&self) -> Option<PoolConnection<DB>> {
        let mut slot = DB::slot(self)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while let Some((since, conn)) = slot.pop() {
            if since.elapsed() < IDLE {
                return Some(conn);
            }
            drop(conn);
        }
        None
    }

    /// Keeps `conn` (whose statement ran to the end) for the next statement, or gives it back to
    /// `pool` when the stash is full or the pool closed.
    pub(crate) fn keep<DB: Stashed>(&self, conn: PoolConnection<DB>, pool: &Pool<DB>) {
        if pool.is_closed() {
            return;
        }
        let mut slot = DB::slot(self)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.len() < self.cap {
            slot.push((Instant::now(), conn));
        }
    }

    /// Before a transaction: when `pool` is full and has no idle connection, gives one stashed
    /// connection back to it, so writers are never starved by idle readers.
    pub(crate) fn make_room<DB: Stashed>(&self, pool: &Pool<DB>) {
        if pool.num_idle() > 0 || pool.size() < pool.options().get_max_connections() {
            return;
        }
        let conn = DB::slot(self)
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        drop(conn);
    }

    /// Gives every stashed connection back to the pool.
    pub(crate) fn release_all(&self) {
        let pg = std::mem::take(&mut *self.pg.lock().unwrap_or_else(PoisonError::into_inner));
        let lite = std::mem::take(&mut *self.lite.lock().unwrap_or_else(PoisonError::into_inner));
        drop((pg, lite));
    }

    /// Connections in the stash.
    #[cfg(test)]
    pub(crate) fn len<DB: Stashed>(&self) -> usize {
        DB::slot(self)
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for Warm {
    fn drop(&mut self) {
        // A pooled connection goes back to its pool in a task of its own, which needs a Tokio
        // runtime; without one (a handle dropped after its runtime) the sockets are left to the
        // process's end rather than panicking here.
        if tokio::runtime::Handle::try_current().is_err() {
            let pg = std::mem::take(self.pg.get_mut().unwrap_or_else(PoisonError::into_inner));
            let lite = std::mem::take(self.lite.get_mut().unwrap_or_else(PoisonError::into_inner));
            std::mem::forget((pg, lite));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::Sqlite;

    use crate::{Result, Storage};

    /// A scratch directory, removed on drop.
    struct Dir(std::path::PathBuf);

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    async fn two_connection_sqlite() -> (Dir, Storage) {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("chronix-warm-{}-{n}", std::process::id()));
        let url = format!("sqlite://{}", dir.join("warm.db").display());
        let storage = Storage::connect(&url, 2).await.unwrap();
        (Dir(dir), storage)
    }

    async fn one(storage: &Storage) -> Result<i64> {
        let (n,): (i64,) = conn_run!(storage, |conn| {
            sqlx::query_as("SELECT 1").fetch_one(&mut *conn).await?
        });
        Ok(n)
    }

    async fn broken(storage: &Storage) -> Result<()> {
        conn_run!(storage, |conn| {
            sqlx::query("SELECT * FROM no_such_table")
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    #[tokio::test]
    async fn a_finished_statement_keeps_its_connection_and_a_failed_one_does_not() {
        let (_dir, storage) = two_connection_sqlite().await;
        assert_eq!(storage.warm.len::<Sqlite>(), 0);
        assert_eq!(one(&storage).await.unwrap(), 1);
        assert_eq!(
            storage.warm.len::<Sqlite>(),
            1,
            "kept for the next statement"
        );
        assert_eq!(one(&storage).await.unwrap(), 1);
        assert_eq!(
            storage.warm.len::<Sqlite>(),
            1,
            "the same one, taken and kept again"
        );
        assert!(broken(&storage).await.is_err());
        assert_eq!(
            storage.warm.len::<Sqlite>(),
            0,
            "a failed statement's goes to the pool"
        );
        // and the pool still serves
        assert_eq!(one(&storage).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_cancelled_statement_does_not_keep_its_connection() {
        let (_dir, storage) = two_connection_sqlite().await;
        let slow = async {
            conn_run!(&storage, |conn| {
                // a recursive count long enough to be cancelled halfway
                sqlx::query(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c \
                     WHERE x < 50000000) SELECT count(*) FROM c",
                )
                .execute(&mut *conn)
                .await?;
            });
            Ok::<(), crate::StorageError>(())
        };
        let cancelled = tokio::time::timeout(Duration::from_millis(50), slow).await;
        assert!(cancelled.is_err(), "the statement was still running");
        assert_eq!(storage.warm.len::<Sqlite>(), 0);
        assert_eq!(one(&storage).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn writers_get_warm_connections_when_the_pool_has_none_idle() {
        // A pool of two keeps at most one warm; with that one kept and the other in a
        // transaction, a second transaction must still begin (it would wait forever if the warm
        // connection were not given back).
        let (_dir, storage) = two_connection_sqlite().await;
        let first = storage.begin().await.unwrap();
        one(&storage).await.unwrap();
        assert_eq!(storage.warm.len::<Sqlite>(), 1);
        // the first transaction holds SQLite's write lock: finish it from another task while the
        // second waits for a connection and then for the lock
        let second = {
            let storage = storage.clone();
            tokio::spawn(async move {
                let tx = storage.begin().await?;
                tx.commit().await
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        first.commit().await.unwrap();
        tokio::time::timeout(Duration::from_secs(10), second)
            .await
            .expect("the second transaction began")
            .unwrap()
            .unwrap();
        assert_eq!(storage.warm.len::<Sqlite>(), 0);
    }

    #[tokio::test]
    async fn close_returns_the_warm_connections_first() {
        let (_dir, storage) = two_connection_sqlite().await;
        one(&storage).await.unwrap();
        assert_eq!(storage.warm.len::<Sqlite>(), 1);
        tokio::time::timeout(Duration::from_secs(10), storage.close())
            .await
            .expect("close did not wait for the warm connection");
        assert_eq!(storage.warm.len::<Sqlite>(), 0);
    }

    #[test]
    fn the_stash_keeps_at_most_half_the_pool() {
        assert_eq!(super::Warm::new(1).cap, 0);
        assert_eq!(super::Warm::new(2).cap, 1);
        assert_eq!(super::Warm::new(10).cap, 5);
    }
}
