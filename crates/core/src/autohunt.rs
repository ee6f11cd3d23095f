//! Autohunt (spec §VII): a session hunts on its own every interval, paying Chrons per tick and
//! earning essence, which the player spends on four traits.
//!
//! Per tick:
//! - **cost** = `(base_cost + cost_per_level × level) × (100 − thrift_step_pct × thrift) / 100`,
//!   at least 1 💠. `level` is the session level stored with the session (the caller decides how
//!   it grows, e.g. from the player's level); every level also adds `level_bonus_pct` % XP and
//!   Chrons to the hunts, so a higher level costs more and pays more.
//! - **rolls** = `1 + efficiency` hunts ([`crate::hunt::roll_hunt`]).
//! - **essence** = `(essence_per_roll × rolls + Σ tier essence of creatures found)
//!   × (100 + essence_step_pct × essence) / 100`.
//! - **interval** = `max(min_interval_secs, base_interval_secs − tempo_step_secs × tempo)`.
//!
//! Traits (each with a max level and a cost in essence growing geometrically per level):
//! [`Trait::Efficiency`], [`Trait::Tempo`], [`Trait::Thrift`], [`Trait::Essence`].

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::economy::{Chrons, MAX_CHRONS};
use crate::hunt::{HuntModifiers, HuntOutcome, roll_hunt};
use crate::items::Loot;
use crate::tables::Tables;

/// An autohunt trait the player upgrades with essence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trait {
    /// One more hunt roll per tick per level.
    Efficiency,
    /// Shorter interval between ticks.
    Tempo,
    /// Lower cost per tick.
    Thrift,
    /// More essence per tick.
    Essence,
}

impl Trait {
    /// All traits, in tie-break order for [`upgrade_suggestion`].
    pub const ALL: [Trait; 4] = [
        Trait::Efficiency,
        Trait::Tempo,
        Trait::Thrift,
        Trait::Essence,
    ];

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Trait::Efficiency => "Efficiency",
            Trait::Tempo => "Tempo",
            Trait::Thrift => "Thrift",
            Trait::Essence => "Essence",
        }
    }

    /// Emoji.
    pub fn emoji(self) -> &'static str {
        match self {
            Trait::Efficiency => "🎯",
            Trait::Tempo => "⏱️",
            Trait::Thrift => "🪙",
            Trait::Essence => "✨",
        }
    }
}

impl fmt::Display for Trait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Current level of each trait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TraitLevels {
    /// [`Trait::Efficiency`].
    pub efficiency: u32,
    /// [`Trait::Tempo`].
    pub tempo: u32,
    /// [`Trait::Thrift`].
    pub thrift: u32,
    /// [`Trait::Essence`].
    pub essence: u32,
}

impl TraitLevels {
    /// Level of one trait.
    pub fn get(&self, t: Trait) -> u32 {
        match t {
            Trait::Efficiency => self.efficiency,
            Trait::Tempo => self.tempo,
            Trait::Thrift => self.thrift,
            Trait::Essence => self.essence,
        }
    }

    fn get_mut(&mut self, t: Trait) -> &mut u32 {
        match t {
            Trait::Efficiency => &mut self.efficiency,
            Trait::Tempo => &mut self.tempo,
            Trait::Thrift => &mut self.thrift,
            Trait::Essence => &mut self.essence,
        }
    }
}

/// What is stored per autohunt session (besides enabled/last_run/message ids).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutohuntSession {
    /// Session level (drives cost and reward bonus).
    pub level: u32,
    /// Unspent essence.
    pub essence: i64,
    /// Trait levels.
    pub traits: TraitLevels,
}

/// Max level and essence cost of one trait: upgrading from level `n` costs
/// `base_cost × ((100 + cost_growth_pct) / 100)ⁿ`, rounded down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitRule {
    /// Highest level.
    pub max_level: u32,
    /// Cost of the first upgrade.
    pub base_cost: i64,
    /// Growth of the cost per level, in percent.
    pub cost_growth_pct: u32,
}

