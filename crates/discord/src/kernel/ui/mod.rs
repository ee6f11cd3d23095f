//! Shared UI parts, built once and used by every feature: [`live`] panels edited in place,
//! the [`paginator`], the [`confirm`] dialog, the [`progress`] message and the
//! DB-backed [`wizard`].

pub mod confirm;
pub mod live;
pub mod paginator;
pub mod progress;
pub mod wizard;
