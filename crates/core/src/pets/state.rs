//! A pet's state ([`PetState`]) and the pure operations on it: XP and levels, training,
//! feeding, evolution, prestige, the autohunt share, stats and power, names.

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::tables::Stats;

use super::*;

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