/// All autohunt parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AutohuntRules {
    /// Cost per tick at level 0.
    pub base_cost: Chrons,
    /// Extra cost per tick per session level.
    pub cost_per_level: Chrons,
    /// Hunt XP and Chrons bonus per session level, in percent.
    pub level_bonus_pct: u32,
    /// Interval at tempo 0, seconds.
    pub base_interval_secs: u32,
    /// Interval reduction per tempo level, seconds.
    pub tempo_step_secs: u32,
    /// Shortest interval, seconds.
    pub min_interval_secs: u32,
    /// Cost reduction per thrift level, percent.
    pub thrift_step_pct: u32,
    /// Essence per hunt roll, before the essence trait.
    pub essence_per_roll: i64,
    /// Essence bonus per essence-trait level, percent.
    pub essence_step_pct: u32,
    /// [`Trait::Efficiency`].
    pub efficiency: TraitRule,
    /// [`Trait::Tempo`].
    pub tempo: TraitRule,
    /// [`Trait::Thrift`].
    pub thrift: TraitRule,
    /// [`Trait::Essence`].
    pub essence: TraitRule,
}

impl Default for AutohuntRules {
    /// 40 💠 + 2 💠/level per tick (hunts +4 %/level), every 10 minutes (down to 2 with
    /// tempo 8), thrift −6 %/level (max −48 %), efficiency up to 5 rolls, essence up to +100 %.
    fn default() -> Self {
        AutohuntRules {
            base_cost: Chrons::new(40),
            cost_per_level: Chrons::new(2),
            level_bonus_pct: 4,
            base_interval_secs: 600,
            tempo_step_secs: 60,
            min_interval_secs: 120,
            thrift_step_pct: 6,
            essence_per_roll: 1,
            essence_step_pct: 20,
            efficiency: TraitRule {
                max_level: 4,
                base_cost: 150,
                cost_growth_pct: 150,
            },
            tempo: TraitRule {
                max_level: 8,
                base_cost: 60,
                cost_growth_pct: 60,
            },
            thrift: TraitRule {
                max_level: 8,
                base_cost: 40,
                cost_growth_pct: 50,
            },
            essence: TraitRule {
                max_level: 5,
                base_cost: 100,
                cost_growth_pct: 80,
            },
        }
    }
}

impl AutohuntRules {
    /// The rule of one trait.
    pub fn trait_rule(&self, t: Trait) -> &TraitRule {
        match t {
            Trait::Efficiency => &self.efficiency,
            Trait::Tempo => &self.tempo,
            Trait::Thrift => &self.thrift,
            Trait::Essence => &self.essence,
        }
    }
}

/// An autohunt action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AutohuntError {
    /// The upgrade costs more essence than the session has.
    #[error("not enough essence: need {needed} ✨, have {have} ✨")]
    NotEnoughEssence {
        /// Cost of the upgrade.
        needed: i64,
        /// Unspent essence.
        have: i64,
    },
    /// The trait is already at its max level.
    #[error("{trait_} is already at its max level ({max})")]
    MaxLevel {
        /// The trait.
        trait_: Trait,
        /// Its max level.
        max: u32,
    },
    /// The upgrade would change nothing (tempo at the shortest interval, thrift at the lowest
    /// cost): refused instead of selling a level for nothing.
    #[error("{trait_} would change nothing now: {reason}")]
    NoEffect {
        /// The trait.
        trait_: Trait,
        /// Why.
        reason: &'static str,
    },
    /// The player cannot pay for the tick: the session should be disabled.
    #[error("not enough Chrons for autohunt: a run costs {cost}, balance is {balance}")]
    InsufficientChrons {
        /// Cost of the tick.
        cost: Chrons,
        /// The player's balance.
        balance: Chrons,
    },
}

/// Chrons one tick costs.
pub fn tick_cost(session: &AutohuntSession, rules: &AutohuntRules) -> Chrons {
    let raw = i128::from(rules.base_cost.max(Chrons::ZERO))
        + i128::from(rules.cost_per_level.max(Chrons::ZERO)) * i128::from(session.level);
    let thrift = session.traits.thrift.min(rules.thrift.max_level);
    let discount = u64::from(thrift) * u64::from(rules.thrift_step_pct);
    let keep = 100i128 - i128::from(discount.min(95) as u32);
    Chrons::clamped(raw * keep / 100).max(Chrons::new(1))
}

