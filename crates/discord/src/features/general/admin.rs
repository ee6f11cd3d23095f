//! Guild administration: `prefix`, `module`, `errorlog`.

use chronix_config::FEATURES;

use crate::prefix::{active_prefixes, validate_custom_prefix};
use crate::prelude::*;
use crate::registry::ALWAYS_ON as CORE;

fn guild(ctx: Context<'_>) -> Result<u64, Error> {
    Ok(ctx.guild_id().ok_or(UserError::GuildOnly)?.get())
}

/// The guild's settings now (for an audit entry's "before").
async fn current(ctx: Context<'_>) -> Result<std::sync::Arc<crate::settings::Settings>, Error> {
    Ok(ctx.data().settings().get(guild(ctx)?).await?)
}

/// Show or change this server's command prefix.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("prefix_show", "prefix_set", "prefix_reset"),
    subcommand_required,
    custom_data = Tier::Everyone
)]
pub async fn prefix(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show the prefixes that work here.
#[poise::command(prefix_command, slash_command, guild_only, rename = "show", custom_data = Tier::Everyone)]
pub async fn prefix_show(ctx: Context<'_>) -> Result<(), Error> {
    let settings = ctx.data().settings().get(guild(ctx)?).await?;
    let list = active_prefixes(ctx.data().config(), settings.prefix.as_deref())
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = if settings.prefix.is_some() {
        tr!(ctx, "general-prefix-show-custom", list = list)
    } else {
        tr!(ctx, "general-prefix-show-default", list = list)
    };
    ctx.send(embeds::reply(
        Embed::info(tr!(ctx, "general-prefix-title")).description(text),
    ))
    .await?;
    Ok(())
}

/// Set a custom prefix for this server (it replaces the default one).
#[poise::command(prefix_command, slash_command, guild_only, rename = "set", custom_data = Tier::Admin)]
pub async fn prefix_set(
    ctx: Context<'_>,
    #[description = "The new prefix (1 to 10 characters, no spaces)"] new_prefix: String,
) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let p = new_prefix.trim().to_string();
    validate_custom_prefix(&p).map_err(UserError::InvalidInput)?;
    let before = current(ctx).await?.prefix.clone();
    ctx.data()
        .settings()
        .set_prefix(gid, Some(p.clone()))
        .await?;
    crate::audit::config_change(ctx, "prefix", before, p.clone()).await?;
    let default = &ctx.data().config().prefix;
    ctx.send(embeds::reply(
        Embed::success(tr!(ctx, "general-prefix-set-title")).description(tr!(
            ctx,
            "general-prefix-set",
            prefix = p.as_str(),
            example = crate::prefix::invoke(&p, "help"),
            default = default.as_str()
        )),
    ))
    .await?;
    Ok(())
}

/// Go back to the default prefix.
#[poise::command(prefix_command, slash_command, guild_only, rename = "reset", custom_data = Tier::Admin)]
pub async fn prefix_reset(ctx: Context<'_>) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let before = current(ctx).await?.prefix.clone();
    ctx.data().settings().set_prefix(gid, None).await?;
    crate::audit::config_change(ctx, "prefix", before, serde_json::Value::Null).await?;
    let default = &ctx.data().config().prefix;
    ctx.send(embeds::reply(
        Embed::success(tr!(ctx, "general-prefix-reset-title")).description(tr!(
            ctx,
            "general-prefix-reset",
            default = default.as_str()
        )),
    ))
    .await?;
    Ok(())
}

/// Switch Chronix modules on or off for this server.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("modules"),
    subcommands("module_list", "module_enable", "module_disable"),
    subcommand_required,
    custom_data = Tier::Everyone
)]
pub async fn module(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// List the modules and whether they are on here.
#[poise::command(prefix_command, slash_command, guild_only, rename = "list", custom_data = Tier::Everyone)]
pub async fn module_list(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let settings = data.settings().get(guild(ctx)?).await?;
    let mut lines = vec![tr!(ctx, "general-module-always-on", name = CORE)];
    for (name, key, _) in FEATURES {
        let line = if !data.config().features.enabled(name) {
            tr!(ctx, "general-module-off-bot", name = *name, key = *key)
        } else if settings.is_module_disabled(name) {
            tr!(ctx, "general-module-off-here", name = *name)
        } else {
            tr!(ctx, "general-module-on", name = *name)
        };
        lines.push(line);
    }
    ctx.send(embeds::reply(
        Embed::info(tr!(ctx, "general-module-title"))
            .description(lines.join("\n"))
            .footer(tr!(ctx, "general-module-footer")),
    ))
    .await?;
    Ok(())
}

fn known_module(l: Locale, name: &str) -> Result<&'static str, UserError> {
    let name = name.trim().to_lowercase();
    if name == CORE {
        return Err(UserError::msg(tr!(l, "general-module-core")));
    }
    FEATURES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(n, _, _)| *n)
        .ok_or_else(|| {
            let all: Vec<&str> = FEATURES.iter().map(|(n, _, _)| *n).collect();
            UserError::InvalidInput(tr!(
                l,
                "general-module-unknown",
                name = embeds::truncate(&name, 32).replace('`', "'"),
                modules = all.join(", ")
            ))
        })
}

