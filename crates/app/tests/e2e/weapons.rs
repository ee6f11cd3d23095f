//! Weapons and gem sockets through the sandbox (spec §XIX: "chro gem empower applies gem and
//! updates stats"): `weapons`, `weapon info/equip/unequip/enhance/scrap`, `gem empower`
//! (`empower`, `socket`) and `gem unsocket`, by prefix, alias and slash, with the refusals,
//! the confirm dialogs (cancel, time-out, someone else's click, confirm) and what landed in the
//! database.

use chronix_core::ids::UserId;
use chronix_core::items::GemDrop;
use chronix_core::tables::Rarity;
use chronix_core::weapons::make_drop;
use chronix_sandbox::{CommandCall, InteractionResponse};
use chronix_storage::{economy, inventory, trail, weapons};

use crate::helpers::*;

const SHARD: &str = "time_shard";

fn uid(id: u64) -> UserId {
    UserId::from_db(id as i64)
}

async fn give_weapon(w: &World, user: u64, kind: &str, rarity: Rarity) -> i64 {
    let t = chronix_core::tables::Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
        .unwrap();
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    let id = weapons::add(
        &mut tx,
        uid(user),
        &make_drop(t.weapons(), kind, rarity).unwrap(),
        "test",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn give_gem(w: &World, user: u64, kind: &str, rarity: Rarity, power: u32) -> i64 {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    let id = inventory::add_gem(
        &mut tx,
        uid(user),
        &GemDrop {
            gem_type: kind.into(),
            rarity,
            power,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn give_shards(w: &World, user: u64, n: i64) {
    let s = w.db.storage();
    let t = chronix_core::tables::Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
        .unwrap();
    inventory::sync_definitions(&s, &t).await.unwrap();
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, uid(user), SHARD, n, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn shards(w: &World, user: u64) -> i64 {
    inventory::list(&w.db.storage(), uid(user))
        .await
        .unwrap()
        .quantity(SHARD)
}

async fn level(w: &World, id: i64) -> u32 {
    weapons::get(&w.db.storage(), id)
        .await
        .unwrap()
        .unwrap()
        .state
        .level
}

fn refused(m: &chronix_sandbox::Message, want: &str) {
    assert_eq!(title(m), "❌ Cannot do that", "{}", description(m));
    assert!(
        description(m).contains(want),
        "{want:?} not in {}",
        description(m)
    );
}

async fn short_ttl() -> World {
    World::start_with(Setup {
        env: vec![("ITEMS_CONFIRM_TTL_SECS", "2".into())],
        ..Setup::default()
    })
    .await
    .0
}

#[tokio::test]
async fn weapons_list_info_equip_and_unequip() {
    let w = World::start().await;
    let s = w.db.storage();
    // Nothing yet.
    let m = w.say(w.member, "chro weapons").await;
    assert_eq!(title(&m), "💠 Your weapons");
    assert!(description(&m).contains("No weapons yet"));

    let blade = give_weapon(&w, w.member, "ember_blade", Rarity::Epic).await;
    let bow = give_weapon(&w, w.member, "frostbite_bow", Rarity::Common).await;
    let theirs = give_weapon(&w, w.owner, "storm_hammer", Rarity::Rare).await;

    // The list, by prefix, alias and slash: newest first, with stats.
    for m in [
        w.say(w.member, "chro weapons").await,
        w.say(w.member, "chro arsenal").await,
        w.say(w.member, "chro weapon").await,
        w.slash(w.member, CommandCall::new("items").sub("weapons"))
            .await,
        w.slash(
            w.member,
            CommandCall::new("items").sub("weapon").sub("list"),
        )
        .await,
    ] {
        let d = description(&m);
        let lines: Vec<&str> = d.lines().collect();
        assert_eq!(
            lines,
            [
                format!("⚪ 🏹 **Frostbite Bow** · #{bow}").as_str(),
                "⚔️ 10 · 🎯 8.0 % · 💎 0/1",
                format!("🟣 🗡️ **Ember Blade** · #{blade}").as_str(),
                "⚔️ 20 · 🎯 5.0 % · 💎 0/2",
            ],
            "{d}"
        );
        assert!(
            embed(&m)["footer"]["text"]
                .as_str()
                .unwrap()
                .starts_with("2 weapons · page 1/1"),
            "{m:?}"
        );
    }

    // Info by name, by id, and by slash with the id autocomplete gives.
    let by_name = w.say(w.member, "chro weapon info ember blade").await;
    let by_id = w
        .say(w.member, &format!("chro weapon stats #{blade}"))
        .await;
    let by_slash = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("weapon")
                .sub("info")
                .opt("weapon", blade.to_string()),
        )
        .await;
    for m in [&by_name, &by_id, &by_slash] {
        assert_eq!(title(m), format!("💠 🟣 🗡️ Ember Blade · #{blade}"));
        assert_eq!(field(m, "Rarity"), "🟣 Epic");
        assert_eq!(field(m, "Element"), "🔥 Fire");
        assert_eq!(field(m, "Level"), "+0 / +10");
        assert_eq!(field(m, "📊 Stats"), "⚔️ 20 · 🎯 5.0 % · 💎 0/2");
        assert_eq!(field(m, "💎 Gem slots"), "1. — empty —\n2. — empty —");
        // Epic costs 200 % of 200 💠.
        assert_eq!(
            field(m, "⬆️ Next enhancement"),
            "400 💠 + 1 × ⏳ Time Shard · 95 % chance"
        );
    }

    // Refusals: unknown, someone else's, nothing equipped.
    refused(
        &w.say(w.member, "chro weapon info spoon").await,
        "no weapon `spoon`",
    );
    refused(
        &w.say(w.member, &format!("chro weapon equip {theirs}"))
            .await,
        &format!("Weapon #{theirs} is not yours"),
    );
    refused(
        &w.say(w.member, "chro weapon unequip").await,
        "no weapon equipped",
    );

    // Equip by prefix, alias and slash: exactly one equipped.
    let m = w.say(w.member, "chro weapon equip ember_blade").await;
    assert_eq!(title(&m), "✅ Weapon equipped");
    assert!(description(&m).contains("Ember Blade"));
    let m = w.say(w.member, &format!("chro wpn wield {bow}")).await;
    assert_eq!(
        embed(&m)["footer"]["text"].as_str().unwrap(),
        format!("Weapon #{blade} went back to your arsenal.")
    );
    let list = weapons::list(&s, uid(w.member)).await.unwrap();
    assert_eq!(
        list.iter().map(|x| (x.id, x.equipped)).collect::<Vec<_>>(),
        [(bow, true), (blade, false)]
    );
    let m = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("weapon")
                .sub("equip")
                .opt("weapon", blade.to_string()),
        )
        .await;
    assert_eq!(title(&m), "✅ Weapon equipped");
    let m = w.say(w.member, "chro weapons").await;
    assert!(
        description(&m).starts_with(&format!("🟣 🗡️ **Ember Blade** · #{blade} ✅ equipped")),
        "{}",
        description(&m)
    );
    // Unequip by alias and slash.
    let m = w.say(w.member, "chro weapon sheathe").await;
    assert_eq!(title(&m), "✅ Weapon unequipped");
    assert!(
        weapons::list(&s, uid(w.member))
            .await
            .unwrap()
            .iter()
            .all(|x| !x.equipped)
    );
    let m = w
        .slash(
            w.member,
            CommandCall::new("items").sub("weapon").sub("unequip"),
        )
        .await;
    assert_eq!(title(&m), "❌ Cannot do that");
}

#[tokio::test]
async fn weapon_enhance_asks_first_and_applies_in_one_transaction() {
    let w = short_ttl().await;
    let s = w.db.storage();
    let user = uid(w.member);
    let id = give_weapon(&w, w.member, "ember_blade", Rarity::Common).await;
    let theirs = give_weapon(&w, w.owner, "ember_blade", Rarity::Common).await;

    // Refusals before any dialog: not enough Chrons, not enough materials, not yours.
    refused(
        &w.say(w.member, &format!("chro weapon enhance {id}")).await,
        "That costs 200 💠; you have 0 💠",
    );
    seed(&s, w.member, 1_000).await;
    refused(
        &w.say(w.member, &format!("chro weapon enhance {id}")).await,
        "That takes 1 × ⏳ Time Shard; you have 0",
    );
    refused(
        &w.say(w.member, &format!("chro weapon enhance {theirs}"))
            .await,
        "is not yours",
    );
    give_shards(&w, w.member, 5).await;

    // The dialog: chance, cost, what failure costs. Cancel changes nothing.
    let m = w.say(w.member, &format!("chro weapon enhance {id}")).await;
    assert_eq!(title(&m), "⚠️ Enhance");
    let d = description(&m);
    assert!(d.contains("from +0 to +1"), "{d}");
    assert!(d.contains("Success chance: **95 %**"), "{d}");
    assert!(
        d.contains("It costs 200 💠 and 1 × ⏳ Time Shard, paid whether it succeeds or fails."),
        "{d}"
    );
    assert!(d.contains("On failure: the weapon keeps its level."), "{d}");
    assert_eq!(field(&m, "💠 Wallet"), "1,000 💠 → **800 💠**");
    assert_eq!(field(&m, "⏳ Time Shard"), "5 → **4**");
    assert_eq!(field(&m, "⚔️ Attack on success"), "12 → **13**");
    w.sb.click_button(w.member, m.id, "Cancel").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(description(&e).contains("Cancelled"));
    assert_eq!(economy::balance(&s, user).await.unwrap(), 1_000);

    // No answer: timed out, nothing changes.
    let m = w.say(w.member, &format!("chro weapon upgrade {id}")).await;
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(e.id, m.id);
    assert!(description(&e).contains("Timed out"), "{}", description(&e));
    assert_eq!(
        (
            economy::balance(&s, user).await.unwrap().get(),
            shards(&w, w.member).await
        ),
        (1_000, 5)
    );

    // Confirm (alias): paid either way, through the ledger; the level follows the outcome.
    let m = w.say(w.member, "chro weapon refine ember blade").await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(field(&e, "💠 Chrons"), "−200 💠 · balance 800 💠");
    assert_eq!(field(&e, "⏳ Time Shard"), "−1 · 4 left");
    let lvl = level(&w, id).await;
    if title(&e) == "✅ Enhanced!" {
        assert_eq!(lvl, 1);
        assert!(
            description(&e).contains("Ember Blade** +1"),
            "{}",
            description(&e)
        );
    } else {
        assert_eq!(title(&e), "⚠️ The enhancement failed");
        assert_eq!(lvl, 0);
    }
    assert_eq!(shards(&w, w.member).await, 4);
    let rows = economy::history(&s, user, 1, None).await.unwrap();
    assert_eq!(
        (rows[0].kind.as_str(), rows[0].change.get()),
        ("enhance", -200)
    );

    // Slash; someone else cannot press Confirm.
    let m = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("weapon")
                .sub("enhance")
                .opt("weapon", id.to_string()),
        )
        .await;
    assert_eq!(title(&m), "⚠️ Enhance");
    let other = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&other, REPLY).await.unwrap();
    assert!(description(&r).contains("Only"), "{}", description(&r));
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(
        title(&e) == "✅ Enhanced!" || title(&e) == "⚠️ The enhancement failed",
        "{}",
        title(&e)
    );
    let spent = 1_000 - economy::balance(&s, user).await.unwrap().get();
    assert!(spent == 200 + 200 || spent == 200 + 300, "{spent}");
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    // Every shard used is in the item trail.
    let used: i64 = trail::all(&s)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.action == "enhance")
        .map(|m| m.quantity)
        .sum();
    assert_eq!(used, 5 - shards(&w, w.member).await);
}

#[tokio::test]
async fn weapon_scrap_asks_first_and_returns_the_gems() {
    let w = short_ttl().await;
    let s = w.db.storage();
    let user = uid(w.member);
    let id = give_weapon(&w, w.member, "thorn_staff", Rarity::Rare).await;
    let g = give_gem(&w, w.member, "ruby", Rarity::Common, 2).await;
    weapons::empower(&s, user, id, g, chrono::Utc::now())
        .await
        .unwrap();
    give_shards(&w, w.member, 1).await;

    let m = w.say(w.member, &format!("chro weapon scrap {id}")).await;
    assert_eq!(title(&m), "⚠️ Scrap");
    let d = description(&m);
    assert!(
        d.contains("Thorn Staff** · #") && d.contains("for 5 × ⏳ Time Shard?"),
        "{d}"
    );
    assert!(d.contains("Its gem comes back to your inventory."), "{d}");
    assert_eq!(field(&m, "⏳ Time Shard"), "1 → **6**");
    w.sb.click_button(w.member, m.id, "Cancel").unwrap();
    let _ = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    let m = w.say(w.member, &format!("chro weapon salvage {id}")).await;
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(e.id, m.id);
    assert!(description(&e).contains("Timed out"));
    assert!(weapons::get(&s, id).await.unwrap().is_some());

    let m = w
        .say(w.member, &format!("chro weapon dismantle {id}"))
        .await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&e), "✅ Weapon scrapped");
    assert!(
        description(&e).contains("became 5 × ⏳ Time Shard (you have 6). Its gem is back"),
        "{}",
        description(&e)
    );
    assert!(weapons::get(&s, id).await.unwrap().is_none());
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.quantity(SHARD), 6);
    assert_eq!(
        inv.gems
            .iter()
            .map(|x| (x.id, x.weapon_id))
            .collect::<Vec<_>>(),
        [(g, None)]
    );
    // Slash on the scrapped id: unknown.
    let m = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("weapon")
                .sub("scrap")
                .opt("weapon", id.to_string()),
        )
        .await;
    assert_eq!(title(&m), "❌ Cannot do that");
    // A slash scrap that is confirmed.
    let id2 = give_weapon(&w, w.member, "dawn_spear", Rarity::Common).await;
    let m = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("weapon")
                .sub("scrap")
                .opt("weapon", id2.to_string()),
        )
        .await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&e), "✅ Weapon scrapped");
    assert_eq!(shards(&w, w.member).await, 8);
}

