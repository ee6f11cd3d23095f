//! Discord behaviour a bot can get wrong: limits, permissions, unknown ids, interaction timing,
//! injected faults. REST calls go through serenity's `Http` like a bot's would.

use std::time::Duration;

use chronix_sandbox::perms::bits;
use chronix_sandbox::{
    ChannelKind, CommandCall, FaultKind, Overwrite, RestFault, Sandbox, SandboxConfig, WaitError,
};
use serde_json::{Value, json};
use serenity::all::{ChannelId, GuildId, Http, HttpBuilder, HttpError, UserId};

fn http(sb: &Sandbox) -> Http {
    HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .application_id(sb.application_id().into())
        .build()
}

fn status(e: serenity::Error) -> (u16, isize) {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            (r.status_code.as_u16(), r.error.code)
        }
        other => panic!("unexpected error {other:?}"),
    }
}

async fn send(http: &Http, channel: u64, body: Value) -> Result<(), (u16, isize)> {
    http.send_message(ChannelId::new(channel), vec![], &body)
        .await
        .map(|_| ())
        .map_err(status)
}

fn last_response(sb: &Sandbox) -> Value {
    sb.rest_log()
        .last()
        .and_then(|c| c.response.clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn body_limits_give_invalid_form_body_errors() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Limits");
    let http = http(&sb);
    let c = g.general;

    assert_eq!(
        send(&http, c, json!({"content": "x".repeat(2000)})).await,
        Ok(())
    );
    assert_eq!(
        send(&http, c, json!({"content": "x".repeat(2001)})).await,
        Err((400, 50035))
    );
    assert_eq!(
        last_response(&sb)["errors"]["content"]["_errors"][0]["code"],
        "BASE_TYPE_MAX_LENGTH"
    );
    assert_eq!(last_response(&sb)["message"], "Invalid Form Body");

    assert_eq!(
        send(&http, c, json!({"embeds": [{"title": "t".repeat(257)}]})).await,
        Err((400, 50035))
    );
    assert!(last_response(&sb)["errors"]["embeds"]["0"]["title"]["_errors"].is_array());
    assert_eq!(
        send(
            &http,
            c,
            json!({"embeds": [{"description": "d".repeat(4097)}]})
        )
        .await,
        Err((400, 50035))
    );
    let fields: Vec<Value> = (0..26)
        .map(|i| json!({"name": format!("f{i}"), "value": "v"}))
        .collect();
    assert_eq!(
        send(&http, c, json!({"embeds": [{"fields": fields}]})).await,
        Err((400, 50035))
    );
    assert!(last_response(&sb)["errors"]["embeds"]["0"]["fields"]["_errors"].is_array());
    assert_eq!(
        send(
            &http,
            c,
            json!({"embeds": [{"fields": [{"name": "n".repeat(257), "value": "v"}]}]})
        )
        .await,
        Err((400, 50035))
    );
    assert_eq!(
        send(
            &http,
            c,
            json!({"embeds": [{"fields": [{"name": "n", "value": "v".repeat(1025)}]}]})
        )
        .await,
        Err((400, 50035))
    );
    assert_eq!(
        send(
            &http,
            c,
            json!({"embeds": [{"footer": {"text": "f".repeat(2049)}}]})
        )
        .await,
        Err((400, 50035))
    );
    assert_eq!(
        send(
            &http,
            c,
            json!({"embeds": [{"author": {"name": "a".repeat(257)}}]})
        )
        .await,
        Err((400, 50035))
    );
    let big = json!({"description": "d".repeat(3500)});
    assert_eq!(
        send(&http, c, json!({"embeds": [big.clone(), big]})).await,
        Err((400, 50035))
    );
    assert_eq!(
        last_response(&sb)["errors"]["embeds"]["_errors"][0]["code"],
        "MAX_EMBED_SIZE_EXCEEDED"
    );
    let eleven: Vec<Value> = (0..11).map(|_| json!({"title": "t"})).collect();
    assert_eq!(
        send(&http, c, json!({"embeds": eleven})).await,
        Err((400, 50035))
    );

    let button = |id: &str| json!({"type": 2, "style": 1, "label": "L", "custom_id": id});
    let row = |n: usize, p: &str| json!({"type": 1, "components": (0..n).map(|i| button(&format!("{p}{i}"))).collect::<Vec<_>>()});
    let five_rows: Vec<Value> = (0..5).map(|r| row(5, &format!("r{r}-"))).collect();
    assert_eq!(
        send(&http, c, json!({"content": "ok", "components": five_rows})).await,
        Ok(())
    );
    let six_rows: Vec<Value> = (0..6).map(|r| row(1, &format!("r{r}-"))).collect();
    assert_eq!(
        send(&http, c, json!({"content": "x", "components": six_rows})).await,
        Err((400, 50035))
    );
    assert_eq!(
        send(
            &http,
            c,
            json!({"content": "x", "components": [row(6, "b")]})
        )
        .await,
        Err((400, 50035))
    );
    assert_eq!(
        send(&http, c, json!({"content": "x", "components": [{"type": 1, "components": [button(&"c".repeat(101))]}]}))
            .await,
        Err((400, 50035))
    );
    let long_label = json!({"type": 2, "style": 1, "label": "l".repeat(81), "custom_id": "x"});
    assert_eq!(
        send(
            &http,
            c,
            json!({"content": "x", "components": [{"type": 1, "components": [long_label]}]})
        )
        .await,
        Err((400, 50035))
    );
    let options: Vec<Value> = (0..26)
        .map(|i| json!({"label": format!("o{i}"), "value": format!("{i}")}))
        .collect();
    let select = json!({"type": 3, "custom_id": "s", "options": options});
    assert_eq!(
        send(
            &http,
            c,
            json!({"content": "x", "components": [{"type": 1, "components": [select]}]})
        )
        .await,
        Err((400, 50035))
    );
    assert_eq!(
        send(&http, c, json!({"content": ""})).await,
        Err((400, 50006))
    );
}

#[tokio::test]
async fn permissions_are_computed_like_discord() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Perms");
    let http = http(&sb);
    let hello = json!({"content": "hello"});

    // @everyone denies SEND_MESSAGES in #general: the bot's role has no allow → 403
    sb.set_overwrite(
        g.general,
        Overwrite {
            id: g.id,
            member: false,
            allow: 0,
            deny: bits::SEND_MESSAGES,
        },
    );
    assert_eq!(
        send(&http, g.general, hello.clone()).await,
        Err((403, 50013))
    );
    // a role allow beats the @everyone deny
    sb.set_overwrite(
        g.general,
        Overwrite {
            id: g.bot_role,
            member: false,
            allow: bits::SEND_MESSAGES,
            deny: 0,
        },
    );
    assert_eq!(send(&http, g.general, hello.clone()).await, Ok(()));
    // a member deny beats role allows
    let bot = sb.bot_id();
    sb.set_overwrite(
        g.general,
        Overwrite {
            id: bot,
            member: true,
            allow: 0,
            deny: bits::SEND_MESSAGES,
        },
    );
    assert_eq!(
        send(&http, g.general, hello.clone()).await,
        Err((403, 50013))
    );
    // without VIEW_CHANNEL: Missing Access
    let hidden = sb.create_channel(g.id, "hidden", ChannelKind::Text);
    sb.set_overwrite(
        hidden,
        Overwrite {
            id: g.id,
            member: false,
            allow: 0,
            deny: bits::VIEW_CHANNEL,
        },
    );
    assert_eq!(send(&http, hidden, hello.clone()).await, Err((403, 50001)));
    assert_eq!(sb.permissions(hidden, bot), 0);
    // ADMINISTRATOR bypasses overwrites
    sb.set_bot_permissions(g.id, bits::ADMINISTRATOR);
    assert_eq!(send(&http, hidden, hello.clone()).await, Ok(()));
    assert_eq!(send(&http, g.general, hello.clone()).await, Ok(()));

    // kicking: needs KICK_MEMBERS and a higher top role; never the owner
    sb.set_bot_permissions(g.id, bits::DEFAULT_BOT);
    let alice = sb.create_user("alice");
    let boss = sb.create_user("boss");
    sb.add_member(g.id, alice);
    sb.add_member(g.id, boss);
    let high = sb.create_role(g.id, "high", 0);
    sb.update_role(high, |r| r.position = 10);
    sb.give_role(g.id, boss, high);
    let gid = GuildId::new(g.id);
    assert_eq!(
        gid.kick(&http, UserId::new(boss)).await.map_err(status),
        Err((403, 50013))
    );
    assert_eq!(
        gid.kick(&http, UserId::new(g.owner_id))
            .await
            .map_err(status),
        Err((403, 50013))
    );
    gid.kick_with_reason(&http, UserId::new(alice), "rule 3")
        .await
        .unwrap();
    assert!(sb.member(g.id, alice).is_none());
    let call = sb
        .rest_log()
        .into_iter()
        .find(|c| c.method == "DELETE" && c.status == 204)
        .unwrap();
    assert_eq!(call.reason.as_deref(), Some("rule 3"));
    assert_eq!(call.route, "/guilds/{guild_id}/members/{user_id}");
    assert_eq!(
        gid.kick(&http, UserId::new(alice)).await.map_err(status),
        Err((404, 10007))
    );

    // timeouts via communication_disabled_until
    sb.add_member(g.id, alice);
    let until = chrono::Utc::now() + chrono::Duration::minutes(10);
    let body = json!({"communication_disabled_until": until.to_rfc3339()});
    http.edit_member(gid, UserId::new(alice), &body, Some("calm down"))
        .await
        .unwrap();
    assert!(
        sb.member(g.id, alice)
            .unwrap()
            .communication_disabled_until
            .is_some()
    );
    assert!(
        sb.try_send_message(alice, g.general, "hi").is_err(),
        "timed-out users cannot talk"
    );
    let too_long = json!({"communication_disabled_until": (chrono::Utc::now() + chrono::Duration::days(29)).to_rfc3339()});
    assert_eq!(
        http.edit_member(gid, UserId::new(alice), &too_long, None)
            .await
            .map(|_| ())
            .map_err(status),
        Err((400, 50035))
    );
    sb.set_bot_permissions(g.id, bits::DEFAULT_EVERYONE);
    assert_eq!(
        http.edit_member(gid, UserId::new(alice), &body, None)
            .await
            .map(|_| ())
            .map_err(status),
        Err((403, 50013))
    );

    // unknown ids
    assert_eq!(
        http.get_message(ChannelId::new(g.general), 1.into())
            .await
            .map(|_| ())
            .map_err(status),
        Err((404, 10008))
    );
    assert_eq!(
        http.get_channel(ChannelId::new(5))
            .await
            .map(|_| ())
            .map_err(status),
        Err((404, 10003))
    );
    assert_eq!(
        http.get_user(UserId::new(5)).await.map_err(status),
        Err((404, 10013))
    );
    assert_eq!(
        http.get_member(gid, UserId::new(5))
            .await
            .map(|_| ())
            .map_err(status),
        Err((404, 10007))
    );
}

