//! Events the next feature issues rely on, with their exact fields, each frame also parsed by
//! serenity and twilight-model (CHANNEL_PINS_UPDATE on pin and unpin,
//! GUILD_AUDIT_LOG_ENTRY_CREATE), and REST responses they read (the vanity URL, bulk ban).

use chronix_sandbox::Sandbox;
use serde::de::DeserializeSeed;
use serde_json::Value;
use serenity::all::{ChannelId, HttpBuilder, MessageId};

/// Every recorded frame of event `t`, after checking that serenity and twilight-model parse it.
fn frames(sb: &Sandbox, rec: &str, t: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for f in sb.recorded_events(rec) {
        let v: Value = serde_json::from_str(&f).unwrap();
        if v["t"] != t {
            continue;
        }
        let ev: serenity::model::event::GatewayEvent =
            serde_json::from_str(&f).unwrap_or_else(|e| panic!("serenity cannot parse {f}: {e}"));
        assert!(
            !matches!(
                ev,
                serenity::model::event::GatewayEvent::Dispatch(_, serenity::all::Event::Unknown(_))
            ),
            "serenity does not know {t}"
        );
        let de = twilight_model::gateway::event::GatewayEventDeserializer::from_json(&f).unwrap();
        de.deserialize(&mut serde_json::Deserializer::from_str(&f))
            .unwrap_or_else(|e| panic!("twilight cannot parse {f}: {e}"));
        out.push(v["d"].clone());
    }
    out
}

#[tokio::test]
async fn pinning_and_unpinning_emit_channel_pins_update() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Pins");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let first = sb.send_message(alice, g.general, "first");
    let second = sb.send_message(alice, g.general, "second");
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let rec = sb.record_events(chronix_sandbox::intents::GUILDS);
    let ch = ChannelId::new(g.general);

    http.pin_message(ch, MessageId::new(first), None)
        .await
        .unwrap();
    // Pinning again changes nothing and emits nothing.
    http.pin_message(ch, MessageId::new(first), None)
        .await
        .unwrap();
    http.pin_message(ch, MessageId::new(second), None)
        .await
        .unwrap();
    let pins = http.get_pins(ch).await.unwrap();
    assert_eq!(
        pins.iter().map(|m| m.id.get()).collect::<Vec<_>>(),
        [second, first],
        "newest pin first"
    );
    http.unpin_message(ch, MessageId::new(second), None)
        .await
        .unwrap();
    http.unpin_message(ch, MessageId::new(first), None)
        .await
        .unwrap();

    let ev = frames(&sb, &rec, "CHANNEL_PINS_UPDATE");
    assert_eq!(ev.len(), 4, "{ev:?}");
    let pinned_at = |mid: u64| sb.with_state(|st| st.pinned_at.get(&mid).copied());
    assert_eq!(pinned_at(first), None, "unpinned messages forget pinned_at");
    for d in &ev {
        assert_eq!(d["guild_id"], g.id.to_string());
        assert_eq!(d["channel_id"], g.general.to_string());
        assert_eq!(d.as_object().unwrap().len(), 3, "{d}");
    }
    let at = |d: &Value| {
        chrono::DateTime::parse_from_rfc3339(d["last_pin_timestamp"].as_str().unwrap()).unwrap()
    };
    // After the second pin the newest is the second; after unpinning it, the first's time is
    // the newest again; after the last unpin there is none.
    assert!(at(&ev[1]) >= at(&ev[0]));
    assert_eq!(at(&ev[2]), at(&ev[0]));
    assert_eq!(ev[3]["last_pin_timestamp"], Value::Null);
    // Without the GUILDS intent the event is not sent.
    let none = sb.record_events(chronix_sandbox::intents::GUILD_MESSAGES);
    http.pin_message(ch, MessageId::new(first), None)
        .await
        .unwrap();
    assert!(frames(&sb, &none, "CHANNEL_PINS_UPDATE").is_empty());
}

