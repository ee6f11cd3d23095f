//! Moderation rules: durations (`10m`, `2h`, `7d`, `1h30m`), the role-hierarchy checks every
//! moderation command runs before acting, case kinds, and the argument parsing of the prefix
//! commands (`ban @x 7d spam`). Pure: the caller supplies role positions, owner and ids.

pub mod mass;

mod args;
mod cases;
mod channels;
mod durations;
mod hierarchy;
mod purge;
mod roles;
#[cfg(test)]
mod tests;

pub use args::*;
pub use cases::*;
pub use channels::*;
pub use durations::*;
pub use hierarchy::*;
pub use purge::*;
pub use roles::*;

use std::collections::HashMap;

use chrono::Duration;

use crate::ids::{ChannelId, GuildId, RoleId, UserId};

/// Discord's longest timeout: 28 days.
pub const MAX_TIMEOUT_SECS: i64 = 28 * 86_400;
/// The longest temp-ban or other punishment Chronix schedules: 5 years.
pub const MAX_DURATION_SECS: i64 = 5 * 365 * 86_400;
/// Discord's longest message-deletion window of a ban: 7 days.
pub const MAX_BAN_DELETE_SECS: i64 = 7 * 86_400;
/// Discord's longest audit-log reason: 512 characters.
pub const MAX_REASON_CHARS: usize = 512;
