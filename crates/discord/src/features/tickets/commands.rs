//! `ticket` (`tickets`): `setup`, `panels`, `edit`, `delete` (Admin; panel changes are
//! audited), `add`, `remove`, `rename`, `claim`, `close`, `reopen` (in a ticket channel,
//! checked per ticket: see the feature docs) and `stats` (Mod).

use chronix_storage::tickets as store;
use std::time::Duration;

use super::lifecycle::{self, Actor};
use super::{number, setup, ticket_here};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Support tickets: panels, private ticket channels, transcripts.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("tickets"),
    subcommands(
        "setup", "add", "remove", "rename", "claim", "close", "reopen", "stats", "panels", "edit",
        "delete"
    ),
    custom_data = Tier::Everyone
)]
pub async fn ticket(ctx: Context<'_>) -> Result<(), Error> {
    let e = Embed::info(tr!(ctx, "tickets-intro-title")).description(tr!(ctx, "tickets-intro"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Build a ticket panel step by step (category, staff, pings, topics, message).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn setup(ctx: Context<'_>) -> Result<(), Error> {
    setup::start(ctx).await
}

/// Let a member into this ticket.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn add(
    ctx: Context<'_>,
    #[description = "The member to add"] user: serenity::User,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let t = ticket_here(ctx.data(), l, ctx.channel_id()).await?;
    let actor = Actor::of_command(ctx).await;
    lifecycle::require_staff(ctx.data(), l, &actor, &t).await?;
    lifecycle::set_member(ctx.http(), &t, user.id, true).await?;
    let e = Embed::success(tr!(ctx, "tickets-added-title")).description(tr!(
        ctx,
        "tickets-added",
        user = format!("<@{}>", user.id)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Take a member out of this ticket.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn remove(
    ctx: Context<'_>,
    #[description = "The member to remove"] user: serenity::User,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let t = ticket_here(ctx.data(), l, ctx.channel_id()).await?;
    let actor = Actor::of_command(ctx).await;
    lifecycle::require_staff(ctx.data(), l, &actor, &t).await?;
    if user.id.core() == t.opener {
        return Err(super::refused(l, tr!(ctx, "tickets-remove-opener")));
    }
    lifecycle::set_member(ctx.http(), &t, user.id, false).await?;
    let e = Embed::success(tr!(ctx, "tickets-removed-title")).description(tr!(
        ctx,
        "tickets-removed",
        user = format!("<@{}>", user.id)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Rename this ticket's channel.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn rename(
    ctx: Context<'_>,
    #[description = "The new name"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let t = ticket_here(ctx.data(), l, ctx.channel_id()).await?;
    let actor = Actor::of_command(ctx).await;
    lifecycle::require_staff(ctx.data(), l, &actor, &t).await?;
    let slug = chronix_core::tickets::slug(&name);
    if slug.is_empty() {
        return Err(super::refused(l, tr!(ctx, "tickets-rename-empty")));
    }
    ctx.channel_id()
        .edit(ctx.http(), serenity::EditChannel::new().name(&slug))
        .await?;
    let e = Embed::success(tr!(ctx, "tickets-renamed-title")).description(tr!(
        ctx,
        "tickets-renamed",
        name = slug.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Claim this ticket: you handle it.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn claim(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let t = ticket_here(ctx.data(), l, ctx.channel_id()).await?;
    let actor = Actor::of_command(ctx).await;
    let e = lifecycle::claim(ctx.data(), l, &actor, &t).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Close this ticket (asks to confirm); the transcript goes to the log channel and the opener.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn close(
    ctx: Context<'_>,
    #[description = "Why it is closed"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let data = ctx.data();
    let t = ticket_here(data, l, ctx.channel_id()).await?;
    let actor = Actor::of_command(ctx).await;
    lifecycle::require_staff_or_opener(data, l, &actor, &t).await?;
    if t.status != store::TicketStatus::Open {
        return Err(super::user_error(
            l,
            chronix_storage::Refusal::Ticket(store::TicketRefusal::AlreadyClosed).into(),
        ));
    }
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let title = tr!(
        ctx,
        "tickets-close-confirm-title",
        number = number(t.number)
    );
    let question = tr!(
        ctx,
        "tickets-close-confirm",
        reason = reason.clone().unwrap_or_else(|| tr!(ctx, "tickets-none"))
    );
    let answer =
        crate::ui::confirm::ask(ctx, &title, &question, &[], Duration::from_secs(60)).await?;
    let crate::ui::confirm::Answer::Confirmed(ci) = answer else {
        return Ok(());
    };
    let closed = match lifecycle::start_close(data, l, &actor, &t, reason.as_deref()).await {
        Ok(t) => t,
        Err(e) => {
            let text = match e.downcast_ref::<UserError>() {
                Some(u) => u.text(l),
                None => return Err(e),
            };
            let e = Embed::error(tr!(ctx, "tickets-refused-title")).description(text);
            crate::ui::confirm::done(ctx.serenity_context(), &ci, e).await?;
            return Ok(());
        }
    };
    let working = Embed::info(title).description(tr!(ctx, "tickets-closing"));
    crate::ui::confirm::done(ctx.serenity_context(), &ci, working).await?;
    let (embed, rows) = lifecycle::finish_close(ctx.http(), data, l, &closed, &actor.user).await?;
    ctx.channel_id()
        .send_message(ctx.http(), embeds::message(embed).components(rows))
        .await?;
    Ok(())
}

/// Reopen this closed ticket before its channel is deleted.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn reopen(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let t = ticket_here(ctx.data(), l, ctx.channel_id()).await?;
    let actor = Actor::of_command(ctx).await;
    let e = lifecycle::reopen(ctx.http(), ctx.data(), l, &actor, &t).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Ticket figures of this server: open, closed, and per staff member.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn stats(ctx: Context<'_>) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let s = store::stats(ctx.data().storage(), guild.core()).await?;
    let staff = if s.staff.is_empty() {
        tr!(ctx, "tickets-none")
    } else {
        s.staff
            .iter()
            .take(15)
            .map(|x| {
                tr!(
                    ctx,
                    "tickets-stats-line",
                    user = format!("<@{}>", x.staff.discord()),
                    claimed = x.claimed,
                    closed = x.closed
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let e = Embed::info(tr!(ctx, "tickets-stats-title"))
        .field(tr!(ctx, "tickets-stats-open"), s.open.to_string(), true)
        .field(tr!(ctx, "tickets-stats-closed"), s.closed.to_string(), true)
        .field(tr!(ctx, "tickets-stats-staff"), staff, false);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// This server's ticket panels.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn panels(ctx: Context<'_>) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let l = crate::kernel::i18n::locale_of(ctx);
    let all = store::panels(ctx.data().storage(), guild.core()).await?;
    let text = if all.is_empty() {
        tr!(l, "tickets-panels-none")
    } else {
        all.iter()
            .map(|p| {
                tr!(
                    l,
                    "tickets-panels-line",
                    id = p.id.get(),
                    title = embeds::truncate(&p.config.title, 80),
                    channel = format!("<#{}>", p.channel),
                    topics = p.config.topics.len(),
                    kind = if p.config.threads {
                        tr!(l, "tickets-kind-threads")
                    } else {
                        tr!(l, "tickets-kind-channels")
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let e = Embed::info(tr!(l, "tickets-panels-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// A panel of this server by its number, or the "no such panel" refusal.
async fn panel_here(ctx: Context<'_>, id: i64) -> Result<store::Panel, Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let guild = ctx.guild_id().map(|g| g.core());
    match store::panel(ctx.data().storage(), store::PanelId::new(id)).await? {
        Some(p) if Some(p.guild) == guild => Ok(p),
        _ => Err(super::refused(l, tr!(l, "tickets-no-panel"))),
    }
}

/// Change a ticket panel: the setup wizard again, starting from its settings.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "The panel's number (see ticket panels)"] panel: i64,
) -> Result<(), Error> {
    let p = panel_here(ctx, panel).await?;
    setup::start_edit(ctx, p).await
}

/// Delete a ticket panel and its message (asks to confirm; its tickets stay).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn delete(
    ctx: Context<'_>,
    #[description = "The panel's number (see ticket panels)"] panel: i64,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let data = ctx.data();
    let p = panel_here(ctx, panel).await?;
    let title = tr!(l, "tickets-delete-confirm-title", id = p.id.get());
    let question = tr!(
        l,
        "tickets-delete-confirm",
        title = embeds::truncate(&p.config.title, 80),
        channel = format!("<#{}>", p.channel)
    );
    let answer =
        crate::ui::confirm::ask(ctx, &title, &question, &[], Duration::from_secs(60)).await?;
    let crate::ui::confirm::Answer::Confirmed(ci) = answer else {
        return Ok(());
    };
    let gone = match store::delete_panel(data.storage(), p.guild, p.id).await {
        Ok(g) => g,
        Err(e) => {
            let e = super::user_error(l, e);
            let text = match e.downcast_ref::<UserError>() {
                Some(u) => u.text(l),
                None => return Err(e),
            };
            let e = Embed::error(tr!(l, "tickets-refused-title")).description(text);
            crate::ui::confirm::done(ctx.serenity_context(), &ci, e).await?;
            return Ok(());
        }
    };
    if let Some(m) = gone.message
        && let Err(e) = gone
            .channel
            .discord()
            .delete_message(ctx.http(), m.discord())
            .await
    {
        tracing::info!(panel = %gone.id, error = %e, "tickets: panel message not deleted");
    }
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(
            ctx.author().id.core(),
            Some(gone.guild),
            "tickets.panel_delete",
        )
        .target(gone.id)
        .before(serde_json::to_value(&gone.config)?),
    )
    .await?;
    let e = Embed::success(tr!(l, "tickets-panel-deleted-title")).description(tr!(
        l,
        "tickets-panel-deleted",
        id = gone.id.get()
    ));
    crate::ui::confirm::done(ctx.serenity_context(), &ci, e).await?;
    Ok(())
}
