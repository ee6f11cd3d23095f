//! An event's RSVP panel and buttons, its jobs (reminder, end of an occurrence) and Discord's
//! scheduled event created alongside.

use chronix_core::eventboard::{AttendeeBonus, Recurrence, RemindBy, Rsvp, remind_at};
use chronix_core::ids::UserId;
use chronix_storage::eventboard::{self as store, Counts, EventId, EventStatus, ServerEvent};
use chrono::{DateTime, Utc};

use super::{END_JOB, PREFIX, REMIND_JOB, user_error};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;

fn recurrence(l: Locale, r: Recurrence) -> String {
    match r {
        Recurrence::None => tr!(l, "eventboard-repeat-none"),
        Recurrence::Daily => tr!(l, "eventboard-repeat-daily"),
        Recurrence::Weekly => tr!(l, "eventboard-repeat-weekly"),
    }
}

/// The panel's embed.
pub fn embed(l: Locale, e: &ServerEvent, c: Counts) -> Embed {
    let start = e.starts_at.timestamp();
    let end = e.ends_at().timestamp();
    let mut em = match e.status {
        EventStatus::Scheduled => {
            Embed::info(tr!(l, "eventboard-panel-title", title = e.title.as_str()))
        }
        EventStatus::Cancelled => Embed::warning(tr!(
            l,
            "eventboard-panel-cancelled-title",
            title = e.title.as_str()
        )),
        EventStatus::Finished => Embed::success(tr!(
            l,
            "eventboard-panel-finished-title",
            title = e.title.as_str()
        )),
    };
    if !e.description.is_empty() {
        em = em.description(e.description.clone());
    }
    let going = match e.capacity {
        Some(cap) => tr!(l, "eventboard-going-of", going = c.going, capacity = cap),
        None => c.going.to_string(),
    };
    em = em
        .field(
            tr!(l, "eventboard-field-when"),
            tr!(
                l,
                "eventboard-when",
                start = format!("<t:{start}:F>"),
                relative = format!("<t:{start}:R>"),
                end = format!("<t:{end}:t>")
            ),
            false,
        )
        .field(
            tr!(l, "eventboard-field-repeat"),
            recurrence(l, e.recurrence),
            true,
        )
        .field(
            tr!(l, "eventboard-field-host"),
            format!("<@{}>", e.host),
            true,
        )
        .field(tr!(l, "eventboard-field-going"), going, true)
        .field(tr!(l, "eventboard-field-maybe"), c.maybe.to_string(), true)
        .field(
            tr!(l, "eventboard-field-not-going"),
            c.not_going.to_string(),
            true,
        );
    if e.capacity.is_some() {
        em = em.field(
            tr!(l, "eventboard-field-waitlist"),
            c.waitlist.to_string(),
            true,
        );
    }
    em.footer(tr!(l, "eventboard-footer", id = e.id.get()))
}

/// The RSVP buttons (none once the event is over or cancelled).
pub fn buttons(l: Locale, e: &ServerEvent) -> Vec<serenity::CreateActionRow> {
    if e.status != EventStatus::Scheduled {
        return Vec::new();
    }
    let b = |action: &str, label: String, emoji: char, style| {
        serenity::CreateButton::new(format!("{PREFIX}{action}:{}", e.id))
            .label(label)
            .emoji(emoji)
            .style(style)
    };
    vec![serenity::CreateActionRow::Buttons(vec![
        b(
            "go",
            tr!(l, "eventboard-button-going"),
            '✅',
            serenity::ButtonStyle::Success,
        ),
        b(
            "maybe",
            tr!(l, "eventboard-button-maybe"),
            '❔',
            serenity::ButtonStyle::Secondary,
        ),
        b(
            "no",
            tr!(l, "eventboard-button-not-going"),
            '❌',
            serenity::ButtonStyle::Danger,
        ),
    ])]
}

/// The panel's embed and buttons now, in the server's language.
pub async fn view(
    data: &Data,
    e: &ServerEvent,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let l = crate::kernel::i18n::guild_locale(data, Some(e.guild.get())).await;
    let c = store::counts(data.storage(), e.id).await?;
    Ok((embed(l, e, c), buttons(l, e)))
}

/// Edits the panel (a deleted panel is not re-posted).
pub async fn refresh(http: &serenity::Http, data: &Data, e: &ServerEvent) -> Result<(), Error> {
    let Some(m) = e.message else { return Ok(()) };
    let (embed, rows) = view(data, e).await?;
    let edit = serenity::EditMessage::new()
        .embed(embed.into())
        .components(rows);
    if let Err(err) = e
        .channel
        .discord()
        .edit_message(http, m.discord(), edit)
        .await
    {
        tracing::info!(error = %err, event = %e.id, "could not edit an event panel");
    }
    Ok(())
}

fn key(kind: &str, id: EventId, at: DateTime<Utc>) -> String {
    format!("{kind}:{id}:{}", at.timestamp())
}

