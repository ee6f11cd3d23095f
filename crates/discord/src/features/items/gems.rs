//! Gems: `gems [rarity] [type]` (your gems, filtered) and `forge <rarity> [count]` (combine
//! gems of one type and tier into the next tier, with a confirm dialog showing the chance, the
//! cost and what a failure costs; applied in one transaction by
//! `chronix_storage::items::forge_gems`).

use std::time::Duration;

use chronix_core::economy::Chrons;
use chronix_core::items::{ForgeError, ForgeRules, GemDrop, forge, next_rarity, plan_forge};
use chronix_core::render::{format_chrons, loot_line};
use chronix_core::tables::{GemType, Rarity, Tables};
use chronix_storage::items as store;
use chronix_storage::{economy as ledger, inventory};

use super::ItemsRefusal;
use crate::prelude::*;
use crate::tables::{rng, tables};
use crate::ui::confirm::{self, Answer, Change};

/// Gems listed by `gems` (newest first).
const LIST_MAX: usize = 20;

/// The most forges one `forge` runs.
pub const MAX_FORGES: u32 = 10;

fn gem_type<'t>(t: &'t Tables, text: &str) -> Option<&'t GemType> {
    let want = chronix_core::economy::normalise_name(text);
    t.gems()
        .iter()
        .find(|g| g.id == want || chronix_core::economy::normalise_name(&g.name) == want)
}

fn rarity_name(l: Locale, r: Rarity) -> String {
    tr!(l, "items-rarity", rarity = r.as_str())
}

/// A stored gem as loot (for [`loot_line`]); `None` for a corrupt rarity.
fn as_drop(g: &inventory::Gem) -> Option<GemDrop> {
    Some(GemDrop {
        gem_type: g.gem_type.clone(),
        rarity: Rarity::from_name(&g.rarity)?,
        power: u32::try_from(g.power).unwrap_or(0),
    })
}

