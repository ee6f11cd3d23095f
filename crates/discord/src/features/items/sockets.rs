//! Gem sockets: `gem empower <weapon> <gem>` (prefix shortcuts `empower`, `socket`) puts a free
//! gem into the weapon's lowest free slot after a confirm dialog showing the weapon's stats
//! before and after; `gem unsocket <weapon> <slot>` takes a gem out for a fee (ledgered), after
//! a confirm dialog. One transaction each (`chronix_storage::weapons::{empower, unsocket}`).
//!
//! A `<gem>` is an id (`7`, `#7`) or a gem type (`ruby`: your best free ruby); slash options
//! autocomplete your free gems and your weapons.

use chronix_core::economy::normalise_name;
use chronix_core::items::{GemDrop, Loot};
use chronix_core::render::{format_chrons, loot_line};
use chronix_core::tables::{Rarity, Tables};
use chronix_core::weapons::{WeaponError, WeaponStats, stats, unsocket_fee, with_gem};
use chronix_storage::weapons as store;
use chronix_storage::{economy as ledger, inventory};

use super::weapons::{
    WeaponsRefusal, autocomplete_weapon, dialog_error, resolve, stats_line, weapon_label,
};
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::tables::tables;
use crate::ui::confirm::{self, Answer, Change};

fn gem_drop(g: &inventory::Gem) -> Option<GemDrop> {
    Some(GemDrop {
        gem_type: g.gem_type.clone(),
        rarity: Rarity::from_name(&g.rarity)?,
        power: u32::try_from(g.power).unwrap_or(0),
    })
}

/// Finds `text` among `user`'s gems: an id (`7`, `#7`; someone else's is refused as not yours),
/// or a gem type id or name (the best free gem of that type).
async fn resolve_gem(
    data: &Data,
    l: Locale,
    user: chronix_core::ids::UserId,
    text: &str,
) -> Result<(inventory::Gem, GemDrop), Error> {
    let unknown = || {
        crate::errors::refuse(
            l,
            WeaponsRefusal::UnknownGem {
                text: text.to_string(),
            },
        )
    };
    let trimmed = text.trim().trim_start_matches('#');
    let mine = inventory::list(data.storage(), user).await?.gems;
    let t = tables();
    let found = if let Ok(id) = trimmed.parse::<i64>() {
        match mine.into_iter().find(|g| g.id == id) {
            Some(g) => g,
            None => {
                return Err(match store::gem_owner(data.storage(), id).await? {
                    Some(_) => crate::errors::refuse(l, WeaponsRefusal::NotYourGem { id }),
                    None => unknown(),
                });
            }
        }
    } else {
        let want = normalise_name(trimmed);
        let mut of_type: Vec<inventory::Gem> = mine
            .into_iter()
            .filter(|g| g.weapon_id.is_none())
            .filter(|g| {
                g.gem_type == want
                    || t.gem(&g.gem_type)
                        .is_some_and(|x| normalise_name(&x.name) == want)
            })
            .collect();
        of_type.sort_by_key(|g| std::cmp::Reverse((g.power, g.id)));
        of_type.into_iter().next().ok_or_else(unknown)?
    };
    let drop = gem_drop(&found).ok_or_else(unknown)?;
    Ok((found, drop))
}

/// Suggests the player's free gems (best first), matching what they typed; the value is the
/// gem's id.
async fn autocomplete_gem<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let t = tables();
    let want = partial.trim().trim_start_matches('#').to_lowercase();
    let mut gems = inventory::list(ctx.data().storage(), ctx.author().id.core())
        .await
        .map(|i| i.gems)
        .unwrap_or_default();
    gems.retain(|g| g.weapon_id.is_none());
    gems.sort_by_key(|g| std::cmp::Reverse((g.power, g.id)));
    let mut out = serenity::CreateAutocompleteResponse::new();
    for (g, d) in gems
        .iter()
        .filter_map(|g| Some((g, gem_drop(g)?)))
        .filter(|(g, _)| {
            let name = t
                .gem(&g.gem_type)
                .map_or(String::new(), |x| x.name.to_lowercase());
            want.is_empty()
                || name.contains(&want)
                || g.gem_type.contains(&want)
                || g.id.to_string().starts_with(&want)
        })
        .take(25)
    {
        let label = format!("{} · #{}", loot_line(t, &Loot::Gem(d)), g.id);
        out = out.add_string_choice(embeds::truncate(&label, 100), g.id.to_string());
    }
    out
}

