//! Treasury commands: deposit, withdraw, perks, perk, log and the war channel.

use chronix_core::clans::Perk;
use chronix_core::economy::Chrons;
use chronix_core::render::{format_chrons, format_number};
use chronix_storage::clans::{self as store};

use super::{ClansRefusal, my_clan, perk_name, rules, storage_error};
use crate::kernel::audit::{self, Audit};
use crate::kernel::ids::ToCore;
use crate::prelude::*;

async fn treasury_move(ctx: Context<'_>, amount: String, deposit: bool) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let storage = ctx.data().storage();
    let (clan, _) = my_clan(ctx, l).await?;
    let base = if deposit {
        chronix_storage::economy::balance(storage, c.user).await?
    } else {
        clan.treasury
    };
    let amount = crate::features::economy::amount(l, &amount, base)?;
    let moved = if deposit {
        store::deposit(storage, c.user, amount, rules(), c.guild, c.now).await
    } else {
        store::withdraw(storage, c.user, amount, c.guild, c.now).await
    }
    .map_err(|e| storage_error(l, e))?;
    if !deposit {
        audit::record(
            ctx.data(),
            Audit::new(c.user, c.guild, "clans.withdraw")
                .target(moved.clan.id)
                .with("amount", amount.get()),
        )
        .await?;
    }
    let (title, text) = if deposit {
        (
            tr!(l, "clans-deposit-title"),
            tr!(
                l,
                "clans-deposited",
                amount = format_chrons(amount),
                name = moved.clan.name.as_str(),
                bp = moved.entry.bp_change.to_string()
            ),
        )
    } else {
        (
            tr!(l, "clans-withdraw-title"),
            tr!(
                l,
                "clans-withdrew",
                amount = format_chrons(amount),
                name = moved.clan.name.as_str()
            ),
        )
    };
    let e = Embed::success(title)
        .description(text)
        .field(
            tr!(l, "clans-field-treasury"),
            format_chrons(moved.clan.treasury),
            true,
        )
        .field(tr!(l, "clans-field-bp"), format_number(moved.clan.bp), true)
        .field(
            tr!(l, "clans-field-wallet"),
            format_chrons(moved.wallet_after),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Put Chrons into your clan's treasury (earns BP).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "deposit",
    custom_data = Tier::Everyone
)]
pub async fn clan_deposit(
    ctx: Context<'_>,
    #[description = "How much (500, 2.5k, half, all)"] amount: String,
) -> Result<(), Error> {
    treasury_move(ctx, amount, true).await
}

/// Take Chrons out of your clan's treasury (manage_clan).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "withdraw",
    custom_data = Tier::Everyone
)]
pub async fn clan_withdraw(
    ctx: Context<'_>,
    #[description = "How much (500, 2.5k, half, all)"] amount: String,
) -> Result<(), Error> {
    treasury_move(ctx, amount, false).await
}

/// The perks, their levels and what the next level costs.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "perks",
    custom_data = Tier::Everyone
)]
pub async fn clan_perks(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let mine = store::of_user(ctx.data().storage(), ctx.author().id.core()).await?;
    let (levels, bp) = match &mine {
        Some((c, _)) => (store::perks(ctx.data().storage(), c.id).await?, c.bp),
        None => (Default::default(), 0),
    };
    let r = rules();
    let mut e = Embed::gameplay(tr!(l, "clans-perks-title")).description(tr!(
        l,
        "clans-perks-text",
        bp = bp.to_string()
    ));
    for p in Perk::ALL {
        let lv = levels.get(p);
        let next = r.next_level_cost(p, lv).map_or_else(
            || tr!(l, "clans-perk-top"),
            |cost| {
                tr!(
                    l,
                    "clans-perk-next",
                    cost = cost.to_string(),
                    pct = r.pct(p, lv + 1).to_string()
                )
            },
        );
        e = e.field(
            format!("{} {} (`{}`)", r.perk(p).emoji, perk_name(l, p), p.id()),
            format!(
                "{}\n{}\n{}",
                tr!(l, "clans-perk-effect", perk = p.id()),
                tr!(
                    l,
                    "clans-perk-level",
                    level = lv.to_string(),
                    max = r.max_level(p).to_string(),
                    pct = r.pct(p, lv).to_string()
                ),
                next
            ),
            false,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Buy the next level of a perk with the clan's BP (manage_clan).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "perk",
    custom_data = Tier::Everyone
)]
pub async fn clan_perk(
    ctx: Context<'_>,
    #[description = "xp_boost, hunt_rate or shop_discount"]
    #[rest]
    perk: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let p = Perk::parse(&perk)
        .ok_or_else(|| crate::errors::refuse(l, ClansRefusal::UnknownPerk(perk.clone())))?;
    let (clan, level) = store::buy_perk(ctx.data().storage(), c.user, p, rules(), c.now)
        .await
        .map_err(|e| storage_error(l, e))?;
    let e = Embed::success(tr!(l, "clans-perk-bought-title")).description(tr!(
        l,
        "clans-perk-bought",
        perk = perk_name(l, p),
        level = level.to_string(),
        pct = rules().pct(p, level).to_string(),
        bp = clan.bp.to_string()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The clan's log: treasury moves, perks, members and wars.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "log",
    custom_data = Tier::Everyone
)]
pub async fn clan_log(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let (clan, _) = my_clan(ctx, l).await?;
    let rows = store::log(ctx.data().storage(), clan.id, 15).await?;
    let lines: Vec<String> = rows
        .iter()
        .map(|e| {
            let mut s = format!(
                "<t:{}:R> {}",
                e.created_at.timestamp(),
                tr!(l, "clans-log-kind", kind = e.kind.as_str())
            );
            if let Some(u) = e.user {
                s.push_str(&format!(" · <@{u}>"));
            }
            if e.change != Chrons::ZERO {
                let sign = if e.change.is_positive() { "+" } else { "−" };
                s.push_str(&format!(
                    " · {sign}{} → {}",
                    format_chrons(e.change.abs()),
                    format_chrons(e.treasury_after)
                ));
            }
            if e.bp_change != 0 {
                s.push_str(&format!(" · {:+} BP", e.bp_change));
            }
            if !e.detail.is_empty() && e.kind.as_str() == "perk" {
                s.push_str(&format!(" · `{}`", e.detail));
            }
            s
        })
        .collect();
    let e = Embed::info(tr!(l, "clans-log-title", name = clan.name.as_str()))
        .description(lines.join("\n"))
        .field(
            tr!(l, "clans-field-treasury"),
            format_chrons(clan.treasury),
            true,
        )
        .field(tr!(l, "clans-field-bp"), format_number(clan.bp), true);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Where the clan's war results are posted (manage_clan; this channel if empty).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "channel",
    guild_only,
    custom_data = Tier::Everyone
)]
pub async fn clan_channel(
    ctx: Context<'_>,
    #[description = "A channel (this one if empty)"] channel: Option<serenity::GuildChannel>,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let Some(guild) = c.guild else {
        return Err(UserError::GuildOnly.into());
    };
    let ch = channel.map_or(c.channel, |ch| ch.id.core());
    store::set_channel(ctx.data().storage(), c.user, Some((guild, ch)), c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "clans-channel-title")).description(tr!(
        c.locale,
        "clans-channel-set",
        channel = format!("<#{ch}>")
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
