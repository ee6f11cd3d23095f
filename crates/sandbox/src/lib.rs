//! A Discord-compatible REST + gateway server on 127.0.0.1, with a test driver.
//!
//! The sandbox speaks enough of Discord's API v10 that an unmodified serenity/poise bot connects
//! to it exactly as to Discord: it answers `GET /gateway`, serves the websocket gateway (HELLO,
//! IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME with replay), and the REST routes a bot uses.
//! It enforces Discord's limits (50035 Invalid Form Body), permissions (50013), unknown ids
//! (10003/10008/…), the 3 s interaction acknowledgement window and 15 min token lifetime.
//!
//! A test drives the world through [`Sandbox`]: create guilds, users, channels; let users send
//! messages, run slash commands, click buttons; then wait for the bot's replies.
//!
//! # Connecting a serenity client
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use chronix_sandbox::Sandbox;
//! use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder};
//!
//! let sb = Sandbox::start().await?;
//! let guild = sb.create_guild("Test Guild");
//! let alice = sb.create_user("alice");
//! sb.add_member(guild.id, alice);
//!
//! let http = HttpBuilder::new(sb.token())
//!     .proxy(sb.base_url())          // replaces the https://discord.com prefix
//!     .ratelimiter_disabled(true)    // required, or the proxy is ignored
//!     .build();
//! let intents = GatewayIntents::non_privileged() | GatewayIntents::MESSAGE_CONTENT;
//! let mut client = ClientBuilder::new_with_http(http, intents) /* .event_handler(...) */ .await?;
//! tokio::spawn(async move { client.start().await });
//! sb.wait_for_ready(std::time::Duration::from_secs(10)).await?;
//!
//! sb.send_message(alice, guild.general, "!ping");
//! let reply = sb.wait_for_message(guild.general, std::time::Duration::from_secs(5)).await?;
//! assert_eq!(reply.content, "pong");
//! # Ok(()) }
//! ```
//!
//! # Slash commands and buttons
//!
//! ```no_run
//! # async fn demo(sb: chronix_sandbox::Sandbox, alice: u64, channel: u64) -> anyhow::Result<()> {
//! use std::time::Duration;
//! use chronix_sandbox::{CommandCall, InteractionResponse};
//!
//! // the bot registered `/config set key:<string> value:<integer>` at start-up
//! let i = sb.run_command(alice, channel, CommandCall::new("config").sub("set").opt("key", "volume").opt("value", 7))?;
//! let reply = sb.wait_for_reply(&i, Duration::from_secs(3)).await?;  // what the user sees
//! let click = sb.click_button(alice, reply.id, "Confirm")?;          // by label or custom_id
//! match sb.wait_for_response(&click, Duration::from_secs(3)).await? {
//!     InteractionResponse::UpdateMessage { message_id } => { let _ = sb.message(message_id); }
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod driver;
pub mod extra;
mod gateway;
pub mod hub;
pub mod limits;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod payloads;
pub mod perms;
pub mod render;
mod rest;
pub mod state;

pub use driver::{
    CommandCall, DriverError, GuildSetup, ManualAction, OptValue, Sandbox, WaitError,
};
pub use extra::{Emoji, ScheduledEvent, Sticker, ThreadMeta, Webhook};
pub use hub::{FaultKind, FeedItem, FeedKind, RestCall, RestFault, SandboxConfig, intents};
pub use state::{
    Attachment, AuditEntry, Channel, ChannelKind, Command, Guild, Id, Interaction,
    InteractionResponse, InteractionStatus, Invite, Member, Message, Overwrite, Reaction, Role,
    State, User, VoiceState,
};
