//! `tag`: `show`, `create`, `edit`, `delete`, `info`, `list`, `search`, `trigger`, `slash`,
//! `cooldown` (a tag's owner, or a member at the server's tag level) and `access` (Admin).
//! `chro tag <name> [args]` shows a tag as `tag show` does.

use chronix_core::tags::{Access, parse_body, split_args};
use chronix_storage::tags::{self as store, Tag};

use super::custom::{self, sync_slash};
use super::{Who, access_name, reaches, refused, user_error};
use crate::kernel::ids::ToCore;
use crate::prelude::*;

/// Tags: saved texts anyone can show with `tag <name>`.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands(
        "show", "create", "edit", "delete", "info", "list", "search", "trigger", "slash",
        "cooldown", "access"
    ),
    custom_data = Tier::Everyone
)]
pub async fn tag(
    ctx: Context<'_>,
    #[description = "The tag's name"] name: Option<String>,
    #[description = "Arguments ({args})"]
    #[rest]
    args: Option<String>,
) -> Result<(), Error> {
    match name {
        Some(n) => show_tag(ctx, &n, args.as_deref().unwrap_or("")).await,
        None => {
            let e = Embed::info(tr!(ctx, "tags-intro-title")).description(tr!(ctx, "tags-intro"));
            ctx.send(embeds::reply(e)).await?;
            Ok(())
        }
    }
}

async fn autocomplete_tag<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let mut out = serenity::CreateAutocompleteResponse::new();
    let Some(g) = ctx.guild_id() else {
        return out;
    };
    let found = store::search(ctx.data().storage(), g.core(), partial, 25)
        .await
        .unwrap_or_default();
    for t in found {
        out = out.add_string_choice(t.name.clone(), t.name);
    }
    out
}

fn who<'a>(ctx: Context<'a>, server: &'a str) -> Who<'a> {
    Who {
        user: ctx.author().id.core(),
        name: ctx.author().display_name(),
        server,
        channel: ctx.channel_id().core(),
    }
}

async fn show_tag(ctx: Context<'_>, name: &str, args: &str) -> Result<(), Error> {
    let Caller { guild, locale, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let tag = store::require(ctx.data().storage(), guild, name)
        .await
        .map_err(|e| user_error(locale, e))?;
    let server = server_name(ctx.data(), guild);
    let shown = super::show(&tag, &who(ctx, &server), &split_args(args));
    ctx.send(shown.reply()).await?;
    store::count_use(ctx.data().storage(), tag.id).await?;
    Ok(())
}

/// The server's name (from the guild cache).
pub fn server_name(data: &Data, guild: chronix_core::ids::GuildId) -> String {
    data.guilds()
        .facts(serenity::GuildId::new(guild.get()))
        .map(|f| f.name)
        .unwrap_or_default()
}

/// Show a tag.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
    #[description = "Arguments ({args})"]
    #[rest]
    args: Option<String>,
) -> Result<(), Error> {
    show_tag(ctx, &name, args.as_deref().unwrap_or("")).await
}

/// The caller may manage tags on this server (the server's level), or owns `tag`.
async fn may_manage(ctx: Context<'_>, tag: Option<&Tag>) -> Result<bool, Error> {
    if tag.is_some_and(|t| t.owner == ctx.author().id.core()) {
        return Ok(true);
    }
    let Some(g) = ctx.guild_id() else {
        return Ok(false);
    };
    let settings = store::settings(ctx.data().storage(), g.core()).await?;
    let perms = crate::perms::author_permissions(ctx).await;
    Ok(reaches(settings.manage, perms))
}

async fn require_level(ctx: Context<'_>, l: Locale) -> Result<(), Error> {
    if may_manage(ctx, None).await? {
        return Ok(());
    }
    let g = ctx.guild_id().map(|g| g.core());
    let level = match g {
        Some(g) => store::settings(ctx.data().storage(), g).await?.manage,
        None => Access::default(),
    };
    Err(refused(
        l,
        tr!(l, "tags-need-level", level = access_name(l, level)),
    ))
}

/// The caller of a command on an existing tag they may manage: their own tag, or any tag
/// with the server's tag level.
struct Managed {
    user: chronix_core::ids::UserId,
    guild: chronix_core::ids::GuildId,
    l: Locale,
    now: chrono::DateTime<chrono::Utc>,
    tag: Tag,
}

/// The caller and the tag `name`, refused when it does not exist or is not theirs to manage.
async fn managed(ctx: Context<'_>, name: &str) -> Result<Managed, Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let tag = store::require(ctx.data().storage(), guild, name)
        .await
        .map_err(|e| user_error(l, e))?;
    if !may_manage(ctx, Some(&tag)).await? {
        return Err(refused(
            l,
            tr!(l, "tags-not-yours", owner = format!("<@{}>", tag.owner)),
        ));
    }
    Ok(Managed {
        user,
        guild,
        l,
        now,
        tag,
    })
}

