//! Contract tests for the resources the feature issues need: webhooks, guild emojis and
//! stickers, thread archive/lock/delete, scheduled events, membership screening and interaction
//! locales. Each drives the REST side through serenity's `Http` (which parses every answer into
//! serenity's types) and the user side through the driver, then checks the state, the events a
//! recorder received (each parsed by serenity and twilight-model too) and, with the `openapi` feature, that every
//! call and event agrees with Discord's OpenAPI description.

use chronix_sandbox::perms::bits;
use chronix_sandbox::{ChannelKind, CommandCall, Sandbox};
use serde_json::Value;
use serenity::all::{
    ChannelId, ChannelType, CreateAttachment, CreateCommand, CreateScheduledEvent, CreateSticker,
    CreateThread, CreateWebhook, EditScheduledEvent, EditSticker, EditThread, ExecuteWebhook,
    GuildId, Http, HttpBuilder, ScheduledEventStatus, ScheduledEventType, Timestamp, UserId,
};

fn http(sb: &Sandbox) -> Http {
    HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .application_id(sb.application_id().into())
        .build()
}

/// The recorded dispatches named `t`, as `d` payloads.
fn events(sb: &Sandbox, rec: &str, t: &str) -> Vec<Value> {
    sb.recorded_events(rec)
        .iter()
        .map(|f| serde_json::from_str::<Value>(f).unwrap())
        .filter(|v| v["t"] == t)
        .map(|v| v["d"].clone())
        .collect()
}

/// Every recorded frame parses in serenity and twilight-model, and (feature `openapi`) every call and frame
/// agrees with Discord's description.
fn check_all(sb: &Sandbox, rec: &str) {
    for f in sb.recorded_events(rec) {
        let ev: serenity::model::event::GatewayEvent =
            serde_json::from_str(&f).unwrap_or_else(|e| panic!("serenity: {e}\n{f}"));
        if let serenity::model::event::GatewayEvent::Dispatch(_, serenity::all::Event::Unknown(u)) =
            ev
        {
            panic!("serenity does not know {}", u.kind);
        }
        let de = twilight_model::gateway::event::GatewayEventDeserializer::from_json(&f)
            .expect("a gateway frame");
        serde::de::DeserializeSeed::deserialize(de, &mut serde_json::Deserializer::from_str(&f))
            .unwrap_or_else(|e| panic!("twilight: {e}\n{f}"));
    }
    #[cfg(feature = "openapi")]
    {
        let spec = chronix_sandbox::openapi::Spec::discord();
        let mut failures = spec.check_calls(&sb.rest_log());
        failures.extend(spec.check_frames(&sb.recorded_events(rec)));
        let bad: Vec<String> = failures
            .iter()
            .filter(|f| !f.is_known())
            .map(ToString::to_string)
            .collect();
        assert!(bad.is_empty(), "OpenAPI departures:\n{}", bad.join("\n"));
    }
}

const ALL: u64 = (1 << 26) - 1;

#[tokio::test]
async fn webhooks_create_list_execute_delete() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Hooks");
    let http = http(&sb);
    let general = ChannelId::new(g.general);
    // MANAGE_WEBHOOKS is needed, as on Discord
    let refused = general
        .create_webhook(&http, CreateWebhook::new("Announcer"))
        .await
        .unwrap_err();
    assert!(format!("{refused:?}").contains("50013"), "{refused:?}");
    sb.set_bot_permissions(g.id, bits::DEFAULT_BOT | bits::MANAGE_WEBHOOKS);

    let hook = general
        .create_webhook(&http, CreateWebhook::new("Announcer"))
        .await
        .unwrap();
    assert_eq!(hook.name.as_deref(), Some("Announcer"));
    assert!(hook.token.is_some());
    assert_eq!(general.webhooks(&http).await.unwrap().len(), 1);
    assert_eq!(GuildId::new(g.id).webhooks(&http).await.unwrap().len(), 1);
    assert_eq!(events(&sb, &rec, "WEBHOOKS_UPDATE").len(), 1);

    // executed by the bot with wait=true: the message comes back, authored by the webhook
    let m = hook
        .execute(&http, true, ExecuteWebhook::new().content("news!"))
        .await
        .unwrap()
        .expect("wait=true answers the message");
    assert_eq!(m.webhook_id.map(|w| w.get()), Some(hook.id.get()));
    assert_eq!(m.author.id.get(), hook.id.get());
    assert!(m.author.bot);
    // without wait: 204
    assert!(
        hook.execute(&http, false, ExecuteWebhook::new().content("again"))
            .await
            .unwrap()
            .is_none()
    );
    // a wrong token is refused
    let err = http
        .execute_webhook(
            hook.id,
            None,
            "wrong",
            false,
            vec![],
            &ExecuteWebhook::new().content("x"),
        )
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("50027"), "{err:?}");

    // a user-side webhook (e.g. an integration) posts too: MESSAGE_CREATE with webhook_id
    let other = sb.create_webhook(g.general, "GitHub").unwrap();
    let mid = sb.execute_webhook(other.id, "push to main").unwrap();
    let created = events(&sb, &rec, "MESSAGE_CREATE");
    let ev = created
        .iter()
        .find(|d| d["id"].as_str().and_then(|s| s.parse().ok()) == Some(mid))
        .expect("MESSAGE_CREATE");
    assert_eq!(ev["webhook_id"], other.id.to_string());
    assert_eq!(ev["author"]["username"], "GitHub");
    assert_eq!(sb.message(mid).unwrap().webhook_id, Some(other.id));

    hook.delete(&http).await.unwrap();
    assert_eq!(sb.webhooks(g.general).len(), 1);
    check_all(&sb, &rec);
}

