//! `rank [@user]` (the rank card), `levels [server|global]` (the paged leaderboard) and the
//! admin command `xp` (`set`, `add`, `remove` a member's server XP; `reset` the server, asked
//! to confirm), each change audited by storage.

use std::time::Duration;

use chronix_core::ids::GuildId;
use chronix_core::levels::Scope;
use chronix_core::render::format_number;
use chronix_storage::leaderboard::{self, Metric};
use chronix_storage::levels::{self as store, XpChange};

use super::card;
use super::chat::{self, LevelsState};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::ui::paginator::{self, Delivery, Page, PageRequest};

/// The leaderboard's page source name.
pub const PAGES: &str = "lv";
/// Lines per leaderboard page.
const PER_PAGE: i64 = 10;

fn guild(ctx: Context<'_>) -> Result<GuildId, Error> {
    ctx.guild_id()
        .map(|g| g.core())
        .ok_or_else(|| UserError::GuildOnly.into())
}

fn display_name(user: &serenity::User) -> String {
    user.global_name
        .clone()
        .unwrap_or_else(|| user.name.clone())
}

/// Shows a rank card: level, progress, rank and XP (yours or a member's).
#[poise::command(prefix_command, slash_command, guild_only, aliases("level", "lvl"), custom_data = Tier::Everyone)]
pub async fn rank(
    ctx: Context<'_>,
    #[description = "Whose rank (default: you)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let g = guild(ctx)?;
    let data = ctx.data();
    let target = user.unwrap_or_else(|| ctx.author().clone());
    if target.bot {
        return Err(super::refused(l, tr!(l, "levels-rank-bot")));
    }
    chat::flush(data, Some(&[(g, target.id.core())])).await?;
    let s = chat::settings(data, g).await?;
    let st = card::standing(data, &s, s.scope, g, target.id.core()).await?;
    let name = display_name(&target);
    let subtitle = match s.scope {
        Scope::Server => data.guilds().name(g.discord()).unwrap_or_default(),
        Scope::Global => tr!(l, "levels-scope-global"),
    };
    let hash = crate::pictures::avatar_hash(&target);
    let pics = crate::pictures::member(data, target.id.core(), hash.as_deref(), Some(g)).await;
    let png = card::render(l, &s, &st, &name, target.id.core(), &subtitle, pics).await?;
    let title = if target.id == ctx.author().id {
        tr!(l, "levels-rank-title-own")
    } else {
        tr!(l, "levels-rank-title", user = name.as_str())
    };
    let e = Embed::gameplay(title)
        .field(tr!(l, "levels-field-level"), st.level.to_string(), true)
        .field(tr!(l, "levels-field-xp"), card::xp_line(l, &st), true)
        .field(
            tr!(l, "levels-field-rank"),
            st.rank
                .map_or_else(|| tr!(l, "levels-unranked"), |r| format!("#{r}")),
            true,
        );
    // The card goes beside the embed, not inside it: an embed image would be proxied and sized
    // by Discord, and the card reads better at full width under the figures.
    let reply = poise::CreateReply::default()
        .embed(e.into())
        .attachment(serenity::CreateAttachment::bytes(png, card::FILE))
        .allowed_mentions(embeds::no_mentions());
    ctx.send(reply).await?;
    Ok(())
}

/// The XP leaderboard of this server or global (paged).
#[poise::command(prefix_command, slash_command, guild_only, aliases("levelboard", "xptop"), custom_data = Tier::Everyone)]
pub async fn levels(
    ctx: Context<'_>,
    #[description = "server or global (default: the server's choice)"] scope: Option<String>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let g = guild(ctx)?;
    let scope = match scope.as_deref().map(str::to_lowercase).as_deref() {
        None => chat::settings(ctx.data(), g).await?.scope,
        Some("server" | "s" | "local") => Scope::Server,
        Some("global" | "g" | "all") => Scope::Global,
        Some(_) => return Err(super::refused(l, tr!(l, "levels-scope-unknown"))),
    };
    chat::flush(ctx.data(), None).await?;
    let state = if scope == Scope::Server { "s" } else { "g" };
    paginator::send(ctx, PAGES, state.into(), Delivery::Public).await
}

