//! The economy features on both backends: atomic bets, the bank and its interest, daily/weekly
//! claims and timed earners, the shop, the marketplace and trades.
//!
//! Every case is `async fn case(db: TestDb)` and runs on SQLite and on a fresh Postgres database
//! (`TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`).

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use std::sync::Arc;

use chronix_core::economy::{
    BankRules, BetDetail, BetError, BetOutcome, BetRules, CoinSide, DailyRules, WeeklyRules,
    coinflip,
};
use chronix_storage::bets::{PlaceBetError, place_bet};
use chronix_storage::claims::{self, ClaimState};
use chronix_storage::economy::{self, Memo};
use chronix_storage::leaderboard::{self, Metric};
use chronix_storage::market::{self, MarketRefusal};
use chronix_storage::rankings::{self, Cursor, Page, Scope};
use chronix_storage::testing::TestDb;
use chronix_storage::trade::{self, NewTrade, Offer, TradeRefusal};
use chronix_storage::{Db, Refusal, Storage, StorageError, bank, guild_users, inventory, shop};
use chrono::Duration;
use rand::SeedableRng;

use crate::{refusal, scalar, t, tables};

both_db!(
    bet_failure_after_debit_changes_nothing,
    bet_win_and_loss_are_exact,
    concurrent_bets_never_overdraw,
    bank_deposit_and_withdraw,
    bank_interest_is_paid_once_per_period,
    bank_interest_exploit_earns_nothing,
    bank_interest_for_whole_periods,
    daily_streak_is_stored_and_enforced,
    weekly_and_timed_earners,
    shop_buy_and_sell,
    market_list_cancel_and_refusals,
    market_double_buy_race,
    trade_swaps_atomically,
    leaderboard_keyset_pages_match_offsets,
);

async fn ledger_rows(s: &Storage) -> i64 {
    scalar(s, "SELECT COUNT(*) FROM transactions").await
}

async fn books_balance(s: &Storage) {
    assert!(economy::reconcile(s).await.unwrap().is_empty());
}

async fn with_items(s: &Storage) {
    inventory::sync_definitions(s, &tables()).await.unwrap();
}

async fn give_item(s: &Storage, user: i64, key: &str, qty: i64) {
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, UserId::from_db(user), key, qty, t(0))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn items_of(s: &Storage, user: i64, key: &str) -> i64 {
    inventory::list(s, UserId::from_db(user))
        .await
        .unwrap()
        .quantity(key)
}

fn lose(bet: i64) -> BetOutcome {
    BetOutcome {
        bet: Chrons::new(bet),
        payout: Chrons::new(0),
        won: false,
        detail: BetDetail::Coinflip {
            called: CoinSide::Heads,
            landed: CoinSide::Tails,
        },
    }
}

// ------------------------------------------------------------------------------------------
// Bets

async fn bet_failure_after_debit_changes_nothing(db: TestDb) {
    let s = db.storage();
    economy::credit(&s, UserId::new(1), Chrons::new(1_000), &Memo::new("seed"))
        .await
        .unwrap();
    let rows = ledger_rows(&s).await;

    // The rule refuses after the stake was debited: rolled back.
    let mut called = 0;
    let err = place_bet(
        &s,
        UserId::new(1),
        "dice",
        Chrons::new(100),
        None,
        t(1),
        || {
            called += 1;
            Err(BetError::InvalidChoice)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        PlaceBetError::Refused(BetError::InvalidChoice)
    ));
    assert_eq!(called, 1);
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 1_000);
    assert_eq!(ledger_rows(&s).await, rows);

    // The payout credit fails (overflow) after the debit: rolled back too.
    let err = place_bet(
        &s,
        UserId::new(1),
        "slots",
        Chrons::new(100),
        None,
        t(2),
        || {
            Ok(BetOutcome {
                payout: Chrons::new(i64::MAX),
                won: true,
                ..lose(100)
            })
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            PlaceBetError::Storage(StorageError::Refused(Refusal::Overflow))
        ),
        "{err:?}"
    );
    // An outcome for another stake is refused.
    assert!(
        place_bet(
            &s,
            UserId::new(1),
            "slots",
            Chrons::new(100),
            None,
            t(2),
            || Ok(lose(50))
        )
        .await
        .is_err()
    );
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 1_000);
    assert_eq!(ledger_rows(&s).await, rows);

    // Not enough Chrons: refused before resolving.
    let mut resolved = false;
    let err = place_bet(
        &s,
        UserId::new(1),
        "coinflip",
        Chrons::new(1_001),
        None,
        t(3),
        || {
            resolved = true;
            Ok(lose(1_001))
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        PlaceBetError::Storage(StorageError::Refused(Refusal::InsufficientFunds { needed, available })) if needed == 1_001 && available == 1_000
    ));
    assert!(!resolved);
    assert_eq!(ledger_rows(&s).await, rows);
    books_balance(&s).await;
}

