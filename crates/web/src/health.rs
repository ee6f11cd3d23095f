//! `/healthz`, `/readyz` and `/metrics`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::future::BoxFuture;
use serde::Serialize;

/// What the readiness probe found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// At least one gateway shard is connected.
    pub gateway: bool,
    /// The database answered `SELECT 1`.
    pub database: bool,
}

impl Readiness {
    /// Ready to serve traffic.
    pub fn is_ready(&self) -> bool {
        self.gateway && self.database
    }
}

/// The source of truth for the health endpoints (implemented by the binary over the bot).
pub trait HealthSource: Send + Sync + 'static {
    /// Check the gateway and the database (should time out on its own, quickly).
    fn readiness(&self) -> BoxFuture<'_, Readiness>;
    /// The Prometheus text exposition of all metrics.
    fn metrics(&self) -> BoxFuture<'_, String>;
}

type Shared = Arc<dyn HealthSource>;

/// The router with `/healthz`, `/readyz` and `/metrics`.
pub fn health_router(source: Arc<dyn HealthSource>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(source)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(source): State<Shared>) -> Response {
    let r = source.readiness().await;
    let status = if r.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "ready": r.is_ready(),
        "gateway": r.gateway,
        "database": r.database,
    });
    (status, axum::Json(body)).into_response()
}

async fn metrics(State(source): State<Shared>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        source.metrics().await,
    )
        .into_response()
}

/// Bind `addr` and serve the health router until `shutdown` resolves. Returns the bound
/// address (useful with port 0) and the server task.
pub async fn serve_health(
    addr: SocketAddr,
    source: Arc<dyn HealthSource>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_health_on(listener, source, shutdown)
}

/// Like [`serve_health`] on an already bound listener (bind first to fail fast at start-up).
pub fn serve_health_on(
    listener: tokio::net::TcpListener,
    source: Arc<dyn HealthSource>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let local = listener.local_addr()?;
    tracing::info!(%local, "health endpoints listening (/healthz, /readyz, /metrics)");
    let app = health_router(source);
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    });
    Ok((local, task))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    struct Fake {
        ready: Readiness,
    }

    impl HealthSource for Fake {
        fn readiness(&self) -> BoxFuture<'_, Readiness> {
            Box::pin(async move { self.ready.clone() })
        }
        fn metrics(&self) -> BoxFuture<'_, String> {
            Box::pin(async {
                "# TYPE chronix_commands_total counter\nchronix_commands_total{command=\"ping\"} 3\n"
                    .into()
            })
        }
    }

    fn app(gateway: bool, database: bool) -> Router {
        health_router(Arc::new(Fake {
            ready: Readiness { gateway, database },
        }))
    }

    async fn get(app: Router, path: &str) -> (StatusCode, String, Option<String>) {
        let res = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let ctype = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap(), ctype)
    }

    #[tokio::test]
    async fn healthz_is_ok_even_when_not_ready() {
        let (status, body, _) = get(app(false, false), "/healthz").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "ok");
    }

    #[tokio::test]
    async fn readyz_ready() {
        let (status, body, _) = get(app(true, true), "/readyz").await;
        assert_eq!(status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["ready"], true);
    }

    #[tokio::test]
    async fn readyz_not_ready_without_gateway_or_db() {
        for (gw, db) in [(false, true), (true, false), (false, false)] {
            let (status, body, _) = get(app(gw, db), "/readyz").await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "gw={gw} db={db}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["ready"], false);
            assert_eq!(v["gateway"], gw);
            assert_eq!(v["database"], db);
        }
    }

    #[tokio::test]
    async fn metrics_is_prometheus_text() {
        let (status, body, ctype) = get(app(true, true), "/metrics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ctype.unwrap().starts_with("text/plain; version=0.0.4"));
        assert!(body.contains("chronix_commands_total{command=\"ping\"} 3"));
    }

    #[tokio::test]
    async fn unknown_path_is_404() {
        let (status, _, _) = get(app(true, true), "/nope").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn serve_binds_port_zero_and_shuts_down() {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr, task) = serve_health(
            "127.0.0.1:0".parse().unwrap(),
            Arc::new(Fake {
                ready: Readiness {
                    gateway: true,
                    database: true,
                },
            }),
            async move {
                let _ = rx.await;
            },
        )
        .await
        .unwrap();
        assert_ne!(addr.port(), 0);
        tx.send(()).unwrap();
        task.await.unwrap().unwrap();
    }
}
