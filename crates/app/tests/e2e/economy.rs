//! Economy through the sandbox: balance, pay (with the confirm button), daily streak, bets,
//! refusals (overdraft, cooldown, bad amounts), the bank, aliases and slash forms.

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_sandbox::{CommandCall, Id};
use chronix_storage::claims::{self, ClaimState};
use chronix_storage::economy::{self, Memo};
use chronix_storage::{Storage, bank};

use crate::helpers::*;

/// `"1,234 💠"` → 1234.
fn amount_of(text: &str) -> i64 {
    let digits: String = text
        .split('💠')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no amount in {text:?}"))
}

async fn bal(s: &Storage, user: Id) -> i64 {
    (economy::balance(s, UserId::from_db(user as i64))
        .await
        .unwrap())
    .get()
}

#[tokio::test]
async fn balance_by_prefix_aliases_slash_and_for_another_user() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 1_234).await;
    for text in ["chro balance", "chro bal", "chro wallet"] {
        let m = w.say(w.owner, text).await;
        assert_eq!(title(&m), "💠 Your balance", "{text}");
        assert!(description(&m).contains("**1,234 💠**"), "{text}");
        assert_eq!(field(&m, "Wallet"), "1,234 💠");
        assert_eq!(field(&m, "Bank"), "0 💠");
    }
    let m = w.slash(w.owner, CommandCall::new("balance")).await;
    assert_eq!(title(&m), "💠 Your balance");
    assert_eq!(field(&m, "Wallet"), "1,234 💠");

    let m = w.say(w.member, &format!("chro bal <@{}>", w.owner)).await;
    assert!(title(&m).ends_with("'s balance"), "{}", title(&m));
    assert_eq!(field(&m, "Wallet"), "1,234 💠");
    let m = w
        .slash(w.member, CommandCall::new("balance").opt("user", w.owner))
        .await;
    assert_eq!(field(&m, "Wallet"), "1,234 💠");
    // No pings: the mention in the description goes out with allowed_mentions empty.
    for call in w.rest("POST", &format!("/channels/{}/messages", w.guild.general)) {
        let body = call.body.unwrap();
        assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    }
}

