//! `welcome` (admin): `setup` (the wizard), `show` (the settings), `enable` / `disable`
//! (keep the settings, audited by storage), `test` (posts the welcome, banner included, as
//! if you had just joined, in this channel).

use chronix_storage::welcome as store;

use super::greet::{self, Kind};
use super::setup;
use crate::prelude::*;

/// Welcome and farewell messages, banner, auto roles and gifts for new members.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("welcomer"),
    subcommands("setup", "show", "enable", "disable", "test"),
    custom_data = Tier::Admin
)]
pub async fn welcome(ctx: Context<'_>) -> Result<(), Error> {
    show_settings(ctx).await
}

/// Open the welcomer's setup panel.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn setup(ctx: Context<'_>) -> Result<(), Error> {
    setup::start(ctx).await
}

/// Show this server's welcomer settings.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    show_settings(ctx).await
}

async fn show_settings(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        guild, locale: l, ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let s = store::settings(ctx.data().storage(), guild).await?;
    let state = if s.enabled {
        tr!(l, "welcome-on")
    } else {
        tr!(l, "welcome-off")
    };
    let mut e = Embed::info(tr!(l, "welcome-show-title")).description(tr!(
        l,
        "welcome-show-state",
        state = state
    ));
    for (name, value) in setup::fields(l, &s, &|t| crate::embeds::truncate(t, 1000)) {
        e = e.field(name, value, true);
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Turn the welcomer on again (with the saved settings).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn enable(ctx: Context<'_>) -> Result<(), Error> {
    set_enabled(ctx, true).await
}

/// Turn the welcomer off (messages, roles and gifts), keeping its settings.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn disable(ctx: Context<'_>) -> Result<(), Error> {
    set_enabled(ctx, false).await
}

async fn set_enabled(ctx: Context<'_>, on: bool) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let mut s = store::settings(ctx.data().storage(), guild).await?;
    s.enabled = on;
    super::save(ctx.data(), guild, user, &s, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    let text = if on {
        tr!(l, "welcome-enabled")
    } else {
        tr!(l, "welcome-disabled")
    };
    ctx.send(embeds::reply(
        Embed::success(tr!(l, "welcome-saved-title")).description(text),
    ))
    .await?;
    Ok(())
}

/// Post the welcome (with its banner) here, as if you had just joined.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn test(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        guild,
        channel,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let s = store::settings(ctx.data().storage(), guild).await?;
    let f = super::members::facts(ctx.data(), guild, ctx.author(), now, false).await?;
    if let poise::Context::Application(_) = ctx {
        ctx.send(
            embeds::reply(
                Embed::info(tr!(l, "welcome-test-title"))
                    .description(tr!(l, "welcome-test-posted")),
            )
            .ephemeral(true),
        )
        .await?;
    }
    let msg = greet::compose(ctx.data(), l, &s, &f, Kind::Welcome).await?;
    crate::kernel::ids::ToDiscord::discord(channel)
        .send_message(ctx.http(), msg)
        .await?;
    Ok(())
}
