//! Hunts, hunting statistics, the "hunts" leaderboard and the inventory, on both backends
//! (`<case>::sqlite` and `<case>::postgres`, a fresh database each).

use chronix_core::economy::Chrons;
use chronix_core::hunt::{HuntModifiers, HuntOutcome, roll_hunt};
use chronix_core::ids::{GuildId, UserId};
use chronix_core::items::{CreatureDrop, GemDrop, Loot};
use chronix_core::tables::Rarity;
use chronix_core::xp::XpCurve;

use crate::{scalar, t, tables};
use chronix_storage::leaderboard::{self, Metric};
use chronix_storage::{Refusal, Storage, StorageError, economy, hunt, inventory};
use chrono::Duration;
use rand::SeedableRng;

both!(
    hunt_applies_everything_in_one_transaction,
    hunt_cooldown_refuses_and_changes_nothing,
    hunt_failure_mid_transaction_changes_nothing,
    hunts_leaderboard,
    inventory_stacks_gems_crates,
);

/// A hunt with every kind of loot.
fn full_hunt() -> HuntOutcome {
    HuntOutcome {
        xp: 150,
        chrons: Chrons::new(33),
        creature: Some(CreatureDrop {
            id: "frost_wyrm".into(),
            rarity: Rarity::Legendary,
        }),
        gem: Some(GemDrop {
            gem_type: "ruby".into(),
            rarity: Rarity::Epic,
            power: 7,
        }),
        crate_drop: Some("basic".into()),
    }
}

