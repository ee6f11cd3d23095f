//! The health endpoints wired as in the binary (`bot.rs`), on a real socket; and one run on
//! PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::bot::BotHealth;
use crate::helpers::*;

async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    let status = buf[9..12].parse().unwrap();
    let body = buf.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    (status, body)
}

#[tokio::test]
async fn healthz_readyz_and_metrics_reflect_the_bot() {
    let mut w = World::start().await;
    assert!(w.bot().wait_connected(Duration::from_secs(5)).await);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr, task) = chronix_web::serve_health(
        "127.0.0.1:0".parse().unwrap(),
        Arc::new(BotHealth(w.bot().data().clone())),
        async move {
            let _ = rx.await;
        },
    )
    .await
    .unwrap();
    let (status, body) = get(addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, body) = get(addr, "/readyz").await;
    assert_eq!(status, 200, "{body}");

    w.say(w.member, "chro ping").await;
    w.say(w.member, "chro boom").await;
    w.say(w.member, "chro prefix set !").await;
    let (status, text) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    for line in [
        "chronix_commands_total{command=\"ping\"} 1",
        "chronix_command_errors_total{command=\"boom\"} 1",
        "chronix_command_refusals_total{command=\"prefix set\"} 1",
        "chronix_command_duration_seconds_count{command=\"ping\"} 1",
        "chronix_gateway_connected 1",
        "chronix_guilds 1",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line} in\n{text}");
    }

    // Once the gateway is closed, /readyz says 503.
    let bot = w.bot.take().unwrap();
    let data = bot.data().clone();
    bot.shutdown().await;
    let end = std::time::Instant::now() + Duration::from_secs(5);
    while data.gateway_status().await.0 && std::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, body) = get(addr, "/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("\"gateway\":false"), "{body}");
    let (status, _) = get(addr, "/healthz").await;
    assert_eq!(status, 200);
    tx.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn core_commands_on_postgres() {
    let (w, _) = World::start_with(Setup {
        backend: Backend::Postgres,
        ..Setup::default()
    })
    .await;
    let m = w.say(w.owner, "chro prefix set ?").await;
    assert_eq!(title(&m), "✅ Prefix updated");
    let m = w.say(w.member, "?ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    w.say_expect_silence(w.member, "chro ping").await;
    let m = w.say(w.owner, "?module disable misc").await;
    assert_eq!(title(&m), "✅ Module disabled");
    let m = w.say(w.member, "?roll").await;
    assert_eq!(title(&m), "❌ Module disabled");
}

#[tokio::test]
async fn bot_run_serves_health_and_stops_on_the_shutdown_signal() {
    use chronix_sandbox::{Sandbox, SandboxConfig};
    let sb = Sandbox::start_with(SandboxConfig {
        heartbeat_interval: Duration::from_millis(500),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let g = sb.create_guild("Run Guild");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let raw = std::collections::HashMap::from([
        ("DISCORD_TOKEN".to_string(), sb.token().to_string()),
        ("DISCORD_API_PROXY".to_string(), sb.base_url().to_string()),
        ("HEALTH_BIND".to_string(), addr.to_string()),
    ]);
    let config = chronix_config::Config::from_values(&raw).unwrap();
    let db = chronix_storage::testing::fresh_sqlite().await;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(crate::bot::run(config, db.storage(), async move {
        let _ = rx.await;
    }));
    sb.wait_for_ready(Duration::from_secs(10)).await.unwrap();
    let end = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (status, body) = get(addr, "/readyz").await;
        if status == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < end,
            "never ready: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    sb.send_message(g.owner_id, g.general, "chro ping");
    let m = sb.wait_for_message(g.general, REPLY).await.unwrap();
    assert_eq!(title(&m), "ℹ️ Pong!");
    let (_, text) = get(addr, "/metrics").await;
    assert!(
        text.contains("chronix_commands_total{command=\"ping\"} 1"),
        "{text}"
    );

    tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("bot::run returns after the signal")
        .unwrap()
        .unwrap();
    assert_eq!(sb.connected_sessions(), 0, "gateway closed");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "health server stopped"
    );
}
