//! Posting: the job of one occurrence ([`post_job`]) and the announcement message
//! ([`message`]).
//!
//! The job asks storage to take its occurrence (`claim_due`: exactly once, the
//! missed-occurrence rule applied, the next occurrence queued in the same transaction), then
//! posts to each channel and, with a network, to every approved server's channel. A channel
//! that refuses (deleted, no access) is logged and skipped: the occurrence is taken either way,
//! so a retry never posts twice.

use chronix_core::announcements::{Announcement, MISSED_GRACE, sanitise};
use chronix_core::ids::ChannelId;
use chronix_storage::announcements::{self as store, NetworkId, Stored};
use std::sync::Arc;

use crate::kernel::ids::ToDiscord;
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;

/// `allowed_mentions` of an announcement: exactly the chosen roles and `@everyone` if chosen;
/// no users, no replied user. Always set explicitly.
pub fn allowed_mentions(a: &Announcement, pings: bool) -> serenity::CreateAllowedMentions {
    let m = serenity::CreateAllowedMentions::new()
        .empty_users()
        .replied_user(false);
    if pings {
        m.roles(a.ping_roles.iter().map(|r| r.discord()))
            .everyone(a.ping_everyone)
    } else {
        m.empty_roles().everyone(false)
    }
}

/// The announcement message: its themed embed (user text sanitised), link buttons, and the
/// ping line when `pings` (the home server; a network's servers get no pings).
pub fn message(a: &Announcement, pings: bool, footer: Option<String>) -> serenity::CreateMessage {
    let title = crate::embeds::truncate(
        &format!("{} {}", a.template.emoji(), sanitise(a.title.trim())),
        256,
    );
    let mut embed = serenity::CreateEmbed::new()
        .title(title)
        .colour(a.template.colour())
        .timestamp(serenity::Timestamp::now());
    if !a.description.trim().is_empty() {
        embed = embed.description(crate::embeds::truncate(&sanitise(&a.description), 4096));
    }
    if let Some(u) = &a.thumbnail {
        embed = embed.thumbnail(u);
    }
    if let Some(u) = &a.image {
        embed = embed.image(u);
    }
    if let Some(f) = footer {
        embed = embed.footer(serenity::CreateEmbedFooter::new(crate::embeds::truncate(
            &sanitise(&f),
            2048,
        )));
    }
    let mut m = serenity::CreateMessage::new()
        .embed(embed)
        .allowed_mentions(allowed_mentions(a, pings));
    if pings && let Some(line) = a.ping_line() {
        m = m.content(line);
    }
    if !a.buttons.is_empty() {
        let buttons = a
            .buttons
            .iter()
            .map(|b| {
                serenity::CreateButton::new_link(&b.url)
                    .label(crate::embeds::truncate(&sanitise(b.label.trim()), 80))
            })
            .collect();
        m = m.components(vec![serenity::CreateActionRow::Buttons(buttons)]);
    }
    m
}

/// Where a post went.
#[derive(Debug, Default)]
pub struct Delivery {
    /// Channels posted to.
    pub posted: Vec<ChannelId>,
    /// Channels that refused.
    pub failed: Vec<ChannelId>,
}

/// Posts an announcement to its channels and, with a network, to the approved servers.
pub async fn deliver(http: &Arc<serenity::Http>, data: &Data, s: &Stored) -> Delivery {
    let mut out = Delivery::default();
    let mut targets: Vec<(ChannelId, bool, Option<String>)> =
        s.record.channels.iter().map(|c| (*c, true, None)).collect();
    if let Some(n) = s.record.network {
        let id = NetworkId::new(n);
        match (
            store::network(data.storage(), id).await,
            store::network_members(data.storage(), id).await,
        ) {
            (Ok(Some(net)), Ok(members)) => {
                let l = crate::kernel::i18n::guild_locale(data, Some(s.guild.get())).await;
                let footer = tr!(l, "announce-broadcast-footer", network = net.name.as_str());
                targets.extend(
                    members
                        .into_iter()
                        .filter(|m| m.approved)
                        .map(|m| (m.channel, false, Some(footer.clone()))),
                );
            }
            (Ok(None), _) => {}
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(announcement = %s.id, error = ?e, "network look-up failed");
            }
        }
    }
    for (channel, pings, footer) in targets {
        match channel
            .discord()
            .send_message(http.as_ref(), message(&s.record, pings, footer))
            .await
        {
            Ok(_) => out.posted.push(channel),
            Err(e) => {
                tracing::warn!(announcement = %s.id, channel = %channel, error = ?e, "announcement post refused");
                out.failed.push(channel);
            }
        }
    }
    out
}

/// The job of one occurrence (payload: `{id, at}`).
pub fn post_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some((id, at)) = store::parse_job_payload(&job.payload) else {
            anyhow::bail!(
                "announcements.post job with a bad payload: {}",
                job.payload.0
            );
        };
        let Some(claim) =
            store::claim_due(ctx.data.storage(), id, at, ctx.now, MISSED_GRACE).await?
        else {
            return Ok(()); // cancelled, edited, or taken by another worker
        };
        if claim.skipped > 0 {
            tracing::info!(announcement = %id, skipped = claim.skipped, "missed occurrences skipped");
        }
        if claim.post.is_some() {
            deliver(&ctx.http, &ctx.data, &claim.stored).await;
        }
        Ok(())
    })
}