async fn bet_win_and_loss_are_exact(db: TestDb) {
    let s = db.storage();
    economy::credit(&s, UserId::new(7), Chrons::new(500), &Memo::new("seed"))
        .await
        .unwrap();
    let rules = BetRules::default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut expected = 500;
    for i in 0..20 {
        let p = place_bet(
            &s,
            UserId::new(7),
            "coinflip",
            Chrons::new(10),
            Some(GuildId::new(3)),
            t(i),
            || coinflip(Chrons::new(10), CoinSide::Heads, &rules, &mut rng),
        )
        .await
        .unwrap();
        expected += p.outcome.net().get();
        assert_eq!(p.balance_after(), expected);
        assert_eq!(p.stake.entry.change, -10);
        assert_eq!(p.stake.entry.kind, "bet");
        assert_eq!(p.stake.entry.guild(), Some(GuildId::new(3)));
        match &p.payout {
            Some(a) => {
                assert!(p.outcome.won);
                assert_eq!(
                    (a.entry.change, a.entry.kind.as_str()),
                    (Chrons::new(19), "bet_win")
                );
            }
            None => assert!(!p.outcome.won),
        }
    }
    assert_eq!(
        economy::balance(&s, UserId::new(7)).await.unwrap(),
        expected
    );
    books_balance(&s).await;
    assert!(
        economy::ledger_replay(&s, UserId::new(7))
            .await
            .unwrap()
            .is_consistent()
    );
}

async fn concurrent_bets_never_overdraw(db: TestDb) {
    let s = db.storage();
    economy::credit(&s, UserId::new(1), Chrons::new(500), &Memo::new("seed"))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            place_bet(
                &s,
                UserId::new(1),
                "slots",
                Chrons::new(100),
                None,
                t(i),
                || Ok(lose(100)),
            )
            .await
        }));
    }
    let (mut ok, mut short) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(PlaceBetError::Storage(StorageError::Refused(Refusal::InsufficientFunds {
                ..
            }))) => short += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((ok, short), (5, 7));
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 0);
    books_balance(&s).await;
    assert!(
        economy::ledger_replay(&s, UserId::new(1))
            .await
            .unwrap()
            .is_consistent()
    );
}

// ------------------------------------------------------------------------------------------
// Bank

async fn bank_deposit_and_withdraw(db: TestDb) {
    let s = db.storage();
    let rules = BankRules::default();
    economy::credit(&s, UserId::new(1), Chrons::new(1_000), &Memo::new("seed"))
        .await
        .unwrap();
    let m = |r: &str| Memo::new(r).kind(r).at(t(5));
    let b = bank::deposit(
        &s,
        UserId::new(1),
        Chrons::new(600),
        &rules,
        &m("bank_deposit"),
        t(5),
    )
    .await
    .unwrap();
    assert_eq!((b.wallet, b.bank), (Chrons::new(400), Chrons::new(600)));
    let err = bank::deposit(
        &s,
        UserId::new(1),
        Chrons::new(401),
        &rules,
        &m("bank_deposit"),
        t(5),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        StorageError::Refused(Refusal::InsufficientFunds { .. })
    ));
    let err = bank::withdraw(
        &s,
        UserId::new(1),
        Chrons::new(601),
        &rules,
        &m("bank_withdraw"),
        t(6),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        StorageError::Refused(Refusal::InsufficientFunds { needed, available }) if needed == 601 && available == 600
    ));
    assert!(matches!(
        bank::withdraw(
            &s,
            UserId::new(1),
            Chrons::new(0),
            &rules,
            &m("bank_withdraw"),
            t(6)
        )
        .await,
        Err(StorageError::Refused(Refusal::InvalidAmount(0)))
    ));
    let b = bank::withdraw(
        &s,
        UserId::new(1),
        Chrons::new(250),
        &rules,
        &m("bank_withdraw"),
        t(6),
    )
    .await
    .unwrap();
    assert_eq!((b.wallet, b.bank), (Chrons::new(650), Chrons::new(350)));
    // A retried deposit or withdrawal (same idempotency key) moves nothing a second time.
    for _ in 0..2 {
        let b = bank::deposit(
            &s,
            UserId::new(1),
            Chrons::new(50),
            &rules,
            &m("bank_deposit").key("dep-1"),
            t(7),
        )
        .await
        .unwrap();
        assert_eq!((b.wallet, b.bank), (Chrons::new(600), Chrons::new(400)));
    }
    for _ in 0..2 {
        let b = bank::withdraw(
            &s,
            UserId::new(1),
            Chrons::new(50),
            &rules,
            &m("bank_withdraw").key("wd-1"),
            t(7),
        )
        .await
        .unwrap();
        assert_eq!((b.wallet, b.bank), (Chrons::new(650), Chrons::new(350)));
    }
    assert_eq!(
        bank::balances(&s, UserId::new(1)).await.unwrap(),
        bank::Balances {
            wallet: Chrons::new(650),
            bank: Chrons::new(350)
        }
    );
    books_balance(&s).await;
}

