//! Per-user rate limits on both backends: exact counts per window, separate actions and users,
//! concurrent hits all counted, "off" touches nothing, pruning.

use chronix_core::ids::UserId;
use chronix_core::ratelimit::{Decision, RateLimit};
use chronix_storage::{Storage, rate_limits};

use crate::{scalar, t};

both!(limits_per_window, concurrent_hits_are_all_counted);

async fn limits_per_window(s: Storage) {
    // t(0) is 2026-01-01T00:00:00Z, a multiple of 60 s.
    let l = RateLimit::new(2, 60);
    let hit = |user: i64, action: &'static str, at: i64| {
        let s = s.clone();
        async move {
            rate_limits::hit(&s, UserId::from_db(user), action, l, t(at))
                .await
                .unwrap()
        }
    };
    assert_eq!(hit(1, "bet", 0).await, Decision::Allowed { remaining: 1 });
    assert_eq!(hit(1, "bet", 10).await, Decision::Allowed { remaining: 0 });
    assert_eq!(
        hit(1, "bet", 59).await,
        Decision::Limited { retry_at: t(60) }
    );
    // Other actions and other users have their own counts.
    assert_eq!(hit(1, "pay", 20).await, Decision::Allowed { remaining: 1 });
    assert_eq!(hit(2, "bet", 20).await, Decision::Allowed { remaining: 1 });
    // The next window starts afresh.
    assert_eq!(hit(1, "bet", 60).await, Decision::Allowed { remaining: 1 });
    // A late hit stamped in the older window counts in the newer one.
    assert_eq!(hit(1, "bet", 30).await, Decision::Allowed { remaining: 0 });
    assert_eq!(
        hit(1, "bet", 61).await,
        Decision::Limited { retry_at: t(120) }
    );
    assert_eq!(
        scalar(
            &s,
            "SELECT hits FROM rate_limits WHERE user_id = 1 AND action = 'bet'"
        )
        .await,
        3
    );

    // A limit that is off writes nothing.
    let off = RateLimit::new(0, 60);
    assert!(
        rate_limits::hit(&s, UserId::new(9), "bet", off, t(0))
            .await
            .unwrap()
            .is_allowed()
    );
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM rate_limits WHERE user_id = 9").await,
        0
    );
    // Nor does it need a profile for a limited user.
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM users").await, 0);

    // Pruning drops windows that started before the cutoff.
    let cutoff = l.window_start(t(60));
    assert_eq!(rate_limits::prune(&s, cutoff).await.unwrap(), 2);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM rate_limits").await, 1);
}

async fn concurrent_hits_are_all_counted(s: Storage) {
    let l = RateLimit::new(5, 3600);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                rate_limits::hit(&s, UserId::new(1), "trade", l, t(5))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        if task.await.unwrap().is_allowed() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5);
    assert_eq!(
        scalar(&s, "SELECT hits FROM rate_limits WHERE user_id = 1").await,
        20
    );
}
