//! Pacing: thousands of seeded battles of representative setups, simulated, must take about
//! 5–8 actions per player (a boss 8–14) and almost never reach `max_turns` (docs/battles.md).

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::ids::UserId;
use crate::tables::test_tables;

/// Builds the setup of one simulated battle (drawing the enemy).
type MakeSetup<'a> = Box<dyn Fn(&mut ChaCha8Rng) -> Setup + 'a>;

fn rules() -> BattleRules {
    BattleRules::shipped().expect("shipped battles.yaml validates")
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
    let team = |kind: BattleKind, members: Vec<Combatant>| {
        move |rng: &mut ChaCha8Rng| {
            let e = pick_team_enemy(r, kind, &members, rng);
            Setup {
                kind,
                sides: [members.clone(), vec![e]],
            }
        }
    };
    let wild = (5.0, 8.0);
    let boss = (8.0, 14.0);
    let cases: Vec<(&str, (f64, f64), MakeSetup)> = vec![
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
        // Teams (`team battle`): the enemy scaled to the sum of the members.
        (
            "team of 2 starter weapons vs wild",
            wild,
            Box::new(team(
                BattleKind::Wild,
                vec![me(1, None, blade()), me(2, None, spear())],
            )),
        ),
        (
            "team of 3, mixed, vs wild",
            wild,
            Box::new(team(
                BattleKind::Wild,
                vec![
                    me(1, boar(), blade()),
                    me(2, None, spear()),
                    me(3, owl(), None),
                ],
            )),
        ),
        (
            "team of 5 weapon + pet vs wild",
            wild,
            Box::new(team(
                BattleKind::Wild,
                (1..=5).map(|i| me(i, boar(), blade())).collect(),
            )),
        ),
        (
            "team of 2 starter weapons vs boss",
            boss,
            Box::new(team(
                BattleKind::Boss,
                vec![me(1, None, blade()), me(2, None, spear())],
            )),
        ),
        (
            "team of 3 weapon + pet vs boss",
            boss,
            Box::new(team(
                BattleKind::Boss,
                vec![
                    me(1, boar(), blade()),
                    me(2, owl(), spear()),
                    me(3, boar(), spear()),
                ],
            )),
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
