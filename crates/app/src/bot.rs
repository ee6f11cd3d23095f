//! `chronix run` with a token: the health endpoints (`HEALTH_BIND`) and the Discord bot,
//! until a shutdown signal (SIGTERM or Ctrl-C), then a graceful shutdown.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use chronix_config::Config;
use chronix_discord::{BotOptions, Data};
use chronix_storage::Storage;
use chronix_web::{HealthSource, Readiness};
use futures::future::BoxFuture;

/// The health endpoints' view of the bot.
pub struct BotHealth(pub Data);

impl HealthSource for BotHealth {
    fn readiness(&self) -> BoxFuture<'_, Readiness> {
        Box::pin(async move {
            let (gateway, database) = self.0.readiness().await;
            Readiness { gateway, database }
        })
    }
    fn metrics(&self) -> BoxFuture<'_, String> {
        Box::pin(self.0.metrics_text())
    }
}

/// Run the bot until `shutdown` resolves: migrations, poise framework, gateway, and the
/// health server on `HEALTH_BIND`; then stop taking commands, let in-flight commands finish,
/// close the gateway and stop the health server. Logs are flushed by the caller's log guard.
pub async fn run(
    config: Config,
    storage: Storage,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let bind = config.health_bind;
    // Bind first: a taken port stops start-up before anything connects to Discord.
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding the health endpoints on HEALTH_BIND={bind}"))?;
    let bot = chronix_discord::start(config, storage, BotOptions::default()).await?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let source = Arc::new(BotHealth(bot.data().clone()));
    let (_addr, health) = chronix_web::serve_health_on(listener, source, async move {
        let _ = stop_rx.await;
    })?;
    let result = bot.run_until(shutdown).await;
    let _ = stop_tx.send(());
    let _ = health.await;
    result
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}
