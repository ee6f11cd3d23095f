//! Invite tracking on both backends: joins attributed to invites, the vanity URL and unknown;
//! regular / fake / left counts, bonuses (audited), the leaderboard order, `inviter_of`, a
//! rejoin closing the earlier join, reward roles granted once, and settings checks.

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_core::invites::{InviteCounts, InviteSettings, InviteSettingsError, JoinSource};
use chronix_storage::Storage;
use chronix_storage::invites::{self as store, InvitesRefusal, Join};
use chronix_storage::{Refusal, audit};

use crate::{refusal, t};

both!(
    joins_are_attributed_and_counted,
    leaves_rejoins_and_inviter_of,
    bonus_and_leaderboard,
    rewards_once_and_settings,
    a_burst_of_joins_is_one_transaction_with_the_same_rules,
);

const G: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const ANN: UserId = UserId::new(10);
const BOB: UserId = UserId::new(11);
const ADMIN: UserId = UserId::new(99);

fn via(code: &str, inviter: UserId) -> JoinSource {
    JoinSource::Invite {
        code: code.into(),
        inviter: Some(inviter),
    }
}

async fn join(s: &Storage, g: GuildId, user: u64, source: JoinSource, fake: bool, at: i64) {
    store::record_join(
        s,
        &Join {
            guild: g,
            user: UserId::new(user),
            source,
            fake,
            joined_at: t(at),
        },
    )
    .await
    .unwrap();
}

async fn a_burst_of_joins_is_one_transaction_with_the_same_rules(s: Storage) {
    let j = |user: u64, source: JoinSource, at: i64| Join {
        guild: G,
        user: UserId::new(user),
        source,
        fake: false,
        joined_at: t(at),
    };
    join(&s, G, 200, via("old", BOB), false, 1).await;
    // One server, each member once: the burst path.
    let burst = vec![
        j(200, via("aaa", ANN), 5),
        j(201, via("aaa", ANN), 5),
        j(202, JoinSource::Unknown, 6),
    ];
    assert_eq!(
        store::record_joins(&s, &burst).await.unwrap(),
        vec![true, true, true]
    );
    // The same event again beside a new join: only the new one is stored.
    let again = vec![j(201, via("aaa", ANN), 5), j(203, JoinSource::Vanity, 7)];
    assert_eq!(
        store::record_joins(&s, &again).await.unwrap(),
        vec![false, true]
    );
    // A member twice in one burst (the same event replayed): one after the other, once.
    let twice = vec![j(204, via("aaa", ANN), 8), j(204, via("aaa", ANN), 8)];
    assert_eq!(
        store::record_joins(&s, &twice).await.unwrap(),
        vec![true, false]
    );
    assert!(store::record_joins(&s, &[]).await.unwrap().is_empty());
    // 200's earlier join (through BOB) was closed by the rejoin.
    assert_eq!(store::counts(&s, G, ANN).await.unwrap().regular, 3);
    let bob = store::counts(&s, G, BOB).await.unwrap();
    assert_eq!((bob.regular, bob.left), (0, 1));
    let last = store::last_join(&s, G, UserId::new(202))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.inviter(), None);
    let vanity = store::last_join(&s, G, UserId::new(203))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(vanity.source, JoinSource::Vanity);
    let rows = crate::scalar(&s, "SELECT COUNT(*) FROM invite_joins WHERE guild_id = 1").await;
    assert_eq!(rows, 6, "200 twice, 201, 202, 203, 204");
}

async fn joins_are_attributed_and_counted(s: Storage) {
    join(&s, G, 100, via("aaa", ANN), false, 1).await;
    join(&s, G, 101, via("aaa", ANN), false, 2).await;
    join(&s, G, 102, via("bbb", ANN), true, 3).await;
    join(&s, G, 103, via("ccc", BOB), false, 4).await;
    join(&s, G, 104, JoinSource::Vanity, false, 5).await;
    join(&s, G, 105, JoinSource::Unknown, false, 6).await;
    // The same join seen twice (a replayed event) is recorded once.
    let again = Join {
        guild: G,
        user: UserId::new(100),
        source: via("aaa", ANN),
        fake: false,
        joined_at: t(1),
    };
    assert!(!store::record_join(&s, &again).await.unwrap());
    join(&s, G2, 106, via("zzz", ANN), false, 7).await;
    assert_eq!(
        store::counts(&s, G, ANN).await.unwrap(),
        InviteCounts {
            regular: 2,
            fake: 1,
            left: 0,
            bonus: 0
        }
    );
    assert_eq!(store::counts(&s, G, BOB).await.unwrap().regular, 1);
    assert_eq!(
        store::counts(&s, G, ADMIN).await.unwrap(),
        InviteCounts::default()
    );
    let last = store::last_join(&s, G, UserId::new(102))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.source, via("bbb", ANN));
    assert!(last.fake);
    assert_eq!(last.joined_at, t(3));
    assert_eq!(last.code(), Some("bbb"));
    let vanity = store::last_join(&s, G, UserId::new(104))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(vanity.source, JoinSource::Vanity);
    assert_eq!(vanity.inviter(), None);
    let unknown = store::last_join(&s, G, UserId::new(105))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unknown.source, JoinSource::Unknown);
    let current = store::current_joins(&s, G).await.unwrap();
    assert_eq!(
        current.iter().map(|j| j.user.get()).collect::<Vec<_>>(),
        [100, 101, 102, 103, 104, 105]
    );
}

