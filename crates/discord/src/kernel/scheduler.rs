//! The ONE scheduler loop (spec §IV "single scheduler loop"). Every `SCHEDULER_TICK_MS` it
//!
//! 1. runs the **ticks** of enabled features ([`Tick`]: periodic work that keeps its own rows,
//!    such as autohunt's due sessions), each isolated: a failing or panicking tick is logged and
//!    the others still run;
//! 2. makes sure every **recurring job** kind has its next run queued (one pending row per period
//!    slot, dedupe key `<name>@<slot start>`, so several processes never double it);
//! 3. claims due rows of the `jobs` table for the kinds it has handlers for
//!    (`FOR UPDATE SKIP LOCKED` on Postgres, a lease, retries with backoff, dead letter) and runs
//!    them: one-shot jobs ("unban at", "end giveaway at") that a feature enqueued with
//!    [`enqueue`], and the recurring ones.
//!
//! Everything it runs lives in database tables, so timed work survives restarts and runs once
//! even with several bot processes.
//!
//! Architecture invariant: there is no per-user task or sleeping timer; all timed work goes
//! through this loop. The scheduler knows no feature: features declare their jobs and ticks in
//! their [`crate::registry::Feature`].

use std::sync::Arc;
use std::time::Duration;

use chronix_storage::jobs::{self as jobq, Job, NewJob};
use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;

use crate::errors;
use crate::registry::BoxFuture;
use crate::{Data, Error};

/// Runs a job of one kind.
pub type JobHandler = for<'a> fn(&'a JobContext, &'a Job) -> BoxFuture<'a, Result<(), Error>>;

/// What a job handler or a tick gets.
pub struct JobContext {
    /// Shared bot state.
    pub data: Data,
    /// The REST client.
    pub http: Arc<serenity::Http>,
    /// The time of this scheduler tick.
    pub now: DateTime<Utc>,
}

/// The context of a tick (same as a job's).
pub type TickContext = JobContext;

/// When a recurring job kind runs.
#[derive(Clone, Copy, Debug)]
pub enum Recurrence {
    /// Once per period, aligned on the Unix epoch (`hours(1)`: at every full hour).
    Every(chrono::Duration),
}

/// One kind of job.
#[derive(Clone, Copy)]
pub struct JobKind {
    /// The `jobs.kind` value (unique across features; no `@`).
    pub name: &'static str,
    /// Its handler.
    pub handler: JobHandler,
    /// For recurring kinds: when.
    pub recurrence: Option<Recurrence>,
}

impl JobKind {
    /// A one-shot kind: rows enqueued by the feature with [`enqueue`].
    pub fn once(name: &'static str, handler: JobHandler) -> Self {
        Self {
            name,
            handler,
            recurrence: None,
        }
    }
    /// A recurring kind: the scheduler queues one run per period.
    pub fn every(name: &'static str, period: chrono::Duration, handler: JobHandler) -> Self {
        Self {
            name,
            handler,
            recurrence: Some(Recurrence::Every(period)),
        }
    }
}

/// Periodic work run on every scheduler tick (autohunt's due sessions, live panels, …). A tick
/// keeps its durable state in the database; what it holds in memory (coalescing windows, edit
/// budgets) may be lost on restart.
pub trait Tick: Send + Sync + 'static {
    /// A name for logs.
    fn name(&self) -> &'static str;
    /// One run.
    fn run<'a>(&'a self, ctx: &'a TickContext) -> BoxFuture<'a, Result<(), Error>>;
}

/// Queues a one-shot job of `kind` at `run_at` with `payload` (JSON). With a `dedupe_key`, a
/// second job with the same key is not queued while the first is pending.
pub async fn enqueue(
    data: &Data,
    kind: &str,
    payload: serde_json::Value,
    run_at: DateTime<Utc>,
    dedupe_key: Option<String>,
) -> Result<i64, Error> {
    let mut job = NewJob::new(kind, payload, run_at);
    if let Some(k) = dedupe_key {
        job = job.dedupe_key(k);
    }
    Ok(jobq::enqueue(data.storage(), job, Utc::now()).await?.id)
}

/// The scheduler's settings.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// Time between ticks.
    pub tick: Duration,
    /// Jobs claimed per tick.
    pub job_batch: i64,
    /// Lease of a claimed job.
    pub job_lease: chrono::Duration,
    /// Worker id (locks in the jobs table).
    pub worker_id: String,
}

