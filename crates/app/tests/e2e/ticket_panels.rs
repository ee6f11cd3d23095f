//! Ticket panels end to end, beyond the basic life (`tickets.rs`): tickets opened as private
//! threads of the panel's channel (claim, lock, add/remove, close with transcripts, reopen, the
//! thread deleted by the job); a panel with more than 5 topics offering them in a select menu;
//! `ticket panels` / `ticket edit` / `ticket delete` with their audit entries; the Transcript
//! button's private files with exact content; the admin commands refused to a plain member.

use std::time::Duration;

use chronix_core::ids::ChannelId;
use chronix_sandbox::perms::bits;
use chronix_sandbox::{ChannelKind, Id, InteractionResponse, Message};
use chronix_storage::tickets::{self as store, TicketStatus};

use crate::helpers::*;
use crate::tickets::{open_ticket, refused_click, server, setup_panel_as, text_of};

/// The tickets audit actions, oldest first.
async fn audit_actions(w: &World) -> Vec<String> {
    chronix_storage::audit::recent(&w.db.storage(), 100)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .filter(|a| a.starts_with("tickets.panel"))
        .collect()
}

/// Consumes what the channel feed holds (answers already checked through their interaction).
async fn drain(w: &World, channel: Id) {
    while w
        .sb
        .wait_for_message(channel, Duration::from_millis(300))
        .await
        .is_ok()
    {}
}

