//! Crates: `crates` / `crate list` (owned and on offer), `crate open <type> [count]` and
//! `crate open all` (prefix `opencrate`, `openbox`), with the animated reveal.
//!
//! Opening is decided and applied first, in one transaction
//! (`chronix_storage::items::open_crates`: crates consumed, pity counted, loot and Chrons
//! granted through the ledger); only then is the reveal played. The reveal is one message
//! edited twice, [`REVEAL_STEP`] apart (shaking crate → the best loot's rarity colour → the
//! loot), i.e. three writes in about 2.5 s, well under Discord's per-channel message rate limit
//! (5 per 5 s). It is presentation, not timed work: a restart in the middle leaves the message
//! on an earlier step, but the player already owns the loot (`inventory` shows it).

use std::collections::BTreeMap;
use std::time::Duration;

use chronix_core::items::{MAX_OPEN, PityOpening, crates_on_offer, open_crate_with_pity};
use chronix_core::render::{format_chrons, loot_line};
use chronix_core::tables::{CrateDef, Rarity, Tables};
use chronix_storage::inventory;
use chronix_storage::items::{self as store, Opened};

use super::ItemsRefusal;
use crate::features::economy;
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::tables::{rng, tables};

/// Time between two steps of the reveal.
pub const REVEAL_STEP: Duration = Duration::from_millis(1_200);

/// Loot lines shown when many crates were opened (the rest is summarised by rarity).
const SUMMARY_LINES: usize = 10;

/// Finds a crate kind by id (`basic`), inventory key (`basic_crate`) or name (`Basic Crate`,
/// `basic crate`), case-insensitively.
pub fn find_crate<'t>(t: &'t Tables, text: &str) -> Option<&'t CrateDef> {
    let want = chronix_core::economy::normalise_name(text);
    t.crates().iter().find(|c| {
        c.id == want
            || c.item_key() == want
            || chronix_core::economy::normalise_name(&c.name) == want
    })
}

/// `📦 **Basic Crate**`.
pub fn crate_label(c: &CrateDef) -> String {
    format!("{} **{}**", c.emoji, c.name)
}

fn rarity_name(l: Locale, r: Rarity) -> String {
    tr!(l, "items-rarity", rarity = r.as_str())
}

/// `crates`: your crates (with your pity count) and the crates on offer.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn crates(ctx: Context<'_>) -> Result<(), Error> {
    show_crates(ctx).await
}

/// Your crates: list them, open them.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "crate",
    subcommands("crate_open", "crate_list"),
    custom_data = Tier::Everyone
)]
pub async fn crate_cmd(ctx: Context<'_>) -> Result<(), Error> {
    show_crates(ctx).await
}

/// Your crates and the crates on offer.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "list",
    custom_data = Tier::Everyone
)]
pub async fn crate_list(ctx: Context<'_>) -> Result<(), Error> {
    show_crates(ctx).await
}

/// Open crates: `crate open basic 3`, `crate open all`.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "open",
    custom_data = Tier::Everyone
)]
pub async fn crate_open(
    ctx: Context<'_>,
    #[description = "Crate type (or all)"]
    #[autocomplete = "autocomplete_crate"]
    kind: String,
    #[description = "How many (1 if empty)"] count: Option<u32>,
) -> Result<(), Error> {
    open(ctx, &kind, count).await
}

/// Open crates (same as `crate open`).
#[poise::command(prefix_command, aliases("openbox"), custom_data = Tier::Everyone)]
pub async fn opencrate(
    ctx: Context<'_>,
    #[description = "Crate type (or all)"] kind: String,
    #[description = "How many (1 if empty)"] count: Option<u32>,
) -> Result<(), Error> {
    open(ctx, &kind, count).await
}

/// Suggests the crate kinds the player owns (with how many, and `all`), then the others,
/// matching what they typed.
async fn autocomplete_crate<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let owned = inventory::list(ctx.data().storage(), ctx.author().id.core())
        .await
        .map(|i| i.crate_counts())
        .unwrap_or_default();
    let want = partial.trim().to_lowercase();
    let mut out = serenity::CreateAutocompleteResponse::new();
    if !owned.is_empty() && "all".starts_with(&want) {
        out = out.add_string_choice(tr!(ctx, "items-autocomplete-all"), "all");
    }
    let mut kinds: Vec<&CrateDef> = tables().crates().iter().collect();
    kinds.sort_by_key(|c| std::cmp::Reverse(owned.get(&c.id).copied().unwrap_or(0)));
    for c in kinds
        .into_iter()
        .filter(|c| c.id.contains(&want) || c.name.to_lowercase().contains(&want))
        .take(24)
    {
        let label = match owned.get(&c.id) {
            Some(n) => format!("{} {} ×{n}", c.emoji, c.name),
            None => format!("{} {}", c.emoji, c.name),
        };
        out = out.add_string_choice(label, c.id.clone());
    }
    out
}

