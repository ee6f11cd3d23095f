use std::collections::BTreeSet;

use chronix_storage::jobs::{self, FailOutcome, NewJob};
use chronix_storage::{Storage, StorageError};
use chrono::Duration;
use serde_json::json;

use crate::t;

both!(
    enqueue_claim_complete,
    claims_only_the_kinds_asked_for,
    expired_lease_is_reclaimed,
    retry_backoff_dead_letter,
    concurrent_claimers_never_share,
);

#[test]
fn backoff_doubles_and_caps() {
    let secs: Vec<i64> = (1..=11).map(|a| jobs::backoff(a).num_seconds()).collect();
    assert_eq!(
        secs,
        vec![10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
    );
    assert_eq!(jobs::backoff(0).num_seconds(), 10);
    assert_eq!(jobs::backoff(i32::MAX).num_seconds(), 3600);
}

async fn claims_only_the_kinds_asked_for(s: Storage) {
    for kind in ["a", "b", "c"] {
        jobs::enqueue(&s, NewJob::new(kind, json!({}), t(1)), t(0))
            .await
            .unwrap();
    }
    let lease = Duration::seconds(30);
    let got = jobs::claim_due_of(&s, "w", t(2), 10, lease, Some(&["a", "c"]))
        .await
        .unwrap();
    let kinds: BTreeSet<String> = got.into_iter().map(|j| j.kind).collect();
    assert_eq!(kinds, BTreeSet::from(["a".to_string(), "c".to_string()]));
    assert!(
        jobs::claim_due_of(&s, "w", t(2), 10, lease, Some(&[]))
            .await
            .unwrap()
            .is_empty(),
        "no kinds: nothing claimed"
    );
    let rest = jobs::claim_due_of(&s, "w", t(2), 10, lease, None)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].kind, "b", "the other kind waited in the table");
}

