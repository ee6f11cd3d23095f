//! `vc` (`voice`, `tempvoice`): `setup`, `hubs`, `unhub` (Admin), and the controls of the
//! temporary channel the command runs in or the caller is in (checked per channel: see
//! [`super::controls`]).

use chronix_storage::tempvoice as store;

use super::controls::{self, Action, Actor};
use super::setup;
use crate::kernel::ids::ToCore;
use crate::prelude::*;

/// Temporary voice channels: join a hub to get your own channel.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("voice", "tempvoice"),
    subcommands(
        "setup", "hubs", "unhub", "rename", "limit", "lock", "unlock", "hide", "unhide", "permit",
        "kick", "transfer", "claim", "persist"
    ),
    custom_data = Tier::Everyone
)]
pub async fn vc(ctx: Context<'_>) -> Result<(), Error> {
    let e = Embed::info(tr!(ctx, "tempvoice-intro-title")).description(tr!(ctx, "tempvoice-intro"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Set up a "join to create" hub (category, hub channel, name format, limit, bitrate).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn setup(ctx: Context<'_>) -> Result<(), Error> {
    setup::start(ctx).await
}

/// List this server's hubs.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn hubs(ctx: Context<'_>) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let hubs = store::hubs(ctx.data().storage(), guild.core()).await?;
    let text = if hubs.is_empty() {
        tr!(ctx, "tempvoice-hubs-none")
    } else {
        hubs.iter()
            .map(|h| {
                tr!(
                    ctx,
                    "tempvoice-hubs-line",
                    hub = format!("<#{}>", h.channel),
                    format = h.config.name_format.as_str(),
                    limit = h.config.user_limit
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let e = Embed::info(tr!(ctx, "tempvoice-hubs-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Stop a channel being a hub (its channels stay until they empty).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn unhub(
    ctx: Context<'_>,
    #[description = "The hub channel"] channel: serenity::ChannelId,
) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let l = crate::kernel::i18n::locale_of(ctx);
    let Some(hub) = store::delete_hub(ctx.data().storage(), guild.core(), channel.core()).await?
    else {
        return Err(super::refused(l, tr!(l, "tempvoice-no-hub")));
    };
    crate::kernel::audit::record(
        ctx.data(),
        crate::kernel::audit::Audit::new(
            ctx.author().id.core(),
            Some(hub.guild),
            "tempvoice.hub_remove",
        )
        .target(hub.channel),
    )
    .await?;
    let e = Embed::success(tr!(ctx, "tempvoice-unhub-title")).description(tr!(
        ctx,
        "tempvoice-unhub",
        hub = format!("<#{}>", hub.channel)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Runs a control on the caller's temporary channel and replies with the outcome.
async fn control(ctx: Context<'_>, action: Action) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let l = crate::kernel::i18n::locale_of(ctx);
    let user = ctx.author().id.core();
    let t = controls::target(ctx.data(), l, guild, ctx.channel_id(), user).await?;
    let admin = crate::perms::is_admin(crate::perms::author_permissions(ctx).await);
    let actor = Actor { user, admin };
    let e = controls::apply(ctx.http(), ctx.data(), l, actor, &t, action).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Rename your channel.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn rename(
    ctx: Context<'_>,
    #[description = "The new name"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    control(ctx, Action::Rename(name)).await
}

/// Set your channel's user limit (0: none).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn limit(
    ctx: Context<'_>,
    #[description = "Most members (0 to 99; 0: no limit)"] count: u32,
) -> Result<(), Error> {
    control(ctx, Action::Limit(count)).await
}

/// Lock your channel: only you and permitted members can join.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn lock(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Action::Lock(true)).await
}

/// Unlock your channel.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn unlock(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Action::Lock(false)).await
}

/// Hide your channel from members you did not permit.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn hide(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Action::Hide(true)).await
}

/// Show your channel again.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn unhide(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Action::Hide(false)).await
}

/// Let a member see and join your channel.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn permit(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
) -> Result<(), Error> {
    control(ctx, Action::Permit(user.id.core())).await
}

/// Disconnect a member from your channel and keep them out.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn kick(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
) -> Result<(), Error> {
    control(ctx, Action::Kick(user.id.core())).await
}

/// Give your channel to a member in it.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn transfer(
    ctx: Context<'_>,
    #[description = "The new owner"] user: serenity::User,
) -> Result<(), Error> {
    if user.bot {
        let l = crate::kernel::i18n::locale_of(ctx);
        return Err(super::refused(l, tr!(l, "tempvoice-transfer-bot")));
    }
    control(ctx, Action::Transfer(user.id.core())).await
}

/// Take over the channel you are in once its owner left.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn claim(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Action::Claim).await
}

/// Keep this channel when it empties, or not (server admins).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn persist(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Action::Persist).await
}
