//! Custom commands: a tag shown without the `tag` command.
//!
//! * `chro <name> [args]`: the kernel offers a prefix command it does not know to the
//!   feature ([`on_unknown`]); a real command of that name always wins (poise finds it first).
//! * Trigger words: a message whose first word is the name of a tag marked `trigger` gets the
//!   tag ([`on_event`]); the names are cached per server in memory ([`Triggers`]) and
//!   forgotten when a tag changes, so ordinary messages cost no database access.
//! * Guild slash commands: a tag marked `slash` is registered on its server as `/<name>` with
//!   an optional `args` option ([`sync_slash`], also on GUILD_CREATE); the kernel offers the
//!   interaction, which poise does not know, to [`on_unknown`].
//!
//! Each of these uses starts the tag's per-member cooldown (storage `cooldowns`, key
//! `tag:<id>`); inside it a message gets no answer and a slash command an ephemeral one.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chronix_core::ids::{GuildId, UserId};
use chronix_core::tags::split_args;
use chronix_storage::tags::{self as store, Tag};

use super::Who;
use super::commands::server_name;
use crate::events::Event;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::{BoxFuture, Unknown};

/// The trigger words of each server (memory; loaded on first use, forgotten on change). A
/// generation per server keeps a load that raced with a change from caching stale names.
#[derive(Debug, Default)]
pub struct Triggers {
    inner: Mutex<TriggerCache>,
}

#[derive(Debug, Default)]
struct TriggerCache {
    names: HashMap<GuildId, HashSet<String>>,
    generation: HashMap<GuildId, u64>,
}

/// Forgets a server's cached trigger words (after a tag changed).
pub fn forget_triggers(data: &Data, guild: GuildId) {
    let cache = data.state::<Triggers>();
    let mut c = cache.inner.lock().expect("triggers lock");
    c.names.remove(&guild);
    *c.generation.entry(guild).or_default() += 1;
}

async fn is_trigger(data: &Data, guild: GuildId, word: &str) -> Result<bool, Error> {
    let cache = data.state::<Triggers>();
    let generation = {
        let c = cache.inner.lock().expect("triggers lock");
        if let Some(set) = c.names.get(&guild) {
            return Ok(set.contains(word));
        }
        c.generation.get(&guild).copied().unwrap_or(0)
    };
    let (tags, _) = store::list(data.storage(), guild, 0, 10_000).await?;
    let set: HashSet<String> = tags
        .into_iter()
        .filter(|t| t.trigger)
        .map(|t| t.name)
        .collect();
    let hit = set.contains(word);
    let mut c = cache.inner.lock().expect("triggers lock");
    if c.generation.get(&guild).copied().unwrap_or(0) == generation {
        c.names.insert(guild, set);
    }
    Ok(hit)
}

/// Whether `name` is one of the bot's own commands (or aliases).
pub fn is_bot_command(data: &Data, name: &str) -> bool {
    data.registry()
        .enabled_commands(data.config())
        .iter()
        .any(|c| c.name == name || c.aliases.iter().any(|a| a == name))
}

/// Starts the tag's cooldown for `user`; false when it is running.
async fn cooldown_free(data: &Data, tag: &Tag, user: UserId) -> Result<bool, Error> {
    if tag.cooldown_secs == 0 {
        return Ok(true);
    }
    match chronix_storage::cooldowns::try_start(
        data.storage(),
        user,
        &format!("tag:{}", tag.id),
        chrono::Utc::now(),
        chrono::Duration::seconds(i64::from(tag.cooldown_secs)),
    )
    .await
    {
        Ok(_) => Ok(true),
        Err(chronix_storage::StorageError::Refused(chronix_storage::Refusal::OnCooldown {
            ..
        })) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Trigger words, and the slash commands' sync on GUILD_CREATE.
pub fn on_event<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        match event {
            Event::MessageCreate(msg) => on_message(ctx, data, msg).await,
            Event::GuildJoin { guild, .. } => {
                sync_slash(&ctx.http, data, guild.id.core()).await?;
                Ok(())
            }
            _ => Ok(()),
        }
    })
}

async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    msg: &serenity::Message,
) -> Result<(), Error> {
    let Some(guild) = msg.guild_id.map(|g| g.core()) else {
        return Ok(());
    };
    if msg.author.bot || msg.webhook_id.is_some() {
        return Ok(());
    }
    let content = msg.content.trim();
    let (word, rest) = content
        .split_once(char::is_whitespace)
        .unwrap_or((content, ""));
    let word = word.to_lowercase();
    if word.is_empty() || !is_trigger(data, guild, &word).await? {
        return Ok(());
    }
    let Some(tag) = store::get(data.storage(), guild, &word).await? else {
        return Ok(());
    };
    send_to_channel(ctx, data, &tag, msg, rest).await
}

