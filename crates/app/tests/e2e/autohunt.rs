//! Autohunt through the sandbox (upgrades that succeed are covered by the storage tests) (spec §XIX: "chro autohunt enable starts recurring cycle and
//! updates live embed"): the live embed is the reply to `enable` and is **edited** in place by
//! the scheduler (1 s interval, 100 ms ticks here); aliases and slash forms; stopping; running
//! out of Chrons disables the session and DMs the player.

use chronix_core::ids::{MessageId, UserId};
use std::time::Duration;

use chronix_sandbox::CommandCall;
use chronix_storage::autohunt;
use chronix_storage::economy;

use crate::helpers::*;

/// The live message id stored for `user`, waiting for the bot to save it (it does so right
/// after sending the reply).
async fn stored_live_message(
    s: &chronix_storage::Storage,
    user: UserId,
    expected: u64,
) -> Option<MessageId> {
    let end = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let id = autohunt::get(s, user)
            .await
            .unwrap()
            .and_then(|x| x.live_message());
        if id == Some(MessageId::new(expected)) || std::time::Instant::now() > end {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn fast() -> Setup {
    Setup {
        env: vec![
            ("AUTOHUNT_INTERVAL_SECS", "1".into()),
            ("SCHEDULER_TICK_MS", "100".into()),
        ],
        ..Setup::default()
    }
}

#[tokio::test]
async fn enable_starts_the_cycle_and_the_live_embed_is_edited_not_reposted() {
    let (w, _) = World::start_with(fast()).await;
    let s = w.db.storage();
    let user = w.owner as i64;
    seed(&s, w.owner, 10_000).await;

    let live = w.say(w.owner, "chro autohunt enable").await;
    assert_eq!(title(&live), "💠 Autohunt");
    assert!(
        field(&live, "Status").starts_with("🟢 Running"),
        "{}",
        field(&live, "Status")
    );
    assert_eq!(field(&live, "🎒 Last loot"), "— (no run yet)");
    for name in [
        "✨ Essence",
        "💠 This cycle",
        "🐾 Active pets",
        "⬆️ Next upgrade",
    ] {
        assert!(field_names(&live).contains(&name.to_string()), "{name}");
    }
    assert!(
        autohunt::get(&s, UserId::from_db(user))
            .await
            .unwrap()
            .unwrap()
            .enabled
    );
    assert_eq!(
        stored_live_message(&s, UserId::from_db(user), live.id).await,
        Some(MessageId::from_db(live.id as i64))
    );

    // The next run edits the same message.
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("the live embed is edited after a run");
    assert_eq!(edited.id, live.id, "edited in place");
    assert_ne!(field(&edited, "🎒 Last loot"), "— (no run yet)");
    assert!(field(&edited, "💠 This cycle").contains("runs"));
    // … and nothing was re-posted.
    assert!(
        w.sb.wait_for_message(w.guild.general, Duration::from_millis(1500))
            .await
            .is_err(),
        "no new message: the live embed is edited, not re-posted"
    );
    let session = autohunt::get(&s, UserId::from_db(user))
        .await
        .unwrap()
        .unwrap();
    assert!(session.total_runs >= 1);
    assert_eq!(session.live_message(), Some(MessageId::new(live.id)));
    let runs = economy::history(&s, UserId::from_db(user), 100, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "autohunt")
        .count() as i64;
    assert!(runs >= 1 && runs <= session.total_runs);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());

    // `ah off` stops it.
    let m = w.say(w.owner, "chro ah off").await;
    assert_eq!(title(&m), "💠 Autohunt stopped");
    assert!(
        !autohunt::get(&s, UserId::from_db(user))
            .await
            .unwrap()
            .unwrap()
            .enabled
    );
}

#[tokio::test]
async fn aliases_slash_forms_status_and_upgrade() {
    let (w, _) = World::start_with(Setup {
        env: vec![("AUTOHUNT_INTERVAL_SECS", "600".into())],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    let user = w.member as i64;
    seed(&s, w.member, 5_000).await;

    let m = w.say(w.member, "chro ah on").await;
    assert_eq!(title(&m), "💠 Autohunt");
    assert!(
        autohunt::get(&s, UserId::from_db(user))
            .await
            .unwrap()
            .unwrap()
            .enabled
    );
    let m = w.say(w.member, "chro autoh status").await;
    assert_eq!(title(&m), "💠 Autohunt");
    let m = w.say(w.member, "chro autohunt disable").await;
    assert_eq!(title(&m), "💠 Autohunt stopped");

    let m = w
        .slash(w.member, CommandCall::new("autohunt").sub("enable"))
        .await;
    assert_eq!(title(&m), "💠 Autohunt");
    assert!(
        autohunt::get(&s, UserId::from_db(user))
            .await
            .unwrap()
            .unwrap()
            .enabled
    );
    assert_eq!(
        stored_live_message(&s, UserId::from_db(user), m.id).await,
        Some(MessageId::from_db(m.id as i64)),
        "the slash reply is the live embed"
    );
    let m = w
        .slash(w.member, CommandCall::new("autohunt").sub("status"))
        .await;
    assert!(field(&m, "Status").starts_with("🟢 Running"));

    // Upgrades spend essence; without enough, a friendly refusal.
    let m = w.say(w.member, "chro autohunt upgrade thrift").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(
        description(&m).contains("not enough essence"),
        "{}",
        description(&m)
    );
    let m = w
        .slash(w.member, CommandCall::new("autohunt").sub("disable"))
        .await;
    assert_eq!(title(&m), "💠 Autohunt stopped");
}

#[tokio::test]
async fn running_out_of_chrons_disables_the_session_and_dms_the_player() {
    let (w, _) = World::start_with(fast()).await;
    let s = w.db.storage();
    let user = w.member as i64;
    seed(&s, w.member, 10).await; // a run costs 42
    let live = w.say(w.member, "chro autohunt enable").await;
    assert!(field(&live, "Status").starts_with("🟢 Running"));
    let dm =
        w.sb.wait_for_dm(w.member, Duration::from_secs(10))
            .await
            .expect("a DM about the stopped autohunt");
    assert_eq!(title(&dm), "⚠️ Autohunt stopped");
    let session = autohunt::get(&s, UserId::from_db(user))
        .await
        .unwrap()
        .unwrap();
    assert!(!session.enabled);
    assert_eq!(
        session.disabled_reason.as_deref(),
        Some(autohunt::INSUFFICIENT_FUNDS)
    );
    assert_eq!(
        economy::balance(&s, UserId::from_db(user)).await.unwrap(),
        10,
        "nothing charged"
    );
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("the live embed shows the stop");
    assert_eq!(edited.id, live.id);
    assert!(
        field(&edited, "Status").starts_with("🔴 Stopped"),
        "{}",
        field(&edited, "Status")
    );
}

#[tokio::test]
async fn a_deleted_live_embed_is_posted_again_and_then_edited() {
    let (w, _) = World::start_with(fast()).await;
    let s = w.db.storage();
    let user = w.owner as i64;
    seed(&s, w.owner, 100_000).await;
    let live = w.say(w.owner, "chro ah on").await;
    assert_eq!(
        stored_live_message(&s, UserId::from_db(user), live.id).await,
        Some(MessageId::from_db(live.id as i64))
    );
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("first edit");
    assert_eq!(edited.id, live.id);
    // A moderator deletes the live message: the next update gets 404 and posts a new one.
    w.sb.delete_user_message(live.id);
    let again =
        w.sb.wait_for_message(w.guild.general, Duration::from_secs(10))
            .await
            .expect("the live embed is posted again");
    assert_eq!(title(&again), "💠 Autohunt");
    assert_ne!(again.id, live.id);
    assert_eq!(
        stored_live_message(&s, UserId::from_db(user), again.id).await,
        Some(MessageId::from_db(again.id as i64))
    );
    // From then on it is edited in place again.
    loop {
        let e =
            w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
                .await
                .expect("edits continue on the new message");
        if e.id == again.id {
            break;
        }
        assert_eq!(e.id, live.id, "only the old message may show a stale edit");
    }
    assert!(
        w.sb.wait_for_message(w.guild.general, Duration::from_millis(1500))
            .await
            .is_err(),
        "posted once, not on every tick"
    );
}

#[tokio::test]
async fn autohunt_and_hunt_on_postgres() {
    let mut setup = fast();
    setup.backend = Backend::Postgres;
    let (w, _) = World::start_with(setup).await;
    let s = w.db.storage();
    let user = w.owner as i64;
    seed(&s, w.owner, 10_000).await;
    let m = w.say(w.owner, "chro hunt").await;
    assert_eq!(title(&m), "💠 Hunt");
    let live = w.say(w.owner, "chro autohunt enable").await;
    assert_eq!(
        stored_live_message(&s, UserId::from_db(user), live.id).await,
        Some(MessageId::from_db(live.id as i64))
    );
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("the live embed is edited after a run (set-based batch on Postgres)");
    assert_eq!(edited.id, live.id);
    assert!(
        autohunt::get(&s, UserId::from_db(user))
            .await
            .unwrap()
            .unwrap()
            .total_runs
            >= 1
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

/// Session state that a run changes: (balance, essence, runs).
async fn progress(s: &chronix_storage::Storage, user: u64) -> (i64, i64, i64) {
    let id = UserId::from_db(user as i64);
    let sess = autohunt::get(s, id).await.unwrap().unwrap();
    (
        economy::balance(s, id).await.unwrap().get(),
        sess.essence,
        sess.total_runs,
    )
}

/// Issue 9: `module disable gameplay` pauses the autohunt of sessions started on that server:
/// no runs, no charges, no edits of the live message, one DM; `module enable gameplay` resumes.
#[tokio::test]
async fn disabling_gameplay_on_the_server_pauses_autohunt_until_it_is_enabled_again() {
    let (w, _) = World::start_with(fast()).await;
    let s = w.db.storage();
    let alice = w.member;
    seed(&s, alice, 100_000).await;
    let live = w.say(alice, "chro autohunt enable").await;
    assert_eq!(title(&live), "💠 Autohunt");
    let first =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("a first run edits the live embed");
    assert_eq!(first.id, live.id);

    let m = w.say(w.owner, "chro module disable gameplay").await;
    assert_eq!(title(&m), "✅ Module disabled");
    let dm =
        w.sb.wait_for_dm(alice, Duration::from_secs(10))
            .await
            .expect("a DM about the pause");
    assert_eq!(title(&dm), "⚠️ Autohunt paused");
    assert!(
        description(&dm).contains("module enable gameplay"),
        "{}",
        description(&dm)
    );
    let session = autohunt::get(&s, UserId::from_db(alice as i64))
        .await
        .unwrap()
        .unwrap();
    assert!(session.enabled && session.paused_at.is_some());
    // An update queued by a run just before the pause may still land: let it, then drain.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    while w
        .sb
        .wait_for_edit(w.guild.general, Duration::ZERO)
        .await
        .is_ok()
    {}
    let before = progress(&s, alice).await;
    // Several intervals (1 s) pass: nothing runs, nothing is charged or edited, no new DM.
    assert!(
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(3))
            .await
            .is_err(),
        "the live message is not edited while paused"
    );
    assert_eq!(progress(&s, alice).await, before, "balance, essence, runs");
    assert!(
        w.sb.wait_for_dm(alice, Duration::from_millis(300))
            .await
            .is_err(),
        "told exactly once"
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    // `autohunt status` (in a direct message: the server refuses gameplay commands) says so.
    w.sb.send_dm(alice, "chro autohunt status");
    let status = w.sb.wait_for_dm(alice, REPLY).await.unwrap();
    assert!(
        field(&status, "Status").starts_with("⏸️ Paused"),
        "{}",
        field(&status, "Status")
    );

    // Back on: the session runs again and its live message is edited.
    let m = w.say(w.owner, "chro module enable gameplay").await;
    assert_eq!(title(&m), "✅ Module enabled");
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("runs resume and edit the live embed");
    assert_eq!(edited.id, live.id);
    let after = progress(&s, alice).await;
    assert!(after.2 > before.2, "ran again: {before:?} → {after:?}");
    assert_ne!(after.0, before.0, "charged again");
    assert!(
        autohunt::get(&s, UserId::from_db(alice as i64))
            .await
            .unwrap()
            .unwrap()
            .paused_at
            .is_none()
    );
}

/// The REST calls the bot made on messages of `channel`.
fn channel_message_calls(w: &World, channel: u64) -> usize {
    w.sb.rest_log()
        .into_iter()
        .filter(|c| c.path.starts_with(&format!("/channels/{channel}/messages")))
        .count()
}

/// Issue 9: a live message whose channel is deleted (404 Unknown Channel) or hidden from the
/// bot (403 Missing Access) is given up: the session keeps running, the player gets one DM,
/// and nothing is posted or retried in that channel any more.
async fn lost_live_channel(hide: bool) {
    let (w, _) = World::start_with(fast()).await;
    let s = w.db.storage();
    let alice = w.member;
    let user = UserId::from_db(alice as i64);
    seed(&s, alice, 100_000).await;
    let hunting =
        w.sb.create_channel(w.guild.id, "hunting", chronix_sandbox::ChannelKind::Text);
    let live = w.say_in(alice, hunting, "chro autohunt enable").await;
    assert_eq!(title(&live), "💠 Autohunt");
    assert_eq!(
        stored_live_message(&s, user, live.id).await,
        Some(MessageId::new(live.id))
    );
    w.sb.wait_for_edit(hunting, Duration::from_secs(10))
        .await
        .expect("a first run edits the live embed");
    if hide {
        w.sb.set_overwrite(
            hunting,
            chronix_sandbox::Overwrite {
                id: w.sb.bot_id(),
                member: true,
                allow: 0,
                deny: chronix_sandbox::perms::bits::VIEW_CHANNEL,
            },
        );
    } else {
        assert!(w.sb.delete_channel(hunting));
    }
    let dm =
        w.sb.wait_for_dm(alice, Duration::from_secs(10))
            .await
            .expect("a DM about the lost live message");
    assert_eq!(title(&dm), "⚠️ Autohunt live message stopped");
    let why = if hide {
        "can no longer see"
    } else {
        "was deleted"
    };
    assert!(description(&dm).contains(why), "{}", description(&dm));
    let sess = autohunt::get(&s, user).await.unwrap().unwrap();
    assert_eq!((sess.live_channel(), sess.live_message()), (None, None));
    let runs = sess.total_runs;
    let calls = channel_message_calls(&w, hunting);
    // The session keeps running; nothing is posted or retried there, no second DM.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sess = autohunt::get(&s, user).await.unwrap().unwrap();
    assert!(sess.enabled);
    assert!(sess.total_runs > runs, "keeps running");
    assert_eq!(
        channel_message_calls(&w, hunting),
        calls,
        "no repost or retry in the lost channel"
    );
    assert!(
        w.sb.wait_for_dm(alice, Duration::from_millis(300))
            .await
            .is_err(),
        "told exactly once"
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_deleted_live_channel_is_given_up_with_one_dm() {
    lost_live_channel(false).await;
}

#[tokio::test]
async fn a_hidden_live_channel_is_given_up_with_one_dm() {
    lost_live_channel(true).await;
}
