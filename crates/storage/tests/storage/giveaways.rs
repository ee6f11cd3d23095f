//! Giveaways and server events on both backends: a giveaway ends exactly once when two
//! workers race (and its end job is claimed by one worker only), entries and leaving, rerolls
//! among those who have not won, cancel; RSVPs against a capacity under a race of many members,
//! the waitlist promoted when a place frees up, and the attendee bonus paid once per
//! occurrence through the ledger before a repeating event moves on.

use std::sync::Arc;

use chronix_core::economy::Chrons;
use chronix_core::eventboard::{AttendeeBonus, EventSpec, Recurrence, RemindBy, Rsvp};
use chronix_core::giveaways::{Requirements, StartSpec, draw};
use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_storage::Storage;
use chronix_storage::eventboard::{self as events, EventRefusal, EventStatus};
use chronix_storage::giveaways::{self as store, GiveawayRefusal, GiveawayStatus, Toggled};
use chronix_storage::jobs::{self as jobq, NewJob};
use chronix_storage::{Refusal, economy};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::{refusal, scalar, t};

both!(
    a_giveaway_ends_exactly_once_with_two_workers,
    entries_reroll_and_cancel,
    rsvp_capacity_holds_under_a_race_and_the_waitlist_moves_up,
    the_attendee_bonus_is_paid_once_and_a_weekly_event_moves_on,
);

const G: GuildId = GuildId::new(1);
const CH: ChannelId = ChannelId::new(100);
const HOST: UserId = UserId::new(5);

fn spec(winners: u32) -> StartSpec {
    StartSpec {
        prize: "Nitro".into(),
        duration: chrono::Duration::seconds(60),
        winners,
        requirements: Requirements {
            role: Some(RoleId::new(9)),
            ..Requirements::default()
        },
    }
}

fn gw_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> GiveawayRefusal {
    match refusal(r) {
        Refusal::Giveaway(g) => g,
        other => panic!("expected a giveaway refusal, got {other:?}"),
    }
}

fn seeded(seed: u64) -> impl FnMut(&[UserId], u32) -> Vec<UserId> + Send {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    move |e: &[UserId], n: u32| draw(e, &[], n, &mut rng)
}

async fn a_giveaway_ends_exactly_once_with_two_workers(s: Storage) {
    for round in 0..5 {
        let g = store::create(&s, G, CH, HOST, &spec(3), t(round))
            .await
            .unwrap();
        for u in 10..30 {
            store::set_entry(&s, g.id, UserId::new(u), true, t(round))
                .await
                .unwrap();
        }
        // The end job is queued once and claimed by one of two workers.
        jobq::enqueue(
            &s,
            NewJob::new(
                "giveaways.end",
                serde_json::json!({ "giveaway": g.id.get() }),
                t(60),
            )
            .dedupe_key(format!("giveaways.end:{}", g.id)),
            t(round),
        )
        .await
        .unwrap();
        let (a, b) = tokio::join!(
            jobq::claim_due_of(
                &s,
                "w1",
                t(61),
                10,
                chrono::Duration::seconds(30),
                Some(&["giveaways.end"])
            ),
            jobq::claim_due_of(
                &s,
                "w2",
                t(61),
                10,
                chrono::Duration::seconds(30),
                Some(&["giveaways.end"])
            ),
        );
        assert_eq!(
            a.unwrap().len() + b.unwrap().len(),
            1,
            "one worker claims the job"
        );
        // Two workers end it at once (the job on one process, a manager's `giveaway end` on
        // another): exactly one draws.
        let s1 = s.clone();
        let s2 = s.clone();
        let id = g.id;
        let w1 = tokio::spawn(async move { store::end(&s1, id, t(61), seeded(1)).await });
        let w2 = tokio::spawn(async move { store::end(&s2, id, t(61), seeded(2)).await });
        let (r1, r2) = (w1.await.unwrap(), w2.await.unwrap());
        let (ok, other) = match (r1, r2) {
            (Ok(e), other) | (other, Ok(e)) => (e, other),
            (a, b) => panic!("neither ended: {a:?} {b:?}"),
        };
        assert_eq!(gw_refusal(other), GiveawayRefusal::AlreadyEnded);
        assert_eq!(ok.entrants, 20);
        assert_eq!(ok.winners.len(), 3);
        assert_eq!(ok.giveaway.status, GiveawayStatus::Ended);
        let stored = store::winners(&s, g.id).await.unwrap();
        assert_eq!(stored.len(), 3, "winners stored once");
        assert!(
            stored
                .iter()
                .all(|(u, r)| *r == 1 && ok.winners.contains(u))
        );
        assert_eq!(
            scalar(
                &s,
                &format!(
                    "SELECT COUNT(*) FROM giveaway_winners WHERE giveaway_id = {}",
                    g.id
                )
            )
            .await,
            3
        );
        // Ending again is refused, also after a "restart" (a new draw function).
        assert_eq!(
            gw_refusal(store::end(&s, g.id, t(62), seeded(3)).await),
            GiveawayRefusal::AlreadyEnded
        );
    }
}

