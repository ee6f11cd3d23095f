//! The `chronix` binary: reads the configuration, wires the layers together and runs
//! one of the subcommands. No game rule and no SQL lives here.

use chronix::{bench, bot, logging, playground};

use std::process::ExitCode;

use chronix_config::Config;
use clap::{Parser, Subcommand};

/// Chronix: an all-in-one Discord bot.
#[derive(Debug, Parser)]
#[command(name = "chronix", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the bot (the default). Without DISCORD_TOKEN this starts the sandbox playground.
    Run,
    /// Apply database migrations and exit.
    Migrate,
    /// Check the configuration and print every key (secrets shown only as set/unset).
    CheckConfig,
    /// Start the sandbox playground: a local Discord-compatible server, a demo guild and the
    /// real bot on SQLite, driven from the terminal (or a piped script).
    Sandbox,
    /// Print a complete `.env.example` generated from the key table.
    ConfigExample,
    /// Print the configuration table in Markdown (for the README).
    ConfigTable,
    /// Print the command reference in Markdown (docs/commands.md).
    Commands,
    /// Benchmarks that print figures (speed targets live here, not in timed tests).
    Bench {
        #[command(subcommand)]
        which: BenchCommand,
    },
    /// Back the database up: SQLite by `VACUUM INTO` (safe while the bot runs), PostgreSQL by
    /// `pg_dump --format=custom`. Default file: BACKUP_DIR/chronix-<UTC time>.{sqlite,pgdump}.
    Backup {
        /// Write the backup here instead (must not exist).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Restore a backup into the configured database (stop the bot first). SQLite: the current
    /// file is kept as `*.pre-restore`. PostgreSQL: `pg_restore` into an empty database.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
    },
    /// Ask the running bot's `/healthz` (on HEALTH_BIND) and exit 0 if it answers 200.
    /// Used by the Docker HEALTHCHECK.
    Healthcheck,
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// One full autohunt tick over N due sessions on a scratch database (PostgreSQL: server
    /// from TEST_DATABASE_URL or DATABASE_URL; SQLite: a temporary file), with every effect.
    /// Prints `autohunt: N sessions/s`.
    Autohunt {
        /// Due sessions to seed and process.
        #[arg(long, default_value_t = 100_000)]
        sessions: u64,
        /// `postgres` or `sqlite` (default: postgres when TEST_DATABASE_URL or DATABASE_URL is a
        /// Postgres URL, else sqlite).
        #[arg(long)]
        backend: Option<String>,
        /// Sessions per batch (one transaction each).
        #[arg(long)]
        batch_size: Option<i64>,
        /// Concurrent workers claiming batches with SKIP LOCKED.
        #[arg(long)]
        workers: Option<usize>,
    },
    /// The real bot in-process, driven through the sandbox by simulated members (one channel
    /// and one outstanding command each). Prints commands/s, p50/p90/p99 latency and the bot's
    /// CPU per command, one line per member count.
    Commands {
        /// `postgres` or `sqlite` (default as for `bench autohunt`).
        #[arg(long)]
        backend: Option<String>,
        /// Member counts, one run each.
        #[arg(long, value_delimiter = ',', default_value = "1,16")]
        members: Vec<usize>,
        /// Measured seconds per run.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// `mix` (ping, balance, hunt, daily, leaderboard; prefix and slash), `balance`, or
        /// `chat` (20 chat messages and a ping per step: the levels message listener).
        #[arg(long, default_value = "mix")]
        mode: String,
        /// Worker threads of the bot's Tokio runtime (default: one per CPU core, as the bot).
        #[arg(long)]
        bot_threads: Option<usize>,
        /// `chronix` (the bot), `floor` (a bare serenity client answering `chro balance`:
        /// what the library alone costs in the same harness; `--mode balance` only) or
        /// `floor-serenity-cache` (the same with serenity's default cache).
        #[arg(long, default_value = "chronix")]
        bot: String,
    },
    /// Renders rank cards (the levels feature's PNG) and prints ms/card.
    Rankcard {
        /// Cards to render.
        #[arg(long, default_value_t = 200)]
        cards: u32,
    },
    /// N message edits through the logging feature's listener pipeline into the `logs` table
    /// of a scratch database (batched writes as the scheduler tick does them). Prints
    /// `logging: N events/s`.
    Logging {
        /// Events to feed.
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// `postgres` or `sqlite` (default as for `bench autohunt`).
        #[arg(long)]
        backend: Option<String>,
        /// Concurrent feeders (default: one per CPU core).
        #[arg(long)]
        feeders: Option<usize>,
    },
    /// The real bot as a child process receives G guilds of M members through the sandbox
    /// (in this process); prints the bot's resident memory (VmRSS, peak VmHWM) and CPU time once
    /// it has taken them in.
    Memory {
        /// Guilds.
        #[arg(long, default_value_t = 1000)]
        guilds: usize,
        /// Members per guild.
        #[arg(long, default_value_t = 1000)]
        members: usize,
        /// The same users in every guild (default: distinct users).
        #[arg(long)]
        shared_users: bool,
        /// `start` (in GUILD_CREATE; only guilds under large_threshold carry members),
        /// `events` (GUILD_MEMBER_ADD after READY) or `both` (half each).
        #[arg(long, default_value = "events")]
        arrival: String,
        /// `chronix` (the bot), `floor` (a bare serenity client with the bot's intents and
        /// cache settings: what the library alone costs) or `floor-serenity-cache` (the same
        /// with serenity's default cache, as the bot was configured before its own cache).
        #[arg(long, default_value = "chronix")]
        bot: String,
    },
    /// The floor of `bench memory --bot floor`, run as the benchmark's child process: a bare
    /// serenity client connected with DISCORD_TOKEN and DISCORD_API_PROXY, until killed.
    #[command(hide = true)]
    FloorBot {
        /// serenity's default cache settings instead of the bot's.
        #[arg(long)]
        serenity_cache: bool,
    },
}