async fn bank_interest_is_paid_once_per_period(db: TestDb) {
    let s = db.storage();
    // 1 % per day, cap 1,000,000.
    let rules = BankRules {
        rate_bp: 100,
        cap: Chrons::new(1_000_000),
        period_secs: 86_400,
    };
    let day = 86_400;
    for user in [1, 2] {
        economy::credit(
            &s,
            UserId::new(user),
            Chrons::new(10_000),
            &Memo::new("seed"),
        )
        .await
        .unwrap();
        bank::deposit(
            &s,
            UserId::new(user),
            Chrons::new(10_000),
            &rules,
            &Memo::new("deposit"),
            t(10),
        )
        .await
        .unwrap();
    }
    // Same period as the deposit: nothing due.
    let p = bank::pay_interest(&s, UserId::new(1), &rules, t(day - 1))
        .await
        .unwrap();
    assert_eq!(p.amount, 0);
    // One period later: nothing either, the deposit came during period 0 (not a whole period).
    let p = bank::pay_interest(&s, UserId::new(1), &rules, t(day + 5))
        .await
        .unwrap();
    assert_eq!(
        (p.amount, p.periods, p.bank),
        (Chrons::new(0), 1, Chrons::new(10_000))
    );
    // After the first whole period: 1 %.
    let p = bank::pay_interest(&s, UserId::new(1), &rules, t(2 * day + 5))
        .await
        .unwrap();
    assert_eq!(
        (p.amount, p.periods, p.bank),
        (Chrons::new(100), 1, Chrons::new(10_100))
    );
    // The same period again (the job ran twice): nothing.
    let p = bank::pay_interest(&s, UserId::new(1), &rules, t(2 * day + 50))
        .await
        .unwrap();
    assert_eq!(p.amount, 0);

    // A crash in the middle of paying: the transaction never commits, nothing is paid.
    let mut tx = s.begin().await.unwrap();
    let p = bank::pay_interest_in(&mut tx, UserId::new(2), &rules, t(2 * day + 7))
        .await
        .unwrap();
    assert_eq!(p.amount, 100);
    drop(tx);
    assert_eq!(
        bank::balances(&s, UserId::new(2)).await.unwrap().bank,
        10_000
    );

    // "Restart": a brand-new connection pool on the same database; the job runs for everyone.
    let url = match s.db() {
        Db::Sqlite(_) => format!("sqlite://{}", db.name()),
        Db::Postgres(_) => {
            let base = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
                chronix_storage::testing::DEFAULT_TEST_DATABASE_URL.to_string()
            });
            let (root, _) = base.rsplit_once('/').unwrap();
            format!("{root}/{}", db.name())
        }
    };
    let restarted = Storage::connect(&url, 4).await.unwrap();
    for _ in 0..2 {
        let (users, paid) = bank::pay_all_interest(&restarted, &rules, 1, t(2 * day + 60))
            .await
            .unwrap();
        assert_eq!(users, 2);
        assert!(paid == 100 || paid == 0, "{paid}");
    }
    assert_eq!(
        bank::balances(&s, UserId::new(1)).await.unwrap().bank,
        10_100
    );
    assert_eq!(
        bank::balances(&s, UserId::new(2)).await.unwrap().bank,
        10_100
    );
    // Two days later: two compounded periods at once (1 % of 10,100 then of 10,201).
    let p = bank::pay_interest(&restarted, UserId::new(1), &rules, t(4 * day))
        .await
        .unwrap();
    assert_eq!((p.amount, p.periods), (Chrons::new(101 + 102), 2));
    restarted.close().await;

    // Ledger: interest credited then deposited, each once per period, keyed.
    let keyed = scalar(
        &s,
        "SELECT COUNT(*) FROM transactions WHERE kind = 'interest' AND user_id = 1",
    )
    .await;
    assert_eq!(keyed, 2);
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 0);
    books_balance(&s).await;
}

