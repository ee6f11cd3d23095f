//! `ban`, `unban`, `softban`, `kick`, `timeout`, `untimeout`: check, tell the target, act,
//! record a case, answer with the case.

use chronix_core::moderation::{
    self as rules, Act, ActionArgs, CaseKind, MAX_BAN_DELETE_SECS, MAX_DURATION_SECS,
    MAX_TIMEOUT_SECS,
};
use chronix_storage::moderation::{self, Case, Created, NewCase};

use super::{
    ModRefusal, Perm, audit_reason, check, discord_code, discord_error, dm_target, reason_or_none,
};
use crate::errors::refuse;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Reads the words after the target. Prefix commands get them as words (poise fills the
/// optional parameters greedily), so they are joined again and read by
/// [`rules::parse_action_args`] (a first word that is not a duration starts the reason); slash
/// commands get each option on its own and each is read strictly.
pub fn read_args(
    ctx: Context<'_>,
    l: Locale,
    duration: Option<String>,
    delete: Option<String>,
    reason: Option<String>,
    allow_delete: bool,
    max_secs: i64,
) -> Result<ActionArgs, Error> {
    let res = if matches!(ctx, poise::Context::Prefix(_)) {
        let text = [duration, delete, reason]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        rules::parse_action_args(Some(&text), allow_delete, max_secs)
    } else {
        slash_args(duration, delete, reason, max_secs)
    };
    res.map_err(|e| refuse(l, ModRefusal::Args(e)))
}

fn slash_args(
    duration: Option<String>,
    delete: Option<String>,
    reason: Option<String>,
    max_secs: i64,
) -> Result<ActionArgs, rules::ArgsError> {
    Ok(ActionArgs {
        duration: duration
            .as_deref()
            .map(|d| rules::parse_duration_max(d, max_secs))
            .transpose()?,
        delete: delete
            .as_deref()
            .map(|d| rules::parse_duration_max(d, MAX_BAN_DELETE_SECS))
            .transpose()?,
        reason: rules::clean_reason(reason.as_deref())?,
    })
}

/// A checked reason (at most 512 characters; empty is none).
pub fn read_reason(l: Locale, reason: Option<String>) -> Result<Option<String>, Error> {
    rules::clean_reason(reason.as_deref()).map_err(|e| refuse(l, ModRefusal::Args(e)))
}

/// Records the author's case of `kind` on `target` (with its expiry job when timed).
pub async fn record(
    ctx: Context<'_>,
    c: &Caller,
    kind: CaseKind,
    target: serenity::UserId,
    reason: Option<String>,
    duration: Option<chrono::Duration>,
) -> Result<Case, Error> {
    let gid = c.guild.ok_or(UserError::GuildOnly)?;
    let mut new = NewCase::new(gid, kind, target.core(), c.user);
    new.reason = reason;
    new.duration = duration;
    if kind.is_timed() {
        new.expire_job = Some(super::expire::EXPIRE_JOB);
    }
    record_case(ctx, c, new).await
}

/// Records `new` (linked to the command message) with its audit entry.
pub async fn record_case(ctx: Context<'_>, c: &Caller, mut new: NewCase) -> Result<Case, Error> {
    if let poise::Context::Prefix(p) = ctx {
        new.linked_messages = vec![p.msg.id.core()];
    }
    match moderation::create(ctx.data().storage(), &new, c.now).await? {
        Created::New(c) => {
            crate::audit::record(ctx.data(), super::case_audit(&c)).await?;
            Ok(c)
        }
        Created::AlreadyRecorded(n) => {
            anyhow::bail!("a bot case was reported as already recorded (#{n})")
        }
    }
}

/// What every action reads first: the caller (language, server, time), then its words in the
/// order they are written.
struct Prep {
    c: Caller,
    l: Locale,
    gid: serenity::GuildId,
    reason: Option<String>,
}

async fn prepare(ctx: Context<'_>, reason: Option<String>) -> Result<Prep, Error> {
    Ok(prepare_timed(ctx, None, reason).await?.0)
}

/// [`prepare`] with a duration (`text`, at most `max` seconds) written before the reason: a bad
/// duration is refused first, then a bad reason.
async fn prepare_timed(
    ctx: Context<'_>,
    duration: Option<(&str, i64)>,
    reason: Option<String>,
) -> Result<(Prep, Option<chrono::Duration>), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let gid = c.guild.ok_or(UserError::GuildOnly)?.discord();
    let duration = duration
        .map(|(text, max)| rules::parse_duration_max(text, max))
        .transpose()
        .map_err(|e| refuse(l, ModRefusal::Args(e.into())))?;
    let reason = read_reason(l, reason)?;
    Ok((Prep { c, l, gid, reason }, duration))
}

