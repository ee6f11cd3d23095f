//! `language`: the server's language (used when a user's Discord locale is not one Chronix
//! speaks, and for prefix commands, listeners and jobs).

use crate::kernel::i18n::SUPPORTED;
use crate::prelude::*;

fn guild(ctx: Context<'_>) -> Result<u64, Error> {
    Ok(ctx.guild_id().ok_or(UserError::GuildOnly)?.get())
}

/// `Français (fr)`, in the locale itself.
fn named(l: Locale) -> String {
    format!("{} (`{}`)", tr!(l, "language-name"), l.code())
}

/// Show or change the language Chronix answers in on this server.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("lang"),
    subcommands("language_show", "language_set", "language_reset"),
    subcommand_required,
    custom_data = Tier::Everyone
)]
pub async fn language(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show this server's language.
#[poise::command(prefix_command, slash_command, guild_only, rename = "show", custom_data = Tier::Everyone)]
pub async fn language_show(ctx: Context<'_>) -> Result<(), Error> {
    let settings = ctx.data().settings().get(guild(ctx)?).await?;
    let text = match settings.language.as_deref().and_then(Locale::from_code) {
        Some(l) => tr!(ctx, "general-language-show", language = named(l)),
        None => tr!(ctx, "general-language-show-default"),
    };
    let available = Locale::all().map(named).collect::<Vec<_>>().join(", ");
    let e = Embed::info(tr!(ctx, "general-language-title"))
        .description(text)
        .field(tr!(ctx, "general-language-available"), available, false);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Set the language Chronix answers in on this server.
#[poise::command(prefix_command, slash_command, guild_only, rename = "set", custom_data = Tier::Admin)]
pub async fn language_set(
    ctx: Context<'_>,
    #[description = "A Discord locale code: en-US, fr"] locale: String,
) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let Some(l) = Locale::from_code(&locale) else {
        return Err(UserError::InvalidInput(tr!(
            ctx,
            "general-language-unsupported",
            code = locale.trim(),
            available = SUPPORTED.join(", ")
        ))
        .into());
    };
    let before = ctx.data().settings().get(gid).await?.language.clone();
    ctx.data()
        .settings()
        .set_language(gid, Some(l.code().to_string()))
        .await?;
    crate::audit::config_change(ctx, "language", before, l.code()).await?;
    // Answered in the language just set unless the user's own Discord locale takes precedence.
    let e = Embed::success(tr!(ctx, "general-language-set-title")).description(tr!(
        ctx,
        "general-language-set",
        language = named(l)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Go back to English (the default) on this server.
#[poise::command(prefix_command, slash_command, guild_only, rename = "reset", custom_data = Tier::Admin)]
pub async fn language_reset(ctx: Context<'_>) -> Result<(), Error> {
    let gid = guild(ctx)?;
    let before = ctx.data().settings().get(gid).await?.language.clone();
    ctx.data().settings().set_language(gid, None).await?;
    crate::audit::config_change(ctx, "language", before, serde_json::Value::Null).await?;
    let e = Embed::success(tr!(ctx, "general-language-reset-title"))
        .description(tr!(ctx, "general-language-reset"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
