//! Temporary voice channels end to end: the `vc setup` wizard; a member joining the hub gets a
//! channel (named by the format, in the category, with limit, bitrate and the owner's
//! overwrite) and is moved into it; the channel is deleted when empty unless persistent; the
//! controls (rename, limit, lock, permit, kick, transfer, claim, by commands and by the panel)
//! with their REST calls; refusals for non-owners and non-admins; the restart clean-up; the
//! join/leave spam limit.

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::tempvoice::HubConfig;
use chronix_sandbox::perms::bits;
use chronix_sandbox::{ChannelKind, Id};
use chronix_storage::tempvoice::{self as store, Flag};

use crate::helpers::*;

/// How long a hub join (several database writes and REST calls) or a deletion may take on a
/// loaded machine.
const SLOW: std::time::Duration = std::time::Duration::from_secs(20);

/// The voice channel `user` is in (none: not in voice).
fn voice_of(w: &World, user: Id) -> Option<Id> {
    let g = w.guild.id;
    w.sb.with_state(|st| st.voice_states.get(&(g, user)).and_then(|v| v.channel_id))
}

/// Waits until `user` is in a voice channel other than `from`; returns it.
async fn moved_from(w: &World, user: Id, from: Id) -> Id {
    let g = w.guild.id;
    w.sb.wait_until(SLOW, "the member is moved", |st| {
        st.voice_states
            .get(&(g, user))
            .and_then(|v| v.channel_id)
            .is_some_and(|c| c != from)
    })
    .await
    .unwrap_or_else(|e| panic!("{e}: error log {:#?}", error_log(w)));
    voice_of(w, user).unwrap()
}

async fn deleted(w: &World, channel: Id) {
    w.sb.wait_until(SLOW, "the channel is deleted", |st| {
        !st.channels.contains_key(&channel)
    })
    .await
    .unwrap_or_else(|e| panic!("{e}: error log {:#?}", error_log(w)));
}

/// The error reports posted so far (shown when a wait fails).
fn error_log(w: &World) -> Vec<String> {
    w.sb.messages_in(w.error_log)
        .iter()
        .map(|m| format!("{:?}", m.embeds))
        .collect()
}

