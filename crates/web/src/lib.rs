//! Chronix web: dashboard, health and metrics endpoints.