/// Checks the author may act on `user` with `perm` and that `user` is a member of the server.
async fn member_target(
    ctx: Context<'_>,
    p: &Prep,
    user: serenity::UserId,
    perm: Perm,
) -> Result<(), Error> {
    let checked = check(ctx, &p.c, user, Some(perm), Act::OnMember).await?;
    if checked.target_roles.is_none() {
        return Err(refuse(p.l, ModRefusal::NotAMember(user.core())));
    }
    Ok(())
}

/// Ends `user`'s running timed case of `kind` (its expiry job then finds it over), returning it.
async fn end_running(
    ctx: Context<'_>,
    p: &Prep,
    user: serenity::UserId,
    kind: CaseKind,
) -> Result<Option<Case>, Error> {
    let storage = ctx.data().storage();
    let running = moderation::active_timed(storage, p.gid.core(), user.core(), kind).await?;
    if let Some(r) = &running {
        moderation::end(storage, r.id, p.c.now).await?;
    }
    Ok(running)
}

/// Records the case and answers with it.
async fn record_and_answer(
    ctx: Context<'_>,
    p: Prep,
    kind: CaseKind,
    user: &serenity::User,
    duration: Option<chrono::Duration>,
    dm: bool,
) -> Result<(), Error> {
    let case = record(ctx, &p.c, kind, user.id, p.reason, duration).await?;
    ctx.send(embeds::reply(done_embed(p.l, &user.name, &case, dm)))
        .await?;
    Ok(())
}

/// The answer to an action: what happened, the case number, the reason, the DM status.
pub fn done_embed(l: Locale, name: &str, case: &Case, dm: bool) -> Embed {
    let dur = case
        .duration
        .map(chronix_core::moderation::format_span)
        .unwrap_or_default();
    let title = match case.kind {
        CaseKind::Ban => tr!(l, "moderation-done-ban", user = name),
        CaseKind::TempBan => tr!(l, "moderation-done-tempban", user = name, duration = dur),
        CaseKind::Unban => tr!(l, "moderation-done-unban", user = name),
        CaseKind::Softban => tr!(l, "moderation-done-softban", user = name),
        CaseKind::Kick => tr!(l, "moderation-done-kick", user = name),
        CaseKind::Timeout => tr!(l, "moderation-done-timeout", user = name, duration = dur),
        CaseKind::Untimeout => tr!(l, "moderation-done-untimeout", user = name),
        CaseKind::Warn => tr!(l, "moderation-done-warn", user = name),
        CaseKind::MassBan | CaseKind::MassKick => super::kind_name(l, case.kind),
        CaseKind::RoleAdd => tr!(l, "moderation-done-role-add", user = name),
        CaseKind::RoleRemove => tr!(l, "moderation-done-role-remove", user = name),
        CaseKind::Lock | CaseKind::Unlock | CaseKind::Lockdown | CaseKind::LockdownEnd => {
            super::kind_name(l, case.kind)
        }
    };
    let mut e = Embed::success(title)
        .field(
            tr!(l, "moderation-field-case"),
            format!("#{}", case.number),
            true,
        )
        .field(
            super::target_label(l, case.target),
            super::target_text(l, case.target),
            true,
        )
        .field(
            tr!(l, "moderation-field-reason"),
            reason_or_none(l, case.reason.as_deref()),
            false,
        );
    if let Some(at) = case.expires_at {
        e = e.field(
            tr!(l, "moderation-field-expires"),
            format!("<t:{}:f> (<t:{}:R>)", at.timestamp(), at.timestamp()),
            true,
        );
    }
    if let Some(r) = case.role {
        e = e.field(
            tr!(l, "moderation-field-role"),
            super::role_mention(r),
            true,
        );
    }
    if !matches!(
        case.kind,
        CaseKind::Unban | CaseKind::Untimeout | CaseKind::RoleAdd | CaseKind::RoleRemove
    ) {
        e = e.footer(if dm {
            tr!(l, "moderation-dm-sent")
        } else {
            tr!(l, "moderation-dm-not-sent")
        });
    }
    e
}