#[tokio::test]
async fn bot_cannot_edit_others_messages_and_needs_manage_messages_to_delete_them() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Msgs");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let http = http(&sb);
    let m = sb.send_message(alice, g.general, "mine");
    let r = http
        .edit_message(
            ChannelId::new(g.general),
            m.into(),
            &json!({"content": "x"}),
            vec![],
        )
        .await;
    assert_eq!(r.map(|_| ()).map_err(status), Err((403, 50005)));
    sb.set_bot_permissions(g.id, bits::DEFAULT_EVERYONE);
    let r = http
        .delete_message(ChannelId::new(g.general), m.into(), None)
        .await;
    assert_eq!(r.map_err(status), Err((403, 50013)));
    sb.set_bot_permissions(g.id, bits::DEFAULT_BOT);
    http.delete_message(ChannelId::new(g.general), m.into(), Some("spam"))
        .await
        .unwrap();
    assert!(sb.message(m).is_none());
    let deleted = sb
        .wait_for_deletion(g.general, Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(deleted.id, m);
    // DMs to users who closed them fail with 50007
    sb.set_dms_closed(alice, true);
    let dm = UserId::new(alice).create_dm_channel(&http).await.unwrap();
    assert_eq!(
        send(&http, dm.id.get(), json!({"content": "hi"})).await,
        Err((403, 50007))
    );
}

