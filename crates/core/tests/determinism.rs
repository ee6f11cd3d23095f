//! Same seed → identical outcome sequence, for every random rule; different seeds differ.

mod common;

use chronix_core::autohunt::{AutohuntRules, AutohuntSession, TraitLevels, tick_outcome};
use chronix_core::economy::{self, BetRules, CoinSide, DiceBet, EconomyRules};
use chronix_core::hunt::{HuntModifiers, roll_hunt};
use chronix_core::items::open_crate;
use common::{real_tables, rng};

fn everything(seed: u64) -> String {
    let t = real_tables();
    let mut r = rng(seed);
    let mut log = String::new();
    let mods = HuntModifiers {
        luck_pct: 30,
        drop_bonus_pct: 50,
        ..HuntModifiers::default()
    };
    for _ in 0..500 {
        log += &format!("{:?}\n", roll_hunt(&t, &mods, &mut r));
    }
    let session = AutohuntSession {
        level: 7,
        essence: 10,
        traits: TraitLevels {
            efficiency: 2,
            tempo: 1,
            thrift: 3,
            essence: 1,
        },
    };
    for _ in 0..50 {
        log += &format!(
            "{:?}\n",
            tick_outcome(
                &session,
                chronix_core::economy::Chrons::new(1_000_000),
                &AutohuntRules::default(),
                &t,
                &mut r
            )
        );
    }
    for id in ["basic", "advanced", "mythic"] {
        log += &format!("{:?}\n", open_crate(&t, id, &mut r));
    }
    let rules = BetRules::default();
    let econ = EconomyRules::default();
    for _ in 0..50 {
        log += &format!(
            "{:?}\n",
            economy::coinflip(
                chronix_core::economy::Chrons::new(100),
                CoinSide::Heads,
                &rules,
                &mut r
            )
        );
        log += &format!(
            "{:?}\n",
            economy::dice(
                chronix_core::economy::Chrons::new(100),
                DiceBet::High,
                &rules,
                &mut r
            )
        );
        log += &format!(
            "{:?}\n",
            economy::slots(chronix_core::economy::Chrons::new(100), &rules, &mut r)
        );
        log += &format!("{:?}\n", economy::work(&econ.work, &mut r));
        log += &format!("{:?}\n", economy::beg(&econ.beg, &mut r));
    }
    log
}

#[test]
fn same_seed_same_outcomes() {
    let a = everything(42);
    let b = everything(42);
    assert_eq!(a, b);
    assert!(a.lines().count() > 800);
}

#[test]
fn different_seeds_differ() {
    assert_ne!(everything(42), everything(43));
}

#[test]
fn seeded_hunt_sequence_is_stable_per_call_order() {
    // Two interleaved generators with the same seed stay in lockstep.
    let t = real_tables();
    let (mut a, mut b) = (rng(9), rng(9));
    for _ in 0..1_000 {
        assert_eq!(
            roll_hunt(&t, &HuntModifiers::default(), &mut a),
            roll_hunt(&t, &HuntModifiers::default(), &mut b)
        );
    }
}