impl SchedulerOptions {
    /// From the configuration (`SCHEDULER_TICK_MS`).
    pub fn from_config(config: &chronix_config::Config) -> Self {
        Self {
            tick: Duration::from_millis(config.scheduler_tick_ms.max(10)),
            job_batch: 20,
            job_lease: chrono::Duration::minutes(5),
            worker_id: worker_id(),
        }
    }
}

/// A worker id unique to this process: `chronix-<pid>-<random>`.
pub fn worker_id() -> String {
    format!("chronix-{}-{}", std::process::id(), rand::random::<u32>())
}

/// Starts the scheduler loop; it stops by itself when the bot begins shutting down.
pub fn spawn(data: Data, http: Arc<serenity::Http>) -> tokio::task::JoinHandle<()> {
    let opts = SchedulerOptions::from_config(data.config());
    tokio::spawn(async move { run(data, http, opts).await })
}

/// The loop (see the module docs).
pub async fn run(data: Data, http: Arc<serenity::Http>, opts: SchedulerOptions) {
    tracing::info!(tick_ms = opts.tick.as_millis() as u64, worker = %opts.worker_id, "scheduler started");
    let mut ticker = tokio::time::interval(opts.tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if data.is_shutting_down() {
            break;
        }
        let ctx = JobContext {
            data: data.clone(),
            http: http.clone(),
            now: Utc::now(),
        };
        run_ticks(&ctx).await;
        if let Err(e) = jobs_tick(&ctx, &opts).await {
            tracing::error!(error = ?e, "jobs tick failed");
        }
    }
    tracing::info!("scheduler stopped");
}

/// Runs every enabled tick once; failures and panics are logged, never propagated.
pub async fn run_ticks(ctx: &TickContext) {
    for (_switch, tick) in ctx.data.registry().ticks(ctx.data.config()) {
        if let Err(e) = errors::catch_panic(tick.run(ctx)).await {
            let id = errors::new_error_id();
            tracing::error!(error_id = %id, tick = tick.name(), error = ?e, "tick failed");
        }
    }
}

/// Queues the next run of every recurring kind, claims due jobs of known kinds and runs them.
/// Returns how many jobs ran.
pub async fn jobs_tick(ctx: &JobContext, opts: &SchedulerOptions) -> Result<usize, Error> {
    let data = &ctx.data;
    let kinds: Vec<JobKind> = data
        .registry()
        .jobs(data.config())
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    if kinds.is_empty() {
        return Ok(0);
    }
    let now = ctx.now;
    for k in &kinds {
        if let Some(Recurrence::Every(period)) = k.recurrence {
            let slot = next_slot(now, period);
            jobq::enqueue(
                data.storage(),
                NewJob::new(k.name, serde_json::json!({}), slot).dedupe_key(format!(
                    "{}@{}",
                    k.name,
                    slot.timestamp()
                )),
                now,
            )
            .await?;
        }
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
    let claimed = jobq::claim_due_of(
        data.storage(),
        &opts.worker_id,
        now,
        opts.job_batch,
        opts.job_lease,
        Some(&names),
    )
    .await?;
    let n = claimed.len();
    for job in claimed {
        let Some(kind) = kinds.iter().find(|k| k.name == job.kind) else {
            continue; // cannot happen: only known kinds are claimed
        };
        match errors::catch_panic((kind.handler)(ctx, &job)).await {
            Ok(()) => jobq::complete(data.storage(), job.id, &opts.worker_id, Utc::now()).await?,
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, error = ?e, "job failed");
                jobq::fail(
                    data.storage(),
                    job.id,
                    &opts.worker_id,
                    &format!("{e:#}"),
                    Utc::now(),
                )
                .await?;
            }
        }
    }
    Ok(n)
}

/// Start of the period slot after `now` for a recurring job.
pub fn next_slot(now: DateTime<Utc>, every: chrono::Duration) -> DateTime<Utc> {
    let secs = every.num_seconds().max(1);
    let t = now.timestamp();
    let next = (t / secs + 1) * secs;
    DateTime::from_timestamp(next, 0).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurring_slots_are_aligned_and_in_the_future() {
        let now = DateTime::from_timestamp(7_250, 0).unwrap();
        assert_eq!(
            next_slot(now, chrono::Duration::hours(1)).timestamp(),
            7_200 + 3_600
        );
        let exact = DateTime::from_timestamp(7_200, 0).unwrap();
        assert_eq!(
            next_slot(exact, chrono::Duration::hours(1)).timestamp(),
            10_800
        );
    }
}
