//! The DB-backed job queue for all timed work. Workers [`claim_due`] jobs under a lease
//! (`locked_by`, `locked_until`), then [`complete`] or [`fail`] them. Failed jobs retry with
//! exponential [`backoff`] and are dead-lettered (`status = 'dead'`) after `max_attempts`.
//! A crashed worker's expired lease makes its job claimable again (counting as an attempt).
//!
//! Claiming uses `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …` on
//! Postgres, so concurrent workers never get the same job; on SQLite the same statement runs in
//! a `BEGIN IMMEDIATE` transaction (writers are serialised).
//!
//! The registry of job kinds and their handlers lives in the app, not here.

use chrono::{DateTime, Duration, Utc};
use sqlx::types::Json;

use crate::{Missing, Refusal, Result, Storage, StorageError};

/// Job status values as stored.
pub mod status {
    /// Waiting for `run_at`.
    pub const PENDING: &str = "pending";
    /// Claimed by a worker (lease in `locked_until`).
    pub const RUNNING: &str = "running";
    /// Finished successfully.
    pub const DONE: &str = "done";
    /// Failed `max_attempts` times (dead letter).
    pub const DEAD: &str = "dead";
}

/// A row of `jobs`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Job {
    /// Id.
    pub id: i64,
    /// Kind, dispatched by the app's job registry.
    pub kind: String,
    /// Arguments.
    pub payload: Json<serde_json::Value>,
    /// When it is due (for retries: the next attempt).
    pub run_at: DateTime<Utc>,
    /// One of [`status`].
    pub status: String,
    /// Attempts started so far (incremented on each claim).
    pub attempts: i32,
    /// Dead-letter after this many attempts.
    pub max_attempts: i32,
    /// Worker holding the lease.
    pub locked_by: Option<String>,
    /// Lease expiry.
    pub locked_until: Option<DateTime<Utc>>,
    /// Last failure message.
    pub last_error: Option<String>,
    /// Unique key preventing duplicate enqueues.
    pub dedupe_key: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, kind, payload, run_at, status, attempts, max_attempts, locked_by, \
                       locked_until, last_error, dedupe_key, created_at, updated_at";

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Kind.
    pub kind: String,
    /// Arguments.
    pub payload: serde_json::Value,
    /// When it becomes due.
    pub run_at: DateTime<Utc>,
    /// Optional unique key: enqueueing a second job with the same key returns the first one.
    pub dedupe_key: Option<String>,
    /// Attempts before dead-lettering (>= 1).
    pub max_attempts: i32,
}

impl NewJob {
    /// A job of `kind` due at `run_at`, no dedupe key, 5 attempts.
    pub fn new(kind: impl Into<String>, payload: serde_json::Value, run_at: DateTime<Utc>) -> Self {
        Self {
            kind: kind.into(),
            payload,
            run_at,
            dedupe_key: None,
            max_attempts: 5,
        }
    }

    /// Sets the dedupe key.
    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }

    /// Sets the attempt limit.
    pub fn max_attempts(mut self, n: i32) -> Self {
        self.max_attempts = n;
        self
    }
}

/// Result of [`enqueue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enqueued {
    /// The job id (the existing job's id when deduplicated).
    pub id: i64,
    /// False when a job with the same dedupe key already existed.
    pub created: bool,
}

/// Enqueues a job. With a dedupe key that is already taken (by a job in any status), nothing is
/// inserted and the existing job's id is returned with `created = false`.
pub async fn enqueue(storage: &Storage, job: NewJob, now: DateTime<Utc>) -> Result<Enqueued> {
    let mut tx = storage.begin().await?;
    let out = enqueue_in(&mut tx, job, now).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`enqueue`] inside a caller's transaction (e.g. schedule a reminder with the change that
