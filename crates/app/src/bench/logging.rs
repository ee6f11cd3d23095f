//! `chronix bench logging --events N [--backend postgres|sqlite]`: feeds N message edits
//! through the logging feature's listener pipeline (`features::logging::handle`: message cache,
//! before/after, gates, embed, queue) into the `logs` table of a scratch database, with the
//! flush running as the scheduler tick runs it (batched multi-row inserts), and prints
//! `logging: <N> events/s` (time from the first event to the last row written).
//!
//! The events are real serenity `MESSAGE_UPDATE` events, parsed once from JSON (1,000 messages
//! in one guild, alternating between two contents so each edit changes something); the feeders
//! run on every core.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chronix_discord::events::Event;
use chronix_discord::features::logging;
use chronix_discord::serenity;
use chronix_storage::autohunt::bench::{create_scratch_postgres, create_scratch_sqlite};

use super::Backend;

/// Benchmark parameters.
#[derive(Debug, Clone)]
pub struct LoggingBench {
    /// Where it runs.
    pub backend: Backend,
    /// Events to feed.
    pub events: u64,
    /// Concurrent feeders.
    pub feeders: usize,
}

/// What the benchmark measured.
#[derive(Debug, Clone)]
pub struct LoggingBenchReport {
    /// `"postgres"` or `"sqlite"`.
    pub backend: &'static str,
    /// Events fed.
    pub events: u64,
    /// Rows written.
    pub rows: i64,
    /// From the first event to the last row written.
    pub elapsed: Duration,
}

impl LoggingBenchReport {
    /// Events per second.
    pub fn per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl fmt::Display for LoggingBenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "backend {}: {} events through the listener pipeline, {} rows in logs, {:.2} s",
            self.backend,
            self.events,
            self.rows,
            self.elapsed.as_secs_f64()
        )?;
        write!(f, "logging: {:.0} events/s", self.per_second())
    }
}

const GUILD: u64 = 900_000_000_000_000_001;
const CHANNEL: u64 = 900_000_000_000_000_002;
const AUTHOR: u64 = 900_000_000_000_000_003;
const MESSAGES: u64 = 1_000;

fn update_event(message: u64, content: &str) -> anyhow::Result<serenity::MessageUpdateEvent> {
    let v = serde_json::json!({
        "id": (1_000_000_000_000_000_000u64 + message).to_string(),
        "channel_id": CHANNEL.to_string(),
        "guild_id": GUILD.to_string(),
        "content": content,
        "author": { "id": AUTHOR.to_string(), "username": "bench", "discriminator": "0",
                    "global_name": null, "avatar": null, "bot": false },
        "edited_timestamp": "2026-12-01T00:00:00.000000+00:00",
    });
    Ok(serde_json::from_value(v)?)
}

/// Runs the benchmark on a scratch database.
pub async fn logging(opts: LoggingBench) -> anyhow::Result<LoggingBenchReport> {
    if opts.events == 0 {
        bail!("--events must be at least 1");
    }
    let db = match &opts.backend {
        Backend::Postgres(url) => create_scratch_postgres(url, 4).await,
        Backend::Sqlite => create_scratch_sqlite(2).await,
    }
    .context("creating the scratch database")?;
    let result = run(&db.storage, opts.backend.name(), opts.events, opts.feeders).await;
    let dropped = db.drop_database().await;
    let report = result?;
    dropped.context("dropping the scratch database")?;
    Ok(report)
}

async fn run(
    storage: &chronix_storage::Storage,
    backend: &'static str,
    events: u64,
    feeders: usize,
) -> anyhow::Result<LoggingBenchReport> {
    let config = chronix_config::Config::from_values(&Default::default())?;
    let data = chronix_discord::Data::new(config, storage.clone(), vec![logging::feature()]);
    let st = logging::state(&data);
    // Two contents per message, so every edit differs from what the cache holds.
    let mut pool = Vec::with_capacity(2 * MESSAGES as usize);
    for m in 0..MESSAGES {
        pool.push(update_event(m, &format!("message {m}, first version"))?);
    }
    for m in 0..MESSAGES {
        pool.push(update_event(m, &format!("message {m}, second version"))?);
    }
    let pool = Arc::new(pool);
    // Warm the configuration cache (one read of the guild's settings).
    let warm = update_event(0, "warm-up")?;
    let first = Event::MessageUpdate {
        old: None,
        new: None,
        event: &warm,
    };
    logging::handle(&data, &st, &first).await?;
    logging::pipeline::flush(&data, &st, true).await?;
    chronix_storage::logging::prune(storage, chrono::Utc::now() + chrono::Duration::days(1))
        .await?;

    let start = Instant::now();
    let feeders = feeders.max(1) as u64;
    let mut tasks = Vec::new();
    for w in 0..feeders {
        let (data, st, pool) = (data.clone(), st.clone(), pool.clone());
        tasks.push(tokio::spawn(async move {
            // One feeder per message, so each message's edits come in order.
            for i in (0..events).filter(|i| (i % MESSAGES) % feeders == w) {
                let e = &pool[(i % pool.len() as u64) as usize];
                let ev = Event::MessageUpdate {
                    old: None,
                    new: None,
                    event: e,
                };
                logging::handle(&data, &st, &ev).await?;
            }
            anyhow::Ok(())
        }));
    }
    // The flusher, as the tick: writes whatever is queued, again and again.
    let flusher = {
        let (data, st) = (data.clone(), st.clone());
        tokio::spawn(async move {
            let mut written = 0u64;
            while written < events {
                let n = logging::pipeline::flush(&data, &st, false).await?;
                written += n;
                if n == 0 {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
            anyhow::Ok(written)
        })
    };
    for t in tasks {
        t.await??;
    }
    let fed = start.elapsed();
    flusher.await??;
    eprintln!("all events fed in {:.2} s", fed.as_secs_f64());
    let elapsed = start.elapsed();
    let rows = chronix_storage::logging::count(storage, None).await?;
    if rows as u64 != events {
        bail!("{rows} rows written for {events} events");
    }
    Ok(LoggingBenchReport {
        backend,
        events,
        rows,
        elapsed,
    })
}
