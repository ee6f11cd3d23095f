//! Autohunt sessions and the scheduler batch (`autohunt::process_due`), on both backends, plus
//! the multi-worker exactly-once test on Postgres.

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use std::collections::HashMap;

use chronix_core::autohunt::{AutohuntError, AutohuntRules, Trait, tick_outcome};
use chronix_core::items::Loot;
use chronix_core::tables::Tables;
use chronix_core::xp::XpCurve;
use chronix_storage::autohunt::{self, TickRules};
use chronix_storage::economy::{self, Memo};
use chronix_storage::{Refusal, Storage, StorageError, guild_settings, hunt, inventory};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::{exec, refusal, scalar, t, tables};

both!(
    candidates_due_not_due_disabled,
    process_due_applies_exact_effects,
    insufficient_funds_disables_the_session,
    aborted_batch_changes_nothing,
    enable_disable_upgrade_and_live_message,
    sessions_pause_while_their_server_disables_the_module,
    a_lost_live_channel_is_forgotten_and_the_session_keeps_running,
);

async fn fund(s: &Storage, user: i64, amount: i64) {
    economy::credit(
        s,
        UserId::from_db(user),
        Chrons::new(amount),
        &Memo::new("seed").kind("seed"),
    )
    .await
    .unwrap();
}

struct Ctx {
    rules: AutohuntRules,
    tables: Tables,
    curve: XpCurve,
    pets: chronix_core::pets::PetRules,
}

impl Ctx {
    fn new() -> Self {
        Ctx {
            rules: AutohuntRules::default(),
            tables: tables(),
            curve: XpCurve::default(),
            pets: chronix_core::pets::PetRules::shipped(&tables()).unwrap(),
        }
    }
    fn tick(&self) -> TickRules<'_> {
        TickRules {
            rules: &self.rules,
            tables: &self.tables,
            curve: &self.curve,
            pets: Some(&self.pets),
            clans: None,
        }
    }
}

async fn candidates_due_not_due_disabled(s: Storage) {
    let c = Ctx::new();
    // The first run is due one interval (600 s) after enabling.
    autohunt::enable(&s, UserId::new(1), None, None, &c.rules, t(-600))
        .await
        .unwrap();
    autohunt::enable(&s, UserId::new(2), None, None, &c.rules, t(-500))
        .await
        .unwrap();
    autohunt::enable(&s, UserId::new(3), None, None, &c.rules, t(-600))
        .await
        .unwrap();
    autohunt::disable(&s, UserId::new(3), t(1))
        .await
        .unwrap()
        .unwrap();
    assert!(
        autohunt::disable(&s, UserId::new(4), t(1))
            .await
            .unwrap()
            .is_none()
    );
    let ids =
        |v: Vec<autohunt::Session>| v.into_iter().map(|s| s.user_id.get()).collect::<Vec<_>>();
    assert_eq!(ids(autohunt::due(&s, t(50), 10).await.unwrap()), vec![1]);
    assert_eq!(
        ids(autohunt::due(&s, t(100), 10).await.unwrap()),
        vec![1, 2]
    );
    assert_eq!(ids(autohunt::due(&s, t(100), 1).await.unwrap()), vec![1]);
    assert!(autohunt::due(&s, t(-1), 10).await.unwrap().is_empty());
    // process_due claims exactly the due ones (nobody can pay: both get disabled).
    let b = autohunt::process_due(&s, t(50), 10, c.tick(), &mut StdRng::seed_from_u64(1))
        .await
        .unwrap();
    assert_eq!(
        b.disabled
            .iter()
            .map(|d| d.session.user_id.get())
            .collect::<Vec<_>>(),
        vec![1]
    );
    assert!(b.runs.is_empty());
}

