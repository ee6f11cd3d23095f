//! Shared UI parts, built once and used by every feature: [`live`] panels edited in place and
//! the [`paginator`].

pub mod live;
pub mod paginator;
