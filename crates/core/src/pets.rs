//! Pets: the rules of `assets/tables/pets.yaml` ([`PetRules`], parsed and validated against the
//! other [`Tables`]) and the pure operations on a pet ([`PetState`]): XP and levels, training,
//! feeding, evolution, prestige, the autohunt share, stats and traits, names.
//!
//! A pet is a creature of `creatures.yaml` kept by a player: its *type* is the creature id, its
//! rarity, element and base stats come from the creature. What it gains lives in [`PetState`]:
//!
//! * **XP and level**: going from level `L` to `L + 1` costs
//!   `base + linear·(L−1) + quadratic·(L−1)²` XP ([`PetRules::xp_to_next`]); XP is kept as the XP
//!   *into* the current level. Each evolution stage has a level cap; at the cap XP stops (the
//!   extra is lost and the outcome says so) until the pet evolves.
//! * **Stamina** (0..max): training costs `train_cost`, an autohunt run `autohunt_cost` (traits
//!   may lower both); pet food restores it. **Affinity** (hundredths, 100 = ×1.00) grows with
//!   every training and feeding up to a maximum and scales the stats.
//! * **Evolution**: from stage `s` to `s + 1` at the next stage's `min_level`, consuming items and
//!   Chrons ([`evolve`]); the stage's stat bonus applies from then on.
//! * **Prestige**: at the last stage's cap, the pet starts again at level 1 of the first stage
//!   with a permanent `bonus_pct` % per prestige ([`prestige`]).
//! * **Stats** ([`stats`]): base × (1 + growth·(L−1)) × (1 + stage bonus) × (1 + prestige bonus)
//!   × affinity, each factor applied in integer per-cent arithmetic, never below the base.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::Deserialize;

use crate::economy::Chrons;
use crate::tables::{Creature, ELEMENTS, ProblemKind, Rarity, Stats, TableProblem, Tables};

/// The file name used in [`TableProblem`]s.
pub const FILE: &str = "pets.yaml";

/// The shipped `pets.yaml`, compiled in (the fallback and what tests use).
pub fn shipped_source() -> &'static str {
    include_str!("../../../assets/tables/pets.yaml")
}

/// Longest pet name, in characters.
pub const MAX_NAME_CHARS: usize = 32;

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

/// What a pet has gained (the rows of `pets` hold it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PetState {
    /// Level (≥ 1).
    pub level: u32,
    /// XP into the current level.
    pub xp: u64,
    /// Stamina.
    pub stamina: u32,
    /// Affinity in hundredths (100 = ×1.00).
    pub affinity: u32,
    /// Evolution stage (0 = first).
    pub stage: u32,
    /// Prestiges done.
    pub prestige: u32,
}

/// Why a pet operation is refused. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PetError {
    /// Not enough stamina.
    #[error("the pet is too tired: {have} stamina, {need} needed")]
    Tired {
        /// Stamina the pet has.
        have: u32,
        /// Stamina needed.
        need: u32,
    },
    /// Trained too recently.
    #[error("the pet trained recently; again at {until}")]
    Resting {
        /// When it may train again.
        until: DateTime<Utc>,
    },
    /// At its stage's level cap: training gives nothing until it evolves (or prestiges).
    #[error("the pet is at its level cap {cap}")]
    AtLevelCap {
        /// The cap.
        cap: u32,
    },
    /// Stamina already full: food would be wasted.
    #[error("the pet's stamina is already full")]
    StaminaFull,
    /// Not a level high enough to evolve.
    #[error("evolving needs level {need}")]
    LevelTooLow {
        /// Level needed.
        need: u32,
    },
    /// The last stage already.
    #[error("the pet is at its final stage")]
    FinalStage,
    /// Prestige needs the last stage's cap.
    #[error("prestige needs stage {stage} at level {level}")]
    NotReadyForPrestige {
        /// The stage (index) needed.
        stage: u32,
        /// The level needed.
        level: u32,
    },
    /// The most prestiges already.
    #[error("the pet has the most prestiges ({0})")]
    MaxPrestige(u32),
    /// The name cannot be used.
    #[error("bad pet name: {0:?}")]
    BadName(NameProblem),
    /// That item is not pet food.
    #[error("{0} is not pet food")]
    NotFood(String),
}

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Empty after trimming.
    Empty,
    /// Longer than [`MAX_NAME_CHARS`].
    TooLong,
    /// Contains a mention, a line break, a control character or markdown that could ping or
    /// break an embed (`@`, `<`, `>`, `` ` ``).
    Forbidden,
}