/// Gems in weapons: empower (socket) and unsocket.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "gem",
    subcommands("gem_empower", "gem_unsocket"),
    subcommand_required,
    custom_data = Tier::Everyone
)]
pub async fn gem_cmd(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Socket a gem into a weapon (its stats before and after are shown first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "empower",
    aliases("socket"),
    custom_data = Tier::Everyone
)]
pub async fn gem_empower(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"]
    #[autocomplete = "autocomplete_weapon"]
    weapon: String,
    #[description = "A free gem of yours (type or id)"]
    #[autocomplete = "autocomplete_gem"]
    gem: String,
) -> Result<(), Error> {
    empower_inner(ctx, &weapon, &gem).await
}

/// Socket a gem into a weapon (same as `gem empower`).
#[poise::command(prefix_command, aliases("socket"), custom_data = Tier::Everyone)]
pub async fn empower(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"] weapon: String,
    #[description = "A free gem of yours (type or id)"] gem: String,
) -> Result<(), Error> {
    empower_inner(ctx, &weapon, &gem).await
}

fn change_lines(l: Locale, before: &WeaponStats, after: &WeaponStats) -> Vec<Change> {
    let mut out = Vec::new();
    let rows = [
        ("attack", before.attack, after.attack),
        ("crit", before.crit, after.crit),
        ("defense", before.defense, after.defense),
        ("hp", before.hp, after.hp),
        ("speed", before.speed, after.speed),
    ];
    for (stat, b, a) in rows {
        if stat == "attack" || stat == "crit" || a != b {
            let show = |v: u32| {
                if stat == "crit" {
                    format!("{}.{} %", v / 10, v % 10)
                } else {
                    v.to_string()
                }
            };
            out.push(Change {
                what: tr!(l, "items-empower-stat", stat = stat),
                before: show(b),
                after: show(a),
            });
        }
    }
    out.push(Change {
        what: tr!(l, "items-empower-slots"),
        before: format!("{}/{}", before.used, before.slots),
        after: format!("{}/{}", after.used, after.slots),
    });
    out
}

/// `gem empower` and the prefix shortcuts `empower` / `socket`.
async fn empower_inner(ctx: Context<'_>, weapon: &str, gem: &str) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let w = resolve(ctx.data(), l, user, weapon).await?;
    let (g, drop) = resolve_gem(ctx.data(), l, user, gem).await?;
    if let Some(inside) = g.weapon_id {
        return Err(crate::errors::refuse(
            l,
            WeaponsRefusal::GemNotFree {
                gem: g.id,
                weapon: inside,
            },
        ));
    }
    let (slot, after) = with_gem(&w.state, drop.clone())
        .map_err(|e| crate::errors::refuse(l, WeaponsRefusal::Rules(e)))?;
    let (sb, sa) = (stats(t, &w.state), stats(t, &after));
    let question = tr!(
        l,
        "items-empower-question",
        gem = loot_line(t, &Loot::Gem(drop.clone())),
        id = g.id.to_string(),
        weapon = weapon_label(t, &w),
        slot = (slot + 1).to_string(),
        fee = format_chrons(unsocket_fee(t.weapons(), &drop))
    );
    let changes = change_lines(l, &sb, &sa);
    let ttl = std::time::Duration::from_secs(ctx.data().config().items_confirm_ttl_secs);
    let title = tr!(l, "items-empower-title");
    let Answer::Confirmed(ci) = confirm::ask(ctx, &title, &question, &changes, ttl).await? else {
        return Ok(());
    };
    let embed = match store::empower(ctx.data().storage(), user, w.id, g.id, now).await {
        Ok(done) => empowered_embed(l, t, &done),
        Err(e) => dialog_error(l, e)?,
    };
    confirm::done(ctx.serenity_context(), &ci, embed).await
}

