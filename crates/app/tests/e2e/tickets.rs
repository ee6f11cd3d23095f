//! Tickets end to end: the whole `ticket setup` wizard, a member opening a ticket from the
//! panel (private channel with overwrites, numbered embed, pings), claim, lock, the per-member
//! limit, close with a reason (transcript files in the log channel and the opener's DM), the
//! channel deleted by the scheduler job, stats; `ticket close` with its confirm dialog and
//! reopen; admin and staff actions refused to a plain member.

use std::time::Duration;

use chronix_core::ids::ChannelId;
use chronix_sandbox::perms::bits;
use chronix_sandbox::{ChannelKind, Id, InteractionResponse, Message};
use chronix_storage::tickets::{self as store, TicketStatus};

use crate::helpers::*;

/// A click answered with an ephemeral refusal: its text.
pub(crate) async fn refused_click(w: &World, user: Id, m: &Message, label: &str) -> String {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    assert_eq!(title(&r), "❌ Ticket");
    description(&r)
}

pub(crate) struct Server {
    pub staff: Id,
    pub staff_role: Id,
    pub ping_role: Id,
    pub category: Id,
    pub log: Id,
    pub outsider: Id,
}

pub(crate) fn server(w: &World) -> Server {
    let g = w.guild.id;
    let staff_role = w.sb.create_role(g, "Staff", 0);
    let ping_role = w.sb.create_role(g, "Helpers", 0);
    let staff = w.sb.create_user("staffer");
    w.sb.add_member(g, staff);
    w.sb.give_role(g, staff, staff_role);
    let outsider = w.sb.create_user("outsider");
    w.sb.add_member(g, outsider);
    Server {
        staff,
        staff_role,
        ping_role,
        category: w.sb.create_channel(g, "Tickets", ChannelKind::Category),
        log: w.sb.create_channel(g, "ticket-log", ChannelKind::Text),
        outsider,
    }
}

/// Runs the whole setup wizard as the owner; returns the posted panel message.
async fn setup_panel(w: &World, s: &Server, topics: &str) -> Message {
    setup_panel_as(w, s, topics, false).await
}

