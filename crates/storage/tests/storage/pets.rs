//! Pets on both backends: adoption from the inventory, training, feeding, evolution, prestige,
//! release, the team limit, and races (concurrent feeds and trains lose nothing; the team limit
//! holds when several activations race).

use std::sync::Arc;

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_core::pets::{NameProblem, PetError, PetRules};
use chronix_storage::economy::{self, Memo};
use chronix_storage::pets::{self, PetRefusal};
use chronix_storage::{Refusal, Storage, inventory};
use rand::SeedableRng;

use crate::{exec, refusal, scalar, t, tables};

both!(
    a_pet_lives_from_adoption_to_release,
    pet_refusals_change_nothing,
    concurrent_feeds_and_trains_lose_nothing,
    team_limit_holds_under_a_race,
    autohunt_runs_spend_team_stamina_and_give_xp,
    consumables_apply_to_the_next_hunts,
    pets_from_crate_loot_arrive_fresh,
);

fn rules() -> PetRules {
    PetRules::shipped(&tables()).unwrap()
}

async fn give(s: &Storage, user: UserId, key: &str, n: i64) {
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, user, key, n, t(0)).await.unwrap();
    tx.commit().await.unwrap();
}

async fn pay(s: &Storage, user: UserId, n: i64) {
    let mut tx = s.begin().await.unwrap();
    economy::apply(&mut tx, user, Chrons::new(n), &Memo::new("seed"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn pet_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> PetRefusal {
    match refusal(r) {
        Refusal::Pet(p) => p,
        other => panic!("expected a pet refusal, got {other:?}"),
    }
}

async fn adopt_one(s: &Storage, user: UserId, creature: &str) -> pets::Pet {
    let tables = tables();
    give(s, user, creature, 1).await;
    pets::adopt(
        s,
        user,
        tables.creature(creature).unwrap(),
        None,
        &rules(),
        t(0),
    )
    .await
    .unwrap()
}

async fn a_pet_lives_from_adoption_to_release(s: Storage) {
    let tables = tables();
    let rules = rules();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(7);
    give(&s, user, "ember_rat", 2).await;
    let pet = pets::adopt(
        &s,
        user,
        tables.creature("ember_rat").unwrap(),
        Some(" Sparky "),
        &rules,
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(
        (
            pet.name.as_str(),
            pet.rarity.as_str(),
            pet.level,
            pet.stamina
        ),
        ("Sparky", "common", 1, 100)
    );
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("ember_rat"),
        1
    );

    // Train: stamina −10, XP 30–60 ×1.15 (Blazing), affinity +0.01.
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let (after, tr) = pets::train(&s, user, pet.id, &rules, &tables, t(10), &mut rng)
        .await
        .unwrap();
    assert_eq!(after.stamina, 90);
    assert!((34..=69).contains(&tr.xp));
    assert_eq!(after.trained_at, Some(t(10)));
    assert!((after.affinity - 1.01).abs() < 1e-9);
    assert_eq!(
        after.xp as u64 + 50 * u64::from(after.level as u32 - 1),
        tr.xp
    );

    // Feed: a treat restores 10 of 25 (the stamina was 90) and is consumed.
    give(&s, user, "pet_treat", 1).await;
    let (fed, gained) = pets::feed(&s, user, pet.id, "pet_treat", 25, &rules, t(11))
        .await
        .unwrap();
    assert_eq!((fed.stamina, gained), (100, 10));
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("pet_treat"),
        0
    );

    // Rename.
    let renamed = pets::rename(&s, user, pet.id, "Sir Sparks", t(12))
        .await
        .unwrap();
    assert_eq!(renamed.name, "Sir Sparks");

    // Evolve at level 20: 3 time shards and 2,000 Chrons through the ledger.
    exec(
        &s,
        &format!("UPDATE pets SET level = 20, xp = 0 WHERE id = {}", pet.id),
    )
    .await
    .unwrap();
    give(&s, user, "time_shard", 3).await;
    pay(&s, user, 2_500).await;
    let evolved = pets::evolve(&s, user, pet.id, &rules, None, t(13))
        .await
        .unwrap();
    assert_eq!(evolved.stage, 1);
    assert_eq!(economy::balance(&s, user).await.unwrap(), Chrons::new(500));
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("time_shard"),
        0
    );
    assert!(
        economy::ledger_replay(&s, user)
            .await
            .unwrap()
            .is_consistent()
    );

    // Prestige at the last stage's cap.
    exec(
        &s,
        &format!(
            "UPDATE pets SET level = 50, stage = 2 WHERE id = {}",
            pet.id
        ),
    )
    .await
    .unwrap();
    let p = pets::prestige(&s, user, pet.id, &rules, t(14))
        .await
        .unwrap();
    assert_eq!((p.level, p.stage, p.prestige), (1, 0, 1));

    // Team.
    let on = pets::set_active(&s, user, pet.id, true, 3, t(15))
        .await
        .unwrap();
    assert!(on.active);
    assert_eq!(pets::team(&s, user).await.unwrap().len(), 1);

    // Release: the pet goes, a common leaves 1 time shard.
    let (gone, reward) = pets::release(&s, user, pet.id, &rules, t(16))
        .await
        .unwrap();
    assert_eq!(gone.id, pet.id);
    assert_eq!(reward, ("time_shard".to_string(), 1));
    assert!(pets::get(&s, pet.id).await.unwrap().is_none());
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("time_shard"),
        1
    );
}

