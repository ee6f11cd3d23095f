//! Weapons in `trade` and on the `market` (by prefix and slash: offered or listed by id or
//! type name, their gems move with them, and the refusals: not yours, not theirs, equipped, in
//! another open trade, listed), and the autocomplete of item names in the economy's slash
//! options (`buy`, `sell`, `market sell`, `market list`, `trade`) and `pet feed`.

use chronix_core::ids::UserId;
use chronix_core::items::GemDrop;
use chronix_core::tables::{Rarity, Tables};
use chronix_core::weapons::make_drop;
use chronix_sandbox::{CommandCall, InteractionResponse, OptValue};
use chronix_storage::trail::{self, ItemKind};
use chronix_storage::{economy, inventory, weapons};

use crate::helpers::*;

fn uid(id: u64) -> UserId {
    UserId::from_db(id as i64)
}

fn tables() -> Tables {
    Tables::from_yaml_strs(&chronix_core::tables::shipped_sources()).unwrap()
}

async fn give_weapon(w: &World, user: u64, kind: &str, rarity: Rarity) -> i64 {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    let id = weapons::add(
        &mut tx,
        uid(user),
        &make_drop(tables().weapons(), kind, rarity).unwrap(),
        "test",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn give_gem(w: &World, user: u64) -> i64 {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    let id = inventory::add_gem(
        &mut tx,
        uid(user),
        &GemDrop {
            gem_type: "ruby".into(),
            rarity: Rarity::Rare,
            power: 4,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn give(w: &World, user: u64, key: &str, n: i64) {
    let s = w.db.storage();
    inventory::sync_definitions(&s, &tables()).await.unwrap();
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, uid(user), key, n, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn owner_of(w: &World, id: i64) -> UserId {
    weapons::get(&w.db.storage(), id)
        .await
        .unwrap()
        .unwrap()
        .owner_id
}

async fn bal(w: &World, user: u64) -> i64 {
    economy::balance(&w.db.storage(), uid(user))
        .await
        .unwrap()
        .get()
}

#[tokio::test]
async fn weapons_trade_and_sell_on_the_market_with_their_gems() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 5_000).await;
    seed(&s, w.member, 5_000).await;
    let blade = give_weapon(&w, w.owner, "ember_blade", Rarity::Epic).await;
    let bow = give_weapon(&w, w.owner, "frostbite_bow", Rarity::Rare).await;
    let hammer = give_weapon(&w, w.member, "storm_hammer", Rarity::Common).await;
    let gem = give_gem(&w, w.owner).await;
    weapons::empower(&s, uid(w.owner), bow, gem, chrono::Utc::now())
        .await
        .unwrap();
    weapons::equip(&s, uid(w.owner), blade, chrono::Utc::now())
        .await
        .unwrap();
    let member = w.member;

    // Refusals: equipped, not yours, not theirs. Nothing is proposed.
    let m = w
        .say(w.owner, &format!("chro trade <@{member}> #{blade} for 500"))
        .await;
    assert!(
        description(&m).contains(&format!("Weapon #{blade} is equipped; unequip it first")),
        "{}",
        description(&m)
    );
    let m = w
        .say(
            w.owner,
            &format!("chro trade <@{member}> weapon {hammer} for 500"),
        )
        .await;
    assert!(
        description(&m).contains(&format!("Weapon #{hammer} is not yours.")),
        "{}",
        description(&m)
    );
    let m = w
        .say(
            w.owner,
            &format!("chro trade <@{member}> 500 for weapon #{bow}"),
        )
        .await;
    assert!(
        description(&m).contains(&format!(
            "Weapon #{bow} does not belong to the player you trade with."
        )),
        "{}",
        description(&m)
    );

    // The bow by its type name, for 700; a second offer or a listing of it is refused.
    let m = w
        .say(
            w.owner,
            &format!("chro trade <@{member}> frostbite bow for 700"),
        )
        .await;
    assert!(title(&m).starts_with("💠 Trade offer #"), "{}", title(&m));
    let gives: Vec<String> = fields(&m).into_iter().map(|f| f.1).collect();
    assert!(
        gives[0].ends_with(&format!("⚔️ weapon #{bow}")),
        "{gives:?}"
    );
    assert!(gives[1].ends_with("700 💠"), "{gives:?}");
    let trade_id: i64 = title(&m)
        .trim_start_matches("💠 Trade offer #")
        .parse()
        .unwrap();
    let again = w
        .say(w.owner, &format!("chro trade <@{member}> #{bow} for 1"))
        .await;
    assert!(
        description(&again).contains(&format!(
            "Weapon #{bow} is already offered in trade #{trade_id}."
        )),
        "{}",
        description(&again)
    );
    let listed = w
        .say(w.owner, &format!("chro market sell #{bow} 1 900"))
        .await;
    assert!(
        description(&listed).contains("already offered in trade"),
        "{}",
        description(&listed)
    );
    click(&w, w.owner, &m, "Confirm").await;
    let done = click(&w, member, &m, "Confirm").await;
    assert!(
        title(&done).starts_with("✅ Trade complete"),
        "{}",
        title(&done)
    );
    // The bow and its gem are the member's; the Chrons moved.
    assert_eq!(owner_of(&w, bow).await, uid(member));
    assert_eq!(
        weapons::gem_owner(&s, gem).await.unwrap(),
        Some(uid(member))
    );
    assert_eq!(
        (bal(&w, w.owner).await, bal(&w, member).await),
        (5_700, 4_300)
    );

    // The market: the blade, unequipped, listed by id; while listed it cannot be equipped.
    let m = w.say(w.owner, "chro weapon unequip").await;
    assert!(!title(&m).starts_with('❌'), "{}", title(&m));
    let m = w
        .say(w.owner, &format!("chro market sell #{blade} 1 1500"))
        .await;
    assert_eq!(title(&m), "✅ Listed");
    assert!(
        description(&m).contains(&format!("⚔️ weapon #{blade} for **1,500 💠**")),
        "{}",
        description(&m)
    );
    assert!(
        field(&m, "Weapon (with its gems)").contains("Ember Blade"),
        "{:?}",
        fields(&m)
    );
    let listing: i64 = description(&m)
        .trim_start_matches("`#")
        .split('`')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let m = w.say(w.owner, &format!("chro weapon equip {blade}")).await;
    assert!(
        description(&m).contains(&format!(
            "Weapon #{blade} is listed on the market (listing #{listing})"
        )),
        "{}",
        description(&m)
    );
    // The member buys it by slash.
    let m = w
        .slash(
            member,
            CommandCall::new("economy")
                .sub("market")
                .sub("buy")
                .opt("listing", listing),
        )
        .await;
    assert_eq!(title(&m), "✅ Bought");
    assert_eq!(owner_of(&w, blade).await, uid(member));
    assert_eq!(
        (bal(&w, w.owner).await, bal(&w, member).await),
        (7_200, 2_800)
    );
    let moves = trail::of_item(&s, ItemKind::Weapon, blade).await.unwrap();
    let actions: Vec<&str> = moves.iter().map(|m| m.action.as_str()).collect();
    assert_eq!(actions, ["test", "market_list", "market"]);

    // The member offers the blade back by slash, by type name (their equipped weapon or best).
    let m = w
        .slash(
            member,
            CommandCall::new("economy")
                .sub("trade")
                .opt("user", OptValue::Id(w.owner))
                .opt("offer", "ember blade for 100"),
        )
        .await;
    assert!(title(&m).starts_with("💠 Trade offer #"), "{}", title(&m));
    assert!(
        fields(&m)[0].1.ends_with(&format!("⚔️ weapon #{blade}")),
        "{:?}",
        fields(&m)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn choices(w: &World, user: u64, call: CommandCall) -> Vec<(String, String)> {
    let i = w.sb.autocomplete(user, w.guild.general, call).unwrap();
    match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::Autocomplete(c) => c
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["value"].as_str().unwrap().to_string(),
                )
            })
            .collect(),
        other => panic!("expected autocomplete choices, got {other:?}"),
    }
}

fn values(c: &[(String, String)]) -> Vec<&str> {
    c.iter().map(|c| c.1.as_str()).collect()
}

#[tokio::test]
async fn economy_item_options_autocomplete_names_and_the_values_work() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.member, 5_000).await;
    give(&w, w.member, "dust_bunny", 3).await;
    give(&w, w.member, "pet_treat", 2).await;
    let bow = give_weapon(&w, w.member, "frostbite_bow", Rarity::Rare).await;
    let blade = give_weapon(&w, w.member, "ember_blade", Rarity::Common).await;
    weapons::equip(&s, uid(w.member), blade, chrono::Utc::now())
        .await
        .unwrap();
    let me = w.member;

    // buy: the shop's items on sale, matching what is typed.
    let c = choices(
        &w,
        me,
        CommandCall::new("economy")
            .sub("buy")
            .opt("item", "golden n")
            .focus("item"),
    )
    .await;
    assert_eq!(values(&c), ["golden_net"]);
    assert!(c[0].0.starts_with("🥅 Golden Net — "), "{c:?}");
    // sell: what the player owns, most first.
    let c = choices(
        &w,
        me,
        CommandCall::new("economy")
            .sub("sell")
            .opt("item", "")
            .focus("item"),
    )
    .await;
    assert_eq!(values(&c), ["dust_bunny", "pet_treat"]);
    assert!(c[0].0.ends_with("×3"), "{c:?}");
    // market sell: stacks and the weapons that can be given (not the equipped one).
    let c = choices(
        &w,
        me,
        CommandCall::new("economy")
            .sub("market")
            .sub("sell")
            .opt("item", "")
            .opt("count", 1)
            .opt("price", "10")
            .focus("item"),
    )
    .await;
    assert_eq!(
        values(&c),
        ["dust_bunny", "pet_treat", format!("#{bow}").as_str()]
    );
    // market list: any item or creature.
    let c = choices(
        &w,
        me,
        CommandCall::new("economy")
            .sub("market")
            .sub("list")
            .opt("item", "shadow pan")
            .focus("item"),
    )
    .await;
    assert_eq!(values(&c), ["shadow_panther"]);
    // trade: the item being typed is completed, the rest kept; your side, then theirs.
    let c = choices(
        &w,
        me,
        CommandCall::new("economy")
            .sub("trade")
            .opt("user", OptValue::Id(w.owner))
            .opt("offer", "50 + frost")
            .focus("offer"),
    )
    .await;
    assert_eq!(values(&c), [format!("50 + #{bow}").as_str()]);
    let c = choices(
        &w,
        me,
        CommandCall::new("economy")
            .sub("trade")
            .opt("user", OptValue::Id(w.owner))
            .opt("offer", "dust_bunny 2 for 300 + golden n")
            .focus("offer"),
    )
    .await;
    assert_eq!(values(&c), ["dust_bunny 2 for 300 + golden_net"]);
    // pet feed: the pet food the player owns.
    let c = choices(
        &w,
        me,
        CommandCall::new("pet")
            .sub("feed")
            .opt("pet", "x")
            .opt("food", "")
            .focus("food"),
    )
    .await;
    assert_eq!(values(&c), ["pet_treat"]);

    // The values sent work, and the prefix forms take names as well as ids.
    let m = w
        .slash(
            me,
            CommandCall::new("economy")
                .sub("sell")
                .opt("item", "dust_bunny")
                .opt("count", 1),
        )
        .await;
    assert_eq!(title(&m), "✅ Sold");
    let m = w.say(me, "chro sell Dust_Bunny 1").await;
    assert_eq!(title(&m), "✅ Sold");
    let m = w
        .slash(
            me,
            CommandCall::new("economy")
                .sub("market")
                .sub("sell")
                .opt("item", format!("#{bow}"))
                .opt("count", 1)
                .opt("price", "600"),
        )
        .await;
    assert_eq!(title(&m), "✅ Listed");
    let m = w.say(me, "chro market sell frostbite_bow 1 600").await;
    assert!(
        description(&m).contains(&format!("Weapon #{bow} is listed on the market")),
        "{}",
        description(&m)
    );
    assert_eq!(
        inventory::list(&s, uid(me))
            .await
            .unwrap()
            .quantity("dust_bunny"),
        1
    );
}
