//! Contract tests: every gateway event and REST response the sandbox emits deserializes into
//! serenity's model types and into twilight-model's.
//!
//! A recorder session captures every dispatch; a scenario drives each REST route through
//! serenity's `Http` (which deserializes the responses into serenity types) and each user action
//! through the driver. Then every frame and every logged response is checked against both libraries.

mod scenario;

use std::collections::BTreeSet;

use chronix_sandbox::payloads;
use serde::de::DeserializeSeed;
use serde_json::Value;

fn check_serenity_frame(frame: &str) -> Result<(), String> {
    let ev: serenity::model::event::GatewayEvent =
        serde_json::from_str(frame).map_err(|e| format!("serenity: {e}"))?;
    if let serenity::model::event::GatewayEvent::Dispatch(_, serenity::all::Event::Unknown(u)) = ev
    {
        return Err(format!("serenity: unknown event {}", u.kind));
    }
    Ok(())
}

fn check_twilight_frame(frame: &str) -> Result<(), String> {
    let de = twilight_model::gateway::event::GatewayEventDeserializer::from_json(frame)
        .ok_or_else(|| "twilight: no deserializer".to_owned())?;
    let mut json = serde_json::Deserializer::from_str(frame);
    de.deserialize(&mut json)
        .map_err(|e| format!("twilight: {e}"))?;
    Ok(())
}

fn twilight_rest(route: &str, v: &Value) -> Result<(), String> {
    use twilight_model as tm;
    fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
    fn each<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        match v {
            Value::Array(a) => a.iter().try_for_each(de::<T>),
            other => de::<T>(other),
        }
    }
    let r = route;
    if v.get("code").is_some() && v.get("message").is_some() && v.get("id").is_none() {
        return Ok(()); // error bodies are checked against serenity below
    }
    if r == "/gateway" {
        return Ok(());
    }
    if r == "/gateway/bot" {
        return de::<tm::gateway::connection_info::BotConnectionInfo>(v);
    }
    if r.ends_with("/commands") || r.ends_with("/commands/{command_id}") {
        return each::<tm::application::command::Command>(v);
    }
    if r.contains("/messages") && !r.ends_with("/threads") && !r.contains("/reactions") {
        return each::<tm::channel::Message>(v);
    }
    if r.starts_with("/webhooks") {
        return each::<tm::channel::Message>(v);
    }
    if r.contains("/reactions")
        || r.starts_with("/users/") && !r.contains("channels") && !r.contains("guilds")
    {
        return each::<tm::user::User>(v);
    }
    if r.ends_with("/pins") {
        return each::<tm::channel::Message>(v);
    }
    if r.contains("/members") {
        return each::<tm::guild::Member>(v);
    }
    if r.contains("/roles") {
        return each::<tm::guild::Role>(v);
    }
    if r.contains("/bans") {
        return each::<tm::guild::Ban>(v);
    }
    if r.contains("invites") {
        return each::<tm::guild::invite::Invite>(v);
    }
    if r == "/oauth2/applications/@me" {
        return de::<tm::oauth::Application>(v);
    }
    if r.starts_with("/channels") || r.ends_with("/channels") || r == "/users/@me/channels" {
        return each::<tm::channel::Channel>(v);
    }
    if r.ends_with("/audit-logs") {
        return de::<tm::guild::audit_log::AuditLog>(v);
    }
    if r == "/guilds/{guild_id}" {
        return de::<tm::guild::Guild>(v);
    }
    Err(format!("no twilight mapping for {r}"))
}

