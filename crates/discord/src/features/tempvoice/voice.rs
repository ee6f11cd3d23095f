//! The voice listener: a member joining a hub gets a channel and is moved into it; a channel
//! is deleted when its last member leaves (unless persistent); GUILD_CREATE rebuilds who is
//! where and cleans up what a restart left behind; a deleted hub or channel loses its row.

use std::collections::HashSet;

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::tempvoice::channel_name;
use chronix_storage::tempvoice::{self as store, Hub, TempChannel};
use chrono::Utc;

use super::{Occupancy, controls};
use crate::events::Event;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;

/// The listener of voice states, guild creates and channel deletes.
pub fn on_event<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        match event {
            Event::VoiceState { new, .. } => on_voice(ctx, data, new).await,
            Event::GuildJoin { guild, .. } => cleanup(ctx, data, guild).await,
            Event::ChannelDelete(c) => {
                let channel = c.id.core();
                store::remove(data.storage(), channel).await?;
                store::delete_hub(data.storage(), c.guild_id.core(), channel).await?;
                Ok(())
            }
            _ => Ok(()),
        }
    })
}

async fn on_voice(
    ctx: &serenity::Context,
    data: &Data,
    v: &serenity::VoiceState,
) -> Result<(), Error> {
    let Some(guild) = v.guild_id.map(|g| g.core()) else {
        return Ok(());
    };
    let user = v.user_id.core();
    let after = v.channel_id.map(|c| c.core());
    let occupancy = data.state::<Occupancy>();
    let before = occupancy.set(guild, user, after);
    tracing::debug!(%guild, %user, ?before, ?after, "tempvoice: voice state");
    if before == after {
        return Ok(());
    }
    if let Some(b) = before {
        delete_if_empty(&ctx.http, data, b).await?;
    }
    let Some(a) = after else { return Ok(()) };
    if v.member.as_ref().is_some_and(|m| m.user.bot) {
        return Ok(());
    }
    let Some(hub) = store::hub(data.storage(), a).await? else {
        return Ok(());
    };
    let name = v
        .member
        .as_ref()
        .map_or_else(String::new, |m| m.display_name().to_string());
    join_hub(ctx, data, &hub, user, &name).await
}

/// Deletes `channel` if it is a temporary channel, empty and not persistent.
pub async fn delete_if_empty(
    http: &serenity::Http,
    data: &Data,
    channel: ChannelId,
) -> Result<(), Error> {
    if data.state::<Occupancy>().count(channel) > 0 {
        return Ok(());
    }
    match store::by_channel(data.storage(), channel).await? {
        Some(t) if !t.persistent => delete_channel(http, data, &t).await,
        _ => Ok(()),
    }
}

/// Deletes a temporary channel's row, then the channel on Discord (gone already is fine). The
/// row goes first so that a member rejoining the hub meanwhile is not moved to it.
async fn delete_channel(http: &serenity::Http, data: &Data, t: &TempChannel) -> Result<(), Error> {
    let Some(channel) = t.channel else {
        return Ok(());
    };
    store::remove(data.storage(), channel).await?;
    if let Err(e) = channel.discord().delete(http).await {
        if !is_unknown(&e) {
            return Err(e.into());
        }
    }
    Ok(())
}

fn is_unknown(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r))
        if r.error.code == 10003 || r.status_code.as_u16() == 404)
}

/// A member joined a hub: back to the channel they own, or a new one (rate-limited).
async fn join_hub(
    ctx: &serenity::Context,
    data: &Data,
    hub: &Hub,
    user: UserId,
    name: &str,
) -> Result<(), Error> {
    let http = &ctx.http;
    let guild = hub.guild.discord();
    let owned = store::of_guild(data.storage(), hub.guild)
        .await?
        .into_iter()
        .find_map(|t| t.channel.filter(|_| t.owner == user));
    if let Some(c) = owned {
        guild.move_member(http, user.discord(), c.discord()).await?;
        return Ok(());
    }
    let now = Utc::now();
    let limit = data.config().tempvoice_create_limit;
    let decision =
        chronix_storage::rate_limits::hit(data.storage(), user, "tempvoice.create", limit, now)
            .await?;
    if let chronix_core::ratelimit::Decision::Limited { retry_at } = decision {
        if data.state::<Occupancy>().should_warn(user, now, retry_at) {
            warn_by_dm(http, data, hub.guild, user, retry_at).await;
        }
        return Ok(());
    }
    let row = store::reserve(data.storage(), hub.id, user, now).await?;
    let l = crate::kernel::i18n::guild_locale(data, Some(hub.guild.get())).await;
    let channel_name = channel_name(&hub.config.name_format, name, row.number);
    let created = match create_channel(ctx, hub, user, &channel_name, l).await {
        Ok(c) => c,
        Err(e) => {
            store::discard(data.storage(), row.id).await?;
            return Err(e);
        }
    };
    let t = store::set_channel(data.storage(), row.id, created).await?;
    if let Err(e) = guild
        .move_member(http, user.discord(), created.discord())
        .await
    {
        // The member left the hub meanwhile (40032): nobody will join this channel.
        tracing::debug!(error = %e, "could not move the member into their new channel");
        delete_channel(http, data, &t).await?;
        return Ok(());
    }
    if let Err(e) = created
        .discord()
        .send_message(http, controls::panel_message(&t, &channel_name, l))
        .await
    {
        tracing::warn!(error = %e, channel = %created, "could not post the voice control panel");
    }
    Ok(())
}

