//! massban / masskick end to end: 300 members who joined through one invite code are
//! selected by it (others and protected members are not), previewed, confirmed, banned in
//! steps through Discord's bulk-ban endpoint with a live progress message, and summed up in a
//! case and an audit entry; a run cancelled half-way stops; a restart mid-run resumes; members
//! (non-admins) are refused. (The per-server rate limit is tested in storage.)

use std::time::{Duration, Instant};

use chronix_core::ids::{GuildId, UserId};
use chronix_core::moderation::CaseKind;
use chronix_sandbox::perms::bits;
use chronix_sandbox::{Id, Message};
use chronix_storage::invites as joins;
use chronix_storage::moderation::{
    self as cases,
    mass::{self, MassStatus},
};

use crate::helpers::*;

fn gid(w: &World) -> GuildId {
    GuildId::new(w.guild.id)
}

/// A world whose bot reads invites and may bulk-ban, with `n` raiders who joined through one
/// invite and 5 members through another. Returns the raid code, the raiders and the others.
async fn raid(env: Vec<(&'static str, String)>, n: usize) -> (World, String, Vec<Id>, Vec<Id>) {
    let mut env = env;
    env.push(("SCHEDULER_TICK_MS", "50".into()));
    let (w, _) = World::start_with(Setup {
        env,
        ..Setup::default()
    })
    .await;
    w.sb.set_bot_permissions(w.guild.id, bits::DEFAULT_BOT | bits::MANAGE_GUILD);
    let alice = w.sb.create_user("alice");
    w.sb.add_member(w.guild.id, alice);
    wait_joins(&w, 1).await;
    let code = w.sb.create_invite(alice, w.guild.general).unwrap();
    let other = w.sb.create_invite(w.owner, w.guild.general).unwrap();
    // The bot could not read invites before: this first join fills its cache (unknown).
    let first = w.sb.create_user("first");
    w.sb.join_via_invite(first, &other).unwrap();
    wait_joins(&w, 2).await;
    // One join at a time (the bot compares invite uses per join, in the order it handles them).
    let raiders = w.sb.create_users("raider", n);
    for (i, &r) in raiders.iter().enumerate() {
        w.sb.join_via_invite(r, &code).unwrap();
        wait_joins(&w, 3 + i).await;
    }
    let others = w.sb.create_users("regular", 5);
    for (i, &o) in others.iter().enumerate() {
        w.sb.join_via_invite(o, &other).unwrap();
        wait_joins(&w, 3 + n + i).await;
    }
    (w, code, raiders, others)
}

async fn wait_joins(w: &World, n: usize) {
    let end = Instant::now() + Duration::from_secs(60);
    while joins::current_joins(&w.db, gid(w)).await.unwrap().len() < n {
        assert!(Instant::now() < end, "joins were not all stored");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The progress message (the one with a Cancel button, or once over, its final form).
async fn progress(w: &World) -> Message {
    let end = Instant::now() + REPLY;
    loop {
        let found = w.sb.messages_in(w.guild.general).into_iter().find(|m| {
            m.embeds
                .first()
                .is_some_and(|e| e["fields"].to_string().contains("Status"))
        });
        if let Some(m) = found {
            return m;
        }
        assert!(Instant::now() < end, "no progress message");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// The run id behind the Cancel button.
fn run_id(m: &Message) -> i64 {
    let id = m.components[0]["components"][0]["custom_id"]
        .as_str()
        .unwrap();
    id.strip_prefix("chx:mass:").unwrap().parse().unwrap()
}

async fn wait_status(w: &World, id: i64, status: MassStatus) -> mass::MassAction {
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let m = mass::get(&w.db, id).await.unwrap().unwrap();
        if m.status == status && (status == MassStatus::Running || m.case_number.is_some()) {
            return m;
        }
        assert!(
            Instant::now() < end,
            "run {id} never reached {status:?}: {m:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `chro massban …` as the owner and confirms the preview; returns the preview.
async fn confirm(w: &World, text: &str) -> Message {
    let m = w.say(w.owner, text).await;
    w.sb.settle(Duration::from_millis(200), REPLY)
        .await
        .unwrap();
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let done = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(
        description(&done),
        "Started: 300 members. Progress below.",
        "{done:?}"
    );
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_massban_by_invite_code_previews_confirms_progresses_and_sums_up() {
    let (w, code, raiders, others) = raid(Vec::new(), 300).await;
    let m = w.say(w.member, &format!("chro massban code:{code}")).await;
    assert_eq!(title(&m), "❌ Not allowed", "members are refused");
    let m = w.say(w.owner, "chro massban everyone").await;
    assert!(
        description(&m).starts_with("`everyone` is not a selection word"),
        "{}",
        description(&m)
    );
    let m = w.say(w.owner, "chro massban code:nope").await;
    assert_eq!(description(&m), "No member matches this selection.");

    let preview = confirm(&w, &format!("chro massban code:{code} reason: raid wave")).await;
    assert_eq!(title(&preview), "⚠️ Mass ban");
    let d = description(&preview);
    assert!(
        d.starts_with("Ban **300** members?\n\nAmong them: raider0, raider1"),
        "{d}"
    );
    assert!(d.contains("and 290 more."), "{d}");
    assert!(d.contains("290 more.\n\nReason: raid wave\n"), "{d}");

    let p = progress(&w).await;
    let id = run_id(&p);
    let run = wait_status(&w, id, MassStatus::Done).await;
    assert_eq!((run.done, run.failed, run.total), (300, 0, 300));
    let bans = w.sb.bans(w.guild.id);
    assert_eq!(bans.len(), 300);
    for r in &raiders {
        assert!(bans.iter().any(|b| b.user_id == *r));
    }
    for o in &others {
        assert!(!bans.iter().any(|b| b.user_id == *o), "not selected");
    }
    // Through the bulk-ban endpoint, at most 200 a call (50 a step by default).
    let calls = w.rest("POST", "/bulk-ban");
    assert_eq!(calls.len(), 6);
    assert!(w.rest("PUT", "/bans/").is_empty());
    // The summary case and the audit entry.
    let case = cases::get(&w.db, gid(&w), run.case_number.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.kind, CaseKind::MassBan);
    assert_eq!(case.moderator, UserId::new(w.owner));
    assert_eq!(
        case.reason.as_deref(),
        Some(
            format!("300 of 300 done, 0 failed · selection: code:{code} · reason: raid wave")
                .as_str()
        )
    );
    let trail = chronix_storage::audit::recent(&w.db, 50).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "moderation.massban"));
    // The progress message ends done, without its button.
    let end = Instant::now() + REPLY;
    loop {
        let p = w.sb.message(p.id).unwrap();
        if p.components.is_empty() {
            let e = &p.embeds[0];
            assert_eq!(e["title"], "✅ Mass ban");
            assert!(
                e["description"]
                    .as_str()
                    .unwrap()
                    .ends_with("300 done · 0 failed · 300 selected")
            );
            break;
        }
        assert!(
            Instant::now() < end,
            "the progress message was not finished"
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_massban_cancelled_half_way_stops() {
    let (w, code, _raiders, _) = raid(vec![("MASS_ACTION_BATCH", "20".into())], 300).await;
    confirm(&w, &format!("chro massban code:{code}")).await;
    let p = progress(&w).await;
    let id = run_id(&p);
    let end = Instant::now() + Duration::from_secs(20);
    while mass::get(&w.db, id).await.unwrap().unwrap().handled() < 60 {
        assert!(Instant::now() < end, "the run did not progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A member may not cancel it.
    let click = w.sb.click_button(w.member, p.id, "Cancel").unwrap();
    let r = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(description(&r).starts_with("Only the moderator"), "{r:?}");
    w.sb.click_button(w.owner, p.id, "Cancel").unwrap();
    let run = wait_status(&w, id, MassStatus::Cancelled).await;
    assert!(run.handled() < 300, "{run:?}");
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let later = mass::get(&w.db, id).await.unwrap().unwrap();
    assert_eq!(later.handled(), run.handled(), "no step after the cancel");
    assert_eq!(w.sb.bans(w.guild.id).len() as u32, later.done);
    let case = cases::get(&w.db, gid(&w), run.case_number.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.kind, CaseKind::MassBan);
    let p = w.sb.message(p.id).unwrap();
    assert!(p.components.is_empty());
    assert_eq!(p.embeds[0]["title"], "⚠️ Mass ban");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_mass_action_resumes_after_a_restart() {
    let (mut w, code, _, _) = raid(vec![("MASS_ACTION_BATCH", "20".into())], 300).await;
    confirm(&w, &format!("chro masskick code:{code} reason: raid")).await;
    let p = progress(&w).await;
    let id = run_id(&p);
    let end = Instant::now() + Duration::from_secs(20);
    while mass::get(&w.db, id).await.unwrap().unwrap().handled() < 40 {
        assert!(Instant::now() < end, "the run did not progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    w.bot.take().unwrap().shutdown().await;
    let stopped = mass::get(&w.db, id).await.unwrap().unwrap();
    assert!(stopped.handled() < 300);
    w.restart_bot(Vec::new()).await;
    let run = wait_status(&w, id, MassStatus::Done).await;
    assert_eq!((run.done, run.failed), (300, 0));
    // Every raider was kicked exactly once.
    let kicks = w.rest("DELETE", &format!("/guilds/{}/members/", w.guild.id));
    assert_eq!(kicks.len(), 300);
    let case = cases::get(&w.db, gid(&w), run.case_number.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.kind, CaseKind::MassKick);
}