async fn process_due_applies_exact_effects(s: Storage) {
    let c = Ctx::new();
    inventory::sync_definitions(&s, &c.tables).await.unwrap();
    let users: Vec<i64> = (1..=12).collect();
    for &u in &users {
        fund(&s, u, 1_000).await;
        // Distinct due times: the batch runs them in next_run_at order.
        autohunt::enable(
            &s,
            UserId::from_db(u),
            None,
            None,
            &c.rules,
            t(u - 13 - 600),
        )
        .await
        .unwrap();
    }
    // Replay the same draws in the same order (next_run_at) to know the exact outcome.
    let mut replay = StdRng::seed_from_u64(42);
    let mut expected = HashMap::new();
    for &u in &users {
        let sess = autohunt::get(&s, UserId::from_db(u))
            .await
            .unwrap()
            .unwrap()
            .core();
        let o = tick_outcome(&sess, Chrons::new(1_000), &c.rules, &c.tables, &mut replay).unwrap();
        expected.insert(u, o);
    }
    let ledger_before = scalar(&s, "SELECT COUNT(*) FROM transactions").await;
    let batch = autohunt::process_due(&s, t(5), 100, c.tick(), &mut StdRng::seed_from_u64(42))
        .await
        .unwrap();
    assert_eq!(batch.runs.len(), 12);
    assert!(batch.disabled.is_empty());
    let interval = c.rules.base_interval_secs as i64;
    for run in &batch.runs {
        let u = run.session.user_id;
        let o = &expected[&u.to_db()];
        assert_eq!(&run.outcome, o, "user {u}");
        assert_eq!(o.cost, 42, "level 1: 40 + 2");
        let net = o.chrons_earned - o.cost;
        assert_ne!(net, 0, "1 roll earns at most 41 < 42");
        assert_eq!(run.balance_after, Chrons::new(1_000) + net);
        assert_eq!(
            economy::balance(&s, u).await.unwrap(),
            Chrons::new(1_000) + net
        );
        let hist = economy::history(&s, u, 10, None).await.unwrap();
        assert_eq!(hist.len(), 2, "seed + one autohunt row");
        assert_eq!(
            (
                hist[0].change,
                hist[0].balance_after,
                hist[0].kind.as_str(),
                hist[0].created_at
            ),
            (net, Chrons::new(1_000) + net, "autohunt", t(5))
        );
        let sess = autohunt::get(&s, u).await.unwrap().unwrap();
        assert_eq!(sess, run.session, "returned session = stored session");
        assert_eq!(
            (
                sess.essence,
                sess.total_essence,
                sess.total_runs,
                sess.total_spent,
                sess.total_earned
            ),
            (
                o.essence_gained,
                o.essence_gained,
                1,
                Chrons::new(42),
                o.chrons_earned
            )
        );
        assert_eq!(
            (sess.cycle_runs, sess.cycle_spent, sess.cycle_earned),
            (1, Chrons::new(42), o.chrons_earned)
        );
        assert_eq!(
            (sess.last_run, sess.next_run_at),
            (Some(t(5)), Some(t(5 + interval)))
        );
        assert_eq!(sess.last_loot(), o.loot);
        assert_eq!((sess.last_xp, sess.last_earned), (o.xp, o.chrons_earned));
        let inv = inventory::list(&s, u).await.unwrap();
        let creatures = o
            .loot
            .iter()
            .filter(|l| matches!(l, Loot::Creature(_)))
            .count() as i64;
        let gems = o.loot.iter().filter(|l| matches!(l, Loot::Gem(_))).count();
        let crates = o
            .loot
            .iter()
            .filter(|l| matches!(l, Loot::Crate { .. }))
            .count();
        assert_eq!(
            inv.stacks
                .iter()
                .filter(|st| st.item_type == inventory::CREATURE)
                .map(|st| st.quantity)
                .sum::<i64>(),
            creatures
        );
        assert_eq!((inv.gems.len(), inv.crate_total()), (gems, crates as i64));
        assert!(
            hunt::stats(&s, u).await.unwrap().is_none(),
            "hunt_stats counts manual hunts only"
        );
        assert_eq!(
            scalar(&s, &format!("SELECT global_xp FROM users WHERE id = {u}")).await,
            o.xp
        );
    }
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM transactions").await,
        ledger_before + 12
    );
    // Not due again before the interval; due after it.
    let again = autohunt::process_due(
        &s,
        t(4 + interval),
        100,
        c.tick(),
        &mut StdRng::seed_from_u64(7),
    )
    .await
    .unwrap();
    assert_eq!(again.claimed(), 0);
    let again = autohunt::process_due(
        &s,
        t(5 + interval),
        5,
        c.tick(),
        &mut StdRng::seed_from_u64(7),
    )
    .await
    .unwrap();
    assert_eq!(again.runs.len(), 5, "batch limit");
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    for &u in &users {
        assert!(
            economy::ledger_replay(&s, UserId::from_db(u))
                .await
                .unwrap()
                .is_consistent()
        );
    }
}

