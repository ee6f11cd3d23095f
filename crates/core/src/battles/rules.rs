//! The rules of `battles.yaml` ([`BattleRules`]): turn constants, elements, the enemy's AI,
//! rewards and the PvE enemies, parsed and validated (every problem listed).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{BattleKind, FILE, shipped_source};
use crate::tables::{ELEMENTS, ProblemKind, Rarity, TableProblem};

/// Turn constants.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnRules {
    /// Actions after which the battle ends on HP.
    pub max_turns: u32,
    /// Defend: the next hit is × this / 100.
    pub defend_pct: u32,
    /// The damage roll is 0..=this percent.
    pub roll_max_pct: u32,
    /// A critical hit is × this / 100.
    pub crit_pct: u32,
    /// Damage bonus per socketed gem, percent.
    pub gem_bonus_pct: u32,
    /// Weapon attack without a weapon.
    pub unarmed_attack: u32,
    /// HP before strength, the team and gems.
    pub base_hp: u32,
    /// HP per point of strength (weapon attack + the first pet's power): HP grows with the
    /// damage a fighter of the same strength deals, so a battle takes about as many hits at
    /// every level. 0 when absent (an older copy of the file keeps its flat HP).
    #[serde(default)]
    pub hp_per_strength: u32,
    /// Part of the team's pet HP added to the max HP, percent.
    pub team_hp_pct: u32,
}

/// Element matchups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementRules {
    /// Multiplier (percent) when the attacker's element beats the target's.
    pub advantage_pct: u32,
    /// Multiplier (percent) when the target's element beats the attacker's.
    pub disadvantage_pct: u32,
    /// Which elements each element beats.
    pub beats: BTreeMap<String, Vec<String>>,
}

/// How an enemy chooses its move.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnemyAi {
    /// Chance of Defend, percent.
    pub defend_chance_pct: u32,
    /// Below this HP percent it drinks a potion when it has one.
    pub heal_below_pct: u32,
}

/// One reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reward {
    /// Chrons.
    pub chrons: i64,
    /// Global XP.
    pub xp: i64,
    /// Chance of a gem, percent.
    #[serde(default)]
    pub gem_chance_pct: u32,
}

/// The rewards of each kind of battle.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardRules {
    /// A PvP win.
    pub pvp: Reward,
    /// A wild win.
    pub wild: Reward,
    /// A boss win.
    pub boss: Reward,
    /// The loser's consolation.
    pub consolation: Reward,
    /// Tier weights of a reward gem.
    pub gem_weights: BTreeMap<String, u64>,
    /// How a team's PvE win is shared.
    #[serde(default)]
    pub team: TeamReward,
}

/// How a team that wins a PvE battle shares the reward: the win's Chrons × (100 +
/// `bonus_pct_per_member` per member beyond the first, at most `bonus_cap_pct`) / 100, split
/// equally between the members still in the battle (the remainder one Chron each to the
/// first); each of them gets the win's whole XP and their own gem chance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamReward {
    /// Bonus per member beyond the first, percent.
    pub bonus_pct_per_member: u32,
    /// Largest bonus, percent.
    pub bonus_cap_pct: u32,
}

impl Default for TeamReward {
    fn default() -> Self {
        TeamReward {
            bonus_pct_per_member: 10,
            bonus_cap_pct: 40,
        }
    }
}

impl TeamReward {
    /// The bonus, percent, of a win shared by `members`.
    pub fn bonus_pct(&self, members: usize) -> u32 {
        u32::try_from(members.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .saturating_mul(self.bonus_pct_per_member)
            .min(self.bonus_cap_pct)
    }
}

/// A PvE enemy template.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnemyTemplate {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Emoji.
    pub emoji: String,
    /// Element.
    pub element: String,
    /// Attack in percent of the scaled player attack.
    pub attack_pct: u32,
    /// HP in percent of the scaled player HP.
    pub hp_pct: u32,
    /// Defense.
    pub defense: u32,
    /// Crit chance, tenths of a percent.
    pub crit: u32,
    /// Potions it carries.
    pub potions: u32,
}

/// A pool of enemies and its scaling.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnemyPool {
    /// Scale of the player's strength, percent.
    pub scale_pct: u32,
    /// The enemies.
    pub list: Vec<EnemyTemplate>,
}

/// The PvE enemies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnemyRules {
    /// An enemy potion heals this percent of its max HP.
    pub potion_heal_pct: u32,
    /// How an enemy is scaled to a team.
    #[serde(default)]
    pub team: TeamScale,
    /// Wild enemies.
    pub wild: EnemyPool,
    /// Bosses.
    pub boss: EnemyPool,
}

/// How an enemy is scaled to a team (`team battle`): its HP on the sum of the members' max HP
/// × `hp_pct` / 100, its attack on the sum of their strength × `attack_pct` / 100; then
/// `scale_pct` and the template's percentages as for one player.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamScale {
    /// Part of the members' summed strength, percent.
    pub attack_pct: u32,
    /// Part of the members' summed max HP, percent.
    pub hp_pct: u32,
}

