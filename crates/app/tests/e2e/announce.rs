//! Announcements end to end: the whole `announce setup` wizard to a scheduled post that appears
//! at its time (mentions only as chosen: the REST body's `allowed_mentions` is checked, and
//! pings typed in the text are broken), a recurring (cron) one that posts twice, drafts sent
//! with `announce send now`, `announce cancel`, `announce list`, `announce timezone`, a
//! network broadcast to an approved server, and every admin command refused to a plain member.

use std::time::{Duration, Instant};

use chronix_sandbox::{ChannelKind, Id, Message};
use chronix_storage::announcements::{self as store, AnnouncementId, Status};
use serde_json::Value;

use crate::helpers::*;

/// How long a scheduled post may take to appear.
const POSTED: Duration = Duration::from_secs(20);

struct Wizard<'a> {
    channel: Id,
    title: &'a str,
    text: &'a str,
    roles: &'a [Id],
    everyone: bool,
    /// `None`: "Keep as draft"; `Some("now")`: "Send on confirm"; else typed in the modal.
    schedule: Option<&'a str>,
}

/// Runs the whole wizard as the owner; returns the confirmation panel.
async fn wizard(w: &World, o: &Wizard<'_>) -> Message {
    let m = w.say(w.owner, "chro announce setup").await;
    assert_eq!(title(&m), "ℹ️ Where is it posted?");
    let m = pick(w, w.owner, &m, "ch", &[&o.channel.to_string()]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Template");
    let m = pick(w, w.owner, &m, "tpl", &["alert"]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Title and text");
    let m = modal(
        w,
        w.owner,
        &m,
        "Edit text",
        &[("title", o.title), ("text", o.text)],
    )
    .await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Images");
    let m = modal(
        w,
        w.owner,
        &m,
        "Set images",
        &[("thumb", "https://example.org/t.png"), ("image", "")],
    )
    .await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Link buttons");
    let m = modal(
        w,
        w.owner,
        &m,
        "Edit buttons",
        &[("buttons", "Website | https://example.org")],
    )
    .await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Pings");
    let mut m = m;
    if !o.roles.is_empty() {
        let r: Vec<String> = o.roles.iter().map(Id::to_string).collect();
        let r: Vec<&str> = r.iter().map(String::as_str).collect();
        m = pick(w, w.owner, &m, "roles", &r).await;
    }
    if o.everyone {
        m = click(w, w.owner, &m, "Ping @everyone").await;
    }
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Schedule");
    let m = match o.schedule {
        None => click(w, w.owner, &m, "Keep as draft").await,
        Some("now") => click(w, w.owner, &m, "Send on confirm").await,
        Some(s) => modal(w, w.owner, &m, "Set schedule", &[("when", s)]).await,
    };
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Announcement", "the preview");
    let m = click(w, w.owner, &m, "Next ▶").await;
    let done = click(w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Announcement saved");
    done
}

/// The bot's POST bodies to `/channels/<channel>/messages` so far.
fn posts(w: &World, channel: Id) -> Vec<Value> {
    w.rest("POST", &format!("/channels/{channel}/messages"))
        .into_iter()
        .filter_map(|c| c.body)
        .collect()
}

async fn wait_posts(w: &World, channel: Id, n: usize, within: Duration) -> Vec<Value> {
    let end = Instant::now() + within;
    loop {
        let p = posts(w, channel);
        if p.len() >= n || Instant::now() > end {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn world_setup() -> Setup {
    Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    }
}

#[tokio::test]
async fn the_wizard_schedules_a_post_that_appears_on_time_with_only_the_chosen_pings() {
    let (w, _) = World::start_with(world_setup()).await;
    let g = w.guild.id;
    let news = w.sb.create_channel(g, "news", ChannelKind::Text);
    let role = w.sb.create_role(g, "Subscribers", 0);
    let other = w.sb.create_role(g, "Staff", 0);
    let done = wizard(
        &w,
        &Wizard {
            channel: news,
            title: "Big @everyone update",
            text: &format!("Read this <@&{other}> and @here."),
            roles: &[role],
            everyone: false,
            schedule: Some("in 4s"),
        },
    )
    .await;
    assert!(
        description(&done).starts_with("Announcement #1 is scheduled: next post "),
        "{}",
        description(&done)
    );
    let stored = store::get(
        &w.db.storage(),
        chronix_core::ids::GuildId::from_db(g as i64),
        AnnouncementId::new(1),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(stored.status, Status::Scheduled);
    assert!(posts(&w, news).is_empty(), "not before its time");
    let m = w.sb.wait_for_message(news, POSTED).await.unwrap();
    assert_eq!(title(&m), "🚨 Big @\u{200B}everyone update");
    assert_eq!(
        description(&m),
        format!("Read this <@\u{200B}&{other}> and @\u{200B}here.")
    );
    assert_eq!(m.content, format!("<@&{role}>"));
    assert_eq!(
        embed(&m)["thumbnail"]["url"],
        "https://example.org/t.png",
        "{:?}",
        embed(&m)
    );
    let links = m.buttons();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].1.as_deref(), Some("Website"));
    // The REST body: allowed_mentions names exactly the chosen role, no everyone, no users.
    let body = &posts(&w, news)[0];
    let am = &body["allowed_mentions"];
    assert_eq!(am["roles"], serde_json::json!([role.to_string()]), "{am}");
    assert_eq!(am["users"], serde_json::json!([]), "{am}");
    assert!(
        !am["parse"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p == "everyone"),
        "{am}"
    );
    // Posted once; the announcement is done.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(posts(&w, news).len(), 1);
    let stored = store::get(
        &w.db.storage(),
        chronix_core::ids::GuildId::from_db(g as i64),
        AnnouncementId::new(1),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((stored.status, stored.runs), (Status::Done, 1));
    // @everyone only when chosen: a second one, sent on confirm, pings everyone.
    wizard(
        &w,
        &Wizard {
            channel: news,
            title: "All hands",
            text: "",
            roles: &[],
            everyone: true,
            schedule: Some("now"),
        },
    )
    .await;
    let m = w.sb.wait_for_message(news, POSTED).await.unwrap();
    assert_eq!(title(&m), "🚨 All hands");
    assert_eq!(m.content, "@everyone");
    let body = &posts(&w, news)[1];
    let am = &body["allowed_mentions"];
    assert_eq!(am["parse"], serde_json::json!(["everyone"]), "{am}");
    assert_eq!(am["roles"], serde_json::json!([]), "{am}");
}

#[tokio::test]
async fn a_recurring_cron_announcement_posts_twice() {
    let (w, _) = World::start_with(world_setup()).await;
    let g = w.guild.id;
    let news = w.sb.create_channel(g, "news", ChannelKind::Text);
    let done = wizard(
        &w,
        &Wizard {
            channel: news,
            title: "Every minute",
            text: "tick",
            roles: &[],
            everyone: false,
            schedule: Some("cron * * * * *"),
        },
    )
    .await;
    assert!(description(&done).contains("is scheduled"));
    // Two minute boundaries: at most two minutes and a bit.
    let p = wait_posts(&w, news, 2, Duration::from_secs(150)).await;
    assert_eq!(p.len(), 2, "posted twice");
    for body in &p {
        assert_eq!(body["embeds"][0]["title"], "🚨 Every minute");
        assert_eq!(body["allowed_mentions"]["roles"], serde_json::json!([]));
        assert!(body.get("content").is_none_or(Value::is_null));
    }
    let gid = chronix_core::ids::GuildId::from_db(g as i64);
    let s = store::get(&w.db.storage(), gid, AnnouncementId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.status, Status::Scheduled, "still recurring");
    assert!(s.runs >= 2);
    let runs = store::runs(&w.db.storage(), s.id).await.unwrap();
    assert_eq!(runs[1].0 - runs[0].0, chrono::Duration::minutes(1));
    // Cancelled: nothing more.
    let r = w.say(w.owner, "chro announce cancel 1").await;
    assert_eq!(title(&r), "✅ Announcement cancelled");
    assert!(
        store::pending_occurrences(&w.db.storage())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn drafts_send_now_list_cancel_timezone_and_refusals() {
    let (w, _) = World::start_with(world_setup()).await;
    let g = w.guild.id;
    let gid = chronix_core::ids::GuildId::from_db(g as i64);
    let news = w.sb.create_channel(g, "news", ChannelKind::Text);

    // A plain member is refused every admin command.
    for cmd in [
        "chro announce setup",
        "chro ann",
        "chro announce list",
        "chro announce send now 1",
        "chro announce cancel 1",
        "chro announce edit 1",
        "chro announce timezone Europe/Paris",
        "chro announce network create Friends",
        "chro announce network list",
    ] {
        let r = w.say(w.member, cmd).await;
        assert_eq!(title(&r), "❌ Not allowed", "{cmd}");
    }

    // The time zone.
    let r = w.say(w.owner, "chro announce timezone europe/paris").await;
    assert!(
        description(&r).starts_with("This server's time zone is now Europe/Paris"),
        "{}",
        description(&r)
    );
    let r = w.say(w.owner, "chro announce timezone Mars/Olympus").await;
    assert_eq!(title(&r), "❌ Announcement");
    // A malformed cron is refused in the wizard with a reason, and nothing is stored.
    let m = w.say(w.owner, "chro announce setup").await;
    let m = pick(&w, w.owner, &m, "ch", &[&news.to_string()]).await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit text",
        &[("title", "T"), ("text", "")],
    )
    .await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Schedule");
    assert!(field(&m, "Schedule").starts_with("Draft"));
    let open = w.sb.click_button(w.owner, m.id, "Set schedule").unwrap();
    let _ = w.sb.wait_for_response(&open, REPLY).await.unwrap();
    let s =
        w.sb.submit_modal(w.owner, &open, &[("when", "cron 99 * * * *")])
            .unwrap();
    let r = w.sb.wait_for_reply(&s, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    assert!(
        description(&r).starts_with("That cron expression was refused:"),
        "{}",
        description(&r)
    );
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    // A valid daily one is described back with the next 3 times in the server's zone.
    let m = modal(&w, w.owner, &m, "Set schedule", &[("when", "daily 09:00")]).await;
    assert_eq!(field(&m, "Schedule"), "every day at 09:00 (Europe/Paris)");
    let next = field(&m, "Next times");
    assert_eq!(next.lines().count(), 3, "{next}");
    assert!(next.contains("09:00 (Europe/Paris)"), "{next}");
    let _ = click(&w, w.owner, &m, "Cancel").await;
    assert!(store::list(&w.db.storage(), gid).await.unwrap().is_empty());

    // A draft, kept; listed; sent now.
    let done = wizard(
        &w,
        &Wizard {
            channel: news,
            title: "Draft news",
            text: "later",
            roles: &[],
            everyone: false,
            schedule: None,
        },
    )
    .await;
    assert!(description(&done).contains("is kept as a draft"));
    let r = w.say(w.owner, "chro announce list").await;
    assert_eq!(title(&r), "ℹ️ Announcements");
    assert_eq!(field_names(&r), ["#1 · draft · Draft news"]);
    assert!(posts(&w, news).is_empty());
    let r = w.say(w.owner, "chro announce send now 1").await;
    assert_eq!(title(&r), "✅ Announcement sent");
    let m = w.sb.wait_for_message(news, POSTED).await.unwrap();
    assert_eq!(title(&m), "🚨 Draft news");
    let r = w.say(w.owner, "chro announce send now 1").await;
    assert_eq!(
        description(&r),
        "Announcement #1 is no longer a draft or scheduled (see `announce list`)."
    );

    // A scheduled one, cancelled before its time: never posted.
    wizard(
        &w,
        &Wizard {
            channel: news,
            title: "Later",
            text: "",
            roles: &[],
            everyone: false,
            schedule: Some("in 1h"),
        },
    )
    .await;
    let r = w.say(w.owner, "chro ann cancel 2").await;
    assert_eq!(title(&r), "✅ Announcement cancelled");
    let s = store::get(&w.db.storage(), gid, AnnouncementId::new(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.status, Status::Cancelled);
    assert!(
        store::pending_occurrences(&w.db.storage())
            .await
            .unwrap()
            .is_empty()
    );
    let r = w.say(w.owner, "chro announce cancel 9").await;
    assert_eq!(
        description(&r),
        "There is no announcement #9 on this server."
    );
    // Audit entries for the admin actions.
    let actions: Vec<String> = chronix_storage::audit::recent(&w.db.storage(), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "config.timezone",
        "announcements.create",
        "announcements.send_now",
        "announcements.cancel",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn a_network_broadcast_reaches_approved_servers_only() {
    let (w, _) = World::start_with(world_setup()).await;
    let g = w.guild.id;
    let news = w.sb.create_channel(g, "news", ChannelKind::Text);
    // Two other servers with the same owner as admin there.
    let other = w.sb.create_guild("Other");
    let third = w.sb.create_guild("Third");
    let inbox = w.sb.create_channel(other.id, "inbox", ChannelKind::Text);
    let inbox3 = w.sb.create_channel(third.id, "inbox", ChannelKind::Text);
    let r = w
        .say(w.owner, "chro announce network create Alliance")
        .await;
    assert_eq!(title(&r), "✅ Network created");
    let r = w
        .say_in(
            other.owner_id,
            other.general,
            &format!("chro announce network join 1 <#{inbox}>"),
        )
        .await;
    assert!(
        description(&r).contains(&format!("announce network approve 1 {}", other.id)),
        "{}",
        description(&r)
    );
    let _ = w
        .say_in(
            third.owner_id,
            third.general,
            &format!("chro announce network join 1 <#{inbox3}>"),
        )
        .await;
    let r = w
        .say(
            w.owner,
            &format!("chro announce network approve 1 {}", other.id),
        )
        .await;
    assert_eq!(title(&r), "✅ Server approved");
    // The wizard with the network picked, sent on confirm.
    let m = w.say(w.owner, "chro announce setup").await;
    let m = pick(&w, w.owner, &m, "ch", &[&news.to_string()]).await;
    let m = pick(&w, w.owner, &m, "net", &["1"]).await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit text",
        &[("title", "Joint event"), ("text", "")],
    )
    .await;
    // images, buttons, pings: as they are.
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let m = click(&w, w.owner, &m, "Send on confirm").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(field(&m, "Network"), "🌐 Alliance");
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let _ = click(&w, w.owner, &m, "Confirm").await;
    let home = w.sb.wait_for_message(news, POSTED).await.unwrap();
    assert_eq!(title(&home), "📢 Joint event");
    let away = w.sb.wait_for_message(inbox, POSTED).await.unwrap();
    assert_eq!(title(&away), "📢 Joint event");
    assert_eq!(
        embed(&away)["footer"]["text"],
        "Broadcast from the Alliance network"
    );
    assert_eq!(
        posts(&w, inbox)[0]["allowed_mentions"]["roles"],
        serde_json::json!([])
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(posts(&w, inbox3).is_empty(), "not approved: nothing");
}