/// Hunt rolls per tick.
pub fn rolls_per_tick(session: &AutohuntSession, rules: &AutohuntRules) -> u32 {
    1 + session.traits.efficiency.min(rules.efficiency.max_level)
}

/// Time between two ticks.
pub fn tick_interval(session: &AutohuntSession, rules: &AutohuntRules) -> Duration {
    let tempo = session.traits.tempo.min(rules.tempo.max_level);
    let cut = i64::from(tempo) * i64::from(rules.tempo_step_secs);
    let secs = (i64::from(rules.base_interval_secs) - cut).max(i64::from(rules.min_interval_secs));
    Duration::seconds(secs.max(1))
}

/// Whether a session last run at `last_run` is due at `now` (never run = due).
pub fn is_due(
    last_run: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    session: &AutohuntSession,
    rules: &AutohuntRules,
) -> bool {
    last_run.is_none_or(|last| last + tick_interval(session, rules) <= now)
}

/// The hunt modifiers a session gives its rolls.
pub fn session_modifiers(session: &AutohuntSession, rules: &AutohuntRules) -> HuntModifiers {
    let bonus = session.level.saturating_mul(rules.level_bonus_pct);
    HuntModifiers {
        xp_bonus_pct: bonus,
        chrons_bonus_pct: bonus,
        ..HuntModifiers::default()
    }
}

/// What one tick produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickOutcome {
    /// Chrons the tick cost (debit it in the same transaction).
    pub cost: Chrons,
    /// Each hunt roll.
    pub hunts: Vec<HuntOutcome>,
    /// All loot found, in roll order.
    pub loot: Vec<Loot>,
    /// Total XP.
    pub xp: i64,
    /// Total Chrons earned.
    pub chrons_earned: Chrons,
    /// Essence earned.
    pub essence_gained: i64,
}

impl TickOutcome {
    /// `chrons_earned − cost`.
    pub fn net_chrons(&self) -> Chrons {
        self.chrons_earned - self.cost
    }

    /// The session after this tick (essence added, saturating).
    pub fn apply(&self, session: &AutohuntSession) -> AutohuntSession {
        AutohuntSession {
            essence: session.essence.max(0).saturating_add(self.essence_gained),
            ..*session
        }
    }
}

/// Runs one tick for a player with `balance` Chrons. Refuses (with
/// [`AutohuntError::InsufficientChrons`]) before rolling anything if the balance cannot pay.
pub fn tick_outcome(
    session: &AutohuntSession,
    balance: Chrons,
    rules: &AutohuntRules,
    tables: &Tables,
    rng: &mut impl Rng,
) -> Result<TickOutcome, AutohuntError> {
    tick_outcome_with(
        session,
        balance,
        rules,
        tables,
        HuntModifiers::default(),
        rng,
    )
}

/// [`tick_outcome`] with `extra` modifiers added to the session's own (a clan's perks): the
/// same rolls as without them, with the bonuses applied.
pub fn tick_outcome_with(
    session: &AutohuntSession,
    balance: Chrons,
    rules: &AutohuntRules,
    tables: &Tables,
    extra: HuntModifiers,
    rng: &mut impl Rng,
) -> Result<TickOutcome, AutohuntError> {
    let cost = tick_cost(session, rules);
    if balance < cost {
        return Err(AutohuntError::InsufficientChrons { cost, balance });
    }
    let mods = session_modifiers(session, rules).combine(extra);
    let rolls = rolls_per_tick(session, rules);
    let mut hunts = Vec::with_capacity(rolls as usize);
    let mut loot = Vec::new();
    let (mut xp, mut chrons, mut essence) = (0i64, Chrons::ZERO, 0i64);
    for _ in 0..rolls {
        let h = roll_hunt(tables, &mods, rng);
        xp = xp.saturating_add(h.xp);
        chrons = chrons.saturating_add(h.chrons);
        essence = essence.saturating_add(rules.essence_per_roll.max(0));
        if let Some(c) = &h.creature {
            essence = essence.saturating_add(tables.rarity(c.rarity).essence);
        }
        loot.extend(h.loot());
        hunts.push(h);
    }
    let ess_level = session.traits.essence.min(rules.essence.max_level);
    let ess_pct = 100u32.saturating_add(ess_level.saturating_mul(rules.essence_step_pct));
    let essence_gained = crate::economy::scale_percent(essence, ess_pct);
    Ok(TickOutcome {
        cost,
        hunts,
        loot,
        xp,
        chrons_earned: chrons.min(MAX_CHRONS),
        essence_gained,
    })
}

