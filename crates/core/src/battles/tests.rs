//! The engine's tests: the rules file, the element table, the damage formula by hand, turns,
//! surrender and forfeit, replay determinism, payouts, enemy scaling, and the property test.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::economy::Chrons;
use crate::ids::UserId;
use crate::tables::test_tables;

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

fn player(r: &BattleRules, id: u64, team: Vec<PetFighter>, w: Option<WeaponFighter>) -> Combatant {
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

#[test]
fn a_team_takes_turns_against_one_scaled_enemy_and_shares_the_win() {
    let r = rules();
    let members: Vec<Combatant> = (1..=5)
        .map(|id| {
            player(
                &r,
                id,
                vec![pet("P", "fire", 30, 100)],
                Some(weapon(20, 0, 0)),
            )
        })
        .collect();
    let wolf = r
        .enemies
        .wild
        .list
        .iter()
        .find(|t| t.id == "feral_wolf")
        .unwrap();
    // Two members: each max HP 10 + 50 × 6 + 60 × 50 % = 340, strength 20 + 30 = 50.
    // HP: (340 + 340) × 115 % = 782, × 100 % × 90 % = 703; attack: (50 + 50) × 60 % = 60,
    // × 80 % = 48.
    let e = team_enemy(&r, &r.enemies.wild, wolf, &members[..2]);
    assert_eq!((e.max_hp, e.weapon.as_ref().unwrap().attack), (703, 48));
    // One member: the single player's enemy (340 × 90 % = 306; 50 × 80 % = 40).
    let one = team_enemy(&r, &r.enemies.wild, wolf, &members[..1]);
    assert_eq!(one, enemy(&r, &r.enemies.wild, wolf, &members[0]));
    assert_eq!((one.max_hp, one.weapon.as_ref().unwrap().attack), (306, 40));

    // Turns: member 1, member 2, the enemy, member 1…
    let s = Setup {
        kind: BattleKind::Wild,
        sides: [members[..2].to_vec(), vec![e.clone()]],
    };
    let mut b = Battle::start(&s, 7);
    assert_eq!(b.whose_turn(), Some(UserId::new(1)));
    b.act(&r, &Action::Attack).unwrap();
    assert_eq!(b.whose_turn(), Some(UserId::new(2)));
    b.act(&r, &Action::Attack).unwrap();
    assert_eq!(b.log.len(), 3, "the enemy moved once: {:?}", b.log);
    assert_eq!(b.whose_turn(), Some(UserId::new(1)));
    assert_eq!(b.turn_cap(&r), 2 * r.turns.max_turns);
    // Member 1 surrenders: out, the battle goes on with member 2 alone.
    b.act(&r, &Action::Surrender).unwrap();
    assert_eq!(b.outcome, None);
    assert_eq!(b.whose_turn(), Some(UserId::new(2)));
    b.act(&r, &Action::Defend).unwrap();
    assert_eq!(
        b.whose_turn(),
        Some(UserId::new(2)),
        "only member 2 is left"
    );
    // A member who lets two turns run out forfeits; the others fight on.
    let skip = Action::Skip { max_missed: 2 };
    let b = run(&r, &s, 7, &[skip.clone(), Action::Defend, skip]).unwrap();
    assert!(matches!(b.log[0], LogEntry::Skip { .. }));
    assert!(
        b.log
            .iter()
            .any(|e| matches!(e, LogEntry::Forfeit { by, .. } if by == "p1"))
    );
    assert_eq!(b.outcome, None);
    assert!(b.sides[0][0].left);
    assert_eq!(b.whose_turn(), Some(UserId::new(2)));

    // Five members against an enemy of 1 HP; member 5 surrendered first. The win of a wild
    // battle (80 Chrons) × (100 + 10 % × 3 extra members) / 100 = 104, split in 4: 26 each,
    // 25 XP each; member 5 gets the consolation.
    let mut weak = team_enemy(&r, &r.enemies.wild, wolf, &members);
    weak.hp = 1;
    let s = Setup {
        kind: BattleKind::Wild,
        sides: [members.clone(), vec![weak]],
    };
    let t = test_tables();
    let mut b = run(
        &r,
        &s,
        3,
        &[
            Action::Defend,
            Action::Defend,
            Action::Defend,
            Action::Defend,
            Action::Surrender,
        ],
    )
    .unwrap();
    assert_eq!(b.outcome, None);
    // The enemy's turn came after member 5; it cannot have killed anyone (340 HP each).
    b.act(&r, &Action::Attack).unwrap();
    assert_eq!(b.outcome, Some(Outcome { winner: Some(0) }));
    assert_eq!(b.winner_user(), Some(UserId::new(1)));
    // A clan war counts the win for the four members who stayed.
    let won: Vec<u64> = b.winning_users().iter().map(|u| u.get()).collect();
    assert_eq!(won, vec![1, 2, 3, 4]);
    let p = payouts(&r, &t, &mut b.clone(), Chrons::new(0));
    let got: Vec<(u64, i64, i64, bool)> = p
        .iter()
        .map(|x| (x.user.get(), x.chrons.get(), x.xp, x.won))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, 26, 25, true),
            (2, 26, 25, true),
            (3, 26, 25, true),
            (4, 26, 25, true),
            (5, 20, 10, false),
        ]
    );
    // Nobody left: 80 × 140 % = 112 in 5 = 22 rest 2: 23, 23, 22, 22, 22.
    let mut b = run(&r, &s, 3, &[Action::Attack]).unwrap();
    assert_eq!(b.outcome, Some(Outcome { winner: Some(0) }));
    let p = payouts(&r, &t, &mut b, Chrons::new(0));
    let chrons: Vec<i64> = p.iter().map(|x| x.chrons.get()).collect();
    assert_eq!(chrons, vec![23, 23, 22, 22, 22]);
    assert_eq!(chrons.iter().sum::<i64>(), 112);
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
