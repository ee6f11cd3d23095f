//! The ONE scheduler loop (spec §IV "single scheduler loop"): every `SCHEDULER_TICK_MS` it
//!
//! 1. runs due autohunt sessions in batches of `AUTOHUNT_BATCH_SIZE`
//!    ([`chronix_storage::autohunt::process_due`]: one transaction per batch, `SKIP LOCKED`
//!    claims, so several bot processes can share a database), DMs players whose session was
//!    disabled for lack of Chrons, and queues their live embeds for an update;
//! 2. edits live embeds through [`LiveEmbeds`], which coalesces (at most one edit per session per
//!    [`LiveEmbeds::per_session`]) and keeps a global budget of edits per second, re-posting a
//!    live message only when the edit answers 404 (deleted);
//! 3. claims due rows of the generic `jobs` queue and runs the handler registered for their kind
//!    in [`jobs`] (complete, or fail with backoff / dead letter), re-enqueueing recurring kinds.
//!
//! Architecture invariant: there is no per-user task; all timed work goes through this loop.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronix_core::autohunt::AutohuntRules;
use chronix_storage::autohunt::{self as store, Session, TickRules};
use chronix_storage::jobs::{self as jobq, Job, NewJob};
use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;

use crate::embeds::{self, Embed};
use crate::gameplay::{self, autohunt::live_embed};
use crate::registry::BoxFuture;
use crate::{Data, Error};

/// Runs a job of one kind.
pub type JobHandler = for<'a> fn(&'a JobContext, &'a Job) -> BoxFuture<'a, Result<(), Error>>;

/// What a job handler gets.
pub struct JobContext {
    /// Shared bot state.
    pub data: Data,
    /// The REST client.
    pub http: Arc<serenity::Http>,
    /// The time of this scheduler tick.
    pub now: DateTime<Utc>,
}

/// One kind of job.
#[derive(Clone, Copy)]
pub struct JobKind {
    /// The `jobs.kind` value (unique).
    pub name: &'static str,
    /// Its handler.
    pub handler: JobHandler,
    /// For recurring kinds: the period. The scheduler keeps exactly one pending job per period
    /// slot (dedupe key `<name>@<slot start>`), so several processes never double it.
    pub every: Option<chrono::Duration>,
}

/// Every job kind: add a line here (and nowhere else) to plug a feature into the scheduler.
pub fn jobs() -> Vec<JobKind> {
    vec![JobKind {
        name: "bank_interest",
        handler: |ctx, _job| {
            Box::pin(async move {
                if !ctx.data.feature_enabled("economy") {
                    return Ok(());
                }
                let (savers, paid) = crate::economy::pay_interest_job(&ctx.data, ctx.now).await?;
                tracing::info!(savers, paid, "bank interest paid");
                Ok(())
            })
        },
        every: Some(chrono::Duration::hours(1)),
    }]
}

/// The scheduler's settings.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// Time between ticks.
    pub tick: Duration,
    /// Autohunt sessions per batch (transaction).
    pub batch_size: i64,
    /// Batches run at once (`AUTOHUNT_WORKERS`).
    pub workers: usize,
    /// Batches per worker and tick at most (the rest waits for the next tick).
    pub max_batches_per_tick: usize,
    /// Jobs claimed per tick.
    pub job_batch: i64,
    /// Lease of a claimed job.
    pub job_lease: chrono::Duration,
    /// Worker id (locks in the jobs table).
    pub worker_id: String,
}

impl SchedulerOptions {
    /// From the configuration (`SCHEDULER_TICK_MS`, `AUTOHUNT_BATCH_SIZE`).
    pub fn from_config(config: &chronix_config::Config) -> Self {
        Self {
            tick: Duration::from_millis(config.scheduler_tick_ms.max(10)),
            batch_size: i64::from(config.autohunt_batch_size.max(1)),
            workers: config.autohunt_workers.max(1) as usize,
            max_batches_per_tick: 50,
            job_batch: 20,
            job_lease: chrono::Duration::minutes(5),
            worker_id: format!("chronix-{}-{}", std::process::id(), rand::random::<u32>()),
        }
    }
}