async fn send_to_channel(
    ctx: &serenity::Context,
    data: &Data,
    tag: &Tag,
    msg: &serenity::Message,
    rest: &str,
) -> Result<(), Error> {
    let user = msg.author.id.core();
    if !cooldown_free(data, tag, user).await? {
        tracing::debug!(tag = %tag.name, %user, "tag on cooldown: no answer");
        return Ok(());
    }
    let server = server_name(data, tag.guild);
    let name = msg
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .unwrap_or_else(|| msg.author.display_name().to_string());
    let who = Who {
        user,
        name: &name,
        server: &server,
        channel: msg.channel_id.core(),
    };
    let shown = super::show(tag, &who, &split_args(rest));
    msg.channel_id
        .send_message(&ctx.http, shown.message())
        .await?;
    store::count_use(data.storage(), tag.id).await?;
    Ok(())
}

/// `chro <tag name>` and the tags' guild slash commands.
pub fn on_unknown<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    unknown: Unknown<'a>,
) -> BoxFuture<'a, Result<bool, Error>> {
    Box::pin(async move {
        match unknown {
            Unknown::Prefix { msg, word, rest } => {
                let Some(guild) = msg.guild_id.map(|g| g.core()) else {
                    return Ok(false);
                };
                let Some(tag) = store::get(data.storage(), guild, word).await? else {
                    return Ok(false);
                };
                send_to_channel(ctx, data, &tag, msg, rest).await?;
                Ok(true)
            }
            Unknown::Slash(ci) => {
                let Some(guild) = ci.guild_id.map(|g| g.core()) else {
                    return Ok(false);
                };
                let Some(tag) = store::get(data.storage(), guild, &ci.data.name).await? else {
                    return Ok(false);
                };
                if !tag.slash {
                    return Ok(false);
                }
                let l = crate::kernel::i18n::locale_for(data, &ci.locale, Some(guild.get())).await;
                let user = ci.user.id.core();
                if !cooldown_free(data, &tag, user).await? {
                    let e = Embed::warning(tr!(l, "tags-cooldown-title")).description(tr!(
                        l,
                        "tags-on-cooldown",
                        name = tag.name.as_str()
                    ));
                    ci.create_response(
                        &ctx.http,
                        serenity::CreateInteractionResponse::Message(
                            serenity::CreateInteractionResponseMessage::new()
                                .embed(e.into())
                                .ephemeral(true)
                                .allowed_mentions(crate::embeds::no_mentions()),
                        ),
                    )
                    .await?;
                    return Ok(true);
                }
                let args = ci
                    .data
                    .options
                    .iter()
                    .find(|o| o.name == "args")
                    .and_then(|o| o.value.as_str())
                    .unwrap_or("");
                let server = server_name(data, guild);
                let name = ci
                    .member
                    .as_ref()
                    .and_then(|m| m.nick.clone())
                    .unwrap_or_else(|| ci.user.display_name().to_string());
                let who = Who {
                    user,
                    name: &name,
                    server: &server,
                    channel: ci.channel_id.core(),
                };
                let shown = super::show(&tag, &who, &split_args(args));
                ci.create_response(&ctx.http, shown.response()).await?;
                store::count_use(data.storage(), tag.id).await?;
                Ok(true)
            }
        }
    })
}

fn command_of(tag: &Tag, l: Locale) -> serenity::CreateCommand {
    serenity::CreateCommand::new(tag.name.clone())
        .description(tr!(l, "tags-slash-description"))
        .add_option(
            serenity::CreateCommandOption::new(
                serenity::CommandOptionType::String,
                "args",
                tr!(l, "tags-slash-args"),
            )
            .required(false),
        )
}

/// Registers the server's slash tags Discord does not have yet (by name) and records their
/// ids.
pub async fn sync_slash(http: &serenity::Http, data: &Data, guild: GuildId) -> Result<(), Error> {
    let tags = store::slash_tags(data.storage(), guild).await?;
    if tags.is_empty() {
        return Ok(());
    }
    let gid = guild.discord();
    let existing = gid.get_commands(http).await?;
    let l = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    for t in tags {
        if let Some(c) = existing.iter().find(|c| c.name == t.name) {
            if t.slash_command_id != Some(c.id.get()) {
                store::set_slash_command_id(data.storage(), t.id, Some(c.id.get())).await?;
            }
            continue;
        }
        let c = gid.create_command(http, command_of(&t, l)).await?;
        store::set_slash_command_id(data.storage(), t.id, Some(c.id.get())).await?;
        tracing::info!(%guild, tag = %t.name, "tags: guild slash command registered");
    }
    Ok(())
}

/// Removes a tag's guild slash command (by id, else by name); failures are logged.
pub async fn unregister(http: &serenity::Http, tag: &Tag) {
    let gid = tag.guild.discord();
    let id = match tag.slash_command_id {
        Some(id) => Some(serenity::CommandId::new(id)),
        None => gid
            .get_commands(http)
            .await
            .ok()
            .and_then(|v| v.into_iter().find(|c| c.name == tag.name).map(|c| c.id)),
    };
    if let Some(id) = id
        && let Err(e) = gid.delete_command(http, id).await
    {
        tracing::info!(tag = %tag.name, error = %e, "tags: slash command not removed");
    }
}
