//! `owner`: the owner's and developers' tools, bound to the dev server (`DEV_GUILD_ID`).
//!
//! * [`commands`]: `owner guilds` (paged), `owner leave`, `owner broadcast`, `owner blacklist`
//!   / `owner unblacklist`, `owner grant` / `owner take` (Chrons or items, ledgered, reason
//!   required), `owner unban-me`, `owner sql` (read-only), `owner backup`, `owner pending`.
//! * [`guard`]: an owner action that affects another server (`leave`, `unban-me`,
//!   `broadcast`) with `FORCE_OWNER_OVERRIDE=false` is stored in `owner_pending` and waits for
//!   the owner's Confirm click in the dev server (the button carries only the row id); the job
//!   `owner.pending_expire` closes it at its expiry. With the override on, a preview dialog is
//!   answered in place and the bypass is audited (`owner.override`).
//! * [`dev`]: `dev panel` (a live panel: uptime, gateway, commands and errors per minute,
//!   features with a runtime switch, caches, database, scheduler; buttons for recent errors and
//!   the effective configuration), `dev elevate <minutes>` (dev commands outside the dev server
//!   until the elevation expires, each one audited), `dev error <id>`.
//! * [`trail`]: `audit show` (paged; filters `user:`, `action:`, `since:`) and `audit verify`.
//! * [`jobs`]: the scheduled backup (`BACKUP_INTERVAL`, `BACKUP_KEEP`, `BACKUP_DIR`) and the
//!   hourly health report (`HEALTH_REPORT_CHANNEL_ID`).
//!
//! Every owner action is appended to the audit trail and copied to `OWNER_DM_WEBHOOK_URL` when
//! it is set. Blacklisted users' commands are refused by the kernel's check (this feature loads
//! the list at start); a blacklisted server is left when the bot joins it.

pub mod commands;
pub mod dev;
pub mod guard;
pub mod jobs;
pub mod trail;

use std::sync::Arc;

use chronix_storage::owner::{self as store, Blacklisted, OwnerRefusal};
use chronix_storage::{Refusal as StorageRefusal, StorageError};

use crate::events::{Event, EventKind};
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobKind;

/// The owner feature.
pub fn feature() -> Feature {
    Feature::new("owner", all_commands)
        .component(guard::PREFIX, guard::on_button)
        .component(dev::PREFIX, dev::on_component)
        .pages(commands::GUILD_PAGES, commands::draw_guilds)
        .pages(trail::AUDIT_PAGES, trail::draw_audit)
        .job(JobKind::once(guard::EXPIRE_JOB, guard::expire_job))
        .job(JobKind::every(
            jobs::BACKUP_JOB,
            chrono::Duration::minutes(10),
            jobs::backup_job,
        ))
        .job(JobKind::every(
            jobs::HEALTH_JOB,
            chrono::Duration::hours(1),
            jobs::health_job,
        ))
        .tick(Arc::new(dev::PanelTick::default()))
        .on(&[EventKind::GuildJoin], on_guild_join)
        .on_start(load_blacklist)
        .config_keys(&[
            "OWNER_DM_WEBHOOK_URL",
            "OWNER_CONFIRM_TTL_SECS",
            "HEALTH_REPORT_CHANNEL_ID",
            "BACKUP_INTERVAL",
            "BACKUP_KEEP",
            "BACKUP_DIR",
        ])
}

/// The owner, dev and audit commands (all dev-server only).
pub fn all_commands() -> Vec<Command> {
    vec![commands::owner(), dev::dev(), trail::audit()]
}

/// Loads the blacklisted users into the kernel's check, and the features switched off from the
/// dev panel.
fn load_blacklist(data: &Data) -> BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(async move {
        for e in store::blacklist(data.storage()).await? {
            if let Blacklisted::User(u) = e.target {
                data.blocked_users().insert(u.get());
            }
        }
        // Features a dev switched off for everyone stay off across restarts.
        for name in store::switched_off_features(data.storage()).await? {
            if !data.switch_feature(&name, false) {
                tracing::warn!(feature = %name, "a stored feature switch names no feature; ignored");
            }
        }
        Ok(())
    })
}

/// Leaves a blacklisted server as soon as the bot joins it.
fn on_guild_join<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::GuildJoin { guild, .. } = event else {
            return Ok(());
        };
        let gid = guild.id.core();
        if store::is_blacklisted(data.storage(), Blacklisted::Guild(gid)).await? {
            tracing::warn!(guild = gid.get(), "leaving a blacklisted server");
            ctx.http.leave_guild(guild.id).await?;
            let e =
                Embed::warning(tr!(Locale::EN, "owner-blacklisted-left-title")).description(tr!(
                    Locale::EN,
                    "owner-blacklisted-left",
                    guild = format!("{} ({})", guild.name, gid.get())
                ));
            notify_owner(data, &ctx.http, e).await;
        }
        Ok(())
    })
}