/// Appends `audit` to the audit trail, then answers with `e`.
async fn record_and_reply(
    ctx: Context<'_>,
    audit: crate::kernel::audit::Audit,
    e: Embed,
) -> Result<(), Error> {
    crate::kernel::audit::record(ctx.data(), audit).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Create a tag: `tag create <name> [--embed] [--image <url>] <text>`.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn create(
    ctx: Context<'_>,
    #[description = "The tag's name"] name: String,
    #[description = "Its text ({user}, {server}, {args}…); --embed, --image <url> first"]
    #[rest]
    content: String,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    require_level(ctx, l).await?;
    let body = parse_body(&content);
    let tag = store::create(ctx.data().storage(), guild, &name, &body, user, now)
        .await
        .map_err(|e| user_error(l, e))?;
    let e = Embed::success(tr!(l, "tags-created-title")).description(tr!(
        l,
        "tags-created",
        name = tag.name.as_str()
    ));
    let audit = crate::kernel::audit::Audit::new(user, Some(guild), "tags.create")
        .target(&tag.name)
        .after(serde_json::to_value(&tag.body)?);
    record_and_reply(ctx, audit, e).await
}

/// Change a tag's text (yours, or any with the server's tag level).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
    #[description = "Its new text; --embed, --image <url> first"]
    #[rest]
    content: String,
) -> Result<(), Error> {
    let Managed {
        user,
        guild,
        l,
        now,
        tag,
    } = managed(ctx, &name).await?;
    let (before, after) = store::edit(
        ctx.data().storage(),
        guild,
        &tag.name,
        &parse_body(&content),
        now,
    )
    .await
    .map_err(|e| user_error(l, e))?;
    let e = Embed::success(tr!(l, "tags-edited-title")).description(tr!(
        l,
        "tags-edited",
        name = after.name.as_str()
    ));
    let audit = crate::kernel::audit::Audit::new(user, Some(guild), "tags.edit")
        .target(&after.name)
        .before(serde_json::to_value(&before.body)?)
        .after(serde_json::to_value(&after.body)?);
    record_and_reply(ctx, audit, e).await
}

/// Delete a tag (yours, or any with the server's tag level).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn delete(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
) -> Result<(), Error> {
    let Managed {
        user,
        guild,
        l,
        tag,
        ..
    } = managed(ctx, &name).await?;
    let gone = store::delete(ctx.data().storage(), guild, &tag.name)
        .await
        .map_err(|e| user_error(l, e))?;
    if gone.slash {
        custom::unregister(ctx.http(), &gone).await;
    }
    custom::forget_triggers(ctx.data(), guild);
    let e = Embed::success(tr!(l, "tags-deleted-title")).description(tr!(
        l,
        "tags-deleted",
        name = gone.name.as_str()
    ));
    let audit = crate::kernel::audit::Audit::new(user, Some(guild), "tags.delete")
        .target(&gone.name)
        .before(serde_json::to_value(&gone.body)?);
    record_and_reply(ctx, audit, e).await
}

fn on_off(l: Locale, b: bool) -> String {
    if b {
        tr!(l, "tags-on")
    } else {
        tr!(l, "tags-off")
    }
}

