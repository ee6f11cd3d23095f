//! Statistical tests: 100,000 seeded rolls against the weights of the real tables.
//! Each check is a chi-square test at p = 0.001 plus a per-category relative tolerance
//! (see `common::fit`); negative controls show the checks do reject wrong weights.

mod common;

use std::collections::HashMap;

use chronix_core::hunt::{self, HuntModifiers, roll_hunt};
use chronix_core::items::open_crate;
use chronix_core::tables::{Rarity, Tables};
use common::{fit, normalise, real_tables, rng};

const N: usize = 100_000;

/// Per-hunt outcome counts.
struct Counts {
    /// Index 0 = no creature, 1..=6 = tiers.
    tiers: [u64; 7],
    creatures: HashMap<String, u64>,
    gems: u64,
    gem_tiers: [u64; 6],
    gem_types: HashMap<String, u64>,
    crates: u64,
    crate_types: HashMap<String, u64>,
    xp: HashMap<i64, u64>,
    chrons: HashMap<i64, u64>,
}

fn run(tables: &Tables, mods: &HuntModifiers, seed: u64, n: usize) -> Counts {
    let mut r = rng(seed);
    let mut c = Counts {
        tiers: [0; 7],
        creatures: HashMap::new(),
        gems: 0,
        gem_tiers: [0; 6],
        gem_types: HashMap::new(),
        crates: 0,
        crate_types: HashMap::new(),
        xp: HashMap::new(),
        chrons: HashMap::new(),
    };
    for _ in 0..n {
        let h = roll_hunt(tables, mods, &mut r);
        match &h.creature {
            None => c.tiers[0] += 1,
            Some(cr) => {
                c.tiers[1 + cr.rarity.index()] += 1;
                *c.creatures.entry(cr.id.clone()).or_default() += 1;
            }
        }
        if let Some(g) = &h.gem {
            c.gems += 1;
            c.gem_tiers[g.rarity.index()] += 1;
            *c.gem_types.entry(g.gem_type.clone()).or_default() += 1;
        }
        if let Some(id) = &h.crate_drop {
            c.crates += 1;
            *c.crate_types.entry(id.clone()).or_default() += 1;
        }
        *c.xp.entry(h.xp).or_default() += 1;
        *c.chrons.entry(h.chrons.get()).or_default() += 1;
    }
    c
}

/// Expected probabilities of [no creature, common, ..., celestial], straight from the weights.
fn expected_tiers(t: &Tables, tier_weights: &[f64; 6]) -> Vec<f64> {
    let cc = t.hunt().creature_chance;
    let mut p = vec![1.0 - cc];
    p.extend(normalise(tier_weights).into_iter().map(|x| x * cc));
    p
}

fn table_weights(t: &Tables) -> [f64; 6] {
    Rarity::ALL.map(|r| t.rarity(r).weight as f64)
}

#[test]
fn creature_tiers_match_the_table_weights() {
    let t = real_tables();
    let c = run(&t, &HuntModifiers::default(), 1, N);
    let expected = expected_tiers(&t, &table_weights(&t));
    fit(&c.tiers, &expected).unwrap_or_else(|e| panic!("tiers {:?}: {e}", c.tiers));
    // The documented numbers (assets/tables/README.md): 60/25/10/3.8/1/0.2 % of creatures.
    let doc = [0.6, 0.25, 0.10, 0.038, 0.01, 0.002];
    for (i, p) in doc.iter().enumerate() {
        assert!((expected[i + 1] - p * 0.9).abs() < 1e-12);
    }
    // The library's own probability function agrees with the hand computation.
    for (i, (_, p)) in hunt::creature_probabilities(&t, &HuntModifiers::default())
        .iter()
        .enumerate()
    {
        assert!((p * t.hunt().creature_chance - expected[i + 1]).abs() < 1e-12);
    }
}