/// needs it).
pub async fn enqueue_in(tx: &mut crate::Tx, job: NewJob, now: DateTime<Utc>) -> Result<Enqueued> {
    if job.max_attempts < 1 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(i64::from(
            job.max_attempts,
        ))));
    }
    tx_run!(tx, |conn| {
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO jobs (kind, payload, run_at, status, attempts, max_attempts, dedupe_key, \
             created_at, updated_at) VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, $6) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(&job.kind)
        .bind(Json(&job.payload))
        .bind(job.run_at)
        .bind(job.max_attempts)
        .bind(&job.dedupe_key)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        match inserted {
            Some((id,)) => Ok(Enqueued { id, created: true }),
            None => {
                let (id,): (i64,) = sqlx::query_as("SELECT id FROM jobs WHERE dedupe_key = $1")
                    .bind(&job.dedupe_key)
                    .fetch_one(&mut *conn)
                    .await?;
                Ok(Enqueued { id, created: false })
            }
        }
    })
}

/// Claims up to `limit` due jobs for `worker_id` with a lease of `lease`: pending jobs with
/// `run_at <= now`, and running jobs whose lease expired (their worker died). Each claim counts
/// as an attempt; an expired job that already used all its attempts is dead-lettered instead.
/// Jobs come back ordered by `run_at`, then id.
pub async fn claim_due(
    storage: &Storage,
    worker_id: &str,
    now: DateTime<Utc>,
    limit: i64,
    lease: Duration,
) -> Result<Vec<Job>> {
    claim_due_of(storage, worker_id, now, limit, lease, None).await
}

/// [`claim_due`] restricted to the given kinds (`None`: every kind). The scheduler claims only
/// the kinds it has handlers for, so a job of a feature switched off waits in the table.
pub async fn claim_due_of(
    storage: &Storage,
    worker_id: &str,
    now: DateTime<Utc>,
    limit: i64,
    lease: Duration,
    kinds: Option<&[&str]>,
) -> Result<Vec<Job>> {
    if limit <= 0 || kinds.is_some_and(<[&str]>::is_empty) {
        return Ok(Vec::new());
    }
    // `kind IN ($5, $6, …)`: written once for both dialects.
    let kind_filter = kinds.map_or(String::new(), |k| {
        let marks: Vec<String> = (0..k.len()).map(|i| format!("${}", i + 5)).collect();
        format!(" AND kind IN ({})", marks.join(", "))
    });
    let locked_until = now
        .checked_add_signed(lease)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    let mut tx = storage.begin().await?;
    let mut jobs: Vec<Job> = tx_run!(&mut tx, |conn, d| {
        sqlx::query(
            "UPDATE jobs SET status = 'dead', locked_by = NULL, locked_until = NULL, \
             last_error = COALESCE(last_error, 'lease expired'), updated_at = $1 \
             WHERE status = 'running' AND locked_until <= $1 AND attempts >= max_attempts",
        )
        .bind(now)
        .execute(&mut *conn)
        .await?;
        let sql = format!(
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, \
             attempts = attempts + 1, updated_at = $3 \
             WHERE id IN (SELECT id FROM jobs \
                 WHERE ((status = 'pending' AND run_at <= $3) \
                    OR (status = 'running' AND locked_until <= $3)){kind_filter} \
                 ORDER BY run_at, id LIMIT $4{}) \
             RETURNING {COLUMNS}",
            d.for_update_skip_locked()
        );
        let mut q = sqlx::query_as::<_, Job>(&sql)
            .bind(worker_id)
            .bind(locked_until)
            .bind(now)
            .bind(limit);
        for k in kinds.unwrap_or_default() {
            q = q.bind(*k);
        }
        q.fetch_all(&mut *conn).await?
    });
    tx.commit().await?;
    jobs.sort_by(|a, b| a.run_at.cmp(&b.run_at).then(a.id.cmp(&b.id)));
    Ok(jobs)
}

