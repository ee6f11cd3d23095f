//! Server events (feature `eventboard`) end to end: `event create` posts a panel with Going /
//! Maybe / Not going and creates Discord's scheduled event alongside; RSVPs against a
//! capacity with a waitlist, a place freed and the first in line promoted (told by DM); the
//! ping reminder before the start mentions the going members only; `event list`, `event ics`
//! (an RFC 5545 attachment), `event cancel`; manager commands refused to a plain member.

use std::time::{Duration, Instant};

use chronix_core::ids::UserId;
use chronix_sandbox::perms::bits;
use chronix_sandbox::{Id, Message};
use chronix_storage::eventboard::{self as store, EventId, EventStatus};

use crate::helpers::*;

async fn press(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    // Consume the ephemeral answer from the channel feed.
    let _ = w.sb.wait_for_message(m.channel_id, REPLY).await;
    r
}

async fn wait_message(w: &World, id: Id, what: &str, f: impl Fn(&Message) -> bool) -> Message {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(m) = w.sb.message(id) {
            if f(&m) {
                return m;
            }
            if Instant::now() > end {
                panic!("{what}: message is now {m:?}");
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_event_with_rsvp_capacity_waitlist_reminder_and_ics() {
    let (w, _) = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    })
    .await;
    let g = w.guild.id;
    // The bot may create Discord's scheduled events here.
    w.sb.set_bot_permissions(
        g,
        bits::DEFAULT_BOT | bits::CREATE_EVENTS | bits::MANAGE_EVENTS,
    );
    let alice = w.sb.create_user("alice");
    let bob = w.sb.create_user("bob");
    for u in [alice, bob] {
        w.sb.add_member(g, u);
    }
    let panel = w
        .say(
            w.owner,
            "chro event create 40s 1h Game night | Bring snacks, and fun capacity:1 remind:ping before:25s",
        )
        .await;
    let created = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&created), "✅ Event created");
    assert_eq!(title(&panel), "ℹ️ Game night");
    assert_eq!(description(&panel), "Bring snacks, and fun");
    assert_eq!(field(&panel, "Going"), "0 / 1");
    assert_eq!(field(&panel, "Waitlist"), "0");
    assert_eq!(field(&panel, "Repeats"), "Once");
    assert!(field(&panel, "When").contains("<t:"));
    let labels: Vec<String> = panel.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(labels, ["Going", "Maybe", "Not going"]);
    let id = EventId::new(1);
    let ev = store::get(&w.db.storage(), id).await.unwrap().unwrap();
    // Discord's own scheduled event, created alongside.
    let se =
        w.sb.scheduled_event(ev.discord_event.expect("a Discord scheduled event"))
            .unwrap();
    assert_eq!(se.name, "Game night");
    assert_eq!(se.start.timestamp(), ev.starts_at.timestamp());

    // Capacity 1: Alice goes, Bob waits, the member says maybe.
    let r = press(&w, alice, &panel, "Going").await;
    assert_eq!(description(&r), "You are going to **Game night**.");
    let r = press(&w, bob, &panel, "Going").await;
    assert_eq!(
        description(&r),
        "**Game night** is full: you are on the waitlist (1 waiting). You get the first free place."
    );
    let r = press(&w, w.member, &panel, "Maybe").await;
    assert_eq!(description(&r), "You might come to **Game night**.");
    wait_message(&w, panel.id, "counts", |m| {
        field(m, "Going") == "1 / 1" && field(m, "Waitlist") == "1" && field(m, "Maybe") == "1"
    })
    .await;
    // Alice cannot come: Bob is promoted and told by DM.
    let r = press(&w, alice, &panel, "Not going").await;
    assert_eq!(description(&r), "You are not going to **Game night**.");
    let dm = w.sb.wait_for_dm(bob, REPLY).await.unwrap();
    assert_eq!(title(&dm), "✅ A place freed up");
    assert!(
        description(&dm).starts_with("You moved from the waitlist to going for **Game night**")
    );
    wait_message(&w, panel.id, "promoted", |m| {
        field(m, "Going") == "1 / 1" && field(m, "Waitlist") == "0" && field(m, "Not going") == "1"
    })
    .await;

    // list and ics.
    let r = w.say(w.member, "chro event list").await;
    assert_eq!(title(&r), "ℹ️ Upcoming events");
    assert!(field(&r, "#1 · Game night").contains("going 1 / 1 · waitlist 0"));
    let r = w.say(w.member, "chro event ics").await;
    assert_eq!(title(&r), "ℹ️ Calendar");
    let ics = r
        .attachments
        .iter()
        .find(|a| a.filename == "events.ics")
        .expect("an .ics attachment");
    let text = String::from_utf8(ics.data.clone()).unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("\r\nUID:event-1@{g}.chronix\r\n")),
        "{text}"
    );
    assert!(text.contains("\r\nSUMMARY:Game night\r\n"));
    assert!(
        text.contains("\r\nDESCRIPTION:Bring snacks\\, and fun\r\n"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "\r\nDTSTART:{}\r\n",
        ev.starts_at.format("%Y%m%dT%H%M%SZ")
    )));
    assert!(text.contains("\r\nDTSTAMP:"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));

    // The reminder (15 s after creation): one message pinging the going member only.
    let reminder =
        w.sb.wait_for_message(w.guild.general, Duration::from_secs(30))
            .await
            .unwrap();
    assert_eq!(
        reminder.content,
        format!(
            "<@{bob}> **Game night** starts <t:{}:R>.",
            ev.starts_at.timestamp()
        )
    );
    assert_eq!(reminder.mentions, [bob]);

    // Cancel: the panel loses its buttons, the Discord event is removed.
    let r = w.say(w.owner, "chro event cancel 1").await;
    assert_eq!(title(&r), "⚠️ Event cancelled");
    let m = wait_message(&w, panel.id, "cancelled", |m| {
        title(m) == "⚠️ Cancelled: Game night"
    })
    .await;
    assert!(m.buttons().is_empty());
    assert!(w.sb.scheduled_event(se.id).is_none());
    assert_eq!(
        store::get(&w.db.storage(), id)
            .await
            .unwrap()
            .unwrap()
            .status,
        EventStatus::Cancelled
    );
    let i = w.sb.click_button(alice, panel.id, "Going");
    assert!(i.is_err(), "the buttons are gone");
    let r = w.say(w.member, "chro event list").await;
    assert_eq!(description(&r), "No upcoming events on this server.");
    assert_eq!(
        store::members(&w.db.storage(), id, chronix_core::eventboard::Rsvp::Going)
            .await
            .unwrap(),
        vec![UserId::new(bob)]
    );
}

#[tokio::test]
async fn event_manager_commands_are_refused_to_a_plain_member() {
    let w = World::start().await;
    for cmd in ["chro event create 2h 1h Party", "chro event cancel 1"] {
        let r = w.say(w.member, cmd).await;
        assert_eq!(title(&r), "❌ Event", "{cmd}");
        assert_eq!(
            description(&r),
            "Only members with Manage Server or the giveaway manager role can do that.",
            "{cmd}"
        );
    }
    // Without Create Events the event is posted all the same, with no Discord event.
    let panel = w.say(w.owner, "chro event create 2h 1h Party").await;
    assert_eq!(title(&panel), "ℹ️ Party");
    let created = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&created), "✅ Event created");
    let ev = store::get(&w.db.storage(), EventId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ev.discord_event, None);
    let r = w.say(w.owner, "chro event create tomorrow 1h Party").await;
    assert!(
        description(&r).starts_with("`tomorrow` is not a time"),
        "{r:?}"
    );
    let r = w
        .say(w.owner, "chro event create 2026-01-01T10:00:00Z 1h Party")
        .await;
    assert_eq!(
        description(&r),
        "That time has passed: pick a start in the future."
    );
}
