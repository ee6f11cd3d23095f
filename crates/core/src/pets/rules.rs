//! The rules of `pets.yaml` ([`PetRules`]): parsed and validated against the other tables,
//! with the XP curve, stages, traits and rewards they define.

use std::collections::{BTreeMap, HashSet};

use chrono::Duration;
use serde::Deserialize;

use crate::economy::Chrons;
use crate::tables::{Creature, ELEMENTS, ProblemKind, Rarity, TableProblem, Tables};

use super::*;

/// An evolution stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Display name ("Young").
    pub name: String,
    /// Highest level of the stage.
    pub level_cap: u32,
    /// Stat bonus of the stage, in percent.
    pub stat_bonus_pct: u32,
    /// What evolving *into* this stage needs (`None` for the first stage).
    pub evolve: Option<EvolveCost>,
}

/// What an evolution needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvolveCost {
    /// The pet's level at least.
    pub min_level: u32,
    /// Chrons paid.
    pub chrons: Chrons,
    /// Items consumed (`user_items` key, count), in key order.
    pub items: Vec<(String, i64)>,
}

/// A pet trait (from `pets.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trait {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Emoji icon.
    pub emoji: String,
    /// Elements that have it.
    pub elements: Vec<String>,
    /// Tier from which every pet has it.
    pub min_rarity: Option<Rarity>,
    /// More XP from training, percent.
    pub train_xp_pct: u32,
    /// More XP from autohunt runs, percent.
    pub autohunt_xp_pct: u32,
    /// Less stamina spent, percent (capped at 90 in total).
    pub stamina_saver_pct: u32,
}

/// The combined effect of a pet's traits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraitEffects {
    /// More XP from training, percent.
    pub train_xp_pct: u32,
    /// More XP from autohunt runs, percent.
    pub autohunt_xp_pct: u32,
    /// Less stamina spent, percent (at most 90).
    pub stamina_saver_pct: u32,
}

