//! `rr` (`reactionroles`, `reactionrole`): `setup` (the wizard), `list`, `edit` (title, text,
//! mode, cap, and the roles: add one, take one off, change an emoji; the panel message and its
//! reactions follow), `delete` (all Admin; changes are audited).

use chronix_core::ids::RoleId;
use chronix_core::reactionroles::{self as rules, Delivery, Emoji, Entry, Mode};
use chronix_storage::reactionroles::{self as store, PanelId};

use super::setup::{self, panel_components, panel_embed, reaction_type};
use super::{refused, summary_line, user_error};
use crate::kernel::ids::ToDiscord;
use crate::prelude::*;

/// Reaction roles and button roles: panels members pick their roles from.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("reactionroles", "reactionrole"),
    subcommands("setup", "list", "edit", "delete"),
    custom_data = Tier::Admin
)]
pub async fn rr(ctx: Context<'_>) -> Result<(), Error> {
    let e = Embed::info(tr!(ctx, "rr-intro-title")).description(tr!(ctx, "rr-intro"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Build a role panel step by step (mode, roles, emojis, message).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn setup(ctx: Context<'_>) -> Result<(), Error> {
    setup::start(ctx).await
}

/// List this server's role panels.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Caller { guild, locale, .. } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let panels = store::panels(ctx.data().storage(), guild).await?;
    let text = if panels.is_empty() {
        tr!(locale, "rr-list-none")
    } else {
        panels
            .iter()
            .map(|p| summary_line(locale, p))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let e = Embed::info(tr!(locale, "rr-list-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// What `rr edit` changes.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Field {
    /// The panel's title.
    Title,
    /// The panel's text.
    Text,
    /// toggle, single or verify.
    Mode,
    /// Most roles of the panel per member (0: no cap).
    Max,
    /// Add a role: `@Role [emoji] [label]`.
    #[name = "addrole"]
    AddRole,
    /// Take a role off the panel: `@Role` (members keep it).
    #[name = "removerole"]
    RemoveRole,
    /// Change a role's emoji: `@Role emoji` (`none` clears it on buttons and menus).
    #[name = "emoji"]
    Emoji,
}

/// The role id at the start of `value` (`<@&id>` or `id`) and the rest.
fn role_and_rest(value: &str) -> Option<(RoleId, &str)> {
    let value = value.trim();
    let (first, rest) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
    let digits = first
        .strip_prefix("<@&")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(first);
    let id = digits.parse::<u64>().ok().filter(|id| *id > 0)?;
    Some((RoleId::new(id), rest.trim()))
}

/// An emoji as typed, or a refusal.
fn emoji_of(l: Locale, text: &str) -> Result<Emoji, Error> {
    Emoji::parse(text).ok_or_else(|| refused(l, tr!(l, "rr-edit-bad-emoji", emoji = text)))
}

/// Change a panel's title, text, mode, cap per member, or its roles (addrole, removerole, emoji).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "The panel's number (see rr list)"] panel: i64,
    #[description = "title, text, mode, max, addrole, removerole or emoji"] field: Field,
    #[description = "The new value"]
    #[rest]
    value: String,
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
    let data = ctx.data();
    let Some(before) = store::panel(data.storage(), guild, PanelId::new(panel)).await? else {
        return Err(refused(l, tr!(l, "rr-no-panel")));
    };
    let mut config = before.config.clone();
    let value = value.trim();
    match field {
        Field::Title => config.title = value.to_string(),
        Field::Text => config.description = value.to_string(),
        Field::Mode => {
            config.mode = Mode::from_name(&value.to_lowercase())
                .ok_or_else(|| refused(l, tr!(l, "rr-edit-bad-mode")))?;
        }
        Field::Max => {
            config.max = value
                .parse::<u8>()
                .map_err(|_| refused(l, tr!(l, "rr-edit-bad-max")))?;
        }
        Field::AddRole => {
            let (role, rest) =
                role_and_rest(value).ok_or_else(|| refused(l, tr!(l, "rr-edit-bad-role")))?;
            let (roles, top) =
                super::role_facts(ctx.http(), ctx.framework().bot_id(), guild).await?;
            rules::check_role(role, &roles, top)
                .map_err(|p| refused(l, super::role_problem(l, &p)))?;
            let (first, label) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let (emoji, label) = match Emoji::parse(first) {
                Some(e) => (Some(e), label.trim()),
                None => (None, rest),
            };
            let label = if label.is_empty() {
                roles
                    .iter()
                    .find(|r| r.id == role)
                    .map(|r| r.name.clone())
                    .unwrap_or_default()
            } else {
                label.to_string()
            };
            config.entries.push(Entry { role, emoji, label });
        }
        Field::RemoveRole => {
            let (role, _) =
                role_and_rest(value).ok_or_else(|| refused(l, tr!(l, "rr-edit-bad-role")))?;
            let before_len = config.entries.len();
            config.entries.retain(|e| e.role != role);
            if config.entries.len() == before_len {
                return Err(refused(
                    l,
                    tr!(l, "rr-edit-not-on-panel", role = super::mention(role)),
                ));
            }
        }
        Field::Emoji => {
            let (role, rest) =
                role_and_rest(value).ok_or_else(|| refused(l, tr!(l, "rr-edit-bad-role")))?;
            let emoji = match rest {
                "" => return Err(refused(l, tr!(l, "rr-edit-bad-emoji", emoji = "—"))),
                "none" | "-" => None,
                text => Some(emoji_of(l, text)?),
            };
            let Some(entry) = config.entries.iter_mut().find(|e| e.role == role) else {
                return Err(refused(
                    l,
                    tr!(l, "rr-edit-not-on-panel", role = super::mention(role)),
                ));
            };
            entry.emoji = emoji;
        }
    }
    let after = store::update(data.storage(), guild, before.id, &config, now)
        .await
        .map_err(|e| user_error(l, e))?;
    if let Some(m) = after.message {
        let gl = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
        after
            .channel
            .discord()
            .edit_message(
                ctx.http(),
                m.discord(),
                serenity::EditMessage::new()
                    .embed(panel_embed(&after, gl).into())
                    .components(panel_components(&after, gl)),
            )
            .await?;
        if after.config.delivery == Delivery::Reactions {
            sync_reactions(ctx.http(), &before.config, &after, m.discord()).await?;
        }
    }
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(user, Some(guild), "reactionroles.panel_edit")
            .target(after.id)
            .before(serde_json::to_value(&before.config)?)
            .after(serde_json::to_value(&after.config)?),
    )
    .await?;
    let e = Embed::success(tr!(l, "rr-edited-title")).description(tr!(
        l,
        "rr-edited",
        id = after.id.get()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// A reaction panel's reactions follow its roles: an emoji no longer used is cleared from the
/// message (everyone's reactions with it), a new one is added by the bot.
async fn sync_reactions(
    http: &serenity::Http,
    before: &chronix_core::reactionroles::PanelConfig,
    after: &store::Panel,
    message: serenity::MessageId,
) -> Result<(), Error> {
    let old: Vec<&Emoji> = before
        .entries
        .iter()
        .filter_map(|e| e.emoji.as_ref())
        .collect();
    let new: Vec<&Emoji> = after
        .config
        .entries
        .iter()
        .filter_map(|e| e.emoji.as_ref())
        .collect();
    let channel = after.channel.discord();
    for gone in old.iter().filter(|e| !new.contains(e)) {
        channel
            .delete_reaction_emoji(http, message, reaction_type(gone))
            .await?;
    }
    for added in new.iter().filter(|e| !old.contains(e)) {
        channel
            .create_reaction(http, message, reaction_type(added))
            .await?;
    }
    Ok(())
}

/// Delete a role panel and its message (members keep their roles).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn delete(
    ctx: Context<'_>,
    #[description = "The panel's number (see rr list)"] panel: i64,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        ..
    } = Caller::of(ctx).await;
    let Some(guild) = guild else {
        return Err(UserError::GuildOnly.into());
    };
    let data = ctx.data();
    let Some(gone) = store::delete(data.storage(), guild, PanelId::new(panel)).await? else {
        return Err(refused(l, tr!(l, "rr-no-panel")));
    };
    if let Some(m) = gone.message
        && let Err(e) = gone
            .channel
            .discord()
            .delete_message(ctx.http(), m.discord())
            .await
    {
        tracing::info!(panel = %gone.id, error = %e, "reaction roles: panel message not deleted");
    }
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(user, Some(guild), "reactionroles.panel_delete")
            .target(gone.id)
            .before(serde_json::to_value(&gone.config)?),
    )
    .await?;
    let e = Embed::success(tr!(l, "rr-deleted-title")).description(tr!(
        l,
        "rr-deleted",
        id = gone.id.get()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
