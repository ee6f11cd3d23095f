//! The shared wizard (`kernel::ui::wizard`), driven through the test wizard of
//! `chronix_discord::debug` (`chro wiztest`): step 1 picks a colour in a select, step 2 sets a
//! name in a modal and raises a counter with a `+1` button, then the preview and the confirm
//! step.

use std::time::{Duration, Instant};

use chronix_discord::debug::{self, TestWizard};
use chronix_discord::ui::wizard;
use chronix_sandbox::{Id, InteractionResponse, Message};
use chronix_storage::wizards::{self as store, Status, Wizard, WizardId};

use crate::helpers::*;

/// The wizard behind a panel (from its buttons' ids).
fn wizard_id(m: &Message) -> WizardId {
    m.buttons()
        .into_iter()
        .find_map(|b| wizard::parse(&b.0?))
        .map(|(id, _, _)| id)
        .unwrap_or_else(|| panic!("no wizard button on {m:?}"))
}

async fn row(w: &World, id: WizardId) -> Wizard {
    store::get(&w.db.storage(), id).await.unwrap().unwrap()
}

/// The confirmed runs of the test wizard with this nonce.
fn runs(nonce: u64) -> Vec<TestWizard> {
    debug::confirmed()
        .into_iter()
        .filter(|s| s.nonce == nonce)
        .collect()
}

fn state(r: &Wizard) -> TestWizard {
    serde_json::from_value(r.state.clone()).unwrap()
}

fn footer(m: &Message) -> String {
    embed(m)["footer"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn labels(m: &Message) -> Vec<(String, bool)> {
    m.buttons()
        .into_iter()
        .map(|b| (b.1.unwrap_or_default(), b.2))
        .collect()
}

/// The custom id of the panel's select.
fn select_id(m: &Message) -> String {
    m.components
        .iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == 3)
        .and_then(|c| c["custom_id"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no select on {m:?}"))
}

/// `user` clicks `label` on the panel; the panel is updated in place.
async fn click(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::UpdateMessage { message_id } => assert_eq!(message_id, m.id),
        other => panic!("expected the panel updated after {label:?}, got {other:?}"),
    }
    w.sb.wait_for_reply(&i, REPLY).await.unwrap()
}

/// `user` picks `value` in the panel's select.
async fn pick(w: &World, user: Id, m: &Message, value: &str) -> Message {
    let i = w.sb.select(user, m.id, &select_id(m), &[value]).unwrap();
    match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::UpdateMessage { message_id } => assert_eq!(message_id, m.id),
        other => panic!("expected the panel updated, got {other:?}"),
    }
    w.sb.wait_for_reply(&i, REPLY).await.unwrap()
}

/// `user` clicks `label` and gets an ephemeral refusal (returned); the refusal is consumed from
/// the channel feed.
async fn refused(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::Message { ephemeral, .. } => assert!(ephemeral),
        other => panic!("expected an ephemeral refusal, got {other:?}"),
    }
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    r
}

/// Opens the test wizard and goes to step 2 with `colour`.
async fn to_step_two(w: &World, user: Id, colour: &str) -> Message {
    let m = w.say(user, "chro wiztest").await;
    let m = pick(w, user, &m, colour).await;
    click(w, user, &m, "Next ▶").await
}

