//! Warnings and cases: `warn`, `warnings`, `unwarn`, `clearwarns`, `case <n>` (`case show`),
//! `case reason`, `case delete` (admin, audited), `modlogs @user` (paged), `moddm`.

use chronix_core::moderation::{Act, CaseKind};
use chronix_storage::moderation;

use super::actions::{done_embed, read_reason, record};
use super::{ModRefusal, case_embed, check, dm_target, kind_name, mention, storage_error};
use crate::errors::refuse;
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::ui::paginator::{self, Delivery, Page, PageRequest};

/// Page source of `modlogs` (state: the target's user id).
pub const MODLOG_PAGES: &str = "modlogs";
/// Cases per `modlogs` page.
const PER_PAGE: i64 = 8;

/// Warn a member: a case, and a DM to them.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn warn(
    ctx: Context<'_>,
    #[description = "Who to warn"] user: serenity::User,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let reason = read_reason(l, reason)?;
    check(ctx, &who, user.id, None, Act::Warn).await?;
    let case = record(ctx, &who, CaseKind::Warn, user.id, reason.clone(), None).await?;
    let dm = dm_target(ctx, user.id, CaseKind::Warn, reason.as_deref(), None).await;
    ctx.send(embeds::reply(done_embed(l, &user.name, &case, dm)))
        .await?;
    Ok(())
}

/// A member's active warnings.
#[poise::command(prefix_command, slash_command, guild_only, aliases("warns"), custom_data = Tier::Mod)]
pub async fn warnings(
    ctx: Context<'_>,
    #[description = "Whose warnings"] user: serenity::User,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    let list = moderation::warnings(ctx.data().storage(), gid, user.id.core()).await?;
    let title = tr!(
        l,
        "moderation-warnings-title",
        user = user.name.as_str(),
        count = list.len() as u64
    );
    let body = if list.is_empty() {
        tr!(
            l,
            "moderation-warnings-empty",
            user = mention(user.id.core())
        )
    } else {
        list.iter()
            .map(|c| {
                tr!(
                    l,
                    "moderation-warnings-line",
                    number = u64::from(c.number),
                    reason = super::reason_or_none(l, c.reason.as_deref()),
                    moderator = mention(c.moderator),
                    at = format!("<t:{}:R>", c.created_at.timestamp())
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    ctx.send(embeds::reply(Embed::info(title).description(body)))
        .await?;
    Ok(())
}

/// Remove one warning by its case number.
#[poise::command(prefix_command, slash_command, guild_only, aliases("delwarn"), custom_data = Tier::Mod)]
pub async fn unwarn(
    ctx: Context<'_>,
    #[description = "The warning's case number"] case: u32,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    let c = moderation::unwarn(ctx.data().storage(), gid, case, who.now)
        .await
        .map_err(|e| storage_error(l, e))?;
    ctx.send(embeds::reply(
        Embed::success(tr!(
            l,
            "moderation-unwarn-done",
            number = u64::from(c.number)
        ))
        .description(tr!(
            l,
            "moderation-unwarn-text",
            user = super::target_text(l, c.target)
        )),
    ))
    .await?;
    Ok(())
}

/// Remove every active warning of a member.
#[poise::command(prefix_command, slash_command, guild_only, aliases("clearwarnings"), custom_data = Tier::Mod)]
pub async fn clearwarns(
    ctx: Context<'_>,
    #[description = "Whose warnings to remove"] user: serenity::User,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    let n = moderation::clear_warnings(ctx.data().storage(), gid, user.id.core(), who.now).await?;
    ctx.send(embeds::reply(Embed::success(tr!(
        l,
        "moderation-clearwarns-done",
        count = n,
        user = user.name.as_str()
    ))))
    .await?;
    Ok(())
}

/// A case by number (`case 12`); `case reason`, `case delete`.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("case_show", "case_reason", "case_delete"),
    custom_data = Tier::Mod
)]
pub async fn case(
    ctx: Context<'_>,
    #[description = "Case number"] number: u32,
) -> Result<(), Error> {
    show_case(ctx, number).await
}

async fn show_case(ctx: Context<'_>, number: u32) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    let Some(c) = moderation::get(ctx.data().storage(), gid, number).await? else {
        return Err(refuse(
            l,
            ModRefusal::Case(moderation::ModerationRefusal::NoSuchCase(number)),
        ));
    };
    ctx.send(embeds::reply(case_embed(l, &c))).await?;
    Ok(())
}

/// Show a case.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "show",
    custom_data = Tier::Mod
)]
pub async fn case_show(
    ctx: Context<'_>,
    #[description = "Case number"] number: u32,
) -> Result<(), Error> {
    show_case(ctx, number).await
}