async fn entries_reroll_and_cancel(s: Storage) {
    let g = store::create(&s, G, CH, HOST, &spec(2), t(0))
        .await
        .unwrap();
    assert_eq!(g.requirements.role, Some(RoleId::new(9)));
    assert_eq!(g.ends_at, t(60));
    let a = UserId::new(10);
    assert_eq!(
        store::set_entry(&s, g.id, a, true, t(1)).await.unwrap(),
        Toggled::Entered(1)
    );
    assert_eq!(
        store::set_entry(&s, g.id, a, true, t(1)).await.unwrap(),
        Toggled::Entered(1),
        "a second entry is a no-op"
    );
    assert!(store::is_entered(&s, g.id, a).await.unwrap());
    assert_eq!(
        store::set_entry(&s, g.id, a, false, t(2)).await.unwrap(),
        Toggled::Left(0)
    );
    for u in 10..15 {
        store::set_entry(&s, g.id, UserId::new(u), true, t(3))
            .await
            .unwrap();
    }
    assert_eq!(store::entry_count(&s, g.id).await.unwrap(), 5);
    assert_eq!(
        gw_refusal(store::reroll(&s, g.id, 1, seeded(1)).await),
        GiveawayRefusal::NotEnded
    );
    let ended = store::end(&s, g.id, t(60), seeded(7)).await.unwrap();
    assert_eq!(ended.winners.len(), 2);
    // Entering after the end is refused.
    assert_eq!(
        gw_refusal(store::set_entry(&s, g.id, UserId::new(99), true, t(61)).await),
        GiveawayRefusal::AlreadyEnded
    );
    // Rerolls draw among those who have not won, each once, as new rounds.
    let r1 = store::reroll(&s, g.id, 2, seeded(8)).await.unwrap();
    assert_eq!(r1.len(), 2);
    assert!(r1.iter().all(|w| !ended.winners.contains(w)));
    let r2 = store::reroll(&s, g.id, 5, seeded(9)).await.unwrap();
    assert_eq!(r2.len(), 1, "one entrant left");
    assert!(
        store::reroll(&s, g.id, 1, seeded(10))
            .await
            .unwrap()
            .is_empty()
    );
    let all = store::winners(&s, g.id).await.unwrap();
    assert_eq!(all.len(), 5);
    let rounds: Vec<u32> = all.iter().map(|w| w.1).collect();
    assert_eq!(rounds, vec![1, 1, 2, 2, 3]);
    // Cancel: only while open.
    let g2 = store::create(&s, G, CH, HOST, &spec(1), t(0))
        .await
        .unwrap();
    let c = store::cancel(&s, g2.id, t(5)).await.unwrap();
    assert_eq!(c.status, GiveawayStatus::Cancelled);
    assert_eq!(
        gw_refusal(store::end(&s, g2.id, t(60), seeded(1)).await),
        GiveawayRefusal::Cancelled
    );
    assert_eq!(
        gw_refusal(store::cancel(&s, g.id, t(5)).await),
        GiveawayRefusal::AlreadyEnded
    );
    // Another server's id is not found; invalid specs are refused.
    assert_eq!(
        gw_refusal(store::get_in(&s, GuildId::new(2), g.id).await),
        GiveawayRefusal::NotFound
    );
    let mut bad = spec(0);
    bad.winners = 0;
    assert!(matches!(
        gw_refusal(store::create(&s, G, CH, HOST, &bad, t(0)).await),
        GiveawayRefusal::Invalid(_)
    ));
    let listed = store::list(&s, G, 5).await.unwrap();
    assert_eq!(listed.len(), 2);
    // Manager role round trip.
    assert_eq!(store::manager_role(&s, G).await.unwrap(), None);
    store::set_manager_role(&s, G, Some(RoleId::new(77)))
        .await
        .unwrap();
    assert_eq!(
        store::manager_role(&s, G).await.unwrap(),
        Some(RoleId::new(77))
    );
    store::set_manager_role(&s, G, None).await.unwrap();
    assert_eq!(store::manager_role(&s, G).await.unwrap(), None);
}

