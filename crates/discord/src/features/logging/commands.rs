//! `create-logs` (the suite of log channels) and `logs show|set|ignore|unignore|enable|disable|
//! privacy`.

use chronix_core::ids::{ChannelId, RoleId};
use chronix_core::logging::LogCategory;
use chronix_storage::guild_settings;
use chronix_storage::logging::{self as store, SettingsChange};
use chrono::Utc;

use super::state;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// The logging commands.
pub fn commands() -> Vec<Command> {
    vec![create_logs(), logs()]
}

/// The category `create-logs` makes.
pub const CATEGORY_NAME: &str = "📁 | logs";

fn staff_bits() -> serenity::Permissions {
    use crate::serenity::Permissions as P;
    P::ADMINISTRATOR
        | P::MANAGE_GUILD
        | P::VIEW_AUDIT_LOG
        | P::KICK_MEMBERS
        | P::BAN_MEMBERS
        | P::MODERATE_MEMBERS
}

/// Overwrites of the log category and its channels: `@everyone` cannot see them, staff roles
/// (Administrator, Manage Server, View Audit Log, Kick/Ban/Moderate Members) can read them,
/// the bot can write.
fn overwrites(
    guild: serenity::GuildId,
    roles: &[serenity::Role],
    bot: serenity::UserId,
) -> Vec<serenity::PermissionOverwrite> {
    use crate::serenity::Permissions as P;
    let read = P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY;
    let mut out = vec![serenity::PermissionOverwrite {
        allow: P::empty(),
        deny: P::VIEW_CHANNEL,
        kind: serenity::PermissionOverwriteType::Role(serenity::RoleId::new(guild.get())),
    }];
    for r in roles {
        if r.id.get() != guild.get() && !r.managed && r.permissions.intersects(staff_bits()) {
            out.push(serenity::PermissionOverwrite {
                allow: read,
                deny: P::SEND_MESSAGES,
                kind: serenity::PermissionOverwriteType::Role(r.id),
            });
        }
    }
    out.push(serenity::PermissionOverwrite {
        allow: read | P::SEND_MESSAGES | P::EMBED_LINKS | P::ATTACH_FILES,
        deny: P::empty(),
        kind: serenity::PermissionOverwriteType::Member(bot),
    });
    out
}

