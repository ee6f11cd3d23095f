//! `items`: the collection game (issue 10).
//!
//! * [`crates`]: `crates` (what you own and what is on offer, with your pity count),
//!   `crate open <type> [count]` / `crate open all` (prefix aliases `opencrate`, `openbox`),
//!   `crate list`. Opening is one transaction (`chronix_storage::items::open_crates`); the reply
//!   is an animated reveal: the embed edited in steps (shaking crate → rarity colour → loot).
//! * [`gems`]: `gems [rarity] [type]`, `forge <rarity> [count]` (confirm dialog with the chance,
//!   the cost and what failure costs; one transaction).
//! * [`weapons`]: `weapons`, `weapon info/equip/unequip/enhance/scrap` (enhance and scrap
//!   with a confirm dialog; one transaction each, `chronix_storage::weapons`).
//! * [`sockets`]: `gem empower <weapon> <gem>` (prefix `empower`, `socket`) and
//!   `gem unsocket <weapon> <slot>` (a fee), each after a confirm dialog.
//!
//! Switched by `ENABLE_GAMEPLAY` (shared with `hunt` and `autohunt`: the game tables it reads
//! are loaded by `hunt`'s start-up hook). Slash commands live under `/items`.

pub mod crates;
pub mod gems;
pub mod sockets;
pub mod weapons;

use crate::prelude::*;

/// The items feature.
pub fn feature() -> Feature {
    Feature::new("items", commands)
        .switch(crate::features::hunt::SWITCH)
        .slash_group("items", "Crates and the collection game", &[])
        .on_start(check_crate_defaults)
        .pages(weapons::PAGES, weapons::draw_weapons)
        .config_keys(&["CRATE_DEFAULTS", "ITEMS_CONFIRM_TTL_SECS"])
}

/// Items commands.
pub fn commands() -> Vec<Command> {
    vec![
        crates::crates(),
        crates::crate_cmd(),
        crates::opencrate(),
        gems::gems(),
        gems::forge_cmd(),
        weapons::weapons(),
        weapons::weapon_cmd(),
        sockets::gem_cmd(),
        sockets::empower(),
    ]
}

/// The items feature's typed refusals (shown as a ❌ embed; nothing changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsRefusal {
    /// No crate kind has that id or name.
    UnknownCrate {
        /// What the player typed.
        name: String,
    },
    /// The player has fewer crates of a kind than asked.
    NotEnoughCrates {
        /// Crate id.
        crate_id: String,
        /// Crates asked for.
        needed: i64,
        /// Crates owned.
        available: i64,
    },
    /// A count outside 1..=max.
    CountRange {
        /// The largest count accepted.
        max: u32,
    },
    /// `crate open all` with no crates.
    NoCrates,
    /// A `gems` filter that is neither a rarity nor a gem type.
    UnknownGemFilter {
        /// What the player typed.
        text: String,
    },
    /// Not a rarity name.
    UnknownRarity {
        /// What the player typed.
        text: String,
    },
    /// Celestial gems cannot be forged further.
    TopRarity,
    /// Fewer free gems of one type and rarity than the forges need.
    NotEnoughGems {
        /// The tier asked for.
        rarity: chronix_core::tables::Rarity,
        /// Gems per forge.
        inputs: u32,
        /// Forges asked for.
        count: u32,
        /// Forges possible.
        possible: u32,
    },
    /// Storage refused (shown with the economy's texts).
    Storage(chronix_storage::Refusal),
}

impl std::fmt::Display for ItemsRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::errors::Refusal::text(self, Locale::EN))
    }
}

impl crate::errors::Refusal for ItemsRefusal {
    fn text(&self, l: Locale) -> String {
        match self {
            ItemsRefusal::UnknownCrate { name } => {
                let known: Vec<String> = crate::tables::tables()
                    .crates()
                    .iter()
                    .map(|c| format!("`{}`", c.id))
                    .collect();
                tr!(
                    l,
                    "items-crate-unknown",
                    name = embeds::truncate(name.trim(), 40).replace('`', "'"),
                    known = known.join(", ")
                )
            }
            ItemsRefusal::NotEnoughCrates {
                crate_id,
                needed,
                available,
            } => {
                let label = crate::tables::tables()
                    .crate_def(crate_id)
                    .map_or_else(|| format!("`{crate_id}`"), crates::crate_label);
                tr!(
                    l,
                    "items-crate-not-enough",
                    label = label,
                    needed = needed.to_string(),
                    available = available.to_string()
                )
            }
            ItemsRefusal::CountRange { max } => {
                tr!(l, "items-count-range", max = max.to_string())
            }
            ItemsRefusal::NoCrates => tr!(l, "items-no-crates"),
            ItemsRefusal::UnknownGemFilter { text } => tr!(
                l,
                "items-gems-unknown-filter",
                text = embeds::truncate(text.trim(), 40).replace('`', "'")
            ),
            ItemsRefusal::UnknownRarity { text } => tr!(
                l,
                "items-unknown-rarity",
                text = embeds::truncate(text.trim(), 40).replace('`', "'")
            ),
            ItemsRefusal::TopRarity => tr!(l, "items-forge-top"),
            ItemsRefusal::NotEnoughGems {
                rarity,
                inputs,
                count,
                possible,
            } => tr!(
                l,
                "items-forge-not-enough",
                rarity = tr!(l, "items-rarity", rarity = rarity.as_str()),
                inputs = inputs.to_string(),
                count = *count,
                possible = *possible
            ),
            ItemsRefusal::Storage(r) => crate::features::economy::refusal_text(l, r),
        }
    }
}

/// A storage error as the command error: a crate shortage or another refusal as an
/// [`ItemsRefusal`], anything else as an internal error.
pub fn storage_refusal(l: Locale, e: chronix_storage::StorageError) -> Error {
    use chronix_storage::{Refusal, StorageError};
    match e {
        StorageError::Refused(Refusal::NotEnoughItems {
            item,
            needed,
            available,
        }) if chronix_core::items::crate_of_key(&item).is_some() => crate::errors::refuse(
            l,
            ItemsRefusal::NotEnoughCrates {
                crate_id: chronix_core::items::crate_of_key(&item)
                    .unwrap_or_default()
                    .to_string(),
                needed,
                available,
            },
        ),
        StorageError::Refused(r) => crate::errors::refuse(l, ItemsRefusal::Storage(r)),
        e => anyhow::Error::new(e),
    }
}

/// Start-up: every `CRATE_DEFAULTS` id must be a crate kind of the tables.
fn check_crate_defaults(data: &Data) -> crate::registry::BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(async move {
        let unknown = chronix_core::items::unknown_crate_defaults(
            crate::tables::tables(),
            &data.config().crate_defaults,
        );
        if unknown.is_empty() {
            Ok(())
        } else {
            anyhow::bail!(
                "CRATE_DEFAULTS names crate kinds that assets/tables/crates.yaml does not define: {}",
                unknown.join(", ")
            )
        }
    })
}