#[tokio::test]
async fn vanity_url_reports_code_and_uses() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Vanity");
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let gid = serenity::all::GuildId::new(g.id);
    use chronix_sandbox::perms::bits::{MANAGE_GUILD, VIEW_CHANNEL};
    sb.set_bot_permissions(g.id, VIEW_CHANNEL | MANAGE_GUILD);
    let last = |sb: &Sandbox| sb.rest_log().last().unwrap().response.clone().unwrap();
    // No vanity code: code is null (serenity's String cannot hold it; twilight's Option can).
    assert!(http.get_guild_vanity_url(gid).await.is_err());
    let body = last(&sb);
    assert_eq!(body, serde_json::json!({"code": null, "uses": 0}));
    serde_json::from_value::<twilight_model::guild::VanityUrl>(body).unwrap();

    sb.set_vanity_url(g.id, "chronix");
    let carol = sb.create_user("carol");
    assert_eq!(sb.join_via_invite(carol, "chronix").unwrap(), g.id);
    assert_eq!(http.get_guild_vanity_url(gid).await.unwrap(), "chronix");
    let body = last(&sb);
    assert_eq!(body, serde_json::json!({"code": "chronix", "uses": 1}));
    serde_json::from_value::<twilight_model::guild::VanityUrl>(body).unwrap();
    // As on Discord, the guild's invite list leaves the vanity URL out.
    assert!(http.get_guild_invites(gid).await.unwrap().is_empty());
    // An account's age is in its id: a user "made" 30 days ago reads so.
    let at = chrono::Utc::now() - chrono::Duration::days(30);
    let old = sb.create_user_created_at("old", at);
    let made = chronix_sandbox::state::snowflake_time(old);
    assert!((made - at).num_milliseconds().abs() < 2, "{made} vs {at}");

    // MANAGE_GUILD is required.
    sb.set_bot_permissions(g.id, VIEW_CHANNEL);
    let err = http.get_guild_vanity_url(gid).await.unwrap_err();
    match err {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
            assert_eq!((r.status_code.as_u16(), r.error.code), (403, 50013));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn bulk_ban_bans_each_user_and_reports_failures() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Bans");
    let (alice, bob) = (sb.create_user("alice"), sb.create_user("bob"));
    sb.add_member(g.id, alice);
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let rec = sb.record_events(chronix_sandbox::intents::GUILD_MODERATION);
    let gid = serenity::all::GuildId::new(g.id);
    let ids = [
        serenity::all::UserId::new(alice),
        serenity::all::UserId::new(bob),
    ];
    let code = |e: serenity::Error| match e {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
            (r.status_code.as_u16(), r.error.code)
        }
        other => panic!("unexpected {other:?}"),
    };
    use chronix_sandbox::perms::bits::{BAN_MEMBERS, MANAGE_GUILD, VIEW_CHANNEL};
    // BAN_MEMBERS alone is not enough: MANAGE_GUILD is required too.
    sb.set_bot_permissions(g.id, VIEW_CHANNEL | BAN_MEMBERS);
    let e = gid.bulk_ban(&http, &ids, 0, None).await.unwrap_err();
    assert_eq!(code(e), (403, 50013));
    assert!(sb.bans(g.id).is_empty());
    sb.set_bot_permissions(g.id, VIEW_CHANNEL | BAN_MEMBERS | MANAGE_GUILD);
    for n in [0, 201] {
        let body = serde_json::json!({"user_ids": vec![alice.to_string(); n]});
        let e = http.bulk_ban_users(gid, &body, None).await.unwrap_err();
        assert_eq!(code(e), (400, 50035), "{n} user ids");
    }
    let r = gid.bulk_ban(&http, &ids, 0, Some("raid")).await.unwrap();
    assert_eq!(r.banned_users, ids);
    assert!(r.failed_users.is_empty());
    assert_eq!(sb.bans(g.id).len(), 2);
    assert_eq!(sb.bans(g.id)[0].reason.as_deref(), Some("raid"));
    assert!(sb.member(g.id, alice).is_none());
    let bans = frames(&sb, &rec, "GUILD_BAN_ADD");
    assert_eq!(bans.len(), 2);
    assert_eq!(bans[0]["user"]["id"], alice.to_string());
    // Both already banned: nobody could be banned.
    let e = gid.bulk_ban(&http, &ids, 0, None).await.unwrap_err();
    assert_eq!(code(e), (403, 500000));
    // A partial success lists both (twilight-model 0.18 has no bulk-ban type; serenity's parses).
    let carol = sb.create_user("carol");
    let c = [serenity::all::UserId::new(carol), ids[0]];
    let r = gid.bulk_ban(&http, &c, 0, None).await.unwrap();
    assert_eq!((r.banned_users, r.failed_users), (vec![c[0]], vec![c[1]]));
    let body = sb.rest_log().last().unwrap().response.clone().unwrap();
    assert_eq!(
        body,
        serde_json::json!({"banned_users": [carol.to_string()], "failed_users": [alice.to_string()]})
    );
}