fn event_spec(capacity: Option<u32>, recurrence: Recurrence) -> EventSpec {
    EventSpec {
        title: "Raid".into(),
        description: "Bring potions".into(),
        starts_at: t(3_600),
        duration: chrono::Duration::hours(1),
        recurrence,
        capacity,
        remind_by: RemindBy::Dm,
        remind_before: chrono::Duration::minutes(15),
    }
}

fn ev_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> EventRefusal {
    match refusal(r) {
        Refusal::Event(e) => e,
        other => panic!("expected an event refusal, got {other:?}"),
    }
}

async fn rsvp_capacity_holds_under_a_race_and_the_waitlist_moves_up(s: Storage) {
    let e = events::create(
        &s,
        G,
        CH,
        HOST,
        &event_spec(Some(3), Recurrence::None),
        t(0),
    )
    .await
    .unwrap();
    // 12 members click "going" at once: 3 seats, 9 on the waitlist.
    let s = Arc::new(s);
    let mut tasks = Vec::new();
    for u in 10..22u64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            events::rsvp(&s, e.id, UserId::new(u), Rsvp::Going, t(1)).await
        }));
    }
    let mut states = Vec::new();
    for t in tasks {
        states.push(t.await.unwrap().unwrap().state);
    }
    assert_eq!(states.iter().filter(|s| **s == Rsvp::Going).count(), 3);
    assert_eq!(states.iter().filter(|s| **s == Rsvp::Waitlist).count(), 9);
    let c = events::counts(&s, e.id).await.unwrap();
    assert_eq!((c.going, c.waitlist), (3, 9));
    let going = events::members(&s, e.id, Rsvp::Going).await.unwrap();
    let line = events::members(&s, e.id, Rsvp::Waitlist).await.unwrap();
    // A going member says maybe: the first in line is promoted.
    let a = events::rsvp(&s, e.id, going[0], Rsvp::Maybe, t(2))
        .await
        .unwrap();
    assert_eq!(a.state, Rsvp::Maybe);
    assert_eq!(a.promoted, vec![line[0]]);
    assert_eq!(
        (a.counts.going, a.counts.maybe, a.counts.waitlist),
        (3, 1, 8)
    );
    // Clicking going again while seated changes nothing; a waitlisted member stays in line.
    let same = events::rsvp(&s, e.id, going[1], Rsvp::Going, t(3))
        .await
        .unwrap();
    assert!(!same.changed);
    let wait = events::rsvp(&s, e.id, line[1], Rsvp::Going, t(3))
        .await
        .unwrap();
    assert_eq!((wait.state, wait.changed), (Rsvp::Waitlist, false));
    // The one who said maybe wants to go again: back of the line.
    let back = events::rsvp(&s, e.id, going[0], Rsvp::Going, t(4))
        .await
        .unwrap();
    assert_eq!(back.state, Rsvp::Waitlist);
    let line = events::members(&s, e.id, Rsvp::Waitlist).await.unwrap();
    assert_eq!(line.last(), Some(&going[0]));
    // Not going frees a place too.
    let n = events::rsvp(&s, e.id, going[1], Rsvp::NotGoing, t(5))
        .await
        .unwrap();
    assert_eq!(n.promoted, vec![line[0]]);
    assert_eq!(n.counts.not_going, 1);
    // Unlimited events never waitlist; cancelled ones refuse.
    let open = events::create(&s, G, CH, HOST, &event_spec(None, Recurrence::None), t(0))
        .await
        .unwrap();
    for u in 10..30u64 {
        let a = events::rsvp(&s, open.id, UserId::new(u), Rsvp::Going, t(1))
            .await
            .unwrap();
        assert_eq!(a.state, Rsvp::Going);
    }
    events::cancel(&s, open.id, t(2)).await.unwrap();
    assert_eq!(
        ev_refusal(events::rsvp(&s, open.id, UserId::new(50), Rsvp::Going, t(3)).await),
        EventRefusal::Closed
    );
    assert_eq!(events::upcoming(&s, G).await.unwrap().len(), 1);
    // Invalid options: the start must be in the future.
    let mut past = event_spec(None, Recurrence::None);
    past.starts_at = t(0);
    assert!(matches!(
        ev_refusal(events::create(&s, G, CH, HOST, &past, t(10)).await),
        EventRefusal::Invalid(_)
    ));
}

