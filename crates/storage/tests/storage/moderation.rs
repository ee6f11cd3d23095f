//! Moderation cases on both backends: per-guild numbering without gaps or duplicates when many
//! moderators act at once, a manual action recorded once per audit-log entry, a timed case
//! queues its expiry job in the same transaction and ends exactly once across two workers,
//! warnings, reasons, soft delete with an audit row.

use std::collections::BTreeSet;

use chronix_core::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use chronix_core::moderation::{CaseKind, CaseTarget, Overwrite};
use chronix_storage::moderation::locks::{self, ChannelLock, KeptOverwrite};
use chronix_storage::moderation::{self, CaseSource, Created, ModerationRefusal, NewCase};
use chronix_storage::{Refusal, Storage, audit, jobs};
use chrono::Duration;

use crate::{refusal, scalar, t};

both!(
    case_numbers_have_no_gaps_or_duplicates_under_concurrency,
    manual_cases_are_recorded_once_per_audit_entry,
    timed_case_queues_its_job_and_ends_exactly_once,
    warnings_reasons_history_and_delete,
    locks_keep_the_first_previous_overwrite,
    lockdown_runs_once_and_channel_cases_keep_their_target,
);

const G: GuildId = GuildId::new(500);
const G2: GuildId = GuildId::new(501);
const MODA: UserId = UserId::new(10);
const MODB: UserId = UserId::new(11);
const TARGET: UserId = UserId::new(20);

fn created(c: Created) -> moderation::Case {
    match c {
        Created::New(c) => c,
        other => panic!("expected a new case, got {other:?}"),
    }
}

async fn case_numbers_have_no_gaps_or_duplicates_under_concurrency(s: Storage) {
    let mut tasks = Vec::new();
    for i in 0..40u64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let guild = if i % 4 == 0 { G2 } else { G };
            let moderator = if i % 2 == 0 { MODA } else { MODB };
            let new = NewCase::new(guild, CaseKind::Warn, UserId::new(100 + i), moderator);
            created(moderation::create(&s, &new, t(i as i64)).await.unwrap())
        }));
    }
    let mut by_guild: std::collections::HashMap<GuildId, Vec<u32>> = Default::default();
    for task in tasks {
        let c = task.await.unwrap();
        by_guild.entry(c.guild).or_default().push(c.number);
    }
    for (guild, n) in [(G, 30u32), (G2, 10u32)] {
        let got: BTreeSet<u32> = by_guild[&guild].iter().copied().collect();
        assert_eq!(by_guild[&guild].len(), n as usize, "{guild:?}");
        assert_eq!(
            got,
            (1..=n).collect::<BTreeSet<u32>>(),
            "{guild:?}: 1..={n}"
        );
    }
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM mod_cases").await,
        40,
        "one row per case"
    );
    // a deleted case keeps its number: the next one goes on
    moderation::delete(&s, G, 30, MODA, t(100)).await.unwrap();
    let next = created(
        moderation::create(&s, &NewCase::new(G, CaseKind::Kick, TARGET, MODA), t(101))
            .await
            .unwrap(),
    );
    assert_eq!(next.number, 31);
}

async fn manual_cases_are_recorded_once_per_audit_entry(s: Storage) {
    let mut new = NewCase::new(G, CaseKind::Ban, TARGET, MODB);
    new.source = CaseSource::Manual;
    new.audit_entry = Some(9_000_000_000_000_000_001);
    new.reason = Some("raid".into());
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let (s, new) = (s.clone(), new.clone());
        tasks.push(tokio::spawn(async move {
            moderation::create(&s, &new, t(0)).await.unwrap()
        }));
    }
    let mut news = 0;
    let mut numbers = BTreeSet::new();
    for task in tasks {
        match task.await.unwrap() {
            Created::New(c) => {
                news += 1;
                assert_eq!(
                    (c.source, c.audit_entry, c.reason.as_deref()),
                    (
                        CaseSource::Manual,
                        Some(9_000_000_000_000_000_001),
                        Some("raid")
                    )
                );
                numbers.insert(c.number);
            }
            Created::AlreadyRecorded(n) => {
                numbers.insert(n);
            }
        }
    }
    assert_eq!(news, 1, "one case for one audit-log entry");
    assert_eq!(numbers, BTreeSet::from([1]));
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM mod_cases").await, 1);
    // the same entry id on another guild is another entry
    let mut other = new.clone();
    other.guild = G2;
    assert!(matches!(
        moderation::create(&s, &other, t(1)).await.unwrap(),
        Created::New(_)
    ));
}