/// A category and a hub stored directly (the wizard has its own test).
async fn hub(w: &World, config: HubConfig) -> (Id, Id) {
    let g = w.guild.id;
    let category = w.sb.create_channel(g, "Voice", ChannelKind::Category);
    let hub =
        w.sb.create_channel_in(g, "Join to create", ChannelKind::Voice, Some(category));
    store::create_hub(
        &w.db.storage(),
        GuildId::new(g),
        ChannelId::new(hub),
        Some(ChannelId::new(category)),
        &config,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    (category, hub)
}

/// `user` joins the hub; returns their new channel (its control panel consumed).
async fn join(w: &World, user: Id, hub: Id) -> Id {
    w.sb.join_voice(user, w.guild.id, hub);
    let ch = moved_from(w, user, hub).await;
    let panel = w.sb.wait_for_message(ch, SLOW).await.unwrap();
    assert!(title(&panel).starts_with("ℹ️ "), "{}", title(&panel));
    ch
}

fn off() -> Setup {
    Setup {
        env: vec![("TEMPVOICE_CREATE_LIMIT", "off".into())],
        ..Setup::default()
    }
}

async fn row(w: &World, ch: Id) -> Option<store::TempChannel> {
    store::by_channel(&w.db.storage(), ChannelId::new(ch))
        .await
        .unwrap()
}

#[tokio::test]
async fn wizard_hub_join_creates_and_moves_empty_deletes_persistent_stays() {
    let (w, _) = World::start_with(off()).await;
    let g = w.guild.id;
    let category = w.sb.create_channel(g, "Hangout", ChannelKind::Category);

    // The wizard: an existing category, a new hub, the settings in a modal.
    let m = w.say(w.owner, "chro vc setup").await;
    assert_eq!(title(&m), "ℹ️ Where do the channels go?");
    let m = pick(&w, w.owner, &m, "cat", &[&category.to_string()]).await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Channel settings");
    assert_eq!(field(&m, "Example"), "Alice's VC");
    let bad = w.sb.click_button(w.owner, m.id, "Edit settings").unwrap();
    let _ = w.sb.wait_for_response(&bad, REPLY).await.unwrap();
    let sub =
        w.sb.submit_modal(w.owner, &bad, &[("format", "{user}"), ("limit", "ab")])
            .unwrap();
    let r = w.sb.wait_for_reply(&sub, REPLY).await.unwrap();
    assert_eq!(description(&r), "`ab` is not a whole number.");
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit settings",
        &[
            ("format", "{user}'s room {n}"),
            ("limit", "5"),
            ("bitrate", "64"),
        ],
    )
    .await;
    assert_eq!(field(&m, "Example"), "Alice's room 1");
    let m = click(&w, w.owner, &m, "Next ▶").await;
    assert_eq!(field(&m, "Category"), "Hangout");
    assert_eq!(field(&m, "Hub"), "➕ Create a new hub channel");
    assert_eq!(field(&m, "User limit"), "5");
    assert_eq!(field(&m, "Bitrate"), "64 kbps");
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let done = click(&w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Voice hub ready");
    let hubs = store::hubs(&w.db.storage(), GuildId::new(g)).await.unwrap();
    assert_eq!(hubs.len(), 1);
    let hub = hubs[0].channel.get();
    let h = w.sb.channel(hub).unwrap();
    assert_eq!(
        (h.name.as_str(), h.kind, h.parent_id),
        ("➕ Join to create", ChannelKind::Voice, Some(category))
    );
    assert_eq!(
        description(&done),
        format!("Join <#{hub}> to get your own voice channel in <#{category}>.")
    );
    let audit = w.db.storage();
    let entries = chronix_storage::audit::recent(&audit, 10).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "tempvoice.hub_create"));

    // Joining the hub: a channel named by the format, in the category, and a move.
    w.sb.clear_rest_log();
    w.sb.join_voice(w.member, g, hub);
    let ch = moved_from(&w, w.member, hub).await;
    let c = w.sb.channel(ch).unwrap();
    assert_eq!(c.name, "member's room 1");
    assert_eq!((c.kind, c.parent_id), (ChannelKind::Voice, Some(category)));
    assert_eq!((c.user_limit, c.bitrate), (5, 64_000));
    let can = |u: Id, bit: u64| w.sb.permissions(ch, u) & bit == bit;
    assert!(can(
        w.member,
        bits::MANAGE_CHANNELS | bits::MOVE_MEMBERS | bits::CONNECT
    ));
    let create = w.rest("POST", &format!("/guilds/{g}/channels"));
    let body = create[0].body.clone().unwrap();
    assert_eq!(
        (
            body["type"].as_u64(),
            body["user_limit"].as_u64(),
            body["bitrate"].as_u64()
        ),
        (Some(2), Some(5), Some(64_000))
    );
    let mv = w.rest("PATCH", &format!("/guilds/{g}/members/{}", w.member));
    assert_eq!(mv[0].body.as_ref().unwrap()["channel_id"], ch.to_string());
    let panel = w.sb.wait_for_message(ch, SLOW).await.unwrap();
    assert_eq!(title(&panel), "ℹ️ member's room 1");
    let labels: Vec<String> = panel.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(
        labels,
        [
            "Lock",
            "Unlock",
            "Hide",
            "Unhide",
            "Claim",
            "Rename",
            "Limit",
            "Keep / release"
        ]
    );
    let r = row(&w, ch).await.unwrap();
    assert_eq!(
        (r.owner, r.number, r.persistent),
        (UserId::new(w.member), 1, false)
    );

    // Empty: deleted, row gone.
    w.sb.leave_voice(w.member, g);
    deleted(&w, ch).await;
    assert!(
        row(&w, ch).await.is_none(),
        "the row goes before the channel"
    );

    // Persistent (an admin keeps it): stays when empty.
    let ch = join(&w, w.member, hub).await;
    assert_eq!(
        w.sb.channel(ch).unwrap().name,
        "member's room 1",
        "1 is free again"
    );
    let r = w.say_in(w.member, ch, "chro vc persist").await;
    assert_eq!(title(&r), "❌ Voice channel");
    assert_eq!(
        description(&r),
        "Only server admins can make a channel persistent."
    );
    let r = w.say_in(w.owner, ch, "chro vc persist").await;
    assert_eq!(title(&r), "✅ Channel kept: it stays when empty.");
    w.sb.leave_voice(w.member, g);
    tokio::time::sleep(SILENCE).await;
    assert!(w.sb.channel(ch).is_some(), "a persistent channel stays");
    assert!(row(&w, ch).await.unwrap().persistent);
}

