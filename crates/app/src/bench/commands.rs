//! `chronix bench commands [--backend postgres|sqlite] [--members 1,16] [--seconds N]
//! [--mode mix|balance]`: the real bot (started in-process exactly as the end-to-end tests start
//! it) on a scratch database, driven through the in-repo sandbox by simulated members. Each
//! member has its own channel and keeps one command outstanding: it sends a command (prefix or
//! slash), waits for the bot's reply in its channel, and sends the next one.
//!
//! Figures: commands/s, p50/p90/p99 latency from the moment the message (or interaction) is
//! put into the sandbox to the moment the sandbox holds the bot's reply, and the bot's CPU time
//! per command.
//!
//! CPU accounting: the sandbox and the simulated members run on their own Tokio runtime whose
//! threads are named `sandbox-rt`; the bot runs on another runtime (`bot-rt`). The bot's CPU is
//! the process's utime+stime (`/proc/self/stat`) minus that of the `sandbox-rt` threads and the
//! main thread (`/proc/self/task/<tid>/stat`), so it includes everything the bot starts (its
//! runtime, blocking threads, SQLite worker threads). The PostgreSQL server's CPU is a separate
//! process and is not counted.

use std::fmt;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chronix_discord::BotOptions;
use chronix_sandbox::{ChannelKind, CommandCall, Id, Sandbox, SandboxConfig};
use chronix_storage::autohunt::bench::{create_scratch_postgres, create_scratch_sqlite};

use super::Backend;

/// Which commands the members send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// ping, balance, hunt, daily, leaderboard in turn, alternately as prefix and slash commands.
    Mix,
    /// Only `chro balance` (prefix).
    Balance,
    /// Chat: each step is [`CHAT_BURST`] ordinary messages (each different, so the levels
    /// listener's anti-spam passes them; the cooldown holds all but the first per minute)
    /// followed by `chro ping`, whose reply closes the step. Measures the message listener.
    Chat,
}

/// Chat messages per step of [`Mode::Chat`].
pub const CHAT_BURST: usize = 20;

impl Mode {
    /// Parses `mix` or `balance`.
    pub fn parse(s: &str) -> anyhow::Result<Self> {
        match s {
            "mix" => Ok(Mode::Mix),
            "balance" => Ok(Mode::Balance),
            "chat" => Ok(Mode::Chat),
            other => bail!("unknown mode {other:?} (want mix, balance or chat)"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Mix => "mix",
            Mode::Balance => "balance",
            Mode::Chat => "chat",
        }
    }
}

/// Benchmark parameters.
#[derive(Debug, Clone)]
pub struct CommandsBench {
    /// Where the bot's database lives.
    pub backend: Backend,
    /// Members at once, one run each.
    pub members: Vec<usize>,
    /// Measured seconds per run (after a one-second warm-up).
    pub seconds: f64,
    /// Which commands.
    pub mode: Mode,
    /// Worker threads of the bot's runtime (`None`: one per CPU core, as the bot).
    pub bot_threads: Option<usize>,
    /// Chronix, or the floor (a bare serenity client; `Mode::Balance` only).
    pub bot: super::BotKind,
}

/// One run's figures.
#[derive(Debug, Clone)]
pub struct RunReport {
    bot: super::BotKind,
    backend: &'static str,
    mode: Mode,
    members: usize,
    commands: usize,
    elapsed: Duration,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    bot_cpu: Duration,
    sandbox_cpu: Duration,
}

impl fmt::Display for RunReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.commands.max(1) as f64;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "{}{} {} members={}: {} commands in {:.2} s = {:.0} commands/s; latency p50 {:.2} ms, \
             p90 {:.2} ms, p99 {:.2} ms; bot CPU {:.3} ms/command (sandbox+driver {:.3} ms/command)",
            self.backend,
            self.bot.label(),
            self.mode.name(),
            self.members,
            self.commands,
            self.elapsed.as_secs_f64(),
            n / self.elapsed.as_secs_f64().max(1e-9),
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.bot_cpu) / n,
            ms(self.sandbox_cpu) / n,
        )
    }
}

const SANDBOX_THREAD: &str = "sandbox-rt";
const BOT_THREAD: &str = "bot-rt";

fn ticks_per_second() -> f64 {
    // USER_HZ is 100 on every Linux configuration we run on.
    100.0
}

