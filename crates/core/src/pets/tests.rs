//! Tests of the pet rules and operations.

use super::*;
use crate::economy::Chrons;
use crate::tables::test_tables;
use crate::tables::{Rarity, Stats};
use chrono::{DateTime, Duration, Utc};
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
