//! `chronix bench autohunt --sessions N [--backend postgres|sqlite]`: seeds a fresh database with
//! N due autohunt sessions and times one full scheduler tick over all of them, with every effect
//! (debit and ledger rows with `balance_after`, loot rows, XP, stats, session update), through
//! the same `chronix_storage::autohunt::process_due` the scheduler runs. Prints
//! `autohunt: <N> sessions/s`.
//!
//! Postgres: the server comes from `TEST_DATABASE_URL`, else `DATABASE_URL` (a Postgres URL
//! whose user may create databases); a scratch database is created on it and dropped
//! afterwards. SQLite (the embedded default, and the backend used when neither variable holds a
//! Postgres URL): a scratch database file in a temporary directory, deleted afterwards.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chronix_core::autohunt::AutohuntRules;
use chronix_core::tables::Tables;
use chronix_core::xp::XpCurve;
use chronix_discord::features::autohunt::tick::{
    AutohuntOptions, TickInputs, process_due_concurrently,
};
use chronix_storage::autohunt::{
    self,
    bench::{create_scratch_postgres, create_scratch_sqlite},
};
use chronix_storage::{economy, inventory};

/// What a whole-bot benchmark runs where the bot runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotKind {
    /// Chronix itself.
    Chronix,
    /// The floor: a bare serenity client (see [`floor`]).
    Floor,
    /// The floor with serenity's default cache settings (every guild, member and user cached,
    /// as the bot was before its own guild cache): the library's cost of the bot's first
    /// configuration.
    FloorSerenityCache,
}

impl BotKind {
    /// Parses `chronix`, `floor` or `floor-serenity-cache`.
    pub fn parse(s: &str) -> anyhow::Result<Self> {
        match s {
            "chronix" => Ok(BotKind::Chronix),
            "floor" => Ok(BotKind::Floor),
            "floor-serenity-cache" => Ok(BotKind::FloorSerenityCache),
            other => bail!("unknown bot {other:?} (want chronix, floor or floor-serenity-cache)"),
        }
    }

    /// The name printed in a report (`chronix` prints nothing).
    pub fn label(self) -> &'static str {
        match self {
            BotKind::Chronix => "",
            BotKind::Floor => " floor",
            BotKind::FloorSerenityCache => " floor-serenity-cache",
        }
    }

    /// The floor's cache settings: the bot's, or serenity's defaults.
    pub fn floor_cache(self) -> chronix_discord::serenity::cache::Settings {
        match self {
            BotKind::FloorSerenityCache => Default::default(),
            _ => chronix_discord::guilds::cache_settings(),
        }
    }
}

/// Which database the benchmark runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A scratch database on the Postgres server of this admin URL.
    Postgres(String),
    /// A scratch SQLite file (the embedded default).
    Sqlite,
}