async fn show_crates(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let storage = ctx.data().storage();
    let owned = inventory::list(storage, user).await?.crate_counts();
    let pity = store::pity_counts(storage, user).await?;
    let mut lines = Vec::new();
    for (id, n) in &owned {
        let Some(def) = t.crate_def(id) else {
            lines.push(format!("📦 `{id}` ×{n}"));
            continue;
        };
        let mut line = tr!(
            l,
            "items-crates-owned-line",
            label = crate_label(def),
            id = def.id.as_str(),
            count = n.to_string()
        );
        if let Some(p) = def.pity {
            let misses = pity.get(id).map_or(0, |c| c.misses);
            line.push(' ');
            line.push_str(&tr!(
                l,
                "items-crates-pity",
                misses = misses.to_string(),
                after = p.after.to_string(),
                rarity = rarity_name(l, p.rarity)
            ));
        }
        lines.push(line);
    }
    let offer: Vec<String> = crates_on_offer(t, &ctx.data().config().crate_defaults, now)
        .into_iter()
        .map(|c| {
            let price = t.item(&c.item_key()).and_then(|i| i.buy).map_or_else(
                || tr!(l, "items-crates-not-sold"),
                |p| format_chrons(chronix_core::economy::Chrons::new(p)),
            );
            match c.event {
                Some(w) => tr!(
                    l,
                    "items-crates-offer-event",
                    label = crate_label(c),
                    id = c.id.as_str(),
                    price = price,
                    ends = format!("<t:{}:R>", w.end.timestamp())
                ),
                None => tr!(
                    l,
                    "items-crates-offer",
                    label = crate_label(c),
                    id = c.id.as_str(),
                    price = price
                ),
            }
        })
        .collect();
    let mut e = Embed::gameplay(tr!(
        l,
        "items-crates-title",
        user = ctx.author().name.as_str()
    ))
    .description(if lines.is_empty() {
        tr!(l, "items-crates-none")
    } else {
        lines.join("\n")
    })
    .footer(tr!(l, "items-crates-footer"));
    if !offer.is_empty() {
        e = e.field(tr!(l, "items-crates-on-offer"), offer.join("\n"), false);
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// What to open: `(crate id, count)` per kind.
fn plan(
    t: &Tables,
    kind: &str,
    count: Option<u32>,
    owned: &BTreeMap<String, i64>,
) -> Result<Vec<(String, u32)>, ItemsRefusal> {
    if let Some(n) = count {
        if n == 0 || n > MAX_OPEN {
            return Err(ItemsRefusal::CountRange { max: MAX_OPEN });
        }
    }
    if kind.trim().eq_ignore_ascii_case("all") {
        // Every kind the player owns, in table order, up to `count` (or MAX_OPEN) crates.
        let mut budget = count.unwrap_or(MAX_OPEN);
        let mut out = Vec::new();
        for c in t.crates() {
            let have = owned.get(&c.id).copied().unwrap_or(0);
            let take = u32::try_from(have).unwrap_or(u32::MAX).min(budget);
            if take > 0 {
                out.push((c.id.clone(), take));
                budget -= take;
            }
        }
        if out.is_empty() {
            return Err(ItemsRefusal::NoCrates);
        }
        return Ok(out);
    }
    let def = find_crate(t, kind).ok_or_else(|| ItemsRefusal::UnknownCrate {
        name: kind.to_string(),
    })?;
    Ok(vec![(def.id.clone(), count.unwrap_or(1))])
}

fn roll_one(t: &Tables, id: &str, misses: u32, rng: &mut impl rand::Rng) -> PityOpening {
    match t.crate_def(id) {
        Some(def) => open_crate_with_pity(t, def, misses, rng),
        // Unreachable: every id of a plan comes from the tables. Nothing found, no panic.
        None => PityOpening {
            opening: chronix_core::items::CrateOpening {
                crate_id: id.to_string(),
                chrons: chronix_core::economy::Chrons::ZERO,
                loot: Vec::new(),
            },
            pity_used: false,
            misses_after: misses,
        },
    }
}

async fn open(ctx: Context<'_>, kind: &str, count: Option<u32>) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let data = ctx.data();
    let owned = inventory::list(data.storage(), user).await?.crate_counts();
    let batch = plan(t, kind, count, &owned).map_err(|r| crate::errors::refuse(l, r))?;
    // Creatures may hatch as pets (`pets.yaml`), while the player has room for them.
    let pets = crate::features::pets::pet_room(data, user).await?;
    let opened = economy::with_item_definitions(data, || {
        let mut rng = rng();
        let mut room = pets;
        store::open_crates(
            data.storage(),
            user,
            guild,
            &batch,
            now,
            move |id, misses| {
                let mut o = roll_one(t, id, misses, &mut rng);
                chronix_core::pets::hatch(
                    crate::tables::pet_rules(),
                    id,
                    &mut o.opening.loot,
                    &mut room,
                    &mut rng,
                );
                o
            },
        )
    })
    .await
    .map_err(|e| super::storage_refusal(l, e))?;
    reveal(ctx, t, &opened).await?;
    // Legendary and better finds go to the server's gameplay log.
    if let Some(r) = best(&opened).filter(|r| *r >= Rarity::Legendary) {
        crate::events::gameplay_note(ctx, "crate_open", "note-crate-rare", |n| {
            n.arg("user", format!("<@{user}>"))
                .arg("what", what(l, t, &opened))
                .arg(
                    "rarity",
                    format!("{} {}", t.rarity_emoji(r), rarity_name(l, r)),
                )
                .payload(serde_json::json!({
                    "crates": opened.count(),
                    "best": format!("{r:?}"),
                    "chrons": opened.chrons.get(),
                }))
        })
        .await;
    }
    Ok(())
}

/// The reveal: the message, edited twice.
async fn reveal(ctx: Context<'_>, t: &Tables, opened: &Opened) -> Result<(), Error> {
    let Caller { locale: l, .. } = Caller::of(ctx).await;
    let handle = ctx.send(embeds::reply(shaking_embed(l, t, opened))).await?;
    tokio::time::sleep(REVEAL_STEP).await;
    handle
        .edit(ctx, embeds::reply(glow_embed(l, t, opened)))
        .await?;
    tokio::time::sleep(REVEAL_STEP).await;
    handle
        .edit(ctx, embeds::reply(final_embed(l, t, opened)))
        .await?;
    Ok(())
}

fn best(opened: &Opened) -> Option<Rarity> {
    opened.loot().filter_map(|x| x.rarity()).max()
}

fn what(l: Locale, t: &Tables, opened: &Opened) -> String {
    match opened.kinds.as_slice() {
        [one] if one.openings.len() == 1 => t.crate_def(&one.crate_id).map_or_else(
            || one.crate_id.clone(),
            |c| format!("{} {}", c.emoji, c.name),
        ),
        _ => tr!(l, "items-crates-count", count = opened.count()),
    }
}

fn icon(t: &Tables, opened: &Opened) -> String {
    match opened.kinds.as_slice() {
        [one] => t
            .crate_def(&one.crate_id)
            .map_or("📦".to_string(), |c| c.emoji.clone()),
        _ => "📦".to_string(),
    }
}

/// Step 1: the crate shakes.
pub fn shaking_embed(l: Locale, t: &Tables, opened: &Opened) -> Embed {
    Embed::gameplay(tr!(l, "items-reveal-title", what = what(l, t, opened)))
        .description(tr!(l, "items-reveal-shaking", icon = icon(t, opened)))
        .without_timestamp()
}

/// Step 2: the glow of the best rarity inside.
pub fn glow_embed(l: Locale, t: &Tables, opened: &Opened) -> Embed {
    let e = Embed::gameplay(tr!(l, "items-reveal-title", what = what(l, t, opened)))
        .without_timestamp();
    match best(opened) {
        Some(r) => e.colour(r.colour()).description(tr!(
            l,
            "items-reveal-glow",
            emoji = t.rarity_emoji(r),
            rarity = rarity_name(l, r)
        )),
        None => e.description(tr!(l, "items-reveal-glow-none")),
    }
}

/// Step 3: the loot (one line each, or a summary by rarity when many crates were opened).
pub fn final_embed(l: Locale, t: &Tables, opened: &Opened) -> Embed {
    let mut loot: Vec<&chronix_core::items::Loot> = opened.loot().collect();
    let many = opened.count() > 1;
    let mut e = Embed::gameplay(tr!(l, "items-opened-title", what = what(l, t, opened)));
    if let Some(r) = best(opened) {
        e = e.colour(r.colour());
    }
    if many {
        let mut by_rarity: BTreeMap<std::cmp::Reverse<Rarity>, usize> = BTreeMap::new();
        for x in &loot {
            if let Some(r) = x.rarity() {
                *by_rarity.entry(std::cmp::Reverse(r)).or_insert(0) += 1;
            }
        }
        let summary: Vec<String> = by_rarity
            .iter()
            .map(|(r, n)| format!("{} {} ×{n}", t.rarity_emoji(r.0), rarity_name(l, r.0)))
            .collect();
        if !summary.is_empty() {
            e = e.field(tr!(l, "items-field-summary"), summary.join(" · "), false);
        }
        loot.sort_by_key(|x| std::cmp::Reverse(x.rarity()));
    }
    let mut lines: Vec<String> = loot
        .iter()
        .take(if many { SUMMARY_LINES } else { usize::MAX })
        .map(|x| loot_line(t, x))
        .collect();
    if loot.len() > lines.len() {
        lines.push(tr!(l, "items-loot-more", count = loot.len() - lines.len()));
    }
    e = e.field(
        if many {
            tr!(l, "items-field-best")
        } else {
            tr!(l, "items-field-loot")
        },
        if lines.is_empty() {
            tr!(l, "items-loot-none")
        } else {
            lines.join("\n")
        },
        false,
    );
    e = e.field(
        tr!(l, "items-field-chrons"),
        tr!(
            l,
            "items-chrons",
            gained = format_chrons(opened.chrons),
            balance = format_chrons(opened.balance_after)
        ),
        true,
    );
    let left: Vec<String> = opened
        .kinds
        .iter()
        .map(|k| {
            let label = t
                .crate_def(&k.crate_id)
                .map_or_else(|| k.crate_id.clone(), crate_label);
            format!("{label} ×{}", k.left)
        })
        .collect();
    e = e.field(tr!(l, "items-field-left"), left.join("\n"), true);
    let pity_hits = opened
        .kinds
        .iter()
        .flat_map(|k| k.openings.iter())
        .filter(|o| o.pity_used)
        .count();
    let footer = match (pity_hits, opened.kinds.as_slice()) {
        (0, [one]) => t.crate_def(&one.crate_id).and_then(|d| d.pity).map(|p| {
            tr!(
                l,
                "items-pity-progress",
                misses = one.misses_after.to_string(),
                after = p.after.to_string(),
                rarity = rarity_name(l, p.rarity)
            )
        }),
        (0, _) => None,
        (n, _) => Some(tr!(l, "items-pity-used", count = n)),
    };
    if let Some(f) = footer {
        e = e.footer(f);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_found_by_id_key_or_name() {
        let t = tables();
        for text in [
            "basic",
            "Basic",
            "basic_crate",
            "Basic Crate",
            " basic crate ",
        ] {
            assert_eq!(find_crate(t, text).map(|c| c.id.as_str()), Some("basic"));
        }
        assert!(find_crate(t, "golden").is_none());
    }

    #[test]
    fn plans_follow_the_count_and_all() {
        let t = tables();
        let owned: BTreeMap<String, i64> =
            [("basic".to_string(), 40), ("mythic".to_string(), 30)].into();
        assert_eq!(
            plan(t, "basic", Some(3), &owned).unwrap(),
            [("basic".to_string(), 3)]
        );
        assert_eq!(
            plan(t, "all", None, &owned).unwrap(),
            [("basic".to_string(), 40), ("mythic".to_string(), 10)],
            "all stops at MAX_OPEN"
        );
        assert_eq!(
            plan(t, "ALL", Some(5), &owned).unwrap(),
            [("basic".to_string(), 5)]
        );
        let range = Err(ItemsRefusal::CountRange { max: MAX_OPEN });
        assert_eq!(plan(t, "basic", Some(0), &owned), range);
        assert_eq!(plan(t, "basic", Some(MAX_OPEN + 1), &owned), range);
        assert_eq!(
            plan(t, "all", None, &BTreeMap::new()),
            Err(ItemsRefusal::NoCrates)
        );
        assert_eq!(
            plan(t, "golden", None, &owned),
            Err(ItemsRefusal::UnknownCrate {
                name: "golden".into()
            })
        );
    }
}