/// Marks a job done. [`StorageError::Conflict`] when `worker_id` no longer holds its lease
/// (it expired and another worker took it).
pub async fn complete(
    storage: &Storage,
    job_id: i64,
    worker_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query(
            "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, \
             updated_at = $1 WHERE id = $2 AND status = 'running' AND locked_by = $3",
        )
        .bind(now)
        .bind(job_id)
        .bind(worker_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if n != 1 {
        return Err(lease_lost(job_id, worker_id));
    }
    tx.commit().await?;
    Ok(())
}

fn lease_lost(job_id: i64, worker_id: &str) -> StorageError {
    StorageError::Conflict(format!(
        "job {job_id} is not leased by worker {worker_id:?}"
    ))
}

/// What [`fail`] did with the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Back to pending, due again at this time.
    Retry {
        /// Next attempt.
        run_at: DateTime<Utc>,
    },
    /// Out of attempts: dead-lettered.
    Dead,
}

/// Delay before the retry following attempt number `attempts` (1-based): 10 s, 20 s, 40 s, …
/// doubling, capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let secs = 10i64.saturating_mul(1i64 << exp).min(3600);
    Duration::seconds(secs)
}

/// Records a failed attempt: retry after [`backoff`] or dead-letter when `max_attempts` is
/// used up. [`StorageError::Conflict`] when `worker_id` no longer holds the lease.
pub async fn fail(
    storage: &Storage,
    job_id: i64,
    worker_id: &str,
    error: &str,
    now: DateTime<Utc>,
) -> Result<FailOutcome> {
    let mut tx = storage.begin().await?;
    let row: Option<(i32, i32)> = tx_run!(&mut tx, |conn, d| {
        let sql = format!(
            "SELECT attempts, max_attempts FROM jobs \
             WHERE id = $1 AND status = 'running' AND locked_by = $2{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(job_id)
            .bind(worker_id)
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some((attempts, max_attempts)) = row else {
        return Err(lease_lost(job_id, worker_id));
    };
    let outcome = if attempts >= max_attempts {
        FailOutcome::Dead
    } else {
        FailOutcome::Retry {
            run_at: now + backoff(attempts),
        }
    };
    let (new_status, run_at) = match outcome {
        FailOutcome::Dead => (status::DEAD, None),
        FailOutcome::Retry { run_at } => (status::PENDING, Some(run_at)),
    };
    tx_run!(&mut tx, |conn| {
        sqlx::query(
            "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), locked_by = NULL, \
             locked_until = NULL, last_error = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(new_status)
        .bind(run_at)
        .bind(error)
        .bind(now)
        .bind(job_id)
        .execute(&mut *conn)
        .await?;
    });
    tx.commit().await?;
    Ok(outcome)
}

/// A job by id.
pub async fn get(storage: &Storage, job_id: i64) -> Result<Option<Job>> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Job>(&sql)
            .bind(job_id)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// Dead-lettered jobs, oldest first.
pub async fn list_dead(storage: &Storage, limit: i64) -> Result<Vec<Job>> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE status = 'dead' ORDER BY id LIMIT $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Job>(&sql)
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// Puts a dead job back in the queue, due at `now`, with its attempts reset.
pub async fn retry_dead(storage: &Storage, job_id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query(
            "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $1, updated_at = $1 \
             WHERE id = $2 AND status = 'dead'",
        )
        .bind(now)
        .bind(job_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if n != 1 {
        return Err(StorageError::NotFound(Missing::DeadJob(job_id)));
    }
    tx.commit().await?;
    Ok(())
}

/// Cancels a pending job (by dedupe key), e.g. a reminder the user deleted. True if one was
/// cancelled.
pub async fn cancel_by_dedupe_key(storage: &Storage, dedupe_key: &str) -> Result<bool> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query("DELETE FROM jobs WHERE dedupe_key = $1 AND status = 'pending'")
            .bind(dedupe_key)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(n > 0)
}

/// Deletes done jobs last updated before `before` (housekeeping). Returns how many.
pub async fn purge_done(storage: &Storage, before: DateTime<Utc>) -> Result<u64> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query("DELETE FROM jobs WHERE status = 'done' AND updated_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(n)
}

/// Number of jobs per status (pending, running, done, dead), for metrics.
pub async fn counts(storage: &Storage) -> Result<Vec<(String, i64)>> {
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, (String, i64)>(
            "SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status",
        )
        .fetch_all(&mut *conn)
        .await?)
    })
}