impl Backend {
    /// `Some("postgres")` needs a Postgres URL in `TEST_DATABASE_URL` or `DATABASE_URL`,
    /// `Some("sqlite")` uses a scratch file, `None` picks Postgres when such a URL is set and
    /// SQLite otherwise.
    pub fn from_env(backend: Option<&str>) -> anyhow::Result<Self> {
        let pg_url = ["TEST_DATABASE_URL", "DATABASE_URL"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"));
        Ok(match (backend, pg_url) {
            (Some("sqlite"), _) | (None, None) => Backend::Sqlite,
            (Some("postgres") | None, Some(url)) => Backend::Postgres(url),
            (Some("postgres"), None) => {
                bail!("set TEST_DATABASE_URL or DATABASE_URL to a Postgres server URL")
            }
            (Some(other), _) => bail!("unknown backend {other:?} (want postgres or sqlite)"),
        })
    }

    /// `"postgres"` or `"sqlite"`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Postgres(_) => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}

/// Benchmark parameters.
#[derive(Debug, Clone)]
pub struct AutohuntBench {
    /// Where it runs.
    pub backend: Backend,
    /// Due sessions to seed and run.
    pub sessions: u64,
    /// Sessions per batch (one transaction each).
    pub batch_size: i64,
    /// Concurrent workers (each claims its own batches with `SKIP LOCKED`).
    pub workers: usize,
}

impl AutohuntBench {
    /// Defaults: `backend` `Some("postgres")` needs a Postgres URL in `TEST_DATABASE_URL` or
    /// `DATABASE_URL`, `Some("sqlite")` uses a scratch file, `None` picks Postgres when such a
    /// URL is set and SQLite otherwise; batch size and workers as the scheduler's defaults
    /// (`AUTOHUNT_BATCH_SIZE=500`, `AUTOHUNT_WORKERS=4`) (concurrent batches hide commit and
    /// round-trip latency; `SKIP LOCKED` keeps them apart).
    pub fn from_env(sessions: u64, backend: Option<&str>) -> anyhow::Result<Self> {
        let backend = Backend::from_env(backend)?;
        Ok(Self {
            backend,
            sessions,
            batch_size: 500,
            workers: 4,
        })
    }
}

/// What the benchmark measured.
#[derive(Debug, Clone)]
pub struct AutohuntBenchReport {
    /// `"postgres"` or `"sqlite"`.
    pub backend: &'static str,
    /// Sessions processed.
    pub sessions: u64,
    /// Wall time of the tick (seeding excluded).
    pub elapsed: Duration,
    /// Seeding time.
    pub seed_time: Duration,
    /// Batches (transactions) committed.
    pub batches: u64,
}

impl AutohuntBenchReport {
    /// Sessions per second.
    pub fn per_second(&self) -> f64 {
        self.sessions as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl fmt::Display for AutohuntBenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: seeded {} due sessions in {:.2} s; tick: {} batches in {:.3} s",
            self.backend,
            self.sessions,
            self.seed_time.as_secs_f64(),
            self.batches,
            self.elapsed.as_secs_f64()
        )?;
        write!(f, "autohunt: {:.0} sessions/s", self.per_second())
    }
}

fn shipped_tables() -> anyhow::Result<Tables> {
    Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Runs the benchmark: scratch database, seed, one timed tick over every session, checks
/// (every session ran exactly once, the books balance), drop the database.
pub async fn autohunt(opts: AutohuntBench) -> anyhow::Result<AutohuntBenchReport> {
    let sessions = i64::try_from(opts.sessions).context("too many sessions")?;
    if sessions <= 0 {
        bail!("--sessions must be at least 1");
    }
    let workers = opts.workers.max(1);
    let db = match &opts.backend {
        Backend::Postgres(url) => create_scratch_postgres(url, workers as u32 + 1).await,
        Backend::Sqlite => create_scratch_sqlite(workers as u32 + 1).await,
    }
    .context("creating the scratch database")?;
    let result = run(
        &db.storage,
        opts.backend.name(),
        sessions,
        opts.batch_size.max(1),
        workers,
    )
    .await;
    let dropped = db.drop_database().await;
    let report = result?;
    dropped.context("dropping the scratch database")?;
    Ok(report)
}

async fn run(
    storage: &chronix_storage::Storage,
    backend: &'static str,
    sessions: i64,
    batch_size: i64,
    workers: usize,
) -> anyhow::Result<AutohuntBenchReport> {
    let tables = Arc::new(shipped_tables()?);
    inventory::sync_definitions(storage, &tables).await?;
    let now = chrono::Utc::now();
    let seed_start = Instant::now();
    autohunt::seed_due_sessions(storage, 1, sessions, 1_000_000, now).await?;
    let seed_time = seed_start.elapsed();

    // The scheduler's own tick function, with no per-tick cap: one tick runs every due session.
    let opts = AutohuntOptions {
        batch_size,
        workers,
        max_batches_per_tick: usize::MAX,
    };
    let pets = Arc::new(
        chronix_core::pets::PetRules::shipped(&tables)
            .map_err(|p| anyhow::anyhow!("the embedded pets.yaml is invalid: {p:?}"))?,
    );
    let inputs = Arc::new(TickInputs {
        rules: AutohuntRules::default(),
        tables,
        curve: XpCurve::default(),
        pets,
        clans: Some(Arc::new(
            chronix_core::clans::ClanRules::shipped()
                .map_err(|p| anyhow::anyhow!("the embedded clans.yaml is invalid: {p:?}"))?,
        )),
    });
    let start = Instant::now();
    let done_batches = process_due_concurrently(storage, inputs, now, &opts).await?;
    let batches = done_batches.len() as u64;
    let done: u64 = done_batches.iter().map(|b| b.claimed() as u64).sum();
    let elapsed = start.elapsed();
    if done != sessions as u64 {
        bail!("processed {done} sessions, expected {sessions}");
    }
    let mismatches = economy::reconcile(storage).await?;
    if !mismatches.is_empty() {
        bail!(
            "{} users' balances do not match their ledger",
            mismatches.len()
        );
    }
    Ok(AutohuntBenchReport {
        backend,
        sessions: done,
        elapsed,
        seed_time,
        batches,
    })
}

pub mod commands;
pub mod floor;
pub mod logging;
pub mod memory;
pub mod rankcard;
pub use rankcard::rankcard;