/// Page source of `levels` (state `s`: server, `g`: global).
pub fn draw_levels<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let g = req.guild_id.map(|g| g.core()).ok_or(UserError::GuildOnly)?;
        let server = req.state != "g";
        let count = if server {
            store::guild_count(data.storage(), g).await?
        } else {
            store::global_count(data.storage()).await?
        };
        let total = usize::try_from((count + PER_PAGE - 1) / PER_PAGE)
            .unwrap_or(1)
            .max(1);
        let index = paginator::clamp(req.page, total);
        let offset = index as i64 * PER_PAGE;
        let (rows, curve) = if server {
            let s = chat::settings(data, g).await?;
            (
                leaderboard::guild_top(data.storage(), g, PER_PAGE, offset).await?,
                s.curve.clone(),
            )
        } else {
            (
                leaderboard::global_top(data.storage(), Metric::GlobalXp, PER_PAGE, offset).await?,
                crate::tables::xp_curve(),
            )
        };
        let lines: Vec<String> = rows
            .iter()
            .map(|e| {
                tr!(
                    l,
                    "levels-board-line",
                    rank = e.rank,
                    user = format!("<@{}>", e.user_id),
                    level = curve.level_for_xp(e.score),
                    xp = format_number(e.score)
                )
            })
            .collect();
        let title = if server {
            tr!(l, "levels-board-server")
        } else {
            tr!(l, "levels-board-global")
        };
        let e = Embed::gameplay(title).description(if lines.is_empty() {
            tr!(l, "levels-board-empty")
        } else {
            lines.join("\n")
        });
        Ok(Page::new(e, index, total, req.state.clone()))
    })
}

/// Change members' server XP (admin; every change is audited).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("xp_set", "xp_add", "xp_remove", "xp_reset"),
    custom_data = Tier::Admin
)]
pub async fn xp(ctx: Context<'_>) -> Result<(), Error> {
    let e = Embed::info(tr!(ctx, "levels-xp-title")).description(tr!(ctx, "levels-xp-help"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Set a member's server XP.
#[poise::command(prefix_command, slash_command, guild_only, rename = "set", custom_data = Tier::Admin)]
pub async fn xp_set(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
    #[description = "Their new XP"] amount: u32,
) -> Result<(), Error> {
    change(ctx, user, XpChange::Set(i64::from(amount))).await
}

/// Add server XP to a member.
#[poise::command(prefix_command, slash_command, guild_only, rename = "add", custom_data = Tier::Admin)]
pub async fn xp_add(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
    #[description = "XP to add"] amount: u32,
) -> Result<(), Error> {
    change(ctx, user, XpChange::Add(i64::from(amount))).await
}

/// Take server XP from a member (stops at 0).
#[poise::command(prefix_command, slash_command, guild_only, rename = "remove", custom_data = Tier::Admin)]
pub async fn xp_remove(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
    #[description = "XP to take"] amount: u32,
) -> Result<(), Error> {
    change(ctx, user, XpChange::Remove(i64::from(amount))).await
}

async fn change(ctx: Context<'_>, user: serenity::User, c: XpChange) -> Result<(), Error> {
    let Caller {
        user: actor,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let g = guild(ctx)?;
    let data = ctx.data();
    if user.bot {
        return Err(super::refused(l, tr!(l, "levels-rank-bot")));
    }
    let target = user.id.core();
    if matches!(c, XpChange::Add(0) | XpChange::Remove(0)) {
        return Err(super::refused(l, tr!(l, "levels-xp-zero")));
    }
    // What was buffered for the member counts before the change.
    chat::flush(data, Some(&[(g, target)])).await?;
    let s = chat::settings(data, g).await?;
    let r = store::change_xp(data.storage(), g, target, c, &s.curve, actor, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    data.state::<LevelsState>().forget_xp(g, Some(target));
    let mut e = Embed::success(tr!(l, "levels-xp-changed-title")).description(tr!(
        l,
        "levels-xp-changed",
        user = format!("<@{}>", user.id),
        old = format_number(r.old_xp),
        xp = format_number(r.xp),
        level = r.new_level
    ));
    if r.new_level > r.old_level
        && let Some(http) = data.http()
    {
        let given = chat::give_rewards(data, http, &s, g, target, r.new_level).await?;
        if !given.is_empty() {
            let roles: Vec<String> = given.iter().map(|r| format!("<@&{r}>")).collect();
            e = e.field(tr!(l, "levels-rewards-given"), roles.join(" "), false);
        }
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Reset every member's server XP and level to 0 (asks to confirm).
#[poise::command(prefix_command, slash_command, guild_only, rename = "reset", custom_data = Tier::Admin)]
pub async fn xp_reset(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        user: actor,
        locale: l,
        ..
    } = Caller::of(ctx).await;
    let g = guild(ctx)?;
    let data = ctx.data();
    let members = store::guild_count(data.storage(), g).await?;
    let title = tr!(l, "levels-reset-title");
    let question = tr!(l, "levels-reset-question", members = members);
    let answer =
        crate::ui::confirm::ask(ctx, &title, &question, &[], Duration::from_secs(60)).await?;
    let crate::ui::confirm::Answer::Confirmed(ci) = answer else {
        return Ok(());
    };
    chat::flush(data, None).await?;
    let n = store::reset_guild(data.storage(), g, actor, chrono::Utc::now()).await?;
    data.state::<LevelsState>().forget_xp(g, None);
    let e = Embed::success(title).description(tr!(l, "levels-reset-done", members = n));
    crate::ui::confirm::done(ctx.serenity_context(), &ci, e).await?;
    Ok(())
}
