//! The feature API's event listeners and jobs, end to end: a test feature subscribes to gateway
//! events, the sandbox emits them, and the listeners see each kind; a failing and a panicking
//! listener are reported and do not stop the others; a one-shot job survives a restart and runs
//! once.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

use chronix_discord::events::{Event, EventKind};
use chronix_discord::registry::{BoxFuture, Feature};
use chronix_discord::scheduler::{JobContext, JobKind};
use chronix_discord::serenity;
use chronix_discord::{Data, Error};
use chronix_sandbox::ChannelKind;

use crate::helpers::*;

/// What the recording listener saw (only one World of this file uses it at a time).
static SEEN: Mutex<Vec<EventKind>> = Mutex::new(Vec::new());
/// What the recording job ran.
static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record<'a>(
    _ctx: &'a serenity::Context,
    _data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        // Bots' own messages (the error reports) are not what this test counts.
        if let Event::MessageCreate(m) = event {
            if m.author.bot {
                return Ok(());
            }
        }
        SEEN.lock().unwrap().push(event.kind());
        Ok(())
    })
}

fn fail<'a>(
    _ctx: &'a serenity::Context,
    _data: &'a Data,
    _event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move { Err(anyhow::anyhow!("this listener always fails")) })
}

fn explode<'a>(
    _ctx: &'a serenity::Context,
    _data: &'a Data,
    _event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move { panic!("this listener always panics") })
}

fn remember<'a>(
    _ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        RAN.lock()
            .unwrap()
            .push(job.payload["note"].as_str().unwrap_or("").to_string());
        Ok(())
    })
}

fn test_feature() -> Feature {
    Feature::new("listen_test", Vec::new)
        .switch("misc")
        .on(EventKind::ALL, record)
        .on(&[EventKind::MemberJoin], fail)
        .on(&[EventKind::MemberJoin], explode)
        .job(JobKind::once("test.remember", remember))
}

async fn wait_for_kinds(kinds: &[EventKind]) -> BTreeMap<EventKind, usize> {
    let end = Instant::now() + REPLY;
    loop {
        let seen: BTreeMap<EventKind, usize> =
            SEEN.lock()
                .unwrap()
                .iter()
                .fold(BTreeMap::new(), |mut m, k| {
                    *m.entry(*k).or_default() += 1;
                    m
                });
        if kinds.iter().all(|k| seen.contains_key(k)) || Instant::now() > end {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn listeners_receive_each_event_kind_and_failures_do_not_stop_others() {
    SEEN.lock().unwrap().clear();
    let (w, _) = World::start_with(Setup {
        features: vec![test_feature()],
        ..Setup::default()
    })
    .await;
    w.say(w.owner, &format!("chro errorlog set <#{}>", w.error_log))
        .await;
    let sb = &w.sb;
    let g = w.guild.id;

    // Messages and reactions.
    let msg = sb.send_message(w.member, w.guild.general, "hello listeners");
    sb.edit_user_message(msg, "hello listeners, edited");
    sb.react(w.member, msg, "👍");
    sb.unreact(w.member, msg, "👍");
    sb.delete_user_message(msg);
    // Members: join (the failing and panicking listeners run too), update, leave.
    let newcomer = sb.create_user("newcomer");
    sb.add_member(g, newcomer);
    let role = sb.create_role(g, "Helpers", 0);
    sb.update_role(role, |r| r.name = "Helpers!".into());
    sb.give_role(g, newcomer, role);
    sb.remove_member(g, newcomer);
    // Channels and voice.
    let voice = sb.create_channel(g, "Lounge", ChannelKind::Voice);
    sb.join_voice(w.member, g, voice);
    // Guilds: the bot joins one and is removed from it.
    let other = sb.create_guild("Other Guild");
    // The bot's own actions through REST: a pin, a bulk delete, a ban.
    let http = w.bot().http().clone();
    let general = serenity::ChannelId::new(w.guild.general);
    let a = sb.send_message(w.member, w.guild.general, "pin me");
    general
        .pin(&http, serenity::MessageId::new(a))
        .await
        .expect("pin");
    let b = sb.send_message(w.member, w.guild.general, "bulk one");
    let c = sb.send_message(w.member, w.guild.general, "bulk two");
    general
        .delete_messages(
            &http,
            [serenity::MessageId::new(b), serenity::MessageId::new(c)],
        )
        .await
        .expect("bulk delete");
    serenity::GuildId::new(g)
        .ban(&http, serenity::UserId::new(w.member), 0)
        .await
        .expect("ban");

    let expected = [
        EventKind::MessageCreate,
        EventKind::MessageUpdate,
        EventKind::ReactionAdd,
        EventKind::ReactionRemove,
        EventKind::MessageDelete,
        EventKind::MemberJoin,
        EventKind::RoleCreate,
        EventKind::RoleUpdate,
        EventKind::MemberUpdate,
        EventKind::MemberLeave,
        EventKind::ChannelCreate,
        EventKind::VoiceState,
        EventKind::GuildJoin,
        // (PinsUpdate: the sandbox does not emit CHANNEL_PINS_UPDATE yet.)
        EventKind::MessageDeleteBulk,
        EventKind::BanAdd,
    ];
    let seen = wait_for_kinds(&expected).await;
    for k in expected {
        assert!(
            seen.contains_key(&k),
            "{k:?} never reached the listener: {seen:?}"
        );
    }
    sb.remove_bot_from_guild(other.id);
    let seen = wait_for_kinds(&[EventKind::GuildLeave]).await;
    assert!(seen.contains_key(&EventKind::GuildLeave), "{seen:?}");

    // The failing and the panicking listener were reported (error id in the error log) and
    // counted; the recording listener still saw the join.
    let mut reports = Vec::new();
    while let Ok(m) = sb.wait_for_message(w.error_log, REPLY).await {
        reports.push(description(&m));
        if reports.len() == 2 {
            break;
        }
    }
    assert!(
        reports
            .iter()
            .any(|r| r.contains("this listener always fails")),
        "{reports:?}"
    );
    assert!(
        reports
            .iter()
            .any(|r| r.contains("panic: this listener always panics")),
        "{reports:?}"
    );
    let failures = w.bot().data().metrics().listener_failures();
    assert_eq!(failures.get("listen_test"), Some(&2), "{failures:?}");
    assert_eq!(seen[&EventKind::MemberJoin], 1);
}

#[tokio::test]
async fn a_one_shot_job_survives_a_restart_and_runs_once() {
    RAN.lock().unwrap().clear();
    let (mut w, _) = World::start_with(Setup {
        features: vec![test_feature()],
        env: vec![("SCHEDULER_TICK_MS", "50".into())],
        ..Setup::default()
    })
    .await;
    // Queued for a moment after the bot stops.
    let at = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    chronix_discord::scheduler::enqueue(
        w.bot().data(),
        "test.remember",
        serde_json::json!({"note": "after restart"}),
        at,
        Some("remember-once".into()),
    )
    .await
    .unwrap();
    w.bot.take().unwrap().shutdown().await;
    assert!(RAN.lock().unwrap().is_empty(), "not due yet");
    tokio::time::sleep(Duration::from_millis(1600)).await;
    w.restart_bot(vec![test_feature()]).await;
    let end = Instant::now() + REPLY;
    while RAN.lock().unwrap().is_empty() && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A few more ticks: it must not run again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(*RAN.lock().unwrap(), ["after restart"]);
}

/// Joins the slow listener has finished.
static SLOW_DONE: AtomicUsize = AtomicUsize::new(0);

fn slow<'a>(
    _ctx: &'a serenity::Context,
    _data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        if let Event::MemberJoin(_) = event {
            tokio::time::sleep(Duration::from_millis(20)).await;
            SLOW_DONE.fetch_add(1, SeqCst);
        }
        Ok(())
    })
}