#[tokio::test]
async fn emojis_and_stickers_crud_with_update_events() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Expressions");
    let http = http(&sb);
    let gid = GuildId::new(g.id);
    let refused = gid
        .create_emoji(&http, "party", "data:image/png;base64,iVBORw0KGgo=")
        .await
        .unwrap_err();
    assert!(format!("{refused:?}").contains("50013"), "{refused:?}");
    sb.set_bot_permissions(g.id, bits::DEFAULT_BOT | bits::MANAGE_GUILD_EXPRESSIONS);

    let e = gid
        .create_emoji(&http, "party", "data:image/png;base64,iVBORw0KGgo=")
        .await
        .unwrap();
    assert_eq!(e.name, "party");
    let e = gid.edit_emoji(&http, e.id, "fiesta").await.unwrap();
    assert_eq!(gid.emojis(&http).await.unwrap().len(), 1);
    assert_eq!(gid.emoji(&http, e.id).await.unwrap().name, "fiesta");
    let updates = events(&sb, &rec, "GUILD_EMOJIS_UPDATE");
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[1]["emojis"][0]["name"], "fiesta");
    gid.delete_emoji(&http, e.id).await.unwrap();
    let updates = events(&sb, &rec, "GUILD_EMOJIS_UPDATE");
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[2]["emojis"], serde_json::json!([]));
    // a user-side upload
    let wave = sb.create_emoji(g.id, "wave");
    assert_eq!(sb.emojis(g.id)[0].id, wave);
    assert_eq!(events(&sb, &rec, "GUILD_EMOJIS_UPDATE").len(), 4);

    let s = gid
        .create_sticker(
            &http,
            CreateSticker::new(
                "cat",
                CreateAttachment::bytes(b"\x89PNG".to_vec(), "cat.png"),
            )
            .tags("smile_cat")
            .description("a cat"),
        )
        .await
        .unwrap();
    assert_eq!(
        (s.name.as_str(), s.tags.as_slice()),
        ("cat", &["smile_cat".to_owned()][..])
    );
    let s = gid
        .edit_sticker(&http, s.id, EditSticker::new().name("kitty"))
        .await
        .unwrap();
    assert_eq!(s.name, "kitty");
    assert_eq!(gid.stickers(&http).await.unwrap().len(), 1);
    gid.delete_sticker(&http, s.id).await.unwrap();
    let updates = events(&sb, &rec, "GUILD_STICKERS_UPDATE");
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[0]["stickers"][0]["name"], "cat");
    assert_eq!(updates[2]["stickers"], serde_json::json!([]));
    sb.create_sticker(g.id, "dog", "dog");
    assert_eq!(sb.stickers(g.id).len(), 1);
    check_all(&sb, &rec);
}

