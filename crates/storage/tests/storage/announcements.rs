//! Announcements on both backends: each occurrence is taken exactly once with two workers
//! racing (the job queue and `claim_due` together), a recurring one queues its next occurrence
//! in the same transaction, drafts / list / edit / cancel / send now with their refusals, the
//! missed-occurrence rule, the server time zone and networks.

use chronix_core::announcements::{
    AnnounceError, Announcement, MISSED_GRACE, Schedule, parse_timezone,
};
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_storage::Refusal;
use chronix_storage::Storage;
use chronix_storage::announcements::{
    self as store, AnnounceRefusal, AnnouncementId, NetworkId, POST_JOB, Status,
};
use chronix_storage::guild_settings;
use chronix_storage::jobs;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::{refusal, t};

both!(
    each_occurrence_posts_exactly_once_with_two_workers,
    drafts_list_edit_cancel_and_send_now,
    missed_occurrences_follow_the_rule,
    timezone_setting_and_networks,
);

const G1: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const G3: GuildId = GuildId::new(3);
const ADMIN: UserId = UserId::new(10);

fn utc() -> Tz {
    parse_timezone("UTC").unwrap()
}

fn record(schedule: Schedule) -> Announcement {
    Announcement {
        channels: vec![ChannelId::new(100), ChannelId::new(101)],
        title: "Weekly news".into(),
        description: "Hello".into(),
        schedule,
        ..Announcement::default()
    }
}

fn announce_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> AnnounceRefusal {
    match refusal(r) {
        Refusal::Announce(a) => a,
        other => panic!("expected an announcement refusal, got {other:?}"),
    }
}

/// Pending post jobs: (announcement id, occurrence).
async fn pending(s: &Storage, _now: DateTime<Utc>) -> Vec<(AnnouncementId, DateTime<Utc>)> {
    store::pending_occurrences(s).await.unwrap()
}

async fn each_occurrence_posts_exactly_once_with_two_workers(s: Storage) {
    // Every minute, starting at t(60).
    let cron = Schedule::Cron {
        expr: "* * * * *".into(),
    };
    let a = store::create(&s, G1, ADMIN, &record(cron), utc(), t(0))
        .await
        .unwrap();
    assert_eq!(a.status, Status::Scheduled);
    assert_eq!(a.next, Some(t(60)));
    let mut posted = Vec::new();
    for round in 0..3i64 {
        let now = t(60 * (round + 1) + 1);
        // Two workers claim due jobs and run them at once.
        let run = |worker: &'static str| {
            let s = s.clone();
            async move {
                let mut got = Vec::new();
                let jobs = jobs::claim_due_of(
                    &s,
                    worker,
                    now,
                    10,
                    Duration::minutes(5),
                    Some(&[POST_JOB]),
                )
                .await
                .unwrap();
                for j in jobs {
                    let (id, at) = store::parse_job_payload(&j.payload.0).unwrap();
                    if let Some(c) = store::claim_due(&s, id, at, now, MISSED_GRACE)
                        .await
                        .unwrap()
                    {
                        got.push(c.post.unwrap());
                    }
                    jobs::complete(&s, j.id, worker, now).await.unwrap();
                }
                got
            }
        };
        let (x, y) = tokio::join!(tokio::spawn(run("w1")), tokio::spawn(run("w2")));
        let mut got = x.unwrap();
        got.extend(y.unwrap());
        assert_eq!(got, vec![t(60 * (round + 1))], "round {round}");
        posted.extend(got);
        // The claim queued the next occurrence in the same transaction.
        let now_a = store::get(&s, G1, a.id).await.unwrap().unwrap();
        assert_eq!(now_a.next, Some(t(60 * (round + 2))));
        assert_eq!(now_a.runs, round + 1);
    }
    // The same occurrence claimed again directly (a retried job): nothing.
    assert_eq!(
        store::claim_due(&s, a.id, t(60), t(400), MISSED_GRACE)
            .await
            .unwrap(),
        None
    );
    let runs = store::runs(&s, a.id).await.unwrap();
    assert_eq!(
        runs,
        vec![(t(60), true), (t(120), true), (t(180), true)],
        "one row per occurrence"
    );
    assert_eq!(posted.len(), 3);
    // Exactly one pending job: the next occurrence.
    assert_eq!(pending(&s, t(10_000)).await, vec![(a.id, t(240))]);
    // The same occurrence claimed by two workers at once (a job run twice after a lost
    // lease): one gets it.
    for _ in 0..5 {
        let race = |s: Storage| async move {
            store::claim_due(&s, a.id, t(240), t(241), MISSED_GRACE)
                .await
                .unwrap()
        };
        let (x, y) = tokio::join!(tokio::spawn(race(s.clone())), tokio::spawn(race(s.clone())));
        let got: Vec<_> = [x.unwrap(), y.unwrap()].into_iter().flatten().collect();
        assert!(got.len() <= 1, "{got:?}");
        if got.len() == 1 {
            assert_eq!(got[0].post, Some(t(240)));
        }
    }
    assert_eq!(store::runs(&s, a.id).await.unwrap().len(), 4, "t(240) once");
}