async fn pet_refusals_change_nothing(s: Storage) {
    let tables = tables();
    let rules = rules();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let (me, you) = (UserId::new(1), UserId::new(2));
    // Nothing to adopt.
    assert_eq!(
        pet_refusal(
            pets::adopt(
                &s,
                me,
                tables.creature("dust_bunny").unwrap(),
                None,
                &rules,
                t(0)
            )
            .await
        ),
        PetRefusal::NoCreature {
            creature: "dust_bunny".into()
        }
    );
    let pet = adopt_one(&s, me, "dust_bunny").await;
    // Someone else's pet, an unknown pet.
    assert_eq!(
        pet_refusal(pets::rename(&s, you, pet.id, "Mine", t(1)).await),
        PetRefusal::NotYours(pet.id)
    );
    assert_eq!(
        pet_refusal(pets::set_active(&s, me, 999, true, 3, t(1)).await),
        PetRefusal::Unknown(999)
    );
    // Bad name.
    assert_eq!(
        pet_refusal(pets::rename(&s, me, pet.id, "<@1>", t(1)).await),
        PetRefusal::Rule(PetError::BadName(NameProblem::Forbidden))
    );
    // Full stamina: the food stays.
    give(&s, me, "pet_treat", 1).await;
    assert_eq!(
        pet_refusal(pets::feed(&s, me, pet.id, "pet_treat", 25, &rules, t(1)).await),
        PetRefusal::Rule(PetError::StaminaFull)
    );
    // No food.
    exec(
        &s,
        &format!("UPDATE pets SET stamina = 5 WHERE id = {}", pet.id),
    )
    .await
    .unwrap();
    assert_eq!(
        pet_refusal(pets::feed(&s, me, pet.id, "feast_platter", 100, &rules, t(1)).await),
        PetRefusal::NoFood {
            item: "feast_platter".into()
        }
    );
    // Tired.
    let mut rng = rand::rngs::StdRng::seed_from_u64(2);
    assert_eq!(
        pet_refusal(pets::train(&s, me, pet.id, &rules, &tables, t(1), &mut rng).await),
        PetRefusal::Rule(PetError::Tired { have: 5, need: 8 })
    );
    // Evolve too early; evolve without the materials (level reached): nothing taken.
    assert_eq!(
        pet_refusal(pets::evolve(&s, me, pet.id, &rules, None, t(1)).await),
        PetRefusal::Rule(PetError::LevelTooLow { need: 20 })
    );
    exec(
        &s,
        &format!("UPDATE pets SET level = 20 WHERE id = {}", pet.id),
    )
    .await
    .unwrap();
    assert!(matches!(
        refusal(pets::evolve(&s, me, pet.id, &rules, None, t(1)).await),
        Refusal::NotEnoughItems { .. }
    ));
    let after = pets::get(&s, pet.id).await.unwrap().unwrap();
    assert_eq!(
        (after.stage, after.stamina, after.name.as_str()),
        (0, 5, "Dust Bunny")
    );
    assert_eq!(
        inventory::list(&s, me).await.unwrap().quantity("pet_treat"),
        1
    );
    // Too many pets.
    exec(&s, "UPDATE pets SET level = 1").await.unwrap();
    for _ in 0..49 {
        adopt_one(&s, me, "dust_bunny").await;
    }
    give(&s, me, "dust_bunny", 1).await;
    assert_eq!(
        pet_refusal(
            pets::adopt(
                &s,
                me,
                tables.creature("dust_bunny").unwrap(),
                None,
                &rules,
                t(2)
            )
            .await
        ),
        PetRefusal::TooManyPets { max: 50 }
    );
    assert_eq!(
        inventory::list(&s, me)
            .await
            .unwrap()
            .quantity("dust_bunny"),
        1
    );
}