#[tokio::test]
async fn private_threads_and_their_members() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Private");
    let http = http(&sb);
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let bob = sb.create_user("bob");
    sb.add_member(g.id, bob);
    let stranger = sb.create_user("stranger");

    // POST /channels/{id}/threads with type 12: a private thread of the channel, with the bot in it.
    let t = ChannelId::new(g.general)
        .create_thread(
            &http,
            CreateThread::new("ticket-0001")
                .kind(ChannelType::PrivateThread)
                .invitable(false),
        )
        .await
        .unwrap();
    assert_eq!(t.kind, ChannelType::PrivateThread);
    assert_eq!(t.parent_id, Some(ChannelId::new(g.general)));
    assert_eq!(t.thread_metadata.map(|m| m.invitable), Some(false));
    let thread = t.id.get();
    assert_eq!(sb.thread_members(thread), [sb.bot_id()]);
    assert_eq!(events(&sb, &rec, "THREAD_CREATE").len(), 1);

    // Only members (and whoever may manage threads) see a private thread.
    assert_eq!(sb.permissions(thread, alice) & bits::VIEW_CHANNEL, 0);
    assert!(sb.permissions(thread, g.owner_id) & bits::VIEW_CHANNEL != 0);
    assert!(sb.try_send_message(alice, thread, "hi").is_err());
    t.id.add_thread_member(&http, UserId::new(alice))
        .await
        .unwrap();
    assert_eq!(sb.thread_members(thread), [sb.bot_id(), alice]);
    assert!(sb.permissions(thread, alice) & bits::VIEW_CHANNEL != 0);
    sb.send_message(alice, thread, "hello from the thread");
    assert_eq!(sb.permissions(thread, bob) & bits::VIEW_CHANNEL, 0);

    let members = t.id.get_thread_members(&http).await.unwrap();
    assert_eq!(members.len(), 2);
    let m =
        t.id.get_thread_member(&http, UserId::new(alice), false)
            .await
            .unwrap();
    assert_eq!(m.user_id, UserId::new(alice));
    let err =
        t.id.add_thread_member(&http, UserId::new(stranger))
            .await
            .unwrap_err();
    assert!(
        format!("{err:?}").contains("10007"),
        "not in the guild: {err:?}"
    );
    let update = events(&sb, &rec, "THREAD_MEMBERS_UPDATE");
    assert_eq!(update.len(), 1);
    assert_eq!(update[0]["added_members"][0]["user_id"], alice.to_string());

    // A locked thread: members read but only moderators write.
    t.id.edit_thread(&http, EditThread::new().locked(true))
        .await
        .unwrap();
    assert!(sb.permissions(thread, alice) & bits::VIEW_CHANNEL != 0);
    assert_eq!(
        sb.permissions(thread, alice) & bits::SEND_MESSAGES_IN_THREADS,
        0
    );
    assert!(sb.try_send_message(alice, thread, "still there?").is_err());
    t.id.say(&http, "the bot moderates").await.unwrap();
    t.id.edit_thread(&http, EditThread::new().locked(false))
        .await
        .unwrap();

    t.id.remove_thread_member(&http, UserId::new(alice))
        .await
        .unwrap();
    assert_eq!(sb.thread_members(thread), [sb.bot_id()]);
    assert_eq!(sb.permissions(thread, alice) & bits::VIEW_CHANNEL, 0);
    let err =
        t.id.remove_thread_member(&http, UserId::new(alice))
            .await
            .unwrap_err();
    assert!(format!("{err:?}").contains("10007"), "{err:?}");
    let update = events(&sb, &rec, "THREAD_MEMBERS_UPDATE");
    assert_eq!(update[1]["removed_member_ids"][0], alice.to_string());

    // Archived: nobody is added.
    t.id.edit_thread(&http, EditThread::new().archived(true))
        .await
        .unwrap();
    let err =
        t.id.add_thread_member(&http, UserId::new(bob))
            .await
            .unwrap_err();
    assert!(format!("{err:?}").contains("50083"), "{err:?}");
    t.id.delete(&http).await.unwrap();
    assert!(sb.thread_members(thread).is_empty());
    check_all(&sb, &rec);
}

