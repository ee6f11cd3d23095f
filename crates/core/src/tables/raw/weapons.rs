//! `weapons.yaml`: its YAML shape and validation into a [`WeaponTable`].

use serde::Deserialize;

use super::{Checker, ELEMENTS, ProblemKind, Rarity, ShopItem, WeightMap, entry_key, one};
use crate::economy::Chrons;
use crate::tables::ItemKind;
use crate::weapons::{EnhanceRules, WeaponTable, WeaponTier, WeaponType};

pub(super) const WEAPONS: &str = "weapons.yaml";

#[derive(Debug)]
pub(super) struct WeaponsFile {
    rarities: Vec<(String, RawTier)>,
    enhance: RawEnhance,
    unsocket_fee: WeightMap,
    weapons: Vec<RawWeapon>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    attack_pct: i64,
    slots: i64,
    scrap: i64,
    cost_pct: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnhance {
    material: String,
    chrons: RawCost,
    materials: RawMaterials,
    success_pct: Vec<i64>,
    attack_pct_per_level: i64,
    #[serde(default)]
    downgrade_from: Option<i64>,
    #[serde(default)]
    scrap_per_level: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCost {
    base: i64,
    growth_pct: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMaterials {
    base: i64,
    per_level: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeapon {
    id: String,
    name: String,
    emoji: String,
    element: String,
    attack: i64,
    crit: i64,
    #[serde(default = "one")]
    weight: i64,
    #[serde(default)]
    exclusive: bool,
}

impl WeaponsFile {
    /// Parses the file, `rarities` (a mapping) as ordered pairs so duplicates can be reported.
    pub(super) fn parse(c: &mut Checker, text: &str) -> Option<WeaponsFile> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Shape {
            rarities: serde_yaml::Mapping,
            enhance: RawEnhance,
            unsocket_fee: WeightMap,
            weapons: Vec<RawWeapon>,
        }
        let shape: Shape = c.parse(WEAPONS, text)?;
        let mut rarities = Vec::new();
        for (k, v) in shape.rarities {
            let name = k.as_str().unwrap_or_default().to_owned();
            match serde_yaml::from_value::<RawTier>(v) {
                Ok(t) => rarities.push((name, t)),
                Err(e) => c.push(
                    WEAPONS,
                    format!("rarities.{name}"),
                    ProblemKind::Parse,
                    format!("cannot parse: {e}"),
                ),
            }
        }
        Some(WeaponsFile {
            rarities,
            enhance: shape.enhance,
            unsocket_fee: shape.unsocket_fee,
            weapons: shape.weapons,
        })
    }
}

/// The enhancement material must be an item of kind material.
pub(super) fn check_material(c: &mut Checker, material: &str, items: &[ShopItem]) {
    match items.iter().find(|i| i.id == material) {
        None => c.push(
            WEAPONS,
            "enhance.material",
            ProblemKind::UnknownReference,
            format!("no item {material:?} in items.yaml"),
        ),
        Some(i) if i.kind != ItemKind::Material => c.push(
            WEAPONS,
            "enhance.material",
            ProblemKind::InvalidValue,
            format!("item {material:?} is not of kind material"),
        ),
        Some(_) => {}
    }
}

fn in_range(c: &mut Checker, key: String, v: i64, lo: i64, hi: i64) -> u32 {
    if !(lo..=hi).contains(&v) {
        c.push(
            WEAPONS,
            key,
            ProblemKind::InvalidValue,
            format!("must be between {lo} and {hi}, got {v}"),
        );
        return lo.max(0) as u32;
    }
    v as u32
}

/// Validates `weapons.yaml`. The material is checked against `items` when they parsed.
pub(super) fn check_weapons(
    c: &mut Checker,
    f: WeaponsFile,
    items: Option<&[ShopItem]>,
) -> WeaponTable {
    let mut tiers: [Option<WeaponTier>; 6] = Default::default();
    for (name, t) in &f.rarities {
        let key = format!("rarities.{name}");
        let Some(r) = c.rarity(WEAPONS, key.clone(), name) else {
            continue;
        };
        if tiers[r.index()].is_some() {
            c.push(
                WEAPONS,
                key.clone(),
                ProblemKind::DuplicateId,
                format!("rarity {} listed twice", r.as_str()),
            );
        }
        tiers[r.index()] = Some(WeaponTier {
            attack_pct: in_range(c, format!("{key}.attack_pct"), t.attack_pct, 1, 100_000),
            slots: in_range(c, format!("{key}.slots"), t.slots, 0, 10),
            scrap: in_range(c, format!("{key}.scrap"), t.scrap, 0, 1_000_000),
            cost_pct: in_range(c, format!("{key}.cost_pct"), t.cost_pct, 1, 100_000),
        });
    }
    let tiers = Rarity::ALL.map(|r| {
        tiers[r.index()].unwrap_or_else(|| {
            c.push(
                WEAPONS,
                format!("rarities.{}", r.as_str()),
                ProblemKind::InvalidValue,
                format!("missing tier {} (all six are required)", r.as_str()),
            );
            WeaponTier {
                attack_pct: 100,
                slots: 0,
                scrap: 0,
                cost_pct: 100,
            }
        })
    });

    let e = &f.enhance;
    c.text(WEAPONS, "enhance.material".into(), "material", &e.material);
    if let Some(items) = items {
        check_material(c, &e.material, items);
    }
    if e.success_pct.is_empty() || e.success_pct.len() > 100 {
        c.push(
            WEAPONS,
            "enhance.success_pct",
            ProblemKind::InvalidValue,
            "one chance per level, 1 to 100 levels".into(),
        );
    }
    let success_pct: Vec<u32> = e
        .success_pct
        .iter()
        .enumerate()
        .map(|(i, p)| in_range(c, format!("enhance.success_pct[{i}]"), *p, 1, 100))
        .collect();
    let downgrade_from = e
        .downgrade_from
        .map(|d| in_range(c, "enhance.downgrade_from".into(), d, 1, 100));
    let enhance = EnhanceRules {
        material: e.material.clone(),
        chrons_base: u64::from(in_range(
            c,
            "enhance.chrons.base".into(),
            e.chrons.base,
            0,
            1_000_000_000,
        )),
        growth_pct: in_range(
            c,
            "enhance.chrons.growth_pct".into(),
            e.chrons.growth_pct,
            100,
            1_000,
        ),
        materials_base: in_range(
            c,
            "enhance.materials.base".into(),
            e.materials.base,
            0,
            1_000_000,
        ),
        materials_per_level: in_range(
            c,
            "enhance.materials.per_level".into(),
            e.materials.per_level,
            0,
            1_000_000,
        ),
        success_pct,
        attack_pct_per_level: in_range(
            c,
            "enhance.attack_pct_per_level".into(),
            e.attack_pct_per_level,
            0,
            10_000,
        ),
        downgrade_from,
        scrap_per_level: in_range(
            c,
            "enhance.scrap_per_level".into(),
            e.scrap_per_level,
            0,
            1_000_000,
        ),
    };

    let mut fee: [Option<Chrons>; 6] = Default::default();
    for (name, v) in &f.unsocket_fee.0 {
        let key = format!("unsocket_fee.{name}");
        if let Some(r) = c.rarity(WEAPONS, key.clone(), name) {
            fee[r.index()] = Some(Chrons::new(i64::from(in_range(
                c,
                key,
                *v,
                0,
                1_000_000_000,
            ))));
        }
    }
    let unsocket_fee = Rarity::ALL.map(|r| {
        fee[r.index()].unwrap_or_else(|| {
            c.push(
                WEAPONS,
                format!("unsocket_fee.{}", r.as_str()),
                ProblemKind::InvalidValue,
                format!("missing tier {} (all six are required)", r.as_str()),
            );
            Chrons::ZERO
        })
    });

    if f.weapons.is_empty() {
        c.push(
            WEAPONS,
            "weapons",
            ProblemKind::EmptyPool,
            "no weapons defined".into(),
        );
    }
    c.ids(WEAPONS, "weapons", f.weapons.iter().map(|w| w.id.as_str()));
    let mut types = Vec::new();
    for (i, w) in f.weapons.into_iter().enumerate() {
        let key = entry_key("weapons", i, &w.id);
        c.text(WEAPONS, format!("{key}.name"), "name", &w.name);
        c.text(WEAPONS, format!("{key}.emoji"), "emoji", &w.emoji);
        if !ELEMENTS.contains(&w.element.as_str()) {
            c.push(
                WEAPONS,
                format!("{key}.element"),
                ProblemKind::InvalidValue,
                format!(
                    "unknown element {:?} (expected one of: {})",
                    w.element,
                    ELEMENTS.join(", ")
                ),
            );
        }
        let attack = in_range(c, format!("{key}.attack"), w.attack, 1, 1_000_000);
        let crit = in_range(c, format!("{key}.crit"), w.crit, 0, 1_000);
        let weight = c.weight(WEAPONS, format!("{key}.weight"), w.weight);
        types.push(WeaponType {
            id: w.id,
            name: w.name,
            emoji: w.emoji,
            element: w.element,
            attack,
            crit,
            weight,
            exclusive: w.exclusive,
        });
    }
    if !types.iter().any(|w| !w.exclusive) {
        c.push(
            WEAPONS,
            "weapons",
            ProblemKind::EmptyPool,
            "empty pool: every weapon is exclusive, so ordinary crates have none to drop".into(),
        );
    }
    WeaponTable {
        types,
        tiers,
        enhance,
        unsocket_fee,
    }
}