#[tokio::test]
async fn gem_empower_shows_the_stats_before_and_after() {
    let w = short_ttl().await;
    let s = w.db.storage();
    let user = uid(w.member);
    // Rare: one slot.
    let id = give_weapon(&w, w.member, "ember_blade", Rarity::Rare).await;
    let theirs_weapon = give_weapon(&w, w.owner, "ember_blade", Rarity::Rare).await;
    let ruby = give_gem(&w, w.member, "ruby", Rarity::Epic, 7).await;
    let amethyst = give_gem(&w, w.member, "amethyst", Rarity::Rare, 10).await;
    let theirs_gem = give_gem(&w, w.owner, "ruby", Rarity::Common, 2).await;

    // Refusals: not your weapon, not your gem, unknown gem, unknown weapon.
    refused(
        &w.say(
            w.member,
            &format!("chro gem empower {theirs_weapon} {ruby}"),
        )
        .await,
        "is not yours",
    );
    refused(
        &w.say(w.member, &format!("chro empower {id} {theirs_gem}"))
            .await,
        &format!("Gem #{theirs_gem} is not yours"),
    );
    refused(
        &w.say(w.member, &format!("chro socket {id} opal")).await,
        "no gem `opal`",
    );
    refused(
        &w.say(w.member, &format!("chro socket 999999 {ruby}")).await,
        "no weapon `999999`",
    );

    // The dialog: the weapon's stats before → after. Cancel, then time out: nothing changes.
    let m = w
        .say(w.member, &format!("chro gem empower {id} ruby"))
        .await;
    assert_eq!(title(&m), "⚠️ Empower");
    let d = description(&m);
    assert!(
        d.contains(&format!(
            "Socket 🟣 ♦️ Ruby (+7) (`#{ruby}`) into slot 1 of "
        )),
        "{d}"
    );
    assert!(d.contains("Taking it out later costs 250 💠."), "{d}");
    // Rare Ember Blade: 12 × 1.3 = 15 attack, +7.
    assert_eq!(field(&m, "⚔️ Attack"), "15 → **22**");
    assert_eq!(field(&m, "🎯 Crit"), "5.0 % → **5.0 %**");
    assert_eq!(field(&m, "💎 Slots"), "0/1 → **1/1**");
    w.sb.click_button(w.member, m.id, "Cancel").unwrap();
    let _ = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    let m = w.say(w.member, &format!("chro empower {id} {ruby}")).await;
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(e.id, m.id);
    assert!(description(&e).contains("Timed out"));
    assert!(weapons::get(&s, id).await.unwrap().unwrap().gems.is_empty());

    // Confirm (alias socket): the gem is in slot 1 and the stats are updated.
    let m = w.say(w.member, &format!("chro socket {id} {ruby}")).await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&e), "✅ Weapon empowered");
    assert_eq!(field(&e, "Before"), "⚔️ 15 · 🎯 5.0 % · 💎 0/1");
    assert_eq!(field(&e, "After"), "⚔️ 22 · 🎯 5.0 % · 💎 1/1");
    let stored = weapons::get(&s, id).await.unwrap().unwrap();
    assert_eq!(
        stored
            .gems
            .iter()
            .map(|g| (g.id, g.slot))
            .collect::<Vec<_>>(),
        [(ruby, 0)]
    );
    let info = w.say(w.member, &format!("chro weapon info {id}")).await;
    assert_eq!(field(&info, "📊 Stats"), "⚔️ 22 · 🎯 5.0 % · 💎 1/1");
    assert_eq!(
        field(&info, "💎 Gem slots"),
        format!("1. 🟣 ♦️ Ruby (+7) (`#{ruby}`)")
    );
    // No free slot now; the socketed gem is not free either.
    refused(
        &w.say(w.member, &format!("chro gem socket {id} {amethyst}"))
            .await,
        "only gem slot is filled",
    );
    let other = give_weapon(&w, w.member, "dawn_spear", Rarity::Epic).await;
    refused(
        &w.say(w.member, &format!("chro empower {other} {ruby}"))
            .await,
        &format!("Gem #{ruby} is already socketed in weapon #{id}"),
    );

    // Slash: empower the amethyst into the epic spear; someone else's click is refused.
    let m = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("gem")
                .sub("empower")
                .opt("weapon", other.to_string())
                .opt("gem", amethyst.to_string()),
        )
        .await;
    assert_eq!(title(&m), "⚠️ Empower");
    assert_eq!(field(&m, "🎯 Crit"), "4.0 % → **5.0 %**");
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(description(&r).contains("Only"), "{}", description(&r));
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&e), "✅ Weapon empowered");

    // Unsocket: refusals (empty slot, not enough Chrons), then a fee through the ledger.
    refused(
        &w.say(w.member, &format!("chro gem unsocket {id} 2")).await,
        "Slot 2 of this weapon holds no gem",
    );
    refused(
        &w.say(w.member, &format!("chro gem unsocket {id} 1")).await,
        "250 💠",
    );
    seed(&s, w.member, 300).await;
    let m = w.say(w.member, &format!("chro gem remove {id} 1")).await;
    assert_eq!(title(&m), "⚠️ Unsocket");
    assert_eq!(field(&m, "💠 Wallet"), "300 💠 → **50 💠**");
    assert_eq!(field(&m, "⚔️ Attack"), "22 → **15**");
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&e), "✅ Gem unsocketed");
    assert_eq!(field(&e, "💠 Chrons"), "−250 💠 · balance 50 💠");
    assert!(weapons::get(&s, id).await.unwrap().unwrap().gems.is_empty());
    let rows = economy::history(&s, user, 1, None).await.unwrap();
    assert_eq!(
        (rows[0].kind.as_str(), rows[0].change.get()),
        ("unsocket", -250)
    );
    // Slash unsocket: the rare amethyst costs 100 💠 (50 left: refused), then cancelled.
    let unsocket = || {
        CommandCall::new("items")
            .sub("gem")
            .sub("unsocket")
            .opt("weapon", other.to_string())
            .opt("slot", 1)
    };
    refused(&w.slash(w.member, unsocket()).await, "100 💠");
    seed(&s, w.member, 100).await;
    let m = w.slash(w.member, unsocket()).await;
    assert_eq!(title(&m), "⚠️ Unsocket");
    w.sb.click_button(w.member, m.id, "Cancel").unwrap();
    let _ = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(
        weapons::get(&s, other).await.unwrap().unwrap().gems.len(),
        1
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    // The gem's trail: in, out.
    let moves = trail::of_item(&s, trail::ItemKind::Gem, ruby)
        .await
        .unwrap();
    assert_eq!(
        moves.iter().map(|m| m.action.as_str()).collect::<Vec<_>>(),
        ["empower", "unsocket"]
    );
}