#[tokio::test]
async fn tickets_as_private_threads_claim_lock_close_reopen_and_delete() {
    let (w, _) = World::start_with(Setup {
        env: vec![
            ("SCHEDULER_TICK_MS", "100".into()),
            ("TICKETS_DELETE_DELAY_SECS", "4".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = server(&w);
    let panel = setup_panel_as(&w, &s, "Billing", true).await;
    let t = open_ticket(&w, w.member, &panel, "Billing").await;

    // A private thread of the panel's channel: the bot, the opener and the staff are in it.
    let c = w.sb.channel(t).unwrap();
    assert_eq!(c.kind, ChannelKind::PrivateThread);
    assert_eq!(c.parent_id, Some(w.guild.general));
    assert_eq!(c.name, "ticket-0001-billing");
    assert!(!w.sb.thread_meta(t).invitable, "only moderators invite");
    let mut members = w.sb.thread_members(t);
    members.sort_unstable();
    let mut expected = vec![w.sb.bot_id(), w.member, s.staff];
    expected.sort_unstable();
    assert_eq!(members, expected);
    let can = |u: Id, bit: u64| w.sb.permissions(t, u) & bit != 0;
    assert!(can(w.member, bits::VIEW_CHANNEL) && can(w.member, bits::SEND_MESSAGES_IN_THREADS));
    assert!(can(s.staff, bits::VIEW_CHANNEL));
    assert!(!can(s.outsider, bits::VIEW_CHANNEL), "others do not see it");
    let creates = w.rest("POST", &format!("/channels/{}/threads", w.guild.general));
    assert_eq!(creates.len(), 1);
    let body = creates[0].body.clone().unwrap();
    assert_eq!(body["type"], 12);
    assert_eq!(body["invitable"], false);
    assert!(
        w.rest("POST", &format!("/guilds/{}/channels", w.guild.id))
            .is_empty(),
        "no channel is created"
    );

    let welcome = w.sb.wait_for_message(t, REPLY).await.unwrap();
    assert_eq!(title(&welcome), "ℹ️ Ticket #0001");
    assert_eq!(
        welcome.content,
        format!("<@{}> <@&{}>", w.member, s.ping_role)
    );
    let row = store::by_channel(&w.db.storage(), ChannelId::new(t))
        .await
        .unwrap()
        .unwrap();
    assert!(row.thread);
    w.sb.send_message(w.member, t, "Thread question");

    // Claim (staff only).
    assert_eq!(
        refused_click(&w, w.member, &welcome, "Claim").await,
        "Only this ticket's staff can do that."
    );
    let i = w.sb.click_button(s.staff, welcome.id, "Claim").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Ticket claimed");

    // Lock: the thread is locked, the opener reads but no longer writes; unlock again.
    let i = w.sb.click_button(s.staff, welcome.id, "Lock").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "⚠️ Ticket locked");
    assert!(w.sb.thread_meta(t).locked);
    assert!(can(w.member, bits::VIEW_CHANNEL) && !can(w.member, bits::SEND_MESSAGES_IN_THREADS));
    assert!(w.sb.try_send_message(w.member, t, "hello?").is_err());
    let i = w.sb.click_button(s.staff, welcome.id, "Lock").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Ticket unlocked");
    assert!(!w.sb.thread_meta(t).locked);
    assert!(can(w.member, bits::SEND_MESSAGES_IN_THREADS));

    // Add / remove a member: they join and leave the thread.
    drain(&w, t).await;
    let r = w
        .say_in(s.staff, t, &format!("chro ticket add <@{}>", s.outsider))
        .await;
    assert_eq!(title(&r), "✅ Member added", "{}", description(&r));
    assert!(w.sb.thread_members(t).contains(&s.outsider));
    assert!(can(s.outsider, bits::VIEW_CHANNEL));
    let r = w
        .say_in(s.staff, t, &format!("chro ticket remove <@{}>", s.outsider))
        .await;
    assert_eq!(title(&r), "✅ Member removed");
    assert!(!w.sb.thread_members(t).contains(&s.outsider));
    assert!(!can(s.outsider, bits::VIEW_CHANNEL));

    // Close with a reason: the transcript of the thread goes to the log channel and the DM.
    let open = w.sb.click_button(w.member, welcome.id, "Close").unwrap();
    assert!(matches!(
        w.sb.wait_for_response(&open, REPLY).await.unwrap(),
        InteractionResponse::Modal(_)
    ));
    let sub =
        w.sb.submit_modal(w.member, &open, &[("reason", "done")])
            .unwrap();
    let closed = w.sb.wait_for_reply(&sub, REPLY).await.unwrap();
    assert_eq!(title(&closed), "⚠️ Ticket #0001 closed");
    assert_eq!(
        field(&closed, "Transcript"),
        format!("📨 posted in <#{}>\n📨 sent to the opener by DM", s.log)
    );
    assert!(w.sb.thread_meta(t).locked, "a closed thread is locked");
    assert!(!can(w.member, bits::SEND_MESSAGES_IN_THREADS));
    let log = w.sb.wait_for_message(s.log, REPLY).await.unwrap();
    assert_eq!(title(&log), "ℹ️ Ticket #0001 closed");
    let txt = text_of(&log, ".txt");
    assert!(txt.contains("): Thread question\n"), "{txt}");
    assert!(txt.contains("Reason: done\n"), "{txt}");
    let dm = w.sb.wait_for_dm(w.member, REPLY).await.unwrap();
    assert_eq!(text_of(&dm, ".txt"), txt);

    // Reopen before the deletion: unlocked, the opener writes again.
    let i = w.sb.click_button(s.staff, closed.id, "Reopen").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Ticket #0001 reopened");
    assert!(!w.sb.thread_meta(t).locked);
    w.sb.send_message(w.member, t, "one more thing");

    // Closed again by command: the job deletes the thread after the delay.
    drain(&w, t).await;
    let ask = w.say_in(s.staff, t, "chro ticket close").await;
    let _ = w.sb.settle(Duration::from_millis(200), REPLY).await;
    let i = w.sb.click_button(s.staff, ask.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(description(&r), "Closing…");
    w.sb.wait_until(Duration::from_secs(15), "ticket thread deleted", |st| {
        !st.channels.contains_key(&t)
    })
    .await
    .unwrap();
    let mut row = store::get(&w.db.storage(), row.id).await.unwrap().unwrap();
    for _ in 0..50 {
        if row.status == TicketStatus::Deleted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        row = store::get(&w.db.storage(), row.id).await.unwrap().unwrap();
    }
    assert_eq!(row.status, TicketStatus::Deleted);
    assert!(
        w.sb.channel(w.guild.general).is_some(),
        "the panel's channel stays"
    );
}

#[tokio::test]
async fn more_than_five_topics_are_offered_in_a_select_menu() {
    let w = World::start().await;
    let s = server(&w);
    let topics = "Billing\nBug report\nAccount\nPartnership\nAppeal\nOther";
    let panel = setup_panel_as(&w, &s, topics, false).await;
    assert!(panel.buttons().is_empty(), "no buttons: a menu");
    let menu = &panel.components[0]["components"][0];
    assert_eq!(menu["type"], 3);
    assert_eq!(menu["placeholder"], "Pick a topic to open a ticket");
    let labels: Vec<&str> = menu["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Billing",
            "Bug report",
            "Account",
            "Partnership",
            "Appeal",
            "Other"
        ]
    );
    let id = menu["custom_id"].as_str().unwrap().to_string();
    let i = w.sb.select(w.member, panel.id, &id, &["4"]).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    let d = description(&r);
    let ch: Id = d
        .strip_prefix("Your ticket is <#")
        .and_then(|x| x.strip_suffix(">."))
        .unwrap_or_else(|| panic!("unexpected answer {d:?}"))
        .parse()
        .unwrap();
    assert_eq!(w.sb.channel(ch).unwrap().name, "ticket-0001-appeal");
    let welcome = w.sb.wait_for_message(ch, REPLY).await.unwrap();
    assert_eq!(field(&welcome, "Topic"), "Appeal");
    // Another member picks another topic.
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    let i = w.sb.select(s.staff, panel.id, &id, &["5"]).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    let ch2: Id = description(&r)
        .strip_prefix("Your ticket is <#")
        .and_then(|x| x.strip_suffix(">."))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(w.sb.channel(ch2).unwrap().name, "ticket-0002-other");

    // The limit of 25 topics (a menu's options).
    let m = w.say(w.owner, "chro ticket setup").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = pick(&w, w.owner, &m, "staff", &[&s.staff_role.to_string()]).await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Topics");
    let many: Vec<String> = (1..=26).map(|i| format!("Topic {i}")).collect();
    let open = w.sb.click_button(w.owner, m.id, "Edit topics").unwrap();
    let _ = w.sb.wait_for_response(&open, REPLY).await.unwrap();
    let sub =
        w.sb.submit_modal(w.owner, &open, &[("topics", &many.join("\n"))])
            .unwrap();
    let r = w.sb.wait_for_reply(&sub, REPLY).await.unwrap();
    assert_eq!(description(&r), "At most 25 topics.");
}

#[tokio::test]
async fn ticket_panels_are_listed_edited_and_deleted_with_audit() {
    let w = World::start().await;
    let s = server(&w);
    let panel = setup_panel_as(&w, &s, "Billing", false).await;

    // Admin commands refused to a plain member.
    for cmd in [
        "chro ticket panels",
        "chro ticket edit 1",
        "chro ticket delete 1",
        "chro ticket setup",
    ] {
        let r = w.say(w.member, cmd).await;
        assert_eq!(title(&r), "❌ Not allowed", "{cmd}");
    }

    let r = w.say(w.owner, "chro ticket panels").await;
    assert_eq!(title(&r), "ℹ️ Ticket panels");
    assert_eq!(
        description(&r),
        format!(
            "**#1** Help desk in <#{}>: 1 topics, private channels",
            w.guild.general
        )
    );
    let r = w.say(w.owner, "chro ticket edit 9").await;
    assert_eq!(description(&r), "This ticket panel no longer exists.");

    // Edit: the wizard starts from the panel's settings; Confirm updates the message in place.
    let m = w.say(w.owner, "chro ticket edit 1").await;
    assert_eq!(title(&m), "ℹ️ Where do tickets go?");
    let m = click(&w, w.owner, &m, "📁 Tickets open as private channels").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Topics");
    assert_eq!(field(&m, "Topics"), "Billing");
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit topics",
        &[("topics", "Billing\nRefunds")],
    )
    .await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit message",
        &[("title", "Support desk"), ("text", "Pick a topic.")],
    )
    .await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(field(&m, "Staff roles"), "Staff", "kept from the panel");
    assert_eq!(
        field(&m, "Tickets open as"),
        "private threads of the panel's channel"
    );
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let done = click(&w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Ticket panel updated");
    assert_eq!(
        description(&done),
        format!(
            "Panel #1 and its message in <#{}> are updated.",
            w.guild.general
        )
    );
    let edited = w.sb.message(panel.id).unwrap();
    assert_eq!(title(&edited), "ℹ️ Support desk");
    assert_eq!(description(&edited), "Pick a topic.");
    let labels: Vec<String> = edited.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(labels, ["Billing", "Refunds"]);
    let stored = store::panel(&w.db.storage(), store::PanelId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.config.threads);
    assert_eq!(stored.config.topics, ["Billing", "Refunds"]);
    let t = open_ticket(&w, w.member, &edited, "Refunds").await;
    assert_eq!(w.sb.channel(t).unwrap().kind, ChannelKind::PrivateThread);

    // A panel whose message was deleted gets it posted again on edit.
    w.sb.delete_user_message(panel.id);
    let m = w.say(w.owner, "chro ticket edit 1").await;
    let mut m = click(&w, w.owner, &m, "🧵 Tickets open as private threads").await;
    for _ in 0..6 {
        m = click(&w, w.owner, &m, "Next ▶").await;
    }
    let done = click(&w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Ticket panel updated");
    let again = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&again), "ℹ️ Support desk");
    let stored = store::panel(&w.db.storage(), store::PanelId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.message.map(|m| m.get()), Some(again.id));
    assert!(!stored.config.threads);

    // Delete asks first; Cancel keeps it, Confirm deletes the panel and its message.
    let ask = w.say(w.owner, "chro ticket delete 1").await;
    assert_eq!(title(&ask), "⚠️ Delete ticket panel #1?");
    let _ = w.sb.settle(Duration::from_millis(200), REPLY).await;
    let i = w.sb.click_button(w.owner, ask.id, "Confirm").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Ticket panel deleted");
    assert_eq!(description(&r), "Panel #1 is deleted.");
    assert!(w.sb.message(again.id).is_none(), "its message is gone");
    assert!(
        store::panel(&w.db.storage(), store::PanelId::new(1))
            .await
            .unwrap()
            .is_none()
    );
    // Its ticket stays, handled by server managers.
    let row = store::by_channel(&w.db.storage(), ChannelId::new(t))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.panel, row.status), (None, TicketStatus::Open));
    let r = w.say(w.owner, "chro ticket panels").await;
    assert_eq!(
        description(&r),
        "This server has no ticket panel yet: `ticket setup` builds one."
    );
    assert_eq!(
        audit_actions(&w).await,
        [
            "tickets.panel_create",
            "tickets.panel_edit",
            "tickets.panel_edit",
            "tickets.panel_delete"
        ]
    );
}

