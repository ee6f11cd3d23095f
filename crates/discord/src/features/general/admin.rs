//! Guild administration: `prefix`, `module`, `errorlog`.

use chronix_config::FEATURES;

use crate::prefix::{active_prefixes, validate_custom_prefix};
use crate::prelude::*;
use crate::registry::ALWAYS_ON as CORE;

fn guild(ctx: Context<'_>) -> Result<u64, Error> {
    Ok(ctx.guild_id().ok_or(UserError::GuildOnly)?.get())
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
    let how = if settings.prefix.is_some() {
        "custom prefix"
    } else {
        "default prefix"
    };
    ctx.send(embeds::reply(Embed::info("Prefix").description(format!(
        "Commands here start with {list} ({how}). Mentioning me and `/` commands always work."
    ))))
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
    ctx.data()
        .settings()
        .set_prefix(gid, Some(p.clone()))
        .await?;
    let default = &ctx.data().config().prefix;
    ctx.send(embeds::reply(Embed::success("Prefix updated").description(
        format!(
            "Commands here now start with `{p}` (for example `{}`). \
         The default `{default}` no longer works on this server; `prefix reset` brings it back.",
            crate::prefix::invoke(&p, "help")
        ),
    )))
    .await?;
    Ok(())
}

/// Go back to the default prefix.
#[poise::command(prefix_command, slash_command, guild_only, rename = "reset", custom_data = Tier::Admin)]
pub async fn prefix_reset(ctx: Context<'_>) -> Result<(), Error> {
    let gid = guild(ctx)?;
    ctx.data().settings().set_prefix(gid, None).await?;
    let default = &ctx.data().config().prefix;
    ctx.send(embeds::reply(Embed::success("Prefix reset").description(
        format!("Commands here start with `{default}` again."),
    )))
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
    let mut lines = vec![format!("✅ `{CORE}`: always on")];
    for (name, key, _) in FEATURES {
        let line = if !data.config().features.enabled(name) {
            format!("⛔ `{name}`: off for the whole bot (`{key}=false`)")
        } else if settings.is_module_disabled(name) {
            format!("❌ `{name}`: disabled on this server")
        } else {
            format!("✅ `{name}`: on")
        };
        lines.push(line);
    }
    ctx.send(embeds::reply(
        Embed::info("Modules")
            .description(lines.join("\n"))
            .footer("Admins: module enable <name> / module disable <name>"),
    ))
    .await?;
    Ok(())
}

fn known_module(name: &str) -> Result<&'static str, UserError> {
    let name = name.trim().to_lowercase();
    if name == CORE {
        return Err(UserError::msg("The general module cannot be switched off."));
    }
    FEATURES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(n, _, _)| *n)
        .ok_or_else(|| {
            let all: Vec<&str> = FEATURES.iter().map(|(n, _, _)| *n).collect();
            UserError::InvalidInput(format!(
                "there is no module called `{}`. Modules: {}.",
                embeds::truncate(&name, 32).replace('`', "'"),
                all.join(", ")
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
    let name = known_module(&name)?;
    ctx.data()
        .settings()
        .set_module_enabled(gid, name, true)
        .await?;
    let mut embed = Embed::success("Module enabled")
        .description(format!("`{name}` is on again on this server."));
    if !ctx.data().config().features.enabled(name) {
        embed = Embed::warning("Module enabled, but off for the whole bot").description(format!(
            "`{name}` is allowed on this server, but the bot runs with it switched off; \
             the bot owner has to turn it on."
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
    let name = known_module(&name)?;
    ctx.data()
        .settings()
        .set_module_enabled(gid, name, false)
        .await?;
    ctx.send(embeds::reply(
        Embed::success("Module disabled").description(format!(
            "`{name}` is off on this server; its commands now answer with a refusal. \
         `module enable {name}` turns it back on."
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
        return Err(UserError::InvalidInput("that channel is not on this server".into()).into());
    }
    ctx.data()
        .settings()
        .set_error_log_channel(gid, Some(channel.id.get()))
        .await?;
    ctx.send(embeds::reply(Embed::success("Error log set").description(
        format!("Error reports for this server now go to <#{}>.", channel.id),
    )))
    .await?;
    Ok(())
}

/// Stop sending error reports to a channel.
#[poise::command(prefix_command, slash_command, guild_only, rename = "clear", custom_data = Tier::Admin)]
pub async fn errorlog_clear(ctx: Context<'_>) -> Result<(), Error> {
    let gid = guild(ctx)?;
    ctx.data()
        .settings()
        .set_error_log_channel(gid, None)
        .await?;
    ctx.send(embeds::reply(
        Embed::success("Error log cleared").description("Error reports are only logged now."),
    ))
    .await?;
    Ok(())
}
