//! The battle engine: turn-based fights between two sides of combatants (spec §VIII).
//!
//! A battle is a pure function of its [`Setup`] (the combatants as they were when it started),
//! a `seed` and the list of [`Action`]s the players chose: [`run`] replays them and returns the
//! [`Battle`] (state and log). Storage keeps the setup, the seed and the actions, so
//! `battle replay <id>` shows exactly the same log, and the live battle is the same replay with
//! one more action. The random draws (damage roll, critical hits, the enemy's moves, the reward
//! gem) come from a `ChaCha8Rng` seeded with `seed`, in a fixed order.
//!
//! Sides are lists of combatants (a team of players could fight a PvE enemy later); turns go
//! round the combatants still standing, side 0 first. A player's combatant acts by the actions
//! given; an enemy (no user) acts by [`enemy_action`], drawn from the same generator.
//!
//! The damage formula and every constant are in `assets/tables/battles.yaml` ([`BattleRules`]).

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::economy::Chrons;
use crate::ids::UserId;
use crate::items::GemDrop;
use crate::tables::{ELEMENTS, ProblemKind, Rarity, TableProblem, Tables};

/// The file name used in [`TableProblem`]s.
pub const FILE: &str = "battles.yaml";

/// The shipped `battles.yaml`, compiled in (the fallback and what tests use).
pub fn shipped_source() -> &'static str {
    include_str!("../../../assets/tables/battles.yaml")
}

/// Kinds of battle (stored as `battles.battle_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BattleKind {
    /// Player against player.
    Pvp,
    /// Against a wild enemy.
    Wild,
    /// Against a boss.
    Boss,
}

impl BattleKind {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            BattleKind::Pvp => "pvp",
            BattleKind::Wild => "wild",
            BattleKind::Boss => "boss",
        }
    }
    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pvp" => Some(BattleKind::Pvp),
            "wild" => Some(BattleKind::Wild),
            "boss" => Some(BattleKind::Boss),
            _ => None,
        }
    }
}

// ----- rules (battles.yaml) -----

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
    /// Wild enemies.
    pub wild: EnemyPool,
    /// Bosses.
    pub boss: EnemyPool,
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

// ----- combatants -----

/// A pet in a combatant's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetFighter {
    /// The pet's id (0 for none).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Emoji.
    pub emoji: String,
    /// Element.
    pub element: String,
    /// Power ([`crate::pets::power`] of its stats).
    pub power: u32,
    /// Its HP stat.
    pub hp: u32,
    /// Its defense stat.
    pub defense: u32,
    /// Affinity in hundredths (100 = ×1.0).
    pub affinity: u32,
}

/// A combatant's weapon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeaponFighter {
    /// The weapon's id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Element.
    pub element: String,
    /// Attack with level and attack gems.
    pub attack: u32,
    /// Crit chance, tenths of a percent, with crit gems.
    pub crit: u32,
    /// Defense from gems.
    pub defense: u32,
    /// HP from gems.
    pub hp: u32,
    /// Socketed gems.
    pub gems: u32,
}

/// A combatant in the normalized structure of spec §VIII: who, the team of pets (one active),
/// the weapon, HP, items and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Combatant {
    /// The player (none for an enemy, which acts by [`enemy_action`]).
    pub user: Option<UserId>,
    /// Display name.
    pub name: String,
    /// Emoji (enemies).
    pub emoji: String,
    /// The team (up to 3 pets).
    pub team: Vec<PetFighter>,
    /// The active pet (index in `team`).
    pub active: usize,
    /// The weapon.
    pub weapon: Option<WeaponFighter>,
    /// HP now.
    pub hp: u32,
    /// Max HP.
    pub max_hp: u32,
    /// Battle items: item id → (count, heal percent).
    pub items: BTreeMap<String, (u32, u32)>,
    /// Element when it has neither pet nor weapon (enemies).
    pub element: String,
    /// Extra defense (enemies).
    pub defense: u32,
    /// Defending: the next hit is reduced.
    pub defending: bool,
    /// Turns it let time out in a row.
    pub missed: u32,
    /// Left the battle (surrender or forfeit).
    pub left: bool,
}

impl Combatant {
    /// A player's combatant from their team and weapon. Max HP = `base_hp` + strength ×
    /// `hp_per_strength` + the weapon's hp gems + the team's pet HP × `team_hp_pct` / 100,
    /// strength being the weapon's attack (`unarmed_attack` without one) + the first pet's power.
    pub fn player(
        rules: &BattleRules,
        user: UserId,
        name: String,
        team: Vec<PetFighter>,
        weapon: Option<WeaponFighter>,
        items: BTreeMap<String, (u32, u32)>,
    ) -> Combatant {
        let t = &rules.turns;
        let team_hp: u64 = team.iter().map(|p| u64::from(p.hp)).sum();
        let strength = u64::from(weapon.as_ref().map_or(t.unarmed_attack, |w| w.attack))
            + team.first().map_or(0, |p| u64::from(p.power));
        let max_hp = u64::from(t.base_hp)
            + strength * u64::from(t.hp_per_strength)
            + weapon.as_ref().map_or(0, |w| u64::from(w.hp))
            + team_hp * u64::from(t.team_hp_pct) / 100;
        let max_hp = u32::try_from(max_hp).unwrap_or(u32::MAX).max(1);
        Combatant {
            user: Some(user),
            name,
            emoji: String::new(),
            team,
            active: 0,
            weapon,
            hp: max_hp,
            max_hp,
            items,
            element: String::new(),
            defense: 0,
            defending: false,
            missed: 0,
            left: false,
        }
    }