#[tokio::test]
async fn owner_controls_with_their_rest_calls_and_refusals() {
    let (w, _) = World::start_with(off()).await;
    let g = w.guild.id;
    let (_, hub) = hub(&w, HubConfig::default()).await;
    let bob = w.sb.create_user("bob");
    let carol = w.sb.create_user("carol");
    w.sb.add_members(g, &[bob, carol]);
    let ch = join(&w, w.member, hub).await;
    assert_eq!(w.sb.channel(ch).unwrap().name, "member's VC");
    w.sb.join_voice(bob, g, ch);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    // Not the owner, not an admin.
    let r = w.say_in(bob, ch, "chro vc lock").await;
    assert_eq!(
        (title(&r), description(&r)),
        (
            "❌ Voice channel".to_string(),
            "Only the channel's owner (or a server admin) can do that.".to_string()
        )
    );
    let r = w.say_in(bob, ch, "chro vc setup").await;
    assert_eq!(
        description(&r),
        "You need the **admin** tier to use `vc setup`."
    );
    let r = w.say(carol, "chro vc rename x").await;
    assert_eq!(
        description(&r),
        "Run this in a temporary voice channel's chat, or join your temporary voice channel first."
    );

    // Rename.
    w.sb.clear_rest_log();
    let r = w.say_in(w.member, ch, "chro vc rename  Chill\nzone ").await;
    assert_eq!(description(&r), "It is now called **Chill zone**.");
    let p = w.rest("PATCH", &format!("/channels/{ch}"));
    assert_eq!(p[0].body.as_ref().unwrap()["name"], "Chill zone");
    assert_eq!(w.sb.channel(ch).unwrap().name, "Chill zone");

    // Limit.
    let r = w.say_in(w.member, ch, "chro vc limit 3").await;
    assert_eq!(description(&r), "At most 3 members can be in the channel.");
    assert_eq!(w.sb.channel(ch).unwrap().user_limit, 3);
    let r = w.say_in(w.member, ch, "chro vc limit 100").await;
    assert_eq!(
        description(&r),
        "The user limit is a number from 0 (no limit) to 99."
    );

    // Lock: @everyone may no longer connect; carol is refused by the client.
    w.sb.clear_rest_log();
    let r = w.say_in(w.member, ch, "chro vc lock").await;
    assert_eq!(
        title(&r),
        "✅ Channel locked: only the owner and permitted members can join."
    );
    let put = w.rest("PUT", &format!("/channels/{ch}/permissions/{g}"));
    assert_eq!(
        put[0].body.as_ref().unwrap()["deny"],
        bits::CONNECT.to_string()
    );
    assert!(w.sb.try_join_voice(carol, g, ch).is_err());
    let r = w.say_in(w.member, ch, "chro vc lock").await;
    assert_eq!(description(&r), "The channel is like that already.");

    // Permit carol: she can join.
    let r = w
        .say_in(w.member, ch, &format!("chro vc permit <@{carol}>"))
        .await;
    assert_eq!(
        description(&r),
        format!("<@{carol}> can now see and join the channel.")
    );
    let put = w.rest("PUT", &format!("/channels/{ch}/permissions/{carol}"));
    assert_eq!(
        put[0].body.as_ref().unwrap()["allow"],
        (bits::VIEW_CHANNEL | bits::CONNECT).to_string()
    );
    w.sb.try_join_voice(carol, g, ch).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    // Kick carol: disconnected (PATCH member channel_id null) and kept out.
    w.sb.clear_rest_log();
    let r = w
        .say_in(w.member, ch, &format!("chro vc kick <@{carol}>"))
        .await;
    assert_eq!(
        description(&r),
        format!("<@{carol}> was disconnected and cannot join again.")
    );
    let mv = w.rest("PATCH", &format!("/guilds/{g}/members/{carol}"));
    assert!(mv[0].body.as_ref().unwrap()["channel_id"].is_null());
    assert_eq!(voice_of(&w, carol), None);
    assert!(w.sb.try_join_voice(carol, g, ch).is_err());
    let r = w
        .say_in(w.member, ch, &format!("chro vc kick <@{}>", w.member))
        .await;
    assert_eq!(
        description(&r),
        "The owner cannot be kicked from their own channel."
    );

    // Unlock by the panel's button.
    let panel =
        w.sb.messages_in(ch)
            .into_iter()
            .find(|m| !m.buttons().is_empty())
            .unwrap();
    let i = w.sb.click_button(bob, panel.id, "Unlock").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral());
    assert_eq!(
        description(&r),
        "Only the channel's owner (or a server admin) can do that."
    );
    let _ = w.sb.wait_for_message(ch, REPLY).await;
    w.sb.clear_rest_log();
    let i = w.sb.click_button(w.member, panel.id, "Unlock").unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Channel unlocked.");
    let _ = w.sb.wait_for_message(ch, REPLY).await;
    assert_eq!(
        w.rest("DELETE", &format!("/channels/{ch}/permissions/{g}"))
            .len(),
        1
    );

    // Transfer to bob (in the channel), not to carol (outside).
    let r = w
        .say_in(w.member, ch, &format!("chro vc transfer <@{carol}>"))
        .await;
    assert_eq!(
        description(&r),
        "Transfer the channel to someone who is in it."
    );
    w.sb.clear_rest_log();
    let r = w
        .say_in(w.member, ch, &format!("chro vc transfer <@{bob}>"))
        .await;
    assert_eq!(title(&r), "✅ Channel transferred");
    assert_eq!(description(&r), format!("<@{bob}> owns the channel now."));
    assert_eq!(
        w.rest(
            "DELETE",
            &format!("/channels/{ch}/permissions/{}", w.member)
        )
        .len(),
        1
    );
    assert_eq!(
        w.rest("PUT", &format!("/channels/{ch}/permissions/{bob}"))
            .len(),
        1
    );
    assert_eq!(row(&w, ch).await.unwrap().owner, UserId::new(bob));
    let can = |u: Id| w.sb.permissions(ch, u) & bits::MANAGE_CHANNELS != 0;
    assert!(can(bob) && !can(w.member));

    // Claim: only once the owner left, only from inside.
    let r = w.say_in(w.member, ch, "chro vc claim").await;
    assert_eq!(
        description(&r),
        "The owner is still in the channel; ask them to transfer it."
    );
    w.sb.leave_voice(bob, g);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(w.sb.channel(ch).is_some(), "the member is still in it");
    let r = w.say_in(carol, ch, "chro vc claim").await;
    assert_eq!(description(&r), "Join the channel before claiming it.");
    let r = w.say_in(w.member, ch, "chro vc claim").await;
    assert_eq!(title(&r), "✅ Channel claimed");
    assert_eq!(row(&w, ch).await.unwrap().owner, UserId::new(w.member));
}