/// Issue 9: empty the bank, wait, deposit just before the interest job: the waiting periods
/// earn nothing, and the deposit earns at most one period's interest.
async fn bank_interest_exploit_earns_nothing(db: TestDb) {
    let s = db.storage();
    // 1 % per day, cap 1,000,000.
    let rules = BankRules {
        rate_bp: 100,
        cap: Chrons::new(1_000_000),
        period_secs: 86_400,
    };
    let day = 86_400;
    economy::credit(&s, UserId::new(1), Chrons::new(100_000), &Memo::new("seed"))
        .await
        .unwrap();
    bank::deposit(
        &s,
        UserId::new(1),
        Chrons::new(1_000),
        &rules,
        &Memo::new("deposit"),
        t(10),
    )
    .await
    .unwrap();
    bank::withdraw(
        &s,
        UserId::new(1),
        Chrons::new(1_000),
        &rules,
        &Memo::new("withdraw"),
        t(20),
    )
    .await
    .unwrap();
    // Thirty days with an empty bank (the job skips empty banks), then a deposit one minute
    // before the job of day 30.
    let b = bank::deposit(
        &s,
        UserId::new(1),
        Chrons::new(90_000),
        &rules,
        &Memo::new("deposit"),
        t(30 * day - 60),
    )
    .await
    .unwrap();
    assert_eq!(
        (b.wallet, b.bank),
        (Chrons::new(10_000), Chrons::new(90_000))
    );
    let (_, paid) = bank::pay_all_interest(&s, &rules, 100, t(30 * day + 60))
        .await
        .unwrap();
    let one_period = 900; // 1 % of 90,000
    assert!(paid <= one_period, "the exploit paid {paid}");
    assert_eq!(
        paid, 0,
        "the deposit was not in the bank for a whole period"
    );
    // From now on the 90,000 earn: one whole period later, 1 %.
    let (_, paid) = bank::pay_all_interest(&s, &rules, 100, t(31 * day + 60))
        .await
        .unwrap();
    assert_eq!(paid, one_period);
    assert_eq!(
        bank::balances(&s, UserId::new(1)).await.unwrap(),
        bank::Balances {
            wallet: Chrons::new(10_000),
            bank: Chrons::new(90_900)
        }
    );
    books_balance(&s).await;
}

/// Money kept in the bank earns for every whole period, compounded, capped per settlement as
/// before; settling once after N periods or every period pays the same; a withdrawal lowers
/// what the open period pays on.
async fn bank_interest_for_whole_periods(db: TestDb) {
    let s = db.storage();
    let rules = BankRules {
        rate_bp: 100,
        cap: Chrons::new(1_000_000),
        period_secs: 86_400,
    };
    let day = 86_400;
    for user in [1, 2, 3, 4] {
        economy::credit(
            &s,
            UserId::new(user),
            Chrons::new(10_000),
            &Memo::new("seed"),
        )
        .await
        .unwrap();
        bank::deposit(
            &s,
            UserId::new(user),
            Chrons::new(10_000),
            &rules,
            &Memo::new("deposit"),
            t(10),
        )
        .await
        .unwrap();
    }
    // User 1 settles every day, user 2 once after four days: the deposit day (period 0) was
    // partial, periods 1, 2 and 3 were whole: 1 % compounded = 100 + 101 + 102.
    let mut paid_daily = Chrons::ZERO;
    for d in 1..=4 {
        paid_daily += bank::pay_interest(&s, UserId::new(1), &rules, t(d * day + 5))
            .await
            .unwrap()
            .amount;
    }
    assert_eq!(paid_daily, 303);
    let p = bank::pay_interest(&s, UserId::new(2), &rules, t(4 * day + 5))
        .await
        .unwrap();
    assert_eq!(
        (p.amount, p.periods, p.bank),
        (Chrons::new(303), 4, Chrons::new(10_303))
    );
    // The cap still limits one settlement.
    let capped = BankRules {
        cap: Chrons::new(150),
        ..rules
    };
    let p = bank::pay_interest(&s, UserId::new(3), &capped, t(4 * day + 5))
        .await
        .unwrap();
    assert_eq!((p.amount, p.bank), (Chrons::new(150), Chrons::new(10_150)));
    // User 4 withdraws 4,000 on day 2 (settling periods 0 and 1 first: 100): day 2 pays only on
    // the 6,100 that stayed all period.
    let w = bank::withdraw(
        &s,
        UserId::new(4),
        Chrons::new(4_000),
        &rules,
        &Memo::new("withdraw"),
        t(2 * day + 5),
    )
    .await
    .unwrap();
    assert_eq!((w.wallet, w.bank), (Chrons::new(4_000), Chrons::new(6_100)));
    let p = bank::pay_interest(&s, UserId::new(4), &rules, t(3 * day + 5))
        .await
        .unwrap();
    assert_eq!((p.amount, p.bank), (Chrons::new(61), Chrons::new(6_161)));
    for user in [1, 2, 3, 4] {
        assert!(
            economy::ledger_replay(&s, UserId::new(user))
                .await
                .unwrap()
                .is_consistent()
        );
    }
    books_balance(&s).await;
}

