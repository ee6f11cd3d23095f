//! `giveaway` (`gw`, `giveaways`): `start`, `end`, `reroll`, `list`, `cancel` (managers:
//! Manage Server or the manager role, checked in [`super::require_manager`]) and `managers`
//! (Admin).

use chronix_core::giveaways::{self as rules, StartSpec};
use chronix_core::ids::GuildId;
use chronix_storage::giveaways::{self as store, GiveawayId, GiveawayStatus};
use chronix_storage::jobs as jobq;

use super::panel::{self, announce, csprng_draw, end_key, finish};
use super::{require_manager, spec_error, user_error};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Giveaways: start one, end or reroll it, list them.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("gw", "giveaways"),
    subcommands(
        "start_prefix",
        "start",
        "end",
        "reroll",
        "list",
        "cancel",
        "managers"
    ),
    custom_data = Tier::Everyone
)]
pub async fn giveaway(ctx: Context<'_>) -> Result<(), Error> {
    let e = Embed::info(tr!(ctx, "giveaways-intro-title")).description(tr!(ctx, "giveaways-intro"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn guild(c: &Caller) -> Result<GuildId, Error> {
    c.guild.ok_or_else(|| UserError::GuildOnly.into())
}

/// Start a giveaway: duration, winners, prize (then role:@Role level:5 invites:3 age:7d if needed).
///
/// The prefix form; the slash form is [`start`]. Both run [`start_giveaway`]. (Poise finds a
/// prefix subcommand by name whatever its kind and a slash one only among slash commands, so
/// this one comes first in the list.)
#[poise::command(
    prefix_command,
    guild_only,
    rename = "start",
    custom_data = Tier::Everyone
)]
pub async fn start_prefix(
    ctx: Context<'_>,
    #[description = "How long entries stay open (30m, 2h, 1d12h)"] duration: String,
    #[description = "How many winners"] winners: u32,
    #[description = "The prize, then any of role:@Role level:5 invites:3 age:7d"]
    #[rest]
    prize: String,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let invalid = |e: rules::SpecError| super::refused(l, spec_error(l, &e));
    let (prize, requirements) = rules::split_requirements(&prize).map_err(invalid)?;
    start_giveaway(ctx, &duration, winners, prize, requirements).await
}

/// Start a giveaway: how long, how many winners, the prize, and what entrants need.
// Each parameter is a slash option Discord shows the user: they cannot be grouped.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn start(
    ctx: Context<'_>,
    #[description = "How long entries stay open (30m, 2h, 1d12h)"] duration: String,
    #[description = "How many winners"] winners: u32,
    #[description = "The prize"] prize: String,
    #[description = "Entrants must have this role"] role: Option<serenity::Role>,
    #[description = "Entrants need at least this server level"] min_level: Option<u32>,
    #[description = "Entrants need at least this many invites"] min_invites: Option<u32>,
    #[description = "Entrants' accounts must be at least this old (7d, 12h)"] account_age: Option<
        String,
    >,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let min_account_age_secs = match account_age.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(age) => Some(
            chronix_core::moderation::parse_duration(age)
                .map_err(|_| {
                    super::refused(
                        l,
                        spec_error(l, &rules::SpecError::BadOption("account_age".into())),
                    )
                })?
                .num_seconds(),
        ),
    };
    let requirements = rules::Requirements {
        role: role.map(|r| r.id.core()),
        min_level,
        min_invites,
        min_account_age_secs,
    };
    start_giveaway(
        ctx,
        &duration,
        winners,
        prize.trim().to_string(),
        requirements,
    )
    .await
}