/// Starts the scheduler loop; it stops by itself when the bot begins shutting down.
pub fn spawn(data: Data, http: Arc<serenity::Http>) -> tokio::task::JoinHandle<()> {
    let opts = SchedulerOptions::from_config(data.config());
    tokio::spawn(async move { run(data, http, opts).await })
}

/// The loop (see the module docs).
pub async fn run(data: Data, http: Arc<serenity::Http>, opts: SchedulerOptions) {
    let mut live = LiveEmbeds::new(http.clone());
    // At most one edit per session per 5 s (or per interval when sessions run more often).
    live.per_session = live.per_session.min(Duration::from_secs(
        data.config().autohunt_interval_secs.max(1),
    ));
    tracing::info!(tick_ms = opts.tick.as_millis() as u64, worker = %opts.worker_id, "scheduler started");
    let mut ticker = tokio::time::interval(opts.tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if data.is_shutting_down() {
            break;
        }
        if data.feature_enabled(gameplay::NAME) {
            if let Err(e) = autohunt_tick(&data, &http, &opts, &mut live).await {
                tracing::error!(error = ?e, "autohunt tick failed");
            }
            live.flush(&data).await;
        }
        if let Err(e) = jobs_tick(&data, &http, &opts).await {
            tracing::error!(error = ?e, "jobs tick failed");
        }
    }
    tracing::info!("scheduler stopped");
}

/// Runs due autohunt sessions: [`process_due_concurrently`], then DMs the players whose session
/// stopped and queues every touched live embed.
pub async fn autohunt_tick(
    data: &Data,
    http: &Arc<serenity::Http>,
    opts: &SchedulerOptions,
    live: &mut LiveEmbeds,
) -> Result<usize, Error> {
    let rules = gameplay::autohunt_rules(data.config());
    let batches = process_due_concurrently(
        data.storage(),
        Arc::new(TickInputs {
            rules,
            tables: gameplay::tables().clone(),
            curve: gameplay::xp_curve(),
        }),
        Utc::now(),
        opts,
    )
    .await?;
    let mut total = 0;
    for batch in batches {
        total += batch.claimed();
        for run in batch.runs {
            live.queue(run.session);
        }
        for d in batch.disabled {
            notify_disabled(http, &d.session, d.cost, d.balance).await;
            live.queue(d.session);
        }
    }
    if total > 0 {
        tracing::debug!(sessions = total, "autohunt runs");
    }
    Ok(total)
}

/// What every autohunt batch of a tick reads.
pub struct TickInputs {
    /// Costs, traits, intervals.
    pub rules: AutohuntRules,
    /// Loot tables.
    pub tables: Arc<chronix_core::tables::Tables>,
    /// Global XP curve.
    pub curve: chronix_core::xp::XpCurve,
}