/// The overwrites of a new channel: its creator and the bot manage it.
fn overwrites(bot: serenity::UserId, owner: UserId) -> Vec<serenity::PermissionOverwrite> {
    vec![
        controls::owner_overwrite(owner),
        serenity::PermissionOverwrite {
            allow: controls::manage_allow(),
            deny: serenity::Permissions::empty(),
            kind: serenity::PermissionOverwriteType::Member(bot),
        },
    ]
}

async fn create_channel(
    ctx: &serenity::Context,
    hub: &Hub,
    owner: UserId,
    name: &str,
    l: Locale,
) -> Result<ChannelId, Error> {
    let bot = ctx.cache.current_user().id;
    let reason = tr!(l, "tempvoice-audit-created", user = owner.get().to_string());
    let mut create = serenity::CreateChannel::new(name)
        .kind(serenity::ChannelType::Voice)
        .user_limit(hub.config.user_limit)
        .permissions(overwrites(bot, owner))
        .audit_log_reason(&reason);
    if let Some(c) = hub.category {
        create = create.category(c.discord());
    }
    if let Some(b) = hub.config.bitrate {
        create = create.bitrate(b);
    }
    let c = hub
        .guild
        .discord()
        .create_channel(&ctx.http, create)
        .await?;
    Ok(c.id.core())
}

async fn warn_by_dm(
    http: &serenity::Http,
    data: &Data,
    guild: GuildId,
    user: UserId,
    retry_at: chrono::DateTime<Utc>,
) {
    let l = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let e = Embed::warning(tr!(l, "tempvoice-slow-down-title")).description(tr!(
        l,
        "tempvoice-slow-down",
        at = format!("<t:{}:R>", retry_at.timestamp())
    ));
    let sent = match user.discord().create_dm_channel(http).await {
        Ok(dm) => dm
            .id
            .send_message(http, embeds::message(e))
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::debug!(error = %e, "could not tell a rate-limited member by DM");
    }
}

/// GUILD_CREATE: rebuild who is where, then remove rows of channels that are gone and delete
/// the empty, non-persistent temporary channels.
async fn cleanup(
    ctx: &serenity::Context,
    data: &Data,
    guild: &serenity::Guild,
) -> Result<(), Error> {
    let gid = guild.id.core();
    let states: Vec<(UserId, ChannelId)> = guild
        .voice_states
        .values()
        .filter_map(|v| Some((v.user_id.core(), v.channel_id?.core())))
        .collect();
    let occupied: HashSet<ChannelId> = states.iter().map(|(_, c)| *c).collect();
    data.state::<Occupancy>().reset(gid, states.into_iter());
    let existing: HashSet<ChannelId> = guild.channels.keys().map(|c| c.core()).collect();
    // Only what an earlier run left: this process's own channels follow the live events (and
    // may be newer than this snapshot).
    let started = Utc::now() - chrono::Duration::from_std(data.uptime()).unwrap_or_default();
    let found = store::cleanup(data.storage(), gid, &existing, &occupied, started).await?;
    for hub in store::hubs(data.storage(), gid).await? {
        if hub.created_at < started && !existing.contains(&hub.channel) {
            store::delete_hub(data.storage(), gid, hub.channel).await?;
        }
    }
    for t in &found.empty {
        delete_channel(&ctx.http, data, t).await?;
    }
    if !found.removed.is_empty() || !found.empty.is_empty() {
        tracing::info!(
            guild = %gid,
            removed = found.removed.len(),
            deleted = found.empty.len(),
            "temporary voice clean-up"
        );
    }
    Ok(())
}