/// Checks and normalises a pet name (trimmed, inner whitespace collapsed).
pub fn validate_name(name: &str) -> Result<String, PetError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(PetError::BadName(NameProblem::Empty));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(PetError::BadName(NameProblem::TooLong));
    }
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '@' | '<' | '>' | '`' | '\u{200b}'..='\u{200f}'))
    {
        return Err(PetError::BadName(NameProblem::Forbidden));
    }
    Ok(name)
}

/// What adding XP did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XpGain {
    /// XP actually kept (less than offered when the cap was hit).
    pub gained: u64,
    /// Levels gained.
    pub levels: u32,
    /// True when the pet reached (or sat at) its stage's cap.
    pub capped: bool,
}

/// Adds `xp` to `s`, levelling up through the curve until the stage's cap (XP stops at the cap).
pub fn add_xp(rules: &PetRules, s: &mut PetState, xp: u64) -> XpGain {
    let cap = rules.level_cap(s.stage);
    let start_level = s.level;
    let mut left = xp;
    let mut gained = 0u64;
    while left > 0 && s.level < cap {
        let need = rules.xp_to_next(s.level) - s.xp.min(rules.xp_to_next(s.level) - 1);
        if left >= need {
            left -= need;
            gained += need;
            s.level += 1;
            s.xp = 0;
        } else {
            s.xp += left;
            gained += left;
            left = 0;
        }
    }
    if s.level >= cap {
        s.level = cap;
        s.xp = 0;
    }
    XpGain {
        gained,
        levels: s.level - start_level,
        capped: s.level >= cap,
    }
}

/// What a training did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Training {
    /// XP rolled (after traits).
    pub xp: u64,
    /// The XP applied.
    pub gain: XpGain,
    /// Stamina spent.
    pub stamina_spent: u32,
    /// When the pet may train again.
    pub next_at: DateTime<Utc>,
}

/// Trains a pet at `now` (last trained at `last`): checks the cooldown, the cap and the stamina,
/// rolls the XP, spends stamina, adds affinity.
pub fn train(
    rules: &PetRules,
    effects: &TraitEffects,
    s: &mut PetState,
    last: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    rng: &mut impl Rng,
) -> Result<Training, PetError> {
    if let Some(last) = last {
        let until = last + rules.train_cooldown;
        if now < until {
            return Err(PetError::Resting { until });
        }
    }
    let cap = rules.level_cap(s.stage);
    if s.level >= cap {
        return Err(PetError::AtLevelCap { cap });
    }
    let cost = rules.stamina_cost(rules.train_cost, effects);
    if s.stamina < cost {
        return Err(PetError::Tired {
            have: s.stamina,
            need: cost,
        });
    }
    let (lo, hi) = rules.train_xp;
    let base = rng.random_range(lo..=hi);
    let xp = base.saturating_mul(100 + u64::from(effects.train_xp_pct)) / 100;
    s.stamina -= cost;
    s.affinity = (s.affinity + rules.affinity_per_train).min(rules.affinity_max);
    let gain = add_xp(rules, s, xp);
    Ok(Training {
        xp,
        gain,
        stamina_spent: cost,
        next_at: now + rules.train_cooldown,
    })
}

