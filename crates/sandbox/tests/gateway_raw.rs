//! The gateway at the frame level: identify errors, intents, op 1/4/8, RESUME replay by sequence.

use std::time::Duration;

use chronix_sandbox::{Sandbox, intents};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMsg;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(sb: &Sandbox) -> Ws {
    let url = format!("{}?v=10", sb.gateway_url());
    let (ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    ws
}

/// Next JSON frame, or `Err(close code)`.
async fn next(ws: &mut Ws) -> Result<Value, u16> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("frame in time");
        match msg {
            Some(Ok(WsMsg::Text(t))) => return Ok(serde_json::from_str(&t).unwrap()),
            Some(Ok(WsMsg::Close(f))) => return Err(f.map_or(0, |f| f.code.into())),
            Some(Ok(_)) => {}
            _ => return Err(0),
        }
    }
}

async fn next_event(ws: &mut Ws, name: &str) -> Value {
    loop {
        let f = next(ws)
            .await
            .unwrap_or_else(|c| panic!("closed {c} while waiting for {name}"));
        if f["t"] == name {
            return f;
        }
    }
}

async fn send(ws: &mut Ws, v: Value) {
    ws.send(WsMsg::Text(v.to_string())).await.unwrap();
}

async fn identify(sb: &Sandbox, ws: &mut Ws, intents: u64) -> (String, u64) {
    let hello = next(ws).await.unwrap();
    assert_eq!(hello["op"], 10);
    assert!(hello["d"]["heartbeat_interval"].as_u64().unwrap() > 0);
    send(
        ws,
        json!({"op": 2, "d": {"token": sb.token(), "intents": intents, "properties": {}}}),
    )
    .await;
    let ready = next(ws).await.unwrap();
    assert_eq!(ready["t"], "READY");
    assert_eq!(ready["s"], 1);
    (ready["d"]["session_id"].as_str().unwrap().to_owned(), 1)
}

#[tokio::test]
async fn wrong_token_closes_with_4004() {
    let sb = Sandbox::start().await.unwrap();
    let mut ws = connect(&sb).await;
    next(&mut ws).await.unwrap();
    send(
        &mut ws,
        json!({"op": 2, "d": {"token": "nope", "intents": 0, "properties": {}}}),
    )
    .await;
    assert_eq!(next(&mut ws).await, Err(4004));
}

#[tokio::test]
async fn message_content_intent_voice_and_member_chunks() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Raw");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let mut ws = connect(&sb).await;
    let no_content = intents::GUILDS
        | intents::GUILD_MESSAGES
        | intents::DIRECT_MESSAGES
        | intents::GUILD_VOICE_STATES;
    identify(&sb, &mut ws, no_content).await;
    let gc = next_event(&mut ws, "GUILD_CREATE").await;
    assert_eq!(gc["d"]["id"], g.id.to_string());
    assert_eq!(gc["s"], 2);

    // heartbeat → ack
    send(&mut ws, json!({"op": 1, "d": 2})).await;
    assert_eq!(next(&mut ws).await.unwrap()["op"], 11);

    // without MESSAGE_CONTENT: blank unless the bot is mentioned or in DMs
    sb.send_message(alice, g.general, "secret words");
    assert_eq!(
        next_event(&mut ws, "MESSAGE_CREATE").await["d"]["content"],
        ""
    );
    let mention = format!("<@{}> hello", sb.bot_id());
    sb.send_message(alice, g.general, &mention);
    assert_eq!(
        next_event(&mut ws, "MESSAGE_CREATE").await["d"]["content"],
        mention
    );
    sb.send_dm(alice, "dm text");
    assert_eq!(
        next_event(&mut ws, "MESSAGE_CREATE").await["d"]["content"],
        "dm text"
    );

    // op 4 → VOICE_STATE_UPDATE + VOICE_SERVER_UPDATE
    send(&mut ws, json!({"op": 4, "d": {"guild_id": g.id.to_string(), "channel_id": g.voice.to_string(), "self_mute": false, "self_deaf": true}})).await;
    let vs = next_event(&mut ws, "VOICE_STATE_UPDATE").await;
    assert_eq!(vs["d"]["channel_id"], g.voice.to_string());
    assert_eq!(vs["d"]["user_id"], sb.bot_id().to_string());
    let server = next_event(&mut ws, "VOICE_SERVER_UPDATE").await;
    assert_eq!(server["d"]["guild_id"], g.id.to_string());
    assert!(server["d"]["token"].as_str().is_some());
    assert!(sb.with_state(|s| s.voice_states.contains_key(&(g.id, sb.bot_id()))));

    // op 8 → GUILD_MEMBERS_CHUNK
    send(&mut ws, json!({"op": 8, "d": {"guild_id": g.id.to_string(), "query": "", "limit": 0, "nonce": "n1"}})).await;
    let chunk = next_event(&mut ws, "GUILD_MEMBERS_CHUNK").await;
    assert_eq!(chunk["d"]["members"].as_array().unwrap().len(), 3); // owner, bot, alice
    assert_eq!(chunk["d"]["nonce"], "n1");
    send(&mut ws, json!({"op": 8, "d": {"guild_id": g.id.to_string(), "user_ids": [alice.to_string(), "42"]}})).await;
    let chunk = next_event(&mut ws, "GUILD_MEMBERS_CHUNK").await;
    assert_eq!(chunk["d"]["members"].as_array().unwrap().len(), 1);
    assert_eq!(chunk["d"]["not_found"], json!(["42"]));
}