#[tokio::test]
async fn threads_archive_lock_and_delete() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Threads");
    let http = http(&sb);
    let thread = sb.create_channel_in(g.id, "talk", ChannelKind::PublicThread, Some(g.general));
    let tid = ChannelId::new(thread);

    let t = tid
        .edit_thread(&http, EditThread::new().archived(true).locked(true))
        .await
        .unwrap();
    let meta = t.thread_metadata.expect("thread_metadata");
    assert!(meta.archived && meta.locked);
    assert!(sb.thread_meta(thread).archived);
    let updates = events(&sb, &rec, "THREAD_UPDATE");
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["thread_metadata"]["locked"], true);
    // nobody posts in an archived, locked thread
    let err = tid.say(&http, "hello?").await.unwrap_err();
    assert!(format!("{err:?}").contains("50083"), "{err:?}");
    // moderators unlock and reopen it from the client
    sb.set_thread_locked(thread, false).unwrap();
    sb.set_thread_archived(thread, false).unwrap();
    assert!(!sb.thread_meta(thread).archived);
    tid.say(&http, "back").await.unwrap();
    assert_eq!(events(&sb, &rec, "THREAD_UPDATE").len(), 3);

    tid.delete(&http).await.unwrap();
    let deleted = events(&sb, &rec, "THREAD_DELETE");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["parent_id"], g.general.to_string());
    let other = sb.create_channel_in(g.id, "old", ChannelKind::PrivateThread, Some(g.general));
    sb.delete_thread(other).unwrap();
    assert_eq!(events(&sb, &rec, "THREAD_DELETE").len(), 2);
    assert!(sb.channel(other).is_none());
    check_all(&sb, &rec);
}

#[tokio::test]
async fn scheduled_events_crud_and_interested_users() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Events");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let http = http(&sb);
    let gid = GuildId::new(g.id);
    sb.set_bot_permissions(
        g.id,
        bits::DEFAULT_BOT | bits::CREATE_EVENTS | bits::MANAGE_EVENTS,
    );
    let start = Timestamp::from_unix_timestamp(chrono::Utc::now().timestamp() + 3600).unwrap();
    let end = Timestamp::from_unix_timestamp(chrono::Utc::now().timestamp() + 7200).unwrap();

    let ev = gid
        .create_scheduled_event(
            &http,
            CreateScheduledEvent::new(ScheduledEventType::External, "Hunt night", start)
                .end_time(end)
                .location("the woods"),
        )
        .await
        .unwrap();
    let voice = gid
        .create_scheduled_event(
            &http,
            CreateScheduledEvent::new(ScheduledEventType::Voice, "Karaoke", start)
                .channel_id(ChannelId::new(g.voice)),
        )
        .await
        .unwrap();
    assert_eq!(gid.scheduled_events(&http, true).await.unwrap().len(), 2);
    assert_eq!(events(&sb, &rec, "GUILD_SCHEDULED_EVENT_CREATE").len(), 2);

    sb.add_event_user(ev.id.get(), alice).unwrap();
    let users = gid.scheduled_event_users(&http, ev.id, None).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].user.id, UserId::new(alice));
    let added = events(&sb, &rec, "GUILD_SCHEDULED_EVENT_USER_ADD");
    assert_eq!(added[0]["user_id"], alice.to_string());
    assert_eq!(
        gid.scheduled_event(&http, ev.id, true)
            .await
            .unwrap()
            .user_count,
        Some(1)
    );
    sb.remove_event_user(ev.id.get(), alice).unwrap();
    assert_eq!(
        events(&sb, &rec, "GUILD_SCHEDULED_EVENT_USER_REMOVE").len(),
        1
    );

    let ev = gid
        .edit_scheduled_event(
            &http,
            ev.id,
            EditScheduledEvent::new().status(ScheduledEventStatus::Active),
        )
        .await
        .unwrap();
    assert_eq!(ev.status, ScheduledEventStatus::Active);
    // an active event cannot go back to scheduled
    let err = gid
        .edit_scheduled_event(
            &http,
            ev.id,
            EditScheduledEvent::new().status(ScheduledEventStatus::Scheduled),
        )
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("180000"), "{err:?}");
    sb.set_scheduled_event_status(voice.id.get(), 4).unwrap();
    assert_eq!(sb.scheduled_event(voice.id.get()).unwrap().status, 4);
    gid.delete_scheduled_event(&http, ev.id).await.unwrap();
    assert_eq!(events(&sb, &rec, "GUILD_SCHEDULED_EVENT_UPDATE").len(), 2);
    assert_eq!(events(&sb, &rec, "GUILD_SCHEDULED_EVENT_DELETE").len(), 1);
    let mine = sb.create_scheduled_event(g.id, alice, "Alice's party", chrono::Utc::now(), None);
    sb.delete_scheduled_event(mine).unwrap();
    assert_eq!(events(&sb, &rec, "GUILD_SCHEDULED_EVENT_DELETE").len(), 2);
    check_all(&sb, &rec);
}