async fn insufficient_funds_disables_the_session(s: Storage) {
    let c = Ctx::new();
    inventory::sync_definitions(&s, &c.tables).await.unwrap();
    fund(&s, 1, 41).await; // one short of 42
    fund(&s, 2, 42).await; // exactly enough
    for u in [1, 2] {
        autohunt::enable(
            &s,
            UserId::new(u),
            Some(ChannelId::new(500)),
            None,
            &c.rules,
            t(-600),
        )
        .await
        .unwrap();
    }
    let b = autohunt::process_due(&s, t(0), 10, c.tick(), &mut StdRng::seed_from_u64(3))
        .await
        .unwrap();
    assert_eq!(
        b.runs
            .iter()
            .map(|r| r.session.user_id.get())
            .collect::<Vec<_>>(),
        vec![2]
    );
    assert_eq!(b.disabled.len(), 1);
    let d = &b.disabled[0];
    assert_eq!(
        (d.session.user_id, d.cost, d.balance),
        (UserId::new(1), Chrons::new(42), Chrons::new(41))
    );
    assert_eq!(
        d.session.live_channel(),
        Some(ChannelId::new(500)),
        "the bot knows where to tell the player"
    );
    let one = autohunt::get(&s, UserId::new(1)).await.unwrap().unwrap();
    assert_eq!(
        (
            one.enabled,
            one.next_run_at,
            one.total_runs,
            one.disabled_reason.as_deref()
        ),
        (false, None, 0, Some(autohunt::INSUFFICIENT_FUNDS))
    );
    assert_eq!(
        economy::balance(&s, UserId::new(1)).await.unwrap(),
        41,
        "nothing charged"
    );
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM transactions WHERE user_id = 1").await,
        1
    );
    assert_eq!(b.runs[0].balance_after, b.runs[0].outcome.chrons_earned);
    // Re-enabling clears the reason.
    let again = autohunt::enable(&s, UserId::new(1), None, None, &c.rules, t(10))
        .await
        .unwrap();
    assert_eq!((again.enabled, again.disabled_reason), (true, None));
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn snapshot(s: &Storage) -> Vec<i64> {
    let mut v = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM transactions",
        "SELECT COALESCE(CAST(SUM(chrons) AS BIGINT), 0) FROM users",
        "SELECT COALESCE(CAST(SUM(global_xp) AS BIGINT), 0) FROM users",
        "SELECT COUNT(*) FROM user_items",
        "SELECT COUNT(*) FROM gems",
        "SELECT COALESCE(CAST(SUM(quantity) AS BIGINT), 0) FROM user_items",
        "SELECT COUNT(*) FROM hunt_stats",
        "SELECT COALESCE(CAST(SUM(total_runs) AS BIGINT), 0) FROM autohunt_sessions",
        "SELECT COALESCE(CAST(SUM(essence) AS BIGINT), 0) FROM autohunt_sessions",
        "SELECT COUNT(*) FROM autohunt_sessions WHERE enabled AND last_run IS NULL",
    ] {
        v.push(scalar(s, sql).await);
    }
    v
}

