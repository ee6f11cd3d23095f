//! Items: crates opened in one transaction (one crate inventory whatever the source, pity
//! counts, the double-open race), on both backends.

use std::sync::{Arc, Mutex};

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::items::{
    CrateOpening, ForgeError, ForgeOutcome, ForgeRules, GemDrop, Loot, PityOpening, forge,
    open_crate_with_pity,
};
use chronix_core::tables::Rarity;
use chronix_storage::economy::{self, Memo};
use chronix_storage::items::{self, PityCount};
use chronix_storage::{Refusal, Storage, inventory, shop};
use rand::SeedableRng;

use crate::{refusal, scalar, t, tables};

both!(
    crates_from_every_source_open_in_one_transaction,
    crate_double_open_race_opens_once,
    crate_pity_is_counted_per_player_and_kind,
    crate_open_refusals_change_nothing,
    forge_is_one_transaction_either_way,
    forge_race_consumes_a_gem_once,
    random_item_operations_never_duplicate_or_lose_anything,
);

async fn give_crates(s: &Storage, user: UserId, kind: &str, n: u32) {
    let mut tx = s.begin().await.unwrap();
    for _ in 0..n {
        inventory::add_crate(&mut tx, user, kind, t(0))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn crates_from_every_source_open_in_one_transaction(s: Storage) {
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(5);
    // Two hunted basic crates and one bought in the shop land in ONE stack.
    give_crates(&s, user, "basic", 2).await;
    let mut tx = s.begin().await.unwrap();
    economy::apply(&mut tx, user, Chrons::new(2_000), &Memo::new("seed"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    shop::buy(&s, user, "basic_crate", 1, 1_500, None, t(1))
        .await
        .unwrap();
    give_crates(&s, user, "mythic", 1).await;
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.quantity("basic_crate"), 3);
    assert_eq!(inv.crate_counts().get("basic"), Some(&3));
    assert_eq!(inv.crate_total(), 4);

    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let opened = items::open_crates(
        &s,
        user,
        Some(GuildId::new(9)),
        &[("mythic".into(), 1), ("basic".into(), 3)],
        t(2),
        |id, misses| open_crate_with_pity(&tables, tables.crate_def(id).unwrap(), misses, &mut rng),
    )
    .await
    .unwrap();
    assert_eq!(opened.count(), 4);
    assert_eq!(
        opened
            .kinds
            .iter()
            .map(|k| (k.crate_id.as_str(), k.openings.len(), k.left))
            .collect::<Vec<_>>(),
        [("mythic", 1, 0), ("basic", 3, 0)],
        "kinds in the order asked"
    );
    let found: i64 = opened
        .kinds
        .iter()
        .flat_map(|k| &k.openings)
        .map(|o| o.opening.chrons.get())
        .sum();
    assert_eq!(opened.chrons.get(), found);
    assert_eq!(opened.balance_after.get(), 500 + found);
    // Loot landed: creatures in stacks, gems as rows; the crates are gone.
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.crate_total(), 0);
    let creatures = opened
        .loot()
        .filter(|l| matches!(l, Loot::Creature(_)))
        .count() as i64;
    let gems = opened.loot().filter(|l| matches!(l, Loot::Gem(_))).count();
    assert_eq!(
        inv.stacks
            .iter()
            .filter(|st| st.item_type == inventory::CREATURE)
            .map(|st| st.quantity)
            .sum::<i64>(),
        creatures
    );
    assert_eq!(inv.gems.len(), gems);
    let weapons = opened
        .loot()
        .filter(|l| matches!(l, Loot::Weapon(_)))
        .count();
    assert_eq!(
        chronix_storage::weapons::list(&s, user)
            .await
            .unwrap()
            .len(),
        weapons
    );
    assert_eq!(
        creatures + gems as i64 + weapons as i64,
        4 * 2 + 2,
        "2 rolls per basic, 4 per mythic"
    );
    // One ledger row for all the Chrons found, and the ledger reconciles.
    let rows = economy::history(&s, user, 10, None).await.unwrap();
    assert_eq!(rows[0].kind, "crate");
    assert_eq!(rows[0].change, found);
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM transactions WHERE kind = 'crate'").await,
        1
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn crate_double_open_race_opens_once(s: Storage) {
    let tables = Arc::new(tables());
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(6);
    give_crates(&s, user, "advanced", 1).await;
    let mut tasks = Vec::new();
    for seed in 0..2u64 {
        let (s, tables) = (s.clone(), tables.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            items::open_crates(
                &s,
                user,
                None,
                &[("advanced".into(), 1)],
                t(3),
                |id, misses| {
                    open_crate_with_pity(&tables, tables.crate_def(id).unwrap(), misses, &mut rng)
                },
            )
            .await
        }));
    }
    let mut won = Vec::new();
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(o) => won.push(o),
            Err(e) => {
                assert!(
                    matches!(
                        refusal(Err::<(), _>(e)),
                        Refusal::NotEnoughItems { ref item, needed: 1, available: 0 } if item == "advanced_crate"
                    ),
                    "the loser is told the crate is gone"
                );
                refused += 1;
            }
        }
    }
    assert_eq!((won.len(), refused), (1, 1), "exactly one open wins");
    let o = &won[0];
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.crate_total(), 0);
    assert_eq!(
        inv.stacks.iter().map(|st| st.quantity).sum::<i64>() + inv.gems.len() as i64,
        o.loot().count() as i64,
        "the loot of one crate, once"
    );
    assert_eq!(economy::balance(&s, user).await.unwrap(), o.chrons.get());
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM transactions WHERE kind = 'crate'").await,
        1
    );
    assert_eq!(
        items::pity_counts(&s, user).await.unwrap()["advanced"].opened,
        1
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

/// A roll that never hits: records the pity count it was given and adds one miss.
fn miss(seen: &Arc<Mutex<Vec<(String, u32)>>>, id: &str, misses: u32) -> PityOpening {
    seen.lock().unwrap().push((id.to_string(), misses));
    PityOpening {
        opening: CrateOpening {
            crate_id: id.into(),
            chrons: Chrons::new(10),
            loot: Vec::new(),
        },
        pity_used: false,
        misses_after: misses + 1,
    }
}

async fn crate_pity_is_counted_per_player_and_kind(s: Storage) {
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let (a, b) = (UserId::new(7), UserId::new(8));
    give_crates(&s, a, "basic", 5).await;
    give_crates(&s, a, "advanced", 1).await;
    give_crates(&s, b, "basic", 1).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let open = |user, kind: &str, n| {
        let seen = seen.clone();
        let batch = vec![(kind.to_string(), n)];
        let s = s.clone();
        async move {
            items::open_crates(&s, user, None, &batch, t(4), |id, m| miss(&seen, id, m))
                .await
                .unwrap()
        }
    };
    let o = open(a, "basic", 3).await;
    assert_eq!(o.kinds[0].misses_after, 3);
    assert_eq!(o.chrons, Chrons::new(30));
    open(a, "basic", 2).await;
    open(a, "advanced", 1).await;
    open(b, "basic", 1).await;
    let calls: Vec<u32> = seen.lock().unwrap().iter().map(|(_, m)| *m).collect();
    assert_eq!(
        calls,
        [0, 1, 2, 3, 4, 0, 0],
        "the count carries over, per player and kind"
    );
    let pa = items::pity_counts(&s, a).await.unwrap();
    assert_eq!(
        pa["basic"],
        PityCount {
            misses: 5,
            opened: 5
        }
    );
    assert_eq!(
        pa["advanced"],
        PityCount {
            misses: 1,
            opened: 1
        }
    );
    assert_eq!(items::pity_counts(&s, b).await.unwrap()["basic"].misses, 1);
    // A hit resets the count.
    give_crates(&s, b, "basic", 1).await;
    items::open_crates(&s, b, None, &[("basic".into(), 1)], t(5), |id, _| {
        PityOpening {
            misses_after: 0,
            ..miss(&seen, id, 0)
        }
    })
    .await
    .unwrap();
    assert_eq!(
        items::pity_counts(&s, b).await.unwrap()["basic"],
        PityCount {
            misses: 0,
            opened: 2
        }
    );
}

async fn crate_open_refusals_change_nothing(s: Storage) {
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(9);
    give_crates(&s, user, "basic", 1).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let try_open = |batch: Vec<(String, u32)>| {
        let (s, seen) = (s.clone(), seen.clone());
        async move { items::open_crates(&s, user, None, &batch, t(6), |id, m| miss(&seen, id, m)).await }
    };
    assert_eq!(refusal(try_open(vec![]).await), Refusal::InvalidAmount(0));
    assert_eq!(
        refusal(try_open(vec![("basic".into(), 0)]).await),
        Refusal::InvalidAmount(0)
    );
    assert_eq!(
        refusal(try_open(vec![("basic".into(), 2)]).await),
        Refusal::NotEnoughItems {
            item: "basic_crate".into(),
            needed: 2,
            available: 1
        }
    );
    // A batch whose second kind is missing rolls the first back too.
    assert!(matches!(
        refusal(try_open(vec![("basic".into(), 1), ("mythic".into(), 1)]).await),
        Refusal::NotEnoughItems { .. }
    ));
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.quantity("basic_crate"), 1);
    assert_eq!(economy::balance(&s, user).await.unwrap(), 0);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM crate_pity").await, 0);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM transactions").await, 0);
}

