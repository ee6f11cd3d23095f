//! `invites [@user]` (regular / fake / left / bonus), `invites leaderboard` (paged),
//! `invites who @user`, and the admin commands `invites bonus add|remove @user n` (audited),
//! `invites channel [#channel]`, `invites reward <count> <@role>`, `invites unreward <count>`
//! (settings audited by storage).

use chronix_core::ids::GuildId;
use chronix_core::invites::{InviteCounts, InviteSettings, JoinSource};
use chronix_storage::invites as store;

use super::tracker::mention;
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::ui::paginator::{self, Delivery, Page, PageRequest};

/// The leaderboard's page source name.
pub const PAGES: &str = "inv";
/// Lines per leaderboard page.
const PER_PAGE: i64 = 10;

fn guild(ctx: Context<'_>) -> Result<GuildId, Error> {
    ctx.guild_id()
        .map(|g| g.core())
        .ok_or_else(|| UserError::GuildOnly.into())
}

/// How many members someone invited: regular, fake, left and bonus.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("invs"),
    subcommands(
        "show",
        "leaderboard",
        "who",
        "bonus",
        "channel",
        "reward",
        "unreward"
    ),
    custom_data = Tier::Everyone
)]
pub async fn invites(
    ctx: Context<'_>,
    #[description = "Whose invites (default: you)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    show_counts(ctx, user).await
}

/// How many members someone invited: regular, fake, left and bonus.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Whose invites (default: you)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    show_counts(ctx, user).await
}

async fn show_counts(ctx: Context<'_>, user: Option<serenity::User>) -> Result<(), Error> {
    let l = ctx.lang();
    let g = guild(ctx)?;
    let target = user.unwrap_or_else(|| ctx.author().clone());
    let c = store::counts(ctx.data().storage(), g, target.id.core()).await?;
    let title = if target.id == ctx.author().id {
        tr!(l, "invites-title-own")
    } else {
        tr!(l, "invites-title", user = target.name.as_str())
    };
    let e = Embed::info(title)
        .description(tr!(l, "invites-total", total = c.total()))
        .field(tr!(l, "invites-field-regular"), c.regular.to_string(), true)
        .field(tr!(l, "invites-field-fake"), c.fake.to_string(), true)
        .field(tr!(l, "invites-field-left"), c.left.to_string(), true)
        .field(tr!(l, "invites-field-bonus"), c.bonus.to_string(), true);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The server's top inviters (paged).
#[poise::command(prefix_command, slash_command, guild_only, aliases("lb", "top"), custom_data = Tier::Everyone)]
pub async fn leaderboard(ctx: Context<'_>) -> Result<(), Error> {
    guild(ctx)?;
    paginator::send(ctx, PAGES, String::new(), Delivery::Public).await
}

/// One line of the leaderboard.
fn board_line(l: Locale, rank: i64, user: chronix_core::ids::UserId, c: &InviteCounts) -> String {
    tr!(
        l,
        "invites-board-line",
        rank = rank,
        user = mention(user),
        total = c.total(),
        regular = c.regular,
        fake = c.fake,
        left = c.left,
        bonus = c.bonus
    )
}

/// Page source of `invites leaderboard`.
pub fn draw_board<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let g = req.guild_id.map(|g| g.core()).ok_or(UserError::GuildOnly)?;
        let count = store::leaderboard_len(data.storage(), g).await?;
        let total = usize::try_from((count + PER_PAGE - 1) / PER_PAGE)
            .unwrap_or(1)
            .max(1);
        let index = paginator::clamp(req.page, total);
        let offset = index as i64 * PER_PAGE;
        let rows = store::leaderboard(data.storage(), g, offset, PER_PAGE).await?;
        let lines: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, (u, c))| board_line(l, offset + i as i64 + 1, *u, c))
            .collect();
        let e = Embed::info(tr!(l, "invites-board-title")).description(if lines.is_empty() {
            tr!(l, "invites-board-empty")
        } else {
            lines.join("\n")
        });
        Ok(Page::new(e, index, total, req.state.clone()))
    })
}

