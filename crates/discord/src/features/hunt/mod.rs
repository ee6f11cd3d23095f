//! `hunt`: `hunt` (`h`, `search`): one roll on the data-driven tables, applied in ONE
//! transaction (cooldown, Chrons through the ledger, loot, XP, stats); `inventory` (`inv`,
//! `bag`). Switched by `ENABLE_GAMEPLAY`; loads the game tables at start-up.

use crate::kernel::ids::ToCore;
use chronix_core::hunt::{HuntOutcome, modifiers_from_effects, roll_hunt};
use chronix_core::items::Loot;
use chronix_core::render::{format_chrons, format_number, loot_line};
use chronix_core::tables::Tables;
use chronix_storage::hunt::{self as store, Recorded};
use chronix_storage::{Refusal, StorageError, inventory};
use chrono::Duration;

use crate::prelude::*;
use crate::tables::{rng, tables, xp_curve};

/// The switch shared by hunt and autohunt.
pub const SWITCH: &str = "gameplay";

/// The hunt feature.
pub fn feature() -> Feature {
    Feature::new("hunt", commands)
        .switch(SWITCH)
        .on_start(crate::tables::start_hook)
}

/// Hunt commands.
pub fn commands() -> Vec<Command> {
    vec![hunt(), inventory()]
}

/// Go hunting: XP, Chrons and maybe a creature, a gem or a crate.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("h", "search"),
    custom_data = Tier::Everyone
)]
pub async fn hunt(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let tables = tables();
    let caller = Caller::of(ctx).await;
    let now = caller.now;
    // Consumables in use (`use hunting_lure`…) shape the roll; the hunt spends one of each.
    let effects = chronix_storage::consumables::active(data.storage(), caller.user).await?;
    // The player's clan perks (XP boost, hunt rate) add to the roll.
    let perks = crate::features::clans::hunt_modifiers(data, caller.user).await?;
    let mods =
        modifiers_from_effects(tables, effects.iter().map(|e| e.item_key.as_str())).combine(perks);
    let outcome = roll_hunt(tables, &mods, &mut rng());
    let cooldown = Duration::seconds(
        i64::try_from(data.config().hunt_cooldown_secs).unwrap_or(i64::MAX / 2_000_000),
    );
    let recorded = store::record(
        data.storage(),
        caller.user,
        caller.guild,
        &outcome,
        cooldown,
        &xp_curve(),
        now,
    )
    .await;
    let recorded = match recorded {
        Ok(r) => r,
        Err(StorageError::Refused(Refusal::OnCooldown { remaining, .. })) => {
            let secs = remaining.as_secs() + u64::from(remaining.subsec_nanos() > 0);
            return Err(UserError::Cooldown(secs.max(1)).into());
        }
        Err(e) => return Err(e.into()),
    };
    let mut embed = hunt_embed(ctx.lang(), tables, &outcome, &recorded, cooldown);
    if let Some(line) = crate::features::clans::perk_line(ctx.lang(), &perks) {
        embed = embed.field(tr!(ctx, "clans-hunt-perks-field"), line, false);
    }
    let mut reply = embeds::reply(embed);
    // A creature caught can be adopted as a pet right away.
    if let Some(c) = outcome
        .creature
        .as_ref()
        .and_then(|c| tables.creature(&c.id))
    {
        reply = reply.components(vec![crate::features::pets::adopt_button(
            ctx.lang(),
            ctx.author().id.get(),
            c,
        )]);
    }
    ctx.send(reply).await?;
    Ok(())
}