#[test]
fn negative_control_wrong_weights_are_rejected() {
    let t = real_tables();
    let c = run(&t, &HuntModifiers::default(), 1, N);
    // Common 5 % heavier than configured.
    let mut w = table_weights(&t);
    w[0] *= 1.05;
    assert!(fit(&c.tiers, &expected_tiers(&t, &w)).is_err());
    // Mythic and celestial swapped.
    let mut w = table_weights(&t);
    w.swap(4, 5);
    assert!(fit(&c.tiers, &expected_tiers(&t, &w)).is_err());
    // A wrong creature chance.
    let mut e = expected_tiers(&t, &table_weights(&t));
    e[0] += 0.01;
    e[1] -= 0.01;
    assert!(fit(&c.tiers, &e).is_err());
}

#[test]
fn creatures_inside_tiers_match_their_weights() {
    let t = real_tables();
    let c = run(&t, &HuntModifiers::default(), 2, N);
    let cc = t.hunt().creature_chance;
    let tier_p = normalise(&table_weights(&t));
    let mut counts = vec![c.tiers[0]];
    let mut probs = vec![1.0 - cc];
    for r in Rarity::ALL {
        let pool: Vec<_> = t.creatures_of(r).collect();
        let total: u64 = pool.iter().map(|x| x.weight).sum();
        for cr in pool {
            counts.push(c.creatures.get(&cr.id).copied().unwrap_or(0));
            probs.push(cc * tier_p[r.index()] * cr.weight as f64 / total as f64);
        }
    }
    // Every creature hunts can find (the exclusive ones come only from their crate).
    let huntable = t.creatures().iter().filter(|c| !c.exclusive).count();
    assert_eq!(counts.len(), 1 + huntable);
    fit(&counts, &probs).unwrap_or_else(|e| panic!("{counts:?}: {e}"));
}

#[test]
fn gem_and_crate_drop_chances_match() {
    let t = real_tables();
    let c = run(&t, &HuntModifiers::default(), 3, N);
    let n = N as u64;
    let pg = t.hunt().gem_chance;
    fit(&[c.gems, n - c.gems], &[pg, 1.0 - pg]).unwrap_or_else(|e| panic!("gems {}: {e}", c.gems));
    let pc = t.hunt().crate_chance;
    fit(&[c.crates, n - c.crates], &[pc, 1.0 - pc])
        .unwrap_or_else(|e| panic!("crates {}: {e}", c.crates));
    // Negative control: a gem chance of 5.5 % instead of 5 % is rejected.
    assert!(fit(&[c.gems, n - c.gems], &[pg * 1.1, 1.0 - pg * 1.1]).is_err());
}

#[test]
fn gem_tiers_types_and_crate_kinds_match_their_weights() {
    let t = real_tables();
    // Drop bonuses large enough that every hunt drops a gem and a crate: 100,000 of each.
    let mods = HuntModifiers {
        drop_bonus_pct: 10_000,
        ..HuntModifiers::default()
    };
    assert_eq!(hunt::gem_chance(&t, &mods), 1.0);
    assert_eq!(hunt::crate_chance(&t, &mods), 1.0);
    let c = run(&t, &mods, 4, N);
    assert_eq!((c.gems, c.crates), (N as u64, N as u64));

    let gw = &t.hunt().gem_rarity_weights;
    let probs = normalise(&gw.iter().map(|&(_, w)| w as f64).collect::<Vec<_>>());
    let counts: Vec<u64> = gw.iter().map(|&(r, _)| c.gem_tiers[r.index()]).collect();
    fit(&counts, &probs).unwrap_or_else(|e| panic!("gem tiers {counts:?}: {e}"));

    let probs = normalise(&t.gems().iter().map(|g| g.weight as f64).collect::<Vec<_>>());
    let counts: Vec<u64> = t.gems().iter().map(|g| c.gem_types[&g.id]).collect();
    fit(&counts, &probs).unwrap_or_else(|e| panic!("gem types {counts:?}: {e}"));

    let cw = &t.hunt().crate_weights;
    let probs = normalise(&cw.iter().map(|(_, w)| *w as f64).collect::<Vec<_>>());
    let counts: Vec<u64> = cw.iter().map(|(id, _)| c.crate_types[id]).collect();
    fit(&counts, &probs).unwrap_or_else(|e| panic!("crate kinds {counts:?}: {e}"));
}

