//! `use <item> [pet]`: the shop's consumables get their effect. A hunt consumable (lure, scroll,
//! net, magnet: an `effect` with `hunts` in `items.yaml`) applies to the player's next manual
//! hunts (`chronix_storage::consumables`; the hunt spends one hunt of each in its transaction);
//! pet food restores a pet's stamina (the same as `pet feed`).

use chronix_core::tables::{ItemKind, ShopItem};
use chronix_storage::{consumables as store, inventory, pets};

use super::{PetsRefusal, pet_id, pet_label, storage_error};
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::tables::{pet_rules, tables};

/// Use an item: a lure, scroll, net or magnet for your next hunts, or pet food on a pet.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "use",
    custom_data = Tier::Everyone
)]
pub async fn use_cmd(
    ctx: Context<'_>,
    #[description = "The item (name or id)"]
    #[autocomplete = "autocomplete_usable"]
    item: String,
    #[description = "For pet food: the pet (your first team pet if empty)"]
    #[rest]
    pet: Option<String>,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    // Prefix users type names with spaces ("use hunting lure"): try the longest match first.
    let joined = match &pet {
        Some(p) => format!("{item} {p}"),
        None => item.clone(),
    };
    let words: Vec<&str> = joined.split_whitespace().collect();
    let found = find_usable(&item).map(|i| (i, pet.clone())).or_else(|| {
        (1..=words.len().min(4))
            .rev()
            .find_map(|k| find_usable(&words[..k].join(" ")).map(|i| (i, words[k..].join(" "))))
            .map(|(i, rest)| (i, Some(rest).filter(|r| !r.is_empty())))
    });
    let Some((it, pet)) = found else {
        return Err(crate::features::economy::shop::find_item(l, &item)
            .map(|i| {
                crate::errors::refuse(
                    l,
                    PetsRefusal::NotUsable {
                        name: i.name.clone(),
                    },
                )
            })
            .unwrap_or_else(Into::into));
    };
    match (it.kind, it.effect.as_ref()) {
        (ItemKind::Food, _) => {
            let pets = pets::list(ctx.data().storage(), user).await?;
            let id = match pet.as_deref() {
                Some(p) => pet_id(l, &pets, p)?,
                None => pets
                    .iter()
                    .find(|p| p.active)
                    .or_else(|| pets.first())
                    .map(|p| p.id)
                    .ok_or_else(|| crate::errors::refuse(l, PetsRefusal::NoPets))?,
            };
            feed(ctx, id, Some(&it.id)).await
        }
        (ItemKind::Consumable, Some(effect)) if effect.hunts > 0 => {
            let left = store::use_item(ctx.data().storage(), user, &it.id, effect.hunts, now)
                .await
                .map_err(|e| storage_error(l, e))?;
            let e = Embed::success(tr!(l, "pets-use-title", item = it.name.as_str()))
                .description(tr!(
                    l,
                    "pets-used",
                    emoji = it.emoji.as_str(),
                    item = it.name.as_str(),
                    effect = it.description.as_str(),
                    hunts = left
                ))
                .footer(tr!(l, "pets-use-footer"));
            ctx.send(embeds::reply(e)).await?;
            Ok(())
        }
        _ => Err(crate::errors::refuse(
            l,
            PetsRefusal::NotUsable {
                name: it.name.clone(),
            },
        )),
    }
}

fn find_usable(text: &str) -> Option<&'static ShopItem> {
    let want = chronix_core::economy::normalise_name(text);
    if want.is_empty() {
        return None;
    }
    tables()
        .items()
        .iter()
        .find(|i| i.id == want || chronix_core::economy::normalise_name(&i.name) == want)
}

/// Feeds pet `id` one `food` (an item id or name; the smallest food the player owns that is
/// not wasted when `None`) and replies with the pet's card.
pub async fn feed(ctx: Context<'_>, id: i64, food: Option<&str>) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let storage = ctx.data().storage();
    let foods: Vec<&ShopItem> = {
        let mut f: Vec<&ShopItem> = tables()
            .items()
            .iter()
            .filter(|i| i.kind == ItemKind::Food && i.effect.is_some_and(|e| e.stamina > 0))
            .collect();
        f.sort_by_key(|i| i.effect.map_or(0, |e| e.stamina));
        f
    };
    let item = match food {
        Some(text) => *foods
            .iter()
            .find(|i| find_usable(text).is_some_and(|x| x.id == i.id))
            .ok_or_else(|| {
                crate::errors::refuse(
                    l,
                    PetsRefusal::NotFood {
                        text: text.to_string(),
                    },
                )
            })?,
        None => {
            let inv = inventory::list(storage, user).await?;
            *foods
                .iter()
                .find(|i| inv.quantity(&i.id) > 0)
                .ok_or_else(|| crate::errors::refuse(l, PetsRefusal::NoFoodAtAll))?
        }
    };
    let restore = item.effect.map_or(0, |e| e.stamina);
    let (p, gained) = pets::feed(storage, user, id, &item.id, restore, pet_rules(), now)
        .await
        .map_err(|e| storage_error(l, e))?;
    let left = inventory::list(storage, user).await?.quantity(&item.id);
    let e = super::commands::info_embed(l, &p).description(tr!(
        l,
        "pets-fed",
        pet = pet_label(&p),
        emoji = item.emoji.as_str(),
        food = item.name.as_str(),
        gained = gained.to_string(),
        left = left.to_string()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Suggests the usable items the player owns (consumables and food).
async fn autocomplete_usable<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    complete_owned(ctx, partial, |k| {
        matches!(k, ItemKind::Consumable | ItemKind::Food)
    })
    .await
}

/// `pet feed`'s food: the pet food you own.
pub async fn autocomplete_food<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    complete_owned(ctx, partial, |k| matches!(k, ItemKind::Food)).await
}

/// The shop items of a kind `keep` accepts that the player owns, matching what they typed.
async fn complete_owned(
    ctx: Context<'_>,
    partial: &str,
    keep: fn(ItemKind) -> bool,
) -> serenity::CreateAutocompleteResponse {
    let inv = inventory::list(ctx.data().storage(), ctx.author().id.core())
        .await
        .unwrap_or_default();
    let want = partial.trim().to_lowercase();
    let mut out = serenity::CreateAutocompleteResponse::new();
    for i in tables()
        .items()
        .iter()
        .filter(|i| keep(i.kind))
        .filter(|i| inv.quantity(&i.id) > 0)
        .filter(|i| i.id.contains(&want) || i.name.to_lowercase().contains(&want))
        .take(25)
    {
        out = out.add_string_choice(
            format!("{} {} ×{}", i.emoji, i.name, inv.quantity(&i.id)),
            i.id.clone(),
        );
    }
    out
}
