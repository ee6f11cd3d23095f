use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_storage::Storage;
use chronix_storage::wizards::{self, NewWizard, Outcome, Status, Wizard, WizardId};
use serde_json::json;

use crate::t;

both!(
    create_get_and_set_message,
    advance_applies_once_per_version,
    finish_closes_and_refuses_later_actions,
    expired_wizards_refuse_and_are_swept_once,
    concurrent_clicks_apply_once,
);

fn new(owner: u64, expires: i64) -> NewWizard {
    NewWizard {
        kind: "test".into(),
        owner: UserId::new(owner),
        guild: Some(GuildId::new(10)),
        channel: Some(ChannelId::new(20)),
        state: json!({"name": null, "n": 0}),
        expires_at: t(expires),
    }
}

fn applied(o: Outcome) -> Wizard {
    match o {
        Outcome::Applied(w) => w,
        other => panic!("expected Applied, got {other:?}"),
    }
}

async fn create_get_and_set_message(s: Storage) {
    let w = wizards::create(&s, new(7, 900), t(0)).await.unwrap();
    assert_eq!(w.kind, "test");
    assert_eq!(w.owner, UserId::new(7));
    assert_eq!(w.guild, Some(GuildId::new(10)));
    assert_eq!(w.channel, Some(ChannelId::new(20)));
    assert_eq!(w.message, None);
    assert_eq!((w.step, w.version, w.status), (0, 1, Status::Open));
    assert_eq!(w.state, json!({"name": null, "n": 0}));
    assert_eq!(w.expires_at, t(900));
    assert!(w.is_live(t(899)) && !w.is_live(t(900)));

    wizards::set_message(&s, w.id, ChannelId::new(21), MessageId::new(u64::MAX >> 1))
        .await
        .unwrap();
    let got = wizards::get(&s, w.id).await.unwrap().unwrap();
    assert_eq!(got.channel, Some(ChannelId::new(21)));
    assert_eq!(got.message, Some(MessageId::new(u64::MAX >> 1)));
    assert_eq!(got.version, 1, "recording the message is not an action");
    assert_eq!(
        wizards::get(&s, WizardId::new(w.id.get() + 99))
            .await
            .unwrap(),
        None
    );
}

async fn advance_applies_once_per_version(s: Storage) {
    let w = wizards::create(&s, new(7, 900), t(0)).await.unwrap();
    let state = json!({"name": "Ada", "n": 3});
    let a = applied(
        wizards::advance(&s, w.id, 1, 2, &state, t(1000), t(10))
            .await
            .unwrap(),
    );
    assert_eq!((a.step, a.version), (2, 2));
    assert_eq!(a.state, state);
    assert_eq!(a.expires_at, t(1000), "sliding expiry");
    assert_eq!(a.updated_at, t(10));

    // The same click again (version 1) is stale and changes nothing.
    match wizards::advance(&s, w.id, 1, 5, &json!({}), t(2000), t(11))
        .await
        .unwrap()
    {
        Outcome::Stale(now) => assert_eq!((now.step, now.version), (2, 2)),
        other => panic!("expected Stale, got {other:?}"),
    }
    let stored = wizards::get(&s, w.id).await.unwrap().unwrap();
    assert_eq!((stored.step, stored.version), (2, 2));
    assert_eq!(stored.state, state);
    assert_eq!(
        wizards::advance(
            &s,
            WizardId::new(w.id.get() + 99),
            1,
            0,
            &json!({}),
            t(1),
            t(1)
        )
        .await
        .unwrap(),
        Outcome::Missing
    );
}

async fn finish_closes_and_refuses_later_actions(s: Storage) {
    let w = wizards::create(&s, new(7, 900), t(0)).await.unwrap();
    let done = applied(
        wizards::finish(&s, w.id, 1, Status::Done, t(5))
            .await
            .unwrap(),
    );
    assert_eq!((done.status, done.version), (Status::Done, 2));
    // A second confirm (the same panel, or the new version) does not apply.
    assert!(matches!(
        wizards::finish(&s, w.id, 1, Status::Done, t(6))
            .await
            .unwrap(),
        Outcome::Closed(_)
    ));
    assert!(matches!(
        wizards::finish(&s, w.id, 2, Status::Cancelled, t(6))
            .await
            .unwrap(),
        Outcome::Closed(_)
    ));
    assert!(matches!(
        wizards::advance(&s, w.id, 2, 1, &json!({}), t(900), t(6))
            .await
            .unwrap(),
        Outcome::Closed(_)
    ));
    let c = wizards::create(&s, new(8, 900), t(0)).await.unwrap();
    let cancelled = applied(
        wizards::finish(&s, c.id, 1, Status::Cancelled, t(5))
            .await
            .unwrap(),
    );
    assert_eq!(cancelled.status, Status::Cancelled);
    // Closed wizards are never swept.
    assert!(
        wizards::expire_due(&s, t(5000), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn expired_wizards_refuse_and_are_swept_once(s: Storage) {
    let a = wizards::create(&s, new(1, 100), t(0)).await.unwrap();
    let b = wizards::create(&s, new(2, 50), t(0)).await.unwrap();
    let c = wizards::create(&s, new(3, 300), t(0)).await.unwrap();
    // Past its expiry, an open wizard refuses actions as Expired (it is not yet swept).
    match wizards::advance(&s, a.id, 1, 1, &json!({}), t(400), t(100))
        .await
        .unwrap()
    {
        Outcome::Expired(w) => assert_eq!(w.status, Status::Open),
        other => panic!("expected Expired, got {other:?}"),
    }
    assert!(matches!(
        wizards::finish(&s, a.id, 1, Status::Done, t(100))
            .await
            .unwrap(),
        Outcome::Expired(_)
    ));
    // Touching c slides its expiry past the sweep.
    applied(
        wizards::advance(&s, c.id, 1, 1, &json!({}), t(500), t(10))
            .await
            .unwrap(),
    );
    assert!(wizards::expire_due(&s, t(100), 0).await.unwrap().is_empty());
    let swept = wizards::expire_due(&s, t(300), 10).await.unwrap();
    let ids: Vec<WizardId> = swept.iter().map(|w| w.id).collect();
    assert_eq!(ids, [b.id, a.id], "oldest expiry first; c was extended");
    assert!(
        swept
            .iter()
            .all(|w| w.status == Status::Expired && w.version == 2)
    );
    assert!(
        wizards::expire_due(&s, t(300), 10)
            .await
            .unwrap()
            .is_empty(),
        "each one is swept once"
    );
    let c_now = wizards::get(&s, c.id).await.unwrap().unwrap();
    assert_eq!(c_now.status, Status::Open);
    assert_eq!(
        wizards::expire_due(&s, t(500), 1).await.unwrap()[0].id,
        c.id
    );
}

async fn concurrent_clicks_apply_once(s: Storage) {
    let w = wizards::create(&s, new(7, 900), t(0)).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8u32 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            wizards::advance(&s, w.id, 1, i + 1, &json!({ "by": i }), t(1000), t(1))
                .await
                .unwrap()
        }));
    }
    let mut applied_n = 0;
    let mut stale = 0;
    for t in tasks {
        match t.await.unwrap() {
            Outcome::Applied(_) => applied_n += 1,
            Outcome::Stale(_) => stale += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((applied_n, stale), (1, 7));
    let now = wizards::get(&s, w.id).await.unwrap().unwrap();
    assert_eq!(now.version, 2);
    let by = now.state["by"].as_u64().unwrap() as u32;
    assert_eq!(now.step, by + 1, "step and state come from the same click");
}
