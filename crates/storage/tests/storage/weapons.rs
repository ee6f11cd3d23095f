//! Weapons: granting, one equipped weapon, enhance (one transaction either way, the race),
//! scrap, gem empower (the race: one gem, two empowers at once) and unsocket, with the item
//! trail, on both backends.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::items::{GemDrop, Loot};
use chronix_core::tables::{Rarity, Tables};
use chronix_core::weapons::{
    EnhanceOutcome, WeaponDrop, WeaponError, enhance_quote, make_drop, scrap_yield, unsocket_fee,
};
use chronix_storage::economy::{self, Memo};
use chronix_storage::trail::{self, ItemKind};
use chronix_storage::weapons::{self, WeaponRefusal};
use chronix_storage::{Refusal, Storage, inventory};

use crate::{refusal, scalar, t, tables};

both!(
    weapons_are_granted_and_one_is_equipped,
    enhance_is_one_transaction_either_way,
    enhance_race_applies_once,
    scrap_frees_the_gems_and_grants_materials,
    empower_fills_the_lowest_free_slot_and_unsocket_costs_a_fee,
    empower_race_sockets_a_gem_once,
    trading_a_socketed_weapon_moves_its_gems,
    random_weapon_operations_never_duplicate_or_lose_anything,
    shop_market_forge_and_crate_moves_are_in_the_trail,
);

const SHARD: &str = "time_shard";

fn drop(t: &Tables, kind: &str, rarity: Rarity) -> WeaponDrop {
    make_drop(t.weapons(), kind, rarity).unwrap()
}