fn empowered_embed(l: Locale, t: &Tables, done: &store::Empowered) -> Embed {
    let gem = done
        .after
        .gems
        .iter()
        .find(|g| g.slot == done.slot)
        .map(|g| loot_line(t, &Loot::Gem(g.gem.clone())))
        .unwrap_or_default();
    Embed::success(tr!(l, "items-empower-done-title"))
        .description(tr!(
            l,
            "items-empower-done",
            gem = gem,
            weapon = weapon_label(t, &done.after),
            slot = (done.slot + 1).to_string()
        ))
        .field(
            tr!(l, "items-empower-before"),
            stats_line(l, &stats(t, &done.before.state)),
            false,
        )
        .field(
            tr!(l, "items-empower-after"),
            stats_line(l, &stats(t, &done.after.state)),
            false,
        )
}

/// Take a gem out of a weapon, for a fee.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "unsocket",
    aliases("remove", "extract"),
    custom_data = Tier::Everyone
)]
pub async fn gem_unsocket(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"]
    #[autocomplete = "autocomplete_weapon"]
    weapon: String,
    #[description = "The slot (1, 2…) to empty"] slot: u32,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let storage = ctx.data().storage();
    let w = resolve(ctx.data(), l, user, &weapon).await?;
    let index = slot.saturating_sub(1);
    let Some(g) = w.gems.iter().find(|g| g.slot == index && slot > 0) else {
        return Err(crate::errors::refuse(
            l,
            WeaponsRefusal::Rules(WeaponError::EmptySlot(index)),
        ));
    };
    let fee = unsocket_fee(t.weapons(), &g.gem);
    let balance = ledger::balance(storage, user).await?;
    if balance < fee {
        return Err(crate::errors::refuse(
            l,
            super::ItemsRefusal::Storage(chronix_storage::Refusal::InsufficientFunds {
                needed: fee,
                available: balance,
            }),
        ));
    }
    let mut after = w.state.clone();
    after.gems.retain(|s| s.slot != index);
    let mut changes = change_lines(l, &stats(t, &w.state), &stats(t, &after));
    changes.insert(
        0,
        Change {
            what: tr!(l, "items-forge-wallet"),
            before: format_chrons(balance),
            after: format_chrons(balance.saturating_sub(fee)),
        },
    );
    let question = tr!(
        l,
        "items-unsocket-question",
        gem = loot_line(t, &Loot::Gem(g.gem.clone())),
        weapon = weapon_label(t, &w),
        slot = slot.to_string(),
        fee = format_chrons(fee)
    );
    let ttl = std::time::Duration::from_secs(ctx.data().config().items_confirm_ttl_secs);
    let title = tr!(l, "items-unsocket-title");
    let Answer::Confirmed(ci) = confirm::ask(ctx, &title, &question, &changes, ttl).await? else {
        return Ok(());
    };
    let result = store::unsocket(storage, user, guild, w.id, index, now, |g| {
        unsocket_fee(t.weapons(), g)
    })
    .await;
    let embed = match result {
        Ok(u) => Embed::success(tr!(l, "items-unsocket-done-title"))
            .description(tr!(
                l,
                "items-unsocket-done",
                gem = loot_line(t, &Loot::Gem(u.gem.gem.clone())),
                id = u.gem.id.to_string(),
                weapon = weapon_label(t, &u.weapon)
            ))
            .field(
                tr!(l, "items-weapon-field-stats"),
                stats_line(l, &stats(t, &u.weapon.state)),
                false,
            )
            .field(
                tr!(l, "items-field-chrons"),
                tr!(
                    l,
                    "items-forge-paid",
                    cost = format_chrons(u.fee),
                    balance = format_chrons(u.balance_after)
                ),
                true,
            ),
        Err(e) => dialog_error(l, e)?,
    };
    confirm::done(ctx.serenity_context(), &ci, embed).await
}
