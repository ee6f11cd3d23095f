//! The engine: a battle's [`Setup`], the players' [`Action`]s, the damage formula, the enemy's
//! move, turns and the end, the log, and [`run`] (the replay every live battle is).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{BattleKind, BattleRules, Combatant};
use crate::ids::UserId;
use crate::items::GemDrop;
use crate::tables::{Rarity, Tables};

/// What a battle starts from: the kind and the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    /// PvP, wild or boss.
    pub kind: BattleKind,
    /// Side 0 (the challenger / the player) and side 1.
    pub sides: [Vec<Combatant>; 2],
}

impl Setup {
    /// The players of the battle, side 0's first, in order.
    pub fn users(&self) -> Vec<UserId> {
        self.sides.iter().flatten().filter_map(|c| c.user).collect()
    }
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
        /// The formula's roll, percent (0..=`roll_max_pct`).
        #[serde(default)]
        roll: u32,
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

    /// The users who won a battle over: the winning side's players, except a team member who
    /// left it (surrendered or forfeited) before the end. A clan war counts the win for each.
    pub fn winning_users(&self) -> Vec<UserId> {
        let Some(w) = self.outcome.and_then(|o| o.winner) else {
            return Vec::new();
        };
        let team = self.sides[w].len() > 1;
        self.sides[w]
            .iter()
            .filter(|c| !(team && c.left))
            .filter_map(|c| c.user)
            .collect()
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

    /// Moves `next` to the following standing combatant: side 0's in order, then side 1's, then
    /// round again (one against one: the sides alternate).
    fn advance(&mut self) {
        let order: Vec<(usize, usize)> = (0..2)
            .flat_map(|s| (0..self.sides[s].len()).map(move |i| (s, i)))
            .collect();
        let pos = order.iter().position(|x| *x == self.next).unwrap_or(0);
        for k in 1..=order.len() {
            let c = order[(pos + k) % order.len()];
            if self.sides[c.0][c.1].standing() {
                self.next = c;
                return;
            }
        }
    }

    /// The actions after which the battle ends on HP: `max_turns` × the number of fighters of
    /// the larger side (one against one: `max_turns`).
    pub fn turn_cap(&self, rules: &BattleRules) -> u32 {
        let n = self.sides[0].len().max(self.sides[1].len()).max(1);
        rules
            .turns
            .max_turns
            .saturating_mul(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Applies one action of the current combatant, then the enemies' moves until a player's
    /// turn or the end.
    pub fn act(&mut self, rules: &BattleRules, action: &Action) -> Result<(), BattleError> {
        self.check(action)?;
        self.apply(rules, action);
        self.run_enemies(rules);
        Ok(())
    }

    pub(super) fn run_enemies(&mut self, rules: &BattleRules) {
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
                        roll,
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
        if self.outcome.is_none() && self.turn >= self.turn_cap(rules) {
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