async fn full_run(backend: Backend) {
    let (w, _) = World::start_with(Setup {
        backend,
        ..Setup::default()
    })
    .await;
    let m = w.say(w.member, "chro wiztest").await;
    assert_eq!(title(&m), "ℹ️ Pick a colour");
    assert_eq!(footer(&m), "Step 1/4");
    assert_eq!(
        labels(&m),
        [
            ("◀ Back".to_string(), true),
            ("Next ▶".to_string(), true),
            ("Cancel".to_string(), false)
        ],
        "nothing picked yet: Next is disabled"
    );
    let id = wizard_id(&m);
    let mut r = row(&w, id).await;
    let end = Instant::now() + REPLY;
    while r.message.is_none() && Instant::now() < end {
        // Recorded right after the reply is sent.
        tokio::time::sleep(Duration::from_millis(20)).await;
        r = row(&w, id).await;
    }
    assert_eq!((r.step, r.version, r.status), (0, 1, Status::Open));
    assert_eq!(r.owner.get(), w.member);
    assert_eq!(r.message.map(|x| x.get()), Some(m.id));
    let nonce = state(&r).nonce;
    assert!(r.expires_at > chrono::Utc::now() + chrono::Duration::minutes(14));

    // Step 1: a select.
    let m = pick(&w, w.member, &m, "green").await;
    assert_eq!(description(&m), "green");
    assert_eq!(labels(&m)[1], ("Next ▶".to_string(), false));
    let picked: Vec<String> = m.component(&select_id(&m)).unwrap()["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["default"] == true)
        .map(|o| o["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(picked, ["green"]);

    // Step 2: a button and a modal (a refused value changes nothing).
    let m = click(&w, w.member, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Name it");
    assert_eq!(footer(&m), "Step 2/4");
    assert_eq!(field(&m, "Name"), "—");
    let m = click(&w, w.member, &m, "+1").await;
    assert_eq!(field(&m, "Count"), "1");
    let open = w.sb.click_button(w.member, m.id, "Set name").unwrap();
    match w.sb.wait_for_response(&open, REPLY).await.unwrap() {
        InteractionResponse::Modal(v) => {
            assert_eq!(v["title"], "Name");
            assert!(v["custom_id"].as_str().unwrap().ends_with(":M.name"));
        }
        other => panic!("expected a modal, got {other:?}"),
    }
    let bad =
        w.sb.submit_modal(w.member, &open, &[("name", "nobody")])
            .unwrap();
    let r = w.sb.wait_for_reply(&bad, REPLY).await.unwrap();
    assert_eq!(title(&r), "❌ Bad name");
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    assert_eq!(state(&row(&w, id).await).name, None);
    let good =
        w.sb.submit_modal(w.member, &open, &[("name", "Ada")])
            .unwrap();
    match w.sb.wait_for_response(&good, REPLY).await.unwrap() {
        InteractionResponse::UpdateMessage { message_id } => assert_eq!(message_id, m.id),
        other => panic!("expected the panel updated, got {other:?}"),
    }
    let m = w.sb.wait_for_reply(&good, REPLY).await.unwrap();
    assert_eq!(field(&m, "Name"), "Ada");

    // Preview, Back to it from the confirm step, then Confirm.
    let m = click(&w, w.member, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Test wizard");
    assert_eq!(footer(&m), "Step 3/4");
    assert_eq!(
        fields(&m),
        [
            ("Colour".to_string(), "green".to_string()),
            ("Name".to_string(), "Ada".to_string()),
            ("Count".to_string(), "1".to_string())
        ]
    );
    let m = click(&w, w.member, &m, "Next ▶").await;
    assert_eq!(title(&m), "⚠️ Test wizard");
    assert_eq!(footer(&m), "Step 4/4");
    let names: Vec<String> = labels(&m).into_iter().map(|l| l.0).collect();
    assert_eq!(names, ["◀ Back", "Confirm", "Cancel"]);
    let m = click(&w, w.member, &m, "◀ Back").await;
    assert_eq!(footer(&m), "Step 3/4");
    let m = click(&w, w.member, &m, "Next ▶").await;
    let done = click(&w, w.member, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Created");
    assert_eq!(description(&done), "Ada (green) ×1");
    assert!(
        done.components.is_empty(),
        "a finished wizard has no buttons"
    );
    let r = row(&w, id).await;
    assert_eq!(r.status, Status::Done);
    let want = TestWizard {
        colour: Some("green".into()),
        name: Some("Ada".into()),
        count: 1,
        nonce,
    };
    assert_eq!(state(&r), want);
    assert_eq!(
        runs(nonce),
        [want],
        "on_confirm ran once with the final state"
    );
}

#[tokio::test]
async fn a_wizard_runs_to_confirm_on_sqlite() {
    full_run(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_wizard_runs_to_confirm_on_postgres() {
    full_run(Backend::Postgres).await;
}

#[tokio::test]
async fn back_keeps_the_answers_and_cancel_closes_the_wizard() {
    let w = World::start().await;
    let m = to_step_two(&w, w.member, "red").await;
    let m = click(&w, w.member, &m, "◀ Back").await;
    assert_eq!(title(&m), "ℹ️ Pick a colour");
    assert_eq!(description(&m), "red", "Back keeps the answer");
    assert_eq!(labels(&m)[1], ("Next ▶".to_string(), false));
    let id = wizard_id(&m);
    assert_eq!(row(&w, id).await.step, 0);
    let m = click(&w, w.member, &m, "Cancel").await;
    assert_eq!(title(&m), "ℹ️ Test wizard");
    assert_eq!(description(&m), "❎ Cancelled: nothing was done.");
    assert!(m.components.is_empty());
    let r = row(&w, id).await;
    assert_eq!(r.status, Status::Cancelled);
    assert!(runs(state(&r).nonce).is_empty());
}

#[tokio::test]
async fn only_the_owner_can_answer() {
    let w = World::start().await;
    let m = w.say(w.member, "chro wiztest").await;
    let id = wizard_id(&m);
    let r = refused(&w, w.owner, &m, "Cancel").await;
    assert_eq!(title(&r), "❌ Not yours");
    assert_eq!(
        description(&r),
        format!(
            "Only <@{}> can answer this wizard; run the command yourself to get your own.",
            w.member
        )
    );
    // A select by someone else is refused the same way.
    let i =
        w.sb.select(w.owner, m.id, &select_id(&m), &["blue"])
            .unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "❌ Not yours");
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    assert!(w.sb.wait_for_edit(w.guild.general, SILENCE).await.is_err());
    let r = row(&w, id).await;
    assert_eq!((r.step, r.version, r.status), (0, 1, Status::Open));
    assert_eq!(
        state(&r),
        TestWizard {
            nonce: state(&r).nonce,
            ..TestWizard::default()
        }
    );
}

#[tokio::test]
async fn a_wizard_resumes_after_a_restart() {
    let mut w = World::start().await;
    let m = to_step_two(&w, w.member, "blue").await;
    let m = click(&w, w.member, &m, "+1").await;
    w.bot.take().unwrap().shutdown().await;
    w.restart_bot(Vec::new()).await;
    // The old panel's buttons still work: state and step come from the database.
    let m = click(&w, w.member, &m, "+1").await;
    assert_eq!(title(&m), "ℹ️ Name it");
    assert_eq!(field(&m, "Count"), "2");
    let m = click(&w, w.member, &m, "◀ Back").await;
    assert_eq!(description(&m), "blue");
    let r = row(&w, wizard_id(&m)).await;
    assert_eq!((r.step, r.status), (0, Status::Open));
    assert_eq!(
        state(&r),
        TestWizard {
            colour: Some("blue".into()),
            name: None,
            count: 2,
            nonce: state(&r).nonce,
        }
    );
}

/// Waits for the panel `id` to be edited by the expiry job.
async fn wait_expired(w: &World, id: Id, within: Duration) -> Message {
    let e =
        w.sb.wait_for_edit(w.guild.general, within)
            .await
            .expect("the expiry job edits the panel");
    assert_eq!(e.id, id);
    e
}

#[tokio::test]
async fn an_idle_wizard_expires_and_each_action_slides_its_expiry() {
    let w = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    })
    .await
    .0;
    let started = Instant::now();
    let m = w.say(w.member, "chro wiztest short").await;
    let id = wizard_id(&m);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // An action at ~1.5 s moves the expiry to ~4.5 s: the job due at 3 s finds it alive.
    let m = pick(&w, w.member, &m, "red").await;
    let touched = Instant::now();
    let _ = w.sb.wait_for_edit(w.guild.general, REPLY).await; // the pick's own update
    tokio::time::sleep(Duration::from_millis(3600).saturating_sub(started.elapsed())).await;
    assert_eq!(
        row(&w, id).await.status,
        Status::Open,
        "the action slid the expiry"
    );
    let e = wait_expired(&w, m.id, REPLY).await;
    assert!(
        touched.elapsed() >= Duration::from_millis(2900),
        "expired {:?} after the last action",
        touched.elapsed()
    );
    assert_eq!(title(&e), "ℹ️ Test wizard");
    assert_eq!(
        description(&e),
        "⌛ Expired: nobody answered in time, nothing was done."
    );
    assert!(e.components.is_empty());
    assert_eq!(row(&w, id).await.status, Status::Expired);
}

#[tokio::test]
async fn a_wizard_left_open_across_a_restart_expires_cleanly() {
    let (mut w, _) = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    })
    .await;
    let m = w.say(w.member, "chro wiztest short").await;
    let id = wizard_id(&m);
    w.bot.take().unwrap().shutdown().await;
    tokio::time::sleep(Duration::from_millis(3200)).await;
    assert_eq!(
        row(&w, id).await.status,
        Status::Open,
        "nobody swept it yet"
    );
    w.restart_bot(Vec::new()).await;
    let e = wait_expired(&w, m.id, REPLY).await;
    assert_eq!(
        description(&e),
        "⌛ Expired: nobody answered in time, nothing was done."
    );
    assert!(e.components.is_empty());
    assert_eq!(row(&w, id).await.status, Status::Expired);
}

#[tokio::test]
async fn two_fast_clicks_on_the_same_panel_apply_once() {
    let w = World::start().await;
    let m = to_step_two(&w, w.member, "green").await;
    let id = wizard_id(&m);
    let version = row(&w, id).await.version;
    // Both clicks leave before the bot answers either: same panel, same version.
    let a = w.sb.click_button(w.member, m.id, "+1").unwrap();
    let b = w.sb.click_button(w.member, m.id, "+1").unwrap();
    let mut updated = 0;
    let mut stale = 0;
    for i in [&a, &b] {
        match w.sb.wait_for_response(i, REPLY).await.unwrap() {
            InteractionResponse::UpdateMessage { .. } => updated += 1,
            InteractionResponse::Message {
                ephemeral: true, ..
            } => {
                let r = w.sb.wait_for_reply(i, REPLY).await.unwrap();
                assert_eq!(title(&r), "❌ Already changed");
                stale += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((updated, stale), (1, 1));
    let r = row(&w, id).await;
    assert_eq!(state(&r).count, 1, "the second click did not apply");
    assert_eq!(r.version, version + 1);

    // Two fast Confirms run the feature's action once.
    let m = w.sb.message(m.id).unwrap();
    let open = w.sb.click_button(w.member, m.id, "Set name").unwrap();
    w.sb.wait_for_response(&open, REPLY).await.unwrap();
    let s =
        w.sb.submit_modal(w.member, &open, &[("name", "Bo")])
            .unwrap();
    let m = w.sb.wait_for_reply(&s, REPLY).await.unwrap();
    let m = click(&w, w.member, &m, "Next ▶").await;
    let m = click(&w, w.member, &m, "Next ▶").await;
    let a = w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let b = w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    let mut answers = Vec::new();
    for i in [&a, &b] {
        answers.push(w.sb.wait_for_response(i, REPLY).await.unwrap());
    }
    assert_eq!(
        answers
            .iter()
            .filter(|r| matches!(r, InteractionResponse::UpdateMessage { .. }))
            .count(),
        1,
        "{answers:?}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(runs(state(&r).nonce).len(), 1, "on_confirm ran once");
    assert_eq!(row(&w, id).await.status, Status::Done);
}