async fn enqueue_claim_complete(s: Storage) {
    let a = jobs::enqueue(&s, NewJob::new("remind", json!({"user": 1}), t(10)), t(0))
        .await
        .unwrap();
    let b = jobs::enqueue(&s, NewJob::new("remind", json!({"user": 2}), t(5)), t(0))
        .await
        .unwrap();
    let later = jobs::enqueue(&s, NewJob::new("post", json!({}), t(100)), t(0))
        .await
        .unwrap();
    assert!(a.created && b.created && later.created);
    // dedupe: same key returns the first job
    let d1 = jobs::enqueue(
        &s,
        NewJob::new("announce", json!({"id": 7}), t(50)).dedupe_key("ann:7"),
        t(0),
    )
    .await
    .unwrap();
    let d2 = jobs::enqueue(
        &s,
        NewJob::new("announce", json!({"id": 7}), t(60)).dedupe_key("ann:7"),
        t(1),
    )
    .await
    .unwrap();
    assert!(d1.created && !d2.created);
    assert_eq!(d1.id, d2.id);

    assert!(
        jobs::claim_due(&s, "w1", t(4), 10, Duration::seconds(30))
            .await
            .unwrap()
            .is_empty()
    );
    let got = jobs::claim_due(&s, "w1", t(20), 10, Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(
        got.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![b.id, a.id]
    );
    let j = &got[0];
    assert_eq!(
        (j.kind.as_str(), &j.payload.0, j.status.as_str()),
        ("remind", &json!({"user": 2}), "running")
    );
    assert_eq!(
        (
            j.attempts,
            j.max_attempts,
            j.locked_by.as_deref(),
            j.locked_until
        ),
        (1, 5, Some("w1"), Some(t(50)))
    );
    // leased: nobody else gets them
    assert!(
        jobs::claim_due(&s, "w2", t(21), 10, Duration::seconds(30))
            .await
            .unwrap()
            .is_empty()
    );
    jobs::complete(&s, b.id, "w1", t(22)).await.unwrap();
    assert!(matches!(
        jobs::complete(&s, b.id, "w1", t(22)).await,
        Err(StorageError::Conflict(_))
    ));
    assert!(matches!(
        jobs::complete(&s, a.id, "w2", t(22)).await,
        Err(StorageError::Conflict(_))
    ));
    jobs::complete(&s, a.id, "w1", t(22)).await.unwrap();
    let done = jobs::get(&s, b.id).await.unwrap().unwrap();
    assert_eq!(
        (done.status.as_str(), done.locked_by, done.updated_at),
        ("done", None, t(22))
    );
    // limit
    let got = jobs::claim_due(&s, "w1", t(200), 1, Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(got.iter().map(|j| j.id).collect::<Vec<_>>(), vec![d1.id]);
    assert!(!jobs::cancel_by_dedupe_key(&s, "nope").await.unwrap());
    assert_eq!(jobs::purge_done(&s, t(23)).await.unwrap(), 2);
    let counts = jobs::counts(&s).await.unwrap();
    assert_eq!(
        counts,
        vec![("pending".to_string(), 1), ("running".to_string(), 1)]
    );
}

async fn expired_lease_is_reclaimed(s: Storage) {
    let j = jobs::enqueue(
        &s,
        NewJob::new("k", json!(null), t(0)).max_attempts(2),
        t(0),
    )
    .await
    .unwrap();
    let got = jobs::claim_due(&s, "crashed", t(0), 5, Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert!(
        jobs::claim_due(&s, "w2", t(29), 5, Duration::seconds(30))
            .await
            .unwrap()
            .is_empty()
    );
    let got = jobs::claim_due(&s, "w2", t(30), 5, Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(
        (got[0].id, got[0].attempts, got[0].locked_by.as_deref()),
        (j.id, 2, Some("w2"))
    );
    // the crashed worker lost its lease
    assert!(matches!(
        jobs::complete(&s, j.id, "crashed", t(31)).await,
        Err(StorageError::Conflict(_))
    ));
    // w2 crashes too: attempts used up, so the job is dead-lettered instead of claimed
    assert!(
        jobs::claim_due(&s, "w3", t(100), 5, Duration::seconds(30))
            .await
            .unwrap()
            .is_empty()
    );
    let dead = jobs::list_dead(&s, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (dead[0].id, dead[0].last_error.as_deref()),
        (j.id, Some("lease expired"))
    );
}

async fn retry_backoff_dead_letter(s: Storage) {
    let j = jobs::enqueue(
        &s,
        NewJob::new("flaky", json!({"n": 1}), t(0)).max_attempts(3),
        t(0),
    )
    .await
    .unwrap();
    let lease = Duration::seconds(60);
    jobs::claim_due(&s, "w", t(0), 1, lease).await.unwrap();
    let out = jobs::fail(&s, j.id, "w", "boom 1", t(1)).await.unwrap();
    assert_eq!(out, FailOutcome::Retry { run_at: t(11) });
    let row = jobs::get(&s, j.id).await.unwrap().unwrap();
    assert_eq!(
        (
            row.status.as_str(),
            row.attempts,
            row.last_error.as_deref(),
            row.locked_by
        ),
        ("pending", 1, Some("boom 1"), None)
    );
    assert!(
        jobs::claim_due(&s, "w", t(10), 1, lease)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        jobs::claim_due(&s, "w", t(11), 1, lease).await.unwrap()[0].attempts,
        2
    );
    assert_eq!(
        jobs::fail(&s, j.id, "w", "boom 2", t(12)).await.unwrap(),
        FailOutcome::Retry { run_at: t(32) }
    );
    assert!(matches!(
        jobs::fail(&s, j.id, "w", "not leased", t(13)).await,
        Err(StorageError::Conflict(_))
    ));
    assert_eq!(
        jobs::claim_due(&s, "w", t(32), 1, lease).await.unwrap()[0].attempts,
        3
    );
    assert_eq!(
        jobs::fail(&s, j.id, "w", "boom 3", t(33)).await.unwrap(),
        FailOutcome::Dead
    );
    assert!(
        jobs::claim_due(&s, "w", t(10_000), 1, lease)
            .await
            .unwrap()
            .is_empty()
    );
    let dead = jobs::list_dead(&s, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (dead[0].id, dead[0].attempts, dead[0].last_error.as_deref()),
        (j.id, 3, Some("boom 3"))
    );
    // an operator revives it
    jobs::retry_dead(&s, j.id, t(40)).await.unwrap();
    assert!(matches!(
        jobs::retry_dead(&s, j.id, t(40)).await,
        Err(StorageError::NotFound(_))
    ));
    let got = jobs::claim_due(&s, "w", t(40), 1, lease).await.unwrap();
    assert_eq!((got[0].id, got[0].attempts), (j.id, 1));
    jobs::complete(&s, j.id, "w", t(41)).await.unwrap();
    assert!(jobs::list_dead(&s, 10).await.unwrap().is_empty());
}

async fn concurrent_claimers_never_share(s: Storage) {
    const N: usize = 200;
    for i in 0..N {
        jobs::enqueue(
            &s,
            NewJob::new("bulk", json!({"i": i}), t(i as i64 % 7)),
            t(0),
        )
        .await
        .unwrap();
    }
    let mut handles = Vec::new();
    for w in 0..4 {
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            let worker = format!("worker-{w}");
            let mut mine = Vec::new();
            loop {
                let got = jobs::claim_due(&s, &worker, t(10), 7, Duration::minutes(5))
                    .await
                    .unwrap();
                if got.is_empty() {
                    break;
                }
                for j in got {
                    assert_eq!(j.locked_by.as_deref(), Some(worker.as_str()));
                    assert_eq!(j.attempts, 1);
                    mine.push(j.id);
                }
                tokio::task::yield_now().await;
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let unique: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), N, "every job claimed exactly once");
    assert_eq!(unique.len(), N);
}