async fn drafts_list_edit_cancel_and_send_now(s: Storage) {
    let draft = store::create(&s, G1, ADMIN, &record(Schedule::Draft), utc(), t(0))
        .await
        .unwrap();
    assert_eq!((draft.status, draft.next), (Status::Draft, None));
    let once = store::create(
        &s,
        G1,
        ADMIN,
        &record(Schedule::Once { at: t(3600) }),
        utc(),
        t(0),
    )
    .await
    .unwrap();
    assert_eq!((once.status, once.next), (Status::Scheduled, Some(t(3600))));
    // Another server's list is empty; ids are per server.
    assert!(store::list(&s, G2).await.unwrap().is_empty());
    assert_eq!(
        announce_refusal(store::cancel(&s, G2, once.id, t(1)).await),
        AnnounceRefusal::NoSuch(once.id.get())
    );
    let ids: Vec<_> = store::list(&s, G1)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, vec![draft.id, once.id]);
    // Invalid records are refused by the one validation.
    let mut bad = record(Schedule::Now);
    bad.channels.clear();
    assert_eq!(
        announce_refusal(store::create(&s, G1, ADMIN, &bad, utc(), t(0)).await),
        AnnounceRefusal::Invalid(AnnounceError::NoChannel)
    );
    assert_eq!(
        announce_refusal(
            store::create(
                &s,
                G1,
                ADMIN,
                &record(Schedule::Once { at: t(-5) }),
                utc(),
                t(0)
            )
            .await
        ),
        AnnounceRefusal::NothingToPost
    );
    // Edit the one-off to another time: the old job is dropped, the new one queued.
    let mut moved = once.record.clone();
    moved.schedule = Schedule::Once { at: t(7200) };
    moved.title = "Moved".into();
    let e = store::update(&s, G1, once.id, &moved, utc(), t(10))
        .await
        .unwrap();
    assert_eq!((e.next, e.record.title.as_str()), (Some(t(7200)), "Moved"));
    assert_eq!(pending(&s, t(100_000)).await, vec![(once.id, t(7200))]);
    // A stale job of the old time does nothing.
    assert_eq!(
        store::claim_due(&s, once.id, t(3600), t(3601), MISSED_GRACE)
            .await
            .unwrap(),
        None
    );
    // Send the draft now: done, one run.
    let sent = store::send_now(&s, G1, draft.id, t(20)).await.unwrap();
    assert_eq!((sent.status, sent.runs), (Status::Done, 1));
    assert_eq!(
        announce_refusal(store::send_now(&s, G1, draft.id, t(21)).await),
        AnnounceRefusal::NotActive(draft.id.get())
    );
    // Cancel the one-off: its job is gone and a late claim does nothing.
    let c = store::cancel(&s, G1, once.id, t(30)).await.unwrap();
    assert_eq!((c.status, c.next), (Status::Cancelled, None));
    assert!(pending(&s, t(200_000)).await.is_empty());
    assert_eq!(
        store::claim_due(&s, once.id, t(7200), t(7201), MISSED_GRACE)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        announce_refusal(store::cancel(&s, G1, once.id, t(31)).await),
        AnnounceRefusal::NotActive(once.id.get())
    );
    // Send now on a recurring one keeps its schedule.
    let daily = store::create(
        &s,
        G1,
        ADMIN,
        &record(Schedule::Daily {
            time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        }),
        utc(),
        t(0),
    )
    .await
    .unwrap();
    let sent = store::send_now(&s, G1, daily.id, t(40)).await.unwrap();
    assert_eq!(
        (sent.status, sent.next, sent.runs),
        (Status::Scheduled, daily.next, 1)
    );
    assert_eq!(
        store::list(&s, G1).await.unwrap()[0].id,
        daily.id,
        "active ones first"
    );
    // A network must be the server's own.
    let mut n = record(Schedule::Draft);
    n.network = Some(999);
    assert_eq!(
        announce_refusal(store::create(&s, G1, ADMIN, &n, utc(), t(0)).await),
        AnnounceRefusal::NoNetwork(999)
    );
}

