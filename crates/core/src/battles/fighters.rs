//! The combatants: a player's (team of pets, weapon, HP, potions) and a PvE enemy scaled to the
//! player ([`enemy`], [`pick_enemy`]) or to a team of players ([`team_enemy`],
//! [`pick_team_enemy`]).

use std::collections::BTreeMap;

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{BattleKind, BattleRules, EnemyPool, EnemyTemplate};
use crate::ids::UserId;

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
    /// The player (none for an enemy, which acts by [`super::enemy_action`]).
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
    scaled_enemy(rules, pool, t, player.max_hp, player.strength(rules))
}

/// Builds a PvE enemy scaled to a team of players from the template `t` of `pool`: its HP on
/// the sum of their max HP × `enemies.team.hp_pct` / 100, its attack on the sum of their
/// strength × `enemies.team.attack_pct` / 100 (then × `scale_pct` and the template's
/// percentages, as for one player). One member: the same enemy as [`enemy`].
pub fn team_enemy(
    rules: &BattleRules,
    pool: &EnemyPool,
    t: &EnemyTemplate,
    members: &[Combatant],
) -> Combatant {
    if let [one] = members {
        return enemy(rules, pool, t, one);
    }
    let scale = rules.enemies.team;
    let hp: u64 = members.iter().map(|m| u64::from(m.max_hp)).sum();
    let hp = hp * u64::from(scale.hp_pct) / 100;
    let strength: u64 = members.iter().map(|m| u64::from(m.strength(rules))).sum();
    let strength = strength * u64::from(scale.attack_pct) / 100;
    let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    scaled_enemy(rules, pool, t, clamp(hp), clamp(strength))
}

fn scaled_enemy(
    rules: &BattleRules,
    pool: &EnemyPool,
    t: &EnemyTemplate,
    hp: u32,
    strength: u32,
) -> Combatant {
    let scale = |v: u32, pct: u32| -> u32 {
        let x = u64::from(v) * u64::from(pool.scale_pct) / 100 * u64::from(pct) / 100;
        u32::try_from(x).unwrap_or(u32::MAX).max(1)
    };
    let max_hp = scale(hp, t.hp_pct);
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
            attack: scale(strength, t.attack_pct),
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
    pick_team_enemy(rules, kind, std::slice::from_ref(player), rng)
}

/// Picks a PvE enemy of `kind` (wild or boss) and scales it to the team `members`
/// ([`team_enemy`]; one member: as [`pick_enemy`], with the same draw).
pub fn pick_team_enemy(
    rules: &BattleRules,
    kind: BattleKind,
    members: &[Combatant],
    rng: &mut impl Rng,
) -> Combatant {
    let pool = match kind {
        BattleKind::Boss => &rules.enemies.boss,
        _ => &rules.enemies.wild,
    };
    let t = &pool.list[rng.random_range(0..pool.list.len())];
    team_enemy(rules, pool, t, members)
}