    /// The active pet.
    pub fn pet(&self) -> Option<&PetFighter> {
        self.team.get(self.active)
    }

    /// The element it attacks and defends with: the active pet's, else the weapon's, else its own.
    pub fn element(&self) -> &str {
        self.pet()
            .map(|p| p.element.as_str())
            .or(self.weapon.as_ref().map(|w| w.element.as_str()))
            .unwrap_or(self.element.as_str())
    }

    /// Weapon attack (unarmed without one).
    pub fn attack(&self, rules: &BattleRules) -> u32 {
        self.weapon
            .as_ref()
            .map_or(rules.turns.unarmed_attack, |w| w.attack)
    }

    /// Defense: the active pet's, the weapon's gems and its own.
    pub fn defense_total(&self) -> u32 {
        self.pet().map_or(0, |p| p.defense)
            + self.weapon.as_ref().map_or(0, |w| w.defense)
            + self.defense
    }

    /// Still fighting.
    pub fn standing(&self) -> bool {
        self.hp > 0 && !self.left
    }

    /// The attack number of the formula before the roll (for the panel and enemy scaling).
    pub fn strength(&self, rules: &BattleRules) -> u32 {
        self.attack(rules) + self.pet().map_or(0, |p| p.power)
    }
}

/// Builds a PvE enemy scaled to `player` from the template `t` of `pool`.
pub fn enemy(
    rules: &BattleRules,
    pool: &EnemyPool,
    t: &EnemyTemplate,
    player: &Combatant,
) -> Combatant {
    let scale = |v: u32, pct: u32| -> u32 {
        let x = u64::from(v) * u64::from(pool.scale_pct) / 100 * u64::from(pct) / 100;
        u32::try_from(x).unwrap_or(u32::MAX).max(1)
    };
    let max_hp = scale(player.max_hp, t.hp_pct);
    let mut items = BTreeMap::new();
    if t.potions > 0 {
        items.insert(
            "potion".to_string(),
            (t.potions, rules.enemies.potion_heal_pct),
        );
    }
    Combatant {
        user: None,
        name: t.name.clone(),
        emoji: t.emoji.clone(),
        team: Vec::new(),
        active: 0,
        weapon: Some(WeaponFighter {
            id: 0,
            name: t.name.clone(),
            element: t.element.clone(),
            attack: scale(player.strength(rules), t.attack_pct),
            crit: t.crit,
            defense: 0,
            hp: 0,
            gems: 0,
        }),
        hp: max_hp,
        max_hp,
        items,
        element: t.element.clone(),
        defense: t.defense,
        defending: false,
        missed: 0,
        left: false,
    }
}

/// Picks a PvE enemy of `kind` (wild or boss) and scales it to `player`.
pub fn pick_enemy(
    rules: &BattleRules,
    kind: BattleKind,
    player: &Combatant,
    rng: &mut impl Rng,
) -> Combatant {
    let pool = match kind {
        BattleKind::Boss => &rules.enemies.boss,
        _ => &rules.enemies.wild,
    };
    let t = &pool.list[rng.random_range(0..pool.list.len())];
    enemy(rules, pool, t, player)
}

// ----- battle -----

/// What a battle starts from: the kind and the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    /// PvP, wild or boss.
    pub kind: BattleKind,
    /// Side 0 (the challenger / the player) and side 1.
    pub sides: [Vec<Combatant>; 2],
}

/// A player's choice for one turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "snake_case")]
pub enum Action {
    /// Hit the first standing enemy.
    Attack,
    /// Halve the next hit taken.
    Defend,
    /// Drink a potion (item id).
    UseItem {
        /// The item id.
        item: String,
    },
    /// Make another pet of the team active (index).
    SwitchPet {
        /// Index in the team.
        pet: usize,
    },
    /// Give up (the other side wins).
    Surrender,
    /// The turn timed out (after `max_missed` in a row the player forfeits).
    Skip {
        /// Missed turns that make a forfeit.
        max_missed: u32,
    },
}

/// Why an action cannot be taken now (nothing changes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BattleError {
    /// The battle is over.
    #[error("the battle is over")]
    Over,
    /// It is not this player's turn.
    #[error("it is not your turn")]
    NotYourTurn,
    /// No such item left.
    #[error("no {0} left")]
    NoItem(String),
    /// No such pet in the team, or it is already active.
    #[error("you cannot switch to that pet")]
    BadPet,
}

/// A line of the battle log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "e", rename_all = "snake_case")]
pub enum LogEntry {
    /// A hit.
    Hit {
        /// Turn number (1-based).
        turn: u32,
        /// Attacker name.
        by: String,
        /// Target name.
        target: String,
        /// Damage dealt.
        damage: u32,
        /// Critical.
        crit: bool,
        /// Element multiplier, percent.
        element_pct: u32,
        /// The target defended.
        blocked: bool,
        /// Target HP after.
        hp_left: u32,
    },
    /// Defend.
    Defend {
        /// Turn.
        turn: u32,
        /// Who.
        by: String,
    },
    /// A potion.
    Heal {
        /// Turn.
        turn: u32,
        /// Who.
        by: String,
        /// Item id.
        item: String,
        /// HP restored.
        amount: u32,
    },
    /// A pet switch.
    Switch {
        /// Turn.
        turn: u32,
        /// Who.
        by: String,
        /// The new active pet's name.
        pet: String,
    },
    /// A timed-out turn.
    Skip {
        /// Turn.
        turn: u32,
        /// Who.
        by: String,
    },
    /// A surrender.
    Surrender {
        /// Turn.
        turn: u32,
        /// Who.
        by: String,
    },
    /// A forfeit after too many missed turns.
    Forfeit {
        /// Turn.
        turn: u32,
        /// Who.
        by: String,
    },
    /// The end.
    End {
        /// Winning side (none: a draw).
        winner: Option<usize>,
        /// The winning side's names.
        name: Option<String>,
        /// By the turn limit.
        timeout: bool,
    },
}