/// Set or change a case's reason.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "reason",
    custom_data = Tier::Mod
)]
pub async fn case_reason(
    ctx: Context<'_>,
    #[description = "Case number"] number: u32,
    #[description = "The new reason"]
    #[rest]
    reason: String,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    let Some(reason) = read_reason(l, Some(reason))? else {
        return Err(UserError::InvalidInput(tr!(l, "moderation-reason-empty")).into());
    };
    let c = moderation::set_reason(ctx.data().storage(), gid, number, &reason, who.now)
        .await
        .map_err(|e| storage_error(l, e))?;
    ctx.send(embeds::reply(
        Embed::success(tr!(
            l,
            "moderation-reason-updated",
            number = u64::from(c.number)
        ))
        .description(super::reason_or_none(l, c.reason.as_deref())),
    ))
    .await?;
    Ok(())
}

/// Delete a case (admins; recorded in the audit trail; the number is not reused).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "delete",
    custom_data = Tier::Admin
)]
pub async fn case_delete(
    ctx: Context<'_>,
    #[description = "Case number"] number: u32,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    let c = moderation::delete(ctx.data().storage(), gid, number, who.user, who.now)
        .await
        .map_err(|e| storage_error(l, e))?;
    ctx.send(embeds::reply(
        Embed::success(tr!(
            l,
            "moderation-case-deleted",
            number = u64::from(c.number)
        ))
        .description(tr!(
            l,
            "moderation-case-deleted-text",
            kind = kind_name(l, c.kind),
            user = super::target_text(l, c.target)
        )),
    ))
    .await?;
    Ok(())
}

/// A member's cases on this server, newest first (paged).
#[poise::command(prefix_command, slash_command, guild_only, aliases("cases"), custom_data = Tier::Mod)]
pub async fn modlogs(
    ctx: Context<'_>,
    #[description = "Whose cases"] user: serenity::User,
) -> Result<(), Error> {
    paginator::send(
        ctx,
        MODLOG_PAGES,
        user.id.get().to_string(),
        Delivery::Public,
    )
    .await
}

/// Page source of `modlogs`.
pub fn draw_modlogs<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let gid = req.guild_id.ok_or(UserError::GuildOnly)?.core();
        let target = chronix_core::ids::UserId::new(req.state.parse::<u64>().unwrap_or(1).max(1));
        let storage = data.storage();
        let count = moderation::count(storage, gid, target).await?;
        let total = usize::try_from((count + PER_PAGE - 1) / PER_PAGE)
            .unwrap_or(1)
            .max(1);
        let index = paginator::clamp(req.page, total);
        let rows =
            moderation::history(storage, gid, target, index as i64 * PER_PAGE, PER_PAGE).await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|c| {
                tr!(
                    l,
                    "moderation-modlogs-line",
                    number = u64::from(c.number),
                    kind = kind_name(l, c.kind),
                    reason = embeds::truncate(&super::reason_or_none(l, c.reason.as_deref()), 80),
                    moderator = mention(c.moderator),
                    at = format!("<t:{}:R>", c.created_at.timestamp())
                )
            })
            .collect();
        let e = Embed::info(tr!(l, "moderation-modlogs-title"))
            .description(if lines.is_empty() {
                tr!(l, "moderation-modlogs-empty", user = mention(target))
            } else {
                format!("{}\n\n{}", mention(target), lines.join("\n"))
            })
            .footer(tr!(l, "moderation-modlogs-total", count = count));
        Ok(Page::new(e, index, total, req.state.clone()))
    })
}

/// Whether the target of an action is told by DM on this server (on by default).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn moddm(
    ctx: Context<'_>,
    #[description = "on or off"] enabled: bool,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    moderation::set_dm_targets(ctx.data().storage(), gid, enabled, who.now).await?;
    ctx.send(embeds::reply(Embed::success(if enabled {
        tr!(l, "moderation-dm-setting-on")
    } else {
        tr!(l, "moderation-dm-setting-off")
    })))
    .await?;
    Ok(())
}