#[tokio::test]
async fn interaction_rules_double_ack_wrong_type_and_token_expiry() {
    let sb = Sandbox::start_with(SandboxConfig {
        interaction_token_ttl: Duration::from_millis(400),
        ..Default::default()
    })
    .await
    .unwrap();
    let g = sb.create_guild("Int");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let http = http(&sb);
    let app = sb.application_id();
    let put = json!([{"name": "ping", "description": "Ping", "type": 1}]);
    http.create_global_commands(&put).await.unwrap();

    let i = sb
        .run_command(alice, g.general, CommandCall::new("ping"))
        .unwrap();
    // type 7 (update message) is not valid for a slash command
    let r = http
        .create_interaction_response(
            i.id.into(),
            &i.token,
            &json!({"type": 7, "data": {"content": "x"}}),
            vec![],
        )
        .await;
    assert_eq!(r.map_err(status), Err((400, 50035)));
    http.create_interaction_response(
        i.id.into(),
        &i.token,
        &json!({"type": 4, "data": {"content": "pong"}}),
        vec![],
    )
    .await
    .unwrap();
    let again = http
        .create_interaction_response(
            i.id.into(),
            &i.token,
            &json!({"type": 4, "data": {"content": "pong"}}),
            vec![],
        )
        .await;
    assert_eq!(again.map_err(status), Err((400, 40060)));
    assert_eq!(
        sb.wait_for_reply(&i, Duration::from_secs(1))
            .await
            .unwrap()
            .content,
        "pong"
    );
    // follow-ups work until the token expires
    http.create_followup_message(&i.token, &json!({"content": "more"}), vec![])
        .await
        .unwrap();
    assert_eq!(
        sb.wait_for_followup(&i, Duration::from_secs(1))
            .await
            .unwrap()
            .content,
        "more"
    );
    tokio::time::sleep(Duration::from_millis(450)).await;
    let expired = http
        .create_followup_message(&i.token, &json!({"content": "late"}), vec![])
        .await;
    assert_eq!(expired.map(|_| ()).map_err(status), Err((401, 50027)));
    let _ = app;

    // unknown command / options are refused by the driver like the Discord client would
    assert!(
        sb.run_command(alice, g.general, CommandCall::new("nope"))
            .is_err()
    );
    assert!(
        sb.run_command(alice, g.general, CommandCall::new("ping").opt("x", 1))
            .is_err()
    );

    // ephemeral messages are addressed to one user
    let i = sb
        .run_command(alice, g.general, CommandCall::new("ping"))
        .unwrap();
    http.create_interaction_response(
        i.id.into(),
        &i.token,
        &json!({"type": 4, "data": {"content": "secret", "flags": 64}}),
        vec![],
    )
    .await
    .unwrap();
    let e = sb
        .wait_for_ephemeral(alice, Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(e.content, "secret");
    assert!(e.is_ephemeral());
}

#[tokio::test]
async fn injected_faults_5xx_429_and_delays() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Faults");
    let http = http(&sb);
    sb.inject_fault(RestFault::new(Some("/messages"), FaultKind::Status(503), 1));
    assert_eq!(
        send(&http, g.general, json!({"content": "a"}))
            .await
            .map_err(|e| e.0),
        Err(503)
    );
    assert_eq!(
        send(&http, g.general, json!({"content": "a"})).await,
        Ok(())
    );

    sb.inject_fault(RestFault::new(
        None,
        FaultKind::RateLimit {
            retry_after: 0.25,
            global: false,
        },
        1,
    ));
    let r = send(&http, g.general, json!({"content": "b"})).await;
    assert_eq!(r.map_err(|e| e.0), Err(429));
    let call = sb.rest_log().last().cloned().unwrap();
    assert_eq!(call.status, 429);
    assert_eq!(call.response.unwrap()["retry_after"], 0.25);

    sb.inject_fault(RestFault::new(
        Some("/messages"),
        FaultKind::Delay(Duration::from_millis(300)),
        1,
    ));
    let t = std::time::Instant::now();
    send(&http, g.general, json!({"content": "c"}))
        .await
        .unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(sb.messages_in(g.general).len(), 2);
}

