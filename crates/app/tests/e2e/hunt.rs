//! Hunting through the sandbox (spec §XIX: "chro hunt returns embed with XP, coins, loot"):
//! prefix, aliases, slash, the cooldown refusal and the inventory.

use chronix_core::ids::UserId;
use chronix_sandbox::CommandCall;
use chronix_storage::{economy, hunt, inventory};

use crate::helpers::*;

fn chrons_in(text: &str) -> i64 {
    // "+25 💠 · balance 1,234 💠" → 25
    text.trim_start_matches('+')
        .split('💠')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no amount in {text:?}"))
}

#[tokio::test]
async fn hunt_replies_with_xp_chrons_and_loot_by_prefix_aliases_and_slash() {
    let (w, _) = World::start_with(Setup {
        env: vec![("HUNT_COOLDOWN_SECS", "1".into())],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    let mut earned = 0;
    for text in ["chro hunt", "chro h", "chro search"] {
        let m = w.say(w.member, text).await;
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await; // 1 s cooldown
        assert_eq!(title(&m), "💠 Hunt", "{text}");
        let names = field_names(&m);
        assert_eq!(names, vec!["✨ XP", "💠 Chrons", "🎒 Loot"], "{text}");
        assert!(field(&m, "✨ XP").starts_with('+') && field(&m, "✨ XP").contains("XP"));
        earned += chrons_in(&field(&m, "💠 Chrons"));
        assert!(!description(&m).is_empty());
    }
    let m = w.slash(w.member, CommandCall::new("hunt")).await;
    assert_eq!(title(&m), "💠 Hunt");
    earned += chrons_in(&field(&m, "💠 Chrons"));

    let user = w.member as i64;
    assert_eq!(
        economy::balance(&s, UserId::from_db(user)).await.unwrap(),
        earned
    );
    let stats = hunt::stats(&s, UserId::from_db(user))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stats.hunts, 4);
    assert_eq!(stats.chrons_earned, earned);
    let ledger = economy::history(&s, UserId::from_db(user), 10, None)
        .await
        .unwrap();
    assert_eq!(ledger.len(), 4);
    assert!(ledger.iter().all(|e| e.kind == "hunt"));
    assert!(
        economy::ledger_replay(&s, UserId::from_db(user))
            .await
            .unwrap()
            .is_consistent()
    );
    // What was caught is in the inventory, and `inventory` shows it.
    let inv = inventory::list(&s, UserId::from_db(user)).await.unwrap();
    // Creature stacks only: a hunt may also drop a crate, which is a stack of its own kind.
    assert_eq!(
        inv.stacks
            .iter()
            .filter(|st| st.item_type == inventory::CREATURE)
            .map(|st| st.quantity)
            .sum::<i64>(),
        stats.creatures
    );
    let m = w.say(w.member, "chro inv").await;
    assert!(title(&m).ends_with("inventory"), "{}", title(&m));
    if stats.creatures > 0 {
        assert!(field(&m, "🐾 Creatures").contains('×'));
    }
}

#[tokio::test]
async fn a_second_hunt_within_the_cooldown_is_refused_and_changes_nothing() {
    let w = World::start().await; // default cooldown: 15 s
    let s = w.db.storage();
    let m = w.say(w.owner, "chro hunt").await;
    assert_eq!(title(&m), "💠 Hunt");
    let balance = economy::balance(&s, UserId::from_db(w.owner as i64))
        .await
        .unwrap();
    let m = w.say(w.owner, "chro h").await;
    assert_eq!(title(&m), "❌ On cooldown");
    assert!(
        description(&m).starts_with("Slow down! Try again in "),
        "{}",
        description(&m)
    );
    let m = w.slash(w.owner, CommandCall::new("hunt")).await;
    assert_eq!(title(&m), "❌ On cooldown");
    assert_eq!(
        economy::balance(&s, UserId::from_db(w.owner as i64))
            .await
            .unwrap(),
        balance
    );
    assert_eq!(
        hunt::stats(&s, UserId::from_db(w.owner as i64))
            .await
            .unwrap()
            .unwrap()
            .hunts,
        1
    );
    assert_eq!(
        economy::history(&s, UserId::from_db(w.owner as i64), 10, None)
            .await
            .unwrap()
            .len(),
        1
    );
}