/// Turn a module back on for this server.
#[poise::command(prefix_command, slash_command, guild_only, rename = "enable", custom_data = Tier::Admin)]
pub async fn module_enable(
    ctx: Context<'_>,
    #[description = "Module name (see module list)"] name: String,
) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let name = known_module(ctx.lang(), &name)?;
    let was = !current(ctx).await?.is_module_disabled(name);
    ctx.data()
        .settings()
        .set_module_enabled(gid, name, true)
        .await?;
    crate::audit::config_change(ctx, &format!("module.{name}"), was, true).await?;
    let mut embed = Embed::success(tr!(ctx, "general-module-enabled-title")).description(tr!(
        ctx,
        "general-module-enabled",
        name = name
    ));
    if !ctx.data().config().features.enabled(name) {
        embed = Embed::warning(tr!(ctx, "general-module-enabled-off-title")).description(tr!(
            ctx,
            "general-module-enabled-off",
            name = name
        ));
    }
    ctx.send(embeds::reply(embed)).await?;
    Ok(())
}

/// Turn a module off for this server.
#[poise::command(prefix_command, slash_command, guild_only, rename = "disable", custom_data = Tier::Admin)]
pub async fn module_disable(
    ctx: Context<'_>,
    #[description = "Module name (see module list)"] name: String,
) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let name = known_module(ctx.lang(), &name)?;
    let was = !current(ctx).await?.is_module_disabled(name);
    ctx.data()
        .settings()
        .set_module_enabled(gid, name, false)
        .await?;
    crate::audit::config_change(ctx, &format!("module.{name}"), was, false).await?;
    ctx.send(embeds::reply(
        Embed::success(tr!(ctx, "general-module-disabled-title")).description(tr!(
            ctx,
            "general-module-disabled",
            name = name
        )),
    ))
    .await?;
    Ok(())
}

/// Choose where error reports for this server go.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("errorlog_set", "errorlog_clear"),
    subcommand_required,
    custom_data = Tier::Everyone
)]
pub async fn errorlog(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Send error reports (with their error ids) to a channel.
#[poise::command(prefix_command, slash_command, guild_only, rename = "set", custom_data = Tier::Admin)]
pub async fn errorlog_set(
    ctx: Context<'_>,
    #[description = "The channel for error reports"] channel: serenity::GuildChannel,
) -> Result<(), Error> {
    let gid = guild(ctx)?;
    if channel.guild_id.get() != gid {
        return Err(UserError::InvalidInput(tr!(ctx, "general-errorlog-other-server")).into());
    }
    let before = current(ctx)
        .await?
        .error_log_channel_id
        .map(|c| c.to_string());
    ctx.data()
        .settings()
        .set_error_log_channel(gid, Some(channel.id.get()))
        .await?;
    crate::audit::config_change(ctx, "errorlog", before, channel.id.get().to_string()).await?;
    ctx.send(embeds::reply(
        Embed::success(tr!(ctx, "general-errorlog-set-title")).description(tr!(
            ctx,
            "general-errorlog-set",
            channel = format!("<#{}>", channel.id)
        )),
    ))
    .await?;
    Ok(())
}

/// Stop sending error reports to a channel.
#[poise::command(prefix_command, slash_command, guild_only, rename = "clear", custom_data = Tier::Admin)]
pub async fn errorlog_clear(ctx: Context<'_>) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let before = current(ctx)
        .await?
        .error_log_channel_id
        .map(|c| c.to_string());
    ctx.data()
        .settings()
        .set_error_log_channel(gid, None)
        .await?;
    crate::audit::config_change(ctx, "errorlog", before, serde_json::Value::Null).await?;
    ctx.send(embeds::reply(
        Embed::success(tr!(ctx, "general-errorlog-cleared-title"))
            .description(tr!(ctx, "general-errorlog-cleared")),
    ))
    .await?;
    Ok(())
}