async fn aborted_batch_changes_nothing(s: Storage) {
    let c = Ctx::new();
    inventory::sync_definitions(&s, &c.tables).await.unwrap();
    for u in 1..=20 {
        fund(&s, u, 500).await;
        autohunt::enable(&s, UserId::from_db(u), None, None, &c.rules, t(-600))
            .await
            .unwrap();
    }
    let before = snapshot(&s).await;
    // 1. The transaction is dropped after the whole batch ran in it (a crash before commit).
    {
        let mut tx = s.begin().await.unwrap();
        let b =
            autohunt::process_due_in(&mut tx, t(1), 100, c.tick(), &mut StdRng::seed_from_u64(9))
                .await
                .unwrap();
        assert_eq!(b.runs.len(), 20);
        drop(tx);
    }
    assert_eq!(snapshot(&s).await, before);
    // 2. An error half-way: balances, ledger rows, XP, stats and sessions are written, then the
    //    creature grant fails (definitions gone). The whole batch is rolled back.
    exec(&s, "DELETE FROM item_definitions").await.unwrap();
    let err = autohunt::process_due(&s, t(1), 100, c.tick(), &mut StdRng::seed_from_u64(9))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::NotFound(_)), "{err:?}");
    assert_eq!(snapshot(&s).await, before);
    assert_eq!(
        autohunt::due(&s, t(1), 100).await.unwrap().len(),
        20,
        "all still due"
    );
    // And the next tick (definitions back) runs them exactly once.
    inventory::sync_definitions(&s, &c.tables).await.unwrap();
    let b = autohunt::process_due(&s, t(2), 100, c.tick(), &mut StdRng::seed_from_u64(9))
        .await
        .unwrap();
    assert_eq!(b.runs.len(), 20);
    assert_eq!(
        scalar(
            &s,
            "SELECT COUNT(*) FROM transactions WHERE kind = 'autohunt'"
        )
        .await,
        20
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn enable_disable_upgrade_and_live_message(s: Storage) {
    let c = Ctx::new();
    let sess = autohunt::enable(
        &s,
        UserId::new(1),
        Some(ChannelId::new(10)),
        None,
        &c.rules,
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(
        (sess.enabled, sess.level, sess.cost, sess.next_run_at),
        (true, 1, Chrons::new(42), Some(t(600)))
    );
    autohunt::set_live_message(
        &s,
        UserId::new(1),
        Some((ChannelId::new(10), MessageId::new(777))),
        t(1),
    )
    .await
    .unwrap();
    // Same channel: the live message is kept; another channel: forgotten.
    let sess = autohunt::enable(
        &s,
        UserId::new(1),
        Some(ChannelId::new(10)),
        None,
        &c.rules,
        t(2),
    )
    .await
    .unwrap();
    assert_eq!(sess.live_message(), Some(MessageId::new(777)));
    let sess = autohunt::enable(
        &s,
        UserId::new(1),
        Some(ChannelId::new(11)),
        None,
        &c.rules,
        t(3),
    )
    .await
    .unwrap();
    assert_eq!(
        (sess.live_channel(), sess.live_message()),
        (Some(ChannelId::new(11)), None)
    );
    let off = autohunt::disable(&s, UserId::new(1), t(4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((off.enabled, off.next_run_at), (false, None));

    // Upgrades spend essence; refusals change nothing.
    assert_eq!(
        refusal(autohunt::upgrade(&s, UserId::new(1), Trait::Thrift, &c.rules, t(5)).await),
        Refusal::Autohunt(AutohuntError::NotEnoughEssence {
            needed: 40,
            have: 0
        })
    );
    exec(
        &s,
        "UPDATE autohunt_sessions SET essence = 100 WHERE user_id = 1",
    )
    .await
    .unwrap();
    let (up, sess) = autohunt::upgrade(&s, UserId::new(1), Trait::Thrift, &c.rules, t(6))
        .await
        .unwrap();
    assert_eq!((up.new_level, up.cost), (1, 40));
    assert_eq!((sess.essence, sess.traits.0.thrift), (60, 1));
    assert_eq!(sess.cost, 39, "42 × 94 %");
    assert_eq!(
        autohunt::get(&s, UserId::new(1)).await.unwrap().unwrap(),
        sess
    );
    assert!(matches!(
        autohunt::upgrade(&s, UserId::new(99), Trait::Tempo, &c.rules, t(7)).await,
        Err(StorageError::NotFound(_))
    ));
}

/// Two workers (two pools, as two bot processes) share one Postgres database with 10,000 due
/// sessions: every session runs exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_process_10000_sessions_exactly_once_postgres() {
    let db = chronix_storage::testing::fresh_postgres_with(4).await;
    let c = std::sync::Arc::new(Ctx::new());
    inventory::sync_definitions(&db, &c.tables).await.unwrap();
    autohunt::seed_due_sessions(&db, 1, 10_000, 1_000, t(0))
        .await
        .unwrap();
    let other = db.storage(); // a second handle: its own connections
    let mut workers = Vec::new();
    for (w, storage) in [db.storage(), other].into_iter().enumerate() {
        let c = c.clone();
        workers.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(w as u64);
            let mut claimed = 0usize;
            loop {
                let b = autohunt::process_due(&storage, t(10), 250, c.tick(), &mut rng)
                    .await
                    .unwrap();
                if b.claimed() == 0 {
                    break claimed;
                }
                claimed += b.claimed();
            }
        }));
    }
    let mut per_worker = Vec::new();
    for w in workers {
        per_worker.push(w.await.unwrap());
    }
    assert_eq!(per_worker.iter().sum::<usize>(), 10_000, "{per_worker:?}");
    assert!(
        per_worker.iter().all(|&n| n > 0),
        "both workers took part: {per_worker:?}"
    );
    let s: &Storage = &db;
    assert_eq!(
        scalar(
            s,
            "SELECT COUNT(*) FROM transactions WHERE kind = 'autohunt'"
        )
        .await,
        10_000
    );
    assert_eq!(
        scalar(
            s,
            "SELECT COUNT(*) FROM (SELECT user_id FROM transactions WHERE kind = 'autohunt' \
             GROUP BY user_id HAVING COUNT(*) <> 1) x"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            s,
            "SELECT COUNT(*) FROM autohunt_sessions WHERE total_runs <> 1"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(s, "SELECT COUNT(*) FROM users WHERE chrons < 0").await,
        0
    );
    assert!(economy::reconcile(s).await.unwrap().is_empty());
}

/// Issue 9: `module disable gameplay` on the session's server pauses it (not claimed, not
/// charged); enabling the module again lifts the pause; each pause is reported once.
async fn sessions_pause_while_their_server_disables_the_module(s: Storage) {
    let c = Ctx::new();
    inventory::sync_definitions(&s, &c.tables).await.unwrap();
    let (g1, g2) = (GuildId::new(501), GuildId::new(502));
    for u in [1, 2, 3] {
        fund(&s, u, 10_000).await;
    }
    // 1 on server 501, 2 on server 502, 3 in a direct message.
    for (u, g) in [(1, Some(g1)), (2, Some(g2)), (3, None)] {
        autohunt::enable(
            &s,
            UserId::new(u),
            Some(ChannelId::new(600 + u)),
            g,
            &c.rules,
            t(-600),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        autohunt::get(&s, UserId::new(1))
            .await
            .unwrap()
            .unwrap()
            .live_guild(),
        Some(g1)
    );
    guild_settings::set_module_enabled(&s, g1, "gameplay", false)
        .await
        .unwrap();
    guild_settings::set_module_enabled(&s, g2, "economy", false)
        .await
        .unwrap();
    assert_eq!(
        guild_settings::with_module_disabled(&s, "gameplay")
            .await
            .unwrap(),
        vec![g1]
    );
    let ch = autohunt::sync_pauses(&s, "gameplay", t(-1)).await.unwrap();
    assert_eq!(
        (ch.paused, ch.resumed),
        (vec![UserId::new(1)], vec![]),
        "only the session on the server with gameplay off"
    );
    // Told once: a second sync changes nothing.
    let ch = autohunt::sync_pauses(&s, "gameplay", t(0)).await.unwrap();
    assert_eq!(ch, autohunt::PauseChanges::default());
    let due: Vec<_> = autohunt::due(&s, t(0), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.user_id)
        .collect();
    assert_eq!(due, vec![UserId::new(2), UserId::new(3)]);
    let b = autohunt::process_due(&s, t(0), 10, c.tick(), &mut StdRng::seed_from_u64(9))
        .await
        .unwrap();
    let mut ran: Vec<_> = b.runs.iter().map(|r| r.session.user_id).collect();
    ran.sort();
    assert_eq!(ran, vec![UserId::new(2), UserId::new(3)]);
    assert_eq!(
        economy::balance(&s, UserId::new(1)).await.unwrap(),
        Chrons::new(10_000),
        "a paused session is not charged"
    );
    let p = autohunt::get(&s, UserId::new(1)).await.unwrap().unwrap();
    assert_eq!((p.paused_at, p.total_runs), (Some(t(-1)), 0));

    // Gameplay back on: the pause is lifted and the session runs at the next batch.
    guild_settings::set_module_enabled(&s, g1, "gameplay", true)
        .await
        .unwrap();
    let ch = autohunt::sync_pauses(&s, "gameplay", t(1)).await.unwrap();
    assert_eq!((ch.paused, ch.resumed), (vec![], vec![UserId::new(1)]));
    let b = autohunt::process_due(&s, t(2), 10, c.tick(), &mut StdRng::seed_from_u64(9))
        .await
        .unwrap();
    assert_eq!(
        b.runs.iter().map(|r| r.session.user_id).collect::<Vec<_>>(),
        vec![UserId::new(1)]
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // Paused again, then stopped by the player: the pause goes with it.
    guild_settings::set_module_enabled(&s, g1, "gameplay", false)
        .await
        .unwrap();
    let ch = autohunt::sync_pauses(&s, "gameplay", t(3)).await.unwrap();
    assert_eq!(ch.paused, vec![UserId::new(1)]);
    // A session started on that server meanwhile (a race with `module disable`) starts paused.
    fund(&s, 4, 10_000).await;
    let late = autohunt::enable(
        &s,
        UserId::new(4),
        Some(ChannelId::new(701)),
        Some(g1),
        &c.rules,
        t(3),
    )
    .await
    .unwrap();
    assert_eq!(late.paused_at, Some(t(3)));
    assert!(
        autohunt::due(&s, t(100), 10)
            .await
            .unwrap()
            .iter()
            .all(|x| x.user_id != UserId::new(4))
    );
    let off = autohunt::disable(&s, UserId::new(1), t(4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(off.paused_at, None);
    // Re-enabled from another server: runs there (not paused).
    autohunt::enable(
        &s,
        UserId::new(1),
        Some(ChannelId::new(700)),
        Some(g2),
        &c.rules,
        t(5),
    )
    .await
    .unwrap();
    let ch = autohunt::sync_pauses(&s, "gameplay", t(6)).await.unwrap();
    assert_eq!(ch, autohunt::PauseChanges::default());
    // Gameplay back on in g1: the late session runs too; the server is forgotten, so a later
    // `module disable` pauses its sessions again (and tells their players).
    guild_settings::set_module_enabled(&s, g1, "gameplay", true)
        .await
        .unwrap();
    let ch = autohunt::sync_pauses(&s, "gameplay", t(7)).await.unwrap();
    assert_eq!((ch.paused, ch.resumed), (vec![], vec![UserId::new(4)]));
    guild_settings::set_module_enabled(&s, g1, "gameplay", false)
        .await
        .unwrap();
    let ch = autohunt::sync_pauses(&s, "gameplay", t(8)).await.unwrap();
    assert_eq!((ch.paused, ch.resumed), (vec![UserId::new(4)], vec![]));
}

/// Issue 9: a live channel that is gone is forgotten with its message; the session keeps
/// running and keeps its server.
async fn a_lost_live_channel_is_forgotten_and_the_session_keeps_running(s: Storage) {
    let c = Ctx::new();
    fund(&s, 1, 10_000).await;
    autohunt::enable(
        &s,
        UserId::new(1),
        Some(ChannelId::new(10)),
        Some(GuildId::new(501)),
        &c.rules,
        t(0),
    )
    .await
    .unwrap();
    autohunt::set_live_message(
        &s,
        UserId::new(1),
        Some((ChannelId::new(10), MessageId::new(777))),
        t(1),
    )
    .await
    .unwrap();
    autohunt::forget_live_channel(&s, UserId::new(1), t(2))
        .await
        .unwrap();
    let sess = autohunt::get(&s, UserId::new(1)).await.unwrap().unwrap();
    assert_eq!((sess.live_channel(), sess.live_message()), (None, None));
    assert_eq!(sess.live_guild(), Some(GuildId::new(501)));
    assert!(sess.enabled);
}