#[tokio::test]
async fn restart_cleanup_deletes_empty_channels_and_forgets_gone_ones() {
    let (mut w, _) = World::start_with(off()).await;
    let g = w.guild.id;
    let (_, hub) = hub(&w, HubConfig::default()).await;
    let bob = w.sb.create_user("bob");
    let carol = w.sb.create_user("carol");
    w.sb.add_members(g, &[bob, carol]);
    let empty = join(&w, w.member, hub).await;
    let kept = join(&w, bob, hub).await;
    let busy = join(&w, carol, hub).await;
    let s = w.db.storage();
    store::set_flag(&s, ChannelId::new(kept), Flag::Persistent, true)
        .await
        .unwrap();
    let h = store::hub(&s, ChannelId::new(hub)).await.unwrap().unwrap();
    let r = store::reserve(&s, h.id, UserId::new(bob), chrono::Utc::now())
        .await
        .unwrap();
    store::set_channel(&s, r.id, ChannelId::new(424242))
        .await
        .unwrap();

    w.bot.take().unwrap().shutdown().await;
    // While the bot is away, member and bob leave.
    w.sb.leave_voice(w.member, g);
    w.sb.leave_voice(bob, g);
    w.sb.clear_rest_log();
    w.restart_bot(Vec::new()).await;

    deleted(&w, empty).await;
    assert_eq!(w.rest("DELETE", &format!("/channels/{empty}")).len(), 1);
    assert!(row(&w, empty).await.is_none());
    assert!(
        row(&w, 424242).await.is_none(),
        "a gone channel's row is removed"
    );
    assert!(w.sb.channel(kept).is_some() && row(&w, kept).await.is_some());
    assert!(w.sb.channel(busy).is_some() && row(&w, busy).await.is_some());
    assert_eq!(
        w.rest("DELETE", "/channels/").len(),
        1,
        "nothing else deleted"
    );

    // The rebuilt occupancy still works: carol leaving deletes her channel.
    w.sb.leave_voice(carol, g);
    deleted(&w, busy).await;
}

#[tokio::test]
async fn join_leave_spam_is_limited_with_one_dm() {
    let (w, _) = World::start_with(Setup {
        env: vec![("TEMPVOICE_CREATE_LIMIT", "2/1h".into())],
        ..Setup::default()
    })
    .await;
    let g = w.guild.id;
    let (_, hub) = hub(&w, HubConfig::default()).await;
    for _ in 0..2 {
        let ch = join(&w, w.member, hub).await;
        w.sb.leave_voice(w.member, g);
        deleted(&w, ch).await;
    }
    w.sb.clear_rest_log();
    w.sb.join_voice(w.member, g, hub);
    let dm = w.sb.wait_for_dm(w.member, SLOW).await.unwrap();
    assert_eq!(title(&dm), "⚠️ Slow down");
    assert!(description(&dm).starts_with("You are making voice channels too fast."));
    assert_eq!(voice_of(&w, w.member), Some(hub), "left in the hub");
    // Again: still no channel, and no second DM in the window.
    w.sb.leave_voice(w.member, g);
    w.sb.join_voice(w.member, g, hub);
    assert!(w.sb.wait_for_dm(w.member, SILENCE).await.is_err());
    assert!(w.rest("POST", &format!("/guilds/{g}/channels")).is_empty());
    assert_eq!(voice_of(&w, w.member), Some(hub));
}
