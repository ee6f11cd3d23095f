use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_storage::economy::{self, Memo};
use chronix_storage::leaderboard::{self, Entry, Metric};
use chronix_storage::{Storage, guild_users};

use crate::t;

both!(leaderboards_rank_exactly);

async fn leaderboards_rank_exactly(s: Storage) {
    for (user, coins) in [(1, 50), (2, 300), (3, 50), (4, 10)] {
        economy::credit(
            &s,
            UserId::new(user),
            Chrons::new(coins),
            &Memo::new("seed"),
        )
        .await
        .unwrap();
    }
    chronix_storage::users::get_or_create(&s, UserId::new(5))
        .await
        .unwrap(); // zero: not ranked
    let top = leaderboard::global_top(&s, Metric::Chrons, 3, 0)
        .await
        .unwrap();
    let e = |rank, user_id, score| Entry {
        rank,
        user_id,
        score,
    };
    assert_eq!(
        top,
        vec![
            e(1, UserId::new(2), 300),
            e(2, UserId::new(1), 50),
            e(3, UserId::new(3), 50)
        ]
    );
    assert_eq!(
        leaderboard::global_top(&s, Metric::Chrons, 3, 3)
            .await
            .unwrap(),
        vec![e(4, UserId::new(4), 10)]
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Chrons, UserId::new(3))
            .await
            .unwrap(),
        Some(3)
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Chrons, UserId::new(5))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Chrons, UserId::new(99))
            .await
            .unwrap(),
        None
    );
    assert!(
        leaderboard::global_top(&s, Metric::GlobalXp, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );

    let lvl = |_| 0;
    guild_users::add_xp(&s, GuildId::new(7), UserId::new(1), 40, lvl, t(0))
        .await
        .unwrap();
    guild_users::add_xp(&s, GuildId::new(7), UserId::new(2), 90, lvl, t(0))
        .await
        .unwrap();
    guild_users::add_xp(&s, GuildId::new(8), UserId::new(3), 500, lvl, t(0))
        .await
        .unwrap();
    assert_eq!(
        leaderboard::guild_top(&s, GuildId::new(7), 10, 0)
            .await
            .unwrap(),
        vec![e(1, UserId::new(2), 90), e(2, UserId::new(1), 40)]
    );

    leaderboard::store_cache(
        &s,
        "clan_bp",
        GuildId::new(0),
        &[e(1, UserId::new(9), 1000), e(2, UserId::new(8), 500)],
        t(60),
    )
    .await
    .unwrap();
    leaderboard::store_cache(
        &s,
        "clan_bp",
        GuildId::new(0),
        &[e(1, UserId::new(8), 700)],
        t(120),
    )
    .await
    .unwrap();
    let (cached, at) = leaderboard::cached(&s, "clan_bp", GuildId::new(0), 10)
        .await
        .unwrap();
    assert_eq!(
        (cached, at),
        (vec![e(1, UserId::new(8), 700)], Some(t(120)))
    );
    assert_eq!(
        leaderboard::cached(&s, "other", GuildId::new(0), 10)
            .await
            .unwrap(),
        (vec![], None)
    );
}
