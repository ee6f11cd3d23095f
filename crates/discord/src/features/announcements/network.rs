//! `announce network`: cross-server broadcasting. A server creates a network
//! (`create <name>`: it gets a number); another server's admin asks to join it with the channel
//! that will receive its broadcasts (`join <number> #channel`: that server opts in); the
//! network's owner approves each server (`approve <number> <server id>`). An announcement of
//! the owner with that network picked in the wizard is then also posted to every approved
//! server's channel (without pings: roles belong to the home server). `leave <number>` takes a
//! server out (the owner leaving deletes the network); `list` shows both sides.

use chronix_storage::announcements::{self as store, NetworkId};

use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Networks: broadcast announcements to other servers that opted in.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("create", "join", "approve", "leave", "network_list"),
    subcommand_required,
    custom_data = Tier::Admin
)]
pub async fn network(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn audit(c: &Caller, action: &str, target: impl ToString) -> crate::audit::Audit {
    crate::audit::Audit::new(c.user, c.guild, action).target(target)
}

/// Create a network this server publishes to.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn create(
    ctx: Context<'_>,
    #[description = "Its name"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let guild = c.guild.ok_or(UserError::GuildOnly)?;
    let n = store::network_create(ctx.data().storage(), guild, &name, c.user, c.now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    crate::audit::record(
        ctx.data(),
        audit(&c, "announcements.network_create", n.id).with("name", n.name.clone()),
    )
    .await?;
    let e = Embed::success(tr!(l, "announce-network-created-title")).description(tr!(
        l,
        "announce-network-created",
        id = n.id.get(),
        name = n.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Ask to receive a network's broadcasts in a channel of this server.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn join(
    ctx: Context<'_>,
    #[description = "The network's number"] id: i64,
    #[description = "The channel that receives its broadcasts"] channel: serenity::GuildChannel,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let guild = c.guild.ok_or(UserError::GuildOnly)?;
    if channel.guild_id.core() != guild {
        return Err(super::refused(l, tr!(l, "announce-network-channel-elsewhere")).into());
    }
    let m = store::network_join(
        ctx.data().storage(),
        NetworkId::new(id),
        guild,
        channel.id.core(),
        c.user,
        c.now,
    )
    .await
    .map_err(|e| super::user_error(l, e))?;
    crate::audit::record(
        ctx.data(),
        audit(&c, "announcements.network_join", id).with("channel", channel.id.get()),
    )
    .await?;
    let text = if m.approved {
        tr!(
            l,
            "announce-network-joined-approved",
            id = id,
            channel = format!("<#{}>", m.channel)
        )
    } else {
        tr!(
            l,
            "announce-network-joined",
            id = id,
            channel = format!("<#{}>", m.channel),
            guild = guild.get().to_string()
        )
    };
    let e = Embed::success(tr!(l, "announce-network-joined-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Approve a server's request to join one of this server's networks.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn approve(
    ctx: Context<'_>,
    #[description = "The network's number"] id: i64,
    #[description = "The id of the server that asked"] server: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let guild = c.guild.ok_or(UserError::GuildOnly)?;
    let Some(target) = server
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|g| *g != 0)
        .map(chronix_core::ids::GuildId::new)
    else {
        return Err(super::refused(l, tr!(l, "announce-network-bad-server")).into());
    };
    let m = store::network_approve(
        ctx.data().storage(),
        guild,
        NetworkId::new(id),
        target,
        c.user,
    )
    .await
    .map_err(|e| super::user_error(l, e))?;
    crate::audit::record(
        ctx.data(),
        audit(&c, "announcements.network_approve", id).with("server", target.get()),
    )
    .await?;
    let e = Embed::success(tr!(l, "announce-network-approved-title")).description(tr!(
        l,
        "announce-network-approved",
        id = id,
        guild = m.guild.get().to_string()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Leave a network (the owner leaving deletes it).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn leave(
    ctx: Context<'_>,
    #[description = "The network's number"] id: i64,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let guild = c.guild.ok_or(UserError::GuildOnly)?;
    let removed = store::network_leave(ctx.data().storage(), guild, NetworkId::new(id))
        .await
        .map_err(|e| super::user_error(l, e))?;
    if !removed {
        return Err(super::refused(l, tr!(l, "announce-no-request")).into());
    }
    crate::audit::record(ctx.data(), audit(&c, "announcements.network_leave", id)).await?;
    let e = Embed::success(tr!(l, "announce-network-left-title")).description(tr!(
        l,
        "announce-network-left",
        id = id
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The networks this server owns (with their servers) and the ones it joined.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "list",
    custom_data = Tier::Admin
)]
pub async fn network_list(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let guild = c.guild.ok_or(UserError::GuildOnly)?;
    let storage = ctx.data().storage();
    let (owned, joined) = store::networks_of(storage, guild).await?;
    let mut e = Embed::info(tr!(l, "announce-network-list-title"));
    if owned.is_empty() && joined.is_empty() {
        e = e.description(tr!(l, "announce-network-list-empty"));
    }
    for n in owned.iter().take(10) {
        let members = store::network_members(storage, n.id).await?;
        let lines = if members.is_empty() {
            tr!(l, "announce-none")
        } else {
            members
                .iter()
                .map(|m| {
                    tr!(
                        l,
                        "announce-network-member",
                        guild = m.guild.get().to_string(),
                        status = if m.approved {
                            tr!(l, "announce-network-approved-status")
                        } else {
                            tr!(l, "announce-network-pending-status")
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        e = e.field(
            tr!(
                l,
                "announce-network-owned",
                id = n.id.get(),
                name = n.name.as_str()
            ),
            lines,
            false,
        );
    }
    for m in joined.iter().take(10) {
        e = e.field(
            tr!(l, "announce-network-joined-field", id = m.network.get()),
            tr!(
                l,
                "announce-network-membership",
                channel = format!("<#{}>", m.channel.discord()),
                status = if m.approved {
                    tr!(l, "announce-network-approved-status")
                } else {
                    tr!(l, "announce-network-pending-status")
                }
            ),
            false,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