#[tokio::test]
async fn every_payload_deserializes_in_serenity_and_twilight() {
    let scenario::Session { sb, rec, g } = scenario::broad_session().await;

    // ---- frames built directly: gateway control ops and op 4 / op 8 answers
    let mut frames = sb.recorded_events(&rec);
    let (vs, chunk) = sb.with_state(|st| {
        let vs = chronix_sandbox::VoiceState {
            guild_id: g.id,
            user_id: st.bot_id,
            channel_id: Some(g.voice),
            session_id: "abc".into(),
            self_mute: false,
            self_deaf: true,
        };
        let members = st.guild_members(g.id);
        (
            payloads::voice_state(st, &vs),
            payloads::members_chunk(st, g.id, &members, Some("n1"), &[42]),
        )
    });
    frames.push(payloads::dispatch("VOICE_STATE_UPDATE", 9001, &vs).to_string());
    frames.push(
        payloads::dispatch(
            "VOICE_SERVER_UPDATE",
            9002,
            &payloads::voice_server_update(g.id, "127.0.0.1:1", "tok"),
        )
        .to_string(),
    );
    frames.push(payloads::dispatch("GUILD_MEMBERS_CHUNK", 9003, &chunk).to_string());
    frames.push(payloads::dispatch("RESUMED", 9004, &payloads::resumed()).to_string());
    let ready = sb.with_state(|st| payloads::ready(st, "sid", "ws://x", Some([0, 1])));
    frames.push(payloads::dispatch("READY", 1, &ready).to_string());
    let control = [
        payloads::hello(41250),
        payloads::heartbeat_ack(),
        payloads::heartbeat_request(3),
        payloads::invalid_session(true),
        payloads::reconnect(),
    ];

    let mut failures = Vec::new();
    let mut kinds = BTreeSet::new();
    for f in frames.iter().chain(
        control
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .iter(),
    ) {
        let v: Value = serde_json::from_str(f).unwrap();
        let kind = v["t"]
            .as_str()
            .map_or_else(|| format!("op{}", v["op"]), str::to_owned);
        kinds.insert(kind.clone());
        if let Err(e) = check_serenity_frame(f) {
            failures.push(format!("{kind}: {e}\n  {f}"));
        }
        if let Err(e) = check_twilight_frame(f) {
            failures.push(format!("{kind}: {e}\n  {f}"));
        }
    }
    let expected = [
        "READY",
        "GUILD_CREATE",
        "RESUMED",
        "MESSAGE_CREATE",
        "MESSAGE_UPDATE",
        "MESSAGE_DELETE",
        "MESSAGE_DELETE_BULK",
        "INTERACTION_CREATE",
        "GUILD_MEMBER_ADD",
        "GUILD_MEMBER_REMOVE",
        "GUILD_MEMBER_UPDATE",
        "GUILD_ROLE_CREATE",
        "GUILD_ROLE_UPDATE",
        "GUILD_ROLE_DELETE",
        "CHANNEL_CREATE",
        "CHANNEL_UPDATE",
        "CHANNEL_DELETE",
        "THREAD_CREATE",
        "VOICE_STATE_UPDATE",
        "VOICE_SERVER_UPDATE",
        "INVITE_CREATE",
        "INVITE_DELETE",
        "MESSAGE_REACTION_ADD",
        "MESSAGE_REACTION_REMOVE",
        "GUILD_BAN_ADD",
        "GUILD_BAN_REMOVE",
        "GUILD_MEMBERS_CHUNK",
        "TYPING_START",
        "CHANNEL_PINS_UPDATE",
        "op10",
        "op11",
        "op1",
        "op9",
        "op7",
    ];
    for e in expected {
        if !kinds.contains(e) {
            failures.push(format!("event kind {e} was never emitted"));
        }
    }
    // every REST response parses in twilight too
    for call in sb.rest_log() {
        if let Some(body) = &call.response {
            if let Err(e) = twilight_rest(&call.route, body) {
                failures.push(format!(
                    "REST {} {} ({}): {e}\n  {body}",
                    call.method, call.route, call.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} contract failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // audit-log reasons are recorded
    assert!(
        sb.rest_log()
            .iter()
            .any(|c| c.reason.as_deref() == Some("spam"))
    );
}