/// The validated rules of `pets.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct PetRules {
    /// XP curve: base, linear, quadratic.
    pub xp: (u64, u64, u64),
    /// Percent of the base stats each level adds.
    pub growth_pct: u32,
    /// Highest stamina.
    pub stamina_max: u32,
    /// Stamina one training costs.
    pub train_cost: u32,
    /// Stamina one autohunt run costs.
    pub autohunt_cost: u32,
    /// Time between two trainings of one pet.
    pub train_cooldown: Duration,
    /// XP of a training (before traits).
    pub train_xp: (u64, u64),
    /// Affinity at adoption, in hundredths.
    pub affinity_start: u32,
    /// Highest affinity.
    pub affinity_max: u32,
    /// Affinity per training.
    pub affinity_per_train: u32,
    /// Affinity per feeding.
    pub affinity_per_feed: u32,
    /// XP per autohunt run (before traits).
    pub autohunt_xp: u64,
    /// Evolution stages (at least one).
    pub stages: Vec<Stage>,
    /// Stat bonus per prestige, percent.
    pub prestige_bonus_pct: u32,
    /// Most prestiges.
    pub prestige_max: u32,
    /// Item left behind by a release.
    pub release_item: String,
    /// How many of it, by tier index.
    pub release_count: [i64; 6],
    /// Chance that a creature rolled from a crate kind comes out as a pet.
    pub crate_pet_chance: BTreeMap<String, f64>,
    /// Most pets one player owns.
    pub max_pets: u32,
    /// Most active pets.
    pub team_size: u32,
    /// Traits.
    pub traits: Vec<Trait>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    xp: RawXp,
    growth_pct: u32,
    stamina: RawStamina,
    train: RawTrain,
    affinity: RawAffinity,
    autohunt: RawAutohunt,
    stages: Vec<RawStage>,
    prestige: RawPrestige,
    release: RawRelease,
    #[serde(default)]
    crate_pet_chance: BTreeMap<String, f64>,
    max_pets: u32,
    team_size: u32,
    #[serde(default)]
    traits: Vec<RawTrait>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawXp {
    base: u64,
    linear: u64,
    quadratic: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStamina {
    max: u32,
    train_cost: u32,
    autohunt_cost: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: u64,
    max: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrain {
    cooldown_secs: u32,
    xp: RawRange,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAffinity {
    start: u32,
    max: u32,
    per_train: u32,
    per_feed: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAutohunt {
    xp_per_run: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    name: String,
    level_cap: u32,
    #[serde(default)]
    stat_bonus_pct: u32,
    #[serde(default)]
    evolve: Option<RawEvolve>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvolve {
    min_level: u32,
    #[serde(default)]
    chrons: i64,
    #[serde(default)]
    items: BTreeMap<String, i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrestige {
    bonus_pct: u32,
    max: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    item: String,
    count: BTreeMap<String, i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrait {
    id: String,
    name: String,
    emoji: String,
    #[serde(default)]
    elements: Vec<String>,
    #[serde(default)]
    min_rarity: Option<String>,
    #[serde(default)]
    train_xp_pct: u32,
    #[serde(default)]
    autohunt_xp_pct: u32,
    #[serde(default)]
    stamina_saver_pct: u32,
}

struct Problems(Vec<TableProblem>);

impl Problems {
    fn push(&mut self, key: impl Into<String>, kind: ProblemKind, message: impl Into<String>) {
        self.0.push(TableProblem {
            file: FILE,
            key: key.into(),
            kind,
            message: message.into(),
        });
    }
}

impl PetRules {
    /// Parses and validates `pets.yaml` against `tables` (items and crates it names must exist).
    /// Returns every problem found.
    pub fn from_yaml_str(text: &str, tables: &Tables) -> Result<PetRules, Vec<TableProblem>> {
        let mut p = Problems(Vec::new());
        let raw: RawFile = match serde_yaml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                p.push("", ProblemKind::Parse, e.to_string());
                return Err(p.0);
            }
        };
        if raw.xp.base == 0 {
            p.push("xp.base", ProblemKind::InvalidValue, "must be at least 1");
        }
        if raw.stamina.max == 0 {
            p.push(
                "stamina.max",
                ProblemKind::InvalidValue,
                "must be at least 1",
            );
        }
        for (k, v) in [
            ("stamina.train_cost", raw.stamina.train_cost),
            ("stamina.autohunt_cost", raw.stamina.autohunt_cost),
        ] {
            if v > raw.stamina.max {
                p.push(k, ProblemKind::InvalidValue, "is above stamina.max");
            }
        }
        if raw.train.xp.min > raw.train.xp.max {
            p.push("train.xp", ProblemKind::MinAboveMax, "min is above max");
        }
        if raw.affinity.start == 0 || raw.affinity.start > raw.affinity.max {
            p.push(
                "affinity.start",
                ProblemKind::InvalidValue,
                "must be between 1 and affinity.max",
            );
        }
        if raw.stages.is_empty() {
            p.push(
                "stages",
                ProblemKind::EmptyPool,
                "at least one stage is needed",
            );
        }
        let mut stages = Vec::new();
        let mut prev_cap = 0;
        for (i, s) in raw.stages.into_iter().enumerate() {
            let key = format!("stages[{i}]");
            if s.name.trim().is_empty() {
                p.push(format!("{key}.name"), ProblemKind::InvalidValue, "is empty");
            }
            if s.level_cap <= prev_cap {
                p.push(
                    format!("{key}.level_cap"),
                    ProblemKind::InvalidValue,
                    "must be above the previous stage's cap",
                );
            }
            let evolve = match (i, s.evolve) {
                (0, Some(_)) => {
                    p.push(
                        format!("{key}.evolve"),
                        ProblemKind::InvalidValue,
                        "the first stage cannot be evolved into",
                    );
                    None
                }
                (0, None) => None,
                (_, None) => {
                    p.push(
                        format!("{key}.evolve"),
                        ProblemKind::InvalidValue,
                        "missing: how to evolve into this stage",
                    );
                    None
                }
                (_, Some(e)) => {
                    if e.min_level == 0 || e.min_level > prev_cap {
                        p.push(
                            format!("{key}.evolve.min_level"),
                            ProblemKind::InvalidValue,
                            "must be reachable in the previous stage (1..=its level_cap)",
                        );
                    }
                    if e.chrons < 0 {
                        p.push(
                            format!("{key}.evolve.chrons"),
                            ProblemKind::InvalidValue,
                            "must not be negative",
                        );
                    }
                    for (item, n) in &e.items {
                        if tables.item(item).is_none() {
                            p.push(
                                format!("{key}.evolve.items.{item}"),
                                ProblemKind::UnknownReference,
                                "no such item in items.yaml",
                            );
                        }
                        if *n <= 0 {
                            p.push(
                                format!("{key}.evolve.items.{item}"),
                                ProblemKind::NonPositiveWeight,
                                "count must be at least 1",
                            );
                        }
                    }
                    Some(EvolveCost {
                        min_level: e.min_level,
                        chrons: Chrons::new(e.chrons.max(0)),
                        items: e.items.into_iter().collect(),
                    })
                }
            };
            prev_cap = prev_cap.max(s.level_cap);
            stages.push(Stage {
                name: s.name,
                level_cap: s.level_cap,
                stat_bonus_pct: s.stat_bonus_pct,
                evolve,
            });
        }
        if tables.item(&raw.release.item).is_none() {
            p.push(
                "release.item",
                ProblemKind::UnknownReference,
                "no such item in items.yaml",
            );
        }
        let mut release_count = [0i64; 6];
        for (name, n) in &raw.release.count {
            match Rarity::from_name(name) {
                Some(r) if *n >= 0 => release_count[r.index()] = *n,
                Some(_) => p.push(
                    format!("release.count.{name}"),
                    ProblemKind::InvalidValue,
                    "must not be negative",
                ),
                None => p.push(
                    format!("release.count.{name}"),
                    ProblemKind::UnknownRarity,
                    "not one of the six tiers",
                ),
            }
        }
        for (id, chance) in &raw.crate_pet_chance {
            if tables.crate_def(id).is_none() {
                p.push(
                    format!("crate_pet_chance.{id}"),
                    ProblemKind::UnknownReference,
                    "no such crate in crates.yaml",
                );
            }
            if !(0.0..=1.0).contains(chance) {
                p.push(
                    format!("crate_pet_chance.{id}"),
                    ProblemKind::ProbabilityOutOfRange,
                    "must be between 0 and 1",
                );
            }
        }
        if raw.team_size == 0 || raw.max_pets < raw.team_size {
            p.push(
                "team_size",
                ProblemKind::InvalidValue,
                "must be at least 1 and at most max_pets",
            );
        }
        let mut seen = HashSet::new();
        let mut traits = Vec::new();
        for t in raw.traits {
            let key = format!("traits[{}]", t.id);
            if !seen.insert(t.id.clone()) {
                p.push(&key, ProblemKind::DuplicateId, "listed twice");
            }
            for e in &t.elements {
                if !ELEMENTS.contains(&e.as_str()) {
                    p.push(
                        format!("{key}.elements"),
                        ProblemKind::InvalidValue,
                        format!("unknown element {e:?}"),
                    );
                }
            }
            let min_rarity = match t.min_rarity.as_deref().map(Rarity::from_name) {
                None => None,
                Some(Some(r)) => Some(r),
                Some(None) => {
                    p.push(
                        format!("{key}.min_rarity"),
                        ProblemKind::UnknownRarity,
                        "not one of the six tiers",
                    );
                    None
                }
            };
            if t.elements.is_empty() && min_rarity.is_none() {
                p.push(
                    &key,
                    ProblemKind::InvalidValue,
                    "needs elements or min_rarity (else no pet has it)",
                );
            }
            traits.push(Trait {
                id: t.id,
                name: t.name,
                emoji: t.emoji,
                elements: t.elements,
                min_rarity,
                train_xp_pct: t.train_xp_pct,
                autohunt_xp_pct: t.autohunt_xp_pct,
                stamina_saver_pct: t.stamina_saver_pct,
            });
        }
        if !p.0.is_empty() {
            return Err(p.0);
        }
        Ok(PetRules {
            xp: (raw.xp.base, raw.xp.linear, raw.xp.quadratic),
            growth_pct: raw.growth_pct,
            stamina_max: raw.stamina.max,
            train_cost: raw.stamina.train_cost,
            autohunt_cost: raw.stamina.autohunt_cost,
            train_cooldown: Duration::seconds(i64::from(raw.train.cooldown_secs)),
            train_xp: (raw.train.xp.min, raw.train.xp.max),
            affinity_start: raw.affinity.start,
            affinity_max: raw.affinity.max,
            affinity_per_train: raw.affinity.per_train,
            affinity_per_feed: raw.affinity.per_feed,
            autohunt_xp: raw.autohunt.xp_per_run,
            stages,
            prestige_bonus_pct: raw.prestige.bonus_pct,
            prestige_max: raw.prestige.max,
            release_item: raw.release.item,
            release_count,
            crate_pet_chance: raw.crate_pet_chance,
            max_pets: raw.max_pets,
            team_size: raw.team_size,
            traits,
        })
    }

    /// The shipped rules, validated against `tables`.
    pub fn shipped(tables: &Tables) -> Result<PetRules, Vec<TableProblem>> {
        PetRules::from_yaml_str(shipped_source(), tables)
    }

    /// XP to go from `level` to `level + 1` (at least 1).
    pub fn xp_to_next(&self, level: u32) -> u64 {
        let l = u64::from(level.max(1) - 1);
        let (b, li, q) = self.xp;
        b.saturating_add(li.saturating_mul(l))
            .saturating_add(q.saturating_mul(l).saturating_mul(l))
            .max(1)
    }

    /// Total XP from level 1 to reach `level`.
    pub fn total_xp_for_level(&self, level: u32) -> u64 {
        (1..level.max(1)).fold(0u64, |a, l| a.saturating_add(self.xp_to_next(l)))
    }

    /// The level cap of `stage` (the last stage's cap beyond the last).
    pub fn level_cap(&self, stage: u32) -> u32 {
        let i = (stage as usize).min(self.stages.len() - 1);
        self.stages[i].level_cap
    }

    /// The stage a pet at `stage` may evolve into, if any.
    pub fn next_stage(&self, stage: u32) -> Option<&Stage> {
        self.stages.get(stage as usize + 1)
    }

    /// The stage `stage` (clamped to the last).
    pub fn stage(&self, stage: u32) -> &Stage {
        &self.stages[(stage as usize).min(self.stages.len() - 1)]
    }

    /// The traits of a creature, in file order.
    pub fn traits_of(&self, creature: &Creature) -> Vec<&Trait> {
        self.traits
            .iter()
            .filter(|t| {
                t.elements.contains(&creature.element)
                    || t.min_rarity.is_some_and(|r| creature.rarity >= r)
            })
            .collect()
    }

    /// The combined effect of a creature's traits.
    pub fn effects_of(&self, creature: &Creature) -> TraitEffects {
        let mut e = TraitEffects::default();
        for t in self.traits_of(creature) {
            e.train_xp_pct = e.train_xp_pct.saturating_add(t.train_xp_pct);
            e.autohunt_xp_pct = e.autohunt_xp_pct.saturating_add(t.autohunt_xp_pct);
            e.stamina_saver_pct = e.stamina_saver_pct.saturating_add(t.stamina_saver_pct);
        }
        e.stamina_saver_pct = e.stamina_saver_pct.min(90);
        e
    }

    /// The stamina a cost of `base` comes to under `effects` (at least 1 when `base` > 0).
    pub fn stamina_cost(&self, base: u32, effects: &TraitEffects) -> u32 {
        if base == 0 {
            return 0;
        }
        (base * (100 - effects.stamina_saver_pct.min(90)) / 100).max(1)
    }

    /// Items a released pet of `rarity` leaves behind.
    pub fn release_reward(&self, rarity: Rarity) -> (String, i64) {
        (
            self.release_item.clone(),
            self.release_count[rarity.index()],
        )
    }

    /// A fresh pet's state.
    pub fn new_pet(&self) -> PetState {
        PetState {
            level: 1,
            xp: 0,
            stamina: self.stamina_max,
            affinity: self.affinity_start,
            stage: 0,
            prestige: 0,
        }
    }
}
