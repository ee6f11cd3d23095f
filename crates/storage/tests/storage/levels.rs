//! Levels on both backends: concurrent XP grants for one member lose nothing (server and
//! global XP and levels), a reward level is granted once, settings round-trip and invalid ones
//! are refused, admin XP changes and the server reset are audited.

use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::levels::{LevelSettings, RoleReward, SettingsError, default_curve};
use chronix_core::xp::XpCurve;
use chronix_storage::Storage;
use chronix_storage::audit;
use chronix_storage::levels::{self as store, LevelsRefusal, XpChange, XpGrant};
use chronix_storage::{Refusal, guild_users, leaderboard};

use crate::{refusal, scalar, t};

both!(
    concurrent_grants_for_one_member_lose_nothing,
    grants_in_one_batch_are_summed_and_report_level_ups,
    a_reward_level_is_granted_once,
    settings_round_trip_and_invalid_ones_are_refused,
    admin_changes_and_reset_are_audited,
);

const G: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const ANN: UserId = UserId::new(10);
const BOB: UserId = UserId::new(11);

fn curve(_: GuildId) -> XpCurve {
    default_curve()
}

fn grant(guild: GuildId, user: UserId, xp: i64) -> XpGrant {
    XpGrant {
        guild,
        user,
        xp,
        global: true,
    }
}

async fn concurrent_grants_for_one_member_lose_nothing(s: Storage) {
    let global = XpCurve::default();
    let mut tasks = Vec::new();
    for i in 0..16i64 {
        let s = s.clone();
        let global = global.clone();
        tasks.push(tokio::spawn(async move {
            // Each batch also touches another member and another server, in varying order.
            let batch = if i % 2 == 0 {
                vec![grant(G, ANN, 7), grant(G2, ANN, 1), grant(G, BOB, 3)]
            } else {
                vec![grant(G, BOB, 3), grant(G, ANN, 7), grant(G2, ANN, 1)]
            };
            store::grant(&s, &batch, &curve, &global, t(i))
                .await
                .unwrap()
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let ann = store::member(&s, G, ANN).await.unwrap();
    assert_eq!(ann.xp, 16 * 7);
    assert_eq!(ann.level, default_curve().level_for_xp(112));
    assert_eq!(ann.level, 1, "100 XP reach level 1");
    assert_eq!(
        ann.global_xp,
        16 * 8,
        "server XP of both servers counts globally"
    );
    assert_eq!(ann.global_level, 1);
    assert_eq!(store::member(&s, G2, ANN).await.unwrap().xp, 16);
    let bob = store::member(&s, G, BOB).await.unwrap();
    assert_eq!((bob.xp, bob.level, bob.global_xp), (48, 0, 48));
    let gu = guild_users::get(&s, G, ANN).await.unwrap().unwrap();
    assert_eq!(
        (gu.xp, gu.level),
        (112, 1),
        "the stored level follows the XP"
    );
    assert!(gu.last_message.is_some());
}

async fn grants_in_one_batch_are_summed_and_report_level_ups(s: Storage) {
    let global = XpCurve::default();
    let out = store::grant(
        &s,
        &[
            grant(G, ANN, 60),
            grant(G, BOB, 5),
            grant(G, ANN, 50),
            XpGrant {
                global: false,
                ..grant(G, BOB, 5)
            },
        ],
        &curve,
        &global,
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(out.len(), 2);
    let (ann, bob) = (out[0], out[1]);
    assert_eq!(
        (ann.user, ann.xp, ann.old_level, ann.new_level),
        (ANN, 110, 0, 1)
    );
    assert!(ann.levelled_up());
    assert_eq!(ann.global_xp, Some(110));
    assert_eq!(
        (bob.user, bob.xp, bob.global_xp),
        (BOB, 10, Some(5)),
        "one of Bob's grants was server-only"
    );
    assert!(!bob.levelled_up());
    let again = store::grant(&s, &[grant(G, ANN, 10)], &curve, &global, t(1))
        .await
        .unwrap();
    assert_eq!((again[0].old_level, again[0].new_level), (1, 1));
    assert_eq!(
        refusal(store::grant(&s, &[grant(G, ANN, 0)], &curve, &global, t(2)).await),
        Refusal::InvalidAmount(0)
    );
    // The leaderboards read the same columns.
    let top = leaderboard::guild_top(&s, G, 10, 0).await.unwrap();
    assert_eq!(
        top.iter().map(|e| (e.user_id, e.score)).collect::<Vec<_>>(),
        [(ANN, 120), (BOB, 10)]
    );
    assert_eq!(store::guild_rank(&s, G, BOB).await.unwrap(), Some(2));
    assert_eq!(store::guild_rank(&s, G2, BOB).await.unwrap(), None);
    assert_eq!(store::guild_count(&s, G).await.unwrap(), 2);
    assert_eq!(store::global_count(&s).await.unwrap(), 2);
}

async fn a_reward_level_is_granted_once(s: Storage) {
    let r5 = RoleReward {
        level: 5,
        role: RoleId::new(50),
    };
    let r10 = RoleReward {
        level: 10,
        role: RoleId::new(100),
    };
    assert_eq!(
        store::claim_rewards(&s, G, ANN, &[r5], t(0)).await.unwrap(),
        vec![r5]
    );
    assert_eq!(
        store::claim_rewards(&s, G, ANN, &[r5, r10], t(1))
            .await
            .unwrap(),
        vec![r10],
        "level 5 was granted already"
    );
    assert_eq!(
        store::claim_rewards(&s, G, ANN, &[r5, r10], t(2))
            .await
            .unwrap(),
        vec![]
    );
    // Concurrent claims of the same level: exactly one wins.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            store::claim_rewards(&s, G, BOB, &[r5], t(3))
                .await
                .unwrap()
                .len()
        }));
    }
    let mut won = 0;
    for task in tasks {
        won += task.await.unwrap();
    }
    assert_eq!(won, 1);
    assert_eq!(store::grants(&s, G, ANN).await.unwrap(), vec![r5, r10]);
    assert_eq!(
        store::claim_rewards(&s, G2, ANN, &[r5], t(4))
            .await
            .unwrap(),
        vec![r5],
        "per server"
    );
}

async fn settings_round_trip_and_invalid_ones_are_refused(s: Storage) {
    assert_eq!(
        store::settings(&s, G).await.unwrap(),
        LevelSettings::default()
    );
    let mut cfg = LevelSettings::default();
    cfg.set_reward(5, RoleId::new(9));
    cfg.stack = false;
    cfg.min_length = 10;
    store::save_settings(&s, G, ANN, &cfg, t(0)).await.unwrap();
    assert_eq!(store::settings(&s, G).await.unwrap(), cfg);
    assert_eq!(
        store::settings(&s, G2).await.unwrap(),
        LevelSettings::default()
    );
    let mut bad = cfg.clone();
    bad.set_reward(501, RoleId::new(9));
    assert_eq!(
        refusal(store::save_settings(&s, G, ANN, &bad, t(1)).await),
        Refusal::Levels(LevelsRefusal::Invalid(SettingsError::RewardLevel(501)))
    );
    assert_eq!(
        store::settings(&s, G).await.unwrap(),
        cfg,
        "nothing written"
    );
    let entries = audit::recent(&s, 10).await.unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "levels.settings")
            .count(),
        1
    );
}