/// Create the log channels (the owner gets every one, an admin all but gameplay-logs).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "create-logs",
    aliases("createlogs"),
    custom_data = Tier::Admin
)]
pub async fn create_logs(ctx: Context<'_>) -> Result<(), Error> {
    let Caller { user, guild, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else { return Ok(()) };
    let data = ctx.data();
    let http = ctx.http();
    let owner = data.config().owner_id == Some(user.get());
    let suite = LogCategory::suite(owner);
    let g = guild.discord();
    let existing = g.channels(http).await?;
    let roles: Vec<serenity::Role> = g.roles(http).await?.into_values().collect();
    let bot = ctx.framework().bot_id();
    let settings = store::settings(data.storage(), guild).await?;
    let gs = guild_settings::get(data.storage(), guild).await?;
    let perms = overwrites(g, &roles, bot);
    // The category: the one made before, else one with the name, else a new one.
    let category = settings
        .category_channel_id
        .map(|c| c.discord())
        .filter(|c| existing.contains_key(c))
        .or_else(|| {
            existing
                .values()
                .find(|c| c.kind == serenity::ChannelType::Category && c.name == CATEGORY_NAME)
                .map(|c| c.id)
        });
    let category = match category {
        Some(c) => c,
        None => {
            g.create_channel(
                http,
                serenity::CreateChannel::new(CATEGORY_NAME)
                    .kind(serenity::ChannelType::Category)
                    .permissions(perms.clone()),
            )
            .await?
            .id
        }
    };
    store::update(
        data.storage(),
        guild,
        SettingsChange::CategoryChannel(Some(category.core())),
        Utc::now(),
    )
    .await?;
    let l = crate::kernel::i18n::locale_of(ctx);
    let (mut created, mut reused) = (Vec::new(), Vec::new());
    for cat in suite {
        let mapped = gs
            .log_channels
            .get(cat.key())
            .map(|c| ChannelId::from_db(*c).discord())
            .filter(|c| existing.contains_key(c));
        let named = || {
            existing
                .values()
                .find(|c| c.name == cat.channel_name() && c.kind == serenity::ChannelType::Text)
                .map(|c| c.id)
        };
        let channel = match mapped.or_else(named) {
            Some(c) => {
                reused.push(format!("<#{c}>"));
                c
            }
            None => {
                let c = g
                    .create_channel(
                        http,
                        serenity::CreateChannel::new(cat.channel_name())
                            .kind(serenity::ChannelType::Text)
                            .category(category)
                            .permissions(perms.clone()),
                    )
                    .await?
                    .id;
                created.push(format!("<#{c}>"));
                c
            }
        };
        guild_settings::set_log_channel(data.storage(), guild, cat.key(), Some(channel.core()))
            .await?;
        if cat == LogCategory::Error {
            let s = data.settings().get(guild.get()).await?;
            if s.error_log_channel_id.is_none() {
                data.settings()
                    .set_error_log_channel(guild.get(), Some(channel.get()))
                    .await?;
            }
        }
    }
    state(data).invalidate(guild);
    crate::audit::config_change(
        ctx,
        "logs.create",
        serde_json::json!(reused.len()),
        serde_json::json!(created.len()),
    )
    .await?;
    let none = || tr!(l, "logging-none");
    let e = Embed::success(tr!(l, "logging-created-title"))
        .description(if owner {
            tr!(l, "logging-created-owner")
        } else {
            tr!(l, "logging-created-admin")
        })
        .field(
            tr!(l, "logging-created-new"),
            if created.is_empty() {
                none()
            } else {
                created.join("\n")
            },
            true,
        )
        .field(
            tr!(l, "logging-created-kept"),
            if reused.is_empty() {
                none()
            } else {
                reused.join("\n")
            },
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Log channels: which category goes where, what is ignored, privacy.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("show", "set", "ignore", "unignore", "enable", "disable", "privacy"),
    custom_data = Tier::Everyone
)]
pub async fn logs(ctx: Context<'_>) -> Result<(), Error> {
    let e = Embed::info(tr!(ctx, "logging-intro-title")).description(tr!(ctx, "logging-intro"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn category_arg(l: Locale, text: &str) -> Result<LogCategory, Error> {
    LogCategory::parse(text).ok_or_else(|| {
        let names: Vec<&str> = LogCategory::ALL.iter().map(|c| c.key()).collect();
        UserError::msg(tr!(
            l,
            "logging-bad-category",
            given = text.to_string(),
            names = names.join(", ")
        ))
        .into()
    })
}

/// Where each category goes, what is ignored, the privacy switch.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    let Caller { guild, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else { return Ok(()) };
    let l = crate::kernel::i18n::locale_of(ctx);
    let data = ctx.data();
    let cfg = state(data).config(data, guild).await?;
    let lines: Vec<String> = LogCategory::ALL
        .iter()
        .map(|c| {
            let to = cfg
                .channel_of(*c)
                .map_or_else(|| tr!(l, "logging-unset"), |ch| format!("<#{ch}>"));
            let off = if cfg.settings.category_enabled(c.key()) {
                String::new()
            } else {
                format!(" · {}", tr!(l, "logging-off"))
            };
            format!("`{}` → {to}{off}", c.key())
        })
        .collect();
    let ignored: Vec<String> = cfg
        .settings
        .ignored_channels
        .iter()
        .map(|c| format!("<#{c}>"))
        .chain(
            cfg.settings
                .ignored_roles
                .iter()
                .map(|r| format!("<@&{r}>")),
        )
        .collect();
    let e = Embed::info(tr!(l, "logging-show-title"))
        .description(lines.join("\n"))
        .field(
            tr!(l, "logging-show-ignored"),
            if ignored.is_empty() {
                tr!(l, "logging-none")
            } else {
                ignored.join(", ")
            },
            false,
        )
        .field(
            tr!(l, "logging-show-privacy"),
            if cfg.settings.store_content {
                tr!(l, "logging-privacy-stored")
            } else {
                tr!(l, "logging-privacy-not-stored")
            },
            false,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Send a category's entries to a channel.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn set(
    ctx: Context<'_>,
    #[description = "message, mod, vc, server, member, invite, error or gameplay"] category: String,
    #[description = "The channel"] channel: serenity::GuildChannel,
) -> Result<(), Error> {
    let Caller { guild, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else { return Ok(()) };
    let l = crate::kernel::i18n::locale_of(ctx);
    let cat = category_arg(l, &category)?;
    guild_settings::set_log_channel(
        ctx.data().storage(),
        guild,
        cat.key(),
        Some(channel.id.core()),
    )
    .await?;
    state(ctx.data()).invalidate(guild);
    crate::audit::config_change(
        ctx,
        &format!("logs.{}", cat.key()),
        serde_json::Value::Null,
        channel.id.get().to_string(),
    )
    .await?;
    let e = Embed::success(tr!(l, "logging-set-title")).description(tr!(
        l,
        "logging-set",
        category = cat.key(),
        channel = format!("<#{}>", channel.id)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// `<#1>`, `<@&2>` or an id (a channel of the server, else a role).
enum Target {
    Channel(ChannelId),
    Role(RoleId),
}

async fn target_arg(ctx: Context<'_>, l: Locale, text: &str) -> Result<Target, Error> {
    let t = text.trim();
    let bad =
        || -> Error { UserError::msg(tr!(l, "logging-bad-target", given = t.to_string())).into() };
    if let Some(id) = t.strip_prefix("<#").and_then(|s| s.strip_suffix('>')) {
        return id
            .parse()
            .map(|i| Target::Channel(ChannelId::new(i)))
            .map_err(|_| bad());
    }
    if let Some(id) = t.strip_prefix("<@&").and_then(|s| s.strip_suffix('>')) {
        return id
            .parse()
            .map(|i| Target::Role(RoleId::new(i)))
            .map_err(|_| bad());
    }
    let id: u64 = t.parse().map_err(|_| bad())?;
    let guild = ctx.guild_id().ok_or_else(bad)?;
    let channels = guild.channels(ctx.http()).await?;
    if channels.contains_key(&serenity::ChannelId::new(id)) {
        Ok(Target::Channel(ChannelId::new(id)))
    } else {
        Ok(Target::Role(RoleId::new(id)))
    }
}

async fn set_ignored(ctx: Context<'_>, target: String, on: bool) -> Result<(), Error> {
    let Caller { guild, now, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else { return Ok(()) };
    let l = crate::kernel::i18n::locale_of(ctx);
    let (change, shown) = match target_arg(ctx, l, &target).await? {
        Target::Channel(c) => (SettingsChange::IgnoreChannel(c, on), format!("<#{c}>")),
        Target::Role(r) => (SettingsChange::IgnoreRole(r, on), format!("<@&{r}>")),
    };
    store::update(ctx.data().storage(), guild, change, now).await?;
    state(ctx.data()).invalidate(guild);
    crate::audit::config_change(ctx, "logs.ignore", shown.clone(), on).await?;
    let e = if on {
        Embed::success(tr!(l, "logging-ignore-title")).description(tr!(
            l,
            "logging-ignored",
            target = shown
        ))
    } else {
        Embed::success(tr!(l, "logging-unignore-title")).description(tr!(
            l,
            "logging-unignored",
            target = shown
        ))
    };
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Stop logging what happens in a channel or to members with a role.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn ignore(
    ctx: Context<'_>,
    #[description = "#channel or @role"] target: String,
) -> Result<(), Error> {
    set_ignored(ctx, target, true).await
}

/// Log a channel or role again.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn unignore(
    ctx: Context<'_>,
    #[description = "#channel or @role"] target: String,
) -> Result<(), Error> {
    set_ignored(ctx, target, false).await
}

async fn switch_category(ctx: Context<'_>, category: String, on: bool) -> Result<(), Error> {
    let Caller { guild, now, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else { return Ok(()) };
    let l = crate::kernel::i18n::locale_of(ctx);
    let cat = category_arg(l, &category)?;
    store::update(
        ctx.data().storage(),
        guild,
        SettingsChange::Category(cat.key().to_string(), on),
        now,
    )
    .await?;
    state(ctx.data()).invalidate(guild);
    crate::audit::config_change(ctx, &format!("logs.{}.enabled", cat.key()), !on, on).await?;
    let e = if on {
        Embed::success(tr!(l, "logging-enabled-title")).description(tr!(
            l,
            "logging-enabled",
            category = cat.key()
        ))
    } else {
        Embed::success(tr!(l, "logging-disabled-title")).description(tr!(
            l,
            "logging-disabled",
            category = cat.key()
        ))
    };
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Log a category again.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn enable(
    ctx: Context<'_>,
    #[description = "message, mod, vc, server, member, invite, error or gameplay"] category: String,
) -> Result<(), Error> {
    switch_category(ctx, category, true).await
}

/// Stop logging a category (nothing is stored or posted for it).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn disable(
    ctx: Context<'_>,
    #[description = "message, mod, vc, server, member, invite, error or gameplay"] category: String,
) -> Result<(), Error> {
    switch_category(ctx, category, false).await
}

/// The privacy switch: `on` keeps no message content (edits and deletes say so), `off` keeps it.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn privacy(
    ctx: Context<'_>,
    #[description = "on: store no message content; off: store it"] mode: String,
) -> Result<(), Error> {
    let Caller { guild, now, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else { return Ok(()) };
    let l = crate::kernel::i18n::locale_of(ctx);
    let private = match mode.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" => true,
        "off" | "false" | "no" => false,
        _ => return Err(UserError::msg(tr!(l, "logging-bad-privacy")).into()),
    };
    store::update(
        ctx.data().storage(),
        guild,
        SettingsChange::StoreContent(!private),
        now,
    )
    .await?;
    crate::audit::config_change(ctx, "logs.privacy", serde_json::Value::Null, private).await?;
    let st = state(ctx.data());
    st.invalidate(guild);
    if private {
        // Forget what was kept of this server's messages.
        st.with_messages(ctx.data(), |c| {
            c.forget_content_where(|m| {
                st.channels
                    .get(&m.channel_id)
                    .is_none_or(|ch| ch.guild_id == guild)
            })
        });
    }
    let e = Embed::success(tr!(l, "logging-privacy-title")).description(if private {
        tr!(l, "logging-privacy-on")
    } else {
        tr!(l, "logging-privacy-off")
    });
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