#[test]
fn xp_and_chrons_are_uniform_in_their_ranges() {
    let t = real_tables();
    let c = run(&t, &HuntModifiers::default(), 5, N);
    for (name, range, counts) in [
        ("xp", t.hunt().xp, &c.xp),
        ("chrons", t.hunt().chrons, &c.chrons),
    ] {
        let values: Vec<i64> = (range.min..=range.max).collect();
        assert_eq!(
            counts.len(),
            values.len(),
            "{name}: values outside the range"
        );
        let obs: Vec<u64> = values.iter().map(|v| counts[v]).collect();
        let probs = vec![1.0 / values.len() as f64; values.len()];
        fit(&obs, &probs).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn luck_shifts_weight_to_rarer_tiers_exactly_as_documented() {
    let t = real_tables();
    let mods = HuntModifiers {
        luck_pct: 100,
        ..HuntModifiers::default()
    };
    let c = run(&t, &mods, 6, N);
    let mut w = table_weights(&t);
    for x in w.iter_mut().skip(1) {
        *x *= 2.0; // (100 + 100) / 100
    }
    fit(&c.tiers, &expected_tiers(&t, &w)).unwrap_or_else(|e| panic!("{:?}: {e}", c.tiers));
    // ...and the unlucky distribution is rejected for these counts.
    assert!(fit(&c.tiers, &expected_tiers(&t, &table_weights(&t))).is_err());
}

#[test]
fn crate_contents_match_the_crate_weights() {
    let t = real_tables();
    for def in t.crates() {
        let opens = N / def.rolls as usize;
        let mut r = rng(7);
        let (mut gems, mut creatures, mut weapons) = (0u64, 0u64, 0u64);
        let mut weapon_tiers = [0u64; 6];
        let mut weapon_types: std::collections::HashMap<String, u64> = Default::default();
        let mut creature_tiers = [0u64; 6];
        let mut gem_tiers = [0u64; 6];
        let mut exclusive: std::collections::HashMap<String, u64> = Default::default();
        let mut chrons_total = 0i64;
        for _ in 0..opens {
            let o = open_crate(&t, &def.id, &mut r).unwrap();
            assert_eq!(o.loot.len(), def.rolls as usize);
            assert!((def.chrons.min..=def.chrons.max).contains(&o.chrons.get()));
            chrons_total += o.chrons.get();
            for l in &o.loot {
                match l {
                    chronix_core::items::Loot::Creature(c) => {
                        creatures += 1;
                        if t.creature(&c.id).is_some_and(|c| c.exclusive) {
                            *exclusive.entry(c.id.clone()).or_default() += 1;
                        } else {
                            creature_tiers[c.rarity.index()] += 1;
                        }
                    }
                    chronix_core::items::Loot::Gem(g) => {
                        gems += 1;
                        gem_tiers[g.rarity.index()] += 1;
                    }
                    chronix_core::items::Loot::Weapon(w) => {
                        weapons += 1;
                        weapon_tiers[w.rarity.index()] += 1;
                        *weapon_types.entry(w.weapon_type.clone()).or_default() += 1;
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        let id = &def.id;
        // A roll is a weapon with weapon_chance; otherwise a gem with gem_chance.
        let pw = def.weapon_chance;
        fit(
            &[weapons, gems, creatures],
            &[
                pw,
                (1.0 - pw) * def.gem_chance,
                (1.0 - pw) * (1.0 - def.gem_chance),
            ],
        )
        .unwrap_or_else(|e| panic!("{id} weapon/gem/creature share: {e}"));
        // Weapon tiers follow the crate's weights; the types its pool (exclusive weapons only
        // from the event crate that lists them, else the open weapons), by their weights.
        let probs = normalise(
            &def.weapon_weights
                .iter()
                .map(|&(_, w)| w as f64)
                .collect::<Vec<_>>(),
        );
        let counts: Vec<u64> = def
            .weapon_weights
            .iter()
            .map(|&(r, _)| weapon_tiers[r.index()])
            .collect();
        fit(&counts, &probs).unwrap_or_else(|e| panic!("{id} weapon tiers {counts:?}: {e}"));
        let pool: Vec<&chronix_core::weapons::WeaponType> = t
            .weapons()
            .types
            .iter()
            .filter(|w| {
                if def.exclusive_weapons.is_empty() {
                    !w.exclusive
                } else {
                    def.exclusive_weapons.contains(&w.id)
                }
            })
            .collect();
        assert_eq!(
            weapon_types.len(),
            pool.len(),
            "{id}: weapons outside the pool {weapon_types:?}"
        );
        let probs = normalise(&pool.iter().map(|w| w.weight as f64).collect::<Vec<_>>());
        let counts: Vec<u64> = pool
            .iter()
            .map(|w| weapon_types.get(&w.id).copied().unwrap_or(0))
            .collect();
        fit(&counts, &probs).unwrap_or_else(|e| panic!("{id} weapon types {counts:?}: {e}"));
        // Exclusive creatures: only from the event crate that lists them, a creature roll with
        // its exclusive_creature_chance, each by its weight; the other rolls by tier weights.
        let excl: u64 = exclusive.values().sum();
        if def.exclusive_creatures.is_empty() {
            assert_eq!(excl, 0, "{id} gave exclusive creatures {exclusive:?}");
        } else {
            let pc = def.exclusive_creature_chance;
            fit(&[excl, creatures - excl], &[pc, 1.0 - pc])
                .unwrap_or_else(|e| panic!("{id} exclusive creature share {excl}: {e}"));
            let pool: Vec<_> = def
                .exclusive_creatures
                .iter()
                .map(|c| t.creature(c).unwrap())
                .collect();
            let probs = normalise(&pool.iter().map(|c| c.weight as f64).collect::<Vec<_>>());
            let counts: Vec<u64> = pool
                .iter()
                .map(|c| exclusive.get(&c.id).copied().unwrap_or(0))
                .collect();
            fit(&counts, &probs)
                .unwrap_or_else(|e| panic!("{id} exclusive creatures {counts:?}: {e}"));
        }
        let probs = normalise(
            &def.creature_weights
                .iter()
                .map(|&(_, w)| w as f64)
                .collect::<Vec<_>>(),
        );
        let counts: Vec<u64> = def
            .creature_weights
            .iter()
            .map(|&(r, _)| creature_tiers[r.index()])
            .collect();
        fit(&counts, &probs).unwrap_or_else(|e| panic!("{id} creature tiers {counts:?}: {e}"));
        let probs = normalise(
            &def.gem_weights
                .iter()
                .map(|&(_, w)| w as f64)
                .collect::<Vec<_>>(),
        );
        let counts: Vec<u64> = def
            .gem_weights
            .iter()
            .map(|&(r, _)| gem_tiers[r.index()])
            .collect();
        fit(&counts, &probs).unwrap_or_else(|e| panic!("{id} gem tiers {counts:?}: {e}"));
        // Tiers not listed never drop.
        let listed: u64 = def
            .creature_weights
            .iter()
            .map(|&(r, _)| creature_tiers[r.index()])
            .sum();
        assert_eq!(listed + excl, creatures);
        let mean = chrons_total as f64 / opens as f64;
        let mid = (def.chrons.min + def.chrons.max) as f64 / 2.0;
        assert!((mean - mid).abs() < (def.chrons.max - def.chrons.min) as f64 * 0.02 + 1.0);
    }
}

/// Hunts (with luck, which reaches every tier) never find an exclusive creature: they come only
/// from their event crate.
#[test]
fn hunts_never_find_exclusive_creatures() {
    let t = real_tables();
    let exclusive: Vec<&str> = t
        .creatures()
        .iter()
        .filter(|c| c.exclusive)
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        !exclusive.is_empty(),
        "the shipped tables have exclusive creatures"
    );
    for mods in [
        HuntModifiers::default(),
        HuntModifiers {
            luck_pct: 300,
            ..Default::default()
        },
    ] {
        let c = run(&t, &mods, 11, N);
        for id in &exclusive {
            assert_eq!(c.creatures.get(*id), None, "a hunt found {id}");
        }
    }
}