async fn timed_case_queues_its_job_and_ends_exactly_once(s: Storage) {
    let mut new = NewCase::new(G, CaseKind::TempBan, TARGET, MODA);
    new.duration = Some(Duration::hours(2));
    new.expire_job = Some("moderation.expire");
    new.linked_messages = vec![MessageId::new(77)];
    let c = created(moderation::create(&s, &new, t(0)).await.unwrap());
    assert_eq!(c.expires_at, Some(t(7_200)));
    assert!(c.active);
    assert_eq!(c.linked_messages, vec![MessageId::new(77)]);
    assert_eq!(
        moderation::active_timed(&s, G, TARGET, CaseKind::TempBan)
            .await
            .unwrap()
            .map(|c| c.number),
        Some(1)
    );
    // the job is there, due at the expiry, once
    let lease = Duration::seconds(60);
    assert!(
        jobs::claim_due(&s, "w1", t(7_199), 10, lease)
            .await
            .unwrap()
            .is_empty(),
        "not due before the expiry"
    );
    let (a, b) = tokio::join!(
        jobs::claim_due(&s, "w1", t(7_200), 10, lease),
        jobs::claim_due(&s, "w2", t(7_200), 10, lease)
    );
    let claimed: Vec<_> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(claimed.len(), 1, "two workers, one claim");
    assert_eq!(claimed[0].kind, "moderation.expire");
    assert_eq!(
        claimed[0].payload.0,
        serde_json::json!({ "case_id": c.id.get() })
    );
    // ending: exactly one of many concurrent enders wins
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            moderation::end(&s, c.id, t(7_200)).await.unwrap()
        }));
    }
    let mut wins = 0;
    for task in tasks {
        if task.await.unwrap() {
            wins += 1;
        }
    }
    assert_eq!(wins, 1);
    let after = moderation::get_by_id(&s, c.id).await.unwrap().unwrap();
    assert!(!after.active);
    assert_eq!(after.ended_at, Some(t(7_200)));
    assert!(
        moderation::active_timed(&s, G, TARGET, CaseKind::TempBan)
            .await
            .unwrap()
            .is_none()
    );
    // a permanent ban queues nothing and is not "active"
    let mut ban = NewCase::new(G, CaseKind::Ban, TARGET, MODA);
    ban.expire_job = Some("moderation.expire");
    let b = created(moderation::create(&s, &ban, t(8_000)).await.unwrap());
    assert!(!b.active && b.expires_at.is_none());
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM jobs").await, 1);
}

async fn warnings_reasons_history_and_delete(s: Storage) {
    for i in 0..3 {
        let mut w = NewCase::new(G, CaseKind::Warn, TARGET, MODA);
        w.reason = Some(format!("warning {i}"));
        moderation::create(&s, &w, t(i)).await.unwrap();
    }
    moderation::create(&s, &NewCase::new(G, CaseKind::Kick, TARGET, MODB), t(10))
        .await
        .unwrap();
    let w = moderation::warnings(&s, G, TARGET).await.unwrap();
    assert_eq!(w.iter().map(|c| c.number).collect::<Vec<_>>(), [1, 2, 3]);
    // unwarn: only an active warning
    moderation::unwarn(&s, G, 2, t(20)).await.unwrap();
    assert_eq!(
        refusal(moderation::unwarn(&s, G, 2, t(21)).await),
        Refusal::Moderation(ModerationRefusal::NotAWarning(2))
    );
    assert_eq!(
        refusal(moderation::unwarn(&s, G, 4, t(21)).await),
        Refusal::Moderation(ModerationRefusal::NotAWarning(4)),
        "a kick is not a warning"
    );
    assert_eq!(moderation::warnings(&s, G, TARGET).await.unwrap().len(), 2);
    assert_eq!(
        moderation::clear_warnings(&s, G, TARGET, t(30))
            .await
            .unwrap(),
        2
    );
    assert!(
        moderation::warnings(&s, G, TARGET)
            .await
            .unwrap()
            .is_empty()
    );
    // reason
    let c = moderation::set_reason(&s, G, 4, "spam in #general", t(40))
        .await
        .unwrap();
    assert_eq!(
        (c.number, c.kind, c.reason.as_deref()),
        (4, CaseKind::Kick, Some("spam in #general"))
    );
    assert_eq!(
        refusal(moderation::set_reason(&s, G, 99, "x", t(40)).await),
        Refusal::Moderation(ModerationRefusal::NoSuchCase(99))
    );
    // history, newest first, paged
    let page: Vec<u32> = moderation::history(&s, G, TARGET, 0, 3)
        .await
        .unwrap()
        .iter()
        .map(|c| c.number)
        .collect();
    assert_eq!(page, [4, 3, 2]);
    assert_eq!(moderation::count(&s, G, TARGET).await.unwrap(), 4);
    // delete: gone from lookups, audited
    let d = moderation::delete(&s, G, 1, MODB, t(50)).await.unwrap();
    assert_eq!(d.reason.as_deref(), Some("warning 0"));
    assert!(moderation::get(&s, G, 1).await.unwrap().is_none());
    assert_eq!(moderation::count(&s, G, TARGET).await.unwrap(), 3);
    assert_eq!(
        refusal(moderation::delete(&s, G, 1, MODB, t(51)).await),
        Refusal::Moderation(ModerationRefusal::NoSuchCase(1))
    );
    let a = audit::recent(&s, 1).await.unwrap();
    assert_eq!(
        (a[0].action.as_str(), a[0].actor_id, a[0].guild()),
        ("moderation.case_delete", MODB, Some(G))
    );
    assert!(a[0].details.contains("\"case\":1"), "{}", a[0].details);
    assert!(audit::verify(&s).await.unwrap().is_intact());
    // DM setting
    assert!(moderation::dm_targets(&s, G).await.unwrap());
    moderation::set_dm_targets(&s, G, false, t(60))
        .await
        .unwrap();
    assert!(!moderation::dm_targets(&s, G).await.unwrap());
    moderation::set_dm_targets(&s, G, true, t(61))
        .await
        .unwrap();
    assert!(moderation::dm_targets(&s, G).await.unwrap());
}