/// The autohunt part of one tick: `opts.workers` tasks each claim and run batches of
/// `opts.batch_size` due sessions (one transaction per batch, `SKIP LOCKED` claims, a CSPRNG per
/// task) until none is due or `max_batches_per_tick` is reached. `chronix bench autohunt`
/// measures exactly this function.
pub async fn process_due_concurrently(
    storage: &chronix_storage::Storage,
    inputs: Arc<TickInputs>,
    now: DateTime<Utc>,
    opts: &SchedulerOptions,
) -> Result<Vec<store::Batch>, Error> {
    let mut tasks = Vec::with_capacity(opts.workers.max(1));
    for _ in 0..opts.workers.max(1) {
        let (storage, inputs) = (storage.clone(), inputs.clone());
        let (batch_size, max_batches) = (opts.batch_size, opts.max_batches_per_tick);
        tasks.push(tokio::spawn(async move {
            let ctx = TickRules {
                rules: &inputs.rules,
                tables: &inputs.tables,
                curve: &inputs.curve,
            };
            let mut rng = gameplay::rng();
            let mut batches = Vec::new();
            for _ in 0..max_batches {
                let batch = store::process_due(&storage, now, batch_size, ctx, &mut rng).await?;
                let full = batch.claimed() as i64 >= batch_size;
                if batch.claimed() > 0 {
                    batches.push(batch);
                }
                if !full {
                    break;
                }
            }
            Ok::<_, chronix_storage::StorageError>(batches)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(
            task.await
                .map_err(|e| anyhow::anyhow!("autohunt worker failed: {e}"))??,
        );
    }
    Ok(all)
}

async fn notify_disabled(http: &Arc<serenity::Http>, s: &Session, cost: i64, balance: i64) {
    let user = serenity::UserId::new(s.user_id as u64);
    let embed = Embed::warning("Autohunt stopped").description(format!(
        "⏹️ Your autohunt stopped: a run costs {} and your wallet holds {}. Earn some Chrons, then \
         restart it with `autohunt enable` (`ah on`).",
        chronix_core::render::format_chrons(cost),
        chronix_core::render::format_chrons(balance)
    ));
    let sent = match user.create_dm_channel(http.as_ref()).await {
        Ok(ch) => ch
            .id
            .send_message(http.as_ref(), embeds::message(embed))
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::info!(user = s.user_id, error = %e, "could not DM a player about their stopped autohunt");
    }
}

/// Coalesced, rate-limited live-embed edits.
pub struct LiveEmbeds {
    http: Arc<serenity::Http>,
    /// Latest state per session waiting to be shown.
    pending: HashMap<i64, Session>,
    /// When each session's embed was last edited.
    last_edit: HashMap<i64, Instant>,
    /// Minimum time between two edits of one session's embed.
    pub per_session: Duration,
    /// Global edit budget per second.
    pub per_second: u32,
    window: (Instant, u32),
}

impl LiveEmbeds {
    /// Defaults: one edit per session per 5 s, 10 edits per second overall.
    pub fn new(http: Arc<serenity::Http>) -> Self {
        Self {
            http,
            pending: HashMap::new(),
            last_edit: HashMap::new(),
            per_session: Duration::from_secs(5),
            per_second: 10,
            window: (Instant::now(), 0),
        }
    }

    /// Remembers the newest state of a session (an older pending state is replaced).
    pub fn queue(&mut self, s: Session) {
        if s.live_channel_id.is_some() {
            self.pending.insert(s.user_id, s);
        }
    }

    /// Sessions waiting for an edit.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    fn take_budget(&mut self) -> bool {
        let now = Instant::now();
        if now.duration_since(self.window.0) >= Duration::from_secs(1) {
            self.window = (now, 0);
        }
        if self.window.1 >= self.per_second {
            return false;
        }
        self.window.1 += 1;
        true
    }

    /// Edits what the budget allows: sessions whose last edit is old enough, oldest first.
    pub async fn flush(&mut self, data: &Data) {
        let now = Instant::now();
        let mut ready: Vec<i64> = self
            .pending
            .keys()
            .copied()
            .filter(|u| {
                self.last_edit
                    .get(u)
                    .is_none_or(|t| now.duration_since(*t) >= self.per_session)
            })
            .collect();
        ready.sort_by_key(|u| self.last_edit.get(u).copied());
        let rules = gameplay::autohunt_rules(data.config());
        for user in ready {
            if !self.take_budget() {
                break;
            }
            let Some(s) = self.pending.remove(&user) else {
                continue;
            };
            self.last_edit.insert(user, Instant::now());
            if let Err(e) = self.show(data, &rules, &s).await {
                tracing::warn!(user, error = ?e, "live embed update failed");
            }
        }
        // Forget sessions not edited for a long time.
        self.last_edit
            .retain(|_, t| now.duration_since(*t) < Duration::from_secs(3600));
    }

    async fn show(
        &self,
        data: &Data,
        rules: &AutohuntRules,
        queued: &Session,
    ) -> Result<(), Error> {
        // The stored row is the truth: newest state and the live message saved by `enable`.
        let Some(s) = store::get(data.storage(), queued.user_id).await? else {
            return Ok(());
        };
        let s = &s;
        let Some(channel) = s.live_channel_id else {
            return Ok(());
        };
        let pets = store::active_pets(data.storage(), s.user_id).await?;
        let embed = live_embed(gameplay::tables(), rules, s, &pets);
        let channel = serenity::ChannelId::new(channel as u64);
        if let Some(mid) = s.live_message_id {
            let edit = serenity::EditMessage::new().embed(embed.clone().into());
            match channel
                .edit_message(
                    self.http.as_ref(),
                    serenity::MessageId::new(mid as u64),
                    edit,
                )
                .await
            {
                Ok(_) => return Ok(()),
                Err(e) if is_not_found(&e) => {
                    tracing::debug!(
                        user = s.user_id,
                        "live embed was deleted: posting a new one"
                    );
                }
                Err(e) => return Err(e.into()),
            }
        }
        let msg = channel
            .send_message(self.http.as_ref(), embeds::message(embed))
            .await?;
        store::set_live_message(
            data.storage(),
            s.user_id,
            Some((channel.get() as i64, msg.id.get() as i64)),
            Utc::now(),
        )
        .await?;
        Ok(())
    }
}

fn is_not_found(e: &serenity::Error) -> bool {
    matches!(
        e,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 404
    )
}

/// Claims and runs due jobs; makes sure every recurring kind has its next job queued.
pub async fn jobs_tick(
    data: &Data,
    http: &Arc<serenity::Http>,
    opts: &SchedulerOptions,
) -> Result<usize, Error> {
    let kinds = jobs();
    let now = Utc::now();
    for k in kinds.iter() {
        if let Some(every) = k.every {
            let slot = next_slot(now, every);
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
    let claimed = jobq::claim_due(
        data.storage(),
        &opts.worker_id,
        now,
        opts.job_batch,
        opts.job_lease,
    )
    .await?;
    let n = claimed.len();
    let ctx = JobContext {
        data: data.clone(),
        http: http.clone(),
        now,
    };
    for job in claimed {
        let Some(kind) = kinds.iter().find(|k| k.name == job.kind) else {
            jobq::fail(
                data.storage(),
                job.id,
                &opts.worker_id,
                "no handler for this job kind",
                Utc::now(),
            )
            .await?;
            continue;
        };
        match (kind.handler)(&ctx, &job).await {
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
fn next_slot(now: DateTime<Utc>, every: chrono::Duration) -> DateTime<Utc> {
    let secs = every.num_seconds().max(1);
    let t = now.timestamp();
    let next = (t / secs + 1) * secs;
    DateTime::from_timestamp(next, 0).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn job_names_are_unique() {
        let mut seen = HashSet::new();
        for k in jobs() {
            assert!(seen.insert(k.name), "job kind {} registered twice", k.name);
            assert!(!k.name.is_empty() && !k.name.contains('@'));
        }
    }

    fn session(user: i64, runs: i64) -> Session {
        let now = Utc::now();
        Session {
            user_id: user,
            enabled: true,
            last_run: None,
            next_run_at: Some(now),
            essence: 0,
            level: 1,
            cost: 42,
            live_channel_id: Some(1),
            live_message_id: Some(2),
            total_runs: runs,
            total_spent: 0,
            total_earned: 0,
            traits: sqlx_json_default(),
            cycle_runs: runs,
            cycle_spent: 0,
            cycle_earned: 0,
            total_essence: 0,
            last_xp: 0,
            last_earned: 0,
            last_essence: 0,
            last_loot: "[]".into(),
            disabled_reason: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn sqlx_json_default() -> chronix_storage::autohunt::Traits {
        Default::default()
    }

    #[test]
    fn live_updates_coalesce_per_session_and_respect_the_global_budget() {
        let mut live = LiveEmbeds::new(Arc::new(serenity::Http::new("")));
        live.per_second = 3;
        for run in 0..5 {
            live.queue(session(7, run));
        }
        assert_eq!(
            live.pending(),
            1,
            "one pending update per session: the newest"
        );
        assert_eq!(live.pending[&7].total_runs, 4);
        let mut without_channel = session(8, 1);
        without_channel.live_channel_id = None;
        live.queue(without_channel);
        assert_eq!(live.pending(), 1, "nothing to show without a live channel");
        let granted = (0..10).filter(|_| live.take_budget()).count();
        assert_eq!(granted, 3, "at most per_second edits in one second");
    }

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