async fn the_attendee_bonus_is_paid_once_and_a_weekly_event_moves_on(s: Storage) {
    let e = events::create(
        &s,
        G,
        CH,
        HOST,
        &event_spec(Some(2), Recurrence::Weekly),
        t(0),
    )
    .await
    .unwrap();
    let (a, b, c, m) = (
        UserId::new(10),
        UserId::new(11),
        UserId::new(12),
        UserId::new(13),
    );
    for u in [a, b, c] {
        events::rsvp(&s, e.id, u, Rsvp::Going, t(1)).await.unwrap();
    }
    events::rsvp(&s, e.id, m, Rsvp::Maybe, t(1)).await.unwrap();
    let bonus = AttendeeBonus {
        xp: 50,
        chrons: 100,
    };
    let level = |xp: i64| u32::try_from(xp / 10).unwrap();
    let now = t(3_600 + 3_600);
    let done = events::finish_occurrence(&s, e.id, e.starts_at, bonus, level, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        done.rewarded,
        vec![a, b],
        "going members only, not maybe or the waitlist"
    );
    assert_eq!(done.event.status, EventStatus::Scheduled);
    assert_eq!(
        done.event.starts_at,
        e.starts_at + chrono::Duration::weeks(1)
    );
    assert_eq!(
        events::counts(&s, e.id).await.unwrap(),
        Default::default(),
        "RSVPs start over"
    );
    for u in [a, b] {
        assert_eq!(economy::balance(&s, u).await.unwrap(), Chrons::new(100));
        assert_eq!(
            scalar(
                &s,
                &format!("SELECT xp FROM guild_users WHERE guild_id = 1 AND user_id = {u}")
            )
            .await,
            50
        );
        assert_eq!(
            scalar(&s, &format!("SELECT CAST(level AS BIGINT) FROM guild_users WHERE guild_id = 1 AND user_id = {u}")).await,
            5
        );
    }
    assert_eq!(economy::balance(&s, c).await.unwrap(), Chrons::ZERO);
    // The same occurrence again (a job that ran twice): nothing.
    assert!(
        events::finish_occurrence(&s, e.id, e.starts_at, bonus, level, now)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(economy::balance(&s, a).await.unwrap(), Chrons::new(100));
    assert_eq!(
        scalar(
            &s,
            "SELECT COUNT(*) FROM transactions WHERE kind = 'event_bonus'"
        )
        .await,
        2
    );
    // A one-off event finishes.
    let once = events::create(&s, G, CH, HOST, &event_spec(None, Recurrence::None), t(0))
        .await
        .unwrap();
    events::rsvp(&s, once.id, a, Rsvp::Going, t(1))
        .await
        .unwrap();
    let done = events::finish_occurrence(&s, once.id, once.starts_at, bonus, level, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.event.status, EventStatus::Finished);
    assert_eq!(economy::balance(&s, a).await.unwrap(), Chrons::new(200));
}