fn lock_of(channel: u64, previous: Option<Overwrite>, lockdown: bool) -> ChannelLock {
    ChannelLock {
        guild: G,
        channel: ChannelId::new(channel),
        lockdown,
        previous,
        bot: None,
        locked_by: MODA,
        locked_at: t(10),
    }
}

async fn locks_keep_the_first_previous_overwrite(s: Storage) {
    let custom = Overwrite {
        allow: 1 << 6,
        deny: (1 << 15) | (1 << 51),
    };
    assert!(
        locks::remember(&s, &lock_of(1, Some(custom), false))
            .await
            .unwrap()
    );
    // a second lock (or a lockdown run again) does not replace what was there first
    let again = lock_of(
        1,
        Some(Overwrite {
            allow: 0,
            deny: 1 << 11,
        }),
        true,
    );
    assert!(!locks::remember(&s, &again).await.unwrap());
    let got = locks::get(&s, G, ChannelId::new(1)).await.unwrap().unwrap();
    assert_eq!(got, lock_of(1, Some(custom), false));
    assert!(locks::remember(&s, &lock_of(2, None, true)).await.unwrap());
    let mut with_bot = lock_of(3, None, true);
    with_bot.bot = Some(KeptOverwrite {
        user: MODB,
        previous: Some(Overwrite {
            allow: 1 << 10,
            deny: 0,
        }),
    });
    assert!(locks::remember(&s, &with_bot).await.unwrap());
    assert_eq!(
        locks::get(&s, G, ChannelId::new(3)).await.unwrap().unwrap(),
        with_bot
    );
    assert_eq!(
        locks::get(&s, G, ChannelId::new(2))
            .await
            .unwrap()
            .unwrap()
            .previous,
        None,
        "no overwrite before stays none"
    );
    let channels = |v: Vec<ChannelLock>| v.iter().map(|l| l.channel.get()).collect::<Vec<_>>();
    assert_eq!(
        channels(locks::locked(&s, G, false).await.unwrap()),
        [1, 2, 3]
    );
    assert_eq!(channels(locks::locked(&s, G, true).await.unwrap()), [2, 3]);
    assert!(locks::locked(&s, G2, false).await.unwrap().is_empty());
    assert!(locks::forget(&s, G, ChannelId::new(2)).await.unwrap());
    assert!(!locks::forget(&s, G, ChannelId::new(2)).await.unwrap());
    assert_eq!(channels(locks::locked(&s, G, true).await.unwrap()), [3]);
}

async fn lockdown_runs_once_and_channel_cases_keep_their_target(s: Storage) {
    assert_eq!(locks::lockdown(&s, G).await.unwrap(), None);
    assert_eq!(
        locks::start_lockdown(&s, G, MODA, Some("raid"), t(5))
            .await
            .unwrap(),
        None,
        "started"
    );
    let running = locks::start_lockdown(&s, G, MODB, None, t(6))
        .await
        .unwrap()
        .expect("already running");
    assert_eq!(
        (running.started_by, running.reason.as_deref()),
        (MODA, Some("raid"))
    );
    assert!(locks::end_lockdown(&s, G).await.unwrap());
    assert!(!locks::end_lockdown(&s, G).await.unwrap());

    let lock = created(
        moderation::create(
            &s,
            &NewCase::new(
                G,
                CaseKind::Lock,
                CaseTarget::Channel(ChannelId::new(77)),
                MODA,
            ),
            t(7),
        )
        .await
        .unwrap(),
    );
    assert_eq!(lock.target, CaseTarget::Channel(ChannelId::new(77)));
    let mut role = NewCase::new(G, CaseKind::RoleAdd, TARGET, MODA);
    role.role = Some(RoleId::new(900));
    let role = created(moderation::create(&s, &role, t(8)).await.unwrap());
    let back = moderation::get(&s, G, role.number).await.unwrap().unwrap();
    assert_eq!(
        (back.kind, back.target, back.role),
        (
            CaseKind::RoleAdd,
            CaseTarget::User(TARGET),
            Some(RoleId::new(900))
        )
    );
    let down = created(
        moderation::create(
            &s,
            &NewCase::new(G, CaseKind::Lockdown, CaseTarget::Server(G), MODA),
            t(9),
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        moderation::get(&s, G, down.number)
            .await
            .unwrap()
            .unwrap()
            .target,
        CaseTarget::Server(G)
    );
    assert_eq!(
        moderation::count(&s, G, TARGET).await.unwrap(),
        1,
        "a member's history holds their cases only"
    );
}