async fn gems(s: &Storage, user: UserId, gem_type: &str, rarity: Rarity, n: usize) -> Vec<i64> {
    let mut tx = s.begin().await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..n {
        let g = GemDrop {
            gem_type: gem_type.into(),
            rarity,
            power: 4,
        };
        ids.push(inventory::add_gem(&mut tx, user, &g, t(0)).await.unwrap());
    }
    tx.commit().await.unwrap();
    ids
}

async fn fund(s: &Storage, user: UserId, n: i64) {
    let mut tx = s.begin().await.unwrap();
    economy::apply(&mut tx, user, Chrons::new(n), &Memo::new("seed"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A forge that always succeeds or always fails (cost and consumption from the default rules).
fn fixed(success: bool) -> impl FnMut(&[GemDrop], Chrons) -> Result<ForgeOutcome, ForgeError> {
    move |gems, balance| {
        let rules = ForgeRules::default();
        let mut o = forge(
            gems,
            balance,
            &rules,
            &tables(),
            &mut rand::rngs::StdRng::seed_from_u64(0),
        )?;
        o.success = success;
        o.gems_consumed = if success { 3 } else { 2 };
        o.forged = success.then(|| GemDrop {
            gem_type: gems[0].gem_type.clone(),
            rarity: Rarity::Epic,
            power: 7,
        });
        Ok(o)
    }
}

async fn forge_is_one_transaction_either_way(s: Storage) {
    let user = UserId::new(11);
    let ids = gems(&s, user, "ruby", Rarity::Rare, 6).await;
    fund(&s, user, 1_000).await;
    // Success: 3 gems in, one Epic out, 800 💠 (the Rare tier's cost) through the ledger.
    let f = items::forge_gems(&s, user, None, &[ids[..3].to_vec()], t(1), fixed(true))
        .await
        .unwrap();
    assert_eq!((f.cost.get(), f.balance_after.get()), (800, 200));
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.gems.len(), 4);
    assert_eq!(
        inv.gems.iter().filter(|g| g.rarity == "epic").count(),
        1,
        "the forged gem"
    );
    assert_eq!(Some(inv.gems[0].id), f.forges[0].forged_id);
    // Not enough Chrons for the next: refused by the rules, nothing changes.
    let r =
        refusal(items::forge_gems(&s, user, None, &[ids[3..].to_vec()], t(2), fixed(false)).await);
    assert!(
        matches!(r, Refusal::Forge(ForgeError::NotEnoughChrons { .. })),
        "{r:?}"
    );
    assert_eq!(inventory::list(&s, user).await.unwrap().gems.len(), 4);
    // Failure: the cost is paid and two gems are lost, one comes back.
    fund(&s, user, 600).await;
    let f = items::forge_gems(&s, user, None, &[ids[3..].to_vec()], t(3), fixed(false))
        .await
        .unwrap();
    assert_eq!((f.forges[0].forged_id, f.balance_after.get()), (None, 0));
    let left: Vec<i64> = inventory::list(&s, user)
        .await
        .unwrap()
        .gems
        .iter()
        .filter(|g| g.rarity == "rare")
        .map(|g| g.id)
        .collect();
    assert_eq!(left, [ids[5]], "the last input is the one given back");
    // Someone else's gem, a gem listed twice, an unknown gem: refused, nothing changes.
    let other = gems(&s, UserId::new(12), "ruby", Rarity::Rare, 1).await;
    fund(&s, user, 5_000).await;
    for group in [
        vec![ids[5], other[0], other[0]],
        vec![ids[5], ids[5], ids[5]],
        vec![ids[5], 999_999, ids[5]],
    ] {
        let r = refusal(items::forge_gems(&s, user, None, &[group], t(4), fixed(true)).await);
        assert!(matches!(r, Refusal::NotEnoughItems { .. }), "{r:?}");
    }
    assert_eq!(economy::balance(&s, user).await.unwrap(), 5_000);
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM transactions WHERE kind = 'forge'").await,
        2
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn forge_race_consumes_a_gem_once(s: Storage) {
    let user = UserId::new(13);
    let ids = gems(&s, user, "topaz", Rarity::Common, 5).await;
    fund(&s, user, 10_000).await;
    // Two forges share gem ids[2]: exactly one runs.
    let groups = [vec![ids[0], ids[1], ids[2]], vec![ids[2], ids[3], ids[4]]];
    let mut tasks = Vec::new();
    for g in groups {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            items::forge_gems(&s, user, None, &[g], t(5), fixed(true)).await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert!(matches!(
                refusal(Err::<(), _>(e)),
                Refusal::NotEnoughItems { .. }
            )),
        }
    }
    assert_eq!(ok, 1);
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.gems.len(), 5 - 3 + 1);
    assert_eq!(economy::balance(&s, user).await.unwrap(), 10_000 - 200);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

/// A property test over random sequences of the item operations built so far (crate and gem
/// grants, opens of one kind or several, forges, shop sales of crates), seeded: after every step the
/// books balance. Crates: given = opened + sold + owned. Gems: from loot + forged = consumed +
/// owned. Chrons: the wallet is what the ledger says, and every ledger replays.
async fn random_item_operations_never_duplicate_or_lose_anything(s: Storage) {
    use rand::Rng;
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(21);
    let kinds = ["basic", "advanced", "mythic", "frostfall"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let (mut given, mut opened, mut sold) = (0i64, 0i64, 0i64);
    let (mut gems_in, mut gems_out) = (0i64, 0i64);
    fund(&s, user, 100_000).await;
    for step in 0..60 {
        match rng.random_range(0..5) {
            4 => {
                // A reward of three gems of one kind (so forges have material).
                let rarity = Rarity::ALL[rng.random_range(0..3)];
                gems(&s, user, "ruby", rarity, 3).await;
                gems_in += 3;
            }
            0 => {
                let kind = kinds[rng.random_range(0..kinds.len())];
                let n = rng.random_range(1..4);
                give_crates(&s, user, kind, n).await;
                given += i64::from(n);
            }
            1 => {
                let inv = inventory::list(&s, user).await.unwrap();
                let mut batch: Vec<(String, u32)> = Vec::new();
                for (k, n) in inv.crate_counts() {
                    if rng.random_bool(0.7) {
                        batch.push((k, rng.random_range(1..=n as u32 + 1)));
                    }
                }
                let seed = rng.random();
                let mut roll_rng = rand::rngs::StdRng::seed_from_u64(seed);
                let r = items::open_crates(&s, user, None, &batch, t(step), |id, m| {
                    open_crate_with_pity(&tables, tables.crate_def(id).unwrap(), m, &mut roll_rng)
                })
                .await;
                match r {
                    Ok(o) => {
                        opened += o.count() as i64;
                        gems_in += o.loot().filter(|l| matches!(l, Loot::Gem(_))).count() as i64;
                    }
                    // Asked for one more than owned, or nothing: refused, nothing changed.
                    Err(e) => {
                        let r = refusal(Err::<(), _>(e));
                        assert!(
                            matches!(
                                r,
                                Refusal::NotEnoughItems { .. } | Refusal::InvalidAmount(_)
                            ),
                            "{r:?}"
                        );
                    }
                }
            }
            2 => {
                let inv = inventory::list(&s, user).await.unwrap();
                let free: Vec<(i64, GemDrop)> = inv
                    .gems
                    .iter()
                    .map(|g| {
                        (
                            g.id,
                            GemDrop {
                                gem_type: g.gem_type.clone(),
                                rarity: Rarity::from_name(&g.rarity).unwrap(),
                                power: g.power as u32,
                            },
                        )
                    })
                    .collect();
                let rarity = Rarity::ALL[rng.random_range(0..5)];
                let rules = ForgeRules::default();
                if let Ok(groups) = chronix_core::items::plan_forge(&free, rarity, 1, &rules) {
                    let seed = rng.random();
                    let mut roll_rng = rand::rngs::StdRng::seed_from_u64(seed);
                    if let Ok(f) = items::forge_gems(&s, user, None, &groups, t(step), |g, b| {
                        forge(g, b, &rules, &tables, &mut roll_rng)
                    })
                    .await
                    {
                        for r in &f.forges {
                            gems_out += i64::from(r.outcome.gems_consumed);
                            gems_in += i64::from(r.forged_id.is_some());
                        }
                    }
                }
            }
            _ => {
                // Sell one basic crate to the shop (the same stack as hunted ones).
                let have = inventory::list(&s, user)
                    .await
                    .unwrap()
                    .quantity("basic_crate");
                let r = shop::sell(&s, user, "basic_crate", 1, 375, None, t(step)).await;
                assert_eq!(r.is_ok(), have > 0);
                sold += i64::from(have > 0);
            }
        }
        let inv = inventory::list(&s, user).await.unwrap();
        assert_eq!(
            given,
            opened + sold + inv.crate_total(),
            "crates at step {step}"
        );
        assert_eq!(
            gems_in - gems_out,
            inv.gems.len() as i64,
            "gems at step {step}"
        );
        assert!(
            economy::reconcile(&s).await.unwrap().is_empty(),
            "ledger at step {step}"
        );
    }
    assert!(
        opened > 0 && gems_out > 0,
        "the sequence exercised opens and forges"
    );
}
