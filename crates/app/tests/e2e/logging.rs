//! The logging feature end to end: `create-logs` (admin and owner suites, twice), each event
//! kind landing in its channel with its before/after, ignore rules, category switches, the
//! privacy switch, a burst of 500 edits coalesced without loss, the backlog overflow report,
//! and the queue flushed on a graceful stop.

use std::time::{Duration, Instant};

use chronix_core::ids::GuildId;
use chronix_sandbox::{ChannelKind, Id, ManualAction, Overwrite};
use chronix_storage::logging as store;
use serde_json::Value;

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(10);

fn fast() -> Vec<(&'static str, String)> {
    vec![
        ("SCHEDULER_TICK_MS", "100".into()),
        ("LOG_POST_RATE", "off".into()),
    ]
}

async fn start(env: Vec<(&'static str, String)>, backend: Backend) -> World {
    World::start_with(Setup {
        env,
        backend,
        ..Setup::default()
    })
    .await
    .0
}

/// The id of the guild channel named `name`.
fn channel_named(w: &World, guild: Id, name: &str) -> Option<Id> {
    w.sb.with_state(|st| {
        st.guild_channels(guild)
            .into_iter()
            .find(|c| c.name == name)
            .map(|c| c.id)
    })
}

/// Every embed the bot posted in `channel`, in order.
fn embeds_in(w: &World, channel: Id) -> Vec<Value> {
    w.sb.messages_in(channel)
        .into_iter()
        .flat_map(|m| m.embeds)
        .collect()
}

/// Waits until `channel` holds an embed whose title contains `title` (and `also` matches).
async fn wait_embed(w: &World, channel: Id, title: &str, also: impl Fn(&Value) -> bool) -> Value {
    let end = Instant::now() + WAIT;
    loop {
        if let Some(e) = embeds_in(w, channel)
            .into_iter()
            .find(|e| e["title"].as_str().unwrap_or_default().contains(title) && also(e))
        {
            return e;
        }
        if Instant::now() > end {
            let titles: Vec<String> = embeds_in(w, channel)
                .iter()
                .map(|e| e["title"].as_str().unwrap_or_default().to_string())
                .collect();
            panic!("no {title:?} embed in {channel}; there: {titles:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn field_of(e: &Value, name: &str) -> String {
    e["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {e}"))
        .to_string()
}

/// Channels the bot created (`POST /guilds/{id}/channels`).
fn channel_creates(w: &World) -> usize {
    w.sb.rest_log()
        .iter()
        .filter(|c| c.method == "POST" && c.path.ends_with("/channels"))
        .count()
}

/// `create-logs` by the guild owner; returns category key → channel id.
async fn create_logs(w: &World) -> std::collections::BTreeMap<&'static str, Id> {
    let r = w.say(w.owner, "chro create-logs").await;
    assert_eq!(title(&r), "✅ Log channels ready");
    let mut out = std::collections::BTreeMap::new();
    for c in chronix_core::logging::LogCategory::suite(false) {
        out.insert(
            c.key(),
            channel_named(w, w.guild.id, c.channel_name()).expect("log channel created"),
        );
    }
    out
}

async fn rows(w: &World, kind: &str) -> Vec<store::LogRow> {
    store::recent(
        &w.db.storage(),
        GuildId::new(w.guild.id),
        Some(kind),
        10_000,
    )
    .await
    .unwrap()
}

async fn wait_rows(w: &World, kind: &str, n: usize) -> Vec<store::LogRow> {
    let end = Instant::now() + WAIT;
    loop {
        let r = rows(w, kind).await;
        if r.len() >= n || Instant::now() > end {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn create_logs_as_admin_builds_the_basic_suite_once() {
    let w = start(fast(), Backend::Sqlite).await;
    // A channel the server mapped before is reused.
    let mine =
        w.sb.create_channel(w.guild.id, "my-mod-log", ChannelKind::Text);
    let r = w
        .say(w.owner, &format!("chro logs set mod <#{mine}>"))
        .await;
    assert_eq!(title(&r), "✅ Log channel set");
    let creates_before = channel_creates(&w);
    let r = w.say(w.owner, "chro create-logs").await;
    assert_eq!(title(&r), "✅ Log channels ready");
    assert!(
        description(&r).contains("but gameplay-logs"),
        "{}",
        description(&r)
    );
    assert_eq!(field(&r, "Already there"), format!("<#{mine}>"));
    let category = channel_named(&w, w.guild.id, "📁 | logs").expect("category");
    for name in [
        "💬 | message-logs",
        "🔊 | vc-logs",
        "🛠️ | server-logs",
        "👥 | member-logs",
        "🧭 | invite-logs",
        "⚠️ | error-logs",
    ] {
        let id = channel_named(&w, w.guild.id, name).unwrap_or_else(|| panic!("{name}"));
        let ch = w.sb.channel(id).unwrap();
        assert_eq!(ch.parent_id, Some(category), "{name} in the category");
        // @everyone cannot see it; the owner (staff) and the bot can; a member cannot.
        assert!(ch.overwrites.iter().any(
            |o| o.id == w.guild.id && o.deny & chronix_sandbox::perms::bits::VIEW_CHANNEL != 0
        ));
        assert_eq!(
            w.sb.permissions(id, w.member) & chronix_sandbox::perms::bits::VIEW_CHANNEL,
            0
        );
        assert_ne!(
            w.sb.permissions(id, w.sb.bot_id()) & chronix_sandbox::perms::bits::SEND_MESSAGES,
            0
        );
    }
    assert!(
        channel_named(&w, w.guild.id, "🔒 | mod-logs").is_none(),
        "mapped channel reused"
    );
    assert!(
        channel_named(&w, w.guild.id, "🎮 | gameplay-logs").is_none(),
        "admins get no gameplay-logs"
    );
    let made = channel_creates(&w) - creates_before;
    assert_eq!(made, 7, "a category and six channels");
    // The error-log channel was unset: it is now error-logs.
    let s = chronix_storage::guild_settings::get(&w.db.storage(), GuildId::new(w.guild.id))
        .await
        .unwrap();
    assert_eq!(
        s.error_log_channel_id.map(|c| c.get()),
        channel_named(&w, w.guild.id, "⚠️ | error-logs")
    );
    // Twice: nothing new.
    let r = w.say(w.owner, "chro create-logs").await;
    assert_eq!(field(&r, "Created"), "none");
    assert_eq!(channel_creates(&w) - creates_before, 7);
    // `logs show` lists them.
    let r = w.say(w.owner, "chro logs show").await;
    assert!(
        description(&r).contains(&format!("`mod` → <#{mine}>")),
        "{}",
        description(&r)
    );
    assert!(
        description(&r).contains("`gameplay` → not set"),
        "{}",
        description(&r)
    );
}

#[tokio::test]
async fn create_logs_as_the_bot_owner_adds_gameplay_logs() {
    let (w, dev) = World::start_with(Setup {
        env: fast(),
        dev_guild: true,
        ..Setup::default()
    })
    .await;
    let dev = dev.unwrap();
    let r = w
        .say_in(dev.owner_id, dev.general, "chro create-logs")
        .await;
    assert_eq!(title(&r), "✅ Log channels ready");
    assert!(
        description(&r).contains("The full suite"),
        "{}",
        description(&r)
    );
    for c in chronix_core::logging::LogCategory::ALL {
        assert!(
            channel_named(&w, dev.id, c.channel_name()).is_some(),
            "{}",
            c.channel_name()
        );
    }
    let before = channel_creates(&w);
    let r = w
        .say_in(dev.owner_id, dev.general, "chro create-logs")
        .await;
    assert_eq!(field(&r, "Created"), "none");
    assert_eq!(channel_creates(&w), before);
}

#[tokio::test]
async fn each_event_lands_in_its_channel_with_before_and_after() {
    let w = start(fast(), Backend::Sqlite).await;
    let logs = create_logs(&w).await;
    let (g, general, member) = (w.guild.id, w.guild.general, w.member);

    // Messages: edit (before/after, jump link), delete (content, author, attachments).
    let m = w.sb.send_message(member, general, "first words");
    tokio::time::sleep(Duration::from_millis(150)).await;
    w.sb.edit_user_message(m, "second words");
    let e = wait_embed(&w, logs["message"], "✏️ Message edited", |_| true).await;
    assert_eq!(field_of(&e, "Before"), "first words");
    assert_eq!(field_of(&e, "After"), "second words");
    let d = e["description"].as_str().unwrap();
    assert!(
        d.contains(&format!("<@{member}>"))
            && d.contains(&format!("https://discord.com/channels/{g}/{general}/{m}")),
        "{d}"
    );
    assert!(
        e["footer"]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("message {m}"))
    );
    let f =
        w.sb.send_message_with_files(member, general, "with a file", &[("cat.png", &b"png"[..])])
            .unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    w.sb.delete_user_message(f);
    let e = wait_embed(&w, logs["message"], "🗑️ Message deleted", |_| true).await;
    assert_eq!(field_of(&e, "Content"), "with a file");
    assert!(field_of(&e, "Attachments").contains("cat.png"));
    // A message the bot never saw: the old content is unknown, and the entry says so.
    let ghost = w.sb.with_state_mut(|st| {
        let id = st.messages.keys().max().copied().unwrap_or(1) + 1_000;
        let mut msg = st.messages.values().next().unwrap().clone();
        msg.id = id;
        msg.author_id = member;
        msg.channel_id = general;
        msg.content = "unseen".into();
        st.messages.insert(id, msg);
        id
    });
    w.sb.edit_user_message(ghost, "seen now");
    let e = wait_embed(&w, logs["message"], "✏️ Message edited", |e| {
        field_of(e, "After") == "seen now"
    })
    .await;
    assert!(field_of(&e, "Before").contains("unknown"), "{e}");
    // Pins.
    w.sb.pin_message(m, true).unwrap();
    wait_embed(&w, logs["message"], "📌 Pins changed", |_| true).await;
    // Bulk delete (the moderator's purge): one entry with a transcript.
    for i in 0..3 {
        w.sb.send_message(member, general, &format!("bulk {i}"));
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    let r = w.say(w.owner, "chro purge 4").await;
    assert!(title(&r).contains("deleted"), "{}", title(&r));
    let e = wait_embed(&w, logs["message"], "🧹 Messages bulk-deleted", |_| true).await;
    assert!(
        e["description"]
            .as_str()
            .unwrap()
            .contains("transcript attached")
    );
    let with_file =
        w.sb.messages_in(logs["message"])
            .into_iter()
            .find(|m| !m.attachments.is_empty())
            .expect("transcript");
    let text = String::from_utf8(with_file.attachments[0].data.clone()).unwrap();
    assert!(text.contains("bulk 0") && text.contains("bulk 2"), "{text}");

    // Roles: create, update (before/after), delete.
    let role = w.sb.create_role(g, "helpers", 0);
    wait_embed(&w, logs["server"], "➕ Role created", |e| {
        e["description"].as_str().unwrap().contains("helpers")
    })
    .await;
    w.sb.update_role(role, |r| {
        r.name = "helpers+".into();
        r.permissions = chronix_sandbox::perms::bits::KICK_MEMBERS;
    });
    let e = wait_embed(&w, logs["server"], "🛠️ Role changed", |_| true).await;
    assert_eq!(field_of(&e, "Name · Before"), "helpers");
    assert_eq!(field_of(&e, "Name · After"), "helpers+");
    assert!(
        field_of(&e, "Permissions · After").contains("Kick Members"),
        "{e}"
    );
    // Member roles and nickname, before and after.
    w.sb.give_role(g, member, role);
    let e = wait_embed(&w, logs["member"], "🎭 Roles changed", |_| true).await;
    assert_eq!(field_of(&e, "Added"), format!("<@&{role}>"));
    w.sb.take_role(g, member, role).unwrap();
    wait_embed(&w, logs["member"], "🎭 Roles changed", |e| {
        e["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "Removed")
    })
    .await;
    w.sb.set_nickname(g, member, Some("Mem")).unwrap();
    let e = wait_embed(&w, logs["member"], "🏷️ Nickname changed", |_| true).await;
    assert_eq!(field_of(&e, "Before"), "none");
    assert_eq!(field_of(&e, "After"), "Mem");
    w.sb.delete_role(g, role).unwrap();
    let e = wait_embed(&w, logs["server"], "➖ Role deleted", |_| true).await;
    assert!(e["description"].as_str().unwrap().contains("helpers+"));

    // Channels: create, rename, overwrite, delete.
    let ch = w.sb.create_channel(g, "news", ChannelKind::Text);
    wait_embed(&w, logs["server"], "➕ Channel created", |e| {
        e["description"].as_str().unwrap().contains("news")
    })
    .await;
    w.sb.rename_channel(ch, "updates", Some("what is new"))
        .unwrap();
    let e = wait_embed(&w, logs["server"], "🛠️ Channel changed", |e| {
        e.to_string().contains("updates")
    })
    .await;
    assert_eq!(field_of(&e, "Name · Before"), "news");
    assert_eq!(field_of(&e, "Topic · After"), "what is new");
    w.sb.set_overwrite(
        ch,
        Overwrite {
            id: g,
            member: false,
            allow: 0,
            deny: chronix_sandbox::perms::bits::SEND_MESSAGES,
        },
    );
    let e = wait_embed(&w, logs["server"], "🛠️ Channel changed", |e| {
        e.to_string().contains("Permission overwrites")
    })
    .await;
    assert!(
        field_of(&e, "Permission overwrites · After").contains("❌ Send Messages"),
        "{e}"
    );
    w.sb.delete_channel(ch);
    wait_embed(&w, logs["server"], "➖ Channel deleted", |e| {
        e["description"].as_str().unwrap().contains("updates")
    })
    .await;
    // Threads.
    let t =
        w.sb.create_channel_in(g, "a-thread", ChannelKind::PublicThread, Some(general));
    wait_embed(&w, logs["server"], "🧵 Thread created", |_| true).await;
    w.sb.set_thread_archived(t, true).unwrap();
    let e = wait_embed(&w, logs["server"], "🧵 Thread changed", |_| true).await;
    assert_eq!(field_of(&e, "Archived · Before"), "false");
    assert_eq!(field_of(&e, "Archived · After"), "true");
    w.sb.set_thread_locked(t, true).unwrap();
    wait_embed(&w, logs["server"], "🧵 Thread changed", |e| {
        e.to_string().contains("Locked · After")
    })
    .await;
    w.sb.delete_thread(t).unwrap();
    wait_embed(&w, logs["server"], "🧵 Thread deleted", |e| {
        e["description"].as_str().unwrap().contains("a-thread")
    })
    .await;
    // Emojis, stickers, webhooks, integrations.
    w.sb.create_emoji(g, "blob");
    let e = wait_embed(&w, logs["server"], "😀 Emojis changed", |_| true).await;
    assert_eq!(field_of(&e, "Added"), "blob");
    w.sb.create_sticker(g, "wave", "hi");
    wait_embed(&w, logs["server"], "🏷️ Stickers changed", |_| true).await;
    w.sb.create_webhook(general, "hook").unwrap();
    wait_embed(&w, logs["server"], "🪝 Webhooks changed", |_| true).await;
    w.sb.touch_integrations(g);
    wait_embed(&w, logs["server"], "🔌 Integrations changed", |_| true).await;

    // Voice: join, move, leave.
    let stage = w.sb.create_channel(g, "Lounge", ChannelKind::Voice);
    w.sb.join_voice(member, g, w.guild.voice);
    wait_embed(&w, logs["vc"], "🔊 Joined voice", |_| true).await;
    w.sb.join_voice(member, g, stage);
    let e = wait_embed(&w, logs["vc"], "🔀 Moved in voice", |_| true).await;
    assert!(e["description"].as_str().unwrap().contains(&format!(
        "from <#{}> (**General**) to <#{stage}> (**Lounge**)",
        w.guild.voice
    )));
    w.sb.leave_voice(member, g);
    wait_embed(&w, logs["vc"], "🔇 Left voice", |_| true).await;

    // Invites.
    let code = w.sb.create_invite(member, general).unwrap();
    let e = wait_embed(&w, logs["invite"], "🧭 Invite created", |_| true).await;
    assert!(e["description"].as_str().unwrap().contains(&code));
    assert_eq!(field_of(&e, "Inviter"), format!("<@{member}>"));
    w.sb.delete_invite(&code).unwrap();
    wait_embed(&w, logs["invite"], "🧭 Invite deleted", |_| true).await;

    // Members: join, leave; bans and kicks.
    let newbie = w.sb.create_user("newbie");
    w.sb.add_member(g, newbie);
    wait_embed(&w, logs["member"], "📥 Member joined", |e| {
        e.to_string().contains("newbie")
    })
    .await;
    w.sb.moderate(w.owner, g, newbie, ManualAction::Kick, Some("rude"))
        .unwrap();
    let e = wait_embed(&w, logs["mod"], "👢 Member kicked", |_| true).await;
    assert_eq!(field_of(&e, "Reason"), "rude");
    wait_embed(&w, logs["member"], "📤 Member left", |e| {
        e.to_string().contains("newbie")
    })
    .await;
    // Timeouts given and lifted by hand: moderator and reason from the audit log.
    let until = chrono::Utc::now() + chrono::Duration::hours(1);
    w.sb.moderate(
        w.owner,
        g,
        member,
        ManualAction::Timeout(until),
        Some("cool off"),
    )
    .unwrap();
    let e = wait_embed(&w, logs["mod"], "⏳ Member timed out", |_| true).await;
    assert_eq!(field_of(&e, "Reason"), "cool off");
    assert_eq!(
        e["description"].as_str().unwrap(),
        format!(
            "<@{member}> was timed out by <@{}> until <t:{}:f>.",
            w.owner,
            until.timestamp()
        )
    );
    w.sb.moderate(w.owner, g, member, ManualAction::Untimeout, None)
        .unwrap();
    let e = wait_embed(&w, logs["mod"], "⌛ Timeout lifted", |_| true).await;
    assert_eq!(
        e["description"].as_str().unwrap(),
        format!("<@{}> lifted <@{member}>'s timeout.", w.owner)
    );
    w.sb.moderate(w.owner, g, newbie, ManualAction::Ban, Some("spam"))
        .unwrap();
    wait_embed(&w, logs["mod"], "🔨 Member banned", |_| true).await;
    w.sb.moderate(w.owner, g, newbie, ManualAction::Unban, None)
        .unwrap();
    wait_embed(&w, logs["mod"], "🕊️ Member unbanned", |_| true).await;

    // Every entry is a row too.
    let edit = &wait_rows(&w, "message_edit", 2).await;
    let first = edit
        .iter()
        .find(|r| r.subject_id == Some(m))
        .expect("edit row");
    assert_eq!(first.payload["before"], "first words");
    assert_eq!(first.payload["after"], "second words");
    assert_eq!(first.category, "message");
    assert_eq!(first.channel_id.map(|c| c.get()), Some(general));
    assert_eq!(first.actor_id.map(|u| u.get()), Some(member));
    for kind in [
        "message_delete",
        "pins_update",
        "message_bulk_delete",
        "role_create",
        "role_update",
        "role_delete",
        "member_roles",
        "member_nick",
        "channel_create",
        "channel_update",
        "channel_delete",
        "thread_create",
        "thread_update",
        "thread_delete",
        "emojis_update",
        "stickers_update",
        "webhooks_update",
        "integrations_update",
        "voice_join",
        "voice_move",
        "voice_leave",
        "invite_create",
        "invite_delete",
        "member_join",
        "member_leave",
        "member_kick",
        "member_timeout",
        "member_untimeout",
        "ban_add",
        "ban_remove",
    ] {
        assert!(!wait_rows(&w, kind, 1).await.is_empty(), "no {kind} row");
    }
}

#[tokio::test]
async fn ignore_rules_category_switches_and_the_non_audit_gate() {
    let w = start(fast(), Backend::Sqlite).await;
    let logs = create_logs(&w).await;
    let (g, general, member) = (w.guild.id, w.guild.general, w.member);
    let quiet = w.sb.create_channel(g, "quiet", ChannelKind::Text);
    let r = w
        .say(w.owner, &format!("chro logs ignore <#{quiet}>"))
        .await;
    assert_eq!(title(&r), "✅ Ignored");
    let bots = w.sb.create_role(g, "bots-role", 0);
    w.sb.give_role(g, member, bots);
    let r = w
        .say(w.owner, &format!("chro logs ignore <@&{bots}>"))
        .await;
    assert_eq!(
        description(&r),
        format!("<@&{bots}> is not logged any more.")
    );
    let r = w.say(w.owner, "chro logs disable vc").await;
    assert_eq!(title(&r), "✅ Category off");
    let r = w.say(w.owner, "chro logs disable nope").await;
    assert!(
        description(&r).contains("`nope` is not a log category"),
        "{}",
        description(&r)
    );

    let other = w.sb.create_user("other");
    w.sb.add_member(g, other);
    let in_quiet = w.sb.send_message(other, quiet, "shh");
    let by_ignored =
        w.sb.send_message(member, general, "from a member with an ignored role");
    tokio::time::sleep(Duration::from_millis(150)).await;
    w.sb.edit_user_message(in_quiet, "shh!");
    w.sb.edit_user_message(by_ignored, "edited");
    w.sb.join_voice(other, g, w.guild.voice);
    // A logged one, to know the others had their chance.
    let plain = w.sb.send_message(other, general, "plain");
    tokio::time::sleep(Duration::from_millis(150)).await;
    w.sb.edit_user_message(plain, "plain!");
    wait_embed(&w, logs["message"], "✏️ Message edited", |e| {
        field_of(e, "After") == "plain!"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let edits = rows(&w, "message_edit").await;
    assert_eq!(edits.len(), 1, "only the plain edit: {edits:?}");
    assert!(rows(&w, "voice_join").await.is_empty());
    assert!(embeds_in(&w, logs["vc"]).is_empty());

    // Unignore and switch back on: logged again.
    w.say(w.owner, &format!("chro logs unignore <#{quiet}>"))
        .await;
    w.say(w.owner, "chro logs enable vc").await;
    w.sb.edit_user_message(in_quiet, "shh!!");
    w.sb.leave_voice(other, g);
    wait_embed(&w, logs["message"], "✏️ Message edited", |e| {
        field_of(e, "After") == "shh!!"
    })
    .await;
    wait_embed(&w, logs["vc"], "🔇 Left voice", |_| true).await;
    let r = w.say(w.owner, "chro logs show").await;
    assert!(field(&r, "Ignored").contains(&format!("<@&{bots}>")));
    assert!(!field(&r, "Ignored").contains(&format!("<#{quiet}>")));
}

#[tokio::test]
async fn without_non_audit_events_only_audit_kinds_are_logged() {
    let mut env = fast();
    env.push(("LOG_NON_AUDIT_EVENTS", "false".into()));
    let w = start(env, Backend::Sqlite).await;
    let logs = create_logs(&w).await;
    let m = w.sb.send_message(w.member, w.guild.general, "a");
    tokio::time::sleep(Duration::from_millis(150)).await;
    w.sb.edit_user_message(m, "b");
    w.sb.join_voice(w.member, w.guild.id, w.guild.voice);
    w.sb.create_role(w.guild.id, "audited", 0);
    wait_embed(&w, logs["server"], "➕ Role created", |_| true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(rows(&w, "message_edit").await.is_empty());
    assert!(rows(&w, "voice_join").await.is_empty());
    assert!(embeds_in(&w, logs["message"]).is_empty());
}

#[tokio::test]
async fn the_privacy_switch_keeps_no_content() {
    let w = start(fast(), Backend::Sqlite).await;
    let logs = create_logs(&w).await;
    let before =
        w.sb.send_message(w.member, w.guild.general, "secret before the switch");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let r = w.say(w.owner, "chro logs privacy on").await;
    assert_eq!(title(&r), "✅ Privacy");
    let m = w.sb.send_message(w.member, w.guild.general, "secret one");
    tokio::time::sleep(Duration::from_millis(150)).await;
    w.sb.edit_user_message(m, "secret two");
    w.sb.delete_user_message(before);
    let e = wait_embed(&w, logs["message"], "✏️ Message edited", |_| true).await;
    assert_eq!(field_of(&e, "Before"), "(not stored: privacy switch)");
    assert_eq!(field_of(&e, "After"), "(not stored: privacy switch)");
    let d = wait_embed(&w, logs["message"], "🗑️ Message deleted", |_| true).await;
    assert_eq!(field_of(&d, "Content"), "(not stored: privacy switch)");
    let all = embeds_in(&w, logs["message"]);
    assert!(!serde_json::to_string(&all).unwrap().contains("secret"));
    let r = wait_rows(&w, "message_edit", 1).await;
    assert_eq!(r[0].payload["content_stored"], false);
    assert!(!r[0].payload.to_string().contains("secret"));
    let r = wait_rows(&w, "message_delete", 1).await;
    assert!(
        !r[0].payload.to_string().contains("secret"),
        "{}",
        r[0].payload
    );
    let r = w.say(w.owner, "chro logs show").await;
    assert_eq!(field(&r, "Message content"), "not kept (privacy switch on)");
}

#[tokio::test]
async fn a_burst_of_500_edits_is_coalesced_without_loss() {
    let mut env = fast();
    env[1] = ("LOG_POST_RATE", "20/1s".into());
    let w = start(env, Backend::Sqlite).await;
    let logs = create_logs(&w).await;
    let m = w.sb.send_message(w.member, w.guild.general, "v");
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..500 {
        w.sb.edit_user_message(m, &format!("v{i}"));
    }
    // Generous: a loaded machine (parallel builds) runs the debug bot slowly; the loop ends as
    // soon as all 500 are there.
    let end = Instant::now() + Duration::from_secs(120);
    while embeds_in(&w, logs["message"]).len() < 500 && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let embeds = embeds_in(&w, logs["message"]);
    assert_eq!(embeds.len(), 500, "every edit posted");
    let mut afters: Vec<String> = embeds.iter().map(|e| field_of(e, "After")).collect();
    afters.sort();
    let mut want: Vec<String> = (0..500).map(|i| format!("v{i}")).collect();
    want.sort();
    assert_eq!(afters, want, "each edit exactly once");
    let messages = w.sb.messages_in(logs["message"]);
    assert!(
        messages.len() <= 60,
        "coalesced into {} messages",
        messages.len()
    );
    assert!(messages.iter().all(|m| m.embeds.len() <= 10));
    assert_eq!(wait_rows(&w, "message_edit", 500).await.len(), 500);
}

#[tokio::test]
async fn an_overflowing_backlog_is_counted_and_reported() {
    let mut env = fast();
    env[1] = ("LOG_POST_RATE", "1/1s".into());
    env.push(("LOG_CHANNEL_BACKLOG", "20".into()));
    let w = start(env, Backend::Sqlite).await;
    let logs = create_logs(&w).await;
    let m = w.sb.send_message(w.member, w.guild.general, "v");
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..120 {
        w.sb.edit_user_message(m, &format!("v{i}"));
    }
    assert_eq!(
        wait_rows(&w, "message_edit", 120).await.len(),
        120,
        "every edit stored"
    );
    // Posted entries plus the reported overflow account for every edit.
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let embeds = embeds_in(&w, logs["message"]);
        let posted = embeds
            .iter()
            .filter(|e| e["title"].as_str().unwrap().contains("Message edited"))
            .count();
        let reported: u64 = embeds
            .iter()
            .filter(|e| e["title"].as_str().unwrap().contains("not posted"))
            .map(|e| {
                e["description"]
                    .as_str()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
            })
            .sum();
        if posted as u64 + reported == 120 {
            assert!(reported > 0, "the backlog overflowed");
            break;
        }
        assert!(
            Instant::now() < end,
            "posted {posted} + reported {reported} != 120"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_graceful_stop_writes_every_accepted_entry() {
    // The tick never comes round again: only the shutdown hook can write the rows.
    let env = vec![("SCHEDULER_TICK_MS", "600000".into())];
    let mut w = start(env, Backend::Postgres).await;
    let m = w.sb.send_message(w.member, w.guild.general, "v");
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..50 {
        w.sb.edit_user_message(m, &format!("v{i}"));
    }
    let st = chronix_discord::features::logging::state(w.bot().data());
    let end = Instant::now() + WAIT;
    while st.accepted.load(std::sync::atomic::Ordering::SeqCst) < 50 && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(st.accepted.load(std::sync::atomic::Ordering::SeqCst), 50);
    assert!(
        rows(&w, "message_edit").await.is_empty(),
        "nothing written yet"
    );
    w.bot.take().unwrap().shutdown().await;
    assert_eq!(rows(&w, "message_edit").await.len(), 50);
}

#[tokio::test]
async fn gameplay_notes_from_the_threshold_up_and_every_error_are_logged() {
    let mut env = fast();
    env.push(("LOG_GAMEPLAY_MIN_CHRONS", "1000".into()));
    let w = start(env, Backend::Sqlite).await;
    let gp = w.sb.create_channel(w.guild.id, "gp", ChannelKind::Text);
    let r = w
        .say(w.owner, &format!("chro logs set gameplay <#{gp}>"))
        .await;
    assert_eq!(title(&r), "✅ Log channel set");
    seed(&w.db, w.member, 100_000).await;
    let (member, owner) = (w.member, w.owner);
    // Below the threshold: nothing; from it up: an entry with who, how much and to whom.
    let r = w.say(member, &format!("chro pay <@{owner}> 999")).await;
    assert!(title(&r).starts_with("✅"), "{}", title(&r));
    let r = w.say(member, &format!("chro pay <@{owner}> 2500")).await;
    assert!(title(&r).starts_with("✅"), "{}", title(&r));
    let e = wait_embed(&w, gp, "🎮 Gameplay", |_| true).await;
    assert_eq!(
        e["description"].as_str().unwrap(),
        format!("<@{member}> paid 2,500 💠 to <@{owner}>.")
    );
    let pays = wait_rows(&w, "pay", 1).await;
    assert_eq!(pays.len(), 1, "the 999 payment is under the threshold");
    assert_eq!(pays[0].category, "gameplay");
    assert_eq!(pays[0].actor_id.map(|u| u.get()), Some(member));
    assert_eq!(pays[0].payload["data"]["amount"], 2500);
    // A bet from the threshold up, won or lost.
    let r = w.say(member, "chro cf 1500 heads").await;
    let won = title(&r).contains("won") || title(&r).contains("Won");
    let bets = wait_rows(&w, "bet", 1).await;
    assert_eq!(bets.len(), 1);
    assert_eq!(bets[0].payload["data"]["bet"], 1500);
    assert_eq!(bets[0].payload["data"]["won"], won, "{}", title(&r));
    let text = bets[0].payload["text"].as_str().unwrap().to_string();
    assert!(
        text.starts_with(&format!("<@{member}> bet 1,500 💠 on Coinflip")),
        "{text}"
    );
    let r = w.say(member, "chro cf 10 heads").await;
    assert!(!title(&r).starts_with("❌"), "{}", title(&r));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        rows(&w, "bet").await.len(),
        1,
        "a 10 bet is under the threshold"
    );
    // An internal error is stored (its report goes to the error-log channel by the kernel).
    let r = w.say(member, "chro boom").await;
    assert_eq!(title(&r), "❌ Something went wrong");
    let errs = wait_rows(&w, "error", 1).await;
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].category, "error");
    assert_eq!(errs[0].payload["data"]["kind"], "command boom");
    let id = errs[0].payload["data"]["id"].as_str().unwrap().to_string();
    assert!(!id.is_empty());
    assert!(description(&r).contains(&id), "the user sees the same id");
    // The gameplay channel got the pay and the bet, nothing about the error.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let gameplay: Vec<Value> = embeds_in(&w, gp);
    assert_eq!(gameplay.len(), 2, "{gameplay:?}");
}