// ------------------------------------------------------------------------------------------
// Claims

async fn daily_streak_is_stored_and_enforced(db: TestDb) {
    let s = db.storage();
    let rules = DailyRules::default();
    let day = 86_400;
    let d1 = claims::daily(
        &s,
        UserId::new(1),
        &rules,
        Some(GuildId::new(5)),
        t(10 * 3600),
    )
    .await
    .unwrap();
    assert_eq!((d1.claim.reward, d1.claim.streak), (Chrons::new(500), 1));
    assert_eq!(d1.applied.entry.kind, "daily");
    // Same day: refused, nothing changes.
    let rows = ledger_rows(&s).await;
    let err = claims::daily(&s, UserId::new(1), &rules, None, t(23 * 3600))
        .await
        .unwrap_err();
    match err {
        StorageError::Refused(Refusal::OnCooldown {
            expires_at,
            remaining,
        }) => {
            assert_eq!(expires_at, t(day));
            assert_eq!(remaining, std::time::Duration::from_secs(3600));
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(ledger_rows(&s).await, rows);
    // Next day: streak 2.
    let d2 = claims::daily(&s, UserId::new(1), &rules, None, t(day + 60))
        .await
        .unwrap();
    assert_eq!((d2.claim.reward, d2.claim.streak), (Chrons::new(550), 2));
    let st = claims::state(&s, UserId::new(1)).await.unwrap();
    assert_eq!((st.daily.streak, st.best_streak), (2, 2));
    assert_eq!(st.daily.last_claim, Some(t(day + 60)));
    // Skip a day: reset to 1, best streak kept.
    let d3 = claims::daily(&s, UserId::new(1), &rules, None, t(3 * day + 60))
        .await
        .unwrap();
    assert_eq!(
        (d3.claim.reward, d3.claim.streak, d3.claim.streak_lost),
        (Chrons::new(500), 1, true)
    );
    assert_eq!(d3.best_streak, 2);
    // Seeded state (a 9-day streak claimed yesterday): day 10 pays the bonus.
    claims::set_state(
        &s,
        UserId::new(2),
        &ClaimState {
            daily: chronix_core::economy::StreakState {
                last_claim: Some(t(3 * day + 5)),
                streak: 9,
            },
            best_streak: 9,
            weekly_last_claim: None,
        },
        t(3 * day + 5),
    )
    .await
    .unwrap();
    let d = claims::daily(&s, UserId::new(2), &rules, None, t(4 * day + 5))
        .await
        .unwrap();
    assert_eq!(
        (d.claim.streak, d.claim.reward),
        (10, Chrons::new(500 + 9 * 50))
    );
    assert_eq!(
        economy::balance(&s, UserId::new(1)).await.unwrap(),
        500 + 550 + 500
    );
    // Racing claims on the same day: exactly one pays.
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            claims::daily(&s, UserId::new(3), &DailyRules::default(), None, t(10)).await
        }));
    }
    let mut paid = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => paid += 1,
            Err(StorageError::Refused(Refusal::OnCooldown { .. })) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(paid, 1);
    assert_eq!(economy::balance(&s, UserId::new(3)).await.unwrap(), 500);
    books_balance(&s).await;
}