/// utime+stime in clock ticks from a `/proc/.../stat` line.
fn stat_cpu(stat: &str) -> Option<(String, u64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_owned();
    let rest: Vec<&str> = stat[close + 2..].split(' ').collect();
    // fields after the comm start at field 3 (state); utime is field 14, stime field 15
    let utime: u64 = rest.get(11)?.parse().ok()?;
    let stime: u64 = rest.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

/// (process CPU, CPU of the sandbox side: `sandbox-rt` threads and the main thread), in ticks.
fn cpu_snapshot() -> (u64, u64) {
    let total = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| stat_cpu(&s))
        .map_or(0, |(_, t)| t);
    let pid = std::process::id().to_string();
    let mut sandbox = 0;
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for entry in dir.flatten() {
            let tid = entry.file_name().to_string_lossy().into_owned();
            let Some((comm, t)) = std::fs::read_to_string(entry.path().join("stat"))
                .ok()
                .and_then(|s| stat_cpu(&s))
            else {
                continue;
            };
            if comm.starts_with(SANDBOX_THREAD) || tid == pid {
                sandbox += t;
            }
        }
    }
    (total, sandbox)
}

fn ticks(t: u64) -> Duration {
    Duration::from_secs_f64(t as f64 / ticks_per_second())
}

/// What member `m` sends as its `i`-th command.
fn command_for(mode: Mode, m: usize, i: usize) -> (bool, &'static str) {
    match mode {
        Mode::Balance => (false, "balance"),
        Mode::Chat => (false, "chat"),
        Mode::Mix => {
            const MIX: [&str; 5] = ["ping", "balance", "hunt", "daily", "leaderboard"];
            let k = i + m;
            ((k / MIX.len()) % 2 == 1, MIX[k % MIX.len()])
        }
    }
}

static CHAT_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

async fn send_one(
    sb: &Sandbox,
    prefix: &str,
    user: Id,
    channel: Id,
    slash: bool,
    name: &str,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    if slash {
        let call = match name {
            "leaderboard" => CommandCall::new("economy").sub("leaderboard"),
            other => CommandCall::new(other),
        };
        sb.run_command(user, channel, call)
            .map_err(|e| anyhow::anyhow!("/{name}: {e}"))?;
    } else if name == "chat" {
        for k in 0..CHAT_BURST {
            let n = CHAT_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sb.send_message(user, channel, &format!("chatting about thing {n} and {k}"));
        }
        sb.send_message(user, channel, &format!("{prefix} ping"));
    } else {
        sb.send_message(user, channel, &format!("{prefix} {name}"));
    }
    sb.wait_for_message(channel, Duration::from_secs(10))
        .await
        .map_err(|e| anyhow::anyhow!("no reply to {name}: {e}"))?;
    Ok(start.elapsed())
}

/// Runs the benchmark and returns one report per member count.
pub fn commands(opts: CommandsBench) -> anyhow::Result<Vec<RunReport>> {
    if opts.members.is_empty() || opts.members.contains(&0) {
        bail!("--members needs counts of at least 1");
    }
    if opts.bot != super::BotKind::Chronix && opts.mode != Mode::Balance {
        bail!("the floor client answers only `chro balance`: use --mode balance");
    }
    let sb_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(SANDBOX_THREAD)
        .enable_all()
        .build()?;
    let mut bot_rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = opts.bot_threads {
        bot_rt.worker_threads(n.max(1));
    }
    let bot_rt = bot_rt.thread_name(BOT_THREAD).enable_all().build()?;
    let backend = opts.backend.clone();
    let db = bot_rt
        .block_on(async {
            match &backend {
                Backend::Postgres(url) => create_scratch_postgres(url, 10).await,
                Backend::Sqlite => create_scratch_sqlite(10).await,
            }
        })
        .context("creating the scratch database")?;
    let result = run(&opts, &sb_rt, &bot_rt, &db.storage);
    let dropped = bot_rt.block_on(db.drop_database());
    let reports = result?;
    dropped.context("dropping the scratch database")?;
    Ok(reports)
}