#[tokio::test]
async fn pay_aliases_slash_confirm_button_and_overdraft() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 50_000).await;

    let m = w
        .say(w.owner, &format!("chro pay <@{}> 100", w.member))
        .await;
    assert_eq!(title(&m), "✅ Payment sent");
    assert_eq!(field(&m, "Your balance"), "49,900 💠");
    let m = w
        .say(w.owner, &format!("chro give <@{}> 1k", w.member))
        .await;
    assert_eq!(field(&m, "Amount"), "1,000 💠");
    let m = w
        .slash(
            w.owner,
            CommandCall::new("pay")
                .opt("user", w.member)
                .opt("amount", "25"),
        )
        .await;
    assert_eq!(title(&m), "✅ Payment sent");
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (48_875, 1_125)
    );

    // Above the threshold: a confirmation with buttons; nothing moves until the payer confirms.
    let m = w
        .say(w.owner, &format!("chro transfer <@{}> 20000", w.member))
        .await;
    assert_eq!(title(&m), "⚠️ Confirm payment");
    let labels: Vec<_> = m.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(labels, ["Confirm", "Cancel"]);
    assert_eq!(bal(&s, w.owner).await, 48_875);
    // Someone else cannot confirm it.
    let click = w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    assert!(
        description(&r).contains(&format!("Only <@{}> can answer this.", w.owner)),
        "{}",
        description(&r)
    );
    // Consume the ephemeral reply from the channel feed so the next `say` sees the next message.
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    assert_eq!(bal(&s, w.owner).await, 48_875);
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let done = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(done.id, m.id, "the confirmation message is updated");
    assert_eq!(title(&done), "✅ Payment sent");
    assert!(done.buttons().is_empty());
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (28_875, 21_125)
    );

    // Cancel: nothing moves.
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 15000", w.member))
        .await;
    let click = w.sb.click_button(w.owner, m.id, "Cancel").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(description(&r), "❎ Cancelled: nothing was done.");
    assert!(r.buttons().is_empty());
    assert_eq!(bal(&s, w.owner).await, 28_875);

    // Overdraft: a friendly refusal, balances unchanged, no ledger row.
    let rows = economy::history(&s, UserId::from_db(w.member as i64), 100, None)
        .await
        .unwrap()
        .len();
    let m = w
        .say(w.member, &format!("chro pay <@{}> 1000000", w.owner))
        .await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(
        description(&m).contains("don't have enough Chrons"),
        "{}",
        description(&m)
    );
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (28_875, 21_125)
    );
    assert_eq!(
        economy::history(&s, UserId::from_db(w.member as i64), 100, None)
            .await
            .unwrap()
            .len(),
        rows
    );
    // Malformed and negative amounts, and paying yourself.
    let m = w
        .say(w.member, &format!("chro pay <@{}> -5", w.owner))
        .await;
    assert_eq!(title(&m), "❌ Invalid input");
    assert!(description(&m).contains("negative"));
    let m = w
        .say(w.member, &format!("chro pay <@{}> lots", w.owner))
        .await;
    assert!(description(&m).contains("is not an amount"));
    let m = w
        .say(w.member, &format!("chro pay <@{}> 5", w.member))
        .await;
    assert!(description(&m).contains("can't pay yourself"));
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn daily_streak_from_seeded_state_then_cooldown() {
    let w = World::start().await;
    let s = w.db.storage();
    // A 4-day streak whose last claim was exactly a day ago: today is day 5.
    let now = chronix_discord::features::economy::now();
    claims::set_state(
        &s,
        UserId::from_db(w.owner as i64),
        &ClaimState {
            daily: chronix_core::economy::StreakState {
                last_claim: Some(now - std::time::Duration::from_secs(86_400)),
                streak: 4,
            },
            best_streak: 4,
            weekly_last_claim: None,
        },
        now,
    )
    .await
    .unwrap();
    let m = w.say(w.owner, "chro daily").await;
    assert_eq!(title(&m), "💠 Daily reward");
    assert_eq!(field(&m, "Streak"), "🔥 5 days");
    assert!(
        description(&m).contains("**700 💠**"),
        "{}",
        description(&m)
    );
    assert_eq!(bal(&s, w.owner).await, 700);
    assert_eq!(
        claims::state(&s, UserId::from_db(w.owner as i64))
            .await
            .unwrap()
            .daily
            .streak,
        5
    );

    // Same day again: refused with a relative timestamp, nothing paid.
    let m = w.say(w.owner, "chro daily").await;
    let d = description(&m);
    assert!(d.contains("Try again in"), "{d}");
    assert!(d.contains(":R>"), "{d}");
    assert_eq!(bal(&s, w.owner).await, 700);

    // A fresh player: streak 1 by slash.
    let m = w.slash(w.member, CommandCall::new("daily")).await;
    assert_eq!(field(&m, "Streak"), "🔥 1 day");
    assert_eq!(bal(&s, w.member).await, 500);
}

#[tokio::test]
async fn work_cooldown_is_refused_with_try_again() {
    let w = World::start().await;
    let s = w.db.storage();
    let m = w.say(w.member, "chro work").await;
    assert_eq!(title(&m), "💠 Work");
    let earned = bal(&s, w.member).await;
    assert!((150..=400).contains(&earned), "{earned}");
    let m = w.say(w.member, "chro job").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(
        description(&m).contains("Try again in"),
        "{}",
        description(&m)
    );
    assert_eq!(bal(&s, w.member).await, earned);
}

