//! `event` (`events`): `create` and `cancel` (managers, checked in
//! [`super::require_manager`]), `list` and `ics` (everyone).

use chronix_core::eventboard::{self as rules, EventSpec, Recurrence, RemindBy};
use chronix_core::ids::GuildId;
use chronix_storage::eventboard::{self as store, EventId};

use super::panel;
use super::{event_error, require_manager, user_error};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Server events with RSVP: create, list, cancel, calendar export.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("events"),
    subcommands("create", "list", "cancel", "ics"),
    custom_data = Tier::Everyone
)]
pub async fn event(ctx: Context<'_>) -> Result<(), Error> {
    let e =
        Embed::info(tr!(ctx, "eventboard-intro-title")).description(tr!(ctx, "eventboard-intro"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn guild(c: &Caller) -> Result<GuildId, Error> {
    c.guild.ok_or_else(|| UserError::GuildOnly.into())
}

/// Create an event here: start (2h, "2026-12-24 18:00" UTC or RFC 3339), length, title | description.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn create(
    ctx: Context<'_>,
    #[description = "Start: 2h30m from now, 2026-12-24 18:00 (UTC) or an RFC 3339 time"]
    when: String,
    #[description = "How long it lasts (1h, 90m)"] duration: String,
    #[description = "Title | description, then any of capacity:10 repeat:weekly remind:ping before:30m"]
    #[rest]
    title: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    require_manager(ctx, g, l).await?;
    let invalid = |e: rules::EventError| super::refused(l, event_error(l, &e));
    let starts_at = rules::parse_when(&when, c.now).map_err(invalid)?;
    let duration = chronix_core::moderation::parse_duration(&duration)
        .map_err(|_| invalid(rules::EventError::BadOption("duration".into())))?;
    let mut spec = EventSpec {
        title: String::new(),
        description: String::new(),
        starts_at,
        duration,
        recurrence: Recurrence::None,
        capacity: None,
        remind_by: RemindBy::Dm,
        remind_before: chrono::Duration::seconds(rules::DEFAULT_REMIND_SECS),
    };
    rules::split_options(&title, &mut spec).map_err(invalid)?;
    let data = ctx.data();
    let ev = store::create(data.storage(), g, c.channel, c.user, &spec, c.now)
        .await
        .map_err(|e| user_error(l, e))?;
    let (embed, rows) = panel::view(data, &ev).await?;
    let msg = ctx
        .channel_id()
        .send_message(ctx.http(), embeds::message(embed).components(rows))
        .await?;
    store::set_message(data.storage(), ev.id, msg.id.core()).await?;
    panel::schedule_jobs(data, &ev, c.now).await?;
    panel::create_discord_event(ctx.http(), data, &ev).await;
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(c.user, Some(g), "eventboard.create")
            .target(ev.id)
            .with("title", ev.title.clone())
            .with("starts_at", ev.starts_at.to_rfc3339()),
    )
    .await?;
    let e = Embed::success(tr!(l, "eventboard-created-title")).description(tr!(
        l,
        "eventboard-created",
        id = ev.id.get(),
        when = format!("<t:{}:F>", ev.starts_at.timestamp())
    ));
    ctx.send(embeds::reply(e).ephemeral(true)).await?;
    Ok(())
}

/// This server's upcoming events.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    let all = store::upcoming(ctx.data().storage(), g).await?;
    let mut e = Embed::info(tr!(l, "eventboard-list-title"));
    if all.is_empty() {
        e = e.description(tr!(l, "eventboard-list-empty"));
    }
    for ev in all.iter().take(20) {
        let counts = store::counts(ctx.data().storage(), ev.id).await?;
        let going = match ev.capacity {
            Some(cap) => tr!(
                l,
                "eventboard-going-of",
                going = counts.going,
                capacity = cap
            ),
            None => counts.going.to_string(),
        };
        e = e.field(
            tr!(
                l,
                "eventboard-list-item",
                id = ev.id.get(),
                title = ev.title.as_str()
            ),
            tr!(
                l,
                "eventboard-list-line",
                when = format!("<t:{}:F>", ev.starts_at.timestamp()),
                going = going,
                waitlist = counts.waitlist
            ),
            false,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Cancel an event.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn cancel(
    ctx: Context<'_>,
    #[description = "The event's id (see event list)"] id: i64,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    require_manager(ctx, g, l).await?;
    let data = ctx.data();
    let ev = store::get_in(data.storage(), g, EventId::new(id))
        .await
        .map_err(|e| user_error(l, e))?;
    let ev = store::cancel(data.storage(), ev.id, c.now)
        .await
        .map_err(|e| user_error(l, e))?;
    panel::cancel_jobs(data, &ev).await?;
    panel::refresh(ctx.http(), data, &ev).await?;
    panel::sync_discord_event(ctx.http(), &ev).await;
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(c.user, Some(g), "eventboard.cancel").target(ev.id),
    )
    .await?;
    let e = Embed::warning(tr!(l, "eventboard-cancelled-title")).description(tr!(
        l,
        "eventboard-cancelled",
        title = ev.title.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// This server's upcoming events as a calendar file (.ics) for your calendar app.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn ics(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    let all = store::upcoming(ctx.data().storage(), g).await?;
    let name = ctx
        .data()
        .guilds()
        .name(g.discord())
        .unwrap_or_else(|| g.to_string());
    let cal: Vec<_> = all.iter().map(|e| e.calendar()).collect();
    let text = rules::render_ics(&name, &format!("{g}.chronix"), &cal, c.now);
    let e = Embed::info(tr!(l, "eventboard-ics-title")).description(tr!(
        l,
        "eventboard-ics",
        count = cal.len()
    ));
    ctx.send(
        embeds::reply(e).attachment(serenity::CreateAttachment::bytes(
            text.into_bytes(),
            "events.ics",
        )),
    )
    .await?;
    Ok(())
}