/// jemalloc for the whole process: less CPU per command and a smaller, steadier resident set
/// than glibc's allocator under the bot's many small, short-lived allocations across threads
/// (README, "Benchmarks").
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Run) {
        Command::ConfigExample => {
            print!("{}", chronix_config::env_example());
            ExitCode::SUCCESS
        }
        Command::ConfigTable => {
            print!("{}", chronix_config::markdown_table());
            ExitCode::SUCCESS
        }
        Command::Commands => {
            print!("{}", chronix_discord::features::command_reference());
            ExitCode::SUCCESS
        }
        Command::CheckConfig => check_config(),
        Command::Healthcheck => healthcheck(),
        Command::Bench { which } => run_bench(which),
        command => {
            let config = match Config::load() {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("Fix the keys above in .env or the environment (see .env.example).");
                    return ExitCode::from(2);
                }
            };
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("cannot start the async runtime: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let playground = matches!(
                command,
                Command::Sandbox | Command::Backup { .. } | Command::Restore { .. }
            ) || (matches!(command, Command::Run) && config.is_playground());
            // The playground's terminal is the chat: only warnings go to the console there.
            let console_level = playground.then_some("warn");
            let _log_guard = match logging::init(&config, console_level) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("cannot set up logging: {e:#}");
                    return ExitCode::FAILURE;
                }
            };
            let result = runtime.block_on(async move {
                match command {
                    Command::Migrate => migrate(&config).await,
                    Command::Backup { out } => backup(&config, out).await,
                    Command::Restore { file } => restore(&config, &file).await,
                    Command::Sandbox => playground::run(config).await,
                    _ if config.is_playground() => {
                        tracing::info!("no DISCORD_TOKEN: starting the sandbox playground");
                        playground::run(config).await
                    }
                    _ => run(config).await,
                }
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    // The console layer prints this to stderr; the file layer keeps it.
                    tracing::error!("{e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn check_config() -> ExitCode {
    let raw = std::env::vars().collect();
    match Config::load() {
        Ok(config) => {
            for (key, value) in Config::summary(&raw) {
                println!("{key}={value}");
            }
            let db = if config.uses_postgres() {
                "PostgreSQL"
            } else {
                "SQLite"
            };
            let mode = if config.is_playground() {
                "sandbox playground"
            } else {
                "Discord"
            };
            println!("# configuration OK: {db} database, {mode} mode");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn run_bench(which: BenchCommand) -> ExitCode {
    let (sessions, backend, batch_size, workers) = match which {
        BenchCommand::Autohunt {
            sessions,
            backend,
            batch_size,
            workers,
        } => (sessions, backend, batch_size, workers),
        BenchCommand::Commands {
            backend,
            members,
            seconds,
            mode,
            bot_threads,
            bot,
        } => return run_bench_commands(backend, members, seconds, &mode, bot_threads, &bot),
        BenchCommand::Rankcard { cards } => return print_report(bench::rankcard(cards)),
        BenchCommand::Logging {
            events,
            backend,
            feeders,
        } => return run_bench_logging(events, backend, feeders),
        BenchCommand::Memory {
            guilds,
            members,
            shared_users,
            arrival,
            bot,
        } => {
            let result = bench::memory::Arrival::parse(&arrival).and_then(|arrival| {
                bench::memory::memory(bench::memory::MemoryBench {
                    guilds,
                    members,
                    shared_users,
                    arrival,
                    bot: bench::BotKind::parse(&bot)?,
                })
            });
            return print_report(result);
        }
        BenchCommand::FloorBot { serenity_cache } => {
            let kind = if serenity_cache {
                bench::BotKind::FloorSerenityCache
            } else {
                bench::BotKind::Floor
            };
            return print_report(bench::floor::run_forever(kind));
        }
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| {
            rt.block_on(async {
                let mut opts = bench::AutohuntBench::from_env(sessions, backend.as_deref())?;
                if let Some(b) = batch_size {
                    opts.batch_size = b;
                }
                if let Some(w) = workers {
                    opts.workers = w;
                }
                bench::autohunt(opts).await
            })
        });
    print_report(result)
}

fn run_bench_logging(events: u64, backend: Option<String>, feeders: Option<usize>) -> ExitCode {
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| {
            rt.block_on(async {
                let backend = bench::Backend::from_env(backend.as_deref())?;
                let feeders = feeders
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
                bench::logging::logging(bench::logging::LoggingBench {
                    backend,
                    events,
                    feeders,
                })
                .await
            })
        });
    print_report(result)
}

/// Prints a benchmark's report, or why it failed.
fn print_report(result: anyhow::Result<impl std::fmt::Display>) -> ExitCode {
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_bench_commands(
    backend: Option<String>,
    members: Vec<usize>,
    seconds: f64,
    mode: &str,
    bot_threads: Option<usize>,
    bot: &str,
) -> ExitCode {
    let result = bench::Backend::from_env(backend.as_deref()).and_then(|backend| {
        let mode = bench::commands::Mode::parse(mode)?;
        bench::commands::commands(bench::commands::CommandsBench {
            backend,
            members,
            seconds,
            mode,
            bot_threads,
            bot: bench::BotKind::parse(bot)?,
        })
    });
    match result {
        // each run's line is printed as it finishes
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn healthcheck() -> ExitCode {
    use std::io::{Read, Write};
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut addr = config.health_bind;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = std::time::Duration::from_secs(3);
    let answer = std::net::TcpStream::connect_timeout(&addr, timeout).and_then(|mut s| {
        s.set_read_timeout(Some(timeout))?;
        s.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
        let mut buf = String::new();
        s.read_to_string(&mut buf)?;
        Ok(buf)
    });
    match answer {
        Ok(text) if text.starts_with("HTTP/1.1 200") || text.starts_with("HTTP/1.0 200") => {
            println!("healthy");
            ExitCode::SUCCESS
        }
        Ok(text) => {
            eprintln!(
                "unhealthy: {}",
                text.lines().next().unwrap_or("empty answer")
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("unhealthy: cannot reach {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let storage = chronix::connect_and_migrate(config).await?;
    storage.close().await;
    println!("migrations applied");
    Ok(())
}

async fn backup(config: &Config, out: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let storage = chronix::connect_and_migrate(config).await?;
    let url = config.database_url.expose().unwrap_or_default();
    let file = match out {
        Some(path) => chronix_storage::backup::write_to(&storage, url, &path).await,
        None => {
            chronix_storage::backup::write_into(
                &storage,
                url,
                &config.backup_dir,
                chrono::Utc::now(),
            )
            .await
        }
    };
    storage.close().await;
    let file = file?;
    println!(
        "backup written: {} ({} bytes)",
        file.path.display(),
        file.bytes
    );
    Ok(())
}

async fn restore(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    let url = config.database_url.expose().unwrap_or_default();
    chronix_storage::backup::restore(url, file).await?;
    // The restored database may be older than this binary: bring its schema up to date.
    let storage = chronix::connect_and_migrate(config).await?;
    storage.close().await;
    println!("restored {} into the configured database", file.display());
    Ok(())
}

async fn run(config: Config) -> anyhow::Result<()> {
    let storage = chronix::connect_and_migrate(&config).await?;
    let result = bot::run(config, storage.clone(), bot::shutdown_signal()).await;
    storage.close().await;
    result
}
