//! Autocomplete of item names in the economy's slash options: `buy` (the shop's items),
//! `sell` (what you own), `market sell` (what you own, weapons included), `market list` (any
//! item or creature) and `trade` (completes the item of the side being typed: your stacks and
//! weapons before `for`, any item after it). The value sent is the item's id (`#12` for a
//! weapon), which the prefix forms accept as well as names.

use chronix_core::economy::normalise_name;
use chronix_storage::{inventory, weapons as weapon_store};

use super::shop::find_goods;
use super::tables;
use crate::kernel::ids::ToCore;
use crate::prelude::*;

/// Discord's limits: 25 choices, 100 characters per name and value.
const MAX_CHOICES: usize = 25;
const MAX_LEN: usize = 100;

/// One suggestion: what the player reads, what is sent.
struct Choice {
    label: String,
    value: String,
}

/// Whether `partial` (typed) matches a label or an id: empty, or contained in either
/// (case, spaces and `_` ignored), or the id of a weapon (`#12`, `12`).
fn matches(partial: &str, label: &str, value: &str) -> bool {
    let want = normalise_name(partial.trim().trim_start_matches('#'));
    want.is_empty()
        || normalise_name(label).contains(&want)
        || normalise_name(value.trim_start_matches('#')).contains(&want)
}

fn respond(partial: &str, choices: Vec<Choice>) -> serenity::CreateAutocompleteResponse {
    let mut out = serenity::CreateAutocompleteResponse::new();
    for c in choices
        .into_iter()
        .filter(|c| matches(partial, &c.label, &c.value))
        .filter(|c| c.value.chars().count() <= MAX_LEN)
        .take(MAX_CHOICES)
    {
        out = out.add_string_choice(embeds::truncate(&c.label, MAX_LEN), c.value);
    }
    out
}

/// The shop's items on sale.
fn shop_items() -> Vec<Choice> {
    tables()
        .items()
        .iter()
        .filter_map(|i| {
            let price = i.buy?;
            Some(Choice {
                label: format!(
                    "{} {} — {}",
                    i.emoji,
                    i.name,
                    chronix_core::render::format_chrons(chronix_core::economy::Chrons::new(price))
                ),
                value: i.id.clone(),
            })
        })
        .collect()
}

/// Every item and creature (a market filter, the other side of a trade).
fn all_goods() -> Vec<Choice> {
    let t = tables();
    let items = t.items().iter().map(|i| Choice {
        label: format!("{} {}", i.emoji, i.name),
        value: i.id.clone(),
    });
    let creatures = t.creatures().iter().map(|c| Choice {
        label: format!("{} {}", c.emoji, c.name),
        value: c.id.clone(),
    });
    items.chain(creatures).collect()
}

/// What `user` owns in stacks that the economy can move (most first).
async fn owned(data: &Data, user: chronix_core::ids::UserId) -> Vec<Choice> {
    let inv = inventory::list(data.storage(), user)
        .await
        .unwrap_or_default();
    let mut stacks: Vec<_> = inv
        .stacks
        .iter()
        .filter_map(|s| {
            let g = find_goods(Locale::EN, &s.item_key).ok()?;
            Some((s.quantity, g))
        })
        .collect();
    stacks.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    stacks
        .into_iter()
        .map(|(q, g)| Choice {
            label: format!("{} ×{q}", g.label.replace("**", "")),
            value: g.key,
        })
        .collect()
}

/// `user`'s weapons that can be given (not equipped), best first; the value is `#<id>`.
async fn weapons(data: &Data, user: chronix_core::ids::UserId) -> Vec<Choice> {
    let t = tables();
    let mut ws = weapon_store::list(data.storage(), user)
        .await
        .unwrap_or_default();
    ws.retain(|w| !w.equipped);
    ws.sort_by_key(|w| std::cmp::Reverse((w.state.rarity, w.state.level, w.id)));
    ws.iter()
        .map(|w| Choice {
            label: crate::features::items::weapons::weapon_label(t, w).replace("**", ""),
            value: format!("#{}", w.id),
        })
        .collect()
}

/// `buy`: the shop's items.
pub async fn autocomplete_buy<'a>(
    _ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    respond(partial, shop_items())
}

/// `sell`: what you own.
pub async fn autocomplete_owned<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    respond(partial, owned(ctx.data(), ctx.author().id.core()).await)
}

/// `market sell`: what you own, then your weapons.
pub async fn autocomplete_listable<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let user = ctx.author().id.core();
    let mut choices = owned(ctx.data(), user).await;
    choices.extend(weapons(ctx.data(), user).await);
    respond(partial, choices)
}

/// `market list`: any item or creature.
pub async fn autocomplete_goods<'a>(
    _ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    respond(partial, all_goods())
}

/// Splits a trade text being typed into what stays (`500 for 2k + `) and the item fragment
/// being typed (`gol`), and says whether that fragment is on the caller's side (before `for`).
fn split_offer(text: &str) -> (&str, &str, bool) {
    let (mine, cut) = match text.to_ascii_lowercase().rfind(" for ") {
        Some(i) => (false, i + 5),
        None => (true, 0),
    };
    // Inside that side: after the last `+` or `,`, then after a leading amount.
    let side = &text[cut..];
    let mut start = cut + side.rfind(['+', ',']).map_or(0, |i| i + 1);
    let rest = &text[start..];
    let trimmed = rest.trim_start();
    start += rest.len() - trimmed.len();
    if let Some((first, tail)) = trimmed.split_once(' ')
        && first.starts_with(|c: char| c.is_ascii_digit())
    {
        start += first.len() + 1 + (tail.len() - tail.trim_start().len());
    }
    (&text[..start], &text[start..], mine)
}

/// `trade`: completes the item being typed (your stacks and weapons on your side, any item on
/// theirs), keeping the rest of the text.
pub async fn autocomplete_offer<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let (head, fragment, mine) = split_offer(partial);
    let choices = if mine {
        let user = ctx.author().id.core();
        let mut c = owned(ctx.data(), user).await;
        c.extend(weapons(ctx.data(), user).await);
        c
    } else {
        all_goods()
    };
    let completed = choices
        .into_iter()
        .filter(|c| matches(fragment, &c.label, &c.value))
        .map(|c| Choice {
            label: format!("{head}{}", c.label),
            value: format!("{head}{}", c.value),
        })
        .collect();
    respond("", completed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_split_at_the_item_being_typed() {
        assert_eq!(split_offer("gol"), ("", "gol", true));
        assert_eq!(split_offer("500 gol"), ("500 ", "gol", true));
        assert_eq!(split_offer("500 + gol"), ("500 + ", "gol", true));
        assert_eq!(split_offer("500 for pet"), ("500 for ", "pet", false));
        assert_eq!(
            split_offer("#12 for 2k + golden"),
            ("#12 for 2k + ", "golden", false)
        );
        assert_eq!(split_offer(""), ("", "", true));
        assert!(matches("golden", "🥅 Golden Net", "golden_net"));
        assert!(matches("#1", "x", "#12"));
        assert!(!matches("lure", "🥅 Golden Net", "golden_net"));
    }
}
