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
            + inv.gems.len() as i64,
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
