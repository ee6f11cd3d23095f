//! `daily` (streak), `weekly`, `work`, `beg`.

use chronix_core::economy::Chrons;
use chronix_storage::claims;
use chronix_storage::economy::Memo;
use chrono::Duration;

use super::{chrons, refusal, rng, settings};
use crate::prelude::*;

/// Claim your daily Chrons; claim every day to grow your streak bonus.
#[poise::command(prefix_command, slash_command, aliases("d"), custom_data = Tier::Everyone)]
pub async fn daily(ctx: Context<'_>) -> Result<(), Error> {
    let l = ctx.lang();
    let rules = &settings(ctx.data()).rules.daily;
    let Caller {
        user, guild, now, ..
    } = Caller::of(ctx).await;
    let d = claims::daily(ctx.data().storage(), user, rules, guild, now)
        .await
        .map_err(|e| refusal(l, e))?;
    let c = &d.claim;
    let mut text = if c.bonus > 0 {
        tr!(
            l,
            "economy-daily-claimed-bonus",
            reward = chrons(c.reward),
            base = chrons(c.base),
            bonus = chrons(c.bonus)
        )
    } else {
        tr!(l, "economy-daily-claimed", reward = chrons(c.reward))
    };
    if c.streak_lost {
        text.push('\n');
        text.push_str(&tr!(l, "economy-daily-streak-lost"));
    }
    let e = Embed::gameplay(tr!(l, "economy-daily-title"))
        .description(text)
        .field(
            tr!(l, "economy-streak"),
            tr!(l, "economy-streak-days", days = c.streak),
            true,
        )
        .field(
            tr!(l, "economy-best-streak"),
            d.best_streak.to_string(),
            true,
        )
        .field(
            tr!(l, "economy-balance"),
            chrons(d.applied.balance_after()),
            true,
        )
        .field(
            tr!(l, "economy-next-claim"),
            format!("<t:{}:R>", c.next_reset.timestamp()),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Claim your weekly Chrons (the week starts on Monday).
#[poise::command(prefix_command, slash_command, aliases("w"), custom_data = Tier::Everyone)]
pub async fn weekly(ctx: Context<'_>) -> Result<(), Error> {
    let l = ctx.lang();
    let r = &settings(ctx.data()).rules;
    let Caller {
        user, guild, now, ..
    } = Caller::of(ctx).await;
    let w = claims::weekly(
        ctx.data().storage(),
        user,
        &r.weekly,
        r.daily.reset_hour_utc,
        guild,
        now,
    )
    .await
    .map_err(|e| refusal(l, e))?;
    let e = Embed::gameplay(tr!(l, "economy-weekly-title"))
        .description(tr!(
            l,
            "economy-weekly-claimed",
            reward = chrons(w.claim.reward)
        ))
        .field(
            tr!(l, "economy-balance"),
            chrons(w.applied.balance_after()),
            true,
        )
        .field(
            tr!(l, "economy-next-claim"),
            format!("<t:{}:R>", w.claim.next_reset.timestamp()),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Work a shift for some Chrons (once an hour).
#[poise::command(prefix_command, slash_command, aliases("job"), custom_data = Tier::Everyone)]
pub async fn work(ctx: Context<'_>) -> Result<(), Error> {
    let rules = &settings(ctx.data()).rules.work;
    let outcome = chronix_core::economy::work(rules, &mut rng());
    let done = timed_earning(
        ctx,
        "work",
        "work",
        rules.cooldown_secs,
        outcome.earned.get(),
    )
    .await?;
    let balance = done
        .applied
        .as_ref()
        .map_or(Chrons::ZERO, |a| a.balance_after());
    let e = Embed::gameplay(tr!(ctx, "economy-work-title"))
        .description(tr!(
            ctx,
            "economy-work-text",
            job = outcome.job.to_string(),
            earned = chrons(outcome.earned)
        ))
        .field(tr!(ctx, "economy-balance"), chrons(balance), true)
        .field(
            tr!(ctx, "economy-work-again"),
            format!("<t:{}:R>", done.ready_at.timestamp()),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Beg for a few Chrons (every few minutes; sometimes nobody gives anything).
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn beg(ctx: Context<'_>) -> Result<(), Error> {
    let rules = &settings(ctx.data()).rules.beg;
    let outcome = chronix_core::economy::beg(rules, &mut rng());
    let done = timed_earning(
        ctx,
        "beg",
        "begging",
        rules.cooldown_secs,
        outcome.earned.get(),
    )
    .await?;
    let text = if outcome.earned > 0 {
        tr!(ctx, "economy-beg-given", earned = chrons(outcome.earned))
    } else {
        tr!(ctx, "economy-beg-nothing")
    };
    let e = Embed::gameplay(tr!(ctx, "economy-beg-title"))
        .description(text)
        .field(
            tr!(ctx, "economy-beg-again"),
            format!("<t:{}:R>", done.ready_at.timestamp()),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// A timed earning (`work`, `beg`): the cooldown `command` and the ledger credit (reason
/// `reason`, kind `command`) in one transaction; a friendly refusal while on cooldown.
async fn timed_earning(
    ctx: Context<'_>,
    command: &str,
    reason: &str,
    cooldown_secs: u32,
    earned: i64,
) -> Result<claims::Earned, Error> {
    let caller = Caller::of(ctx).await;
    let at = caller.now;
    let mut memo = Memo::new(reason).kind(command).at(at);
    memo.guild_id = caller.guild;
    claims::earn(
        ctx.data().storage(),
        caller.user,
        command,
        Duration::seconds(i64::from(cooldown_secs)),
        Chrons::new(earned),
        &memo,
        at,
    )
    .await
    .map_err(|e| refusal(ctx.lang(), e))
}