#[tokio::test]
async fn unacknowledged_interaction_reports_no_response() {
    let sb = Sandbox::start_with(SandboxConfig {
        interaction_ack_timeout: Duration::from_millis(200),
        ..Default::default()
    })
    .await
    .unwrap();
    let g = sb.create_guild("Slow");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    http(&sb)
        .create_global_commands(&json!([{"name": "slow", "description": "d"}]))
        .await
        .unwrap();
    let i = sb
        .run_command(alice, g.general, CommandCall::new("slow"))
        .unwrap();
    let t = std::time::Instant::now();
    assert_eq!(
        sb.wait_for_response(&i, Duration::from_secs(5)).await,
        Err(WaitError::NoResponse)
    );
    assert!(t.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn audit_log_invites_attachments_and_command_permissions() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("More");
    let alice = sb.create_user("alice");
    let bob = sb.create_user("bob");
    sb.add_member(g.id, alice);
    sb.add_member(g.id, bob);
    let http = http(&sb);
    let gid = GuildId::new(g.id);

    // audit log entries carry the X-Audit-Log-Reason
    gid.kick_with_reason(&http, UserId::new(bob), "spamming")
        .await
        .unwrap();
    let log = sb.audit_log(g.id);
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].action_type, log[0].reason.as_deref()),
        (20, Some("spamming"))
    );
    assert_eq!(log[0].target_id.as_deref(), Some(bob.to_string().as_str()));
    let fetched = gid.audit_logs(&http, None, None, None, None).await.unwrap();
    assert_eq!(fetched.entries.len(), 1);
    assert_eq!(fetched.entries[0].reason.as_deref(), Some("spamming"));

    // joining through a single-use invite
    let inv = http
        .create_invite(
            ChannelId::new(g.general),
            &json!({"max_uses": 1, "max_age": 0}),
            None,
        )
        .await
        .unwrap();
    assert_eq!(sb.join_via_invite(bob, &inv.code), Ok(g.id));
    assert!(sb.member(g.id, bob).is_some());
    assert!(sb.join_via_invite(alice, &inv.code).is_err(), "used up");

    // files sent by users are downloadable from 127.0.0.1
    let mid = sb
        .send_message_with_files(alice, g.general, "see file", &[("notes.txt", b"abc")])
        .unwrap();
    let msg = http
        .get_message(ChannelId::new(g.general), mid.into())
        .await
        .unwrap();
    assert_eq!(msg.attachments[0].download().await.unwrap(), b"abc");

    // default_member_permissions hides commands from members who lack them
    http.create_global_commands(&json!([
        {"name": "purge", "description": "Delete messages", "default_member_permissions": "8192"},
        {"name": "hello", "description": "Hi", "dm_permission": false}
    ]))
    .await
    .unwrap();
    assert!(matches!(
        sb.run_command(alice, g.general, CommandCall::new("purge")),
        Err(chronix_sandbox::DriverError::MissingPermission(_))
    ));
    assert!(
        sb.run_command(g.owner_id, g.general, CommandCall::new("purge"))
            .is_ok()
    );
    let mods = sb.create_role(g.id, "mods", bits::MANAGE_MESSAGES);
    sb.give_role(g.id, alice, mods);
    assert!(
        sb.run_command(alice, g.general, CommandCall::new("purge"))
            .is_ok()
    );
    let dm = sb.dm_channel(alice);
    assert!(
        sb.run_command(alice, dm, CommandCall::new("hello"))
            .is_err()
    );
}