/// Ban a user (a duration makes it a temp-ban; `--delete 1d` deletes their recent messages).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn ban(
    ctx: Context<'_>,
    #[description = "Who to ban (a member or a user id)"] user: serenity::User,
    #[description = "How long (10m, 2h, 7d, 1h30m); none for a permanent ban"] duration: Option<
        String,
    >,
    #[description = "Delete their messages of the last … (at most 7d)"] delete: Option<String>,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let (p, _) = prepare_timed(ctx, None, None).await?;
    let (l, gid) = (p.l, p.gid);
    let args = read_args(ctx, l, duration, delete, reason, true, MAX_DURATION_SECS)?;
    let checked = check(ctx, &p.c, user.id, Some(Perm::BanMembers), Act::OnMember).await?;
    let kind = if args.duration.is_some() {
        CaseKind::TempBan
    } else {
        CaseKind::Ban
    };
    let dm = if checked.target_roles.is_some() {
        dm_target(ctx, user.id, kind, args.reason.as_deref(), args.duration).await
    } else {
        false
    };
    ctx.http()
        .ban_user(
            gid,
            user.id,
            rules::delete_message_days(args.delete),
            Some(&audit_reason(&ctx.author().name, args.reason.as_deref())),
        )
        .await
        .map_err(|e| discord_error(l, e, Perm::BanMembers))?;
    // A running temp-ban is replaced: a permanent ban makes it permanent, a new duration
    // replaces its end (its job then finds it over and does nothing).
    let running = end_running(ctx, &p, user.id, CaseKind::TempBan).await?;
    let case = record(ctx, &p.c, kind, user.id, args.reason, args.duration).await?;
    let mut e = done_embed(l, &user.name, &case, dm);
    if let Some(r) = running {
        e = e.description(if kind == CaseKind::Ban {
            tr!(l, "moderation-made-permanent", number = u64::from(r.number))
        } else {
            tr!(
                l,
                "moderation-replaced-tempban",
                number = u64::from(r.number)
            )
        });
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Lift a ban.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn unban(
    ctx: Context<'_>,
    #[description = "Who to unban (a user id)"] user: serenity::User,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let p = prepare(ctx, reason).await?;
    let (l, gid) = (p.l, p.gid);
    let have = crate::perms::author_permissions(ctx).await;
    if !have.ban_members() && !have.administrator() {
        return Err(refuse(l, ModRefusal::YouLack(Perm::BanMembers)));
    }
    match ctx
        .http()
        .remove_ban(
            gid,
            user.id,
            Some(&audit_reason(&ctx.author().name, p.reason.as_deref())),
        )
        .await
    {
        Ok(()) => {}
        Err(e) if discord_code(&e) == Some(10026) => {
            return Err(refuse(l, ModRefusal::NotBanned(user.id.core())));
        }
        Err(e) => return Err(discord_error(l, e, Perm::BanMembers)),
    }
    end_running(ctx, &p, user.id, CaseKind::TempBan).await?;
    record_and_answer(ctx, p, CaseKind::Unban, &user, None, false).await
}

/// Ban then unban at once: removes the member and their last day of messages.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn softban(
    ctx: Context<'_>,
    #[description = "Who to softban"] user: serenity::User,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let p = prepare(ctx, reason).await?;
    let (l, gid) = (p.l, p.gid);
    let checked = check(ctx, &p.c, user.id, Some(Perm::BanMembers), Act::OnMember).await?;
    let dm = if checked.target_roles.is_some() {
        dm_target(ctx, user.id, CaseKind::Softban, p.reason.as_deref(), None).await
    } else {
        false
    };
    let audit = audit_reason(&ctx.author().name, p.reason.as_deref());
    ctx.http()
        .ban_user(gid, user.id, 1, Some(&audit))
        .await
        .map_err(|e| discord_error(l, e, Perm::BanMembers))?;
    ctx.http()
        .remove_ban(gid, user.id, Some(&audit))
        .await
        .map_err(|e| discord_error(l, e, Perm::BanMembers))?;
    record_and_answer(ctx, p, CaseKind::Softban, &user, None, dm).await
}