/// Who made a tag, how often it was used, and how it runs.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn info(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
) -> Result<(), Error> {
    let Caller {
        guild, locale: l, ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let t = store::require(ctx.data().storage(), guild, &name)
        .await
        .map_err(|e| user_error(l, e))?;
    let e = Embed::info(tr!(l, "tags-info-title", name = t.name.as_str()))
        .field(tr!(l, "tags-field-owner"), format!("<@{}>", t.owner), true)
        .field(tr!(l, "tags-field-uses"), t.uses.to_string(), true)
        .field(
            tr!(l, "tags-field-created"),
            format!("<t:{}:R>", t.created_at.timestamp()),
            true,
        )
        .field(tr!(l, "tags-field-trigger"), on_off(l, t.trigger), true)
        .field(tr!(l, "tags-field-slash"), on_off(l, t.slash), true)
        .field(
            tr!(l, "tags-field-cooldown"),
            tr!(l, "tags-seconds", secs = i64::from(t.cooldown_secs)),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// List this server's tags.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        guild, locale: l, ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let (tags, total) = store::list(ctx.data().storage(), guild, 0, 200).await?;
    let text = if tags.is_empty() {
        tr!(l, "tags-list-none")
    } else {
        let names = tags
            .iter()
            .map(|t| format!("`{}`", t.name))
            .collect::<Vec<_>>()
            .join(", ");
        tr!(l, "tags-list", count = total, names = names)
    };
    let e = Embed::info(tr!(l, "tags-list-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Find tags by name.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn search(
    ctx: Context<'_>,
    #[description = "Part of a name"]
    #[rest]
    query: String,
) -> Result<(), Error> {
    let Caller {
        guild, locale: l, ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let found = store::search(ctx.data().storage(), guild, &query, 25).await?;
    let text = if found.is_empty() {
        tr!(l, "tags-search-none")
    } else {
        found
            .iter()
            .map(|t| format!("`{}`", t.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let e = Embed::info(tr!(l, "tags-search-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Make a tag answer a message that starts with its name (on or off).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn trigger(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
    #[description = "on or off"] on: bool,
) -> Result<(), Error> {
    let Managed {
        user,
        guild,
        l,
        now,
        tag,
    } = managed(ctx, &name).await?;
    let t = store::set_trigger(ctx.data().storage(), guild, &tag.name, on, now)
        .await
        .map_err(|e| user_error(l, e))?;
    custom::forget_triggers(ctx.data(), guild);
    let e = Embed::success(tr!(l, "tags-updated-title")).description(tr!(
        l,
        "tags-trigger-set",
        name = t.name.as_str(),
        state = on_off(l, on)
    ));
    let audit = crate::kernel::audit::Audit::new(user, Some(guild), "tags.trigger")
        .target(&t.name)
        .after(on);
    record_and_reply(ctx, audit, e).await
}

/// Register a tag as a slash command of this server, /<name> (on or off; 25 at most).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn slash(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
    #[description = "on or off"] on: bool,
) -> Result<(), Error> {
    let Managed {
        user,
        guild,
        l,
        now,
        tag,
    } = managed(ctx, &name).await?;
    if on && custom::is_bot_command(ctx.data(), &tag.name) {
        return Err(refused(
            l,
            tr!(l, "tags-slash-collides", name = tag.name.as_str()),
        ));
    }
    let t = store::set_slash(ctx.data().storage(), guild, &tag.name, on, now)
        .await
        .map_err(|e| user_error(l, e))?;
    if on {
        sync_slash(ctx.http(), ctx.data(), guild).await?;
    } else {
        custom::unregister(ctx.http(), &tag).await;
    }
    let e = Embed::success(tr!(l, "tags-updated-title")).description(if on {
        tr!(l, "tags-slash-on", name = t.name.as_str())
    } else {
        tr!(l, "tags-slash-off", name = t.name.as_str())
    });
    let audit = crate::kernel::audit::Audit::new(user, Some(guild), "tags.slash")
        .target(&t.name)
        .after(on);
    record_and_reply(ctx, audit, e).await
}

/// Seconds a member waits between two uses of a tag as a custom command (0: none).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn cooldown(
    ctx: Context<'_>,
    #[description = "The tag's name"]
    #[autocomplete = "autocomplete_tag"]
    name: String,
    #[description = "Seconds (0 to 86400)"] seconds: u32,
) -> Result<(), Error> {
    let Managed {
        user,
        guild,
        l,
        now,
        tag,
    } = managed(ctx, &name).await?;
    let t = store::set_cooldown(ctx.data().storage(), guild, &tag.name, seconds, now)
        .await
        .map_err(|e| user_error(l, e))?;
    let e = Embed::success(tr!(l, "tags-updated-title")).description(tr!(
        l,
        "tags-cooldown-set",
        name = t.name.as_str(),
        secs = i64::from(seconds)
    ));
    let audit = crate::kernel::audit::Audit::new(user, Some(guild), "tags.cooldown")
        .target(&t.name)
        .before(tag.cooldown_secs)
        .after(seconds);
    record_and_reply(ctx, audit, e).await
}

/// Who may create tags and manage everyone's: everyone, manage_messages, manage_server, admin.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn access(
    ctx: Context<'_>,
    #[description = "everyone, manage_messages, manage_server or admin"] level: String,
) -> Result<(), Error> {
    let Caller {
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let Some(level) = Access::from_name(&level) else {
        return Err(refused(l, tr!(l, "tags-access-bad")));
    };
    let before = store::settings(ctx.data().storage(), guild).await?;
    let mut after = before;
    after.manage = level;
    store::set_settings(ctx.data().storage(), guild, &after, now).await?;
    crate::kernel::audit::config_change(ctx, "tags.access", before.manage.name(), level.name())
        .await?;
    let e = Embed::success(tr!(l, "tags-updated-title")).description(tr!(
        l,
        "tags-access-set",
        level = access_name(l, level)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