/// Starts a giveaway (both forms of `giveaway start`): checks the manager, the spec (one
/// validation in `store::create`), posts the panel, audits.
async fn start_giveaway(
    ctx: Context<'_>,
    duration: &str,
    winners: u32,
    prize: String,
    requirements: rules::Requirements,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    require_manager(ctx, g, l).await?;
    let invalid = |e: rules::SpecError| super::refused(l, spec_error(l, &e));
    let duration = chronix_core::moderation::parse_duration(duration)
        .map_err(|_| invalid(rules::SpecError::BadOption("duration".into())))?;
    let spec = StartSpec {
        prize,
        duration,
        winners,
        requirements,
    };
    let gw = store::create(ctx.data().storage(), g, c.channel, c.user, &spec, c.now)
        .await
        .map_err(|e| user_error(l, e))?;
    panel::post(ctx.http(), ctx.data(), &gw).await?;
    crate::kernel::audit::record(
        ctx.data(),
        crate::kernel::audit::Audit::new(c.user, Some(g), "giveaways.start")
            .target(gw.id)
            .with("prize", gw.prize.clone())
            .with("winners", gw.winners)
            .with("requirements", serde_json::to_value(&gw.requirements)?),
    )
    .await?;
    let e = Embed::success(tr!(l, "giveaways-started-title")).description(tr!(
        l,
        "giveaways-started",
        id = gw.id.get(),
        when = format!("<t:{}:R>", gw.ends_at.timestamp())
    ));
    ctx.send(embeds::reply(e).ephemeral(true)).await?;
    Ok(())
}

/// End a giveaway now and draw its winners.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn end(
    ctx: Context<'_>,
    #[description = "The giveaway's id (see giveaway list)"] id: i64,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    require_manager(ctx, g, l).await?;
    let gw = store::get_in(ctx.data().storage(), g, GiveawayId::new(id))
        .await
        .map_err(|e| user_error(l, e))?;
    let ended = finish(ctx.http(), ctx.data(), gw.id)
        .await
        .map_err(|e| user_error(l, e))?;
    jobq::cancel_by_dedupe_key(ctx.data().storage(), &end_key(gw.id)).await?;
    crate::kernel::audit::record(
        ctx.data(),
        crate::kernel::audit::Audit::new(c.user, Some(g), "giveaways.end")
            .target(gw.id)
            .with(
                "winners",
                ended.winners.iter().map(|w| w.get()).collect::<Vec<_>>(),
            ),
    )
    .await?;
    let e = Embed::success(tr!(l, "giveaways-ended-title")).description(tr!(
        l,
        "giveaways-ended",
        prize = gw.prize.as_str(),
        count = ended.winners.len(),
        entrants = ended.entrants
    ));
    ctx.send(embeds::reply(e).ephemeral(true)).await?;
    Ok(())
}

/// Draw new winners for an ended giveaway (one by default).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn reroll(
    ctx: Context<'_>,
    #[description = "The giveaway's id"] id: i64,
    #[description = "How many new winners (1 by default)"] count: Option<u32>,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    require_manager(ctx, g, l).await?;
    let count = count.unwrap_or(1).clamp(1, rules::MAX_WINNERS);
    let gw = store::get_in(ctx.data().storage(), g, GiveawayId::new(id))
        .await
        .map_err(|e| user_error(l, e))?;
    let winners = store::reroll(ctx.data().storage(), gw.id, count, csprng_draw())
        .await
        .map_err(|e| user_error(l, e))?;
    if winners.is_empty() {
        return Err(super::refused(l, tr!(l, "giveaways-reroll-nobody")));
    }
    announce(ctx.http(), ctx.data(), &gw, &winners, true).await?;
    crate::kernel::audit::record(
        ctx.data(),
        crate::kernel::audit::Audit::new(c.user, Some(g), "giveaways.reroll")
            .target(gw.id)
            .with(
                "winners",
                winners.iter().map(|w| w.get()).collect::<Vec<_>>(),
            ),
    )
    .await?;
    let e = Embed::success(tr!(l, "giveaways-rerolled-title")).description(tr!(
        l,
        "giveaways-rerolled",
        count = winners.len()
    ));
    ctx.send(embeds::reply(e).ephemeral(true)).await?;
    Ok(())
}

