//! `rr` (`reactionroles`, `reactionrole`): `setup` (the wizard), `list`, `edit`, `delete`
//! (all Admin; changes are audited).

use chronix_core::reactionroles::Mode;
use chronix_storage::reactionroles::{self as store, PanelId};

use super::setup::{self, panel_components, panel_embed};
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
}

/// Change a panel's title, text, mode or cap per member.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "The panel's number (see rr list)"] panel: i64,
    #[description = "title, text, mode or max"] field: Field,
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