/// The reply to a hunt, in `l`: what was found, XP, Chrons and loot.
pub fn hunt_embed(
    l: Locale,
    tables: &Tables,
    o: &HuntOutcome,
    r: &Recorded,
    cooldown: Duration,
) -> Embed {
    let mut description = match &o.creature {
        Some(c) => {
            let creature = tables.creature(&c.id);
            tr!(
                l,
                "hunt-caught",
                rarity_emoji = tables.rarity_emoji(c.rarity),
                emoji = creature.map_or("❔", |x| x.emoji.as_str()),
                name = creature.map_or(c.id.as_str(), |x| x.name.as_str()),
                rarity = c.rarity.label().to_ascii_lowercase()
            )
        }
        None => tr!(l, "hunt-quiet"),
    };
    let lucky = match (o.gem.is_some(), o.crate_drop.is_some()) {
        (true, true) => Some(tr!(l, "hunt-lucky-gem-and-crate")),
        (true, false) => Some(tr!(l, "hunt-lucky-gem")),
        (false, true) => Some(tr!(l, "hunt-lucky-crate")),
        (false, false) => None,
    };
    if let Some(lucky) = lucky {
        description.push('\n');
        description.push_str(&lucky);
    }
    let (xp, level) = (format_number(o.xp), r.level_after.to_string());
    let xp = if r.level_after > r.level_before {
        tr!(l, "hunt-xp-level-up", xp = xp, level = level)
    } else {
        tr!(l, "hunt-xp", xp = xp, level = level)
    };
    let loot: Vec<String> = o.loot().iter().map(|x| loot_line(tables, x)).collect();
    let best = r
        .stats
        .best_catch
        .as_deref()
        .and_then(|id| tables.creature(id));
    let hunts = format_number(r.stats.hunts);
    let secs = cooldown.num_seconds().to_string();
    let footer = match best {
        Some(c) => tr!(
            l,
            "hunt-footer-best",
            hunts = hunts,
            count = r.stats.hunts,
            emoji = c.emoji.as_str(),
            name = c.name.as_str(),
            secs = secs
        ),
        None => tr!(
            l,
            "hunt-footer",
            hunts = hunts,
            count = r.stats.hunts,
            secs = secs
        ),
    };
    Embed::gameplay(tr!(l, "hunt-title"))
        .description(description)
        .field(tr!(l, "hunt-field-xp"), xp, true)
        .field(
            tr!(l, "hunt-field-chrons"),
            tr!(
                l,
                "hunt-chrons",
                gained = format_chrons(o.chrons),
                balance = format_chrons(r.balance_after)
            ),
            true,
        )
        .field(
            tr!(l, "hunt-field-loot"),
            if loot.is_empty() {
                "—".to_string()
            } else {
                loot.join("\n")
            },
            false,
        )
        .footer(footer)
}

/// Your creatures, gems and crates.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("inv", "bag"),
    custom_data = Tier::Everyone
)]
pub async fn inventory(ctx: Context<'_>) -> Result<(), Error> {
    let tables = tables();
    let inv = inventory::list(ctx.data().storage(), ctx.author().id.core()).await?;
    let mut embed = Embed::gameplay(tr!(
        ctx,
        "inventory-title",
        user = ctx.author().name.as_str()
    ));
    if inv.is_empty() {
        embed = embed.description(tr!(ctx, "inventory-empty"));
    }
    let creatures: Vec<String> = inv
        .stacks
        .iter()
        .filter(|s| s.item_type == inventory::CREATURE)
        .map(|s| match tables.creature(&s.item_key) {
            Some(c) => format!(
                "{} {} {} ×{}",
                tables.rarity_emoji(c.rarity),
                c.emoji,
                c.name,
                s.quantity
            ),
            None => format!("❔ {} ×{}", s.item_key, s.quantity),
        })
        .collect();
    let items: Vec<String> = inv
        .stacks
        .iter()
        .filter(|s| s.item_type != inventory::CREATURE && s.item_type != inventory::CRATE)
        .map(|s| match tables.item(&s.item_key) {
            Some(i) => format!("{} {} ×{}", i.emoji, i.name, s.quantity),
            None => format!("❔ {} ×{}", s.item_key, s.quantity),
        })
        .collect();
    let gems: Vec<String> = inv
        .gems
        .iter()
        .take(15)
        .map(|g| {
            let rarity = chronix_core::tables::Rarity::from_name(&g.rarity);
            match rarity {
                Some(r) => loot_line(
                    tables,
                    &Loot::Gem(chronix_core::items::GemDrop {
                        gem_type: g.gem_type.clone(),
                        rarity: r,
                        power: u32::try_from(g.power).unwrap_or(0),
                    }),
                ),
                None => format!("💎 {} (+{})", g.gem_type, g.power),
            }
        })
        .collect();
    let crates: Vec<String> = inv
        .crate_counts()
        .into_iter()
        .map(|(id, n)| match tables.crate_def(&id) {
            Some(c) => format!("{} {} ×{n}", c.emoji, c.name),
            None => format!("📦 {id} ×{n}"),
        })
        .collect();
    for (name, lines) in [
        (tr!(ctx, "inventory-creatures"), creatures),
        (tr!(ctx, "inventory-items"), items),
        (tr!(ctx, "inventory-gems"), gems),
        (tr!(ctx, "inventory-crates"), crates),
    ] {
        if !lines.is_empty() {
            embed = embed.field(name, lines.join("\n"), false);
        }
    }
    ctx.send(embeds::reply(embed)).await?;
    Ok(())
}