async fn weekly_and_timed_earners(db: TestDb) {
    let s = db.storage();
    // 2026-01-01 is a Thursday; the next week starts on Monday 2026-01-05.
    let w = claims::weekly(&s, UserId::new(1), &WeeklyRules::default(), 0, None, t(0))
        .await
        .unwrap();
    assert_eq!(w.claim.reward, 5_000);
    assert!(matches!(
        claims::weekly(
            &s,
            UserId::new(1),
            &WeeklyRules::default(),
            0,
            None,
            t(3 * 86_400)
        )
        .await,
        Err(StorageError::Refused(Refusal::OnCooldown { .. }))
    ));
    assert!(
        claims::weekly(
            &s,
            UserId::new(1),
            &WeeklyRules::default(),
            0,
            None,
            t(4 * 86_400)
        )
        .await
        .is_ok()
    );

    let memo = Memo::new("work").kind("work").at(t(0));
    let e = claims::earn(
        &s,
        UserId::new(2),
        "work",
        Duration::hours(1),
        Chrons::new(250),
        &memo,
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(e.ready_at, t(3600));
    assert_eq!(e.applied.unwrap().balance_after(), 250);
    let err = claims::earn(
        &s,
        UserId::new(2),
        "work",
        Duration::hours(1),
        Chrons::new(250),
        &memo,
        t(60),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, StorageError::Refused(Refusal::OnCooldown { expires_at, .. }) if expires_at == t(3600))
    );
    // Beg that got nothing still starts the cooldown and writes no ledger row.
    let rows = ledger_rows(&s).await;
    let e = claims::earn(
        &s,
        UserId::new(2),
        "beg",
        Duration::minutes(5),
        Chrons::new(0),
        &memo,
        t(0),
    )
    .await
    .unwrap();
    assert!(e.applied.is_none());
    assert_eq!(ledger_rows(&s).await, rows);
    assert!(
        claims::earn(
            &s,
            UserId::new(2),
            "beg",
            Duration::minutes(5),
            Chrons::new(10),
            &memo,
            t(299)
        )
        .await
        .is_err()
    );
    assert!(
        claims::earn(
            &s,
            UserId::new(2),
            "beg",
            Duration::minutes(5),
            Chrons::new(10),
            &memo,
            t(300)
        )
        .await
        .is_ok()
    );
    assert_eq!(economy::balance(&s, UserId::new(2)).await.unwrap(), 260);
    books_balance(&s).await;
}

// ------------------------------------------------------------------------------------------
// Shop, market, trade

async fn shop_buy_and_sell(db: TestDb) {
    let s = db.storage();
    with_items(&s).await;
    economy::credit(&s, UserId::new(1), Chrons::new(1_000), &Memo::new("seed"))
        .await
        .unwrap();
    let d = shop::buy(&s, UserId::new(1), "pet_treat", 5, 600, None, t(1))
        .await
        .unwrap();
    assert_eq!((d.applied.balance_after(), d.owned), (Chrons::new(400), 5));
    // Too poor: nothing changes.
    let err = shop::buy(&s, UserId::new(1), "pet_treat", 5, 600, None, t(2))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StorageError::Refused(Refusal::InsufficientFunds { .. })
    ));
    assert_eq!(items_of(&s, 1, "pet_treat").await, 5);
    // Unknown item: nothing changes (the debit is rolled back).
    assert!(
        shop::buy(&s, UserId::new(1), "no_such_item", 1, 10, None, t(2))
            .await
            .is_err()
    );
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 400);
    let d = shop::sell(&s, UserId::new(1), "pet_treat", 2, 60, None, t(3))
        .await
        .unwrap();
    assert_eq!((d.applied.balance_after(), d.owned), (Chrons::new(460), 3));
    let err = shop::sell(&s, UserId::new(1), "pet_treat", 4, 120, None, t(4))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StorageError::Refused(Refusal::NotEnoughItems { .. })
    ));
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 460);
    books_balance(&s).await;
}

