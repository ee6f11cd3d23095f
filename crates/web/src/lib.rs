//! Chronix web: dashboard, health and metrics endpoints.
//!
//! The health endpoints know nothing about Discord or SQL: the binary hands them a
//! [`HealthSource`] (implemented over the bot handle) and the router asks it.
//!
//! * `GET /healthz`: 200 `ok` while the process answers at all.
//! * `GET /readyz`: 200 when the gateway is connected and the database answers, 503 with a
//!   JSON body naming what is not ready otherwise.
//! * `GET /metrics`: Prometheus text exposition (`text/plain; version=0.0.4`).

pub mod health;

pub use health::{HealthSource, Readiness, health_router, serve_health, serve_health_on};
