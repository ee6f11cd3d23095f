//! Chronix Discord glue: a **kernel** (the bot's machinery) and **features** (what users see).
//!
//! # Code map
//!
//! * [`kernel`]: everything a feature plugs into and nothing a user would call a feature:
//!   start-up ([`kernel::framework`]), the feature API ([`kernel::registry::Feature`]: commands,
//!   component handlers, typed event listeners, jobs, ticks, start-up hooks), permission tiers
//!   ([`kernel::perms`]), errors ([`kernel::errors`]), prefixes, cached guild settings, metrics,
//!   the one scheduler ([`kernel::scheduler`]), event dispatch ([`kernel::events`]), the caller
//!   context ([`kernel::caller`]), shared UI parts ([`kernel::ui`]), embeds ([`kernel::embeds`])
//!   and the game tables ([`kernel::tables`]).
//! * [`features`]: one folder per feature (`general`, `misc`, `economy`, `hunt`, `autohunt`),
//!   joined in ONE list, [`features::all`].
//!
//! Architecture invariant: the kernel never imports a feature (`crate::features` does not appear
//! under `src/kernel/`; a test reads the sources to enforce it). The kernel receives the feature
//! list as a value ([`start`] passes [`features::all`]).
//!
//! Architecture invariant: no command checks permissions, feature switches or the shutdown flag
//! itself; [`kernel::perms::command_check`] does it for every command, before the command runs.
//!
//! Architecture invariant: every message Chronix sends goes out with `allowed_mentions` empty
//! unless the feature is meant to ping (the framework default is "no pings").

pub mod features;
pub mod kernel;

// The kernel's modules at the crate root: features write `crate::embeds`, `crate::perms`, ….
pub use kernel::{
    audit, cached, caller, data, debug, embeds, errors, events, flood, guilds, i18n, metrics,
    perms, pictures, prefix, reference, registry, scheduler, settings, tables, throttle, ui,
};

/// serenity, as the bot uses it (through poise).
pub use poise::serenity_prelude as serenity;

pub use kernel::caller::Caller;
pub use kernel::data::Data;
pub use kernel::errors::{Refusal, UserError};
pub use kernel::framework::{Bot, BotOptions};
pub use kernel::perms::Tier;

/// The error type of every command: `anyhow::Error`. Return a [`UserError`] (via `?` or
/// `.into()`) for problems the user should read; anything else is an internal error.
pub type Error = anyhow::Error;
/// The poise context every command receives.
pub type Context<'a> = poise::Context<'a, Data, Error>;
/// A command of this bot.
pub type Command = poise::Command<Data, Error>;

/// Start the bot with every feature of [`features::all`] (see [`kernel::framework::start`]).
pub async fn start(
    config: chronix_config::Config,
    storage: chronix_storage::Storage,
    options: BotOptions,
) -> anyhow::Result<Bot> {
    kernel::framework::start(config, storage, features::all(), options).await
}

/// Start the bot and run it until `shutdown` resolves (then shut down gracefully).
pub async fn run(
    config: chronix_config::Config,
    storage: chronix_storage::Storage,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let bot = start(config, storage, BotOptions::default()).await?;
    bot.run_until(shutdown).await
}

/// What a feature module needs in scope: `use crate::prelude::*;`.
pub mod prelude {
    pub use crate::embeds::{self, Embed, Theme};
    pub use crate::errors::{Refusal, UserError};
    pub use crate::kernel::i18n::{Locale, Localize};
    pub use crate::perms::Tier;
    pub use crate::registry::Feature;
    pub use crate::tr;
    pub use crate::{Caller, Command, Context, Data, Error};
    pub use poise::serenity_prelude as serenity;
}