/// Your gems: `gems`, `gems rare`, `gems ruby`, `gems epic sapphire`.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn gems(
    ctx: Context<'_>,
    #[description = "Only this rarity or gem type"] filter: Option<String>,
    #[description = "Only this rarity or gem type"] more: Option<String>,
) -> Result<(), Error> {
    let Caller {
        user, locale: l, ..
    } = Caller::of(ctx).await;
    let t = tables();
    let (mut rarity, mut kind) = (None, None);
    for word in [filter, more].into_iter().flatten() {
        if let Some(r) = Rarity::from_name(&word) {
            rarity = Some(r);
        } else if let Some(g) = gem_type(t, &word) {
            kind = Some(g.id.clone());
        } else {
            return Err(crate::errors::refuse(
                l,
                ItemsRefusal::UnknownGemFilter { text: word },
            ));
        }
    }
    let all = inventory::list(ctx.data().storage(), user).await?.gems;
    let shown: Vec<&inventory::Gem> = all
        .iter()
        .filter(|g| rarity.is_none_or(|r| g.rarity == r.as_str()))
        .filter(|g| kind.as_deref().is_none_or(|k| g.gem_type == k))
        .collect();
    let mut lines: Vec<String> = shown
        .iter()
        .take(LIST_MAX)
        .map(|g| {
            let line = as_drop(g).map_or_else(
                || format!("💎 {} (+{})", g.gem_type, g.power),
                |d| loot_line(t, &chronix_core::items::Loot::Gem(d)),
            );
            match g.weapon_id {
                Some(w) => tr!(
                    l,
                    "items-gem-line-socketed",
                    id = g.id.to_string(),
                    gem = line,
                    weapon = w.to_string()
                ),
                None => tr!(l, "items-gem-line", id = g.id.to_string(), gem = line),
            }
        })
        .collect();
    if shown.len() > LIST_MAX {
        lines.push(tr!(l, "items-loot-more", count = shown.len() - LIST_MAX));
    }
    let mut counts = Vec::new();
    for r in Rarity::ALL.iter().rev() {
        let n = shown.iter().filter(|g| g.rarity == r.as_str()).count();
        if n > 0 {
            counts.push(format!(
                "{} {} ×{n}",
                t.rarity_emoji(*r),
                rarity_name(l, *r)
            ));
        }
    }
    let mut e = Embed::gameplay(tr!(
        l,
        "items-gems-title",
        user = ctx.author().name.as_str()
    ))
    .description(if lines.is_empty() {
        tr!(l, "items-gems-none")
    } else {
        lines.join("\n")
    })
    .footer(tr!(l, "items-gems-footer"));
    if !counts.is_empty() {
        e = e.field(tr!(l, "items-field-summary"), counts.join(" · "), false);
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Forge gems: 3 gems of one type and rarity → 1 of the next rarity (with a success chance).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "forge",
    custom_data = Tier::Everyone
)]
pub async fn forge_cmd(
    ctx: Context<'_>,
    #[description = "Rarity of the gems to forge"] rarity: String,
    #[description = "How many forges (1 if empty, at most 10)"] count: Option<u32>,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let rules = ForgeRules::default();
    let refuse = |r| crate::errors::refuse(l, r);
    let rarity = Rarity::from_name(&rarity).ok_or_else(|| {
        refuse(ItemsRefusal::UnknownRarity {
            text: rarity.clone(),
        })
    })?;
    let target = next_rarity(rarity).ok_or_else(|| refuse(ItemsRefusal::TopRarity))?;
    let count = count.unwrap_or(1);
    if count == 0 || count > MAX_FORGES {
        return Err(refuse(ItemsRefusal::CountRange { max: MAX_FORGES }));
    }
    let storage = ctx.data().storage();
    let free: Vec<(i64, GemDrop)> = inventory::list(storage, user)
        .await?
        .gems
        .iter()
        .filter(|g| g.weapon_id.is_none())
        .filter_map(|g| Some((g.id, as_drop(g)?)))
        .collect();
    let groups = plan_forge(&free, rarity, count, &rules).map_err(|possible| {
        refuse(ItemsRefusal::NotEnoughGems {
            rarity,
            inputs: rules.inputs,
            count,
            possible,
        })
    })?;
    let tier = rarity.index();
    let cost_each = rules.cost[tier];
    let total = cost_each
        .checked_mul(i64::from(count))
        .ok_or_else(|| refuse(ItemsRefusal::Storage(chronix_storage::Refusal::Overflow)))?;
    let balance = ledger::balance(storage, user).await?;
    if balance < total {
        return Err(refuse(ItemsRefusal::Storage(
            chronix_storage::Refusal::InsufficientFunds {
                needed: total,
                available: balance,
            },
        )));
    }
    // The dialog: which gems, the chance, the cost, and what failure costs.
    let by_id = |id: i64| free.iter().find(|(i, _)| *i == id).map(|(_, g)| g);
    let used: Vec<String> = groups
        .iter()
        .filter_map(|g| by_id(g[0]))
        .map(|g| {
            format!(
                "{} ×{}",
                loot_line(t, &chronix_core::items::Loot::Gem(g.clone())),
                rules.inputs
            )
        })
        .collect();
    let question = tr!(
        l,
        "items-forge-question",
        count = count,
        inputs = rules.inputs.to_string(),
        rarity = rarity_name(l, rarity),
        target = rarity_name(l, target),
        chance = rules.success_pct[tier].min(100).to_string(),
        lost = rules
            .inputs
            .saturating_sub(rules.refund_on_failure)
            .to_string(),
        back = rules.refund_on_failure.to_string(),
        gems = used.join("\n")
    );
    let changes = [Change {
        what: tr!(l, "items-forge-wallet"),
        before: format_chrons(balance),
        after: format_chrons(balance.saturating_sub(total)),
    }];
    let ttl = Duration::from_secs(ctx.data().config().items_confirm_ttl_secs);
    let title = tr!(l, "items-forge-title");
    let Answer::Confirmed(ci) = confirm::ask(ctx, &title, &question, &changes, ttl).await? else {
        return Ok(());
    };
    let result = crate::features::economy::with_item_definitions(ctx.data(), || {
        let (mut rng, rules) = (rng(), rules.clone());
        store::forge_gems(
            storage,
            user,
            guild,
            &groups,
            now,
            move |gems, balance: Chrons| -> Result<_, ForgeError> {
                forge(gems, balance, &rules, t, &mut rng)
            },
        )
    })
    .await;
    let embed = match result {
        Ok(f) => forged_embed(l, t, &f),
        Err(e) => match super::storage_refusal(l, e).downcast::<UserError>() {
            Ok(u) => crate::errors::user_error_embed(&u, l),
            Err(e) => return Err(e),
        },
    };
    confirm::done(ctx.serenity_context(), &ci, embed).await
}

/// The result of the forges.
pub fn forged_embed(l: Locale, t: &Tables, f: &store::Forged) -> Embed {
    let lines: Vec<String> = f
        .forges
        .iter()
        .map(|r| match &r.outcome.forged {
            Some(g) => tr!(
                l,
                "items-forge-success",
                gem = loot_line(t, &chronix_core::items::Loot::Gem(g.clone())),
                chance = r.outcome.chance_pct.to_string()
            ),
            None => tr!(
                l,
                "items-forge-failure",
                lost = r.outcome.gems_consumed.to_string(),
                chance = r.outcome.chance_pct.to_string()
            ),
        })
        .collect();
    let wins = f.forges.iter().filter(|r| r.outcome.success).count();
    let e = if wins > 0 {
        Embed::success(tr!(
            l,
            "items-forge-done",
            wins = wins,
            count = f.forges.len()
        ))
    } else {
        Embed::warning(tr!(
            l,
            "items-forge-done",
            wins = wins,
            count = f.forges.len()
        ))
    };
    e.description(lines.join("\n")).field(
        tr!(l, "items-field-chrons"),
        tr!(
            l,
            "items-forge-paid",
            cost = format_chrons(f.cost),
            balance = format_chrons(f.balance_after)
        ),
        true,
    )
}