/// The owner's typed refusals, as the user reads them.
pub fn refusal(l: Locale, e: StorageError) -> Error {
    let text = match &e {
        StorageError::Refused(StorageRefusal::Owner(r)) => match r {
            OwnerRefusal::NotASelect => tr!(l, "owner-sql-not-select"),
            OwnerRefusal::Query(msg) => {
                tr!(l, "owner-sql-failed", error = embeds::truncate(msg, 1500))
            }
            OwnerRefusal::PendingClosed(id) => tr!(l, "owner-pending-closed", id = *id),
            OwnerRefusal::BlacklistUnchanged => tr!(l, "owner-blacklist-unchanged"),
        },
        StorageError::Refused(StorageRefusal::InsufficientFunds { needed, available }) => tr!(
            l,
            "owner-take-too-much",
            needed = needed.get(),
            available = available.get()
        ),
        StorageError::Refused(StorageRefusal::NotEnoughItems {
            item,
            needed,
            available,
        }) => tr!(
            l,
            "owner-take-too-many",
            item = item.as_str(),
            needed = *needed,
            available = *available
        ),
        StorageError::Refused(StorageRefusal::InvalidAmount(n)) => {
            tr!(l, "owner-bad-amount", amount = *n)
        }
        StorageError::NotFound(chronix_storage::Missing::ItemDefinition(key)) => {
            tr!(l, "owner-unknown-item", item = key.as_str())
        }
        _ => return e.into(),
    };
    UserError::Refused {
        title: tr!(l, "error-title-cannot"),
        text,
    }
    .into()
}

/// Appends an owner/dev action to the audit trail and copies it to the owner's webhook.
pub async fn record(
    data: &Data,
    http: &serenity::Http,
    audit: crate::audit::Audit,
    copy: Embed,
) -> Result<i64, Error> {
    let entry = crate::audit::record(data, audit).await?;
    notify_owner(data, http, copy.footer(format!("audit #{}", entry.id))).await;
    Ok(entry.id)
}

/// Posts `embed` to `OWNER_DM_WEBHOOK_URL` when set (failures are logged, never raised).
pub async fn notify_owner(data: &Data, http: &serenity::Http, embed: Embed) {
    let Some(url) = data.config().owner_dm_webhook_url.expose() else {
        return;
    };
    let Some((id, token)) = parse_webhook(url) else {
        tracing::warn!("OWNER_DM_WEBHOOK_URL is not a webhook URL (…/webhooks/<id>/<token>)");
        return;
    };
    let hook = serenity::ExecuteWebhook::new()
        .embed(embed.into())
        .allowed_mentions(embeds::no_mentions());
    if let Err(e) = http
        .execute_webhook(
            serenity::WebhookId::new(id),
            None,
            &token,
            false,
            Vec::new(),
            &hook,
        )
        .await
    {
        tracing::warn!(error = %e, "could not copy an owner action to the owner's webhook");
    }
}

/// `(id, token)` of a webhook URL `…/webhooks/<id>/<token>[?…]`.
pub fn parse_webhook(url: &str) -> Option<(u64, String)> {
    let rest = url.split("/webhooks/").nth(1)?;
    let mut parts = rest.split(['/', '?']);
    let id = parts.next()?.parse::<u64>().ok().filter(|n| *n > 0)?;
    let token = parts.next().filter(|t| !t.is_empty())?;
    Some((id, token.to_string()))
}

/// A guild id typed by the owner (`123…`).
pub fn parse_guild(l: Locale, text: &str) -> Result<serenity::GuildId, Error> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(serenity::GuildId::new)
        .ok_or_else(|| {
            UserError::InvalidInput(tr!(l, "owner-bad-guild", text = embeds::truncate(text, 40)))
                .into()
        })
}

/// Whether `user` is the owner or a dev.
pub fn is_dev(data: &Data, user: u64) -> bool {
    data.config().owner_id == Some(user) || data.config().dev_ids.contains(&user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_parse() {
        assert_eq!(
            parse_webhook("https://discord.com/api/webhooks/123/abc-DEF"),
            Some((123, "abc-DEF".into()))
        );
        assert_eq!(
            parse_webhook("http://127.0.0.1:9/api/v10/webhooks/5/tok?wait=true"),
            Some((5, "tok".into()))
        );
        assert_eq!(parse_webhook("https://discord.com/api/webhooks/123"), None);
        assert_eq!(parse_webhook("https://example.com/x"), None);
    }
}
