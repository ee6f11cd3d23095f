//! Items through the sandbox (spec §XIX: "chro crate open shows animated reveal and awards
//! items"): `crates`, `crate open` by prefix, aliases and slash, the reveal's edits in order,
//! the refusals, and what landed in the database.

use chronix_core::ids::UserId;
use chronix_core::tables::Rarity;
use chronix_sandbox::{CommandCall, InteractionResponse, Message};
use chronix_storage::{economy, inventory, items};

use crate::helpers::*;

async fn give(w: &World, user: u64, kind: &str, n: u32) {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    for _ in 0..n {
        inventory::add_crate(
            &mut tx,
            UserId::from_db(user as i64),
            kind,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

fn colour(m: &Message) -> u64 {
    embed(m)["color"].as_u64().unwrap_or_default()
}

/// The two edits of a reveal, in order, after its first message `first`.
async fn reveal_edits(w: &World, first: &Message) -> (Message, Message) {
    let glow =
        w.sb.wait_for_edit(w.guild.general, REPLY)
            .await
            .expect("the reveal's first edit");
    let last =
        w.sb.wait_for_edit(w.guild.general, REPLY)
            .await
            .expect("the reveal's second edit");
    assert_eq!(
        (glow.id, last.id),
        (first.id, first.id),
        "one message, edited"
    );
    (glow, last)
}

fn gained(m: &Message) -> i64 {
    // "+1,234 💠 · balance 5,678 💠" → 1234
    field(m, "💠 Chrons")
        .trim_start_matches('+')
        .split('💠')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn crate_open_reveals_in_steps_and_awards_the_loot() {
    let w = World::start().await;
    let s = w.db.storage();
    let user = UserId::from_db(w.member as i64);
    give(&w, w.member, "basic", 3).await;
    give(&w, w.member, "mythic", 1).await;

    // `crates` lists what the player owns and what is on offer.
    let m = w.say(w.member, "chro crates").await;
    assert_eq!(title(&m), "💠 member's crates");
    let d = description(&m);
    assert!(d.contains("📦 **Basic Crate** (`basic`) ×3"), "{d}");
    assert!(d.contains("🔮 **Mythic Crate** (`mythic`) ×1"), "{d}");
    assert!(d.contains("pity 0/10 toward Epic"), "{d}");
    let offer = field(&m, "🛒 On offer");
    assert!(
        offer.contains("📦 **Basic Crate** (`basic`) · 1,500 💠"),
        "{offer}"
    );

    // Prefix: the reveal is one message edited twice, in order.
    let first = w.say(w.member, "chro crate open basic").await;
    assert_eq!(title(&first), "💠 Opening 📦 Basic Crate…");
    assert!(description(&first).contains("The crate shakes"));
    let (glow, last) = reveal_edits(&w, &first).await;
    assert!(
        description(&glow).contains("glow bursts out"),
        "{}",
        description(&glow)
    );
    assert_eq!(title(&last), "💠 📦 Basic Crate opened!");
    assert_eq!(
        field_names(&last),
        ["🎒 Loot", "💠 Chrons", "📦 Crates left"]
    );
    assert_eq!(field(&last, "📦 Crates left"), "📦 **Basic Crate** ×2");
    // The glow's colour is the best loot's rarity colour, and stays on the final embed.
    let best = Rarity::ALL
        .into_iter()
        .find(|r| u64::from(r.colour()) == colour(&glow))
        .expect("the glow has a rarity colour");
    assert!(description(&glow).contains(best.label()));
    assert_eq!(colour(&last), colour(&glow));
    let loot = field(&last, "🎒 Loot");
    assert_eq!(
        loot.lines().count(),
        2,
        "a basic crate has two rolls: {loot}"
    );
    assert!(loot.contains(chronix_core::tables::Rarity::default_emoji(best)));
    // The edits went out as REST PATCHes of that message, in order.
    let patches = w.rest("PATCH", &format!("/messages/{}", first.id));
    let descs: Vec<String> = patches
        .iter()
        .filter_map(|c| {
            c.body.as_ref()?["embeds"][0]["title"]
                .as_str()
                .map(String::from)
        })
        .collect();
    assert_eq!(
        descs,
        ["💠 Opening 📦 Basic Crate…", "💠 📦 Basic Crate opened!"]
    );
    // What the embed shows is what the database holds.
    let mut total = gained(&last);
    assert_eq!(economy::balance(&s, user).await.unwrap(), total);
    let inv = inventory::list(&s, user).await.unwrap();
    assert_eq!(inv.crate_counts().get("basic"), Some(&2));
    assert_eq!(
        inv.stacks
            .iter()
            .filter(|st| st.item_type == inventory::CREATURE)
            .map(|st| st.quantity)
            .sum::<i64>()
            + inv.gems.len() as i64
            // A crate's creature may hatch as a pet (pets.yaml's crate_pet_chance).
            + chronix_storage::pets::list(&s, user).await.unwrap().len() as i64
            + chronix_storage::weapons::list(&s, user)
                .await
                .unwrap()
                .len() as i64,
        2
    );

    // Aliases.
    let first = w.say(w.member, "chro openbox basic").await;
    let (_, last) = reveal_edits(&w, &first).await;
    assert_eq!(field(&last, "📦 Crates left"), "📦 **Basic Crate** ×1");
    total += gained(&last);
    let first = w.say(w.member, "chro opencrate all").await;
    assert_eq!(title(&first), "💠 Opening 2 crates…");
    let (_, last) = reveal_edits(&w, &first).await;
    assert_eq!(title(&last), "💠 2 crates opened!");
    assert_eq!(
        field_names(&last),
        [
            "📊 By rarity",
            "🏆 Best finds",
            "💠 Chrons",
            "📦 Crates left"
        ]
    );
    assert_eq!(
        field(&last, "📦 Crates left"),
        "📦 **Basic Crate** ×0\n🔮 **Mythic Crate** ×0"
    );
    assert_eq!(field(&last, "🏆 Best finds").lines().count(), 2 + 4);
    total += gained(&last);
    assert_eq!(economy::balance(&s, user).await.unwrap(), total);
    assert_eq!(inventory::list(&s, user).await.unwrap().crate_total(), 0);
    let pity = items::pity_counts(&s, user).await.unwrap();
    assert_eq!((pity["basic"].opened, pity["mythic"].opened), (3, 1));
    let rows = economy::history(&s, user, 10, None).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.kind == "crate"));
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // Slash, with a count: a summary.
    give(&w, w.member, "advanced", 3).await;
    let m = w
        .slash(
            w.member,
            CommandCall::new("items")
                .sub("crate")
                .sub("open")
                .opt("kind", "advanced")
                .opt("count", 3),
        )
        .await;
    assert_eq!(title(&m), "💠 Opening 3 crates…");
    let (_, last) = reveal_edits(&w, &m).await;
    assert_eq!(title(&last), "💠 3 crates opened!");
    assert_eq!(field(&last, "📦 Crates left"), "🎁 **Advanced Crate** ×0");
    assert!(field(&last, "📊 By rarity").contains('×'));
}

#[tokio::test]
async fn crate_refusals_are_friendly_and_change_nothing() {
    let w = World::start().await;
    let s = w.db.storage();
    let user = UserId::from_db(w.member as i64);
    let m = w.say(w.member, "chro crates").await;
    assert!(description(&m).contains("No crates yet"));
    let m = w.say(w.member, "chro crate open all").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(
        description(&m).contains("no crates to open"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro crate open golden").await;
    assert!(
        description(&m).contains("There is no crate called `golden`"),
        "{}",
        description(&m)
    );
    assert!(description(&m).contains("`basic`"));
    give(&w, w.member, "basic", 1).await;
    let m = w.say(w.member, "chro crate open basic 2").await;
    assert!(
        description(&m).contains("You have 1 × 📦 **Basic Crate**, not 2."),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro crate open basic 0").await;
    assert!(
        description(&m).contains("between 1 and 50"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro crate open basic 51").await;
    assert!(description(&m).contains("between 1 and 50"));
    // Slash refusal: ephemeral, same text.
    let i =
        w.sb.run_command(
            w.member,
            w.guild.general,
            CommandCall::new("items")
                .sub("crate")
                .sub("open")
                .opt("kind", "mythic"),
        )
        .unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(
        description(&r).contains("You have 0 × 🔮 **Mythic Crate**, not 1."),
        "{}",
        description(&r)
    );
    // Nothing changed.
    assert_eq!(
        inventory::list(&s, user)
            .await
            .unwrap()
            .quantity("basic_crate"),
        1
    );
    assert_eq!(economy::balance(&s, user).await.unwrap(), 0);
    assert!(items::pity_counts(&s, user).await.unwrap().is_empty());
}

#[tokio::test]
async fn crate_type_autocompletes_owned_kinds_first() {
    let w = World::start().await;
    give(&w, w.member, "mythic", 2).await;
    let i =
        w.sb.autocomplete(
            w.member,
            w.guild.general,
            CommandCall::new("items")
                .sub("crate")
                .sub("open")
                .opt("kind", "")
                .focus("kind"),
        )
        .unwrap();
    let choices = match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::Autocomplete(c) => c,
        other => panic!("expected autocomplete choices, got {other:?}"),
    };
    let names: Vec<String> = choices
        .iter()
        .map(|c| c["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names[..2], ["all", "mythic"], "{names:?}");
    assert!(names.contains(&"basic".to_string()));
}

async fn give_gems(w: &World, user: u64, gem_type: &str, rarity: Rarity, n: usize) {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    for _ in 0..n {
        let g = chronix_core::items::GemDrop {
            gem_type: gem_type.into(),
            rarity,
            power: 4,
        };
        inventory::add_gem(
            &mut tx,
            UserId::from_db(user as i64),
            &g,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

fn gem_count(inv: &inventory::Inventory, rarity: &str) -> usize {
    inv.gems.iter().filter(|g| g.rarity == rarity).count()
}

#[tokio::test]
async fn gems_list_with_filters() {
    let w = World::start().await;
    let m = w.say(w.member, "chro gems").await;
    assert!(description(&m).contains("No gems here"));
    give_gems(&w, w.member, "ruby", Rarity::Rare, 2).await;
    give_gems(&w, w.member, "topaz", Rarity::Epic, 1).await;
    let m = w.say(w.member, "chro gems").await;
    assert_eq!(title(&m), "💠 member's gems");
    assert_eq!(description(&m).lines().count(), 3);
    assert_eq!(field(&m, "📊 By rarity"), "🟣 Epic ×1 · 🔵 Rare ×2");
    let m = w.say(w.member, "chro gems rare").await;
    assert_eq!(description(&m).lines().count(), 2);
    assert!(
        description(&m).contains("🔵 ♦️ Ruby (+4)"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro gems topaz epic").await;
    assert_eq!(description(&m).lines().count(), 1);
    let m = w
        .slash(
            w.member,
            CommandCall::new("items").sub("gems").opt("filter", "ruby"),
        )
        .await;
    assert_eq!(description(&m).lines().count(), 2);
    let m = w.say(w.member, "chro gems shiny").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(description(&m).contains("`shiny` is neither a rarity"));
}

#[tokio::test]
async fn forge_asks_first_and_applies_in_one_transaction() {
    let (w, _) = World::start_with(Setup {
        env: vec![("ITEMS_CONFIRM_TTL_SECS", "2".into())],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    let user = UserId::from_db(w.member as i64);
    give_gems(&w, w.member, "ruby", Rarity::Rare, 6).await;
    seed(&s, w.member, 5_000).await;

    // Refusals, before any dialog.
    for (text, want) in [
        ("chro forge celestial", "highest rarity"),
        ("chro forge legendary", "you have enough for 0"),
        ("chro forge rare 3", "you have enough for 2"),
        ("chro forge rare 11", "between 1 and 10"),
        ("chro forge shiny", "`shiny` is not a rarity"),
    ] {
        let m = w.say(w.member, text).await;
        assert_eq!(title(&m), "❌ Cannot do that", "{text}");
        assert!(
            description(&m).contains(want),
            "{text}: {}",
            description(&m)
        );
    }

    // The dialog shows the chance, the cost and what failure costs; Cancel changes nothing.
    let m = w.say(w.member, "chro forge rare").await;
    assert_eq!(title(&m), "⚠️ Forge");
    let d = description(&m);
    assert!(d.contains("Success chance: **75 %**"), "{d}");
    assert!(d.contains("2 gems are lost and 1 comes back"), "{d}");
    assert!(d.contains("🔵 ♦️ Ruby (+4) ×3"), "{d}");
    assert_eq!(field(&m, "💠 Wallet"), "5,000 💠 → **4,200 💠**");
    w.sb.click_button(w.member, m.id, "Cancel").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(description(&e).contains("Cancelled"));
    assert_eq!(economy::balance(&s, user).await.unwrap(), 5_000);

    // No answer: the dialog times out and nothing changes.
    let m = w.say(w.member, "chro forge rare").await;
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(e.id, m.id);
    assert!(description(&e).contains("Timed out"), "{}", description(&e));
    assert!(e.components.is_empty());
    assert_eq!(economy::balance(&s, user).await.unwrap(), 5_000);

    // Confirm: one forge, paid either way, through the ledger.
    let m = w.say(w.member, "chro forge rare").await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(field(&e, "💠 Chrons"), "−800 💠 · balance 4,200 💠");
    let inv = inventory::list(&s, user).await.unwrap();
    if title(&e) == "✅ Forge: success" {
        assert!(
            description(&e).contains("🟣 ♦️ Ruby (+7)"),
            "{}",
            description(&e)
        );
        assert_eq!((gem_count(&inv, "rare"), gem_count(&inv, "epic")), (3, 1));
    } else {
        assert_eq!(title(&e), "⚠️ Forge: failed");
        assert!(description(&e).contains("2 gems lost"));
        assert_eq!((gem_count(&inv, "rare"), gem_count(&inv, "epic")), (4, 0));
    }
    assert_eq!(economy::balance(&s, user).await.unwrap(), 4_200);
    let rows = economy::history(&s, user, 10, None).await.unwrap();
    assert_eq!(
        (rows[0].kind.as_str(), rows[0].change.get()),
        ("forge", -800)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // Slash, and someone else cannot press Confirm.
    let m = w
        .slash(
            w.member,
            CommandCall::new("items").sub("forge").opt("rarity", "rare"),
        )
        .await;
    assert_eq!(title(&m), "⚠️ Forge");
    let other = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&other, REPLY).await.unwrap();
    assert!(description(&r).contains("Only"), "{}", description(&r));
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let e = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert!(title(&e).starts_with("✅ Forge") || title(&e).starts_with("⚠️ Forge"));
    assert_eq!(economy::balance(&s, user).await.unwrap(), 3_400);
}