/// Feeds a pet food restoring `restore` stamina: refused when full; returns the stamina gained.
pub fn feed(rules: &PetRules, s: &mut PetState, restore: u32) -> Result<u32, PetError> {
    if s.stamina >= rules.stamina_max {
        return Err(PetError::StaminaFull);
    }
    let before = s.stamina;
    s.stamina = s.stamina.saturating_add(restore).min(rules.stamina_max);
    s.affinity = (s.affinity + rules.affinity_per_feed).min(rules.affinity_max);
    Ok(s.stamina - before)
}

/// Checks an evolution and returns what it costs; on success `s` is at the next stage.
pub fn evolve(rules: &PetRules, s: &mut PetState) -> Result<EvolveCost, PetError> {
    let next = rules.next_stage(s.stage).ok_or(PetError::FinalStage)?;
    let cost = next
        .evolve
        .clone()
        .expect("validated: every stage after the first has an evolve cost");
    if s.level < cost.min_level {
        return Err(PetError::LevelTooLow {
            need: cost.min_level,
        });
    }
    s.stage += 1;
    Ok(cost)
}

/// Prestiges a pet: at the last stage's cap, back to level 1 of the first stage, one more
/// prestige (its bonus is permanent). Stamina and affinity are kept.
pub fn prestige(rules: &PetRules, s: &mut PetState) -> Result<(), PetError> {
    if s.prestige >= rules.prestige_max {
        return Err(PetError::MaxPrestige(rules.prestige_max));
    }
    let last = (rules.stages.len() - 1) as u32;
    let cap = rules.level_cap(last);
    if s.stage < last || s.level < cap {
        return Err(PetError::NotReadyForPrestige {
            stage: last,
            level: cap,
        });
    }
    s.prestige += 1;
    s.stage = 0;
    s.level = 1;
    s.xp = 0;
    Ok(())
}

/// The share of one autohunt run for a pet: spends `autohunt_cost` stamina (less with traits)
/// and gains `xp_per_run` XP (more with traits) when it has the stamina; else nothing.
/// Returns `(stamina spent, XP gained)`.
pub fn autohunt_run(rules: &PetRules, effects: &TraitEffects, s: &mut PetState) -> (u32, XpGain) {
    let cost = rules.stamina_cost(rules.autohunt_cost, effects);
    if s.stamina < cost || cost == 0 && rules.autohunt_xp == 0 {
        return (
            0,
            XpGain {
                gained: 0,
                levels: 0,
                capped: s.level >= rules.level_cap(s.stage),
            },
        );
    }
    s.stamina -= cost;
    let xp = rules
        .autohunt_xp
        .saturating_mul(100 + u64::from(effects.autohunt_xp_pct))
        / 100;
    (cost, add_xp(rules, s, xp))
}

fn scale(v: u32, pct: u64) -> u32 {
    u32::try_from(u64::from(v).saturating_mul(pct) / 100).unwrap_or(u32::MAX)
}

/// A pet's stats: the creature's base × level growth × stage bonus × prestige bonus × affinity.
pub fn stats(rules: &PetRules, base: &Stats, s: &PetState) -> Stats {
    let growth = 100 + u64::from(rules.growth_pct) * u64::from(s.level.saturating_sub(1));
    let stage = 100 + u64::from(rules.stage(s.stage).stat_bonus_pct);
    let prestige = 100 + u64::from(rules.prestige_bonus_pct) * u64::from(s.prestige);
    let affinity = u64::from(s.affinity.max(1));
    let f = |v: u32| scale(scale(scale(scale(v, growth), stage), prestige), affinity).max(v);
    Stats {
        hp: f(base.hp),
        attack: f(base.attack),
        defense: f(base.defense),
        speed: f(base.speed),
    }
}

/// One number for a pet's strength: hp/4 + attack + defense + speed.
pub fn power(s: &Stats) -> u64 {
    u64::from(s.hp) / 4 + u64::from(s.attack) + u64::from(s.defense) + u64::from(s.speed)
}

/// Whether a creature rolled from crate `crate_id` comes out as a pet (one draw).
pub fn hatches_from_crate(rules: &PetRules, crate_id: &str, rng: &mut impl Rng) -> bool {
    match rules.crate_pet_chance.get(crate_id) {
        Some(p) if *p > 0.0 => rng.random_bool(p.min(1.0)),
        _ => false,
    }
}