#[tokio::test]
async fn audit_entries_are_dispatched_with_actor_and_reason() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Audit");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let first = sb.send_message(alice, g.general, "first");
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let rec = sb.record_events(chronix_sandbox::intents::GUILD_MODERATION);
    let gid = serenity::all::GuildId::new(g.id);
    http.kick_member(gid, serenity::all::UserId::new(alice), Some("spam"))
        .await
        .unwrap();
    http.pin_message(
        ChannelId::new(g.general),
        MessageId::new(first),
        Some("keep"),
    )
    .await
    .unwrap();
    let ev = frames(&sb, &rec, "GUILD_AUDIT_LOG_ENTRY_CREATE");
    let log = sb.audit_log(g.id);
    assert_eq!(ev.len(), 2, "{ev:?}");
    let kick = &ev[0];
    assert_eq!(kick["guild_id"], g.id.to_string());
    assert_eq!(kick["action_type"], 20);
    assert_eq!(kick["user_id"], sb.bot_id().to_string());
    assert_eq!(kick["target_id"], alice.to_string());
    assert_eq!(kick["reason"], "spam");
    let kick_id: u64 = kick["id"].as_str().unwrap().parse().unwrap();
    assert!(log.iter().any(|e| e.id == kick_id));
    assert_eq!(ev[1]["action_type"], 74);
    assert_eq!(ev[1]["target_id"], g.general.to_string());
    assert_eq!(ev[1]["reason"], "keep");
    // Without VIEW_AUDIT_LOG the bot gets no entries (they are still recorded).
    use chronix_sandbox::perms::bits::{MANAGE_MESSAGES, VIEW_CHANNEL};
    sb.set_bot_permissions(g.id, VIEW_CHANNEL | MANAGE_MESSAGES);
    let quiet = sb.record_events(chronix_sandbox::intents::GUILD_MODERATION);
    http.unpin_message(ChannelId::new(g.general), MessageId::new(first), None)
        .await
        .unwrap();
    assert!(frames(&sb, &quiet, "GUILD_AUDIT_LOG_ENTRY_CREATE").is_empty());
    assert_eq!(sb.audit_log(g.id).len(), log.len() + 1);
}

#[tokio::test]
async fn manual_moderation_is_audited_with_the_moderator_reason_and_changes() {
    use chronix_sandbox::ManualAction;
    use chronix_sandbox::perms::bits::{BAN_MEMBERS, KICK_MEMBERS, MODERATE_MEMBERS};
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Manual");
    let (alice, mallory) = (sb.create_user("alice"), sb.create_user("mallory"));
    sb.add_member(g.id, alice);
    sb.add_member(g.id, mallory);
    let role = sb.create_role(g.id, "mods", BAN_MEMBERS | KICK_MEMBERS | MODERATE_MEMBERS);
    sb.give_role(g.id, alice, role);
    let rec = sb.record_events(
        chronix_sandbox::intents::GUILD_MODERATION | chronix_sandbox::intents::GUILD_MEMBERS,
    );
    // refused like Discord's client refuses: no permission, or not above the target
    assert!(
        sb.moderate(mallory, g.id, alice, ManualAction::Kick, None)
            .is_err()
    );
    let until = chrono::Utc::now() + chrono::Duration::hours(1);
    sb.moderate(
        alice,
        g.id,
        mallory,
        ManualAction::Timeout(until),
        Some("cool off"),
    )
    .unwrap();
    assert!(
        sb.member(g.id, mallory)
            .unwrap()
            .communication_disabled_until
            .is_some()
    );
    sb.moderate(alice, g.id, mallory, ManualAction::Untimeout, None)
        .unwrap();
    sb.moderate(alice, g.id, mallory, ManualAction::Ban, Some("raid"))
        .unwrap();
    assert_eq!(sb.bans(g.id).len(), 1);
    assert!(sb.member(g.id, mallory).is_none());
    sb.moderate(alice, g.id, mallory, ManualAction::Unban, None)
        .unwrap();
    assert!(sb.bans(g.id).is_empty());
    let ev = frames(&sb, &rec, "GUILD_AUDIT_LOG_ENTRY_CREATE");
    let kinds: Vec<u64> = ev
        .iter()
        .map(|e| e["action_type"].as_u64().unwrap())
        .collect();
    assert_eq!(kinds, [24, 24, 22, 23]);
    for e in &ev {
        assert_eq!(
            e["user_id"],
            alice.to_string(),
            "the moderator, not the bot"
        );
        assert_eq!(e["target_id"], mallory.to_string());
    }
    assert_eq!(ev[0]["reason"], "cool off");
    assert_eq!(ev[0]["changes"][0]["key"], "communication_disabled_until");
    assert!(ev[0]["changes"][0]["new_value"].is_string());
    assert!(ev[1]["changes"][0]["new_value"].is_null(), "lifted");
    assert!(ev[1]["changes"][0]["old_value"].is_string());
    assert!(ev[1].get("reason").is_none(), "no reason: omitted");
    assert_eq!(ev[2]["reason"], "raid");
    assert_eq!(frames(&sb, &rec, "GUILD_BAN_ADD").len(), 1);
    assert_eq!(frames(&sb, &rec, "GUILD_BAN_REMOVE").len(), 1);
    assert_eq!(sb.audit_log(g.id).len(), 4);
}