#[tokio::test]
async fn resume_replays_missed_events_in_sequence() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Resume");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let mut ws = connect(&sb).await;
    let (sid, _) = identify(&sb, &mut ws, (1 << 17) - 1).await;
    let gc = next_event(&mut ws, "GUILD_CREATE").await;
    let last_seen = gc["s"].as_u64().unwrap();
    drop(ws);
    sb.wait_until(Duration::from_secs(2), "disconnect", |_| true)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(sb.connected_sessions(), 0);

    let m1 = sb.send_message(alice, g.general, "one");
    let m2 = sb.send_message(alice, g.general, "two");

    let mut ws = connect(&sb).await;
    next(&mut ws).await.unwrap(); // HELLO
    send(
        &mut ws,
        json!({"op": 6, "d": {"token": sb.token(), "session_id": sid, "seq": last_seen}}),
    )
    .await;
    let a = next(&mut ws).await.unwrap();
    let b = next(&mut ws).await.unwrap();
    let resumed = next(&mut ws).await.unwrap();
    assert_eq!(
        (a["t"].as_str(), a["s"].as_u64()),
        (Some("MESSAGE_CREATE"), Some(last_seen + 1))
    );
    assert_eq!(a["d"]["id"], m1.to_string());
    assert_eq!(
        (b["s"].as_u64(), b["d"]["id"].as_str()),
        (Some(last_seen + 2), Some(m2.to_string().as_str()))
    );
    assert_eq!(resumed["t"], "RESUMED");
    assert_eq!(sb.resume_count(), 1);

    // unknown session → op 9 (not resumable)
    let mut ws2 = connect(&sb).await;
    next(&mut ws2).await.unwrap();
    send(
        &mut ws2,
        json!({"op": 6, "d": {"token": sb.token(), "session_id": "nope", "seq": 1}}),
    )
    .await;
    let inv = next(&mut ws2).await.unwrap();
    assert_eq!(
        (inv["op"].as_u64(), inv["d"].as_bool()),
        (Some(9), Some(false))
    );
}

#[tokio::test]
async fn disallowed_privileged_intent_closes_with_4014() {
    let sb = Sandbox::start_with(chronix_sandbox::SandboxConfig {
        privileged_intents: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut ws = connect(&sb).await;
    next(&mut ws).await.unwrap();
    send(&mut ws, json!({"op": 2, "d": {"token": sb.token(), "intents": intents::MESSAGE_CONTENT, "properties": {}}})).await;
    assert_eq!(next(&mut ws).await, Err(4014));
}

/// A client that closes with 1000 gets the closing handshake answered (serenity waits for it
/// at shutdown) and its session ends.
#[tokio::test]
async fn client_close_is_answered() {
    let sb = Sandbox::start().await.unwrap();
    sb.create_guild("G");
    let mut ws = connect(&sb).await;
    let _ = identify(&sb, &mut ws, intents::GUILDS).await;
    ws.close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
        code: 1000.into(),
        reason: "".into(),
    }))
    .await
    .unwrap();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("an answer in time");
        match msg {
            Some(Ok(WsMsg::Close(f))) => {
                assert_eq!(f.map(|f| u16::from(f.code)), Some(1000));
                break;
            }
            Some(Ok(_)) => {}
            other => panic!("expected the close frame back, got {other:?}"),
        }
    }
}