fn run(
    opts: &CommandsBench,
    sb_rt: &tokio::runtime::Runtime,
    bot_rt: &tokio::runtime::Runtime,
    storage: &chronix_storage::Storage,
) -> anyhow::Result<Vec<RunReport>> {
    let max_members = *opts.members.iter().max().unwrap_or(&1);
    let sb = sb_rt.block_on(Sandbox::start_with(SandboxConfig::default()))?;
    let guild = sb.create_guild("Bench Guild");
    let members: Vec<(Id, Id)> = (0..max_members)
        .map(|i| {
            let user = sb.create_user(&format!("member{i}"));
            sb.add_member(guild.id, user);
            let channel = sb.create_channel(guild.id, &format!("bench-{i}"), ChannelKind::Text);
            (user, channel)
        })
        .collect();
    let mut raw = std::collections::HashMap::new();
    raw.insert("DISCORD_TOKEN".to_owned(), sb.token().to_owned());
    raw.insert("DISCORD_API_PROXY".to_owned(), sb.base_url().to_owned());
    // Simulated members send far more than a person would: the per-user economy rate limits
    // would turn most of the mix into refusals, so the benchmark measures without them.
    for k in ["BETS", "PAY", "TRADE", "MARKET", "LEADERBOARD"] {
        raw.insert(format!("ECONOMY_RATE_LIMIT_{k}"), "off".to_owned());
    }
    // The bot's settings from the environment (`ENABLE_LOGGING=false`,
    // `LOG_MESSAGE_CACHE_SIZE=1000`, …), except where it connects and what it stores in.
    for (k, v) in std::env::vars() {
        let own = matches!(
            k.as_str(),
            "DISCORD_TOKEN" | "DISCORD_API_PROXY" | "DATABASE_URL" | "DATA_DIR"
        );
        if !own && chronix_config::keys::find(&k).is_some() {
            raw.insert(k, v);
        }
    }
    let config = chronix_config::Config::from_values(&raw).map_err(|e| anyhow::anyhow!("{e}"))?;
    let prefix = config.prefix.trim().to_owned();
    let bot =
        match opts.bot {
            super::BotKind::Chronix => Running::Chronix(bot_rt.block_on(
                chronix_discord::start(config, storage.clone(), BotOptions::default()),
            )?),
            kind => Running::Floor(
                bot_rt.block_on(super::floor::FloorBot::start(&config, kind.floor_cache()))?,
            ),
        };
    sb_rt.block_on(async {
        sb.wait_for_ready(Duration::from_secs(20))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let end = Instant::now() + Duration::from_secs(20);
        while matches!(bot, Running::Chronix(_)) && !sb.commands().iter().any(|c| c.name == "ping")
        {
            if Instant::now() > end {
                bail!("the bot did not register its slash commands");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::Ok(())
    })?;

    let mut reports = Vec::new();
    for &n in &opts.members {
        let report = sb_rt.block_on(one_run(
            &sb,
            &prefix,
            &members[..n],
            opts.mode,
            opts.seconds,
            (opts.bot, opts.backend.name()),
        ))?;
        println!("{report}");
        reports.push(report);
    }
    match bot {
        Running::Chronix(bot) => bot_rt.block_on(bot.shutdown()),
        Running::Floor(bot) => bot_rt.block_on(bot.shutdown()),
    }
    Ok(reports)
}

/// The client under measurement.
enum Running {
    Chronix(chronix_discord::Bot),
    Floor(super::floor::FloorBot),
}

async fn one_run(
    sb: &Sandbox,
    prefix: &str,
    members: &[(Id, Id)],
    mode: Mode,
    seconds: f64,
    (bot, backend): (super::BotKind, &'static str),
) -> anyhow::Result<RunReport> {
    // Warm-up: every member's first commands create its rows.
    let warm_end = Instant::now() + Duration::from_secs(1);
    let measure = Duration::from_secs_f64(seconds.max(0.1));
    let mut tasks = Vec::new();
    for (m, &(user, channel)) in members.iter().enumerate() {
        let sb = sb.clone();
        let prefix = prefix.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while Instant::now() < warm_end {
                let (slash, name) = command_for(mode, m, i);
                send_one(&sb, &prefix, user, channel, slash, name).await?;
                i += 1;
            }
            anyhow::Ok((m, i))
        }));
    }
    let mut next = Vec::new();
    for t in tasks {
        next.push(t.await??);
    }
    let begin = Instant::now();
    let cpu0 = cpu_snapshot();
    let end = begin + measure;
    let mut tasks = Vec::new();
    for (m, i0) in next {
        let (user, channel) = members[m];
        let sb = sb.clone();
        let prefix = prefix.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = i0;
            while Instant::now() < end {
                let (slash, name) = command_for(mode, m, i);
                lat.push(send_one(&sb, &prefix, user, channel, slash, name).await?);
                i += 1;
            }
            anyhow::Ok(lat)
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let elapsed = begin.elapsed();
    let cpu1 = cpu_snapshot();
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let sandbox = cpu1.1.saturating_sub(cpu0.1);
    let total = cpu1.0.saturating_sub(cpu0.0);
    Ok(RunReport {
        bot,
        backend,
        mode,
        members: members.len(),
        commands: lat.len(),
        elapsed,
        p50: pct(0.50),
        p90: pct(0.90),
        p99: pct(0.99),
        bot_cpu: ticks(total.saturating_sub(sandbox)),
        sandbox_cpu: ticks(sandbox),
    })
}