/// The hand-made changes the logging feature listens to (`driver/manage.rs`): each emits its
/// event with the fields Discord sends, parsed by serenity and twilight-model.
#[tokio::test]
async fn manual_changes_emit_their_events() {
    use chronix_sandbox::intents;
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Manage");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let role = sb.create_role(g.id, "helpers", 0);
    sb.give_role(g.id, alice, role);
    let msg = sb.send_message(alice, g.general, "pin me");
    let rec = sb.record_events(
        intents::GUILDS
            | intents::GUILD_MEMBERS
            | intents::GUILD_INVITES
            | intents::GUILD_INTEGRATIONS,
    );

    sb.set_nickname(g.id, alice, Some("Ally")).unwrap();
    sb.take_role(g.id, alice, role).unwrap();
    sb.delete_role(g.id, role).unwrap();
    assert!(
        sb.delete_role(g.id, role).is_err(),
        "a deleted role is gone"
    );
    sb.pin_message(msg, true).unwrap();
    sb.pin_message(msg, true).unwrap(); // no change, no event
    let code = sb.create_invite(alice, g.general).unwrap();
    sb.delete_invite(&code).unwrap();
    assert!(sb.delete_invite(&code).is_err());
    sb.rename_channel(g.general, "lobby", Some("say hi"))
        .unwrap();
    sb.touch_integrations(g.id);

    let updates = frames(&sb, &rec, "GUILD_MEMBER_UPDATE");
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0]["nick"], "Ally");
    assert_eq!(updates[0]["roles"], serde_json::json!([role.to_string()]));
    assert_eq!(updates[1]["roles"], serde_json::json!([]));
    let deleted = frames(&sb, &rec, "GUILD_ROLE_DELETE");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["role_id"], role.to_string());
    assert!(sb.role(role).is_none());
    let pins = frames(&sb, &rec, "CHANNEL_PINS_UPDATE");
    assert_eq!(pins.len(), 1);
    assert_eq!(pins[0]["channel_id"], g.general.to_string());
    assert!(pins[0]["last_pin_timestamp"].is_string());
    let created = frames(&sb, &rec, "INVITE_CREATE");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["code"], code.as_str());
    assert_eq!(created[0]["inviter"]["id"], alice.to_string());
    let gone = frames(&sb, &rec, "INVITE_DELETE");
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["code"], code.as_str());
    let renamed = frames(&sb, &rec, "CHANNEL_UPDATE");
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0]["name"], "lobby");
    assert_eq!(renamed[0]["topic"], "say hi");
    let integrations = frames(&sb, &rec, "GUILD_INTEGRATIONS_UPDATE");
    assert_eq!(
        integrations,
        vec![serde_json::json!({ "guild_id": g.id.to_string() })]
    );
}