impl Default for TeamScale {
    fn default() -> Self {
        TeamScale {
            attack_pct: 60,
            hp_pct: 115,
        }
    }
}

/// Everything of `battles.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BattleRules {
    /// Turn constants.
    pub turns: TurnRules,
    /// Element matchups.
    pub elements: ElementRules,
    /// The enemy's moves.
    pub enemy_ai: EnemyAi,
    /// Rewards.
    pub rewards: RewardRules,
    /// PvE enemies.
    pub enemies: EnemyRules,
}

impl BattleRules {
    /// Parses and validates `battles.yaml` (every problem listed).
    pub fn from_yaml_str(text: &str) -> Result<BattleRules, Vec<TableProblem>> {
        let problem = |key: &str, kind, message: String| TableProblem {
            file: FILE,
            key: key.to_string(),
            kind,
            message,
        };
        let rules: BattleRules = serde_yaml::from_str(text)
            .map_err(|e| vec![problem("", ProblemKind::Parse, e.to_string())])?;
        let mut p = Vec::new();
        let t = &rules.turns;
        for (k, v) in [
            ("turns.max_turns", t.max_turns),
            ("turns.base_hp", t.base_hp),
            ("turns.crit_pct", t.crit_pct),
            ("turns.defend_pct", t.defend_pct),
        ] {
            if v == 0 {
                p.push(problem(
                    k,
                    ProblemKind::InvalidValue,
                    "must be at least 1".into(),
                ));
            }
        }
        if t.defend_pct > 100 {
            p.push(problem(
                "turns.defend_pct",
                ProblemKind::InvalidValue,
                "must be at most 100".into(),
            ));
        }
        for (e, beaten) in &rules.elements.beats {
            if !ELEMENTS.contains(&e.as_str()) {
                p.push(problem(
                    &format!("elements.beats.{e}"),
                    ProblemKind::UnknownReference,
                    format!("unknown element {e:?}"),
                ));
            }
            for b in beaten {
                if !ELEMENTS.contains(&b.as_str()) || b == e {
                    p.push(problem(
                        &format!("elements.beats.{e}"),
                        ProblemKind::UnknownReference,
                        format!("{b:?} is not another element"),
                    ));
                }
                if rules.elements.beats.get(b).is_some_and(|x| x.contains(e)) {
                    p.push(problem(
                        &format!("elements.beats.{e}"),
                        ProblemKind::InvalidValue,
                        format!("{e} and {b} beat each other"),
                    ));
                }
            }
        }
        for (name, pool) in [("wild", &rules.enemies.wild), ("boss", &rules.enemies.boss)] {
            if pool.list.is_empty() {
                p.push(problem(
                    &format!("enemies.{name}.list"),
                    ProblemKind::EmptyPool,
                    "needs at least one enemy".into(),
                ));
            }
            for e in &pool.list {
                if !ELEMENTS.contains(&e.element.as_str()) {
                    p.push(problem(
                        &format!("enemies.{name}.list[{}].element", e.id),
                        ProblemKind::UnknownReference,
                        format!("unknown element {:?}", e.element),
                    ));
                }
                if e.attack_pct == 0 || e.hp_pct == 0 {
                    p.push(problem(
                        &format!("enemies.{name}.list[{}]", e.id),
                        ProblemKind::InvalidValue,
                        "attack_pct and hp_pct must be at least 1".into(),
                    ));
                }
            }
        }
        for k in rules.rewards.gem_weights.keys() {
            if Rarity::from_name(k).is_none() {
                p.push(problem(
                    &format!("rewards.gem_weights.{k}"),
                    ProblemKind::UnknownRarity,
                    format!("unknown tier {k:?}"),
                ));
            }
        }
        if p.is_empty() { Ok(rules) } else { Err(p) }
    }

    /// The shipped rules.
    pub fn shipped() -> Result<BattleRules, Vec<TableProblem>> {
        Self::from_yaml_str(shipped_source())
    }

    /// The element multiplier (percent) of an `attacker` element hitting a `target` element.
    pub fn element_pct(&self, attacker: &str, target: &str) -> u32 {
        let beats = |a: &str, b: &str| {
            self.elements
                .beats
                .get(a)
                .is_some_and(|l| l.iter().any(|x| x == b))
        };
        if beats(attacker, target) {
            self.elements.advantage_pct
        } else if beats(target, attacker) {
            self.elements.disadvantage_pct
        } else {
            100
        }
    }

    /// The reward of a win in a battle of `kind`.
    pub fn reward(&self, kind: BattleKind) -> Reward {
        match kind {
            BattleKind::Pvp => self.rewards.pvp,
            BattleKind::Wild => self.rewards.wild,
            BattleKind::Boss => self.rewards.boss,
        }
    }
}
