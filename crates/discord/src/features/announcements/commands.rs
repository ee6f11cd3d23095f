//! `announce` (alias `ann`; bare: the wizard): `setup`, `list`, `edit`, `cancel`,
//! `send now`, `timezone` and the `network` group. Every subcommand is Admin.

use chronix_core::announcements::{format_local, parse_timezone};
use chronix_storage::announcements::{self as store, AnnouncementId};

use super::{network, setup, status_text, template_text};
use crate::prelude::*;

fn guild(ctx: Context<'_>) -> Result<chronix_core::ids::GuildId, Error> {
    crate::kernel::caller::guild_of(ctx).ok_or_else(|| UserError::GuildOnly.into())
}

/// Announcements: build, schedule and broadcast themed announcements.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("ann"),
    subcommands(
        "setup",
        "list",
        "edit",
        "cancel",
        "send",
        "timezone",
        "network::network"
    ),
    custom_data = Tier::Admin
)]
pub async fn announce(ctx: Context<'_>) -> Result<(), Error> {
    setup::start(ctx, None).await
}

/// Build an announcement step by step (channels, template, text, images, buttons, pings, schedule).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn setup(ctx: Context<'_>) -> Result<(), Error> {
    setup::start(ctx, None).await
}

/// This server's announcements: drafts and scheduled ones first, then recent ones.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        guild, locale: l, ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let tz = super::timezone(ctx.data(), guild).await?;
    let all = store::list(ctx.data().storage(), guild).await?;
    let mut e = Embed::info(tr!(l, "announce-list-title")).footer(tr!(
        l,
        "announce-list-footer",
        tz = tz.name()
    ));
    if all.is_empty() {
        e = e.description(tr!(l, "announce-list-empty"));
    }
    for a in all.iter().take(25) {
        let when = match a.next {
            Some(t) => format!("{} (<t:{}:R>)", format_local(t, tz), t.timestamp()),
            None => "—".to_string(),
        };
        e = e.field(
            crate::embeds::truncate(
                &format!(
                    "#{} · {} · {}",
                    a.id,
                    status_text(l, a.status),
                    a.record.title
                ),
                256,
            ),
            tr!(
                l,
                "announce-list-line",
                template = template_text(l, a.record.template),
                schedule = super::schedule_text(l, &a.record.schedule, tz),
                next = when,
                runs = a.runs,
                channels = a
                    .record
                    .channels
                    .iter()
                    .map(|c| format!("<#{c}>"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            false,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

async fn active(ctx: Context<'_>, id: i64) -> Result<store::Stored, Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    match store::get(ctx.data().storage(), guild(ctx)?, AnnouncementId::new(id)).await? {
        Some(s) if s.status.is_active() => Ok(s),
        Some(_) => Err(super::user_error(
            l,
            chronix_storage::Refusal::Announce(store::AnnounceRefusal::NotActive(id)).into(),
        )),
        None => Err(super::user_error(
            l,
            chronix_storage::Refusal::Announce(store::AnnounceRefusal::NoSuch(id)).into(),
        )),
    }
}

/// Change a draft or scheduled announcement (opens the wizard on it).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "The announcement's number (see announce list)"] id: i64,
) -> Result<(), Error> {
    let s = active(ctx, id).await?;
    setup::start(ctx, Some(s)).await
}

/// Cancel a draft or scheduled announcement.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn cancel(
    ctx: Context<'_>,
    #[description = "The announcement's number (see announce list)"] id: i64,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let s = store::cancel(ctx.data().storage(), guild, AnnouncementId::new(id), now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    crate::audit::record(
        ctx.data(),
        crate::audit::Audit::new(user, Some(guild), "announcements.cancel").target(s.id),
    )
    .await?;
    let e = Embed::success(tr!(l, "announce-cancelled-title")).description(tr!(
        l,
        "announce-cancelled",
        id = s.id.get(),
        title = s.record.title.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Post an announcement right away.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("now"),
    subcommand_required,
    custom_data = Tier::Admin
)]
pub async fn send(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post a draft or scheduled announcement now (a recurring one keeps its schedule).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn now(
    ctx: Context<'_>,
    #[description = "The announcement's number (see announce list)"] id: i64,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let data = ctx.data();
    let s = store::send_now(data.storage(), guild, AnnouncementId::new(id), now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    crate::audit::record(
        data,
        crate::audit::Audit::new(user, Some(guild), "announcements.send_now").target(s.id),
    )
    .await?;
    let http = ctx.serenity_context().http.clone();
    let d = super::post::deliver(&http, data, &s).await;
    let mut text = tr!(
        l,
        "announce-sent",
        id = s.id.get(),
        count = d.posted.len(),
        channels = d
            .posted
            .iter()
            .map(|c| format!("<#{c}>"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    if !d.failed.is_empty() {
        text.push('\n');
        text.push_str(&tr!(l, "announce-sent-failed", count = d.failed.len()));
    }
    let e = Embed::success(tr!(l, "announce-sent-title")).description(text);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Show or set this server's time zone (schedules use it), e.g. Europe/Paris or UTC.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn timezone(
    ctx: Context<'_>,
    #[description = "An IANA time zone such as Europe/Paris, America/New_York or UTC"] zone: Option<
        String,
    >,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let guild = guild.ok_or(UserError::GuildOnly)?;
    let data = ctx.data();
    let Some(zone) = zone else {
        let tz = super::timezone(data, guild).await?;
        let e = Embed::info(tr!(l, "announce-timezone-title")).description(tr!(
            l,
            "announce-timezone-show",
            tz = tz.name(),
            time = format_local(now, tz)
        ));
        ctx.send(embeds::reply(e)).await?;
        return Ok(());
    };
    let Some(tz) = parse_timezone(&zone) else {
        return Err(
            super::refused(l, tr!(l, "announce-timezone-unknown", zone = zone.trim())).into(),
        );
    };
    let stored = (tz != chrono_tz::Tz::UTC).then(|| tz.name());
    let before =
        chronix_storage::guild_settings::set_timezone(data.storage(), guild, stored, now).await?;
    crate::audit::record(
        data,
        crate::audit::Audit::new(user, Some(guild), "config.timezone")
            .before(before.map_or(serde_json::Value::Null, serde_json::Value::from))
            .after(tz.name()),
    )
    .await?;
    let e = Embed::success(tr!(l, "announce-timezone-title")).description(tr!(
        l,
        "announce-timezone-set",
        tz = tz.name(),
        time = format_local(now, tz)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