#[tokio::test]
async fn optional_rate_limits_answer_429() {
    let sb = Sandbox::start_with(SandboxConfig {
        rate_limits: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let g = sb.create_guild("Rl");
    let http = http(&sb);
    for i in 0..5 {
        assert_eq!(
            send(&http, g.general, json!({"content": format!("m{i}")})).await,
            Ok(())
        );
    }
    assert_eq!(
        send(&http, g.general, json!({"content": "m5"}))
            .await
            .map_err(|e| e.0),
        Err(429)
    );
    let retry = sb.rest_log().last().unwrap().response.clone().unwrap()["retry_after"]
        .as_f64()
        .unwrap();
    assert!(retry > 0.0 && retry <= 5.0);
}

#[tokio::test]
async fn allowed_mentions_and_deferred_replies_in_the_channel_feed() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Feed");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let http = http(&sb);
    let t = Duration::from_secs(1);

    // allowed_mentions: no pings
    let body =
        json!({"content": format!("hi <@{alice}> @everyone"), "allowed_mentions": {"parse": []}});
    send(&http, g.general, body).await.unwrap();
    let m = sb.wait_for_message(g.general, t).await.unwrap();
    assert!(m.mentions.is_empty() && !m.mention_everyone);
    send(
        &http,
        g.general,
        json!({"content": format!("hi <@{alice}>")}),
    )
    .await
    .unwrap();
    assert_eq!(
        sb.wait_for_message(g.general, t).await.unwrap().mentions,
        vec![alice]
    );

    // a deferred reply shows up in wait_for_message only once it has content
    http.create_global_commands(&json!([{"name": "slow", "description": "d"}]))
        .await
        .unwrap();
    let i = sb
        .run_command(alice, g.general, CommandCall::new("slow"))
        .unwrap();
    http.create_interaction_response(i.id.into(), &i.token, &json!({"type": 5}), vec![])
        .await
        .unwrap();
    assert!(
        sb.wait_for_message(g.general, Duration::from_millis(100))
            .await
            .is_err()
    );
    http.edit_original_interaction_response(&i.token, &json!({"content": "done"}), vec![])
        .await
        .unwrap();
    assert_eq!(
        sb.wait_for_message(g.general, t).await.unwrap().content,
        "done"
    );

    // the bot leaves a guild
    sb.remove_bot_from_guild(g.id);
    assert!(sb.channel(g.general).is_none());
}

/// Editing the bot's own message in a channel it can no longer see answers 403 Missing Access
/// (50001) like Discord; in a deleted channel (driver `delete_channel`) 404 Unknown Channel.
#[tokio::test]
async fn edits_in_hidden_or_deleted_channels_fail_like_discord() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Edits");
    let http = http(&sb);
    let room = sb.create_channel(g.id, "room", ChannelKind::Text);
    let msg = http
        .send_message(ChannelId::new(room), vec![], &json!({"content": "live"}))
        .await
        .unwrap();
    assert_eq!(edit(&http, room, msg.id).await, Ok(()));
    sb.set_overwrite(
        room,
        Overwrite {
            id: sb.bot_id(),
            member: true,
            allow: 0,
            deny: bits::VIEW_CHANNEL,
        },
    );
    assert_eq!(edit(&http, room, msg.id).await, Err((403, 50001)));
    assert!(sb.delete_channel(room));
    assert!(!sb.delete_channel(room), "deleted once");
    assert!(sb.channel(room).is_none());
    assert_eq!(edit(&http, room, msg.id).await, Err((404, 10003)));
}

async fn edit(
    http: &Http,
    channel: u64,
    message: serenity::all::MessageId,
) -> Result<(), (u16, isize)> {
    http.edit_message(
        ChannelId::new(channel),
        message,
        &json!({"content": "edited"}),
        vec![],
    )
    .await
    .map(|_| ())
    .map_err(status)
}