async fn hunt_applies_everything_in_one_transaction(s: Storage) {
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let curve = XpCurve::default();
    let out = full_hunt();
    let r = hunt::record(
        &s,
        UserId::new(7),
        Some(GuildId::new(99)),
        &out,
        Duration::seconds(15),
        &curve,
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(r.balance_after, 33);
    assert_eq!((r.level_before, r.level_after, r.total_xp), (0, 1, 150));
    assert_eq!(r.cooldown_until, t(15));
    assert_eq!(
        (
            r.stats.hunts,
            r.stats.creatures,
            r.stats.chrons_earned,
            r.stats.xp_earned
        ),
        (1, 1, Chrons::new(33), 150)
    );
    assert_eq!(r.stats.best_catch.as_deref(), Some("frost_wyrm"));
    assert_eq!(r.stats.best_tier(), Some(Rarity::Legendary));

    let ledger = economy::history(&s, UserId::new(7), 10, None)
        .await
        .unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (
            ledger[0].change,
            ledger[0].balance_after,
            ledger[0].kind.as_str(),
            ledger[0].guild()
        ),
        (
            Chrons::new(33),
            Chrons::new(33),
            "hunt",
            Some(GuildId::new(99))
        )
    );
    let inv = inventory::list(&s, UserId::new(7)).await.unwrap();
    assert_eq!(inv.quantity("frost_wyrm"), 1);
    let wyrm = inv.stacks.iter().find(|st| st.item_key == "frost_wyrm");
    assert_eq!(wyrm.unwrap().item_type, "creature");
    assert_eq!(inv.gems.len(), 1);
    assert_eq!(
        (
            inv.gems[0].gem_type.as_str(),
            inv.gems[0].rarity.as_str(),
            inv.gems[0].power
        ),
        ("ruby", "epic", 7)
    );
    assert_eq!(inv.crate_counts().get("basic"), Some(&1));
    assert_eq!(
        scalar(&s, "SELECT global_xp FROM users WHERE id = 7").await,
        150
    );
    assert_eq!(
        scalar(
            &s,
            "SELECT CAST(global_level AS BIGINT) FROM users WHERE id = 7"
        )
        .await,
        1
    );

    // A second hunt after the cooldown: stacks grow, the best catch stays the better one.
    let mut small = full_hunt();
    small.creature = Some(CreatureDrop {
        id: "dust_bunny".into(),
        rarity: Rarity::Common,
    });
    small.gem = None;
    small.crate_drop = None;
    let r2 = hunt::record(
        &s,
        UserId::new(7),
        None,
        &small,
        Duration::seconds(15),
        &curve,
        t(15),
    )
    .await
    .unwrap();
    assert_eq!(r2.balance_after, 66);
    assert_eq!((r2.stats.hunts, r2.stats.creatures), (2, 2));
    assert_eq!(r2.stats.best_catch.as_deref(), Some("frost_wyrm"));
    let inv = inventory::list(&s, UserId::new(7)).await.unwrap();
    assert_eq!(
        (inv.quantity("frost_wyrm"), inv.quantity("dust_bunny")),
        (1, 1)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    assert!(
        economy::ledger_replay(&s, UserId::new(7))
            .await
            .unwrap()
            .is_consistent()
    );

    // Real rolls from core are accepted too.
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for i in 0..5 {
        let o = roll_hunt(&tables, &HuntModifiers::default(), &mut rng);
        hunt::record(
            &s,
            UserId::new(8),
            None,
            &o,
            Duration::seconds(15),
            &curve,
            t(100 + 15 * i),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        hunt::stats(&s, UserId::new(8))
            .await
            .unwrap()
            .unwrap()
            .hunts,
        5
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn hunt_cooldown_refuses_and_changes_nothing(s: Storage) {
    inventory::sync_definitions(&s, &tables()).await.unwrap();
    let curve = XpCurve::default();
    let cd = Duration::seconds(15);
    hunt::record(&s, UserId::new(1), None, &full_hunt(), cd, &curve, t(0))
        .await
        .unwrap();
    let err = hunt::record(&s, UserId::new(1), None, &full_hunt(), cd, &curve, t(10))
        .await
        .unwrap_err();
    match err {
        StorageError::Refused(Refusal::OnCooldown {
            expires_at,
            remaining,
        }) => {
            assert_eq!(expires_at, t(15));
            assert_eq!(remaining, std::time::Duration::from_secs(5));
        }
        e => panic!("expected a cooldown, got {e:?}"),
    }
    assert!(
        hunt::record(&s, UserId::new(1), None, &full_hunt(), cd, &curve, t(10))
            .await
            .unwrap_err()
            .is_user_error()
    );
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 33);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM transactions").await, 1);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM gems").await, 1);
    assert_eq!(
        hunt::stats(&s, UserId::new(1))
            .await
            .unwrap()
            .unwrap()
            .hunts,
        1
    );
    assert_eq!(
        hunt::cooldown_remaining(&s, UserId::new(1), t(10))
            .await
            .unwrap(),
        Some(t(15))
    );
    // The cooldown lives in the database: a new handle (a restarted bot) sees it too.
    assert!(matches!(
        hunt::record(
            &s.clone(),
            UserId::new(1),
            None,
            &full_hunt(),
            cd,
            &curve,
            t(14)
        )
        .await,
        Err(StorageError::Refused(Refusal::OnCooldown { .. }))
    ));
    hunt::record(&s, UserId::new(1), None, &full_hunt(), cd, &curve, t(15))
        .await
        .unwrap();
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 66);
    // Concurrent hunts of one player: exactly one wins.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let s = s.clone();
        set.spawn(async move {
            hunt::record(
                &s,
                UserId::new(2),
                None,
                &full_hunt(),
                cd,
                &XpCurve::default(),
                t(50),
            )
            .await
        });
    }
    let mut ok = 0;
    while let Some(r) = set.join_next().await {
        match r.unwrap() {
            Ok(_) => ok += 1,
            Err(StorageError::Refused(Refusal::OnCooldown { .. })) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(economy::balance(&s, UserId::new(2)).await.unwrap(), 33);
}

async fn hunt_failure_mid_transaction_changes_nothing(s: Storage) {
    // No item definitions: granting the creature fails after the cooldown, the credit and the
    // ledger row were written in the transaction; all of it must roll back.
    let err = hunt::record(
        &s,
        UserId::new(5),
        None,
        &full_hunt(),
        Duration::seconds(15),
        &XpCurve::default(),
        t(0),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StorageError::NotFound(_)), "{err:?}");
    for table in [
        "transactions",
        "cooldowns",
        "gems",
        "crates",
        "user_items",
        "hunt_stats",
        "users",
    ] {
        assert_eq!(
            scalar(&s, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
}

async fn hunts_leaderboard(s: Storage) {
    inventory::sync_definitions(&s, &tables()).await.unwrap();
    let curve = XpCurve::default();
    for (user, hunts) in [(1, 2), (2, 3), (3, 1)] {
        for i in 0..hunts {
            hunt::record(
                &s,
                UserId::new(user),
                None,
                &full_hunt(),
                Duration::seconds(1),
                &curve,
                t(i * 10),
            )
            .await
            .unwrap();
        }
    }
    let top = leaderboard::global_top(&s, Metric::Hunts, 10, 0)
        .await
        .unwrap();
    let got: Vec<(i64, i64, i64)> = top
        .iter()
        .map(|e| (e.rank, e.user_id.to_db(), e.score))
        .collect();
    assert_eq!(got, vec![(1, 2, 3), (2, 1, 2), (3, 3, 1)]);
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Hunts, UserId::new(3))
            .await
            .unwrap(),
        Some(3)
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Hunts, UserId::new(42))
            .await
            .unwrap(),
        None
    );
}