/// Queues the reminder and the end of the event's current occurrence.
pub async fn schedule_jobs(data: &Data, e: &ServerEvent, now: DateTime<Utc>) -> Result<(), Error> {
    let payload = serde_json::json!({ "event": e.id.get(), "occurrence": e.starts_at.timestamp() });
    if let Some(at) = remind_at(e.starts_at, e.remind_by, e.remind_before, now) {
        crate::scheduler::enqueue(
            data,
            REMIND_JOB,
            payload.clone(),
            at,
            Some(key(REMIND_JOB, e.id, e.starts_at)),
        )
        .await?;
    }
    crate::scheduler::enqueue(
        data,
        END_JOB,
        payload,
        e.ends_at(),
        Some(key(END_JOB, e.id, e.starts_at)),
    )
    .await?;
    Ok(())
}

/// Calls off the current occurrence's jobs (cancel).
pub async fn cancel_jobs(data: &Data, e: &ServerEvent) -> Result<(), Error> {
    for kind in [REMIND_JOB, END_JOB] {
        chronix_storage::jobs::cancel_by_dedupe_key(data.storage(), &key(kind, e.id, e.starts_at))
            .await?;
    }
    Ok(())
}

fn timestamp(t: DateTime<Utc>) -> serenity::Timestamp {
    serenity::Timestamp::from_unix_timestamp(t.timestamp())
        .unwrap_or_else(|_| serenity::Timestamp::now())
}

/// Creates Discord's scheduled event for `e` (an external event whose location is the server's name) and
/// remembers it; a refusal (no Manage Events) is logged and otherwise ignored.
pub async fn create_discord_event(http: &serenity::Http, data: &Data, e: &ServerEvent) {
    let location = data
        .guilds()
        .name(e.guild.discord())
        .unwrap_or_else(|| e.guild.to_string());
    let mut b = serenity::CreateScheduledEvent::new(
        serenity::ScheduledEventType::External,
        embeds::truncate(&e.title, 100),
        timestamp(e.starts_at),
    )
    .end_time(timestamp(e.ends_at()))
    .location(embeds::truncate(&location, 100));
    if !e.description.is_empty() {
        b = b.description(embeds::truncate(&e.description, 1000));
    }
    match e.guild.discord().create_scheduled_event(http, b).await {
        Ok(se) => {
            if let Err(err) = store::set_discord_event(data.storage(), e.id, se.id.get()).await {
                tracing::warn!(error = %err, event = %e.id, "could not store a scheduled event id");
            }
        }
        Err(err) => {
            tracing::info!(error = %err, event = %e.id, "no Discord scheduled event (missing Manage Events?)");
        }
    }
}

/// Moves Discord's scheduled event to the event's new occurrence, or deletes it (cancelled).
pub async fn sync_discord_event(http: &serenity::Http, e: &ServerEvent) {
    let Some(id) = e.discord_event else { return };
    let guild = e.guild.discord();
    let sid = serenity::ScheduledEventId::new(id);
    let r = if e.status == EventStatus::Cancelled {
        guild.delete_scheduled_event(http, sid).await
    } else if e.status == EventStatus::Scheduled {
        let b = serenity::EditScheduledEvent::new()
            .start_time(timestamp(e.starts_at))
            .end_time(timestamp(e.ends_at()));
        guild.edit_scheduled_event(http, sid, b).await.map(|_| ())
    } else {
        Ok(())
    };
    if let Err(err) = r {
        tracing::info!(error = %err, event = %e.id, "could not update the Discord scheduled event");
    }
}

fn ephemeral(embed: Embed) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed.into())
            .ephemeral(true)
            .allowed_mentions(embeds::no_mentions()),
    )
}

/// The RSVP buttons.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let rest = ci.data.custom_id.strip_prefix(PREFIX).unwrap_or_default();
        let Some((action, id)) = rest.split_once(':') else {
            return Err(gone());
        };
        let Ok(id) = id.parse::<i64>() else {
            return Err(gone());
        };
        let want = match action {
            "go" => Rsvp::Going,
            "maybe" => Rsvp::Maybe,
            "no" => Rsvp::NotGoing,
            _ => return Err(gone()),
        };
        let a = store::rsvp(
            data.storage(),
            EventId::new(id),
            ci.user.id.core(),
            want,
            Utc::now(),
        )
        .await
        .map_err(|e| user_error(l, e))?;
        let title = a.event.title.as_str();
        let text = match (a.state, a.changed) {
            (Rsvp::Going, true) => tr!(l, "eventboard-rsvp-going", title = title),
            (Rsvp::Going, false) => tr!(l, "eventboard-rsvp-already-going", title = title),
            (Rsvp::Waitlist, _) => tr!(
                l,
                "eventboard-rsvp-waitlist",
                title = title,
                waiting = a.counts.waitlist
            ),
            (Rsvp::Maybe, _) => tr!(l, "eventboard-rsvp-maybe", title = title),
            (Rsvp::NotGoing, _) => tr!(l, "eventboard-rsvp-not-going", title = title),
        };
        let answer = Embed::success(tr!(l, "eventboard-rsvp-title")).description(text);
        ci.create_response(&ctx.http, ephemeral(answer)).await?;
        if a.changed {
            refresh(&ctx.http, data, &a.event).await?;
        }
        for u in &a.promoted {
            tell_promoted(&ctx.http, data, &a.event, *u).await;
        }
        Ok(())
    })
}