/// How a battle ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The winning side (none: a draw).
    pub winner: Option<usize>,
}

/// A battle in progress (or over): the state after the actions so far, and its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Battle {
    /// Kind.
    pub kind: BattleKind,
    /// The sides now.
    pub sides: [Vec<Combatant>; 2],
    /// Actions taken (1-based turn of the next action = `turn + 1`).
    pub turn: u32,
    /// Whose turn: (side, index).
    pub next: (usize, usize),
    /// The log.
    pub log: Vec<LogEntry>,
    /// Set once over.
    pub outcome: Option<Outcome>,
    rng: ChaCha8Rng,
}

/// The damage of one hit from `a` on `d` (the formula of `battles.yaml`), given the `roll`
/// (0..=roll_max_pct) and whether it is a critical hit. Pure arithmetic; [`Battle`] draws the
/// roll and the crit.
pub fn damage(rules: &BattleRules, a: &Combatant, d: &Combatant, roll: u32, crit: bool) -> u32 {
    let base = u64::from(a.attack(rules)) + u64::from(a.pet().map_or(0, |p| p.power));
    let gems = a.weapon.as_ref().map_or(0, |w| w.gems);
    let gem_bonus = u64::from(rules.turns.gem_bonus_pct) * u64::from(gems);
    let affinity = u64::from(a.pet().map_or(100, |p| p.affinity));
    let mut dmg = base * (100 + gem_bonus) / 100 * affinity / 100 * (100 + u64::from(roll)) / 100;
    dmg = dmg * u64::from(rules.element_pct(a.element(), d.element())) / 100;
    if crit {
        dmg = dmg * u64::from(rules.turns.crit_pct) / 100;
    }
    dmg = dmg * 100 / (100 + u64::from(d.defense_total()));
    if d.defending {
        dmg = dmg * u64::from(rules.turns.defend_pct) / 100;
    }
    u32::try_from(dmg).unwrap_or(u32::MAX).max(1)
}

/// The enemy's move: a potion when low and it has one, Defend by chance, else Attack.
pub fn enemy_action(rules: &BattleRules, me: &Combatant, rng: &mut impl Rng) -> Action {
    let low =
        u64::from(me.hp) * 100 < u64::from(me.max_hp) * u64::from(rules.enemy_ai.heal_below_pct);
    if low {
        if let Some((item, _)) = me.items.iter().find(|(_, (n, _))| *n > 0) {
            return Action::UseItem { item: item.clone() };
        }
    }
    if rng.random_range(0..100) < rules.enemy_ai.defend_chance_pct {
        Action::Defend
    } else {
        Action::Attack
    }
}

impl Battle {
    /// A battle at its start.
    pub fn start(setup: &Setup, seed: u64) -> Battle {
        let mut b = Battle {
            kind: setup.kind,
            sides: setup.sides.clone(),
            turn: 0,
            next: (0, 0),
            log: Vec::new(),
            outcome: None,
            rng: ChaCha8Rng::seed_from_u64(seed),
        };
        b.check_end_without_turn();
        b
    }

    /// The combatant whose turn it is.
    pub fn current(&self) -> &Combatant {
        &self.sides[self.next.0][self.next.1]
    }

    /// The player whose turn it is (none when over or an enemy's).
    pub fn whose_turn(&self) -> Option<UserId> {
        if self.outcome.is_some() {
            return None;
        }
        self.current().user
    }

    /// Whether `action` can be taken by the current combatant now.
    pub fn check(&self, action: &Action) -> Result<(), BattleError> {
        if self.outcome.is_some() {
            return Err(BattleError::Over);
        }
        let me = self.current();
        match action {
            Action::UseItem { item } => match me.items.get(item) {
                Some((n, _)) if *n > 0 => Ok(()),
                _ => Err(BattleError::NoItem(item.clone())),
            },
            Action::SwitchPet { pet } => {
                if *pet < me.team.len() && *pet != me.active {
                    Ok(())
                } else {
                    Err(BattleError::BadPet)
                }
            }
            _ => Ok(()),
        }
    }

    /// The winning side of a battle over, the user who won (PvP or a player side).
    pub fn winner_user(&self) -> Option<UserId> {
        let w = self.outcome?.winner?;
        self.sides[w].iter().find_map(|c| c.user)
    }

    fn other(side: usize) -> usize {
        1 - side
    }

    fn side_standing(&self, side: usize) -> bool {
        self.sides[side].iter().any(Combatant::standing)
    }