async fn market_list_cancel_and_refusals(db: TestDb) {
    let s = db.storage();
    with_items(&s).await;
    give_item(&s, 1, "time_shard", 10).await;
    let l = market::list(&s, UserId::new(1), "time_shard", 4, Chrons::new(300), t(1))
        .await
        .unwrap();
    assert_eq!(
        (l.status.as_str(), l.quantity, l.price),
        ("open", 4, Chrons::new(300))
    );
    assert_eq!(
        items_of(&s, 1, "time_shard").await,
        6,
        "items held in escrow"
    );
    assert!(matches!(
        market::list(&s, UserId::new(1), "time_shard", 7, Chrons::new(300), t(1)).await,
        Err(StorageError::Refused(Refusal::NotEnoughItems { .. }))
    ));
    assert_eq!(
        refusal(market::buy(&s, UserId::new(1), l.id, None, t(2)).await),
        Refusal::Market(MarketRefusal::OwnListing)
    );
    assert_eq!(
        refusal(market::cancel(&s, UserId::new(2), l.id, t(2)).await),
        Refusal::Market(MarketRefusal::NotYours(l.id))
    );
    // A buyer without the money: refused, listing still open.
    assert!(matches!(
        market::buy(&s, UserId::new(2), l.id, None, t(3)).await,
        Err(StorageError::Refused(Refusal::InsufficientFunds { .. }))
    ));
    assert_eq!(market::get(&s, l.id).await.unwrap().unwrap().status, "open");
    assert_eq!(
        market::open_listings(&s, None, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let c = market::cancel(&s, UserId::new(1), l.id, t(4))
        .await
        .unwrap();
    assert_eq!(c.status, "cancelled");
    assert_eq!(items_of(&s, 1, "time_shard").await, 10);
    assert_eq!(
        refusal(market::cancel(&s, UserId::new(1), l.id, t(5)).await),
        Refusal::Market(MarketRefusal::Closed(l.id))
    );
    assert_eq!(
        refusal(market::buy(&s, UserId::new(2), 999, None, t(5)).await),
        Refusal::Market(MarketRefusal::NotFound(999))
    );
    assert!(
        market::open_listings(&s, Some("time_shard"), None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn market_double_buy_race(db: TestDb) {
    let s = db.storage();
    with_items(&s).await;
    give_item(&s, 1, "basic_crate", 1).await;
    let l = market::list(
        &s,
        UserId::new(1),
        "basic_crate",
        1,
        Chrons::new(1_000),
        t(1),
    )
    .await
    .unwrap();
    let buyers: Vec<i64> = (100..110).collect();
    for b in &buyers {
        economy::credit(
            &s,
            UserId::from_db(*b),
            Chrons::new(1_500),
            &Memo::new("seed"),
        )
        .await
        .unwrap();
    }
    let start = Arc::new(tokio::sync::Barrier::new(buyers.len()));
    let mut tasks = Vec::new();
    for b in buyers.clone() {
        let (s, start) = (s.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            (
                b,
                market::buy(&s, UserId::from_db(b), l.id, None, t(2)).await,
            )
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        let (b, r) = task.await.unwrap();
        match r {
            Ok(sold) => {
                assert_eq!(sold.listing.buyer(), Some(UserId::from_db(b)));
                winners.push(b);
            }
            Err(StorageError::Refused(Refusal::Market(MarketRefusal::Closed(_)))) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one buyer wins");
    let w = winners[0];
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 1_000);
    for b in buyers {
        let (money, items) = if b == w { (500, 1) } else { (1_500, 0) };
        assert_eq!(
            economy::balance(&s, UserId::from_db(b)).await.unwrap(),
            money
        );
        assert_eq!(items_of(&s, b, "basic_crate").await, items);
    }
    let l = market::get(&s, l.id).await.unwrap().unwrap();
    assert_eq!(
        (l.status.as_str(), l.buyer()),
        ("sold", Some(UserId::from_db(w)))
    );
    books_balance(&s).await;
}

async fn trade_swaps_atomically(db: TestDb) {
    let s = db.storage();
    with_items(&s).await;
    economy::credit(&s, UserId::new(1), Chrons::new(1_000), &Memo::new("seed"))
        .await
        .unwrap();
    give_item(&s, 2, "golden_net", 2).await;
    let new = NewTrade {
        initiator_id: UserId::new(1),
        partner_id: UserId::new(2),
        initiator_offer: Offer {
            chrons: Chrons::new(700),
            item: None,
        },
        partner_offer: Offer {
            chrons: Chrons::new(0),
            item: Some(("golden_net".into(), 2)),
        },
        guild_id: None,
        ttl: Duration::minutes(5),
    };
    // Self-trade and empty trades are refused.
    assert!(matches!(
        trade::propose(
            &s,
            &NewTrade {
                partner_id: UserId::new(1),
                ..new.clone()
            },
            t(0)
        )
        .await,
        Err(StorageError::Refused(Refusal::SelfTransfer))
    ));
    let tr = trade::propose(&s, &new, t(0)).await.unwrap();
    assert_eq!(
        refusal(trade::confirm(&s, tr.id, UserId::new(3), t(1)).await),
        Refusal::Trade(TradeRefusal::NotAParty)
    );
    let c = trade::confirm(&s, tr.id, UserId::new(1), t(1))
        .await
        .unwrap();
    assert!(!c.executed && c.trade.initiator_confirmed);
    assert_eq!(
        economy::balance(&s, UserId::new(1)).await.unwrap(),
        1_000,
        "nothing moves yet"
    );

    // Player 1 spends the money before player 2 confirms: the swap fails, nothing moves,
    // the confirmation is not recorded.
    economy::debit(&s, UserId::new(1), Chrons::new(400), &Memo::new("spent"))
        .await
        .unwrap();
    let err = trade::confirm(&s, tr.id, UserId::new(2), t(2))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StorageError::Refused(Refusal::InsufficientFunds { .. })
        ),
        "{err:?}"
    );
    assert_eq!(items_of(&s, 2, "golden_net").await, 2);
    assert_eq!(items_of(&s, 1, "golden_net").await, 0);
    let tr2 = trade::get(&s, tr.id).await.unwrap().unwrap();
    assert_eq!(
        (tr2.status.as_str(), tr2.partner_confirmed),
        ("open", false)
    );

    // Money back; both confirm concurrently many times: executed exactly once.
    economy::credit(&s, UserId::new(1), Chrons::new(400), &Memo::new("back"))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let s = s.clone();
        let who = if i % 2 == 0 { 2 } else { 1 };
        tasks.push(tokio::spawn(async move {
            trade::confirm(&s, tr.id, UserId::new(who), t(3)).await
        }));
    }
    let mut executed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(c) if c.executed => executed += 1,
            Ok(_) | Err(StorageError::Refused(Refusal::Trade(TradeRefusal::Closed))) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(executed, 1);
    assert_eq!(economy::balance(&s, UserId::new(1)).await.unwrap(), 300);
    assert_eq!(economy::balance(&s, UserId::new(2)).await.unwrap(), 700);
    assert_eq!(items_of(&s, 1, "golden_net").await, 2);
    assert_eq!(items_of(&s, 2, "golden_net").await, 0);
    assert_eq!(trade::get(&s, tr.id).await.unwrap().unwrap().status, "done");
    assert_eq!(
        refusal(trade::cancel(&s, tr.id, UserId::new(1), t(4)).await),
        Refusal::Trade(TradeRefusal::Closed)
    );
    // Expired trades cannot be confirmed.
    let tr = trade::propose(&s, &new, t(10)).await.unwrap();
    assert_eq!(
        refusal(trade::confirm(&s, tr.id, UserId::new(1), t(10 + 301)).await),
        Refusal::Trade(TradeRefusal::Expired)
    );
    books_balance(&s).await;
}

// ------------------------------------------------------------------------------------------
// Leaderboards

async fn leaderboard_keyset_pages_match_offsets(db: TestDb) {
    let s = db.storage();
    // 40 players, many ties; every other one is a member of guild 9.
    for u in 1..=40i64 {
        economy::credit(
            &s,
            UserId::from_db(u),
            Chrons::new(100 * ((u * 7) % 9 + 1)),
            &Memo::new("seed"),
        )
        .await
        .unwrap();
        if u % 2 == 0 {
            guild_users::get_or_create(&s, GuildId::new(9), UserId::from_db(u))
                .await
                .unwrap();
        }
    }
    let per = 7;
    for scope in [Scope::Global, Scope::Guild(GuildId::new(9))] {
        let all: Vec<(i64, i64)> = match scope {
            Scope::Global => leaderboard::global_top(&s, Metric::Chrons, 100, 0)
                .await
                .unwrap(),
            Scope::Guild(g) => rankings::guild_top_by(&s, Metric::Chrons, g, 100, 0)
                .await
                .unwrap(),
        }
        .into_iter()
        .map(|e| (e.user_id.to_db(), e.score))
        .collect();
        assert_eq!(all.len(), if scope == Scope::Global { 40 } else { 20 });
        // Forward by cursor.
        let mut pages: Vec<Vec<(i64, i64)>> = Vec::new();
        let mut at = Page::First;
        loop {
            let rows = rankings::page(&s, Metric::Chrons, scope, at, per)
                .await
                .unwrap();
            if rows.is_empty() {
                break;
            }
            let (user_id, score) = *rows.last().unwrap();
            at = Page::After(Cursor {
                score,
                user_id: UserId::from_db(user_id),
            });
            pages.push(rows);
        }
        assert_eq!(pages.concat(), all, "{scope:?}");
        // Backward from the last page reproduces the same pages.
        for i in (1..pages.len()).rev() {
            let (user_id, score) = pages[i][0];
            let prev = rankings::page(
                &s,
                Metric::Chrons,
                scope,
                Page::Before(Cursor {
                    score,
                    user_id: UserId::from_db(user_id),
                }),
                per,
            )
            .await
            .unwrap();
            assert_eq!(prev, pages[i - 1], "{scope:?} page {i}");
        }
        // The count, and the last page read from the bottom.
        let count = rankings::count(&s, Metric::Chrons, scope).await.unwrap();
        assert_eq!(count, all.len() as i64, "{scope:?}");
        let last_len = count - (pages.len() as i64 - 1) * per;
        let last = rankings::page(&s, Metric::Chrons, scope, Page::Last(last_len), per)
            .await
            .unwrap();
        assert_eq!(&last, pages.last().unwrap(), "{scope:?} last page");
    }
    // Server level ranks guild XP; nobody has any yet.
    assert!(
        rankings::page(
            &s,
            Metric::GlobalXp,
            Scope::Guild(GuildId::new(9)),
            Page::First,
            5
        )
        .await
        .unwrap()
        .is_empty()
    );
}