async fn tell_promoted(http: &serenity::Http, data: &Data, e: &ServerEvent, u: UserId) {
    let l = crate::kernel::i18n::guild_locale(data, Some(e.guild.get())).await;
    let em = Embed::success(tr!(l, "eventboard-promoted-title")).description(tr!(
        l,
        "eventboard-promoted",
        title = e.title.as_str(),
        when = format!("<t:{}:F>", e.starts_at.timestamp())
    ));
    if let Err(err) = u.discord().direct_message(http, embeds::message(em)).await {
        tracing::info!(error = %err, event = %e.id, "could not DM a promoted member");
    }
}

fn occurrence_of(job: &chronix_storage::jobs::Job) -> Option<(EventId, DateTime<Utc>)> {
    let id = job.payload["event"].as_i64()?;
    let at = DateTime::from_timestamp(job.payload["occurrence"].as_i64()?, 0)?;
    Some((EventId::new(id), at))
}

/// The reminder: a DM to each going member, or one message in the channel mentioning them.
pub fn remind_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some((id, occurrence)) = occurrence_of(job) else {
            anyhow::bail!("eventboard.remind job without an event");
        };
        let data = &ctx.data;
        let Some(e) = store::get(data.storage(), id).await? else {
            return Ok(());
        };
        if e.status != EventStatus::Scheduled || e.starts_at.timestamp() != occurrence.timestamp() {
            return Ok(());
        }
        let going = store::members(data.storage(), id, Rsvp::Going).await?;
        if going.is_empty() {
            return Ok(());
        }
        let l = crate::kernel::i18n::guild_locale(data, Some(e.guild.get())).await;
        let when = format!("<t:{}:R>", e.starts_at.timestamp());
        match e.remind_by {
            RemindBy::Off => {}
            RemindBy::Dm => {
                let em = Embed::info(tr!(
                    l,
                    "eventboard-reminder-title",
                    title = e.title.as_str()
                ))
                .description(tr!(
                    l,
                    "eventboard-reminder-dm",
                    title = e.title.as_str(),
                    when = when.as_str(),
                    channel = format!("<#{}>", e.channel)
                ));
                for u in going {
                    if let Err(err) = u
                        .discord()
                        .direct_message(ctx.http.as_ref(), embeds::message(em.clone()))
                        .await
                    {
                        tracing::info!(error = %err, event = %e.id, "could not DM a reminder");
                    }
                }
            }
            RemindBy::Ping => {
                let pings: Vec<String> = going.iter().map(|u| format!("<@{u}>")).collect();
                let content = tr!(
                    l,
                    "eventboard-reminder-ping",
                    members = pings.join(" "),
                    title = e.title.as_str(),
                    when = when.as_str()
                );
                let allowed = serenity::CreateAllowedMentions::new()
                    .users(going.iter().map(|u| u.discord()).collect::<Vec<_>>())
                    .everyone(false);
                e.channel
                    .discord()
                    .send_message(
                        ctx.http.as_ref(),
                        serenity::CreateMessage::new()
                            .content(embeds::truncate(&content, 2000))
                            .allowed_mentions(allowed),
                    )
                    .await?;
            }
        }
        Ok(())
    })
}

/// The end of an occurrence: the attendee bonus, then the next occurrence or the finish.
pub fn end_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some((id, occurrence)) = occurrence_of(job) else {
            anyhow::bail!("eventboard.end job without an event");
        };
        let data = &ctx.data;
        let Some(e) = store::get(data.storage(), id).await? else {
            return Ok(());
        };
        let curve = chronix_storage::levels::settings(data.storage(), e.guild)
            .await?
            .curve;
        let Some(done) = store::finish_occurrence(
            data.storage(),
            id,
            occurrence,
            AttendeeBonus::default(),
            move |xp| curve.level_for_xp(xp),
            ctx.now,
        )
        .await?
        else {
            return Ok(());
        };
        let e = done.event;
        if e.status == EventStatus::Scheduled {
            schedule_jobs(data, &e, ctx.now).await?;
            sync_discord_event(ctx.http.as_ref(), &e).await;
        }
        refresh(ctx.http.as_ref(), data, &e).await?;
        tracing::info!(event = %e.id, rewarded = done.rewarded.len(), "event occurrence ended");
        Ok(())
    })
}
