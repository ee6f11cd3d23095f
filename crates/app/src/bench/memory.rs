//! `chronix bench memory [--guilds G] [--members M] [--shared-users] [--arrival
//! start|events|both]`: the real bot, as its own process (this binary's `run`), receives G guilds
//! of M members each through the in-repo sandbox; the benchmark prints the bot's resident memory
//! (`VmRSS`, peak `VmHWM` from `/proc/<pid>/status`) and the bot's CPU time (`utime + stime` from
//! `/proc/<pid>/stat`, start-up included) once it has taken everything in.
//!
//! Only the bot is measured: the sandbox, with its million members, lives in this process; the
//! bot runs as a child with `DISCORD_TOKEN` / `DISCORD_API_PROXY` pointing at the sandbox, a
//! scratch SQLite database in a temporary directory, `LOG_LEVEL=warn` and `HEALTH_BIND` on an
//! ephemeral port (no clash with a running bot), in an otherwise empty environment.
//!
//! How members arrive:
//! - `start`: every member exists before the bot connects and arrives with its guild's
//!   GUILD_CREATE. Discord (and the sandbox) put members in GUILD_CREATE only for guilds of at
//!   most `large_threshold` members (serenity asks for 250); larger guilds send members only in
//!   answer to op 8 member requests, and Chronix sends none, so at start-up such guilds bring
//!   the bot no members (the report says how many were delivered).
//! - `events`: after READY and the GUILD_CREATEs, every member joins by GUILD_MEMBER_ADD.
//! - `both`: the first half of each guild's members exists at start-up, the rest joins by
//!   events.
//!
//! With `--shared-users` the same M users are members of every guild (M users in all); without
//! it every member is a distinct user (G × M users).
//!
//! `ENABLE_*` variables of the benchmark's environment are passed to the bot, so a feature's
//! share can be measured by switching it off.
//!
//! The bot has taken everything in when its CPU time stays flat (under 30 ms more) for 2 s after
//! the sandbox delivered the last event.

use std::fmt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chronix_sandbox::{Id, Sandbox, SandboxConfig};

/// How members reach the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// In GUILD_CREATE at start-up.
    Start,
    /// By GUILD_MEMBER_ADD after READY.
    Events,
    /// Half each.
    Both,
}

impl Arrival {
    /// Parses `start`, `events` or `both`.
    pub fn parse(s: &str) -> anyhow::Result<Self> {
        match s {
            "start" => Ok(Arrival::Start),
            "events" => Ok(Arrival::Events),
            "both" => Ok(Arrival::Both),
            other => bail!("unknown arrival {other:?} (want start, events or both)"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Arrival::Start => "start",
            Arrival::Events => "events",
            Arrival::Both => "both",
        }
    }

    /// Members of a guild of `members` that exist before the bot connects.
    fn before_connect(self, members: usize) -> usize {
        match self {
            Arrival::Start => members,
            Arrival::Events => 0,
            Arrival::Both => members / 2,
        }
    }
}

/// Benchmark parameters.
#[derive(Debug, Clone)]
pub struct MemoryBench {
    /// Guilds.
    pub guilds: usize,
    /// Members per guild (besides the guild's owner and the bot).
    pub members: usize,
    /// The same users in every guild (else distinct users).
    pub shared_users: bool,
    /// How members arrive.
    pub arrival: Arrival,
    /// Chronix (`chronix run`), or the floor (`chronix bench floor-bot`, a bare serenity client).
    pub bot: super::BotKind,
}

/// What the benchmark measured.
#[derive(Debug, Clone)]
pub struct MemoryReport {
    opts: MemoryBench,
    /// Resident memory at the end, in KiB.
    pub rss_kib: u64,
    /// Peak resident memory, in KiB.
    pub hwm_kib: u64,
    /// The bot's CPU time (user + system), start-up included.
    pub bot_cpu: Duration,
    /// Members the sandbox delivered to the bot (GUILD_CREATE members and GUILD_MEMBER_ADDs).
    pub delivered: usize,
    /// From spawning the bot to the sandbox having queued the last event.
    pub delivery: Duration,
    /// Gateway sessions the bot identified (1: it never lost its session, so it received
    /// every event; more: events sent to a lost session were not read).
    pub sessions: u64,
}

/// serenity's IDENTIFY `large_threshold`.
const LARGE_THRESHOLD: usize = 250;

impl fmt::Display for MemoryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = |kib: u64| kib as f64 / 1024.0;
        let per_member = if self.delivered > 0 {
            format!(
                "{:.2} KB/member",
                self.rss_kib as f64 * 1.024 / self.delivered as f64
            )
        } else {
            "no members delivered".to_owned()
        };
        write!(
            f,
            "memory{} guilds={} members={} {} arrival={}: rss {:.0} MB (peak {:.0} MB), {}, \
             bot CPU {:.1} s ({} members delivered in {:.1} s, {} gateway session{})",
            self.opts.bot.label(),
            self.opts.guilds,
            self.opts.members,
            if self.opts.shared_users {
                "shared"
            } else {
                "distinct"
            },
            self.opts.arrival.name(),
            mb(self.rss_kib),
            mb(self.hwm_kib),
            per_member,
            self.bot_cpu.as_secs_f64(),
            self.delivered,
            self.delivery.as_secs_f64(),
            self.sessions,
            if self.sessions == 1 {
                ""
            } else {
                "s: events were lost"
            },
        )
    }
}