async fn admin_changes_and_reset_are_audited(s: Storage) {
    let c = default_curve();
    let admin = UserId::new(99);
    let r = store::change_xp(&s, G, ANN, XpChange::Set(300), &c, admin, t(0))
        .await
        .unwrap();
    assert_eq!((r.old_xp, r.xp, r.old_level, r.new_level), (0, 300, 0, 2));
    let r = store::change_xp(&s, G, ANN, XpChange::Add(200), &c, admin, t(1))
        .await
        .unwrap();
    assert_eq!((r.xp, r.new_level), (500, 3));
    let r = store::change_xp(&s, G, ANN, XpChange::Remove(1_000), &c, admin, t(2))
        .await
        .unwrap();
    assert_eq!((r.xp, r.new_level), (0, 0), "XP stops at 0");
    assert_eq!(
        refusal(store::change_xp(&s, G, ANN, XpChange::Add(0), &c, admin, t(3)).await),
        Refusal::InvalidAmount(0)
    );
    store::change_xp(&s, G, ANN, XpChange::Set(120), &c, admin, t(4))
        .await
        .unwrap();
    store::change_xp(&s, G, BOB, XpChange::Set(50), &c, admin, t(4))
        .await
        .unwrap();
    store::change_xp(&s, G2, BOB, XpChange::Set(50), &c, admin, t(4))
        .await
        .unwrap();
    store::claim_rewards(
        &s,
        G,
        ANN,
        &[RoleReward {
            level: 1,
            role: RoleId::new(5),
        }],
        t(4),
    )
    .await
    .unwrap();
    assert_eq!(store::reset_guild(&s, G, admin, t(5)).await.unwrap(), 2);
    assert_eq!(store::member(&s, G, ANN).await.unwrap().xp, 0);
    assert_eq!(
        store::member(&s, G2, BOB).await.unwrap().xp,
        50,
        "other servers keep theirs"
    );
    assert!(
        store::grants(&s, G, ANN).await.unwrap().is_empty(),
        "rewards can be earned again"
    );
    let actions: Vec<String> = audit::recent(&s, 20)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "levels.xp_set",
            "levels.xp_add",
            "levels.xp_remove",
            "levels.xp_set",
            "levels.xp_set",
            "levels.xp_set",
            "levels.reset"
        ]
    );
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM level_role_grants").await,
        0
    );
    assert!(audit::verify(&s).await.unwrap().is_intact());
}
