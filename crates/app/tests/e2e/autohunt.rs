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