/// Remove a member from the server (they can join again).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn kick(
    ctx: Context<'_>,
    #[description = "Who to kick"] user: serenity::User,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let p = prepare(ctx, reason).await?;
    let (l, gid) = (p.l, p.gid);
    member_target(ctx, &p, user.id, Perm::KickMembers).await?;
    let dm = dm_target(ctx, user.id, CaseKind::Kick, p.reason.as_deref(), None).await;
    ctx.http()
        .kick_member(
            gid,
            user.id,
            Some(&audit_reason(&ctx.author().name, p.reason.as_deref())),
        )
        .await
        .map_err(|e| discord_error(l, e, Perm::KickMembers))?;
    record_and_answer(ctx, p, CaseKind::Kick, &user, None, dm).await
}

/// Time a member out with Discord's timeout (10m, 2h, 7d; at most 28 days).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn timeout(
    ctx: Context<'_>,
    #[description = "Who to time out"] user: serenity::User,
    #[description = "How long (10m, 2h, 7d, 1h30m; at most 28d)"] duration: String,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    // The duration is written first, so a bad one is refused before a bad reason.
    let (p, d) = prepare_timed(ctx, Some((&duration, MAX_TIMEOUT_SECS)), reason).await?;
    let (l, gid) = (p.l, p.gid);
    let d = d.ok_or_else(|| anyhow::anyhow!("a timeout duration was read"))?;
    member_target(ctx, &p, user.id, Perm::ModerateMembers).await?;
    let until = p.c.now + d;
    let ts = serenity::Timestamp::from_unix_timestamp(until.timestamp())?;
    let audit = audit_reason(&ctx.author().name, p.reason.as_deref());
    gid.edit_member(
        ctx.http(),
        user.id,
        serenity::EditMember::new()
            .disable_communication_until_datetime(ts)
            .audit_log_reason(&audit),
    )
    .await
    .map_err(|e| discord_error(l, e, Perm::ModerateMembers))?;
    end_running(ctx, &p, user.id, CaseKind::Timeout).await?;
    let case = record(
        ctx,
        &p.c,
        CaseKind::Timeout,
        user.id,
        p.reason.clone(),
        Some(d),
    )
    .await?;
    let dm = dm_target(
        ctx,
        user.id,
        CaseKind::Timeout,
        p.reason.as_deref(),
        Some(d),
    )
    .await;
    ctx.send(embeds::reply(done_embed(l, &user.name, &case, dm)))
        .await?;
    Ok(())
}

/// Lift a member's timeout.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn untimeout(
    ctx: Context<'_>,
    #[description = "Whose timeout to lift"] user: serenity::User,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let p = prepare(ctx, reason).await?;
    let (l, gid) = (p.l, p.gid);
    check(
        ctx,
        &p.c,
        user.id,
        Some(Perm::ModerateMembers),
        Act::OnMember,
    )
    .await?;
    let member = match ctx.http().get_member(gid, user.id).await {
        Ok(m) => m,
        Err(e) if discord_code(&e) == Some(10007) => {
            return Err(refuse(l, ModRefusal::NotAMember(user.id.core())));
        }
        Err(e) => return Err(e.into()),
    };
    let timed_out = member
        .communication_disabled_until
        .is_some_and(|t| t.unix_timestamp() > p.c.now.timestamp());
    if !timed_out {
        return Err(refuse(l, ModRefusal::NotTimedOut(user.id.core())));
    }
    let audit = audit_reason(&ctx.author().name, p.reason.as_deref());
    gid.edit_member(
        ctx.http(),
        user.id,
        serenity::EditMember::new()
            .enable_communication()
            .audit_log_reason(&audit),
    )
    .await
    .map_err(|e| discord_error(l, e, Perm::ModerateMembers))?;
    end_running(ctx, &p, user.id, CaseKind::Timeout).await?;
    record_and_answer(ctx, p, CaseKind::Untimeout, &user, None, false).await
}