/// Turns creatures rolled from crate `crate_id` into pets, each with the crate kind's
/// `crate_pet_chance`, at most `room` of them (the pets the player may still own; decreased).
/// Returns how many hatched.
pub fn hatch(
    rules: &PetRules,
    crate_id: &str,
    loot: &mut [crate::items::Loot],
    room: &mut u32,
    rng: &mut impl Rng,
) -> u32 {
    let mut n = 0;
    for l in loot.iter_mut() {
        if *room == 0 {
            break;
        }
        if let crate::items::Loot::Creature(c) = l {
            if hatches_from_crate(rules, crate_id, rng) {
                *l = crate::items::Loot::Pet(c.clone());
                *room -= 1;
                n += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::test_tables;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn rules() -> PetRules {
        PetRules::shipped(&test_tables()).expect("shipped pets.yaml validates")
    }

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn xp_curve_is_the_documented_formula_and_increasing() {
        let r = rules();
        assert_eq!(r.xp_to_next(1), 50);
        assert_eq!(r.xp_to_next(2), 50 + 20 + 2);
        assert_eq!(r.xp_to_next(11), 50 + 200 + 200);
        assert_eq!(r.total_xp_for_level(1), 0);
        assert_eq!(r.total_xp_for_level(3), 50 + 72);
        for l in 1..60 {
            assert!(r.xp_to_next(l + 1) > r.xp_to_next(l));
        }
    }

    #[test]
    fn add_xp_levels_up_and_stops_at_the_stage_cap() {
        let r = rules();
        let mut s = r.new_pet();
        let g = add_xp(&r, &mut s, 49);
        assert_eq!((s.level, s.xp, g.levels, g.capped), (1, 49, 0, false));
        let g = add_xp(&r, &mut s, 1 + 72 + 5);
        assert_eq!((s.level, s.xp, g.levels, g.gained), (3, 5, 2, 78));
        let g = add_xp(&r, &mut s, u64::MAX / 4);
        assert_eq!((s.level, s.xp), (20, 0));
        assert!(g.capped);
        assert_eq!(
            g.gained,
            r.total_xp_for_level(20) - r.total_xp_for_level(3) - 5
        );
        // At the cap nothing is kept.
        assert_eq!(add_xp(&r, &mut s, 100).gained, 0);
    }

    #[test]
    fn training_costs_stamina_has_a_cooldown_and_a_cap() {
        let r = rules();
        let e = TraitEffects::default();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut s = r.new_pet();
        let t = train(&r, &e, &mut s, None, t0(), &mut rng).unwrap();
        assert!((30..=60).contains(&t.xp));
        assert_eq!((s.stamina, s.affinity, t.stamina_spent), (90, 101, 10));
        assert_eq!(t.next_at, t0() + Duration::seconds(300));
        let before = s;
        let err = train(
            &r,
            &e,
            &mut s,
            Some(t0()),
            t0() + Duration::seconds(299),
            &mut rng,
        );
        assert_eq!(
            err.unwrap_err(),
            PetError::Resting {
                until: t0() + Duration::seconds(300)
            }
        );
        assert_eq!(s, before);
        assert!(
            train(
                &r,
                &e,
                &mut s,
                Some(t0()),
                t0() + Duration::seconds(300),
                &mut rng
            )
            .is_ok()
        );
        s.stamina = 9;
        assert_eq!(
            train(&r, &e, &mut s, None, t0(), &mut rng).unwrap_err(),
            PetError::Tired { have: 9, need: 10 }
        );
        s.stamina = 100;
        s.level = 20;
        assert_eq!(
            train(&r, &e, &mut s, None, t0(), &mut rng).unwrap_err(),
            PetError::AtLevelCap { cap: 20 }
        );
    }

    #[test]
    fn traits_follow_element_and_rarity() {
        let r = rules();
        let t = test_tables();
        let rat = t.creature("ember_rat").unwrap();
        let names: Vec<_> = r.traits_of(rat).iter().map(|x| x.id.as_str()).collect();
        assert_eq!(names, ["blazing"]);
        assert_eq!(r.effects_of(rat).train_xp_pct, 15);
        let wyrm = t.creature("frost_wyrm").unwrap();
        let names: Vec<_> = r.traits_of(wyrm).iter().map(|x| x.id.as_str()).collect();
        assert_eq!(names, ["frosty", "noble"]);
        let e = r.effects_of(wyrm);
        assert_eq!(e.stamina_saver_pct, 35);
        assert_eq!(r.stamina_cost(10, &e), 6);
        assert_eq!(r.stamina_cost(4, &e), 2);
        // Training XP with +15 %: the range scales.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..50 {
            let mut s = r.new_pet();
            let x = train(&r, &r.effects_of(rat), &mut s, None, t0(), &mut rng).unwrap();
            assert!((34..=69).contains(&x.xp), "{}", x.xp);
        }
    }

    #[test]
    fn feeding_restores_stamina_up_to_max_and_refuses_when_full() {
        let r = rules();
        let mut s = r.new_pet();
        assert_eq!(feed(&r, &mut s, 25), Err(PetError::StaminaFull));
        s.stamina = 90;
        assert_eq!(feed(&r, &mut s, 25), Ok(10));
        assert_eq!((s.stamina, s.affinity), (100, 102));
        s.affinity = 149;
        s.stamina = 0;
        feed(&r, &mut s, 25).unwrap();
        assert_eq!((s.stamina, s.affinity), (25, 150));
    }

    #[test]
    fn evolution_needs_the_level_and_goes_one_stage_at_a_time() {
        let r = rules();
        let mut s = r.new_pet();
        s.level = 19;
        assert_eq!(evolve(&r, &mut s), Err(PetError::LevelTooLow { need: 20 }));
        s.level = 20;
        let cost = evolve(&r, &mut s).unwrap();
        assert_eq!(s.stage, 1);
        assert_eq!(cost.items, vec![("time_shard".to_string(), 3)]);
        assert_eq!(cost.chrons, Chrons::new(2000));
        // Now it can level past 20.
        assert_eq!(r.level_cap(s.stage), 35);
        assert_eq!(evolve(&r, &mut s), Err(PetError::LevelTooLow { need: 35 }));
        s.level = 35;
        assert_eq!(evolve(&r, &mut s).unwrap().items[0].1, 10);
        assert_eq!(evolve(&r, &mut s), Err(PetError::FinalStage));
    }

    #[test]
    fn prestige_resets_for_a_permanent_bonus() {
        let r = rules();
        let base = test_tables().creature("dust_bunny").unwrap().stats;
        let mut s = r.new_pet();
        assert_eq!(
            prestige(&r, &mut s),
            Err(PetError::NotReadyForPrestige {
                stage: 2,
                level: 50
            })
        );
        s.stage = 2;
        s.level = 50;
        let before = stats(&r, &base, &s);
        prestige(&r, &mut s).unwrap();
        assert_eq!((s.level, s.stage, s.xp, s.prestige), (1, 0, 0, 1));
        let fresh = stats(&r, &base, &r.new_pet());
        let after = stats(&r, &base, &s);
        assert!(after.hp > fresh.hp && after.hp < before.hp);
        assert_eq!(after.hp, 44); // 40 × 1.10
        s.prestige = 10;
        s.stage = 2;
        s.level = 50;
        assert_eq!(prestige(&r, &mut s), Err(PetError::MaxPrestige(10)));
    }

    #[test]
    fn stats_grow_with_level_stage_and_affinity() {
        let r = rules();
        let base = Stats {
            hp: 100,
            attack: 10,
            defense: 10,
            speed: 10,
        };
        let mut s = r.new_pet();
        assert_eq!(stats(&r, &base, &s), base);
        s.level = 11; // +80 %
        assert_eq!(stats(&r, &base, &s).hp, 180);
        s.stage = 1; // ×1.25
        assert_eq!(stats(&r, &base, &s).hp, 225);
        s.affinity = 120;
        assert_eq!(stats(&r, &base, &s).hp, 270);
        assert_eq!(power(&stats(&r, &base, &s)), 67 + 26 * 3);
    }

    #[test]
    fn autohunt_spends_stamina_and_gives_xp_only_to_rested_pets() {
        let r = rules();
        let e = TraitEffects {
            autohunt_xp_pct: 25,
            ..Default::default()
        };
        let mut s = r.new_pet();
        let (spent, g) = autohunt_run(&r, &e, &mut s);
        assert_eq!((spent, g.gained, s.stamina), (4, 10, 96));
        s.stamina = 3;
        let (spent, g) = autohunt_run(&r, &e, &mut s);
        assert_eq!((spent, g.gained, s.stamina), (0, 0, 3));
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(
            validate_name("  Fluffy   the  Great ").unwrap(),
            "Fluffy the Great"
        );
        assert_eq!(
            validate_name("   "),
            Err(PetError::BadName(NameProblem::Empty))
        );
        assert_eq!(
            validate_name(&"x".repeat(33)),
            Err(PetError::BadName(NameProblem::TooLong))
        );
        assert!(validate_name(&"é".repeat(32)).is_ok());
        for bad in ["@everyone", "<@123>", "a`b", "hi\u{200b}"] {
            assert_eq!(
                validate_name(bad),
                Err(PetError::BadName(NameProblem::Forbidden)),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_files_list_every_problem() {
        let t = test_tables();
        let bad = shipped_source()
            .replace("item: time_shard", "item: nope")
            .replace("basic: 0.05", "basic: 1.5")
            .replace("elements: [fire]", "elements: [lava]")
            .replace("min_level: 35", "min_level: 40");
        let problems = PetRules::from_yaml_str(&bad, &t).unwrap_err();
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"release.item"), "{keys:?}");
        assert!(keys.contains(&"crate_pet_chance.basic"), "{keys:?}");
        assert!(keys.contains(&"traits[blazing].elements"), "{keys:?}");
        assert!(keys.contains(&"stages[2].evolve.min_level"), "{keys:?}");
        assert!(problems.iter().all(|p| p.file == FILE));
        assert!(PetRules::from_yaml_str("xp: [", &t).is_err());
    }

    #[test]
    fn hatching_turns_crate_creatures_into_pets_while_there_is_room() {
        use crate::items::{CreatureDrop, Loot};
        let mut r = rules();
        r.crate_pet_chance.insert("basic".into(), 1.0);
        let c = CreatureDrop {
            id: "dust_bunny".into(),
            rarity: Rarity::Common,
        };
        let mut loot = vec![
            Loot::Creature(c.clone()),
            Loot::Crate { id: "basic".into() },
            Loot::Creature(c.clone()),
            Loot::Creature(c.clone()),
        ];
        let mut room = 2;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(hatch(&r, "basic", &mut loot, &mut room, &mut rng), 2);
        assert_eq!(room, 0);
        assert_eq!(
            loot,
            [
                Loot::Pet(c.clone()),
                Loot::Crate { id: "basic".into() },
                Loot::Pet(c.clone()),
                Loot::Creature(c.clone()),
            ]
        );
        assert_eq!(loot[0].rarity(), Some(Rarity::Common));
        let mut room = 5;
        assert_eq!(hatch(&r, "frostfall", &mut loot, &mut room, &mut rng), 0);
    }

    #[test]
    fn crate_hatching_follows_the_chance() {
        let r = rules();
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = 20_000;
        let hits = (0..n)
            .filter(|_| hatches_from_crate(&r, "basic", &mut rng))
            .count();
        let p = hits as f64 / f64::from(n);
        assert!((p - 0.05).abs() < 0.01, "{p}");
        assert!(!hatches_from_crate(&r, "frostfall", &mut rng));
    }
}
