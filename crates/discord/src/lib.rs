//! Chronix Discord glue: poise commands, panels, listeners, embed builders.
//!
//! # Code map
//!
//! * [`framework`]: start-up ([`start`], [`run`]): HTTP client (sandbox proxy or Discord), poise
//!   options, slash registration, the event handler and graceful shutdown.
//! * [`registry`]: the ONE list of features. Each feature module exposes
//!   `pub fn commands() -> Vec<Command>`; its name is the name in [`chronix_config::FEATURES`].
//! * [`perms`]: permission [`Tier`]s, declared once per command with
//!   `#[poise::command(..., custom_data = Tier::Admin)]` and enforced in one global check.
//! * [`errors`]: [`UserError`] (friendly, shown to the user) versus internal errors (short error
//!   id shown, full report logged and posted to the guild's error-log channel).
//! * [`embeds`]: the embed builders every feature uses (themes, limits, no pings by default).
//! * [`settings`]: cached per-guild settings (prefix, disabled modules, error-log channel).
//! * [`metrics`]: per-command counters and latency histograms in Prometheus text format.
//! * [`core`]: the always-on commands (`help`, `ping`, `about`, `prefix`, `module`).
//!
//! Architecture invariant: no command checks permissions, feature switches or the shutdown flag
//! itself; [`perms::command_check`] does it for every command, before the command runs.
//!
//! Architecture invariant: every message Chronix sends goes out with `allowed_mentions` empty
//! unless the feature is meant to ping (the framework default is "no pings").

pub mod core;
pub mod data;
pub mod debug;
pub mod economy;
pub mod embeds;
pub mod errors;
pub mod framework;
pub mod gameplay;
pub mod metrics;
pub mod misc;
pub mod perms;
pub mod prefix;
pub mod reference;
pub mod registry;
pub mod scheduler;
pub mod settings;

pub use data::Data;
pub use errors::UserError;
pub use framework::{Bot, BotOptions, run, start};
pub use perms::Tier;

/// The error type of every command: `anyhow::Error`. Return a [`UserError`] (via `?` or
/// `.into()`) for problems the user should read; anything else is an internal error.
pub type Error = anyhow::Error;
/// The poise context every command receives.
pub type Context<'a> = poise::Context<'a, Data, Error>;
/// A command of this bot.
pub type Command = poise::Command<Data, Error>;

/// What a feature module needs in scope: `use crate::prelude::*;`.
pub mod prelude {
    pub use crate::embeds::{self, Embed, Theme};
    pub use crate::errors::UserError;
    pub use crate::perms::Tier;
    pub use crate::{Command, Context, Data, Error};
    pub use poise::serenity_prelude as serenity;
}