/// Essence cost of upgrading `t` from its current level (`None` at max level).
pub fn upgrade_cost(session: &AutohuntSession, t: Trait, rules: &AutohuntRules) -> Option<i64> {
    let rule = rules.trait_rule(t);
    let level = session.traits.get(t);
    if level >= rule.max_level {
        return None;
    }
    let mut cost = i128::from(rule.base_cost.max(1));
    for _ in 0..level {
        cost = cost * (100 + i128::from(rule.cost_growth_pct)) / 100;
        if cost >= i128::from(i64::MAX) {
            return Some(i64::MAX);
        }
    }
    Some(cost.max(1) as i64)
}

/// A completed upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upgrade {
    /// The trait upgraded.
    pub trait_: Trait,
    /// Its new level.
    pub new_level: u32,
    /// Essence spent.
    pub cost: i64,
    /// The session after the upgrade.
    pub session: AutohuntSession,
}

/// Spends essence to raise `t` by one level.
pub fn upgrade(
    session: &AutohuntSession,
    t: Trait,
    rules: &AutohuntRules,
) -> Result<Upgrade, AutohuntError> {
    let max = rules.trait_rule(t).max_level;
    let cost = upgrade_cost(session, t, rules).ok_or(AutohuntError::MaxLevel { trait_: t, max })?;
    if !is_useful(session, t, rules) {
        return Err(AutohuntError::NoEffect {
            trait_: t,
            reason: match t {
                Trait::Tempo => "runs are already as frequent as they can be",
                _ => "a run already costs as little as it can",
            },
        });
    }
    if session.essence < cost {
        return Err(AutohuntError::NotEnoughEssence {
            needed: cost,
            have: session.essence.max(0),
        });
    }
    let mut next = *session;
    next.essence -= cost;
    *next.traits.get_mut(t) += 1;
    Ok(Upgrade {
        trait_: t,
        new_level: next.traits.get(t),
        cost,
        session: next,
    })
}

/// The upgrade the live embed suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpgradeSuggestion {
    /// The trait.
    pub trait_: Trait,
    /// Its essence cost.
    pub cost: i64,
    /// Whether the session can pay it now.
    pub affordable: bool,
    /// Essence still missing (0 if affordable).
    pub essence_missing: i64,
}

fn is_useful(session: &AutohuntSession, t: Trait, rules: &AutohuntRules) -> bool {
    let mut next = *session;
    *next.traits.get_mut(t) += 1;
    match t {
        Trait::Efficiency | Trait::Essence => true,
        Trait::Tempo => tick_interval(&next, rules) < tick_interval(session, rules),
        Trait::Thrift => tick_cost(&next, rules) < tick_cost(session, rules),
    }
}