async fn missed_occurrences_follow_the_rule(s: Storage) {
    // Hourly from t(0) = 2026-01-01 00:00.
    let hourly = Schedule::Cron {
        expr: "0 * * * *".into(),
    };
    let a = store::create(&s, G1, ADMIN, &record(hourly), utc(), t(0))
        .await
        .unwrap();
    assert_eq!(a.next, Some(t(3600)));
    // The bot was down until 03:10: 01:00 and 02:00 skipped, 03:00 posted, next 04:00.
    let c = store::claim_due(&s, a.id, t(3600), t(3 * 3600 + 600), MISSED_GRACE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.post, c.skipped), (Some(t(3 * 3600)), 2));
    assert_eq!(c.stored.next, Some(t(4 * 3600)));
    // A one-off missed by two hours is marked missed, not posted.
    let once = store::create(
        &s,
        G1,
        ADMIN,
        &record(Schedule::Once { at: t(600) }),
        utc(),
        t(0),
    )
    .await
    .unwrap();
    let c = store::claim_due(&s, once.id, t(600), t(600 + 7200), MISSED_GRACE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.post, c.stored.status), (None, Status::Missed));
    assert_eq!(
        store::runs(&s, once.id).await.unwrap(),
        vec![(t(600), false)]
    );
}

async fn timezone_setting_and_networks(s: Storage) {
    assert_eq!(guild_settings::timezone(&s, G1).await.unwrap(), None);
    let old = guild_settings::set_timezone(&s, G1, Some("Europe/Paris"), t(0))
        .await
        .unwrap();
    assert_eq!(old, None);
    assert_eq!(
        guild_settings::timezone(&s, G1).await.unwrap().as_deref(),
        Some("Europe/Paris")
    );
    let old = guild_settings::set_timezone(&s, G1, None, t(1))
        .await
        .unwrap();
    assert_eq!(old.as_deref(), Some("Europe/Paris"));
    // Networks: G1 publishes; G2 and G3 ask to join; G1 approves G2 only.
    let n = store::network_create(&s, G1, "Alliance", ADMIN, t(0))
        .await
        .unwrap();
    assert_eq!(
        announce_refusal(store::network_join(&s, n.id, G1, ChannelId::new(1), ADMIN, t(0)).await),
        AnnounceRefusal::OwnNetwork
    );
    let m2 = store::network_join(&s, n.id, G2, ChannelId::new(200), ADMIN, t(1))
        .await
        .unwrap();
    assert!(!m2.approved);
    store::network_join(&s, n.id, G3, ChannelId::new(300), ADMIN, t(1))
        .await
        .unwrap();
    assert_eq!(
        announce_refusal(store::network_approve(&s, G2, n.id, G3, ADMIN).await),
        AnnounceRefusal::NotYourNetwork(n.id.get())
    );
    let m2 = store::network_approve(&s, G1, n.id, G2, ADMIN)
        .await
        .unwrap();
    assert!(m2.approved);
    // A repeated join changes the channel and keeps the approval.
    let m2 = store::network_join(&s, n.id, G2, ChannelId::new(201), ADMIN, t(2))
        .await
        .unwrap();
    assert!(m2.approved);
    assert_eq!(m2.channel, ChannelId::new(201));
    let members = store::network_members(&s, n.id).await.unwrap();
    let approved: Vec<_> = members
        .iter()
        .filter(|m| m.approved)
        .map(|m| m.guild)
        .collect();
    assert_eq!(approved, vec![G2]);
    // An announcement of G1 may use it; one of G2 may not.
    let mut a = record(Schedule::Draft);
    a.network = Some(n.id.get());
    store::create(&s, G1, ADMIN, &a, utc(), t(0)).await.unwrap();
    assert_eq!(
        announce_refusal(store::create(&s, G2, ADMIN, &a, utc(), t(0)).await),
        AnnounceRefusal::NotYourNetwork(n.id.get())
    );
    let (owned, joined) = store::networks_of(&s, G2).await.unwrap();
    assert!(owned.is_empty());
    assert_eq!(joined.len(), 1);
    // G3 leaves; the owner leaving deletes the network.
    assert!(store::network_leave(&s, G3, n.id).await.unwrap());
    assert!(store::network_leave(&s, G1, n.id).await.unwrap());
    assert_eq!(store::network(&s, n.id).await.unwrap(), None);
    assert_eq!(
        announce_refusal(store::network_leave(&s, G2, NetworkId::new(n.id.get())).await),
        AnnounceRefusal::NoNetwork(n.id.get())
    );
}