#[tokio::test]
async fn bets_change_the_balance_by_exactly_payout_minus_bet() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 10_000).await;
    let mut expected = 10_000;
    for text in [
        "chro coinflip 100 heads",
        "chro betflip 250 t",
        "chro slots 100",
        "chro spin 50",
        "chro dice 100 seven",
        "chro cf 100 tails",
        "chro bd 100 low",
    ] {
        let m = w.say(w.owner, text).await;
        let t = title(&m);
        assert!(
            t.contains("you won") || t.contains("you lost"),
            "{text}: {t}"
        );
        let bet = amount_of(&field(&m, "Bet"));
        let payout = amount_of(&field(&m, "Payout"));
        expected += payout - bet;
        assert_eq!(amount_of(&field(&m, "Balance")), expected, "{text}");
        assert_eq!(bal(&s, w.owner).await, expected, "{text}");
    }
    let m = w
        .slash(
            w.owner,
            CommandCall::new("economy")
                .sub("coinflip")
                .opt("bet", "10")
                .opt("side", "tails"),
        )
        .await;
    let bet = amount_of(&field(&m, "Bet"));
    expected += amount_of(&field(&m, "Payout")) - bet;
    assert_eq!(bal(&s, w.owner).await, expected);

    // Refusals change nothing.
    let m = w.say(w.owner, "chro cf 5").await;
    assert!(
        description(&m).contains("smallest bet"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro slots 100").await;
    assert!(
        description(&m).contains("don't have enough Chrons"),
        "{}",
        description(&m)
    );
    let m = w.say(w.owner, "chro bd 100 thirteen").await;
    assert_eq!(title(&m), "❌ Invalid input");
    assert_eq!(bal(&s, w.owner).await, expected);
    assert_eq!(bal(&s, w.member).await, 0);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn bank_deposit_withdraw_and_transactions() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.member, 1_000).await;
    let m = w.say(w.member, "chro deposit 600").await;
    assert_eq!(field(&m, "Wallet"), "400 💠");
    assert_eq!(field(&m, "Bank"), "600 💠");
    let m = w.say(w.member, "chro with all").await;
    assert_eq!(field(&m, "Wallet"), "1,000 💠");
    let m = w.say(w.member, "chro with 1").await;
    assert!(
        description(&m).contains("bank holds only 0 💠"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro withdraw all").await;
    assert!(
        description(&m).contains("bank is empty"),
        "{}",
        description(&m)
    );
    let b = bank::balances(&s, UserId::from_db(w.member as i64))
        .await
        .unwrap();
    assert_eq!((b.wallet, b.bank), (Chrons::new(1_000), Chrons::new(0)));
    // By prefix the ledger goes to a direct message (a channel reply cannot be private).
    let m = w.say(w.member, "chro transactions").await;
    assert_eq!(title(&m), "ℹ️ Sent privately");
    let dm = w.sb.wait_for_dm(w.member, REPLY).await.unwrap();
    let d = description(&dm);
    assert!(
        d.contains("bank withdrawal") && d.contains("bank deposit"),
        "{d}"
    );
    assert!(d.contains("`+600`") && d.contains("`-600`"), "{d}");
    assert!(dm.buttons().is_empty(), "one page: no buttons");

    // Paging: 12 more rows (16 in all, 10 per page), then Next shows the oldest ones.
    for i in 1..=12 {
        economy::credit(
            &s,
            UserId::from_db(w.member as i64),
            Chrons::new(i),
            &Memo::new(format!("gift {i}")),
        )
        .await
        .unwrap();
    }
    let m = w
        .slash(w.member, CommandCall::new("economy").sub("transactions"))
        .await;
    assert!(m.is_ephemeral(), "the slash form answers privately");
    assert!(
        description(&m).starts_with("`+12` 💠 gift 12"),
        "{}",
        description(&m)
    );
    assert_eq!(m.buttons()[2].1.as_deref(), Some("1/2"));
    let click = w.sb.click_button(w.member, m.id, "Next ▶").unwrap();
    let older = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(older.id, m.id);
    let d = description(&older);
    assert!(d.starts_with("`+2` 💠 gift 2"), "{d}");
    assert!(d.contains("test seed"), "{d}");
    assert_eq!(older.buttons()[2].1.as_deref(), Some("2/2"));
}

#[tokio::test]
async fn transactions_of_a_new_player_say_so_without_buttons() {
    let w = World::start().await;
    let m = w
        .slash(w.member, CommandCall::new("economy").sub("transactions"))
        .await;
    assert_eq!(title(&m), "💠 Transactions");
    assert!(
        description(&m).starts_with("No transactions yet"),
        "{}",
        description(&m)
    );
    assert!(m.buttons().is_empty());
}

#[tokio::test]
async fn leaderboard_pages_with_buttons() {
    let w = World::start().await;
    let s = w.db.storage();
    for u in 1..=12u64 {
        seed(&s, 1_000 + u, 100 * u as i64).await;
    }
    let m = w.say(w.member, "chro lb").await;
    assert_eq!(title(&m), "💠 Global leaderboard: Chrons");
    let d = description(&m);
    assert!(d.starts_with("🥇 <@1012> • 1,200 💠"), "{d}");
    assert!(d.contains("`#10` <@1003>"), "{d}");
    assert_eq!(m.buttons()[2].1.as_deref(), Some("1/2"));
    // Only the invoker pages.
    let click = w.sb.click_button(w.owner, m.id, "Next ▶").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    assert_eq!(title(&r), "❌ Not yours");
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await; // the refusal, from the feed
    let click = w.sb.click_button(w.member, m.id, "Next ▶").unwrap();
    let p2 = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(p2.id, m.id);
    let d = description(&p2);
    assert!(d.starts_with("`#11` <@1002> • 200 💠"), "{d}");
    assert!(d.contains("`#12` <@1001>"), "{d}");
    let click = w.sb.click_button(w.member, m.id, "◀ Prev").unwrap();
    let p1 = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(description(&p1).starts_with("🥇 <@1012>"));
    let click = w.sb.click_button(w.member, m.id, "Last ⏭").unwrap();
    let last = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(description(&last).starts_with("`#11` <@1002>"));
    let click = w.sb.click_button(w.member, m.id, "⏮ First").unwrap();
    let first = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(description(&first).starts_with("🥇 <@1012>"));

    // Server board: only members the server has seen.
    seed(&s, w.owner, 5).await;
    let _ = w.say(w.owner, "chro bal").await;
    let m = w
        .slash(
            w.member,
            CommandCall::new("economy")
                .sub("leaderboard")
                .opt("board", "server"),
        )
        .await;
    assert_eq!(title(&m), "💠 Server leaderboard: Chrons");
    assert_eq!(description(&m), format!("🥇 <@{}> • 5 💠", w.owner));
    let m = w.say(w.member, "chro top nonsense").await;
    assert_eq!(title(&m), "❌ Invalid input");
}

#[tokio::test]
async fn shop_market_and_trade_with_buttons() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 10_000).await;
    seed(&s, w.member, 1_000).await;
    let m = w.say(w.owner, "chro shop").await;
    assert!(description(&m).contains("Pet Treat"));
    let m = w.say(w.owner, "chro buy pet_treat 3").await;
    assert_eq!(title(&m), "✅ Purchase");
    assert_eq!(field(&m, "You own"), "3");
    assert_eq!(field(&m, "Balance"), "9,640 💠");
    let m = w.say(w.owner, "chro sell pet_treat").await;
    assert_eq!(field(&m, "Balance"), "9,670 💠");
    let m = w.say(w.owner, "chro buy unicorn").await;
    assert!(description(&m).contains("no item called"));
    // Creatures from hunts sell at their tier's price (common: 5 💠 each).
    chronix_discord::features::economy::ensure_item_definitions(w.bot().data())
        .await
        .unwrap();
    let mut tx = s.begin().await.unwrap();
    chronix_storage::inventory::add(
        &mut tx,
        UserId::from_db(w.member as i64),
        "dust_bunny",
        3,
        chronix_discord::features::economy::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let m = w.say(w.member, "chro sell \"dust bunny\" 2").await;
    assert_eq!(title(&m), "✅ Sold");
    assert_eq!(field(&m, "You own"), "1");
    assert_eq!(field(&m, "Balance"), "1,010 💠");
    let m = w.say(w.member, "chro sell dust_bunny 2").await;
    assert!(
        description(&m).contains("Not enough **Dust Bunny**"),
        "{}",
        description(&m)
    );
    economy::debit(
        &s,
        UserId::from_db(w.member as i64),
        Chrons::new(10),
        &Memo::new("reset"),
    )
    .await
    .unwrap();

    // Market: list 1 treat for 500, the member buys it; a second buy is refused.
    let m = w.say(w.owner, "chro market sell pet_treat 1 500").await;
    assert_eq!(title(&m), "✅ Listed");
    assert!(description(&m).starts_with("`#1`"), "{}", description(&m));
    let m = w.say(w.member, "chro mk buy 1").await;
    assert_eq!(title(&m), "✅ Bought");
    assert_eq!(field(&m, "Balance"), "500 💠");
    let m = w.say(w.member, "chro market buy 1").await;
    assert!(description(&m).contains("no longer for sale"));
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (10_170, 500)
    );

    // Trade: the owner gives 300 for the member's treat; both confirm with the button.
    let m = w
        .say(
            w.owner,
            &format!("chro trade <@{}> 300 for pet treat 1", w.member),
        )
        .await;
    assert!(title(&m).starts_with("💠 Trade offer #"), "{}", title(&m));
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let half = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(description(&half).contains("waiting for the other side"));
    assert_eq!(
        bal(&s, w.owner).await,
        10_170,
        "nothing moves before both confirm"
    );
    let click = w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let done = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(
        title(&done).starts_with("✅ Trade complete"),
        "{}",
        title(&done)
    );
    assert!(done.buttons().is_empty());
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (9_870, 800)
    );
    let inv = chronix_storage::inventory::list(&s, UserId::from_db(w.owner as i64))
        .await
        .unwrap();
    assert_eq!(inv.quantity("pet_treat"), 2);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn economy_on_postgres_without_gameplay_and_module_switch() {
    // Gameplay off: nothing syncs the item definitions at start-up; the shop does it lazily.
    let (w, _) = World::start_with(Setup {
        backend: Backend::Postgres,
        env: vec![("ENABLE_GAMEPLAY", "false".to_string())],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    seed(&s, w.owner, 2_000).await;
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 500", w.member))
        .await;
    assert_eq!(field(&m, "Your balance"), "1,500 💠");
    let m = w.say(w.member, "chro daily").await;
    assert_eq!(field(&m, "Balance"), "1,000 💠");
    let m = w.say(w.member, "chro slots 100").await;
    let payout = amount_of(&field(&m, "Payout"));
    assert_eq!(bal(&s, w.member).await, 900 + payout);
    let m = w.say(w.owner, "chro buy pet_treat 2").await;
    assert_eq!(title(&m), "✅ Purchase");
    assert_eq!(field(&m, "Balance"), "1,260 💠");
    // An admin switches the module off on the server: economy commands are refused.
    let m = w.say(w.owner, "chro module disable economy").await;
    assert_eq!(title(&m), "✅ Module disabled");
    let m = w.say(w.member, "chro bal").await;
    assert_eq!(title(&m), "❌ Module disabled");
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn bet_limits_and_pay_threshold_come_from_the_config() {
    let (w, _) = World::start_with(Setup {
        env: vec![
            ("ECONOMY_BET_MIN", "50".into()),
            ("ECONOMY_BET_MAX", "60".into()),
            ("ECONOMY_PAY_CONFIRM_ABOVE", "100".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    seed(&s, w.owner, 1_000).await;
    let m = w.say(w.owner, "chro coinflip 40").await;
    assert!(
        description(&m).contains("the smallest bet is 50 Chrons"),
        "{}",
        description(&m)
    );
    let m = w.say(w.owner, "chro dice 70 seven").await;
    assert!(
        description(&m).contains("the largest bet is 60 Chrons"),
        "{}",
        description(&m)
    );
    assert_eq!(bal(&s, w.owner).await, 1_000, "refused bets change nothing");
    // 150 is above the configured threshold of 100: a confirmation comes first.
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 150", w.member))
        .await;
    assert_eq!(title(&m), "⚠️ Confirm payment");
    assert_eq!(bal(&s, w.member).await, 0);
}

/// Issue 9: per-user rate limits (`ECONOMY_RATE_LIMIT_*`): over the limit, a typed refusal
/// saying when to try again, and nothing changes; other players are not limited.
#[tokio::test]
async fn bets_and_payments_over_the_rate_limit_are_refused_and_change_nothing() {
    let (w, _) = World::start_with(Setup {
        env: vec![
            // A day-long window, so it cannot roll over during the test.
            ("ECONOMY_RATE_LIMIT_BETS", "2/24h".into()),
            ("ECONOMY_RATE_LIMIT_PAY", "1/24h".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    let alice = w.member;
    seed(&s, alice, 1_000).await;
    seed(&s, w.owner, 1_000).await;
    for text in ["chro cf 100", "chro slots 100"] {
        let m = w.say(alice, text).await;
        assert!(
            title(&m).contains("Coinflip") || title(&m).contains("Slots"),
            "{text}: {}",
            title(&m)
        );
    }
    let before = bal(&s, alice).await;
    let m = w.say(alice, "chro dice 100 high").await;
    assert_eq!(title(&m), "❌ Slow down");
    let d = description(&m);
    assert!(
        d.starts_with("⏳ You are doing that too often. Try again in "),
        "{d}"
    );
    assert_eq!(
        bal(&s, alice).await,
        before,
        "a refused bet changes nothing"
    );
    // By slash too (ephemeral), and still nothing changes.
    let m = w
        .slash(
            alice,
            CommandCall::new("economy")
                .sub("coinflip")
                .opt("bet", "100"),
        )
        .await;
    assert_eq!(title(&m), "❌ Slow down");
    assert!(m.is_ephemeral());
    assert_eq!(bal(&s, alice).await, before);
    // The owner has their own count.
    let m = w.say(w.owner, "chro cf 100").await;
    assert_ne!(title(&m), "❌ Slow down");

    // Payments: one allowed, the next refused, balances unchanged.
    let m = w.say(alice, &format!("chro pay <@{}> 10", w.owner)).await;
    assert_ne!(title(&m), "❌ Slow down", "{}", description(&m));
    let (a, o) = (bal(&s, alice).await, bal(&s, w.owner).await);
    let m = w.say(alice, &format!("chro pay <@{}> 10", w.owner)).await;
    assert_eq!(title(&m), "❌ Slow down");
    assert_eq!((bal(&s, alice).await, bal(&s, w.owner).await), (a, o));
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // The hourly prune job (registered as a recurring economy job) deletes counts of windows
    // that are over and keeps the current ones: alice stays limited.
    let jobs: Vec<_> = w
        .bot()
        .data()
        .registry()
        .jobs(w.bot().data().config())
        .into_iter()
        .map(|(_, k)| (k.name, k.recurrence.is_some()))
        .collect();
    assert!(
        jobs.contains(&("economy_rate_limit_prune", true)),
        "{jobs:?}"
    );
    let old = chrono::Utc::now() - chrono::Duration::days(3);
    chronix_storage::rate_limits::hit(
        &s,
        UserId::new(4242),
        "bet",
        chronix_core::ratelimit::RateLimit::new(1, 60),
        old,
    )
    .await
    .unwrap();
    let pruned =
        chronix_discord::features::economy::prune_rate_limits(w.bot().data(), chrono::Utc::now())
            .await
            .unwrap();
    assert_eq!(pruned, 1, "only the old window");
    let m = w.say(alice, "chro cf 100").await;
    assert_eq!(title(&m), "❌ Slow down");
}

/// The payment id a pay confirmation's buttons refer to (`chx:eco:pay:<id>:yes|no`): the
/// custom id carries nothing else (no payee, amount or expiry).
fn payment_id(m: &chronix_sandbox::Message) -> chronix_storage::payments::PaymentId {
    let ids: Vec<String> = m.buttons().into_iter().filter_map(|b| b.0).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let id = ids[0]
        .strip_prefix("chx:eco:pay:")
        .and_then(|r| r.strip_suffix(":yes"))
        .unwrap_or_else(|| panic!("{ids:?}"));
    assert_eq!(ids[1], format!("chx:eco:pay:{id}:no"));
    chronix_storage::payments::PaymentId::new(id.parse().expect("a numeric id"))
}

/// Issue 9: the pending payment is a database row and the buttons only refer to it: a click
/// after a bot restart still pays, once; only the payer can answer.
#[tokio::test]
async fn a_pay_confirmation_survives_a_restart_and_only_the_payer_answers() {
    use chronix_storage::payments::{self, PaymentStatus};
    let mut w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 50_000).await;
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 20000", w.member))
        .await;
    assert_eq!(title(&m), "⚠️ Confirm payment");
    let id = payment_id(&m);
    let row = payments::get(&s, id).await.unwrap().unwrap();
    assert_eq!(
        (
            row.payer.get(),
            row.payee.get(),
            row.amount.get(),
            row.status
        ),
        (w.owner, w.member, 20_000, PaymentStatus::Open)
    );
    // The message id is recorded right after the message is sent.
    let mut message = row.message;
    for _ in 0..100 {
        if message.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        message = payments::get(&s, id).await.unwrap().unwrap().message;
    }
    assert_eq!(message.map(|m| m.get()), Some(m.id));

    w.bot.take().unwrap().shutdown().await;
    w.restart_bot(Vec::new()).await;

    // The payee cannot confirm it (nor cancel it); nothing moves.
    for label in ["Confirm", "Cancel"] {
        let click = w.sb.click_button(w.member, m.id, label).unwrap();
        let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
        assert!(r.is_ephemeral());
        assert_eq!(
            description(&r),
            format!("Only <@{}> can answer this.", w.owner)
        );
        let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    }
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (50_000, 0)
    );
    // The payer's click after the restart pays.
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let done = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(done.id, m.id, "the confirmation message is updated");
    assert_eq!(title(&done), "✅ Payment sent");
    assert_eq!(field(&done, "Amount"), "20,000 💠");
    assert_eq!(field(&done, "Your balance"), "30,000 💠");
    assert!(done.buttons().is_empty());
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (30_000, 20_000)
    );
    assert_eq!(
        payments::get(&s, id).await.unwrap().unwrap().status,
        PaymentStatus::Done
    );

    // Cancel after a restart too: nothing moves, the row is cancelled.
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 15000", w.member))
        .await;
    let id = payment_id(&m);
    w.bot.take().unwrap().shutdown().await;
    w.restart_bot(Vec::new()).await;
    let click = w.sb.click_button(w.owner, m.id, "Cancel").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(title(&r), "ℹ️ Payment cancelled");
    assert_eq!(description(&r), "❎ Cancelled: nothing was done.");
    assert!(r.buttons().is_empty());
    assert_eq!(
        payments::get(&s, id).await.unwrap().unwrap().status,
        PaymentStatus::Cancelled
    );
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (30_000, 20_000)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

/// Issue 9: a click on a lapsed payment (`ECONOMY_PAY_CONFIRM_TTL_SECS`) pays nothing and
/// says so; the scheduler is slow here, so the click comes before any sweep.
#[tokio::test]
async fn a_click_on_an_expired_pay_confirmation_pays_nothing() {
    use chronix_storage::payments::{self, PaymentStatus};
    let (w, _) = World::start_with(Setup {
        env: vec![
            ("ECONOMY_PAY_CONFIRM_TTL_SECS", "1".into()),
            ("SCHEDULER_TICK_MS", "600000".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    seed(&s, w.owner, 50_000).await;
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 20000", w.member))
        .await;
    let id = payment_id(&m);
    tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
    // Someone else still gets "not yours"; the payer gets "expired" and the buttons go.
    let click = w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(r.id, m.id);
    assert_eq!(title(&r), "ℹ️ Payment expired");
    assert_eq!(
        description(&r),
        "⌛ This payment expired before it was confirmed: nothing was paid. Run `pay` again."
    );
    assert!(r.buttons().is_empty());
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (50_000, 0)
    );
    assert_eq!(
        payments::get(&s, id).await.unwrap().unwrap().status,
        PaymentStatus::Open,
        "not swept yet: refused by its expiry alone"
    );
}

/// Issue 9: the expiry job marks a lapsed payment expired and strips its buttons, also when
/// the bot was down at its expiry.
#[tokio::test]
async fn an_unanswered_pay_confirmation_expires_and_loses_its_buttons() {
    use chronix_storage::payments::{self, PaymentStatus};
    let (mut w, _) = World::start_with(Setup {
        env: vec![
            ("ECONOMY_PAY_CONFIRM_TTL_SECS", "1".into()),
            ("SCHEDULER_TICK_MS", "100".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    seed(&s, w.owner, 50_000).await;
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 20000", w.member))
        .await;
    let id = payment_id(&m);
    let e =
        w.sb.wait_for_edit(w.guild.general, std::time::Duration::from_secs(10))
            .await
            .expect("the expiry job edits the confirmation");
    assert_eq!(e.id, m.id);
    assert_eq!(title(&e), "ℹ️ Payment expired");
    assert!(e.buttons().is_empty());
    assert_eq!(
        payments::get(&s, id).await.unwrap().unwrap().status,
        PaymentStatus::Expired
    );

    // Down at the expiry: swept after the restart.
    let m = w
        .say(w.owner, &format!("chro pay <@{}> 15000", w.member))
        .await;
    let id = payment_id(&m);
    w.bot.take().unwrap().shutdown().await;
    tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
    assert_eq!(
        payments::get(&s, id).await.unwrap().unwrap().status,
        PaymentStatus::Open
    );
    w.restart_bot(Vec::new()).await;
    let e =
        w.sb.wait_for_edit(w.guild.general, std::time::Duration::from_secs(10))
            .await
            .expect("the expiry job edits the confirmation after the restart");
    assert_eq!(e.id, m.id);
    assert!(e.buttons().is_empty());
    assert_eq!(
        payments::get(&s, id).await.unwrap().unwrap().status,
        PaymentStatus::Expired
    );
    assert_eq!(
        (bal(&s, w.owner).await, bal(&s, w.member).await),
        (50_000, 0)
    );
}