#[tokio::test]
async fn the_transcript_button_sends_the_files_privately_to_who_asked() {
    let w = World::start().await;
    let s = server(&w);
    let panel = setup_panel_as(&w, &s, "", false).await;
    let ch = open_ticket(&w, w.member, &panel, "Open a ticket").await;
    let welcome = w.sb.wait_for_message(ch, REPLY).await.unwrap();
    w.sb.send_message(w.member, ch, "Hello <staff> & co");
    w.sb.send_message(s.staff, ch, "How can we help?");

    // Someone else cannot have it.
    assert_eq!(
        refused_click(&w, s.outsider, &welcome, "Transcript").await,
        "Only this ticket's staff or the member who opened it can do that."
    );

    let i =
        w.sb.click_button(w.member, welcome.id, "Transcript")
            .unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "only the one who asked sees it");
    assert_eq!(title(&r), "ℹ️ Transcript of ticket #0001");
    let files: Vec<&str> = r.attachments.iter().map(|a| a.filename.as_str()).collect();
    assert_eq!(files, ["transcript-0001.html", "transcript-0001.txt"]);

    // Exact text: header, then every message of the channel with its author and time.
    let row = store::by_channel(&w.db.storage(), ChannelId::new(ch))
        .await
        .unwrap()
        .unwrap();
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let msgs: Vec<Message> =
        w.sb.messages_in(ch)
            .into_iter()
            .filter(|m| m.visible_to.is_none())
            .collect();
    assert_eq!(msgs.len(), 3);
    let txt = text_of(&r, ".txt");
    let closed_line = txt
        .lines()
        .find(|l| l.starts_with("Closed: "))
        .unwrap()
        .to_string();
    let expected = format!(
        "Ticket #0001 · Test Guild\n\
         Channel: #ticket-0001\n\
         Opened by: member\n\
         Opened: {}\n\
         Closed by: member\n\
         {closed_line}\n\
         Reason: —\n\
         Messages: 3\n\
         \n\
         [{}] Chronix [BOT] ({}): <@{}> <@&{}>\n    [embed] ℹ️ Ticket #0001: {}\n\
         [{}] member ({}): Hello <staff> & co\n\
         [{}] staffer ({}): How can we help?\n",
        at(row.created_at),
        at(msgs[0].timestamp),
        w.sb.bot_id(),
        w.member,
        s.ping_role,
        description(&welcome),
        at(msgs[1].timestamp),
        w.member,
        at(msgs[2].timestamp),
        s.staff,
    );
    assert_eq!(txt, expected);
    let html = text_of(&r, ".html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Hello &lt;staff&gt; &amp; co"), "{html}");
    assert!(html.contains(">staffer</span>"));
    assert!(!html.contains("<script"), "self-contained, no script");

    // Nowhere else: nothing in the log channel, no DM, the ticket still open.
    assert!(w.sb.messages_in(s.log).is_empty());
    assert!(
        w.sb.wait_for_dm(w.member, Duration::from_millis(300))
            .await
            .is_err()
    );
    let row = store::get(&w.db.storage(), row.id).await.unwrap().unwrap();
    assert_eq!(row.status, TicketStatus::Open);
}