async fn leaves_rejoins_and_inviter_of(s: Storage) {
    join(&s, G, 100, via("aaa", ANN), false, 1).await;
    join(&s, G, 101, via("aaa", ANN), true, 2).await;
    let left = store::record_leave(&s, G, UserId::new(100), t(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.inviter(), Some(ANN));
    assert_eq!(left.left_at, Some(t(10)));
    // A fake member who leaves stays counted as fake only.
    store::record_leave(&s, G, UserId::new(101), t(11))
        .await
        .unwrap();
    assert_eq!(
        store::counts(&s, G, ANN).await.unwrap(),
        InviteCounts {
            regular: 0,
            fake: 1,
            left: 1,
            bonus: 0
        }
    );
    // Leaving twice or never seen: nothing to close.
    assert!(
        store::record_leave(&s, G, UserId::new(100), t(12))
            .await
            .unwrap()
            .is_none()
    );
    // Rejoin through Bob: the latest join decides the inviter.
    join(&s, G, 100, via("ccc", BOB), false, 20).await;
    assert_eq!(
        store::inviter_of(&s, G, UserId::new(100)).await.unwrap(),
        Some(BOB)
    );
    assert_eq!(store::counts(&s, G, BOB).await.unwrap().regular, 1);
    // A join whose leave the bot missed is closed by the next join.
    join(&s, G, 100, JoinSource::Vanity, false, 30).await;
    assert_eq!(store::counts(&s, G, BOB).await.unwrap().left, 1);
    assert_eq!(
        store::inviter_of(&s, G, UserId::new(100)).await.unwrap(),
        None
    );
    assert_eq!(
        store::inviter_of(&s, G, UserId::new(555)).await.unwrap(),
        None
    );
    assert_eq!(store::current_joins(&s, G).await.unwrap().len(), 1);
}

async fn bonus_and_leaderboard(s: Storage) {
    for u in 0..3 {
        join(&s, G, 100 + u, via("aaa", ANN), false, u as i64).await;
    }
    join(&s, G, 200, via("bbb", BOB), false, 5).await;
    assert_eq!(
        store::add_bonus(&s, G, BOB, 5, ADMIN, t(6)).await.unwrap(),
        5
    );
    assert_eq!(
        store::add_bonus(&s, G, BOB, -1, ADMIN, t(7)).await.unwrap(),
        4
    );
    // Bonus only: listed too.
    store::add_bonus(&s, G, ADMIN, 1, ADMIN, t(8))
        .await
        .unwrap();
    let c = store::counts(&s, G, BOB).await.unwrap();
    assert_eq!((c.regular, c.bonus, c.total()), (1, 4, 5));
    let board = store::leaderboard(&s, G, 0, 10).await.unwrap();
    assert_eq!(
        board
            .iter()
            .map(|(u, c)| (*u, c.total()))
            .collect::<Vec<_>>(),
        [(BOB, 5), (ANN, 3), (ADMIN, 1)]
    );
    assert_eq!(store::leaderboard_len(&s, G).await.unwrap(), 3);
    assert_eq!(store::leaderboard(&s, G, 2, 10).await.unwrap().len(), 1);
    assert_eq!(store::leaderboard_len(&s, G2).await.unwrap(), 0);
    let trail = audit::recent(&s, 10).await.unwrap();
    let bonus: Vec<_> = trail
        .iter()
        .filter(|e| e.action == "invites.bonus")
        .collect();
    assert_eq!(bonus.len(), 3);
}

async fn rewards_once_and_settings(s: Storage) {
    let mut set = InviteSettings {
        channel: Some(ChannelId::new(5)),
        ..InviteSettings::default()
    };
    set.set_reward(3, RoleId::new(30));
    set.set_reward(1, RoleId::new(10));
    store::save_settings(&s, G, ADMIN, &set, t(0))
        .await
        .unwrap();
    assert_eq!(store::settings(&s, G).await.unwrap(), set);
    assert_eq!(
        store::settings(&s, G2).await.unwrap(),
        InviteSettings::default()
    );
    let mut bad = set.clone();
    bad.set_reward(0, RoleId::new(1));
    assert_eq!(
        refusal(store::save_settings(&s, G, ADMIN, &bad, t(1)).await),
        Refusal::Invites(InvitesRefusal::Invalid(InviteSettingsError::ZeroCount))
    );
    let due = set.rewards_due(1);
    let got = store::claim_rewards(&s, G, ANN, &due, t(2)).await.unwrap();
    assert_eq!(got.len(), 1);
    let due = set.rewards_due(5);
    let got = store::claim_rewards(&s, G, ANN, &due, t(3)).await.unwrap();
    assert_eq!(
        got.iter().map(|r| r.role).collect::<Vec<_>>(),
        [RoleId::new(30)]
    );
    assert!(
        store::claim_rewards(&s, G, ANN, &due, t(4))
            .await
            .unwrap()
            .is_empty()
    );
}