async fn concurrent_feeds_and_trains_lose_nothing(s: Storage) {
    let tables = Arc::new(tables());
    let rules = Arc::new(rules());
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(3);
    let pet = adopt_one(&s, user, "storm_hawk").await;
    exec(
        &s,
        &format!("UPDATE pets SET stamina = 0 WHERE id = {}", pet.id),
    )
    .await
    .unwrap();
    give(&s, user, "pet_treat", 3).await;
    // Three feeds at once: each consumes one treat, all three count.
    let mut tasks = Vec::new();
    for i in 0..3 {
        let (s, rules) = (s.clone(), rules.clone());
        tasks.push(tokio::spawn(async move {
            pets::feed(&s, user, pet.id, "pet_treat", 25, &rules, t(i)).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let fed = pets::get(&s, pet.id).await.unwrap().unwrap();
    assert_eq!(fed.stamina, 75);
    assert!((fed.affinity - 1.06).abs() < 1e-9);
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("pet_treat"),
        0
    );

    // Five trainings at once: one wins, the others meet its cooldown; one stamina cost.
    let mut tasks = Vec::new();
    for i in 0..5 {
        let (s, rules, tables) = (s.clone(), rules.clone(), tables.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(i);
            pets::train(&s, user, pet.id, &rules, &tables, t(100), &mut rng).await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert!(matches!(
                refusal::<()>(Err(e)),
                Refusal::Pet(PetRefusal::Rule(PetError::Resting { .. }))
            )),
        }
    }
    assert_eq!(won, 1);
    let trained = pets::get(&s, pet.id).await.unwrap().unwrap();
    assert_eq!(trained.stamina, 65);
}

async fn team_limit_holds_under_a_race(s: Storage) {
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(4);
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(adopt_one(&s, user, "moon_owl").await.id);
    }
    let mut tasks = Vec::new();
    for (i, id) in ids.iter().copied().enumerate() {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            pets::set_active(&s, user, id, true, 3, t(i as i64)).await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(
                refusal::<()>(Err(e)),
                Refusal::Pet(PetRefusal::TeamFull { size: 3 })
            ),
        }
    }
    assert_eq!(ok, 3);
    assert_eq!(
        scalar(
            &s,
            "SELECT COUNT(*) FROM pets WHERE owner_id = 4 AND active"
        )
        .await,
        3
    );
    // Leaving the team frees a place.
    let team = pets::team(&s, user).await.unwrap();
    pets::set_active(&s, user, team[0].id, false, 3, t(10))
        .await
        .unwrap();
    let benched = ids
        .iter()
        .find(|id| !team.iter().any(|p| p.id == **id))
        .unwrap();
    assert!(
        pets::set_active(&s, user, *benched, true, 3, t(11))
            .await
            .unwrap()
            .active
    );
}

async fn autohunt_runs_spend_team_stamina_and_give_xp(s: Storage) {
    use chronix_core::autohunt::AutohuntRules;
    use chronix_storage::autohunt::{self, TickRules};
    let tables = tables();
    let rules = rules();
    let ah = AutohuntRules::default();
    let curve = chronix_core::xp::XpCurve::default();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let (a, b) = (UserId::new(21), UserId::new(22));
    // a: a rested storm hawk (Swift: +20 % autohunt XP), a tired moon owl, a benched rat.
    let hawk = adopt_one(&s, a, "storm_hawk").await;
    let owl = adopt_one(&s, a, "moon_owl").await;
    let rat = adopt_one(&s, a, "ember_rat").await;
    for id in [hawk.id, owl.id] {
        pets::set_active(&s, a, id, true, 3, t(0)).await.unwrap();
    }
    exec(
        &s,
        &format!("UPDATE pets SET stamina = 3 WHERE id = {}", owl.id),
    )
    .await
    .unwrap();
    // b: no pets.
    for u in [a, b] {
        pay(&s, u, 100_000).await;
        autohunt::enable(&s, u, None, None, &ah, t(-10_000))
            .await
            .unwrap();
    }
    let ctx = TickRules {
        rules: &ah,
        tables: &tables,
        curve: &curve,
        pets: Some(&rules),
        clans: None,
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let batch = autohunt::process_due(&s, t(0), 10, ctx, &mut rng)
        .await
        .unwrap();
    assert_eq!(batch.runs.len(), 2);
    let run_a = batch.runs.iter().find(|r| r.session.user_id == a).unwrap();
    let run_b = batch.runs.iter().find(|r| r.session.user_id == b).unwrap();
    assert!(run_b.pets.is_empty());
    let shares: Vec<(i64, u32, u64, u32)> = run_a
        .pets
        .iter()
        .map(|p| (p.id, p.stamina_spent, p.xp, p.stamina))
        .collect();
    assert_eq!(shares, [(hawk.id, 4, 9, 96), (owl.id, 0, 0, 3)]);
    let hawk_after = pets::get(&s, hawk.id).await.unwrap().unwrap();
    assert_eq!(
        (hawk_after.stamina, hawk_after.xp, hawk_after.level),
        (96, 9, 1)
    );
    let owl_after = pets::get(&s, owl.id).await.unwrap().unwrap();
    assert_eq!((owl_after.stamina, owl_after.xp), (3, 0));
    let rat_after = pets::get(&s, rat.id).await.unwrap().unwrap();
    assert_eq!((rat_after.stamina, rat_after.xp), (100, 0));
    // Without pet rules the pets are left alone.
    let ctx = TickRules { pets: None, ..ctx };
    let later = t(100_000);
    let batch = autohunt::process_due(&s, later, 10, ctx, &mut rng)
        .await
        .unwrap();
    assert!(batch.runs.iter().all(|r| r.pets.is_empty()));
    assert_eq!(pets::get(&s, hawk.id).await.unwrap().unwrap().stamina, 96);
    assert!(economy::ledger_replay(&s, a).await.unwrap().is_consistent());
}

async fn consumables_apply_to_the_next_hunts(s: Storage) {
    use chronix_core::hunt::{HuntModifiers, modifiers_from_effects, roll_hunt};
    use chronix_storage::{consumables, hunt};
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(31);
    // Nothing to use.
    assert!(matches!(
        refusal(consumables::use_item(&s, user, "hunting_lure", 10, t(0)).await),
        Refusal::NotEnoughItems { .. }
    ));
    give(&s, user, "hunting_lure", 2).await;
    give(&s, user, "magnet_charm", 1).await;
    assert_eq!(
        consumables::use_item(&s, user, "hunting_lure", 10, t(0))
            .await
            .unwrap(),
        10
    );
    assert_eq!(
        consumables::use_item(&s, user, "hunting_lure", 10, t(0))
            .await
            .unwrap(),
        20
    );
    assert_eq!(
        consumables::use_item(&s, user, "magnet_charm", 10, t(0))
            .await
            .unwrap(),
        10
    );
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("hunting_lure"),
        0
    );
    let active = consumables::active(&s, user).await.unwrap();
    let keys: Vec<&str> = active.iter().map(|e| e.item_key.as_str()).collect();
    assert_eq!(keys, ["hunting_lure", "magnet_charm"]);
    let mods = modifiers_from_effects(&tables, keys.iter().copied());
    assert_eq!((mods.luck_pct, mods.drop_bonus_pct), (50, 100));
    // Each manual hunt spends one hunt of every effect; the magnet runs out after 10.
    let curve = chronix_core::xp::XpCurve::default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for i in 0..10 {
        let o = roll_hunt(&tables, &HuntModifiers::default(), &mut rng);
        hunt::record(
            &s,
            user,
            None,
            &o,
            chrono::Duration::seconds(1),
            &curve,
            t(10 * i + 10),
        )
        .await
        .unwrap();
    }
    let active = consumables::active(&s, user).await.unwrap();
    assert_eq!(
        active
            .iter()
            .map(|e| (e.item_key.as_str(), e.hunts_left))
            .collect::<Vec<_>>(),
        [("hunting_lure", 10)]
    );
    // A hunt refused by its cooldown spends nothing.
    let o = roll_hunt(&tables, &HuntModifiers::default(), &mut rng);
    assert!(
        hunt::record(
            &s,
            user,
            None,
            &o,
            chrono::Duration::seconds(60),
            &curve,
            t(200)
        )
        .await
        .is_ok()
    );
    assert!(
        hunt::record(
            &s,
            user,
            None,
            &o,
            chrono::Duration::seconds(60),
            &curve,
            t(201)
        )
        .await
        .is_err()
    );
    assert_eq!(
        consumables::active(&s, user).await.unwrap()[0].hunts_left,
        9
    );
}

async fn pets_from_crate_loot_arrive_fresh(s: Storage) {
    use chronix_core::items::{CreatureDrop, Loot};
    use chronix_core::tables::Rarity;
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let user = UserId::new(41);
    let hawk = CreatureDrop {
        id: "storm_hawk".into(),
        rarity: Rarity::Rare,
    };
    let mut tx = s.begin().await.unwrap();
    inventory::grant_loot(
        &mut tx,
        user,
        &[Loot::Pet(hawk.clone()), Loot::Creature(hawk.clone())],
        t(0),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let list = pets::list(&s, user).await.unwrap();
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!(
        (
            p.name.as_str(),
            p.pet_type.as_str(),
            p.rarity.as_str(),
            p.level,
            p.stamina,
            p.active
        ),
        ("Storm Hawk", "storm_hawk", "rare", 1, 100, false)
    );
    assert_eq!(p.state(), rules().new_pet());
    // The creature roll went to the inventory as usual.
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("storm_hawk"),
        1
    );
}