async fn give_weapon(s: &Storage, user: UserId, d: &WeaponDrop) -> i64 {
    let mut tx = s.begin().await.unwrap();
    let id = weapons::add(&mut tx, user, d, "test", t(0)).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn fund(s: &Storage, user: UserId, n: i64) {
    let mut tx = s.begin().await.unwrap();
    economy::apply(&mut tx, user, Chrons::new(n), &Memo::new("seed"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn shards(s: &Storage, user: UserId, n: i64) {
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, user, SHARD, n, t(0)).await.unwrap();
    tx.commit().await.unwrap();
}

async fn gem(s: &Storage, user: UserId, kind: &str, rarity: Rarity, power: u32) -> i64 {
    let mut tx = s.begin().await.unwrap();
    let id = inventory::add_gem(
        &mut tx,
        user,
        &GemDrop {
            gem_type: kind.into(),
            rarity,
            power,
        },
        t(0),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn shard_count(s: &Storage, user: UserId) -> i64 {
    inventory::list(s, user).await.unwrap().quantity(SHARD)
}

/// An enhance roll that always succeeds (or fails), with the real costs.
fn fixed(
    t: &Tables,
    success: bool,
) -> impl FnMut(Rarity, u32, Chrons, i64) -> Result<EnhanceOutcome, WeaponError> + '_ {
    move |rarity, level, balance, materials| {
        let quote = enhance_quote(t.weapons(), rarity, level)?;
        if balance < quote.chrons {
            return Err(WeaponError::NotEnoughChrons {
                cost: quote.chrons,
                balance,
            });
        }
        if materials < i64::from(quote.materials) {
            return Err(WeaponError::NotEnoughMaterials {
                needed: quote.materials,
                available: materials,
            });
        }
        let level_after = if success {
            level + 1
        } else if quote.downgrade_on_failure {
            level - 1
        } else {
            level
        };
        Ok(EnhanceOutcome {
            quote,
            success,
            level_after,
        })
    }
}

fn weapon_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> WeaponRefusal {
    match refusal(r) {
        Refusal::Weapon(w) => w,
        other => panic!("expected a weapon refusal, got {other:?}"),
    }
}

async fn weapons_are_granted_and_one_is_equipped(s: Storage) {
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let (me, other) = (UserId::new(1), UserId::new(2));
    // Crate loot grants weapons with their base stats, recorded in the trail.
    let blade = drop(&tb, "ember_blade", Rarity::Epic);
    let mut tx = s.begin().await.unwrap();
    inventory::grant_loot(
        &mut tx,
        me,
        &[
            Loot::Weapon(blade.clone()),
            Loot::Weapon(drop(&tb, "frostbite_bow", Rarity::Common)),
        ],
        t(0),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let list = weapons::list(&s, me).await.unwrap();
    assert_eq!(list.len(), 2);
    let (bow, sword) = (list[0].id, list[1].id);
    assert_eq!(list[1].state.weapon_type, "ember_blade");
    assert_eq!(list[1].state.base, blade.base);
    assert_eq!(
        (
            list[1].state.level,
            list[1].state.base.crit,
            list[1].equipped
        ),
        (0, 50, false)
    );
    let moves = trail::of_item(&s, ItemKind::Weapon, sword).await.unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(
        (moves[0].from, moves[0].to, moves[0].action.as_str()),
        (None, Some(me), "loot")
    );

    // One equipped at a time.
    let (w, before) = weapons::equip(&s, me, sword, t(1)).await.unwrap();
    assert!(w.equipped && before.is_none());
    let (_, before) = weapons::equip(&s, me, bow, t(2)).await.unwrap();
    assert_eq!(before, Some(sword));
    let list = weapons::list(&s, me).await.unwrap();
    assert_eq!(
        list.iter().map(|w| (w.id, w.equipped)).collect::<Vec<_>>(),
        [(bow, true), (sword, false)],
        "the equipped one first"
    );
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM weapons WHERE equipped").await,
        1
    );
    // Equipping it again keeps it equipped and names no other.
    assert_eq!(weapons::equip(&s, me, bow, t(3)).await.unwrap().1, None);
    assert_eq!(weapons::unequip(&s, me, t(4)).await.unwrap().id, bow);
    assert_eq!(
        weapon_refusal(weapons::unequip(&s, me, t(5)).await),
        WeaponRefusal::NothingEquipped
    );
    // Someone else's weapon, an unknown one.
    let theirs = give_weapon(&s, other, &blade).await;
    assert_eq!(
        weapon_refusal(weapons::equip(&s, me, theirs, t(6)).await),
        WeaponRefusal::NotYourWeapon(theirs)
    );
    assert_eq!(
        weapon_refusal(weapons::equip(&s, me, 999_999, t(6)).await),
        WeaponRefusal::UnknownWeapon(999_999)
    );
    assert!(weapons::get(&s, theirs).await.unwrap().unwrap().owner_id == other);
}

async fn enhance_is_one_transaction_either_way(s: Storage) {
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let me = UserId::new(3);
    let id = give_weapon(&s, me, &drop(&tb, "ember_blade", Rarity::Common)).await;
    fund(&s, me, 1_000).await;
    shards(&s, me, 5).await;
    // Success: level 0 → 1 for 200 💠 and 1 shard, one ledger row of kind enhance.
    let e = weapons::enhance(
        &s,
        me,
        Some(GuildId::new(7)),
        id,
        0,
        SHARD,
        t(1),
        fixed(&tb, true),
    )
    .await
    .unwrap();
    assert_eq!((e.outcome.success, e.outcome.level_after), (true, 1));
    assert_eq!((e.balance_after.get(), e.materials_left), (800, 4));
    assert_eq!(weapons::get(&s, id).await.unwrap().unwrap().state.level, 1);
    let rows = economy::history(&s, me, 10, None).await.unwrap();
    assert_eq!(
        (rows[0].kind.as_str(), rows[0].change.get()),
        ("enhance", -200)
    );
    // Failure: paid all the same, the level stays (below downgrade_from).
    let e = weapons::enhance(&s, me, None, id, 1, SHARD, t(2), fixed(&tb, false))
        .await
        .unwrap();
    assert_eq!((e.outcome.success, e.outcome.level_after), (false, 1));
    assert_eq!((e.balance_after.get(), e.materials_left), (500, 2));
    // Refusals change nothing: a stale level, not enough materials, not enough Chrons,
    // someone else's weapon.
    assert_eq!(
        weapon_refusal(weapons::enhance(&s, me, None, id, 0, SHARD, t(3), fixed(&tb, true)).await),
        WeaponRefusal::Changed {
            id,
            expected: 0,
            actual: 1
        }
    );
    // Level 1 → 2 costs 300 and 2 shards: have 500 and 2. Take one shard away.
    let mut tx = s.begin().await.unwrap();
    inventory::remove(&mut tx, me, SHARD, 1, t(3))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        weapon_refusal(weapons::enhance(&s, me, None, id, 1, SHARD, t(4), fixed(&tb, true)).await),
        WeaponRefusal::Rules(WeaponError::NotEnoughMaterials {
            needed: 2,
            available: 1
        })
    );
    shards(&s, me, 10).await;
    let mut tx = s.begin().await.unwrap();
    economy::apply(&mut tx, me, Chrons::new(-400), &Memo::new("spend"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        weapon_refusal(weapons::enhance(&s, me, None, id, 1, SHARD, t(5), fixed(&tb, true)).await),
        WeaponRefusal::Rules(WeaponError::NotEnoughChrons {
            cost: Chrons::new(300),
            balance: Chrons::new(100)
        })
    );
    let other = UserId::new(4);
    fund(&s, other, 10_000).await;
    assert_eq!(
        weapon_refusal(
            weapons::enhance(&s, other, None, id, 1, SHARD, t(6), fixed(&tb, true)).await
        ),
        WeaponRefusal::NotYourWeapon(id)
    );
    assert_eq!(economy::balance(&s, me).await.unwrap(), 100);
    assert_eq!(shard_count(&s, me).await, 11);
    assert_eq!(weapons::get(&s, id).await.unwrap().unwrap().state.level, 1);
    // From downgrade_from (5) on, a failure drops a level.
    sqlx_level(&s, id, 5).await;
    fund(&s, me, 100_000).await;
    let e = weapons::enhance(&s, me, None, id, 5, SHARD, t(7), fixed(&tb, false))
        .await
        .unwrap();
    assert!(e.outcome.quote.downgrade_on_failure);
    assert_eq!(e.outcome.level_after, 4);
    assert_eq!(weapons::get(&s, id).await.unwrap().unwrap().state.level, 4);
    // The shards consumed are in the trail.
    let used: i64 = trail::all(&s)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.action == "enhance")
        .map(|m| m.quantity)
        .sum();
    assert_eq!(used, 1 + 2 + 6);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn sqlx_level(s: &Storage, id: i64, level: i32) {
    crate::exec(
        s,
        &format!("UPDATE weapons SET level = {level} WHERE id = {id}"),
    )
    .await
    .unwrap();
}

async fn enhance_race_applies_once(s: Storage) {
    let tb = std::sync::Arc::new(tables());
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let me = UserId::new(5);
    let id = give_weapon(&s, me, &drop(&tb, "storm_hammer", Rarity::Rare)).await;
    fund(&s, me, 10_000).await;
    shards(&s, me, 10).await;
    // Two enhances quoted at level 0 run at once: exactly one is applied.
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let (s, tb) = (s.clone(), tb.clone());
        tasks.push(tokio::spawn(async move {
            weapons::enhance(&s, me, None, id, 0, SHARD, t(1), fixed(&tb, true)).await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert!(matches!(
                weapon_refusal(Err::<(), _>(e)),
                WeaponRefusal::Changed { .. }
            )),
        }
    }
    assert_eq!(ok, 1);
    // Rare costs 150 %: 300 💠 and 1 shard, once.
    assert_eq!(economy::balance(&s, me).await.unwrap(), 10_000 - 300);
    assert_eq!(shard_count(&s, me).await, 9);
    assert_eq!(weapons::get(&s, id).await.unwrap().unwrap().state.level, 1);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn scrap_frees_the_gems_and_grants_materials(s: Storage) {
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let me = UserId::new(6);
    let id = give_weapon(&s, me, &drop(&tb, "thorn_staff", Rarity::Mythic)).await;
    let g = gem(&s, me, "ruby", Rarity::Rare, 4).await;
    weapons::empower(&s, me, id, g, t(1)).await.unwrap();
    weapons::equip(&s, me, id, t(1)).await.unwrap();
    sqlx_level(&s, id, 3).await;
    // Someone else cannot scrap it.
    assert_eq!(
        weapon_refusal(
            weapons::scrap(&s, UserId::new(7), id, SHARD, t(2), |r, l| scrap_yield(
                tb.weapons(),
                r,
                l
            ))
            .await
        ),
        WeaponRefusal::NotYourWeapon(id)
    );
    let done = weapons::scrap(&s, me, id, SHARD, t(2), |r, l| {
        scrap_yield(tb.weapons(), r, l)
    })
    .await
    .unwrap();
    // Mythic: 80 + 3 levels × 1.
    assert_eq!((done.materials, done.materials_total), (83, 83));
    assert_eq!(done.freed_gems, [g]);
    assert!(weapons::get(&s, id).await.unwrap().is_none());
    assert!(weapons::list(&s, me).await.unwrap().is_empty());
    let inv = inventory::list(&s, me).await.unwrap();
    assert_eq!(inv.quantity(SHARD), 83);
    assert_eq!(
        inv.gems
            .iter()
            .map(|g| (g.id, g.weapon_id))
            .collect::<Vec<_>>(),
        [(g, None)]
    );
    // The trail: the weapon left the game, the gem came out of it, the shards came in.
    let w = trail::of_item(&s, ItemKind::Weapon, id).await.unwrap();
    assert_eq!(
        w.iter()
            .map(|m| (m.from, m.to, m.action.as_str()))
            .collect::<Vec<_>>(),
        [(None, Some(me), "test"), (Some(me), None, "scrap")]
    );
    let gm = trail::of_item(&s, ItemKind::Gem, g).await.unwrap();
    assert_eq!(
        gm.iter()
            .map(|m| (m.action.as_str(), m.weapon_id))
            .collect::<Vec<_>>(),
        [("empower", Some(id)), ("unsocket", Some(id))]
    );
    // A second scrap finds nothing.
    assert_eq!(
        weapon_refusal(
            weapons::scrap(&s, me, id, SHARD, t(3), |r, l| scrap_yield(
                tb.weapons(),
                r,
                l
            ))
            .await
        ),
        WeaponRefusal::UnknownWeapon(id)
    );
}

async fn empower_fills_the_lowest_free_slot_and_unsocket_costs_a_fee(s: Storage) {
    let tb = tables();
    let me = UserId::new(8);
    // Epic: 2 slots.
    let id = give_weapon(&s, me, &drop(&tb, "ember_blade", Rarity::Epic)).await;
    let ruby = gem(&s, me, "ruby", Rarity::Rare, 4).await;
    let amethyst = gem(&s, me, "amethyst", Rarity::Epic, 18).await;
    let third = gem(&s, me, "topaz", Rarity::Common, 1).await;
    let theirs = gem(&s, UserId::new(9), "ruby", Rarity::Common, 2).await;
    let e = weapons::empower(&s, me, id, ruby, t(1)).await.unwrap();
    assert_eq!(e.slot, 0);
    assert!(e.before.gems.is_empty());
    let stats = |w: &weapons::Weapon| chronix_core::weapons::stats(&tb, &w.state);
    assert_eq!(stats(&e.before).attack, 20);
    assert_eq!(stats(&e.after).attack, 24);
    let e = weapons::empower(&s, me, id, amethyst, t(2)).await.unwrap();
    assert_eq!(e.slot, 1);
    let stored = weapons::get(&s, id).await.unwrap().unwrap();
    assert_eq!(stored, e.after, "what empower returns is what is stored");
    assert_eq!((stats(&stored).attack, stats(&stored).crit), (24, 68));
    // Refusals: no free slot, a socketed gem, someone else's gem, an unknown gem.
    assert_eq!(
        weapon_refusal(weapons::empower(&s, me, id, third, t(3)).await),
        WeaponRefusal::Rules(WeaponError::NoFreeSlot(2))
    );
    let other = give_weapon(&s, me, &drop(&tb, "dawn_spear", Rarity::Rare)).await;
    assert_eq!(
        weapon_refusal(weapons::empower(&s, me, other, ruby, t(3)).await),
        WeaponRefusal::GemNotFree {
            gem: ruby,
            weapon: id
        }
    );
    assert_eq!(
        weapon_refusal(weapons::empower(&s, me, other, theirs, t(3)).await),
        WeaponRefusal::NotYourGem(theirs)
    );
    assert_eq!(
        weapon_refusal(weapons::empower(&s, me, other, 987_654, t(3)).await),
        WeaponRefusal::UnknownGem(987_654)
    );
    // Unsocket slot 0 (the rare ruby): 100 💠, ledgered; not enough Chrons first.
    let fee = |g: &GemDrop| unsocket_fee(tb.weapons(), g);
    fund(&s, me, 99).await;
    assert_eq!(
        refusal(weapons::unsocket(&s, me, None, id, 0, t(4), fee).await),
        Refusal::InsufficientFunds {
            needed: Chrons::new(100),
            available: Chrons::new(99)
        }
    );
    fund(&s, me, 1).await;
    let u = weapons::unsocket(&s, me, Some(GuildId::new(3)), id, 0, t(5), fee)
        .await
        .unwrap();
    assert_eq!(
        (u.gem.id, u.fee.get(), u.balance_after.get()),
        (ruby, 100, 0)
    );
    assert_eq!(u.weapon.gems.len(), 1);
    assert_eq!(
        weapon_refusal(weapons::unsocket(&s, me, None, id, 0, t(6), fee).await),
        WeaponRefusal::Rules(WeaponError::EmptySlot(0))
    );
    let rows = economy::history(&s, me, 1, None).await.unwrap();
    assert_eq!(rows[0].kind, "unsocket");
    // The freed slot 0 is filled first again.
    assert_eq!(
        weapons::empower(&s, me, id, third, t(7))
            .await
            .unwrap()
            .slot,
        0
    );
    let inv = inventory::list(&s, me).await.unwrap();
    let free: Vec<i64> = inv
        .gems
        .iter()
        .filter(|g| g.weapon_id.is_none())
        .map(|g| g.id)
        .collect();
    assert_eq!(free, [ruby]);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn empower_race_sockets_a_gem_once(s: Storage) {
    let tb = tables();
    let me = UserId::new(10);
    let a = give_weapon(&s, me, &drop(&tb, "ember_blade", Rarity::Mythic)).await;
    let b = give_weapon(&s, me, &drop(&tb, "shadow_dagger", Rarity::Mythic)).await;
    let g = gem(&s, me, "emerald", Rarity::Legendary, 60).await;
    // The same gem into two weapons (and twice into one) at once: exactly one empower wins.
    for targets in [[a, b], [a, a]] {
        crate::exec(&s, "UPDATE gems SET weapon_id = NULL, slot = NULL")
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for w in targets {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                weapons::empower(&s, me, w, g, t(1)).await
            }));
        }
        let mut ok = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert!(matches!(
                    weapon_refusal(Err::<(), _>(e)),
                    WeaponRefusal::GemNotFree { gem, .. } if gem == g
                )),
            }
        }
        assert_eq!(ok, 1, "{targets:?}");
        assert_eq!(
            scalar(
                &s,
                &format!("SELECT COUNT(*) FROM gems WHERE id = {g} AND weapon_id IS NOT NULL")
            )
            .await,
            1
        );
        let held: usize = weapons::list(&s, me)
            .await
            .unwrap()
            .iter()
            .map(|w| w.gems.len())
            .sum();
        assert_eq!(held, 1);
    }
}

async fn trade_weapon(
    s: &Storage,
    from: UserId,
    to: UserId,
    id: i64,
    price: i64,
    at: i64,
) -> chronix_storage::Result<()> {
    use chronix_storage::trade::{self, NewTrade, Offer};
    let tr = trade::propose(
        s,
        &NewTrade {
            initiator_id: from,
            partner_id: to,
            initiator_offer: Offer {
                chrons: Chrons::ZERO,
                item: Some((weapons::weapon_key(id), 1)),
            },
            partner_offer: Offer {
                chrons: Chrons::new(price),
                item: None,
            },
            guild_id: None,
            ttl: chrono::Duration::minutes(5),
        },
        t(at),
    )
    .await?;
    trade::confirm(s, tr.id, from, t(at)).await?;
    trade::confirm(s, tr.id, to, t(at)).await?;
    Ok(())
}

async fn trading_a_socketed_weapon_moves_its_gems(s: Storage) {
    let tb = tables();
    let (a, b) = (UserId::new(11), UserId::new(12));
    let id = give_weapon(&s, a, &drop(&tb, "ember_blade", Rarity::Mythic)).await;
    let g1 = gem(&s, a, "ruby", Rarity::Epic, 7).await;
    let g2 = gem(&s, a, "amethyst", Rarity::Rare, 10).await;
    let free = gem(&s, a, "topaz", Rarity::Common, 1).await;
    weapons::empower(&s, a, id, g1, t(1)).await.unwrap();
    weapons::empower(&s, a, id, g2, t(1)).await.unwrap();
    weapons::equip(&s, a, id, t(1)).await.unwrap();
    fund(&s, b, 1_000).await;
    // A weapon offer is one item.
    {
        use chronix_storage::trade::{self, NewTrade, Offer};
        let bad = trade::propose(
            &s,
            &NewTrade {
                initiator_id: a,
                partner_id: b,
                initiator_offer: Offer {
                    chrons: Chrons::ZERO,
                    item: Some((weapons::weapon_key(id), 2)),
                },
                partner_offer: Offer::default(),
                guild_id: None,
                ttl: chrono::Duration::minutes(5),
            },
            t(2),
        )
        .await;
        assert_eq!(refusal(bad), Refusal::InvalidAmount(2));
    }
    // An equipped weapon is not offered (trail.rs has every refusal); unequipped, it trades.
    assert_eq!(
        weapon_refusal(trade_weapon(&s, a, b, id, 500, 3).await),
        WeaponRefusal::Equipped(id)
    );
    weapons::unequip(&s, a, t(3)).await.unwrap();
    trade_weapon(&s, a, b, id, 500, 3).await.unwrap();
    // The weapon and both its gems are b's, unequipped, still socketed; the free gem stays.
    let w = weapons::get(&s, id).await.unwrap().unwrap();
    assert_eq!((w.owner_id, w.equipped), (b, false));
    assert_eq!(
        w.gems.iter().map(|g| (g.id, g.slot)).collect::<Vec<_>>(),
        [(g1, 0), (g2, 1)]
    );
    let gems_of = |inv: inventory::Inventory| {
        let mut v: Vec<(i64, Option<i64>)> = inv.gems.iter().map(|g| (g.id, g.weapon_id)).collect();
        v.sort();
        v
    };
    assert_eq!(
        gems_of(inventory::list(&s, b).await.unwrap()),
        [(g1, Some(id)), (g2, Some(id))]
    );
    assert_eq!(
        gems_of(inventory::list(&s, a).await.unwrap()),
        [(free, None)]
    );
    assert!(weapons::list(&s, a).await.unwrap().is_empty());
    assert_eq!(economy::balance(&s, a).await.unwrap(), 500);
    // b can use the gems; a cannot touch the weapon any more; a second trade of it by a fails.
    weapons::unsocket(&s, b, None, id, 1, t(4), |_| Chrons::ZERO)
        .await
        .unwrap();
    assert_eq!(
        weapon_refusal(weapons::empower(&s, a, id, free, t(4)).await),
        WeaponRefusal::NotYourWeapon(id)
    );
    fund(&s, b, 1).await;
    assert_eq!(
        weapon_refusal(trade_weapon(&s, a, b, id, 1, 5).await),
        WeaponRefusal::NotYourWeapon(id)
    );
    // The trail: the weapon and each gem went from a to b.
    let moves = trail::of_item(&s, ItemKind::Weapon, id).await.unwrap();
    assert_eq!(
        moves.last().map(|m| (m.from, m.to, m.action.as_str())),
        Some((Some(a), Some(b), "trade"))
    );
    for g in [g1, g2] {
        let m = trail::of_item(&s, ItemKind::Gem, g).await.unwrap();
        assert!(
            m.iter()
                .any(|m| m.from == Some(a) && m.to == Some(b) && m.action == "trade"),
            "{m:?}"
        );
    }
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

/// A property test over seeded random sequences of weapon operations by two players (loot,
/// gems found, empower, unsocket, enhance, scrap, equip, trades of weapons): after every step
/// nothing was duplicated or lost. Weapons: found = scrapped + owned, and the trail's last
/// movement of every weapon names its owner (or its scrap). Gems: found = owned, and a
/// socketed gem is owned by its weapon's owner. Shards: granted + scrapped − used = owned.
/// Chrons: the ledger reconciles.
async fn random_weapon_operations_never_duplicate_or_lose_anything(s: Storage) {
    use rand::{Rng, SeedableRng};
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let players = [UserId::new(31), UserId::new(32)];
    let kinds = [
        "ember_blade",
        "frostbite_bow",
        "storm_hammer",
        "glacier_fang",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(77);
    let (mut found, mut scrapped, mut gems_found) = (0i64, 0i64, 0i64);
    let (mut shards_in, mut shards_used) = (0i64, 0i64);
    let mut ops = [0u32; 8];
    for p in players {
        fund(&s, p, 50_000).await;
        shards(&s, p, 20).await;
        shards_in += 20;
    }
    for step in 0..120i64 {
        let me = players[rng.random_range(0..2)];
        let other = players.iter().copied().find(|p| *p != me).unwrap();
        let mine = weapons::list(&s, me).await.unwrap();
        let pick = |rng: &mut rand::rngs::StdRng| {
            (!mine.is_empty()).then(|| mine[rng.random_range(0..mine.len())].clone())
        };
        let op = rng.random_range(0..8);
        let done = match op {
            0 => {
                let rarity = Rarity::ALL[rng.random_range(0..6)];
                let k = kinds[rng.random_range(0..kinds.len())];
                let mut tx = s.begin().await.unwrap();
                inventory::grant_loot(&mut tx, me, &[Loot::Weapon(drop(&tb, k, rarity))], t(step))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                found += 1;
                true
            }
            1 => {
                gem(&s, me, "ruby", Rarity::ALL[rng.random_range(0..6)], 3).await;
                gems_found += 1;
                true
            }
            2 => {
                let free: Vec<i64> = inventory::list(&s, me)
                    .await
                    .unwrap()
                    .gems
                    .iter()
                    .filter(|g| g.weapon_id.is_none())
                    .map(|g| g.id)
                    .collect();
                // A weapon with a free slot when there is one (a full one is refused).
                let open = mine
                    .iter()
                    .find(|w| w.gems.len() < w.state.base.slots as usize)
                    .cloned()
                    .or_else(|| pick(&mut rng));
                match (open, free.first()) {
                    (Some(w), Some(g)) => weapons::empower(&s, me, w.id, *g, t(step)).await.is_ok(),
                    _ => false,
                }
            }
            3 => match mine.iter().find(|w| !w.gems.is_empty()).cloned() {
                Some(w) => {
                    let slot = w.gems[0].slot;
                    weapons::unsocket(&s, me, None, w.id, slot, t(step), |g| {
                        unsocket_fee(tb.weapons(), g)
                    })
                    .await
                    .is_ok()
                }
                _ => false,
            },
            4 => match pick(&mut rng) {
                Some(w) => {
                    let seed = rng.random();
                    let mut r = rand::rngs::StdRng::seed_from_u64(seed);
                    match weapons::enhance(
                        &s,
                        me,
                        None,
                        w.id,
                        w.state.level,
                        SHARD,
                        t(step),
                        |ra, l, b, m| {
                            chronix_core::weapons::enhance(tb.weapons(), ra, l, b, m, &mut r)
                        },
                    )
                    .await
                    {
                        Ok(e) => {
                            shards_used += i64::from(e.outcome.quote.materials);
                            true
                        }
                        Err(_) => false,
                    }
                }
                None => false,
            },
            5 => match pick(&mut rng) {
                Some(w) => {
                    let d = weapons::scrap(&s, me, w.id, SHARD, t(step), |r, l| {
                        scrap_yield(tb.weapons(), r, l)
                    })
                    .await
                    .unwrap();
                    scrapped += 1;
                    shards_in += i64::from(d.materials);
                    true
                }
                None => false,
            },
            6 => match pick(&mut rng) {
                Some(w) => weapons::equip(&s, me, w.id, t(step)).await.is_ok(),
                None => false,
            },
            _ => match pick(&mut rng) {
                Some(w) => trade_weapon(&s, me, other, w.id, 10, step).await.is_ok(),
                None => false,
            },
        };
        ops[op] += u32::from(done);

        // Conservation, after every step.
        let mut owned = 0i64;
        let mut gems_owned = 0i64;
        let mut shards_owned = 0i64;
        for p in players {
            let ws = weapons::list(&s, p).await.unwrap();
            assert!(ws.iter().filter(|w| w.equipped).count() <= 1, "step {step}");
            owned += ws.len() as i64;
            let inv = inventory::list(&s, p).await.unwrap();
            gems_owned += inv.gems.len() as i64;
            shards_owned += inv.quantity(SHARD);
            for g in inv.gems.iter().filter_map(|g| g.weapon_id) {
                assert!(
                    ws.iter().any(|w| w.id == g),
                    "step {step}: a gem in another's weapon"
                );
            }
            for w in &ws {
                let last = trail::of_item(&s, ItemKind::Weapon, w.id).await.unwrap();
                assert_eq!(
                    last.last().and_then(|m| m.to),
                    Some(p),
                    "step {step}: trail of #{}",
                    w.id
                );
            }
        }
        assert_eq!(found, scrapped + owned, "weapons at step {step}");
        assert_eq!(gems_found, gems_owned, "gems at step {step}");
        assert_eq!(
            shards_in - shards_used,
            shards_owned,
            "shards at step {step}"
        );
        let weapon_moves = trail::all(&s).await.unwrap();
        let gone = weapon_moves
            .iter()
            .filter(|m| m.kind == ItemKind::Weapon && m.to.is_none())
            .count() as i64;
        let born = weapon_moves
            .iter()
            .filter(|m| m.kind == ItemKind::Weapon && m.from.is_none())
            .count() as i64;
        assert_eq!((born, gone), (found, scrapped), "trail at step {step}");
        assert!(
            economy::reconcile(&s).await.unwrap().is_empty(),
            "ledger at step {step}"
        );
    }
    assert!(ops.iter().all(|n| *n > 0), "every operation ran: {ops:?}");
}

type TrailRow = (
    ItemKind,
    String,
    i64,
    Option<UserId>,
    Option<UserId>,
    String,
);

async fn shop_market_forge_and_crate_moves_are_in_the_trail(s: Storage) {
    use chronix_storage::{items, market, shop};
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let (a, b) = (UserId::new(41), UserId::new(42));
    fund(&s, a, 20_000).await;
    fund(&s, b, 20_000).await;
    shop::buy(&s, a, "basic_crate", 3, 4_500, None, t(1))
        .await
        .unwrap();
    shop::sell(&s, a, "basic_crate", 1, 375, None, t(2))
        .await
        .unwrap();
    let l = market::list(&s, a, "basic_crate", 1, Chrons::new(900), t(3))
        .await
        .unwrap();
    market::buy(&s, b, l.id, None, t(4)).await.unwrap();
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    items::open_crates(&s, b, None, &[("basic".into(), 1)], t(5), |id, m| {
        chronix_core::items::open_crate_with_pity(&tb, tb.crate_def(id).unwrap(), m, &mut rng)
    })
    .await
    .unwrap();
    let g: Vec<i64> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(gem(&s, a, "ruby", Rarity::Common, 2).await);
        }
        v
    };
    let f = items::forge_gems(&s, a, None, std::slice::from_ref(&g), t(6), |gems, bal| {
        let mut o = chronix_core::items::forge(
            gems,
            bal,
            &chronix_core::items::ForgeRules::default(),
            &tb,
            &mut rand::rngs::StdRng::seed_from_u64(0),
        )?;
        o.success = true;
        o.gems_consumed = 3;
        o.forged = Some(GemDrop {
            gem_type: "ruby".into(),
            rarity: Rarity::Rare,
            power: 4,
        });
        Ok(o)
    })
    .await
    .unwrap();
    let forged = f.forges[0].forged_id.unwrap();
    let moves: Vec<TrailRow> = trail::all(&s)
        .await
        .unwrap()
        .into_iter()
        // The crate's loot has its own rows (`loot`, `hatch`; see trail.rs).
        .filter(|m| m.kind != ItemKind::Weapon && m.action != "loot" && m.action != "hatch")
        .map(|m| (m.kind, m.item_key, m.quantity, m.from, m.to, m.action))
        .collect();
    let stack = |q, from, to, action: &str| {
        (
            ItemKind::Stack,
            "basic_crate".to_string(),
            q,
            from,
            to,
            action.to_string(),
        )
    };
    let gem_move = |from, to| {
        (
            ItemKind::Gem,
            "ruby".to_string(),
            1,
            from,
            to,
            "forge".to_string(),
        )
    };
    assert_eq!(
        moves,
        [
            stack(3, None, Some(a), "shop"),
            stack(1, Some(a), None, "shop"),
            stack(1, Some(a), Some(a), "market_list"),
            stack(1, Some(a), Some(b), "market"),
            stack(1, Some(b), None, "crate"),
            gem_move(Some(a), None),
            gem_move(Some(a), None),
            gem_move(Some(a), None),
            gem_move(None, Some(a)),
        ]
    );
    let forged_moves = trail::of_item(&s, ItemKind::Gem, forged).await.unwrap();
    assert_eq!(forged_moves.len(), 1);
    // Stacks: 3 bought − 1 sold − 1 through the market = a's 1; b opened the one they bought.
    assert_eq!(
        inventory::list(&s, a)
            .await
            .unwrap()
            .quantity("basic_crate"),
        1
    );
    assert_eq!(
        inventory::list(&s, b)
            .await
            .unwrap()
            .quantity("basic_crate"),
        0
    );
}