    fn finish(&mut self, winner: Option<usize>, timeout: bool) {
        let name = winner.map(|w| {
            self.sides[w]
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        self.log.push(LogEntry::End {
            winner,
            name,
            timeout,
        });
        self.outcome = Some(Outcome { winner });
    }

    fn check_end_without_turn(&mut self) {
        let a = self.side_standing(0);
        let b = self.side_standing(1);
        if !a || !b {
            let w = match (a, b) {
                (true, false) => Some(0),
                (false, true) => Some(1),
                _ => None,
            };
            self.finish(w, false);
        }
    }

    /// Moves `next` to the following standing combatant (sides alternate).
    fn advance(&mut self) {
        let order: Vec<(usize, usize)> = {
            let n = self.sides[0].len().max(self.sides[1].len());
            let mut v = Vec::new();
            for i in 0..n {
                for s in 0..2 {
                    if i < self.sides[s].len() {
                        v.push((s, i));
                    }
                }
            }
            v
        };
        let pos = order.iter().position(|x| *x == self.next).unwrap_or(0);
        for k in 1..=order.len() {
            let c = order[(pos + k) % order.len()];
            if self.sides[c.0][c.1].standing() {
                self.next = c;
                return;
            }
        }
    }

    /// Applies one action of the current combatant, then the enemies' moves until a player's
    /// turn or the end.
    pub fn act(&mut self, rules: &BattleRules, action: &Action) -> Result<(), BattleError> {
        self.check(action)?;
        self.apply(rules, action);
        self.run_enemies(rules);
        Ok(())
    }

    fn run_enemies(&mut self, rules: &BattleRules) {
        while self.outcome.is_none() && self.current().user.is_none() {
            let me = self.current().clone();
            let a = enemy_action(rules, &me, &mut self.rng);
            self.apply(rules, &a);
        }
    }

    fn apply(&mut self, rules: &BattleRules, action: &Action) {
        self.turn += 1;
        let turn = self.turn;
        let (s, i) = self.next;
        let name = self.sides[s][i].name.clone();
        if !matches!(action, Action::Skip { .. }) {
            self.sides[s][i].missed = 0;
        }
        // A Defend lasts until the defender's next turn.
        self.sides[s][i].defending = false;
        match action {
            Action::Attack => {
                let t = Self::other(s);
                if let Some(j) = self.sides[t].iter().position(Combatant::standing) {
                    let roll = self.rng.random_range(0..=rules.turns.roll_max_pct);
                    let crit_chance = self.sides[s][i].weapon.as_ref().map_or(0, |w| w.crit);
                    let crit = self.rng.random_range(0..1000) < crit_chance;
                    let (a, d) = (&self.sides[s][i], &self.sides[t][j]);
                    let dmg = damage(rules, a, d, roll, crit);
                    let element_pct = rules.element_pct(a.element(), d.element());
                    let blocked = d.defending;
                    let target = &mut self.sides[t][j];
                    target.hp = target.hp.saturating_sub(dmg);
                    target.defending = false;
                    self.log.push(LogEntry::Hit {
                        turn,
                        by: name,
                        target: target.name.clone(),
                        damage: dmg,
                        crit,
                        element_pct,
                        blocked,
                        hp_left: target.hp,
                    });
                }
            }
            Action::Defend => {
                self.sides[s][i].defending = true;
                self.log.push(LogEntry::Defend { turn, by: name });
            }
            Action::UseItem { item } => {
                let me = &mut self.sides[s][i];
                let heal_pct = match me.items.get_mut(item) {
                    Some((n, pct)) if *n > 0 => {
                        *n -= 1;
                        *pct
                    }
                    _ => 0,
                };
                let want = u64::from(me.max_hp) * u64::from(heal_pct) / 100;
                let before = me.hp;
                me.hp = u32::try_from((u64::from(me.hp) + want).min(u64::from(me.max_hp)))
                    .unwrap_or(me.max_hp);
                let amount = me.hp - before;
                self.log.push(LogEntry::Heal {
                    turn,
                    by: name,
                    item: item.clone(),
                    amount,
                });
            }
            Action::SwitchPet { pet } => {
                let me = &mut self.sides[s][i];
                if *pet < me.team.len() {
                    me.active = *pet;
                }
                let pet = me.pet().map(|p| p.name.clone()).unwrap_or_default();
                self.log.push(LogEntry::Switch {
                    turn,
                    by: name,
                    pet,
                });
            }
            Action::Surrender => {
                self.sides[s][i].left = true;
                self.log.push(LogEntry::Surrender { turn, by: name });
            }
            Action::Skip { max_missed } => {
                let me = &mut self.sides[s][i];
                me.missed += 1;
                if me.missed >= (*max_missed).max(1) {
                    me.left = true;
                    self.log.push(LogEntry::Forfeit { turn, by: name });
                } else {
                    self.log.push(LogEntry::Skip { turn, by: name });
                }
            }
        }
        self.check_end_without_turn();
        if self.outcome.is_none() && self.turn >= rules.turns.max_turns {
            // The side with the larger share of its HP wins; equal shares: a draw.
            let share = |side: &Vec<Combatant>| -> u64 {
                let hp: u64 = side.iter().map(|c| u64::from(c.hp)).sum();
                let max: u64 = side.iter().map(|c| u64::from(c.max_hp)).sum::<u64>().max(1);
                hp * 1_000_000 / max
            };
            let (a, b) = (share(&self.sides[0]), share(&self.sides[1]));
            let w = match a.cmp(&b) {
                std::cmp::Ordering::Greater => Some(0),
                std::cmp::Ordering::Less => Some(1),
                std::cmp::Ordering::Equal => None,
            };
            self.finish(w, true);
        }
        if self.outcome.is_none() {
            self.advance();
        }
    }

    /// A reward gem drawn after the end from the battle's generator (so a replay shows the
    /// same one): `None` unless the `chance_pct` draw succeeds.
    pub fn reward_gem(
        &mut self,
        rules: &BattleRules,
        tables: &Tables,
        chance_pct: u32,
    ) -> Option<GemDrop> {
        if self.rng.random_range(0..100) >= chance_pct {
            return None;
        }
        let weights: Vec<(Rarity, u64)> = rules
            .rewards
            .gem_weights
            .iter()
            .filter_map(|(k, w)| Some((Rarity::from_name(k)?, *w)))
            .filter(|(_, w)| *w > 0)
            .collect();
        crate::hunt::roll_gem(tables, &weights, &mut self.rng)
    }
}

/// Replays `actions` on `setup` with `seed` (the enemies' moves in between). An action that
/// cannot be taken is an error naming it (a stored list never has one).
pub fn run(
    rules: &BattleRules,
    setup: &Setup,
    seed: u64,
    actions: &[Action],
) -> Result<Battle, (usize, BattleError)> {
    let mut b = Battle::start(setup, seed);
    b.run_enemies(rules);
    for (k, a) in actions.iter().enumerate() {
        b.act(rules, a).map_err(|e| (k, e))?;
    }
    Ok(b)
}

/// What each player gets at the end, in Chrons and XP, and whether a gem is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    /// The player.
    pub user: UserId,
    /// Chrons (reward, consolation and wager).
    pub chrons: Chrons,
    /// Global XP.
    pub xp: i64,
    /// Won.
    pub won: bool,
    /// A reward gem.
    pub gem: Option<GemDrop>,
}

/// The payouts of a battle that is over: the winner gets the reward of its kind (and the
/// whole pot of `wager` × 2 in PvP; a draw gives each their wager back), the loser the
/// consolation. The gem is drawn from the battle's generator.
pub fn payouts(
    rules: &BattleRules,
    tables: &Tables,
    battle: &mut Battle,
    wager: Chrons,
) -> Vec<Payout> {
    let Some(outcome) = battle.outcome else {
        return Vec::new();
    };
    let reward = rules.reward(battle.kind);
    let consolation = rules.rewards.consolation;
    let mut out = Vec::new();
    let players: Vec<(usize, UserId)> = (0..2)
        .flat_map(|s| {
            battle.sides[s]
                .iter()
                .filter_map(move |c| c.user.map(|u| (s, u)))
        })
        .collect();
    for (side, user) in players {
        let won = outcome.winner == Some(side);
        let draw = outcome.winner.is_none();
        let (mut chrons, xp) = if won {
            (reward.chrons, reward.xp)
        } else {
            (consolation.chrons, consolation.xp)
        };
        if battle.kind == BattleKind::Pvp {
            if won {
                chrons = chrons.saturating_add(wager.get().saturating_mul(2));
            } else if draw {
                chrons = chrons.saturating_add(wager.get());
            }
        }
        let gem = if won {
            battle.reward_gem(rules, tables, reward.gem_chance_pct)
        } else {
            None
        };
        out.push(Payout {
            user,
            chrons: Chrons::new(chrons),
            xp,
            won,
            gem,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::test_tables;
    use proptest::prelude::*;

    fn rules() -> BattleRules {
        BattleRules::shipped().expect("shipped battles.yaml validates")
    }

    fn pet(name: &str, element: &str, power: u32, affinity: u32) -> PetFighter {
        PetFighter {
            id: 1,
            name: name.into(),
            emoji: "🐾".into(),
            element: element.into(),
            power,
            hp: 60,
            defense: 0,
            affinity,
        }
    }

    fn weapon(attack: u32, crit: u32, gems: u32) -> WeaponFighter {
        WeaponFighter {
            id: 7,
            name: "Blade".into(),
            element: "fire".into(),
            attack,
            crit,
            defense: 0,
            hp: 0,
            gems,
        }
    }

    fn player(
        r: &BattleRules,
        id: u64,
        team: Vec<PetFighter>,
        w: Option<WeaponFighter>,
    ) -> Combatant {
        let mut items = BTreeMap::new();
        items.insert("healing_potion".to_string(), (1, 30));
        Combatant::player(r, UserId::new(id), format!("p{id}"), team, w, items)
    }

    #[test]
    fn the_shipped_rules_validate_and_problems_are_listed() {
        rules();
        let bad = shipped_source().replace("advantage_pct: 150", "advantage_pct: 150\n  bogus: 1");
        assert!(BattleRules::from_yaml_str(&bad).is_err());
        let mutual = shipped_source().replace("ice: [storm, nature]", "ice: [fire, nature]");
        let p = BattleRules::from_yaml_str(&mutual).unwrap_err();
        assert!(
            p.iter().any(|x| x.message.contains("beat each other")),
            "{p:?}"
        );
    }

    #[test]
    fn element_table() {
        let r = rules();
        assert_eq!(r.element_pct("fire", "nature"), 150);
        assert_eq!(r.element_pct("fire", "ice"), 150);
        assert_eq!(r.element_pct("nature", "fire"), 75);
        assert_eq!(r.element_pct("storm", "fire"), 150);
        assert_eq!(r.element_pct("fire", "storm"), 75);
        assert_eq!(r.element_pct("light", "shadow"), 150);
        assert_eq!(r.element_pct("shadow", "light"), 75);
        assert_eq!(r.element_pct("fire", "fire"), 100);
        assert_eq!(r.element_pct("fire", "light"), 100);
        assert_eq!(r.element_pct("fire", ""), 100);
        // No pair beats each other, every element beats two.
        for (e, l) in &r.elements.beats {
            assert_eq!(l.len(), 2, "{e}");
            for b in l {
                assert_eq!(r.element_pct(b, e), 75);
            }
        }
    }

    #[test]
    fn damage_formula_by_hand() {
        let r = rules();
        // Attacker: weapon 20 attack, 2 gems (+10 %), pet power 30 at affinity 1.10, fire.
        let a = player(
            &r,
            1,
            vec![pet("Ember", "fire", 30, 110)],
            Some(weapon(20, 0, 2)),
        );
        // Target: no pet, weapon fire → element fire vs fire = 100 %; defense 0.
        let d = player(&r, 2, vec![], Some(weapon(10, 0, 0)));
        // (20 + 30) × 110/100 = 55; × 110/100 = 60 (60.5); × 100/100 = 60.
        assert_eq!(damage(&r, &a, &d, 0, false), 60);
        // Roll 20 %: 60 × 120/100 = 72 (60.5 floored to 60 first: 55 × 110 / 100 = 60).
        assert_eq!(damage(&r, &a, &d, 20, false), 72);
        // Crit ×1.5: 72 → 108.
        assert_eq!(damage(&r, &a, &d, 20, true), 108);
        // Target has a nature pet (fire beats nature ×1.5) with defense 10: 72 × 150/100 = 108;
        // × 100/110 = 98.
        let mut d2 = player(&r, 2, vec![pet("Bunny", "nature", 10, 100)], None);
        d2.team[0].defense = 10;
        assert_eq!(damage(&r, &a, &d2, 20, false), 98);
        // Defending halves: 98 → 49.
        d2.defending = true;
        assert_eq!(damage(&r, &a, &d2, 20, false), 49);
        // Unarmed, no pet: 10 × 1 × 1 × 1.15 = 11 (11.5 floored); never below 1.
        let bare = player(&r, 3, vec![], None);
        assert_eq!(damage(&r, &bare, &d, 15, false), 11);
        let mut tank = player(&r, 4, vec![], None);
        tank.defense = 10_000;
        assert_eq!(damage(&r, &bare, &tank, 0, false), 1);
        // Max HP: base 10 + strength (weapon 20 + pet power 30) × 6 + pet HP 60 × 50 %
        // = 10 + 300 + 30 = 340.
        assert_eq!(a.max_hp, 340);
        // Unarmed without a pet: 10 + 10 × 6 = 70; with the weapon of attack 10: the same.
        assert_eq!(bare.max_hp, 70);
        assert_eq!(d.max_hp, 70);
    }

    fn pvp(r: &BattleRules) -> Setup {
        Setup {
            kind: BattleKind::Pvp,
            sides: [
                vec![player(
                    r,
                    1,
                    vec![pet("A", "fire", 30, 100), pet("B", "ice", 25, 100)],
                    Some(weapon(20, 100, 1)),
                )],
                vec![player(
                    r,
                    2,
                    vec![pet("C", "nature", 28, 105)],
                    Some(weapon(18, 50, 0)),
                )],
            ],
        }
    }

    #[test]
    fn a_battle_runs_by_turns_and_ends_with_a_winner() {
        let r = rules();
        let s = pvp(&r);
        let mut b = Battle::start(&s, 42);
        assert_eq!(b.whose_turn(), Some(UserId::new(1)));
        assert_eq!(
            b.act(&r, &Action::SwitchPet { pet: 0 }),
            Err(BattleError::BadPet)
        );
        b.act(&r, &Action::Defend).unwrap();
        assert_eq!(b.whose_turn(), Some(UserId::new(2)));
        b.act(&r, &Action::Attack).unwrap();
        assert!(matches!(b.log[1], LogEntry::Hit { blocked: true, .. }));
        b.act(
            &r,
            &Action::UseItem {
                item: "healing_potion".into(),
            },
        )
        .unwrap();
        assert_eq!(
            b.check(&Action::UseItem {
                item: "healing_potion".into()
            }),
            Ok(()),
            "the other player still has theirs"
        );
        b.act(&r, &Action::Attack).unwrap();
        assert_eq!(
            b.act(
                &r,
                &Action::UseItem {
                    item: "healing_potion".into()
                }
            ),
            Err(BattleError::NoItem("healing_potion".into()))
        );
        b.act(&r, &Action::SwitchPet { pet: 1 }).unwrap();
        assert_eq!(b.sides[0][0].pet().unwrap().name, "B");
        while b.outcome.is_none() {
            b.act(&r, &Action::Attack).unwrap();
        }
        assert!(b.outcome.unwrap().winner.is_some());
        assert_eq!(b.act(&r, &Action::Attack), Err(BattleError::Over));
    }

    #[test]
    fn surrender_and_forfeit() {
        let r = rules();
        let s = pvp(&r);
        let b = run(&r, &s, 1, &[Action::Attack, Action::Surrender]).unwrap();
        assert_eq!(b.outcome, Some(Outcome { winner: Some(0) }));
        assert_eq!(b.winner_user(), Some(UserId::new(1)));
        let skip = Action::Skip { max_missed: 2 };
        let b = run(&r, &s, 1, &[skip.clone(), Action::Attack, skip.clone()]).unwrap();
        assert_eq!(b.outcome, Some(Outcome { winner: Some(1) }));
        assert!(matches!(b.log[0], LogEntry::Skip { .. }));
        assert!(matches!(b.log[2], LogEntry::Forfeit { .. }));
        // An action in between resets the count.
        let b = run(
            &r,
            &s,
            1,
            &[
                skip.clone(),
                Action::Attack,
                Action::Attack,
                Action::Attack,
                skip.clone(),
            ],
        )
        .unwrap();
        assert_eq!(b.outcome, None);
    }

    #[test]
    fn replay_is_deterministic_and_payouts_follow_the_rules() {
        let r = rules();
        let t = test_tables();
        let s = pvp(&r);
        let actions = vec![Action::Attack; 40];
        let one = run(&r, &s, 99, &actions);
        let two = run(&r, &s, 99, &actions);
        let one = match one {
            Ok(b) => b,
            Err((k, _)) => run(&r, &s, 99, &actions[..k]).unwrap(),
        };
        let two = match two {
            Ok(b) => b,
            Err((k, _)) => run(&r, &s, 99, &actions[..k]).unwrap(),
        };
        assert_eq!(one.log, two.log);
        assert!(one.outcome.is_some());
        let mut b = one.clone();
        let p = payouts(&r, &t, &mut b, Chrons::new(100));
        let winner = p.iter().find(|x| x.won).unwrap();
        let loser = p.iter().find(|x| !x.won).unwrap();
        assert_eq!(winner.chrons, Chrons::new(150 + 200));
        assert_eq!(winner.xp, 40);
        assert_eq!(loser.chrons, Chrons::new(20));
        assert_eq!(loser.xp, 10);
        let mut b2 = one.clone();
        assert_eq!(
            payouts(&r, &t, &mut b2, Chrons::new(100)),
            p,
            "same gem too"
        );
    }

    #[test]
    fn pve_enemies_are_scaled_and_move_by_the_seed() {
        let r = rules();
        let me = player(
            &r,
            1,
            vec![pet("A", "fire", 30, 100)],
            Some(weapon(20, 0, 0)),
        );
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let boss = pick_enemy(&r, BattleKind::Boss, &me, &mut rng);
        let t = r
            .enemies
            .boss
            .list
            .iter()
            .find(|t| t.name == boss.name)
            .unwrap();
        // The player: max HP 10 + (20 + 30) × 6 + 60 × 50 % = 340, strength 20 + 30 = 50; the
        // boss pool's scale is 100 %.
        assert_eq!(me.max_hp, 340);
        assert_eq!(boss.max_hp, me.max_hp * 100 / 100 * t.hp_pct / 100);
        assert_eq!(
            boss.weapon.as_ref().unwrap().attack,
            50 * 100 / 100 * t.attack_pct / 100
        );
        let (hp, attack) = match t.id.as_str() {
            // 340 × 105 % = 357; 50 × 62 % = 31.
            "storm_titan" => (357, 31),
            // 340 × 90 % = 306; 50 × 68 % = 34.
            _ => (306, 34),
        };
        assert_eq!(
            (boss.max_hp, boss.weapon.as_ref().unwrap().attack),
            (hp, attack)
        );
        let s = Setup {
            kind: BattleKind::Boss,
            sides: [vec![me], vec![boss]],
        };
        let b = run(&r, &s, 3, &[Action::Attack, Action::Defend]).unwrap();
        // After each player action the enemy moved.
        assert!(b.log.len() >= 4, "{:?}", b.log);
        assert_eq!(b.whose_turn(), Some(UserId::new(1)));
    }

    /// A pet as `pet adopt` and training make it: the creature's stats at `level` and
    /// `affinity` (`chronix_core::pets::stats`), its power `hp/4 + attack + defense + speed`.
    fn levelled_pet(creature: &str, level: u32, affinity: u32) -> PetFighter {
        let t = test_tables();
        let pr = crate::pets::PetRules::shipped(&t).expect("shipped pets.yaml");
        let c = t.creature(creature).expect("creature");
        let state = crate::pets::PetState {
            level,
            xp: 0,
            stamina: 100,
            affinity,
            stage: 0,
            prestige: 0,
        };
        let stats = crate::pets::stats(&pr, &c.stats, &state);
        PetFighter {
            id: 1,
            name: c.name.clone(),
            emoji: c.emoji.clone(),
            element: c.element.clone(),
            power: u32::try_from(crate::pets::power(&stats)).unwrap(),
            hp: stats.hp,
            defense: stats.defense,
            affinity,
        }
    }

    /// A common weapon as it drops from a crate (level 0, no gems): the type's attack and crit
    /// (`weapons.yaml`).
    fn starter(name: &str, element: &str, attack: u32, crit: u32) -> WeaponFighter {
        WeaponFighter {
            id: 7,
            name: name.into(),
            element: element.into(),
            attack,
            crit,
            defense: 0,
            hp: 0,
            gems: 0,
        }
    }

    /// Simulates `n` battles of `make(rng)` (every player attacks on each of their turns, the
    /// enemy moves by its AI) and returns (mean actions per player, share of battles that
    /// reached `max_turns`, share won by side 0).
    fn simulate(
        r: &BattleRules,
        n: u32,
        seed: u64,
        make: impl Fn(&mut ChaCha8Rng) -> Setup,
    ) -> (f64, f64, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut actions, mut players, mut capped, mut won) = (0u64, 0u64, 0u32, 0u32);
        for _ in 0..n {
            let setup = make(&mut rng);
            let seed: u64 = rand::Rng::random(&mut rng);
            let mut b = Battle::start(&setup, seed);
            b.run_enemies(r);
            while b.outcome.is_none() {
                b.act(r, &Action::Attack).unwrap();
                actions += 1;
            }
            players += setup
                .sides
                .iter()
                .flatten()
                .filter(|c| c.user.is_some())
                .count() as u64;
            if matches!(b.log.last(), Some(LogEntry::End { timeout: true, .. })) {
                capped += 1;
            }
            if b.outcome.unwrap().winner == Some(0) {
                won += 1;
            }
        }
        (
            actions as f64 / players as f64,
            f64::from(capped) / f64::from(n),
            f64::from(won) / f64::from(n),
        )
    }

    #[test]
    fn pacing_battles_take_five_to_eight_actions_per_player_and_bosses_a_few_more() {
        let rules = rules();
        let r = &rules;
        let me = |id: u64, pet: Option<PetFighter>, w: Option<WeaponFighter>| {
            Combatant::player(
                r,
                UserId::new(id),
                format!("p{id}"),
                pet.into_iter().collect(),
                w,
                BTreeMap::new(),
            )
        };
        let blade = || Some(starter("Ember Blade", "fire", 12, 50));
        let spear = || Some(starter("Dawn Spear", "light", 13, 40));
        // A rare pet trained to level 10 (×1.72) with some care (affinity 1.10).
        let boar = || Some(levelled_pet("cinder_boar", 10, 110));
        let owl = || Some(levelled_pet("moon_owl", 10, 105));
        let pve = |kind: BattleKind, c: Combatant| {
            move |rng: &mut ChaCha8Rng| {
                let e = pick_enemy(r, kind, &c, rng);
                Setup {
                    kind,
                    sides: [vec![c.clone()], vec![e]],
                }
            }
        };
        let pvp = |a: Combatant, b: Combatant| {
            move |_: &mut ChaCha8Rng| Setup {
                kind: BattleKind::Pvp,
                sides: [vec![a.clone()], vec![b.clone()]],
            }
        };
        let wild = (5.0, 8.0);
        let boss = (8.0, 14.0);
        let cases: Vec<(&str, (f64, f64), Box<dyn Fn(&mut ChaCha8Rng) -> Setup>)> = vec![
            (
                "unarmed vs wild",
                wild,
                Box::new(pve(BattleKind::Wild, me(1, None, None))),
            ),
            (
                "starter weapon vs wild",
                wild,
                Box::new(pve(BattleKind::Wild, me(1, None, blade()))),
            ),
            (
                "weapon + pet vs wild",
                wild,
                Box::new(pve(BattleKind::Wild, me(1, boar(), blade()))),
            ),
            (
                "unarmed vs boss",
                boss,
                Box::new(pve(BattleKind::Boss, me(1, None, None))),
            ),
            (
                "starter weapon vs boss",
                boss,
                Box::new(pve(BattleKind::Boss, me(1, None, blade()))),
            ),
            (
                "weapon + pet vs boss",
                boss,
                Box::new(pve(BattleKind::Boss, me(1, boar(), blade()))),
            ),
            (
                "pvp unarmed",
                wild,
                Box::new(pvp(me(1, None, None), me(2, None, None))),
            ),
            (
                "pvp starter weapons",
                wild,
                Box::new(pvp(me(1, None, blade()), me(2, None, spear()))),
            ),
            (
                "pvp weapon + pet",
                wild,
                Box::new(pvp(me(1, boar(), blade()), me(2, owl(), spear()))),
            ),
        ];
        let mut report = Vec::new();
        let mut wrong = Vec::new();
        for (k, (name, (lo, hi), make)) in cases.iter().enumerate() {
            let (mean, capped, won) = simulate(r, 2000, 11 + k as u64, make);
            let line = format!(
                "{name}: {mean:.2} actions per player, {:.1} % capped, side 0 won {:.0} %",
                capped * 100.0,
                won * 100.0
            );
            if !(*lo..=*hi).contains(&mean) || capped >= 0.01 {
                wrong.push(format!("{line} (wanted {lo}..={hi}, < 1 % capped)"));
            }
            report.push(line);
        }
        println!("{}", report.join("\n"));
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            6 => Just(Action::Attack),
            2 => Just(Action::Defend),
            1 => Just(Action::UseItem { item: "healing_potion".into() }),
            1 => (0usize..3).prop_map(|pet| Action::SwitchPet { pet }),
            1 => Just(Action::Skip { max_missed: 2 }),
        ]
    }

    proptest! {
        #[test]
        fn every_battle_ends_in_bounded_turns_and_hp_stays_in_range(
            seed in any::<u64>(),
            actions in proptest::collection::vec(action(), 1..200),
            pve in any::<bool>(),
        ) {
            let r = rules();
            let mut s = pvp(&r);
            if pve {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let e = pick_enemy(&r, BattleKind::Wild, &s.sides[0][0], &mut rng);
                s = Setup { kind: BattleKind::Wild, sides: [s.sides[0].clone(), vec![e]] };
            }
            let mut b = Battle::start(&s, seed);
            b.run_enemies(&r);
            let mut taken = Vec::new();
            for a in actions.iter().cycle().take(400) {
                if b.outcome.is_some() { break; }
                let a = if b.check(a).is_ok() { a.clone() } else { Action::Attack };
                b.act(&r, &a).unwrap();
                taken.push(a);
                for side in &b.sides {
                    for c in side {
                        prop_assert!(c.hp <= c.max_hp);
                    }
                }
                prop_assert!(b.turn <= r.turns.max_turns);
            }
            prop_assert!(b.outcome.is_some(), "ended within {} turns", r.turns.max_turns);
            let again = run(&r, &s, seed, &taken).unwrap();
            prop_assert_eq!(again.log, b.log);
        }
    }
}
