//! Owner actions that affect another server: stored, confirmed by a click in the dev server,
//! expired by a job; or, with `FORCE_OWNER_OVERRIDE=true`, previewed in place and audited as a
//! bypass.
//!
//! The actions (`owner.leave`, `owner.unban_me`, `owner.broadcast`) are data: a name and a JSON
//! payload, run by [`run`] after the click, read from the row (never trusted from the button).

use std::time::Duration;

use chronix_storage::owner::{self as store, Pending, PendingId};
use chrono::Utc;
use serde_json::{Value, json};

use super::{notify_owner, record, refusal};
use crate::audit::Audit;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;
use crate::ui::confirm::{self, Answer};
use chronix_storage::jobs::Job;

/// `custom_id` prefix of the Confirm buttons (`chx:own:<pending id>`).
pub const PREFIX: &str = "chx:own:";
/// The job that expires a pending action.
pub const EXPIRE_JOB: &str = "owner.pending_expire";

/// What an owner asks for.
pub struct Request {
    /// `owner.leave`, `owner.unban_me`, `owner.broadcast`.
    pub action: &'static str,
    /// The server it affects (none: every server).
    pub guild: Option<serenity::GuildId>,
    /// Its arguments.
    pub payload: Value,
    /// The preview: what will happen.
    pub preview: Embed,
}

/// Runs `req` now (override: after a preview dialog) or stores it for confirmation.
pub async fn guard(ctx: Context<'_>, req: Request) -> Result<(), Error> {
    let data = ctx.data();
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let (actor, here) = (who.user, who.guild);
    if data.config().force_owner_override {
        let changes: Vec<confirm::Change> = Vec::new();
        let question = req.preview.description.clone().unwrap_or_default();
        let title = req.preview.title.clone();
        let Answer::Confirmed(ci) =
            confirm::ask(ctx, &title, &question, &changes, Duration::from_secs(120)).await?
        else {
            return Ok(());
        };
        let bypass = Audit::new(actor, here, "owner.override")
            .target(req.action)
            .with("payload", req.payload.clone());
        let copy = Embed::warning(tr!(l, "owner-override-title")).description(tr!(
            l,
            "owner-override",
            action = req.action
        ));
        record(data, ctx.http(), bypass, copy).await?;
        let result = run(
            data,
            ctx.http(),
            l,
            actor,
            req.action,
            req.guild,
            &req.payload,
        )
        .await?;
        confirm::done(ctx.serenity_context(), &ci, result).await?;
        return Ok(());
    }
    let now = who.now;
    let ttl = chrono::Duration::seconds(data.config().owner_confirm_ttl_secs as i64);
    let pending = store::pending_create(
        data.storage(),
        req.action,
        &req.payload,
        req.guild.map(|g| g.core()),
        actor,
        now,
        now + ttl,
    )
    .await?;
    let embed = req
        .preview
        .field(
            tr!(l, "owner-pending-field"),
            tr!(l, "owner-pending-waiting", id = pending.id.get()),
            false,
        )
        .field(
            tr!(l, "owner-pending-expires"),
            format!("<t:{}:R>", pending.expires_at.timestamp()),
            true,
        );
    let row = serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}{}", pending.id.get()))
            .label(tr!(l, "owner-pending-confirm"))
            .style(serenity::ButtonStyle::Danger),
    ]);
    let handle = ctx.send(embeds::reply(embed).components(vec![row])).await?;
    let msg = handle.message().await?;
    store::pending_set_message(
        data.storage(),
        pending.id,
        msg.channel_id.core(),
        msg.id.core(),
    )
    .await?;
    crate::scheduler::enqueue(
        data,
        EXPIRE_JOB,
        json!({ "id": pending.id.get() }),
        pending.expires_at,
        Some(format!("owner-pending:{}", pending.id.get())),
    )
    .await?;
    Ok(())
}

/// The Confirm click: only the owner; the action is read from its row and runs once.
pub fn on_button<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let Some(id) = ci
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .and_then(|s| s.parse::<i64>().ok())
        else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        if data.config().owner_id != Some(ci.user.id.get()) {
            return Err(UserError::MissingTier {
                required: Tier::Owner,
                command: "owner".into(),
            }
            .into());
        }
        let p = store::pending_take(data.storage(), PendingId::new(id), Utc::now())
            .await
            .map_err(|e| refusal(l, e))?;
        let result = run(
            data,
            &ctx.http,
            l,
            p.requested_by,
            &p.action,
            p.guild.map(|g| g.discord()),
            &p.payload,
        )
        .await?;
        let result = result.footer(tr!(l, "owner-pending-done", id = id));
        confirm::done(ctx, ci, result).await
    })
}