/// A flood of joins that the listeners cannot keep up with: the gateway is read more slowly
/// (the kernel holds a bounded number of events), and every join is still handled once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_events_is_read_at_the_listeners_pace_and_none_is_lost() {
    use chronix_discord::flood::HOLD_AT;
    const JOINS: usize = 3000;
    SLOW_DONE.store(0, SeqCst);
    let (w, _) = World::start_with(Setup {
        features: vec![
            Feature::new("flood_test", Vec::new)
                .switch("misc")
                .on(&[EventKind::MemberJoin], slow),
        ],
        // Only the slow listener hears the joins.
        env: vec![
            ("ENABLE_INVITES", "false".into()),
            ("ENABLE_WELCOME", "false".into()),
            ("ENABLE_LOGGING", "false".into()),
            ("ENABLE_LEVELS", "false".into()),
        ],
        // Discord's: the backlog (about a second) stays well inside one heartbeat interval.
        heartbeat: Duration::from_millis(41_250),
        ..Setup::default()
    })
    .await;
    let g = w.guild.id;
    let users: Vec<_> = (0..JOINS)
        .map(|i| w.sb.create_user(&format!("raider{i}")))
        .collect();
    for u in users {
        w.sb.add_member(g, u);
    }
    let end = Instant::now() + Duration::from_secs(60);
    while SLOW_DONE.load(SeqCst) < JOINS && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A moment more: no join is handled twice.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(SLOW_DONE.load(SeqCst), JOINS);
    let flood = w.bot().data().flood();
    // 3,000 joins of 20 ms each, 64 at a time, take about a second, far longer than reading
    // them: the loop had to wait, and the kernel never held much more than the mark (events
    // started between two checks of the loop); without flood control it held nearly 3,000.
    assert!(flood.waits() > 0, "the gateway loop never waited");
    assert!(
        flood.peak() <= 2 * HOLD_AT,
        "held {} events at once (mark {HOLD_AT})",
        flood.peak()
    );
    assert_eq!(flood.held(), 0);
    // One session throughout: nothing was lost to a reconnection.
    assert_eq!(w.sb.identify_count(), 1);
}
