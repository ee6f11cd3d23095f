use chronix_core::ids::UserId;
use chronix_storage::{Refusal, Storage, StorageError, cooldowns};
use chrono::Duration;

use crate::t;

both!(cooldown_check_and_set, cooldown_concurrent_exactly_one);

async fn cooldown_check_and_set(s: Storage) {
    let started = cooldowns::try_start(&s, UserId::new(1), "daily", t(0), Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(started.expires_at, t(60));
    let err = cooldowns::try_start(&s, UserId::new(1), "daily", t(10), Duration::seconds(60))
        .await
        .unwrap_err();
    match err {
        StorageError::Refused(Refusal::OnCooldown {
            expires_at,
            remaining,
        }) => {
            assert_eq!(expires_at, t(60));
            assert_eq!(remaining, std::time::Duration::from_secs(50));
        }
        other => panic!("expected OnCooldown, got {other:?}"),
    }
    assert_eq!(
        cooldowns::remaining(&s, UserId::new(1), "daily", t(59))
            .await
            .unwrap(),
        Some(t(60))
    );
    assert_eq!(
        cooldowns::remaining(&s, UserId::new(1), "daily", t(60))
            .await
            .unwrap(),
        None
    );
    // other commands and users are independent
    cooldowns::try_start(&s, UserId::new(1), "hunt", t(10), Duration::seconds(5))
        .await
        .unwrap();
    cooldowns::try_start(&s, UserId::new(2), "daily", t(10), Duration::seconds(5))
        .await
        .unwrap();
    // expired exactly at expires_at: can start again
    let again = cooldowns::try_start(&s, UserId::new(1), "daily", t(60), Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(again.expires_at, t(90));
    assert!(cooldowns::clear(&s, UserId::new(1), "daily").await.unwrap());
    cooldowns::try_start(&s, UserId::new(1), "daily", t(61), Duration::seconds(30))
        .await
        .unwrap();
    // housekeeping: at t(100) everything has expired
    assert_eq!(cooldowns::purge_expired(&s, t(100)).await.unwrap(), 3);
}

async fn cooldown_concurrent_exactly_one(s: Storage) {
    let mut handles = Vec::new();
    for _ in 0..24 {
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            cooldowns::try_start(&s, UserId::new(42), "work", t(0), Duration::minutes(10)).await
        }));
    }
    let mut started = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(st) => {
                assert_eq!(st.expires_at, t(600));
                started += 1;
            }
            Err(StorageError::Refused(Refusal::OnCooldown { expires_at, .. })) => {
                assert_eq!(expires_at, t(600))
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(started, 1);
}