/// Expires a pending action at its time and strips its button.
pub fn expire_job<'a>(ctx: &'a JobContext, job: &'a Job) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some(id) = job.payload.0.get("id").and_then(Value::as_i64) else {
            return Ok(());
        };
        let Some(p) =
            store::pending_expire(ctx.data.storage(), PendingId::new(id), ctx.now).await?
        else {
            return Ok(());
        };
        edit_expired(ctx, &p).await;
        let l = Locale::EN;
        notify_owner(
            &ctx.data,
            &ctx.http,
            Embed::info(tr!(l, "owner-pending-expired-title")).description(tr!(
                l,
                "owner-pending-expired",
                id = id,
                action = p.action.as_str()
            )),
        )
        .await;
        Ok(())
    })
}

async fn edit_expired(ctx: &JobContext, p: &Pending) {
    let (Some(channel), Some(message)) = (p.channel, p.message) else {
        return;
    };
    let l = crate::kernel::i18n::guild_locale(&ctx.data, ctx.data.config().dev_guild_id).await;
    let e = Embed::info(tr!(l, "owner-pending-expired-title")).description(tr!(
        l,
        "owner-pending-expired",
        id = p.id.get(),
        action = p.action.as_str()
    ));
    let edit = serenity::EditMessage::new()
        .embed(e.into())
        .components(Vec::new());
    if let Err(e) = channel
        .discord()
        .edit_message(&ctx.http, message.discord(), edit)
        .await
    {
        tracing::debug!(error = %e, "could not edit an expired owner confirmation");
    }
}

/// Runs a confirmed action; returns what to show. Audited and copied to the owner.
pub async fn run(
    data: &Data,
    http: &serenity::Http,
    l: Locale,
    actor: chronix_core::ids::UserId,
    action: &str,
    guild: Option<serenity::GuildId>,
    payload: &Value,
) -> Result<Embed, Error> {
    let audit = Audit::new(actor, guild.map(|g| g.core()), action);
    let name = |g: serenity::GuildId| {
        data.guilds()
            .facts(g)
            .map(|f| format!("{} ({g})", f.name))
            .unwrap_or_else(|| g.to_string())
    };
    match (action, guild) {
        ("owner.leave", Some(g)) => {
            let shown = name(g);
            http.leave_guild(g).await?;
            let e = Embed::success(tr!(l, "owner-left", guild = shown.as_str()));
            record(data, http, audit.target(g.get()), e.clone()).await?;
            Ok(e)
        }
        ("owner.unban_me", Some(g)) => {
            let me = serenity::UserId::new(actor.get());
            let reason = tr!(l, "owner-unban-reason");
            http.remove_ban(g, me, Some(&reason)).await?;
            let invite = fresh_invite(http, g).await;
            let link = invite
                .as_deref()
                .map(|c| format!("https://discord.gg/{c}"))
                .unwrap_or_else(|| tr!(l, "owner-no-invite"));
            let e = Embed::success(tr!(l, "owner-unbanned", guild = name(g))).field(
                tr!(l, "owner-invite"),
                link.clone(),
                false,
            );
            record(
                data,
                http,
                audit.target(g.get()).with("invite", invite),
                e.clone(),
            )
            .await?;
            Ok(e)
        }
        ("owner.broadcast", _) => {
            let text = payload
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let (sent, failed) = broadcast(data, http, &text).await;
            let e = Embed::success(tr!(l, "owner-broadcast-done", sent = sent, failed = failed));
            record(
                data,
                http,
                audit
                    .with("text", text)
                    .with("sent", sent)
                    .with("failed", failed),
                e.clone(),
            )
            .await?;
            Ok(e)
        }
        _ => anyhow::bail!("unknown owner action {action}"),
    }
}

/// A single-use, one-day invite to the first text channel the bot can invite to.
async fn fresh_invite(http: &serenity::Http, g: serenity::GuildId) -> Option<String> {
    let channels = http.get_channels(g).await.ok()?;
    for c in channels
        .iter()
        .filter(|c| c.kind == serenity::ChannelType::Text)
    {
        let body = json!({ "max_age": 86_400, "max_uses": 1, "unique": true });
        if let Ok(inv) = http.create_invite(c.id, &body, None).await {
            return Some(inv.code);
        }
    }
    None
}

/// Sends `text` to every known server's announcement (public updates) or system channel.
/// Returns `(sent, failed)`.
async fn broadcast(data: &Data, http: &serenity::Http, text: &str) -> (u64, u64) {
    let (mut sent, mut failed) = (0u64, 0u64);
    for g in data.guilds().ids() {
        let target = match http.get_guild(g).await {
            Ok(pg) => pg.public_updates_channel_id.or(pg.system_channel_id),
            Err(_) => None,
        };
        let Some(channel) = target else {
            failed += 1;
            continue;
        };
        let l = crate::kernel::i18n::guild_locale(data, Some(g.get())).await;
        let e = Embed::info(tr!(l, "owner-broadcast-title")).description(text);
        match channel.send_message(http, embeds::message(e)).await {
            Ok(_) => sent += 1,
            Err(e) => {
                tracing::debug!(guild = g.get(), error = %e, "broadcast not delivered");
                failed += 1;
            }
        }
    }
    (sent, failed)
}