/// Runs the whole setup wizard as the owner, tickets as private threads when `threads`;
/// returns the posted panel message.
pub(crate) async fn setup_panel_as(w: &World, s: &Server, topics: &str, threads: bool) -> Message {
    let m = w.say(w.owner, "chro ticket setup").await;
    assert_eq!(title(&m), "ℹ️ Where do tickets go?");
    let m = if threads {
        let m = click(w, w.owner, &m, "📁 Tickets open as private channels").await;
        assert!(
            m.buttons()
                .iter()
                .any(|b| b.1.as_deref() == Some("🧵 Tickets open as private threads")),
            "the button shows the choice"
        );
        m
    } else {
        m
    };
    let m = pick(w, w.owner, &m, "cat", &[&s.category.to_string()]).await;
    let m = pick(w, w.owner, &m, "log", &[&s.log.to_string()]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Staff roles");
    let next = m
        .buttons()
        .into_iter()
        .find(|b| b.1.as_deref() == Some("Next ▶"));
    assert!(next.unwrap().2, "no staff role yet: Next is disabled");
    let m = pick(w, w.owner, &m, "staff", &[&s.staff_role.to_string()]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Ping roles");
    let m = pick(w, w.owner, &m, "ping", &[&s.ping_role.to_string()]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Topics");
    let m = modal(w, w.owner, &m, "Edit topics", &[("topics", topics)]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Panel message");
    let m = modal(
        w,
        w.owner,
        &m,
        "Edit message",
        &[("title", "Help desk"), ("text", "Click a button below.")],
    )
    .await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Ticket panel");
    assert_eq!(field(&m, "Category"), "Tickets");
    assert_eq!(field(&m, "Log channel"), "ticket-log");
    assert_eq!(field(&m, "Staff roles"), "Staff");
    assert_eq!(field(&m, "Ping roles"), "Helpers");
    assert_eq!(field(&m, "Open tickets per member"), "1");
    assert_eq!(
        field(&m, "Tickets open as"),
        if threads {
            "private threads of the panel's channel"
        } else {
            "private channels"
        }
    );
    assert_eq!(field(&m, "Title"), "Help desk");
    let m = click(w, w.owner, &m, "Next ▶").await;
    let done = click(w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Ticket panel created");
    assert!(
        description(&done).ends_with(&format!("is posted in <#{}>.", w.guild.general)),
        "{}",
        description(&done)
    );
    let panel = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&panel), "ℹ️ Help desk");
    assert_eq!(description(&panel), "Click a button below.");
    panel
}

/// `user` opens a ticket with the panel button `label`; returns the ticket channel.
pub(crate) async fn open_ticket(w: &World, user: Id, panel: &Message, label: &str) -> Id {
    let i = w.sb.click_button(user, panel.id, label).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    let d = description(&r);
    let id = d
        .strip_prefix("Your ticket is <#")
        .and_then(|x| x.strip_suffix(">."))
        .unwrap_or_else(|| panic!("unexpected answer {d:?}"));
    // Consume the ephemeral answer from the channel feed.
    let _ = w.sb.wait_for_message(panel.channel_id, REPLY).await;
    id.parse().unwrap()
}

pub(crate) fn text_of(m: &Message, suffix: &str) -> String {
    let a = m
        .attachments
        .iter()
        .find(|a| a.filename.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} attachment on {m:?}"));
    String::from_utf8(a.data.clone()).unwrap()
}

#[tokio::test]
async fn ticket_wizard_open_claim_lock_close_with_transcripts() {
    let (w, _) = World::start_with(Setup {
        env: vec![
            ("SCHEDULER_TICK_MS", "100".into()),
            ("TICKETS_DELETE_DELAY_SECS", "1".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = server(&w);
    let panel = setup_panel(&w, &s, "Billing\nBug report").await;
    let labels: Vec<String> = panel.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(labels, ["Billing", "Bug report"]);

    // Open: a private channel in the category, with the opener, the staff and the bot.
    let ch = open_ticket(&w, w.member, &panel, "Billing").await;
    let c = w.sb.channel(ch).unwrap();
    assert_eq!(c.name, "ticket-0001-billing");
    assert_eq!(c.parent_id, Some(s.category));
    let can = |u: Id, bit: u64| w.sb.permissions(ch, u) & bit != 0;
    assert!(can(w.member, bits::VIEW_CHANNEL) && can(w.member, bits::SEND_MESSAGES));
    assert!(can(s.staff, bits::VIEW_CHANNEL) && can(s.staff, bits::SEND_MESSAGES));
    assert!(
        !can(s.outsider, bits::VIEW_CHANNEL),
        "other members do not see it"
    );
    let welcome = w.sb.wait_for_message(ch, REPLY).await.unwrap();
    assert_eq!(title(&welcome), "ℹ️ Ticket #0001");
    assert_eq!(
        welcome.content,
        format!("<@{}> <@&{}>", w.member, s.ping_role)
    );
    assert_eq!(welcome.mentions, [w.member], "only the opener is pinged");
    assert_eq!(welcome.mention_roles, [s.ping_role], "and the ping role");
    assert_eq!(field(&welcome, "Topic"), "Billing");
    let names: Vec<String> = welcome.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(names, ["Claim", "Close", "Transcript", "Lock"]);
    let row = store::by_channel(&w.db.storage(), ChannelId::new(ch))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.number, row.status), (1, TicketStatus::Open));

    // The per-member limit (1 on this panel).
    let i = w.sb.click_button(w.member, panel.id, "Bug report").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(
        description(&r),
        "You already have 1 open ticket from this panel: finish it first."
    );
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;

    w.sb.send_message(w.member, ch, "My invoice is wrong <b>twice</b>");

    // Claim: staff only.
    assert_eq!(
        refused_click(&w, w.member, &welcome, "Claim").await,
        "Only this ticket's staff can do that."
    );
    let i = w.sb.click_button(s.staff, welcome.id, "Claim").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Ticket claimed");
    assert_eq!(
        description(&r),
        format!("<@{}> handles this ticket.", s.staff)
    );

    // Lock: the opener reads but no longer writes.
    let i = w.sb.click_button(s.staff, welcome.id, "Lock").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "⚠️ Ticket locked");
    assert!(can(w.member, bits::VIEW_CHANNEL) && !can(w.member, bits::SEND_MESSAGES));

    // Close by the opener, with a reason typed in the modal.
    let open = w.sb.click_button(w.member, welcome.id, "Close").unwrap();
    match w.sb.wait_for_response(&open, REPLY).await.unwrap() {
        InteractionResponse::Modal(v) => assert_eq!(v["title"], "Close ticket #0001"),
        other => panic!("expected the close modal, got {other:?}"),
    }
    let sub =
        w.sb.submit_modal(w.member, &open, &[("reason", "solved, thanks")])
            .unwrap();
    let r = w.sb.wait_for_reply(&sub, REPLY).await.unwrap();
    assert_eq!(title(&r), "⚠️ Ticket #0001 closed");
    assert_eq!(field(&r, "Reason"), "solved, thanks");
    assert_eq!(
        field(&r, "Transcript"),
        format!("📨 posted in <#{}>\n📨 sent to the opener by DM", s.log)
    );
    assert_eq!(r.buttons()[0].1.as_deref(), Some("Reopen"));

    // The transcript in the log channel: HTML and text files.
    let log = w.sb.wait_for_message(s.log, REPLY).await.unwrap();
    assert_eq!(title(&log), "ℹ️ Ticket #0001 closed");
    assert_eq!(field(&log, "Opened by"), format!("<@{}>", w.member));
    assert_eq!(field(&log, "Claimed by"), format!("<@{}>", s.staff));
    assert_eq!(field(&log, "Closed by"), format!("<@{}>", w.member));
    let reads = w.rest("GET", &format!("/channels/{ch}/messages"));
    assert_eq!(reads.len(), 1, "the bot read the channel once");
    assert_eq!(reads[0].status, 200);
    let files: Vec<&str> = log
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert_eq!(files, ["transcript-0001.html", "transcript-0001.txt"]);
    let html = text_of(&log, ".html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("My invoice is wrong &lt;b&gt;twice&lt;/b&gt;"),
        "{html}"
    );
    assert!(html.contains("<b>Reason:</b> solved, thanks"));
    assert!(html.contains(">member</span>"), "authors are listed");
    let txt = text_of(&log, ".txt");
    assert!(txt.contains("member ("), "{txt}");
    assert!(
        txt.contains("): My invoice is wrong <b>twice</b>\n"),
        "{txt}"
    );
    assert!(txt.contains("[embed] ℹ️ Ticket #0001: Welcome"), "{txt}");

    // … and in the opener's DM.
    let dm = w.sb.wait_for_dm(w.member, REPLY).await.unwrap();
    assert_eq!(title(&dm), "ℹ️ Ticket #0001 closed");
    assert_eq!(text_of(&dm, ".html"), html);
    assert!(description(&dm).starts_with("Your ticket on Test Guild was closed."));

    // The channel is deleted by the job after the delay.
    w.sb.wait_until(Duration::from_secs(6), "ticket channel deleted", |st| {
        !st.channels.contains_key(&ch)
    })
    .await
    .unwrap();
    // The job marks the row right after deleting the channel.
    let mut row = store::get(&w.db.storage(), row.id).await.unwrap().unwrap();
    for _ in 0..50 {
        if row.status == TicketStatus::Deleted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        row = store::get(&w.db.storage(), row.id).await.unwrap().unwrap();
    }
    assert_eq!(
        (
            row.status,
            row.close_reason.as_deref(),
            row.claimed_by.map(|u| u.get())
        ),
        (TicketStatus::Deleted, Some("solved, thanks"), Some(s.staff))
    );

    // Stats (Mod): one closed, claimed by the staff member.
    let m = w.say(w.owner, "chro ticket stats").await;
    assert_eq!(field(&m, "Open"), "0");
    assert_eq!(field(&m, "Closed"), "1");
    assert_eq!(
        field(&m, "Staff"),
        format!(
            "<@{}>: 1 claimed, 0 closed\n<@{}>: 0 claimed, 1 closed",
            s.staff, w.member
        )
    );

    // A second ticket gets the next number.
    let ch2 = open_ticket(&w, w.member, &panel, "Bug report").await;
    assert_eq!(w.sb.channel(ch2).unwrap().name, "ticket-0002-bug-report");
}

#[tokio::test]
async fn ticket_close_command_confirms_and_reopen_keeps_the_channel() {
    let (w, _) = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    })
    .await;
    let s = server(&w);
    let panel = setup_panel(&w, &s, "").await;
    let labels: Vec<String> = panel.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(labels, ["Open a ticket"], "no topics: one button");
    let ch = open_ticket(&w, w.member, &panel, "Open a ticket").await;
    assert_eq!(w.sb.channel(ch).unwrap().name, "ticket-0001");
    let _welcome = w.sb.wait_for_message(ch, REPLY).await.unwrap();

    // Staff-only commands refused to the opener; admin ones to a plain member.
    let r = w
        .say_in(w.member, ch, &format!("chro ticket add <@{}>", s.outsider))
        .await;
    assert_eq!(description(&r), "Only this ticket's staff can do that.");
    let r = w.say(w.member, "chro ticket setup").await;
    assert_eq!(title(&r), "❌ Not allowed");
    let r = w.say(w.member, "chro ticket stats").await;
    assert_eq!(title(&r), "❌ Not allowed");
    let r = w.say(w.owner, "chro ticket claim").await;
    assert_eq!(
        description(&r),
        "This channel is not a ticket: use this command in a ticket's channel."
    );

    // Staff add someone, rename the channel.
    let r = w
        .say_in(s.staff, ch, &format!("chro ticket add <@{}>", s.outsider))
        .await;
    assert_eq!(title(&r), "✅ Member added");
    assert!(w.sb.permissions(ch, s.outsider) & bits::VIEW_CHANNEL != 0);
    let r = w
        .say_in(s.staff, ch, "chro ticket rename Refund Request")
        .await;
    assert_eq!(description(&r), "This channel is now #refund-request.");
    assert_eq!(w.sb.channel(ch).unwrap().name, "refund-request");
    let r = w
        .say_in(
            s.staff,
            ch,
            &format!("chro ticket remove <@{}>", s.outsider),
        )
        .await;
    assert_eq!(title(&r), "✅ Member removed");
    assert!(w.sb.permissions(ch, s.outsider) & bits::VIEW_CHANNEL == 0);

    // `ticket close` asks first.
    let ask = w.say_in(s.staff, ch, "chro ticket close duplicate").await;
    assert_eq!(title(&ask), "⚠️ Close ticket #0001?");
    let _ = w.sb.settle(Duration::from_millis(200), REPLY).await;
    let i = w.sb.click_button(s.staff, ask.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(description(&r), "Closing…");
    let closed = w.sb.wait_for_message(ch, REPLY).await.unwrap();
    assert_eq!(title(&closed), "⚠️ Ticket #0001 closed");
    assert_eq!(field(&closed, "Reason"), "duplicate");
    assert!(w.sb.permissions(ch, w.member) & bits::SEND_MESSAGES == 0);

    // Reopen (staff): the channel stays and the opener writes again.
    assert_eq!(
        refused_click(&w, w.member, &closed, "Reopen").await,
        "Only this ticket's staff can do that."
    );
    let i = w.sb.click_button(s.staff, closed.id, "Reopen").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Ticket #0001 reopened");
    assert!(w.sb.permissions(ch, w.member) & bits::SEND_MESSAGES != 0);
    let row = store::by_channel(&w.db.storage(), ChannelId::new(ch))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, TicketStatus::Open);
    // The default delay (60 s) has not passed, and the deletion was called off anyway.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(w.sb.channel(ch).is_some());
}