#[tokio::test]
async fn weapon_and_gem_options_autocomplete_your_items() {
    let w = World::start().await;
    let blade = give_weapon(&w, w.member, "ember_blade", Rarity::Epic).await;
    let bow = give_weapon(&w, w.member, "frostbite_bow", Rarity::Common).await;
    give_weapon(&w, w.owner, "storm_hammer", Rarity::Common).await;
    let ruby = give_gem(&w, w.member, "ruby", Rarity::Rare, 4).await;
    give_gem(&w, w.owner, "ruby", Rarity::Rare, 4).await;
    let choices = |call: CommandCall| {
        let w = &w;
        async move {
            let i = w.sb.autocomplete(w.member, w.guild.general, call).unwrap();
            match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
                InteractionResponse::Autocomplete(c) => c
                    .iter()
                    .map(|c| {
                        (
                            c["name"].as_str().unwrap().to_string(),
                            c["value"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect::<Vec<_>>(),
                other => panic!("expected autocomplete choices, got {other:?}"),
            }
        }
    };
    let all = choices(
        CommandCall::new("items")
            .sub("weapon")
            .sub("enhance")
            .opt("weapon", "")
            .focus("weapon"),
    )
    .await;
    assert_eq!(
        all,
        [
            (format!("⚪ 🏹 Frostbite Bow · #{bow}"), bow.to_string()),
            (format!("🟣 🗡️ Ember Blade · #{blade}"), blade.to_string()),
        ]
    );
    let ember = choices(
        CommandCall::new("items")
            .sub("gem")
            .sub("empower")
            .opt("weapon", "emb")
            .opt("gem", "")
            .focus("weapon"),
    )
    .await;
    assert_eq!(ember.len(), 1);
    assert_eq!(ember[0].1, blade.to_string());
    let gems = choices(
        CommandCall::new("items")
            .sub("gem")
            .sub("empower")
            .opt("weapon", blade.to_string())
            .opt("gem", "")
            .focus("gem"),
    )
    .await;
    assert_eq!(
        gems,
        [(format!("🔵 ♦️ Ruby (+4) · #{ruby}"), ruby.to_string())]
    );
}
