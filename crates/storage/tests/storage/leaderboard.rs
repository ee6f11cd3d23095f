use chronix_storage::economy::{self, Memo};
use chronix_storage::leaderboard::{self, Entry, Metric};
use chronix_storage::{Storage, guild_users};

use crate::t;

both!(leaderboards_rank_exactly);

async fn leaderboards_rank_exactly(s: Storage) {
    for (user, coins) in [(1, 50), (2, 300), (3, 50), (4, 10)] {
        economy::credit(&s, user, coins, &Memo::new("seed"))
            .await
            .unwrap();
    }
    chronix_storage::users::get_or_create(&s, 5).await.unwrap(); // zero: not ranked
    let top = leaderboard::global_top(&s, Metric::Chrons, 3, 0)
        .await
        .unwrap();
    let e = |rank, user_id, score| Entry {
        rank,
        user_id,
        score,
    };
    assert_eq!(top, vec![e(1, 2, 300), e(2, 1, 50), e(3, 3, 50)]);
    assert_eq!(
        leaderboard::global_top(&s, Metric::Chrons, 3, 3)
            .await
            .unwrap(),
        vec![e(4, 4, 10)]
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Chrons, 3)
            .await
            .unwrap(),
        Some(3)
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Chrons, 5)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        leaderboard::global_rank(&s, Metric::Chrons, 99)
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
    guild_users::add_xp(&s, 7, 1, 40, lvl, t(0)).await.unwrap();
    guild_users::add_xp(&s, 7, 2, 90, lvl, t(0)).await.unwrap();
    guild_users::add_xp(&s, 8, 3, 500, lvl, t(0)).await.unwrap();
    assert_eq!(
        leaderboard::guild_top(&s, 7, 10, 0).await.unwrap(),
        vec![e(1, 2, 90), e(2, 1, 40)]
    );

    leaderboard::store_cache(&s, "clan_bp", 0, &[e(1, 9, 1000), e(2, 8, 500)], t(60))
        .await
        .unwrap();
    leaderboard::store_cache(&s, "clan_bp", 0, &[e(1, 8, 700)], t(120))
        .await
        .unwrap();
    let (cached, at) = leaderboard::cached(&s, "clan_bp", 0, 10).await.unwrap();
    assert_eq!((cached, at), (vec![e(1, 8, 700)], Some(t(120))));
    assert_eq!(
        leaderboard::cached(&s, "other", 0, 10).await.unwrap(),
        (vec![], None)
    );
}