/// Who invited a member, with which invite and when.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn who(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
) -> Result<(), Error> {
    let l = ctx.lang();
    let g = guild(ctx)?;
    let Some(j) = store::last_join(ctx.data().storage(), g, user.id.core()).await? else {
        let e = Embed::info(tr!(l, "invites-who-title", user = user.name.as_str()))
            .description(tr!(l, "invites-who-never"));
        ctx.send(embeds::reply(e)).await?;
        return Ok(());
    };
    let how = match &j.source {
        JoinSource::Invite {
            code,
            inviter: Some(i),
        } => tr!(
            l,
            "invites-who-invite",
            inviter = mention(*i),
            code = code.as_str()
        ),
        JoinSource::Invite {
            code,
            inviter: None,
        } => tr!(l, "invites-who-invite-nobody", code = code.as_str()),
        JoinSource::Vanity => tr!(l, "invites-who-vanity"),
        JoinSource::Unknown => tr!(l, "invites-who-unknown"),
    };
    let mut e = Embed::info(tr!(l, "invites-who-title", user = user.name.as_str()))
        .description(how)
        .field(
            tr!(l, "invites-field-joined"),
            format!("<t:{}:f>", j.joined_at.timestamp()),
            true,
        );
    if j.fake {
        e = e.field(
            tr!(l, "invites-field-fake"),
            tr!(l, "invites-who-fake"),
            true,
        );
    }
    if let Some(at) = j.left_at {
        e = e.field(
            tr!(l, "invites-field-left"),
            format!("<t:{}:f>", at.timestamp()),
            true,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Add or remove bonus invites (admin, audited).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("bonus_add", "bonus_remove"),
    subcommand_required,
    custom_data = Tier::Admin
)]
pub async fn bonus(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Give a member bonus invites.
#[poise::command(prefix_command, slash_command, guild_only, rename = "add", custom_data = Tier::Admin)]
pub async fn bonus_add(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
    #[description = "How many (1 to 100000)"] amount: u32,
) -> Result<(), Error> {
    change_bonus(ctx, user, i64::from(amount)).await
}

/// Take bonus invites from a member.
#[poise::command(prefix_command, slash_command, guild_only, rename = "remove", custom_data = Tier::Admin)]
pub async fn bonus_remove(
    ctx: Context<'_>,
    #[description = "The member"] user: serenity::User,
    #[description = "How many (1 to 100000)"] amount: u32,
) -> Result<(), Error> {
    change_bonus(ctx, user, -i64::from(amount)).await
}

/// Largest bonus change at once.
const MAX_BONUS_CHANGE: i64 = 100_000;

async fn change_bonus(ctx: Context<'_>, user: serenity::User, delta: i64) -> Result<(), Error> {
    let Caller {
        user: actor,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let g = guild(ctx)?;
    if delta == 0 || delta.abs() > MAX_BONUS_CHANGE {
        return Err(super::refused(
            l,
            tr!(l, "invites-bonus-range", max = MAX_BONUS_CHANGE),
        ));
    }
    let data = ctx.data();
    let bonus = store::add_bonus(data.storage(), g, user.id.core(), delta, actor, now).await?;
    let c = store::counts(data.storage(), g, user.id.core()).await?;
    let e = Embed::success(tr!(l, "invites-bonus-title")).description(tr!(
        l,
        "invites-bonus-done",
        user = mention(user.id.core()),
        bonus = bonus,
        total = c.total()
    ));
    ctx.send(embeds::reply(e)).await?;
    if delta > 0
        && let Some(http) = data.http()
    {
        super::give_rewards(data, http, g, user.id.core(), c.total()).await?;
    }
    Ok(())
}

/// Set (or with no channel, turn off) the channel for "X invited Y" lines (admin).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn channel(
    ctx: Context<'_>,
    #[description = "The channel (none: turn off)"] channel: Option<serenity::GuildChannel>,
) -> Result<(), Error> {
    let l = ctx.lang();
    let id = channel.as_ref().map(|c| c.id.core());
    let done = match id {
        Some(c) => tr!(l, "invites-channel-set", channel = format!("<#{c}>")),
        None => tr!(l, "invites-channel-off"),
    };
    update(ctx, |s| s.channel = id, done).await
}

/// Give a role once a member's invites reach a count (admin).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn reward(
    ctx: Context<'_>,
    #[description = "Invites needed (at least 1)"] count: u32,
    #[description = "The role (a mention or an id)"] role: String,
) -> Result<(), Error> {
    let l = ctx.lang();
    if count == 0 {
        return Err(super::refused(l, tr!(l, "invites-reward-zero")));
    }
    let Some(role_id) = super::role_of(&role) else {
        return Err(super::refused(
            l,
            tr!(l, "invites-bad-role", role = embeds::truncate(&role, 30)),
        ));
    };
    let done = tr!(
        l,
        "invites-reward-done",
        count = count,
        role = format!("<@&{role_id}>")
    );
    update(ctx, |s| s.set_reward(count, role_id), done).await
}

/// Remove the role reward at a count (admin).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn unreward(
    ctx: Context<'_>,
    #[description = "The count"] count: u32,
) -> Result<(), Error> {
    let l = ctx.lang();
    let done = tr!(l, "invites-unreward-done", count = count);
    update(ctx, |s| s.rewards.retain(|r| r.count != count), done).await
}

/// Reads the settings, applies `f`, saves (checked and audited by storage) and answers `done`.
async fn update(
    ctx: Context<'_>,
    f: impl FnOnce(&mut InviteSettings),
    done: String,
) -> Result<(), Error> {
    let Caller {
        user: actor,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let g = guild(ctx)?;
    let storage = ctx.data().storage();
    let mut s = store::settings(storage, g).await?;
    f(&mut s);
    store::save_settings(storage, g, actor, &s, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    ctx.send(embeds::reply(
        Embed::success(tr!(l, "invites-settings-title")).description(done),
    ))
    .await?;
    Ok(())
}