#[tokio::test]
async fn membership_screening_pending_members() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Screened");
    let http = http(&sb);
    let newbie = sb.create_user("newbie");
    sb.add_pending_member(g.id, newbie);
    let added = events(&sb, &rec, "GUILD_MEMBER_ADD");
    assert_eq!(added.last().unwrap()["pending"], true);
    let m = GuildId::new(g.id)
        .member(&http, UserId::new(newbie))
        .await
        .unwrap();
    assert!(m.pending);
    assert!(sb.is_pending(g.id, newbie));

    sb.pass_screening(g.id, newbie).unwrap();
    let updated = events(&sb, &rec, "GUILD_MEMBER_UPDATE");
    assert_eq!(updated.last().unwrap()["pending"], false);
    assert_eq!(updated.last().unwrap()["user"]["id"], newbie.to_string());
    assert!(!sb.is_pending(g.id, newbie));
    assert!(sb.pass_screening(g.id, newbie).is_err(), "only once");
    check_all(&sb, &rec);
}

#[tokio::test]
async fn interactions_carry_the_users_locale_and_the_guilds() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Locales");
    let alice = sb.create_user("alice");
    let bob = sb.create_user("bob");
    sb.add_member(g.id, alice);
    sb.add_member(g.id, bob);
    let http = http(&sb);
    serenity::all::Command::create_global_command(
        &http,
        CreateCommand::new("hello").description("Say hello"),
    )
    .await
    .unwrap();

    sb.set_user_locale(alice, "fr");
    sb.set_guild_locale(g.id, "de").unwrap();
    assert_eq!(
        events(&sb, &rec, "GUILD_UPDATE")[0]["preferred_locale"],
        "de"
    );
    sb.run_command(alice, g.general, CommandCall::new("hello"))
        .unwrap();
    sb.run_command(bob, g.general, CommandCall::new("hello"))
        .unwrap();
    let created = events(&sb, &rec, "INTERACTION_CREATE");
    let locales: Vec<(&str, &str)> = created
        .iter()
        .map(|d| {
            (
                d["locale"].as_str().unwrap(),
                d["guild_locale"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(locales, [("fr", "de"), ("en-US", "de")]);
    check_all(&sb, &rec);
}

#[tokio::test]
async fn avatars_and_banners_are_hashes_in_payloads_and_pictures_on_the_cdn() {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events(ALL);
    let g = sb.create_guild("Pictures");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let http = http(&sb);
    let png = b"\x89PNG\r\n\x1a\n pretend picture".to_vec();

    let before = http.get_user(UserId::new(alice)).await.unwrap();
    assert!(before.avatar.is_none(), "Discord's default avatar");
    let hash = sb.set_avatar(alice, Some(png.clone())).unwrap().unwrap();
    assert_eq!(hash.len(), 32);
    let after = http.get_user(UserId::new(alice)).await.unwrap();
    assert_eq!(after.avatar.map(|h| h.to_string()), Some(hash.clone()));
    let update = &events(&sb, &rec, "GUILD_MEMBER_UPDATE")[0];
    assert_eq!(update["user"]["avatar"], hash.as_str());

    let banner = sb
        .set_guild_banner(g.id, Some(png.clone()))
        .unwrap()
        .unwrap();
    let guild = http.get_guild(GuildId::new(g.id)).await.unwrap();
    assert_eq!(guild.banner.as_deref(), Some(banner.as_str()));
    assert_eq!(
        events(&sb, &rec, "GUILD_UPDATE")[0]["banner"],
        banner.as_str()
    );

    let cdn = format!("{}/cdn", sb.base_url().trim_end_matches('/'));
    let get = |path: String| async move { reqwest::get(path).await.unwrap() };
    let r = get(format!("{cdn}/avatars/{alice}/{hash}.png?size=256")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    let r = get(format!("{cdn}/banners/{}/{banner}.png?size=1024", g.id)).await;
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    assert_eq!(
        get(format!("{cdn}/avatars/{alice}/{hash}.webp"))
            .await
            .status(),
        415
    );
    assert_eq!(
        get(format!("{cdn}/avatars/{alice}/0000.png"))
            .await
            .status(),
        404
    );

    // Back to the default avatar and no banner.
    assert_eq!(sb.set_avatar(alice, None).unwrap(), None);
    assert!(
        http.get_user(UserId::new(alice))
            .await
            .unwrap()
            .avatar
            .is_none()
    );
    assert_eq!(sb.set_guild_banner(g.id, None).unwrap(), None);
    assert!(
        http.get_guild(GuildId::new(g.id))
            .await
            .unwrap()
            .banner
            .is_none()
    );
    check_all(&sb, &rec);
}
