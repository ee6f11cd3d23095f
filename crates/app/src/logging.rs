//! Logging: coloured (or JSON) console output plus a daily log file in `DATA_DIR/logs`.
//! The returned guard flushes the file when dropped, so keep it alive until exit.

use anyhow::Context;
use chronix_config::{Config, LogFormat};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, fmt};

/// Install the global subscriber. The file always gets `LOG_LEVEL`; the console gets
/// `console_level` instead when given (the playground keeps the terminal for the chat and
/// shows only warnings there). Returns the file writer's guard.
pub fn init(config: &Config, console_level: Option<&str>) -> anyhow::Result<WorkerGuard> {
    let filter = |spec: &str| {
        EnvFilter::try_new(spec)
            .with_context(|| format!("LOG_LEVEL={spec:?} is not a valid filter"))
    };
    let file_filter = filter(&config.log_level)?;
    let console_filter = filter(console_level.unwrap_or(&config.log_level))?;
    let dir = config.data_dir.join("logs");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let appender = tracing_appender::rolling::daily(&dir, "chronix.log");
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let file_layer = fmt::layer()
        .with_ansi(false)
        .with_writer(file_writer)
        .with_filter(file_filter);
    let registry = tracing_subscriber::registry().with(file_layer);
    let result = match config.log_format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_writer(std::io::stderr)
                    .with_filter(console_filter),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_filter(console_filter),
            )
            .try_init(),
    };
    result.context("a global logger is already installed")?;
    Ok(guard)
}
