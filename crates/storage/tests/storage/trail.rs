//! Weapons in trades and on the market (escrow, refusals), and the item trail of pets (hatch,
//! adopt, release), market listings and cancellations, and hunt/autohunt loot, on both
//! backends; with a seeded property test over random sequences of those operations.

use std::collections::BTreeMap;

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_core::items::{CreatureDrop, GemDrop, Loot};
use chronix_core::pets::PetRules;
use chronix_core::tables::Rarity;
use chronix_core::weapons::make_drop;
use chronix_storage::economy::{self, Memo};
use chronix_storage::trade::{self, NewTrade, Offer};
use chronix_storage::trail::{self, ItemKind, Move};
use chronix_storage::weapons::{self, WeaponRefusal, weapon_key};
use chronix_storage::{Refusal, Storage, inventory, market, pets};

use crate::{refusal, t, tables};

both!(
    weapons_in_trades_and_on_the_market_must_be_free_to_give,
    loot_pets_and_market_escrow_are_in_the_trail,
    random_trail_operations_balance_what_players_own,
);

async fn fund(s: &Storage, user: UserId, n: i64) {
    let mut tx = s.begin().await.unwrap();
    economy::apply(&mut tx, user, Chrons::new(n), &Memo::new("seed"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn loot(s: &Storage, user: UserId, l: &[Loot], at: i64) {
    let mut tx = s.begin().await.unwrap();
    inventory::grant_loot(&mut tx, user, l, t(at))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn weapon(kind: &str, rarity: Rarity) -> Loot {
    Loot::Weapon(make_drop(tables().weapons(), kind, rarity).unwrap())
}

fn creature(id: &str) -> Loot {
    let c = tables().creature(id).unwrap().clone();
    Loot::Creature(CreatureDrop {
        id: c.id,
        rarity: c.rarity,
    })
}

fn ruby() -> Loot {
    Loot::Gem(GemDrop {
        gem_type: "ruby".into(),
        rarity: Rarity::Common,
        power: 2,
    })
}

fn offer(item: Option<(String, i64)>, chrons: i64) -> Offer {
    Offer {
        chrons: Chrons::new(chrons),
        item,
    }
}

async fn propose(
    s: &Storage,
    from: UserId,
    to: UserId,
    give: Offer,
    get: Offer,
    at: i64,
) -> chronix_storage::Result<trade::Trade> {
    trade::propose(
        s,
        &NewTrade {
            initiator_id: from,
            partner_id: to,
            initiator_offer: give,
            partner_offer: get,
            guild_id: None,
            ttl: chrono::Duration::minutes(5),
        },
        t(at),
    )
    .await
}

fn weapon_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> WeaponRefusal {
    match refusal(r) {
        Refusal::Weapon(w) => w,
        other => panic!("expected a weapon refusal, got {other:?}"),
    }
}

/// A weapon is offered or listed only when it is free to give: the giver's, not equipped, not
/// listed, not in another open trade. A listed weapon stays its seller's in escrow (no action on
/// it) and a purchase moves it with its gems.
async fn weapons_in_trades_and_on_the_market_must_be_free_to_give(s: Storage) {
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let (a, b) = (UserId::new(51), UserId::new(52));
    fund(&s, a, 10_000).await;
    fund(&s, b, 10_000).await;
    loot(&s, a, &[weapon("ember_blade", Rarity::Epic)], 0).await;
    loot(&s, a, &[weapon("frostbite_bow", Rarity::Rare)], 0).await;
    loot(&s, b, &[weapon("storm_hammer", Rarity::Common)], 0).await;
    let (w1, w2) = {
        let ws = weapons::list(&s, a).await.unwrap();
        let id = |k: &str| ws.iter().find(|w| w.state.weapon_type == k).unwrap().id;
        (id("ember_blade"), id("frostbite_bow"))
    };
    let w3 = weapons::list(&s, b).await.unwrap()[0].id;
    let gem = {
        let mut tx = s.begin().await.unwrap();
        let g = inventory::add_gem(
            &mut tx,
            a,
            &GemDrop {
                gem_type: "ruby".into(),
                rarity: Rarity::Rare,
                power: 4,
            },
            t(0),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        g
    };
    weapons::empower(&s, a, w2, gem, t(1)).await.unwrap();
    weapons::equip(&s, a, w1, t(1)).await.unwrap();
    let wk = |id| Some((weapon_key(id), 1));

    // Equipped, someone else's, or asked of the partner who does not own it: refused.
    assert_eq!(
        weapon_refusal(propose(&s, a, b, offer(wk(w1), 0), offer(None, 5), 2).await),
        WeaponRefusal::Equipped(w1)
    );
    assert_eq!(
        weapon_refusal(propose(&s, a, b, offer(wk(w3), 0), offer(None, 5), 2).await),
        WeaponRefusal::NotYourWeapon(w3)
    );
    assert_eq!(
        weapon_refusal(propose(&s, a, b, offer(None, 5), offer(wk(w2), 0), 2).await),
        WeaponRefusal::NotTheirs(w2)
    );
    assert_eq!(
        weapon_refusal(market::list(&s, a, &weapon_key(w1), 1, Chrons::new(99), t(2)).await),
        WeaponRefusal::Equipped(w1)
    );
    assert_eq!(
        refusal(market::list(&s, a, &weapon_key(w2), 2, Chrons::new(99), t(2)).await),
        Refusal::InvalidAmount(2)
    );

    // Offered in a trade: not in a second one, not on the market.
    let t1 = propose(&s, a, b, offer(wk(w2), 0), offer(None, 5), 3)
        .await
        .unwrap();
    assert_eq!(
        weapon_refusal(propose(&s, a, b, offer(wk(w2), 0), offer(None, 6), 3).await),
        WeaponRefusal::InTrade {
            id: w2,
            trade: t1.id
        }
    );
    assert_eq!(
        weapon_refusal(market::list(&s, a, &weapon_key(w2), 1, Chrons::new(99), t(3)).await),
        WeaponRefusal::InTrade {
            id: w2,
            trade: t1.id
        }
    );
    // Equipped after it was offered: the swap is refused and nothing moves.
    weapons::equip(&s, a, w2, t(4)).await.unwrap();
    trade::confirm(&s, t1.id, b, t(4)).await.unwrap();
    assert_eq!(
        weapon_refusal(trade::confirm(&s, t1.id, a, t(4)).await),
        WeaponRefusal::Equipped(w2)
    );
    assert_eq!(weapons::get(&s, w2).await.unwrap().unwrap().owner_id, a);
    trade::cancel(&s, t1.id, a, t(5)).await.unwrap();
    weapons::equip(&s, a, w1, t(5)).await.unwrap();

    // Listed: in escrow, every action refused, then bought with its gem.
    let l = market::list(&s, a, &weapon_key(w2), 1, Chrons::new(700), t(6))
        .await
        .unwrap();
    let listed = WeaponRefusal::Listed {
        id: w2,
        listing: l.id,
    };
    assert_eq!(
        weapon_refusal(weapons::equip(&s, a, w2, t(7)).await),
        listed
    );
    assert_eq!(
        weapon_refusal(propose(&s, a, b, offer(wk(w2), 0), offer(None, 5), 7).await),
        listed
    );
    assert_eq!(
        weapon_refusal(market::list(&s, a, &weapon_key(w2), 1, Chrons::new(9), t(7)).await),
        listed
    );
    let sold = market::buy(&s, b, l.id, None, t(8)).await.unwrap();
    assert_eq!(sold.listing.status, "sold");
    let w = weapons::get(&s, w2).await.unwrap().unwrap();
    assert_eq!((w.owner_id, w.equipped, w.gems.len()), (b, false, 1));
    assert_eq!(weapons::gem_owner(&s, gem).await.unwrap(), Some(b));
    assert_eq!(economy::balance(&s, a).await.unwrap(), 10_700);
    assert_eq!(economy::balance(&s, b).await.unwrap(), 9_300);
    let moves = trail::of_item(&s, ItemKind::Weapon, w2).await.unwrap();
    let tail: Vec<_> = moves
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|m| (m.from, m.to, m.action.as_str()))
        .collect();
    assert_eq!(
        tail,
        [
            (Some(a), Some(a), "market_list"),
            (Some(a), Some(b), "market")
        ]
    );
    let gm = trail::of_item(&s, ItemKind::Gem, gem).await.unwrap();
    assert_eq!(
        gm.last()
            .map(|m| (m.from, m.to, m.action.as_str(), m.weapon_id)),
        Some((Some(a), Some(b), "market", Some(w2)))
    );

    // The buyer lists it and cancels: it never left them; then it is free again.
    let l2 = market::list(&s, b, &weapon_key(w2), 1, Chrons::new(800), t(9))
        .await
        .unwrap();
    market::cancel(&s, b, l2.id, t(10)).await.unwrap();
    let last = trail::of_item(&s, ItemKind::Weapon, w2).await.unwrap();
    assert_eq!(
        last.last().map(|m| (m.from, m.to, m.action.as_str())),
        Some((Some(b), Some(b), "market_cancel"))
    );
    weapons::equip(&s, b, w2, t(11)).await.unwrap();
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

/// A trail row without its ids: kind, key, quantity, from, to.
type Row = (ItemKind, String, i64, Option<UserId>, Option<UserId>);

fn rows(moves: &[Move], action: &str) -> Vec<Row> {
    moves
        .iter()
        .filter(|m| m.action == action)
        .map(|m| (m.kind, m.item_key.clone(), m.quantity, m.from, m.to))
        .collect()
}

/// Hunt loot (one player) and autohunt loot (a batch, set-based on PostgreSQL), a pet hatched,
/// adopted and released, and a stack listed and cancelled each write their trail rows.
async fn loot_pets_and_market_escrow_are_in_the_trail(s: Storage) {
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let rules = PetRules::shipped(&tb).unwrap();
    let (a, b) = (UserId::new(61), UserId::new(62));
    fund(&s, a, 1_000).await;
    fund(&s, b, 1_000).await;
    let pet = Loot::Pet(CreatureDrop {
        id: "dust_bunny".into(),
        rarity: Rarity::Common,
    });
    loot(
        &s,
        a,
        &[
            creature("dust_bunny"),
            ruby(),
            Loot::Crate { id: "basic".into() },
            pet,
        ],
        1,
    )
    .await;
    let all = trail::all(&s).await.unwrap();
    assert_eq!(
        rows(&all, "loot"),
        [
            (ItemKind::Stack, "dust_bunny".into(), 1, None, Some(a)),
            (ItemKind::Gem, "ruby".into(), 1, None, Some(a)),
            (ItemKind::Stack, "basic_crate".into(), 1, None, Some(a)),
        ]
    );
    assert_eq!(
        rows(&all, "hatch"),
        [(ItemKind::Pet, "dust_bunny".into(), 1, None, Some(a))]
    );

    // An autohunt batch: stacks aggregated per player and key, one row per gem.
    let mut tx = s.begin().await.unwrap();
    inventory::grant_loot_batch(
        &mut tx,
        &[
            (a, creature("ember_rat")),
            (b, creature("ember_rat")),
            (a, creature("ember_rat")),
            (b, ruby()),
            (b, Loot::Crate { id: "basic".into() }),
        ],
        t(2),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let all = trail::all(&s).await.unwrap();
    let mut batch = rows(&all, "loot")[3..].to_vec();
    batch.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
    let mut want = vec![
        (ItemKind::Stack, "ember_rat".to_string(), 2, None, Some(a)),
        (ItemKind::Stack, "ember_rat".to_string(), 1, None, Some(b)),
        (ItemKind::Stack, "basic_crate".to_string(), 1, None, Some(b)),
        (ItemKind::Gem, "ruby".to_string(), 1, None, Some(b)),
    ];
    want.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
    assert_eq!(batch, want);
    let b_gem = inventory::list(&s, b).await.unwrap().gems[0].id;
    assert_eq!(
        trail::of_item(&s, ItemKind::Gem, b_gem)
            .await
            .unwrap()
            .len(),
        1
    );

    // Adopt a creature, release both pets.
    let dust = tb.creature("dust_bunny").unwrap();
    let adopted = pets::adopt(&s, a, dust, None, &rules, t(3)).await.unwrap();
    for p in pets::list(&s, a).await.unwrap() {
        pets::release(&s, a, p.id, &rules, t(4)).await.unwrap();
    }
    let all = trail::all(&s).await.unwrap();
    assert_eq!(
        rows(&all, "adopt"),
        [
            (ItemKind::Stack, "dust_bunny".into(), 1, Some(a), None),
            (ItemKind::Pet, "dust_bunny".into(), 1, None, Some(a)),
        ]
    );
    let shards = rules.release_reward(Rarity::Common);
    assert_eq!(
        rows(&all, "release"),
        [
            (ItemKind::Pet, "dust_bunny".into(), 1, Some(a), None),
            (ItemKind::Stack, shards.0.clone(), shards.1, None, Some(a)),
            (ItemKind::Pet, "dust_bunny".into(), 1, Some(a), None),
            (ItemKind::Stack, shards.0.clone(), shards.1, None, Some(a)),
        ]
    );
    let pm = trail::of_item(&s, ItemKind::Pet, adopted.id).await.unwrap();
    assert_eq!(
        pm.iter().map(|m| m.action.as_str()).collect::<Vec<_>>(),
        ["adopt", "release"]
    );

    // A stack listed then cancelled: into escrow and back, the seller's all along.
    let l = market::list(&s, a, "ember_rat", 2, Chrons::new(50), t(5))
        .await
        .unwrap();
    assert_eq!(
        inventory::list(&s, a).await.unwrap().quantity("ember_rat"),
        0
    );
    market::cancel(&s, a, l.id, t(6)).await.unwrap();
    let all = trail::all(&s).await.unwrap();
    assert_eq!(
        rows(&all, "market_list"),
        [(ItemKind::Stack, "ember_rat".into(), 2, Some(a), Some(a))]
    );
    assert_eq!(
        rows(&all, "market_cancel"),
        [(ItemKind::Stack, "ember_rat".into(), 2, Some(a), Some(a))]
    );
    assert_eq!(
        inventory::list(&s, a).await.unwrap().quantity("ember_rat"),
        2
    );
}

/// The books of one step: what the trail says each player holds, against what they own.
async fn check_books(s: &Storage, players: &[UserId], step: i64) {
    let all = trail::all(s).await.unwrap();
    let open = market::open_listings(s, None, None, 10_000).await.unwrap();
    for &p in players {
        // Stacks: the trail's net flow = owned + in escrow on the market.
        let mut net: BTreeMap<String, i64> = BTreeMap::new();
        for m in all.iter().filter(|m| m.kind == ItemKind::Stack) {
            if m.to == Some(p) {
                *net.entry(m.item_key.clone()).or_default() += m.quantity;
            }
            if m.from == Some(p) {
                *net.entry(m.item_key.clone()).or_default() -= m.quantity;
            }
        }
        let inv = inventory::list(s, p).await.unwrap();
        let mut held: BTreeMap<String, i64> = BTreeMap::new();
        for st in &inv.stacks {
            *held.entry(st.item_key.clone()).or_default() += st.quantity;
        }
        for l in open
            .iter()
            .filter(|l| l.seller_id == p && weapons::weapon_of_key(&l.item_key).is_none())
        {
            *held.entry(l.item_key.clone()).or_default() += l.quantity;
        }
        net.retain(|_, v| *v != 0);
        assert_eq!(net, held, "step {step}: stacks of {p:?}");
        // Gems, pets and weapons: the last trail row of each one a player owns names them, and
        // the trail's arrivals minus departures count what they own.
        let last_to = |kind: ItemKind, id: i64| {
            all.iter()
                .rev()
                .find(|m| m.kind == kind && m.item_id == Some(id))
                .and_then(|m| m.to)
        };
        let count = |kind: ItemKind| {
            all.iter()
                .filter(|m| m.kind == kind && m.from != m.to)
                .map(|m| i64::from(m.to == Some(p)) - i64::from(m.from == Some(p)))
                .sum::<i64>()
        };
        for g in &inv.gems {
            assert_eq!(
                last_to(ItemKind::Gem, g.id),
                Some(p),
                "step {step}: gem #{}",
                g.id
            );
        }
        assert_eq!(
            count(ItemKind::Gem),
            inv.gems.len() as i64,
            "step {step}: gems"
        );
        let ps = pets::list(s, p).await.unwrap();
        for pet in &ps {
            assert_eq!(
                last_to(ItemKind::Pet, pet.id),
                Some(p),
                "step {step}: pet #{}",
                pet.id
            );
        }
        assert_eq!(count(ItemKind::Pet), ps.len() as i64, "step {step}: pets");
        let ws = weapons::list(s, p).await.unwrap();
        for w in &ws {
            assert_eq!(
                last_to(ItemKind::Weapon, w.id),
                Some(p),
                "step {step}: weapon #{}",
                w.id
            );
        }
        assert_eq!(
            count(ItemKind::Weapon),
            ws.len() as i64,
            "step {step}: weapons"
        );
    }
    assert!(
        economy::reconcile(s).await.unwrap().is_empty(),
        "ledger at step {step}"
    );
}

/// A property test over seeded random sequences of the operations that move items between
/// players and the game: hunt loot (creatures, gems, crates, pets), autohunt batches, pet
/// adoption and release, market listings (stacks and weapons), cancellations and purchases,
/// trades of stacks and weapons, weapon loot and equips. After every step, for both players:
/// the trail's net flow of every stack = owned + in escrow; every gem, pet and weapon they own
/// was last moved to them, and the trail's arrivals minus departures count them; the ledger
/// reconciles.
async fn random_trail_operations_balance_what_players_own(s: Storage) {
    use rand::{Rng, SeedableRng};
    let tb = tables();
    inventory::sync_definitions(&s, &tb).await.unwrap();
    let rules = PetRules::shipped(&tb).unwrap();
    let players = [UserId::new(71), UserId::new(72)];
    for p in players {
        fund(&s, p, 1_000_000).await;
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(2027);
    let creatures = ["dust_bunny", "ember_rat", "storm_hawk"];
    let kinds = ["ember_blade", "frostbite_bow", "storm_hammer"];
    let mut ops = [0u32; 11];
    for step in 0..150i64 {
        let me = players[rng.random_range(0..2)];
        let other = players.iter().copied().find(|p| *p != me).unwrap();
        let inv = inventory::list(&s, me).await.unwrap();
        let mine = weapons::list(&s, me).await.unwrap();
        let op = rng.random_range(0..11);
        let done = match op {
            0 => {
                // A hunt's (or a crate's) loot.
                let mut l = Vec::new();
                for _ in 0..rng.random_range(1..4) {
                    l.push(match rng.random_range(0..4) {
                        0 => ruby(),
                        1 => Loot::Crate { id: "basic".into() },
                        2 => Loot::Pet(CreatureDrop {
                            id: "ember_rat".into(),
                            rarity: Rarity::Common,
                        }),
                        _ => creature(creatures[rng.random_range(0..creatures.len())]),
                    });
                }
                loot(&s, me, &l, step).await;
                true
            }
            1 => {
                // An autohunt batch for both players.
                let mut l = Vec::new();
                for _ in 0..rng.random_range(1..6) {
                    let p = players[rng.random_range(0..2)];
                    l.push((
                        p,
                        match rng.random_range(0..3) {
                            0 => ruby(),
                            1 => Loot::Crate { id: "basic".into() },
                            _ => creature(creatures[rng.random_range(0..creatures.len())]),
                        },
                    ));
                }
                let mut tx = s.begin().await.unwrap();
                inventory::grant_loot_batch(&mut tx, &l, t(step))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                true
            }
            2 => match inv.stacks.get(rng.random_range(0..inv.stacks.len().max(1))) {
                Some(st) => {
                    let q = rng.random_range(1..=st.quantity.min(3));
                    market::list(&s, me, &st.item_key, q, Chrons::new(10), t(step))
                        .await
                        .is_ok()
                }
                None => false,
            },
            3 => match mine.get(rng.random_range(0..mine.len().max(1))) {
                Some(w) => {
                    let r =
                        market::list(&s, me, &weapon_key(w.id), 1, Chrons::new(20), t(step)).await;
                    if let Err(e) = &r {
                        // Equipped, listed or in a trade: refused, nothing changed.
                        assert!(
                            matches!(
                                e,
                                chronix_storage::StorageError::Refused(Refusal::Weapon(_))
                            ),
                            "{e:?}"
                        );
                    }
                    r.is_ok()
                }
                None => false,
            },
            4 | 5 => {
                let open = market::open_listings(&s, None, None, 1_000).await.unwrap();
                let (seller, buyer) = if op == 4 { (me, me) } else { (other, me) };
                match open.iter().find(|l| l.seller_id == seller) {
                    Some(l) if op == 4 => market::cancel(&s, me, l.id, t(step)).await.is_ok(),
                    Some(l) => market::buy(&s, buyer, l.id, None, t(step)).await.is_ok(),
                    None => false,
                }
            }
            6 => match pets::list(&s, me).await.unwrap().first() {
                Some(p) => pets::release(&s, me, p.id, &rules, t(step)).await.is_ok(),
                None => false,
            },
            7 => match creatures.iter().find(|c| inv.quantity(c) > 0) {
                Some(c) => pets::adopt(&s, me, tb.creature(c).unwrap(), None, &rules, t(step))
                    .await
                    .is_ok(),
                None => false,
            },
            8 => {
                let k = kinds[rng.random_range(0..kinds.len())];
                loot(
                    &s,
                    me,
                    &[weapon(k, Rarity::ALL[rng.random_range(0..4)])],
                    step,
                )
                .await;
                true
            }
            9 => {
                // A trade: a weapon or a stack for a few Chrons.
                let item = if rng.random_bool(0.5) && !mine.is_empty() {
                    Some((weapon_key(mine[rng.random_range(0..mine.len())].id), 1))
                } else {
                    inv.stacks.first().map(|st| (st.item_key.clone(), 1))
                };
                match item {
                    Some(item) => {
                        match propose(&s, me, other, offer(Some(item), 0), offer(None, 5), step)
                            .await
                        {
                            Ok(tr) => {
                                trade::confirm(&s, tr.id, other, t(step)).await.unwrap();
                                trade::confirm(&s, tr.id, me, t(step)).await.is_ok()
                            }
                            Err(_) => false,
                        }
                    }
                    None => false,
                }
            }
            _ => match mine.get(rng.random_range(0..mine.len().max(1))) {
                Some(w) => weapons::equip(&s, me, w.id, t(step)).await.is_ok(),
                None => false,
            },
        };
        ops[op] += u32::from(done);
        check_books(&s, &players, step).await;
    }
    assert!(ops.iter().all(|n| *n > 0), "every operation ran: {ops:?}");
}
