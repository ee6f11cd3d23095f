//! Mass-action progress rows on both backends: a run and its targets written at once, batches
//! taken in order and recorded once, a cancel seen by exactly one caller, finishing once, the
//! per-server rate limit, and a run resuming from its rows.

use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_core::ratelimit::RateLimit;
use chronix_storage::Refusal;
use chronix_storage::moderation::mass::{self, MassKind, MassRefusal, MassStatus, NewMass};
use chronix_storage::testing::TestDb;

use crate::{refusal, t};

both_db!(
    runs_progress_in_batches_and_resume,
    cancel_finish_and_rate_limit
);

const G: GuildId = GuildId::new(1);

fn new(n: u64) -> NewMass {
    NewMass {
        guild: G,
        kind: MassKind::Ban,
        moderator: UserId::new(9),
        reason: Some("raid".into()),
        selection: "code:abc".into(),
        channel: ChannelId::new(5),
        targets: (1..=n).map(|i| UserId::new(1000 + i)).collect(),
    }
}

async fn runs_progress_in_batches_and_resume(db: TestDb) {
    let s = db.storage();
    let run = mass::create(&s, &new(450), RateLimit::OFF, t(0))
        .await
        .unwrap();
    assert_eq!((run.total, run.status), (450, MassStatus::Running));
    mass::set_message(&s, run.id, MessageId::new(77))
        .await
        .unwrap();
    let batch = mass::next_batch(&s, run.id, 200).await.unwrap();
    assert_eq!(batch.len(), 200);
    assert_eq!(batch[0], UserId::new(1001));
    assert_eq!(batch[199], UserId::new(1200));
    let after = mass::record_batch(&s, run.id, &batch[..198], &batch[198..], t(1))
        .await
        .unwrap();
    assert_eq!((after.done, after.failed, after.handled()), (198, 2, 200));
    // Recorded twice (a retried job): counted once.
    let again = mass::record_batch(&s, run.id, &batch[..198], &[], t(2))
        .await
        .unwrap();
    assert_eq!(again.done, 198);

    // The place is in the rows (what a restarted bot reads again).
    let s2 = db.storage();
    let back = mass::get(&s2, run.id).await.unwrap().unwrap();
    assert_eq!(back.message, Some(MessageId::new(77)));
    assert_eq!(back.handled(), 200);
    let next = mass::next_batch(&s2, run.id, 200).await.unwrap();
    assert_eq!(next[0], UserId::new(1201));
    mass::record_batch(&s2, run.id, &next, &[], t(3))
        .await
        .unwrap();
    let last = mass::next_batch(&s2, run.id, 200).await.unwrap();
    assert_eq!(last.len(), 50);
    let end = mass::record_batch(&s2, run.id, &last, &[], t(4))
        .await
        .unwrap();
    assert_eq!((end.done, end.failed), (448, 2));
    assert!(mass::next_batch(&s2, run.id, 200).await.unwrap().is_empty());
    let done = mass::finish(&s2, run.id, t(5)).await.unwrap().unwrap();
    assert_eq!(done.status, MassStatus::Done);
    assert!(
        mass::finish(&s2, run.id, t(6)).await.unwrap().is_none(),
        "once"
    );
    mass::set_case(&s2, run.id, 12).await.unwrap();
    assert_eq!(
        mass::get(&s2, run.id).await.unwrap().unwrap().case_number,
        Some(12)
    );
}

async fn cancel_finish_and_rate_limit(db: TestDb) {
    let s = db.storage();
    let limit = RateLimit::new(2, 3600);
    let a = mass::create(&s, &new(3), limit, t(0)).await.unwrap();
    let mut k = new(2);
    k.kind = MassKind::Kick;
    let b = mass::create(&s, &k, limit, t(10)).await.unwrap();
    assert_eq!(b.kind, MassKind::Kick);
    assert_eq!(
        refusal(mass::create(&s, &new(1), limit, t(20)).await),
        Refusal::Mass(MassRefusal::RateLimited { retry_at: t(3600) })
    );
    // Another server is not limited by this one.
    let mut other = new(1);
    other.guild = GuildId::new(2);
    mass::create(&s, &other, limit, t(20)).await.unwrap();
    // After the window, a run may start again.
    mass::create(&s, &new(1), limit, t(3601)).await.unwrap();
    assert_eq!(
        refusal(mass::create(&s, &new(0), limit, t(9000)).await),
        Refusal::Mass(MassRefusal::NoTargets)
    );

    // Cancel: only by the run's server, exactly once; then it cannot finish.
    assert!(
        mass::cancel(&s, a.id, GuildId::new(2), t(30))
            .await
            .unwrap()
            .is_none()
    );
    let c = mass::cancel(&s, a.id, G, t(30)).await.unwrap().unwrap();
    assert_eq!(c.status, MassStatus::Cancelled);
    assert!(mass::cancel(&s, a.id, G, t(31)).await.unwrap().is_none());
    assert!(mass::finish(&s, a.id, t(32)).await.unwrap().is_none());
    assert_eq!(mass::next_batch(&s, a.id, 10).await.unwrap().len(), 3);
}