async fn inventory_stacks_gems_crates(s: Storage) {
    let tables = tables();
    let n = inventory::sync_definitions(&s, &tables).await.unwrap();
    // Creatures, shop items, and the crate kinds the shop does not sell (one crate inventory).
    let unsold = tables
        .crates()
        .iter()
        .filter(|c| tables.item(&c.item_key()).is_none())
        .count();
    assert_eq!(unsold, 1, "the frostfall event crate");
    assert_eq!(n, tables.creatures().len() + tables.items().len() + unsold);
    // Idempotent.
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let now = t(0);

    let mut tx = s.begin().await.unwrap();
    assert_eq!(
        inventory::add(&mut tx, UserId::new(1), "hunting_lure", 3, now)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        inventory::add(&mut tx, UserId::new(1), "hunting_lure", 2, now)
            .await
            .unwrap(),
        5
    );
    assert!(matches!(
        inventory::add(&mut tx, UserId::new(1), "no_such_item", 1, now).await,
        Err(StorageError::NotFound(_))
    ));
    tx.rollback().await.unwrap();
    assert!(
        inventory::list(&s, UserId::new(1))
            .await
            .unwrap()
            .is_empty(),
        "rolled back"
    );

    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, UserId::new(1), "hunting_lure", 5, now)
        .await
        .unwrap();
    inventory::grant_loot(
        &mut tx,
        UserId::new(1),
        &[
            Loot::Creature(CreatureDrop {
                id: "dust_bunny".into(),
                rarity: Rarity::Common,
            }),
            Loot::Creature(CreatureDrop {
                id: "dust_bunny".into(),
                rarity: Rarity::Common,
            }),
            Loot::Gem(GemDrop {
                gem_type: "ruby".into(),
                rarity: Rarity::Rare,
                power: 3,
            }),
            Loot::Crate { id: "basic".into() },
            Loot::Crate { id: "basic".into() },
        ],
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let inv = inventory::list(&s, UserId::new(1)).await.unwrap();
    assert_eq!(
        (inv.quantity("hunting_lure"), inv.quantity("dust_bunny")),
        (5, 2)
    );
    assert_eq!(inv.crate_counts().get("basic"), Some(&2));
    let gem_id = inv.gems[0].id;

    let mut tx = s.begin().await.unwrap();
    let err = inventory::remove(&mut tx, UserId::new(1), "hunting_lure", 6, now)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StorageError::Refused(Refusal::NotEnoughItems { item, needed: 6, available: 5 }) if item == "hunting_lure"),
        "{err:?}"
    );
    assert!(err.is_user_error());
    assert_eq!(
        inventory::remove(&mut tx, UserId::new(1), "hunting_lure", 2, now)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        inventory::remove(&mut tx, UserId::new(1), "dust_bunny", 2, now)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        inventory::quantity(&mut tx, UserId::new(1), "dust_bunny")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        inventory::take_gem(&mut tx, UserId::new(1), gem_id)
            .await
            .unwrap()
            .power,
        3
    );
    assert!(matches!(
        inventory::take_gem(&mut tx, UserId::new(1), gem_id).await,
        Err(StorageError::Refused(Refusal::NotEnoughItems { .. }))
    ));
    assert!(matches!(
        inventory::take_gem(&mut tx, UserId::new(2), gem_id).await,
        Err(StorageError::Refused(Refusal::NotEnoughItems { .. }))
    ));
    assert_eq!(
        inventory::take_crate(&mut tx, UserId::new(1), "basic", now)
            .await
            .unwrap(),
        1
    );
    inventory::take_crate(&mut tx, UserId::new(1), "basic", now)
        .await
        .unwrap();
    assert!(matches!(
        inventory::take_crate(&mut tx, UserId::new(1), "basic", now).await,
        Err(StorageError::Refused(Refusal::NotEnoughItems { item, .. })) if item == "basic_crate"
    ));
    tx.commit().await.unwrap();
    let inv = inventory::list(&s, UserId::new(1)).await.unwrap();
    assert_eq!(inv.quantity("hunting_lure"), 3);
    assert_eq!(inv.stacks.len(), 1, "an emptied stack is deleted");
    assert!(inv.gems.is_empty() && inv.crate_total() == 0);

    // Batch grants aggregate stacks per player.
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, UserId::new(2), "pet_treat", 1, now)
        .await
        .unwrap();
    let bunny = || {
        Loot::Creature(CreatureDrop {
            id: "dust_bunny".into(),
            rarity: Rarity::Common,
        })
    };
    inventory::grant_loot_batch(
        &mut tx,
        &[
            (UserId::new(1), bunny()),
            (UserId::new(2), bunny()),
            (UserId::new(1), bunny()),
            (
                UserId::new(2),
                Loot::Crate {
                    id: "mythic".into(),
                },
            ),
        ],
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        inventory::list(&s, UserId::new(1))
            .await
            .unwrap()
            .quantity("dust_bunny"),
        2
    );
    let two = inventory::list(&s, UserId::new(2)).await.unwrap();
    assert_eq!((two.quantity("dust_bunny"), two.crate_total()), (1, 1));
    assert_eq!(
        two.quantity("mythic_crate"),
        1,
        "one crate inventory: the shop's stack"
    );
}
