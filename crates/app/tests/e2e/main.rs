//! End-to-end tests: each test starts its own sandbox (a local Discord-compatible server), the
//! real bot (the same `chronix_discord::start` the binary uses, pointed at the sandbox) and
//! its own fresh database, then drives users through the sandbox and checks what the bot did.
//!
//! Unknown commands: documented choice (see `chronix_discord::prefix`): the bot answers with
//! a ⚠️ "Unknown command" hint; text that merely starts with the prefix letters
//! (`chronicles …`) gets no answer.

mod helpers;

mod announce;
mod autohunt;
mod battles;
mod clans;
mod core_commands;
mod economy;
mod errors;
mod events;
mod features;
mod gateway;
mod giveaways;
mod health;
mod hunt;
mod i18n;
mod invites;
mod items;
mod items_trade;
mod levels;
mod listeners;
mod logging;
mod mass;
mod moderation;
mod moderation_locks;
mod openapi;
mod owner;
mod permissions;
mod pets;
mod playground_script;
mod prefix;
mod reactionroles;
mod tags;
mod tempvoice;
mod ticket_panels;
mod tickets;
mod weapons;
mod welcome;
mod wizard;

// The binary's own wiring, from the app crate's library target.
use chronix::{bot, playground};
