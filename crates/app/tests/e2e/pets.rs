//! Pets through the sandbox: adopting (command and the Adopt button under a hunt), `pets`
//! (`p`, `mypets`), `pet info|rename|train|feed|evolve|prestige|release|team`, `train`/`pt`,
//! `use`, by prefix, alias and slash; refusals (not your pet, unknown pet, team full, no food);
//! confirm, cancel and time-out of the dialogs; the autohunt live embed showing the team.

use std::time::Duration;

use chronix_core::ids::UserId;
use chronix_sandbox::CommandCall;
use chronix_storage::{consumables, economy, inventory, pets};

use crate::helpers::*;

async fn give(w: &World, user: u64, key: &str, n: i64) {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    inventory::add(
        &mut tx,
        UserId::from_db(user as i64),
        key,
        n,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn sql(w: &World, q: &str) {
    match w.db.storage().db() {
        chronix_storage::Db::Sqlite(p) => {
            sqlx::query(q).execute(p).await.unwrap();
        }
        chronix_storage::Db::Postgres(p) => {
            sqlx::query(q).execute(p).await.unwrap();
        }
    }
}

async fn my_pets(w: &World, user: u64) -> Vec<pets::Pet> {
    pets::list(&w.db.storage(), UserId::from_db(user as i64))
        .await
        .unwrap()
}

async fn by_name(w: &World, user: u64, name: &str) -> pets::Pet {
    my_pets(w, user)
        .await
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no pet {name}"))
}

fn refused(m: &chronix_sandbox::Message, text: &str) {
    assert_eq!(title(m), "❌ Cannot do that", "{}", description(m));
    assert!(description(m).contains(text), "{}", description(m));
}

#[tokio::test]
async fn adopt_list_info_rename_train_feed_and_team() {
    let w = World::start().await;
    let m = w.say(w.member, "chro pets").await;
    assert!(
        description(&m).contains("No pets yet"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro pet adopt dust bunny Fluffy").await;
    refused(&m, "You have no 🐇 Dust Bunny to adopt");

    // Adopt by prefix (a name with spaces, then the pet's name) and by slash.
    give(&w, w.member, "dust_bunny", 2).await;
    give(&w, w.member, "ember_rat", 3).await;
    let m = w.say(w.member, "chro pet adopt dust bunny Fluffy").await;
    assert!(
        description(&m).contains("🐇 **Fluffy**") && description(&m).contains("joined your pets"),
        "{}",
        description(&m)
    );
    let m = w
        .slash(
            w.member,
            CommandCall::new("pet")
                .sub("adopt")
                .opt("creature", "ember_rat"),
        )
        .await;
    assert!(
        description(&m).contains("🐀 **Ember Rat**"),
        "{}",
        description(&m)
    );
    let fluffy = by_name(&w, w.member, "Fluffy").await;
    let rat = by_name(&w, w.member, "Ember Rat").await;
    let inv = inventory::list(&w.db.storage(), UserId::from_db(w.member as i64))
        .await
        .unwrap();
    assert_eq!(
        (inv.quantity("dust_bunny"), inv.quantity("ember_rat")),
        (1, 2)
    );

    // The list by every name.
    for cmd in [
        "chro pets",
        "chro p",
        "chro mypets",
        "chro pet",
        "chro pet list",
    ] {
        let m = w.say(w.member, cmd).await;
        let d = description(&m);
        assert!(
            d.contains("**Fluffy**") && d.contains("**Ember Rat**"),
            "{cmd}: {d}"
        );
        assert!(d.contains("Lv 1 (Young) · ⚡ 100/100"), "{d}");
    }
    let m = w.slash(w.member, CommandCall::new("pets")).await;
    assert!(description(&m).contains("**Fluffy**"));

    // Info by name and by slash id.
    let m = w.say(w.member, "chro pet info fluffy").await;
    assert_eq!(field(&m, "Type"), "⚪ Common Dust Bunny (nature)");
    assert!(
        field(&m, "Stats").contains("❤️ 40 · ⚔️ 6 · 🛡️ 5 · 💨 8"),
        "{}",
        field(&m, "Stats")
    );
    assert_eq!(field(&m, "Traits"), "🌿 Hardy");
    assert!(field(&m, "Next").contains("Evolves into **Adult** at level 20"));
    let m = w
        .slash(
            w.member,
            CommandCall::new("pet")
                .sub("info")
                .opt("pet", rat.id.to_string()),
        )
        .await;
    assert_eq!(field(&m, "Traits"), "🔥 Blazing");

    // Rename: user text is checked.
    let m = w
        .say(w.member, "chro pet rename Fluffy <@123> the great")
        .await;
    refused(&m, "can't contain mentions");
    let m = w
        .say(
            w.member,
            &format!("chro pet rename #{} {}", fluffy.id, "x".repeat(33)),
        )
        .await;
    refused(&m, "at most 32 characters");
    let m = w.say(w.member, "chro pet rename Fluffy Sir Fluff").await;
    assert!(
        description(&m).contains("**Fluffy** is now 🐇 **Sir Fluff**"),
        "{}",
        description(&m)
    );

    // Refusals: unknown pet, someone else's pet.
    let m = w.say(w.member, "chro pet info Nobody").await;
    refused(&m, "You have no pet called `Nobody`");
    let m = w
        .say(w.owner, &format!("chro pet rename {} Mine", fluffy.id))
        .await;
    refused(&m, &format!("Pet #{} is not yours", fluffy.id));
    let m = w.say(w.owner, "chro pet train").await;
    refused(&m, "You have no pets yet");

    // Train by `pet train`, `train`, `pt` and slash: the cooldown is per pet.
    let m = w.say(w.member, "chro pet train Sir Fluff").await;
    assert!(
        description(&m).contains("trained: +"),
        "{}",
        description(&m)
    );
    assert!(
        description(&m).contains("−8 stamina"),
        "Hardy saves 20 %: {}",
        description(&m)
    );
    let m = w.say(w.member, "chro train Sir Fluff").await;
    refused(&m, "Still resting from training");
    let m = w.say(w.member, &format!("chro pt {}", rat.id)).await;
    assert!(
        description(&m).contains("−10 stamina"),
        "{}",
        description(&m)
    );
    let m = w
        .slash(
            w.member,
            CommandCall::new("pet")
                .sub("train")
                .opt("pet", rat.id.to_string()),
        )
        .await;
    assert!(
        description(&m).contains("Still resting"),
        "{}",
        description(&m)
    );
    let after = by_name(&w, w.member, "Sir Fluff").await;
    assert_eq!(after.stamina, 92);
    assert!(after.xp > 0 || after.level > 1);

    // Feed: no food, then a treat (the smallest food owned), full stamina refused.
    let m = w.say(w.member, "chro pet feed Sir Fluff").await;
    refused(&m, "You have no pet food");
    give(&w, w.member, "pet_treat", 2).await;
    let m = w.say(w.member, "chro pet feed Sir Fluff").await;
    assert!(
        description(&m).contains("ate 🍖 Pet Treat: +8 stamina (1 left)"),
        "{}",
        description(&m)
    );
    let m = w
        .slash(
            w.member,
            CommandCall::new("pet")
                .sub("feed")
                .opt("pet", fluffy.id.to_string())
                .opt("food", "feast platter"),
        )
        .await;
    assert!(
        description(&m).contains("already full"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro pet feed Sir Fluff time shard").await;
    refused(&m, "is not pet food");

    // Team: up to 3; a fourth is refused; remove frees a place.
    let s = w.db.storage();
    let rules = chronix_core::pets::PetRules::shipped(
        &chronix_core::tables::Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
            .unwrap(),
    )
    .unwrap();
    let tables =
        chronix_core::tables::Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
            .unwrap();
    for _ in 0..2 {
        pets::adopt(
            &s,
            UserId::from_db(w.member as i64),
            tables.creature("ember_rat").unwrap(),
            None,
            &rules,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let ids: Vec<i64> = my_pets(&w, w.member).await.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 4);
    let m = w.say(w.member, "chro pet team").await;
    assert!(description(&m).contains("Nobody in the team"));
    for id in &ids[..2] {
        let m = w.say(w.member, &format!("chro pet team add {id}")).await;
        assert!(
            description(&m).contains("joined the team"),
            "{}",
            description(&m)
        );
    }
    let m = w
        .slash(
            w.member,
            CommandCall::new("pet")
                .sub("team")
                .sub("add")
                .opt("pet", ids[2].to_string()),
        )
        .await;
    assert_eq!(title(&m), "💠 ⭐ Your team (3/3)");
    let m = w
        .say(w.member, &format!("chro pet team add {}", ids[3]))
        .await;
    refused(&m, "Your team is full (3 pets)");
    let m = w
        .say(w.member, &format!("chro pet team remove {}", ids[0]))
        .await;
    assert!(description(&m).contains("left the team"));
    let m = w
        .slash(w.member, CommandCall::new("pet").sub("team").sub("show"))
        .await;
    assert_eq!(title(&m), "💠 ⭐ Your team (2/3)");
    assert_eq!(
        my_pets(&w, w.member)
            .await
            .iter()
            .filter(|p| p.active)
            .count(),
        2
    );
}

#[tokio::test]
async fn evolve_prestige_and_release_ask_first() {
    let (w, _) = World::start_with(Setup {
        env: vec![("ITEMS_CONFIRM_TTL_SECS", "2".into())],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    let user = UserId::from_db(w.member as i64);
    give(&w, w.member, "storm_hawk", 1).await;
    w.say(w.member, "chro pet adopt storm hawk Zap").await;
    let zap = by_name(&w, w.member, "Zap").await;
    let m = w.say(w.member, "chro pet evolve Zap").await;
    refused(&m, "Evolving needs level 20");

    sql(
        &w,
        &format!("UPDATE pets SET level = 20 WHERE id = {}", zap.id),
    )
    .await;
    // Cancel changes nothing.
    let m = w.say(w.member, "chro pet evolve Zap").await;
    assert_eq!(title(&m), "⚠️ Evolve?");
    let d = description(&m);
    assert!(
        d.contains("into **Adult** for ⏳ Time Shard ×3 + 2,000 💠"),
        "{d}"
    );
    assert_eq!(field(&m, "Stage"), "Young → **Adult**");
    w.sb.click_button(w.member, m.id, "Cancel").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(description(&e).contains("Cancelled"));
    // Confirm without the materials: refused, nothing taken.
    let m = w.say(w.member, "chro pet evolve Zap").await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&e), "❌ Cannot do that", "{}", description(&e));
    assert_eq!(by_name(&w, w.member, "Zap").await.stage, 0);
    // With them: evolved, paid through the ledger.
    give(&w, w.member, "time_shard", 3).await;
    seed(&s, w.member, 2_500).await;
    let m = w.say(w.member, "chro pet evolve Zap").await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(
        description(&e).contains("evolved into **Adult**"),
        "{}",
        description(&e)
    );
    assert_eq!(by_name(&w, w.member, "Zap").await.stage, 1);
    assert_eq!(economy::balance(&s, user).await.unwrap(), 500);
    let rows = economy::history(&s, user, 10, None).await.unwrap();
    assert_eq!(
        (rows[0].kind.as_str(), rows[0].change.get()),
        ("pet", -2_000)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // Prestige: refused before the last cap; a time-out changes nothing; confirm resets.
    let m = w.say(w.member, "chro pet prestige Zap").await;
    refused(&m, "Prestige needs the Elder stage at level 50");
    sql(
        &w,
        &format!(
            "UPDATE pets SET level = 50, stage = 2 WHERE id = {}",
            zap.id
        ),
    )
    .await;
    let m = w.say(w.member, "chro pet prestige Zap").await;
    assert_eq!(title(&m), "⚠️ Prestige?");
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(description(&e).contains("Timed out"), "{}", description(&e));
    assert_eq!(by_name(&w, w.member, "Zap").await.prestige, 0);
    let m = w
        .slash(
            w.member,
            CommandCall::new("pet")
                .sub("prestige")
                .opt("pet", zap.id.to_string()),
        )
        .await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(
        description(&e).contains("prestiged (once)"),
        "{}",
        description(&e)
    );
    let p = by_name(&w, w.member, "Zap").await;
    assert_eq!((p.level, p.stage, p.prestige), (1, 0, 1));

    // Release: someone else can't confirm; the owner does; a rare leaves 2 shards.
    let m = w.say(w.member, "chro pet release Zap").await;
    assert_eq!(title(&m), "⚠️ Release?");
    assert_eq!(field(&m, "⏳ Time Shard"), "0 → **2**");
    let other = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&other, REPLY).await.unwrap();
    assert!(description(&r).contains("Only"), "{}", description(&r));
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(
        description(&e).contains("went back to the wild and left ⏳ Time Shard ×2"),
        "{}",
        description(&e)
    );
    assert!(my_pets(&w, w.member).await.is_empty());
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("time_shard"),
        2
    );
}

#[tokio::test]
async fn use_gives_consumables_their_effect_and_feeds_pets() {
    let w = World::start().await;
    let s = w.db.storage();
    let user = UserId::from_db(w.member as i64);
    let m = w.say(w.member, "chro use hunting lure").await;
    assert_eq!(title(&m), "❌ Cannot do that", "{}", description(&m));
    give(&w, w.member, "hunting_lure", 1).await;
    give(&w, w.member, "golden_net", 1).await;
    let m = w.say(w.member, "chro use hunting lure").await;
    assert!(
        description(&m).contains("Applies to your next **10** hunts"),
        "{}",
        description(&m)
    );
    let m = w
        .slash(w.member, CommandCall::new("use").opt("item", "golden_net"))
        .await;
    assert!(
        description(&m).contains("next **20** hunts"),
        "{}",
        description(&m)
    );
    let effects = consumables::active(&s, user).await.unwrap();
    assert_eq!(
        effects
            .iter()
            .map(|e| (e.item_key.as_str(), e.hunts_left))
            .collect::<Vec<_>>(),
        [("golden_net", 20), ("hunting_lure", 10)]
    );
    // A hunt spends one of each.
    w.say(w.member, "chro hunt").await;
    let effects = consumables::active(&s, user).await.unwrap();
    assert_eq!(
        effects.iter().map(|e| e.hunts_left).collect::<Vec<_>>(),
        [19, 9]
    );
    // Not usable; food without a pet; food on the first pet.
    give(&w, w.member, "time_shard", 1).await;
    let m = w.say(w.member, "chro use time shard").await;
    refused(&m, "can't be used");
    give(&w, w.member, "pet_treat", 1).await;
    let m = w.say(w.member, "chro use pet treat").await;
    refused(&m, "You have no pets yet");
    give(&w, w.member, "moon_owl", 1).await;
    w.say(w.member, "chro pet adopt moon owl").await;
    let owl = by_name(&w, w.member, "Moon Owl").await;
    sql(
        &w,
        &format!("UPDATE pets SET stamina = 50 WHERE id = {}", owl.id),
    )
    .await;
    let m = w.say(w.member, "chro use pet treat").await;
    assert!(
        description(&m).contains("+25 stamina"),
        "{}",
        description(&m)
    );
    assert_eq!(by_name(&w, w.member, "Moon Owl").await.stamina, 75);
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("pet_treat"),
        0
    );
}

#[tokio::test]
async fn hunt_adopt_button_and_the_autohunt_embed_shows_the_team() {
    let (w, _) = World::start_with(Setup {
        env: vec![
            ("HUNT_COOLDOWN_SECS", "1".into()),
            ("AUTOHUNT_INTERVAL_SECS", "1".into()),
            ("SCHEDULER_TICK_MS", "100".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    // Hunt until a creature is caught (90 % per hunt).
    let mut caught = None;
    for _ in 0..20 {
        let m = w.say(w.member, "chro hunt").await;
        if !m.components.is_empty() {
            caught = Some(m);
            break;
        }
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let hunt = caught.expect("a creature within 20 hunts");
    let label = hunt.components[0]["components"][0]["label"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(label.starts_with("Adopt "), "{label}");
    // Someone else's catch.
    let i = w.sb.click_button(w.owner, hunt.id, &label).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(
        description(&r).contains("someone else's catch"),
        "{}",
        description(&r)
    );
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    // The hunter adopts it: a new message, the button goes away.
    w.sb.click_button(w.member, hunt.id, &label).unwrap();
    let m = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert!(
        description(&m).contains("joined your pets"),
        "{}",
        description(&m)
    );
    // The Adopt button is taken off the hunt message.
    let cleared =
        w.sb.wait_for_edit(w.guild.general, REPLY)
            .await
            .expect("the hunt message loses its button");
    assert_eq!(cleared.id, hunt.id);
    assert!(cleared.components.is_empty());
    let pet = my_pets(&w, w.member).await.pop().unwrap();
    assert_eq!(format!("Adopt {}", pet.name), label);

    // In the team, it shows in the autohunt live embed and shares the runs.
    w.say(w.member, &format!("chro pet team add {}", pet.id))
        .await;
    seed(&s, w.member, 10_000).await;
    let live = w.say(w.member, "chro autohunt enable").await;
    let shown = field(&live, "🐾 Active pets");
    assert!(
        shown.contains(&pet.name) && shown.contains("⚡ 100"),
        "{shown}"
    );
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("the live embed is edited after a run");
    assert_eq!(edited.id, live.id);
    let end = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let p = pets::get(&s, pet.id).await.unwrap().unwrap();
        if p.stamina < 100 {
            assert!(p.xp > 0 || p.level > 1);
            break;
        }
        assert!(
            std::time::Instant::now() < end,
            "the pet never shared a run"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("another run");
    let shown = field(&edited, "🐾 Active pets");
    assert!(
        shown.contains(&pet.name) && !shown.contains("⚡ 100"),
        "{shown}"
    );
    w.say(w.member, "chro ah off").await;
}