/// The cheapest upgrade that is not maxed and would change something (ties broken in
/// [`Trait::ALL`] order); `None` when everything is maxed.
pub fn upgrade_suggestion(
    session: &AutohuntSession,
    rules: &AutohuntRules,
) -> Option<UpgradeSuggestion> {
    Trait::ALL
        .into_iter()
        .filter(|&t| is_useful(session, t, rules))
        .filter_map(|t| upgrade_cost(session, t, rules).map(|c| (t, c)))
        .min_by_key(|&(_, c)| c)
        .map(|(t, cost)| {
            let have = session.essence.max(0);
            UpgradeSuggestion {
                trait_: t,
                cost,
                affordable: have >= cost,
                essence_missing: (cost - have).max(0),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::test_tables;
    use rand::SeedableRng;

    fn rng() -> rand_chacha::ChaCha8Rng {
        rand_chacha::ChaCha8Rng::seed_from_u64(8)
    }

    fn with(traits: TraitLevels) -> AutohuntSession {
        AutohuntSession {
            traits,
            ..AutohuntSession::default()
        }
    }

    #[test]
    fn cost_and_interval_follow_the_formulas() {
        let r = AutohuntRules::default();
        assert_eq!(tick_cost(&AutohuntSession::default(), &r), Chrons::new(40));
        let lvl10 = AutohuntSession {
            level: 10,
            ..AutohuntSession::default()
        };
        assert_eq!(tick_cost(&lvl10, &r), Chrons::new(60));
        let thrifty = AutohuntSession {
            traits: TraitLevels {
                thrift: 8,
                ..Default::default()
            },
            ..lvl10
        };
        assert_eq!(tick_cost(&thrifty, &r), Chrons::new(31)); // 60 × 52 %, rounded down
        // Levels beyond the max count as the max.
        let over = AutohuntSession {
            traits: TraitLevels {
                thrift: 99,
                ..Default::default()
            },
            ..lvl10
        };
        assert_eq!(tick_cost(&over, &r), Chrons::new(31));
        assert_eq!(
            tick_interval(&AutohuntSession::default(), &r),
            Duration::minutes(10)
        );
        assert_eq!(
            tick_interval(
                &with(TraitLevels {
                    tempo: 3,
                    ..Default::default()
                }),
                &r
            ),
            Duration::minutes(7)
        );
        assert_eq!(
            tick_interval(
                &with(TraitLevels {
                    tempo: 50,
                    ..Default::default()
                }),
                &r
            ),
            Duration::minutes(2)
        );
        assert_eq!(
            rolls_per_tick(
                &with(TraitLevels {
                    efficiency: 2,
                    ..Default::default()
                }),
                &r
            ),
            3
        );
    }

    #[test]
    fn due_sessions() {
        let r = AutohuntRules::default();
        let s = AutohuntSession::default();
        let now: DateTime<Utc> = "2026-01-01T12:00:00Z".parse().unwrap();
        assert!(is_due(None, now, &s, &r));
        assert!(is_due(Some(now - Duration::minutes(10)), now, &s, &r));
        assert!(!is_due(Some(now - Duration::minutes(9)), now, &s, &r));
    }

    #[test]
    fn tick_accounts_for_everything() {
        let tables = test_tables();
        let r = AutohuntRules::default();
        let s = AutohuntSession {
            level: 5,
            essence: 0,
            traits: TraitLevels {
                efficiency: 2,
                essence: 5,
                ..Default::default()
            },
        };
        let mut rng = rng();
        let t = tick_outcome(&s, Chrons::new(1_000), &r, &tables, &mut rng).unwrap();
        assert_eq!(t.cost, Chrons::new(50));
        assert_eq!(t.hunts.len(), 3);
        assert_eq!(t.xp, t.hunts.iter().map(|h| h.xp).sum::<i64>());
        assert_eq!(
            t.chrons_earned,
            t.hunts.iter().map(|h| h.chrons).sum::<Chrons>()
        );
        assert_eq!(
            t.loot,
            t.hunts.iter().flat_map(|h| h.loot()).collect::<Vec<_>>()
        );
        let raw: i64 = 3 + t
            .hunts
            .iter()
            .filter_map(|h| h.creature.as_ref())
            .map(|c| tables.rarity(c.rarity).essence)
            .sum::<i64>();
        assert_eq!(t.essence_gained, raw * 2); // essence 5 → +100 %
        assert_eq!(t.apply(&s).essence, t.essence_gained);
        assert_eq!(t.net_chrons(), t.chrons_earned - Chrons::new(50));

        let broke = tick_outcome(&s, Chrons::new(49), &r, &tables, &mut rng).unwrap_err();
        assert_eq!(
            broke,
            AutohuntError::InsufficientChrons {
                cost: Chrons::new(50),
                balance: Chrons::new(49)
            }
        );
    }

    #[test]
    fn upgrades_that_change_nothing_are_refused() {
        // A 300 s interval (the default AUTOHUNT_INTERVAL_SECS) with a 120 s floor: tempo 3
        // reaches the floor (300 − 3 × 60 = 120); level 4 would sell nothing.
        let rules = AutohuntRules {
            base_interval_secs: 300,
            ..AutohuntRules::default()
        };
        let mut s = AutohuntSession {
            essence: 1_000_000,
            ..AutohuntSession::default()
        };
        for level in 1..=3 {
            let u = upgrade(&s, Trait::Tempo, &rules).unwrap();
            assert_eq!(u.new_level, level);
            s = u.session;
        }
        assert_eq!(tick_interval(&s, &rules).num_seconds(), 120);
        assert_eq!(
            upgrade(&s, Trait::Tempo, &rules),
            Err(AutohuntError::NoEffect {
                trait_: Trait::Tempo,
                reason: "runs are already as frequent as they can be"
            })
        );
        assert_ne!(
            upgrade_suggestion(&s, &rules).map(|u| u.trait_),
            Some(Trait::Tempo),
            "never suggested either"
        );
    }

    #[test]
    fn upgrades_cost_essence_and_stop_at_max() {
        let r = AutohuntRules::default();
        let s = AutohuntSession {
            essence: 500,
            ..AutohuntSession::default()
        };
        assert_eq!(upgrade_cost(&s, Trait::Efficiency, &r), Some(150));
        let u = upgrade(&s, Trait::Efficiency, &r).unwrap();
        assert_eq!((u.new_level, u.cost, u.session.essence), (1, 150, 350));
        assert_eq!(upgrade_cost(&u.session, Trait::Efficiency, &r), Some(375)); // ×2.5
        assert_eq!(
            upgrade(&u.session, Trait::Efficiency, &r),
            Err(AutohuntError::NotEnoughEssence {
                needed: 375,
                have: 350
            })
        );
        let maxed = with(TraitLevels {
            efficiency: 4,
            ..Default::default()
        });
        assert_eq!(upgrade_cost(&maxed, Trait::Efficiency, &r), None);
        assert_eq!(
            upgrade(&maxed, Trait::Efficiency, &r),
            Err(AutohuntError::MaxLevel {
                trait_: Trait::Efficiency,
                max: 4
            })
        );
        assert_eq!(
            AutohuntError::NotEnoughEssence {
                needed: 375,
                have: 350
            }
            .to_string(),
            "not enough essence: need 375 ✨, have 350 ✨"
        );
    }

    #[test]
    fn suggestion_is_the_cheapest_useful_upgrade() {
        let r = AutohuntRules::default();
        let fresh = AutohuntSession {
            essence: 10,
            ..AutohuntSession::default()
        };
        let s = upgrade_suggestion(&fresh, &r).unwrap();
        assert_eq!(
            (s.trait_, s.cost, s.affordable, s.essence_missing),
            (Trait::Thrift, 40, false, 30)
        );
        // Thrift maxed → tempo (60) is next.
        let t = with(TraitLevels {
            thrift: 8,
            ..Default::default()
        });
        assert_eq!(upgrade_suggestion(&t, &r).unwrap().trait_, Trait::Tempo);
        // Thrift cannot lower a 1 💠 cost: it is skipped although cheapest.
        let cheap = AutohuntRules {
            base_cost: Chrons::new(1),
            cost_per_level: Chrons::new(0),
            ..AutohuntRules::default()
        };
        assert_eq!(
            upgrade_suggestion(&AutohuntSession::default(), &cheap)
                .unwrap()
                .trait_,
            Trait::Tempo
        );
        // Everything maxed → nothing to suggest.
        let all = with(TraitLevels {
            efficiency: 4,
            tempo: 8,
            thrift: 8,
            essence: 5,
        });
        assert_eq!(upgrade_suggestion(&all, &r), None);
    }
}