/// utime + stime of a process, in clock ticks (USER_HZ = 100).
fn proc_cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let close = stat.rfind(')')?;
    let rest: Vec<&str> = stat.get(close + 2..)?.split(' ').collect();
    // after the comm, field 3 (state) is index 0: utime is field 14, stime field 15
    let utime: u64 = rest.get(11)?.parse().ok()?;
    let stime: u64 = rest.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// `VmRSS` and `VmHWM` of a process, in KiB.
fn proc_memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The bot's child process; killed and its scratch directory removed on drop.
struct BotProcess {
    child: Child,
    dir: PathBuf,
}

impl BotProcess {
    fn spawn(sb: &Sandbox, bot: super::BotKind) -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!(
            "chronix-bench-memory-{}-{:x}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&dir).context("creating the scratch directory")?;
        let exe = std::env::current_exe().context("finding this executable")?;
        let db = dir.join("bench.db");
        let mut cmd = Command::new(exe);
        match bot {
            super::BotKind::Chronix => cmd.arg("run"),
            super::BotKind::Floor => cmd.args(["bench", "floor-bot"]),
            super::BotKind::FloorSerenityCache => {
                cmd.args(["bench", "floor-bot", "--serenity-cache"])
            }
        };
        cmd.env_clear()
            .current_dir(&dir)
            .env("DISCORD_TOKEN", sb.token())
            .env("DISCORD_API_PROXY", sb.base_url())
            .env("DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("DATA_DIR", &dir)
            .env("LOG_LEVEL", "warn")
            .env("HEALTH_BIND", "127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Ok(path) = std::env::var("PATH") {
            cmd.env("PATH", path);
        }
        // Feature switches pass through (`ENABLE_INVITES=false chronix bench memory …` measures
        // the bot without that feature's listeners), and so do glibc's allocator settings
        // (`MALLOC_ARENA_MAX`, `GLIBC_TUNABLES`) and a heap profiler's preload (heaptrack's
        // `LD_PRELOAD` and `DUMP_HEAPTRACK_OUTPUT`, see the README).
        let passed = |k: &str| {
            k.starts_with("ENABLE_")
                || k.starts_with("MALLOC_")
                || k == "GLIBC_TUNABLES"
                || k == "BENCH_BOT_LD_PRELOAD"
                || k == "DUMP_HEAPTRACK_OUTPUT"
        };
        for (k, v) in std::env::vars().filter(|(k, _)| passed(k)) {
            match k.as_str() {
                // Named apart so that the benchmark itself does not load it.
                "BENCH_BOT_LD_PRELOAD" => cmd.env("LD_PRELOAD", v),
                _ => cmd.env(k, v),
            };
        }
        let child = cmd.spawn().context("starting the bot")?;
        Ok(Self { child, dir })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn check_alive(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("the bot exited early: {status}");
        }
        Ok(())
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Runs the benchmark.
pub fn memory(opts: MemoryBench) -> anyhow::Result<MemoryReport> {
    if opts.guilds == 0 {
        bail!("--guilds must be at least 1");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("sandbox-rt")
        .enable_all()
        .build()?;
    rt.block_on(run(opts))
}

async fn run(opts: MemoryBench) -> anyhow::Result<MemoryReport> {
    let sb = Sandbox::start_with(SandboxConfig::default()).await?;
    let (g, m) = (opts.guilds, opts.members);
    let shared: Vec<Id> = if opts.shared_users {
        sb.create_users("member", m)
    } else {
        Vec::new()
    };
    let before = opts.arrival.before_connect(m);
    let mut guilds = Vec::with_capacity(g);
    for gi in 0..g {
        let guild = sb.create_guild(&format!("Guild {gi}"));
        let users = if opts.shared_users {
            shared.clone()
        } else {
            sb.create_users(&format!("g{gi}m"), m)
        };
        sb.add_members(guild.id, &users[..before]);
        guilds.push((guild.id, users));
    }
    // GUILD_CREATE carries the members only when the guild (owner and bot included) is not large
    let delivered_at_start = if before + 2 <= LARGE_THRESHOLD {
        before * g
    } else {
        if before > 0 {
            eprintln!(
                "note: guilds of {} members exceed large_threshold ({LARGE_THRESHOLD}): their \
                 GUILD_CREATE carries no members and the bot requests none",
                before + 2
            );
        }
        0
    };

    let spawned = Instant::now();
    let mut bot = BotProcess::spawn(&sb, opts.bot)?;
    let pid = bot.pid();
    // READY and every GUILD_CREATE sent
    loop {
        bot.check_alive()?;
        if sb.wait_for_ready(Duration::from_secs(1)).await.is_ok() {
            break;
        }
        if spawned.elapsed() > Duration::from_secs(600) {
            bail!("the bot did not connect within 10 minutes");
        }
    }
    for (gid, users) in &guilds {
        sb.add_members(*gid, &users[before..]);
        // let the gateway connection drain between guilds
        tokio::task::yield_now().await;
    }
    let delivered = delivered_at_start + (m - before) * g;
    let delivery = spawned.elapsed();

    // Taken in: CPU flat for 2 s.
    let flat_for = Duration::from_secs(2);
    let step = Duration::from_millis(250);
    let mut samples: Vec<(Instant, u64)> = Vec::new();
    loop {
        bot.check_alive()?;
        let now = Instant::now();
        let cpu = proc_cpu_ticks(pid).context("reading the bot's CPU time")?;
        samples.push((now, cpu));
        if let Some(&(_, old)) = samples
            .iter()
            .rev()
            .find(|(t, _)| now.duration_since(*t) >= flat_for)
        {
            if cpu.saturating_sub(old) < 3 {
                break;
            }
        }
        if now.duration_since(spawned) > Duration::from_secs(1800) {
            bail!("the bot was still busy after 30 minutes");
        }
        tokio::time::sleep(step).await;
    }
    let cpu = proc_cpu_ticks(pid).context("reading the bot's CPU time")?;
    let (rss_kib, hwm_kib) = proc_memory_kib(pid).context("reading the bot's memory")?;
    drop(bot);
    Ok(MemoryReport {
        opts,
        rss_kib,
        hwm_kib,
        bot_cpu: Duration::from_secs_f64(cpu as f64 / 100.0),
        delivered,
        delivery,
        sessions: sb.identify_count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrivals_parse_and_split_members() {
        assert_eq!(Arrival::parse("start").unwrap().before_connect(10), 10);
        assert_eq!(Arrival::parse("events").unwrap().before_connect(10), 0);
        assert_eq!(Arrival::parse("both").unwrap().before_connect(10), 5);
        assert!(Arrival::parse("later").is_err());
    }

    #[test]
    fn reads_this_process_memory_and_cpu() {
        let pid = std::process::id();
        let (rss, hwm) = proc_memory_kib(pid).expect("VmRSS and VmHWM");
        assert!(rss > 0 && hwm >= rss, "rss {rss} hwm {hwm}");
        assert!(proc_cpu_ticks(pid).is_some());
    }
}