/// Cancel an open giveaway (no winners).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn cancel(
    ctx: Context<'_>,
    #[description = "The giveaway's id"] id: i64,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    require_manager(ctx, g, l).await?;
    let gw = store::get_in(ctx.data().storage(), g, GiveawayId::new(id))
        .await
        .map_err(|e| user_error(l, e))?;
    let gw = store::cancel(ctx.data().storage(), gw.id, c.now)
        .await
        .map_err(|e| user_error(l, e))?;
    jobq::cancel_by_dedupe_key(ctx.data().storage(), &end_key(gw.id)).await?;
    if let Some(m) = gw.message {
        let (embed, rows) = panel::view(ctx.data(), &gw).await?;
        let edit = serenity::EditMessage::new()
            .embed(embed.into())
            .components(rows);
        if let Err(e) = gw
            .channel
            .discord()
            .edit_message(ctx.http(), m.discord(), edit)
            .await
        {
            tracing::info!(error = %e, giveaway = %gw.id, "could not edit a cancelled giveaway");
        }
    }
    crate::kernel::audit::record(
        ctx.data(),
        crate::kernel::audit::Audit::new(c.user, Some(g), "giveaways.cancel").target(gw.id),
    )
    .await?;
    let e = Embed::warning(tr!(l, "giveaways-cancelled-title")).description(tr!(
        l,
        "giveaways-cancelled",
        prize = gw.prize.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// This server's open giveaways and the last ended ones.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Everyone)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    let all = store::list(ctx.data().storage(), g, 5).await?;
    let mut e = Embed::info(tr!(l, "giveaways-list-title"));
    if all.is_empty() {
        e = e.description(tr!(l, "giveaways-list-empty"));
    }
    for gw in all.iter().take(20) {
        let entries = store::entry_count(ctx.data().storage(), gw.id).await?;
        let state = match gw.status {
            GiveawayStatus::Open => tr!(
                l,
                "giveaways-list-open",
                when = format!("<t:{}:R>", gw.ends_at.timestamp())
            ),
            GiveawayStatus::Ended => tr!(l, "giveaways-list-ended"),
            GiveawayStatus::Cancelled => tr!(l, "giveaways-list-cancelled"),
        };
        let link = gw.message.map_or_else(String::new, |m| {
            format!(
                " · https://discord.com/channels/{}/{}/{}",
                gw.guild, gw.channel, m
            )
        });
        e = e.field(
            tr!(
                l,
                "giveaways-list-item",
                id = gw.id.get(),
                prize = gw.prize.as_str()
            ),
            tr!(
                l,
                "giveaways-list-line",
                state = state,
                entries = entries,
                winners = gw.winners
            ) + &link,
            false,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Set the role that may run giveaways and events (besides Manage Server); no role clears it.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn managers(
    ctx: Context<'_>,
    #[description = "The manager role, a mention or an id (none: only Manage Server)"] role: Option<
        String,
    >,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let g = guild(&c)?;
    let before = store::manager_role(ctx.data().storage(), g).await?;
    let role = match role {
        None => None,
        Some(text) => {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            match digits.parse::<u64>() {
                Ok(id) if id > 0 => Some(chronix_core::ids::RoleId::new(id)),
                _ => return Err(super::refused(l, tr!(l, "giveaways-managers-bad-role"))),
            }
        }
    };
    store::set_manager_role(ctx.data().storage(), g, role).await?;
    crate::kernel::audit::record(
        ctx.data(),
        crate::kernel::audit::Audit::new(c.user, Some(g), "giveaways.managers")
            .before(before.map(|r| r.get()))
            .after(role.map(|r| r.get())),
    )
    .await?;
    let e = Embed::success(tr!(l, "giveaways-managers-title")).description(match role {
        Some(r) => tr!(l, "giveaways-managers-set", role = format!("<@&{r}>")),
        None => tr!(l, "giveaways-managers-cleared"),
    });
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
