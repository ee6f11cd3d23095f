//! The gateway websocket: HELLO → IDENTIFY → READY → GUILD_CREATE… (streamed after READY,
//! honouring `large_threshold`), heartbeats, RESUME with replay by sequence, op 4 voice state
//! updates and op 8 member requests (chunks of 1,000 with the nonce).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use axum::extract::State as AxState;
use axum::extract::ws::{CloseFrame, Message as WsMsg, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::hub::{Gate, Inner, Out, Session, intents};
use crate::payloads;
use crate::state::{Id, VoiceState};

pub(crate) async fn ws_handler(
    ws: WebSocketUpgrade,
    AxState(inner): AxState<Arc<Inner>>,
) -> Response {
    ws.on_upgrade(move |socket| run(socket, inner))
}

fn parse_id(v: &Value) -> Option<Id> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

async fn run(socket: WebSocket, inner: Arc<Inner>) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Out>();
    let conn_id = inner.conn_id();
    let mut session_id: Option<String> = None;
    let hello = payloads::hello(inner.config.heartbeat_interval.as_millis() as u64).to_string();
    if sink.send(WsMsg::Text(hello.into())).await.is_err() {
        return;
    }
    // Discord: at most 120 client frames per 60 s per connection, else close 4008.
    let mut sent: VecDeque<std::time::Instant> = VecDeque::new();
    loop {
        tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(WsMsg::Text(t))) => {
                    let now = std::time::Instant::now();
                    sent.push_back(now);
                    while sent.front().is_some_and(|t| now.duration_since(*t) > std::time::Duration::from_secs(60)) {
                        sent.pop_front();
                    }
                    if sent.len() > 120 {
                        let _ = sink.send(WsMsg::Close(Some(CloseFrame { code: 4008, reason: "Rate limited.".into() }))).await;
                        break;
                    }
                    if let Err(code) = handle_op(&inner, &tx, conn_id, &mut session_id, t.as_str()) {
                        let _ = sink.send(WsMsg::Close(Some(CloseFrame { code, reason: "".into() }))).await;
                        break;
                    }
                }
                Some(Ok(WsMsg::Close(frame))) => {
                    // A client closing with 1000/1001 ends its session (not resumable).
                    if let (Some(f), Some(sid)) = (&frame, &session_id) {
                        if f.code == 1000 || f.code == 1001 {
                            inner.sessions.lock().remove(sid);
                        }
                    }
                    // Answer the closing handshake as Discord does (clients wait for it): the
                    // websocket queued the reply on receipt; closing the sink flushes it.
                    let _ = sink.close().await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            out = rx.recv() => match out {
                Some(Out::Frame(f)) => {
                    if sink.send(WsMsg::Text(f.into())).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code)) => {
                    let _ = sink.send(WsMsg::Close(Some(CloseFrame { code, reason: "sandbox".into() }))).await;
                    break;
                }
                Some(Out::Drop) | None => break,
            }
        }
    }
    if let Some(sid) = session_id {
        let mut sessions = inner.sessions.lock();
        if let Some(s) = sessions.get_mut(&sid) {
            if s.conn.as_ref().is_some_and(|(c, _)| *c == conn_id) {
                s.conn = None;
            }
        }
    }
    inner.bump();
}

fn token_ok(inner: &Inner, v: &Value) -> bool {
    let t = v.as_str().unwrap_or("");
    t.strip_prefix("Bot ").unwrap_or(t) == inner.token
}

/// Handle one client frame. `Err(code)` closes the connection with that close code.
fn handle_op(
    inner: &Arc<Inner>,
    tx: &mpsc::UnboundedSender<Out>,
    conn_id: u64,
    session_id: &mut Option<String>,
    text: &str,
) -> Result<(), u16> {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return Err(4002);
    };
    let op = v["op"].as_u64().ok_or(4002u16)?;
    let d = &v["d"];
    match op {
        1 => {
            let _ = tx.send(Out::Frame(payloads::heartbeat_ack().to_string()));
        }
        2 => {
            if session_id.is_some() {
                return Err(4005);
            }
            if !token_ok(inner, &d["token"]) {
                return Err(4004);
            }
            let Some(intents) = d["intents"].as_u64() else {
                return Err(4013);
            };
            let privileged =
                intents::GUILD_MEMBERS | intents::GUILD_PRESENCES | intents::MESSAGE_CONTENT;
            if intents & privileged & !inner.config.privileged_intents != 0 {
                return Err(4014);
            }
            let shard = d["shard"]
                .as_array()
                .and_then(|a| Some([a.first()?.as_u64()?, a.get(1)?.as_u64()?]));
            if let Some([i, n]) = shard {
                if n == 0 || i >= n {
                    return Err(4010);
                }
            }
            let sid = format!("{:032x}", rand::random::<u128>());
            let state = inner.state.lock();
            // GUILD_CREATEs are streamed after READY by a task (see `stream_guilds`)
            let pending: BTreeMap<Id, Vec<(String, Value)>> = if intents & intents::GUILDS != 0 {
                state
                    .guilds
                    .keys()
                    .filter(|g| shard.is_none_or(|[i, n]| (**g >> 22) % n == i))
                    .map(|g| (*g, Vec::new()))
                    .collect()
            } else {
                BTreeMap::new()
            };
            let streaming = !pending.is_empty();
            let mut session = Session {
                intents,
                seq: 0,
                shard,
                buffer: VecDeque::new(),
                conn: Some((conn_id, tx.clone())),
                ready: true,
                large_threshold: d["large_threshold"].as_u64().unwrap_or(50).clamp(50, 250),
                pending,
            };
            let ready = payloads::ready(&state, &sid, &inner.gateway_url(), shard);
            Inner::send_to(&mut session, "READY", &ready, inner.config.replay_buffer);
            inner.sessions.lock().insert(sid.clone(), session);
            drop(state);
            inner
                .identifies
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if streaming {
                tokio::spawn(stream_guilds(inner.clone(), sid.clone()));
            }
            *session_id = Some(sid);
            inner.bump();
        }
        6 => {
            if !token_ok(inner, &d["token"]) {
                return Err(4004);
            }
            let sid = d["session_id"].as_str().unwrap_or("").to_owned();
            let last = d["seq"].as_u64().unwrap_or(0);
            let mut sessions = inner.sessions.lock();
            let Some(s) = sessions.get_mut(&sid) else {
                let _ = tx.send(Out::Frame(payloads::invalid_session(false).to_string()));
                return Ok(());
            };
            let earliest = s.buffer.front().map_or(s.seq + 1, |(n, _)| *n);
            if last > s.seq || (last + 1 < earliest && s.seq > last) {
                drop(sessions);
                let _ = tx.send(Out::Frame(payloads::invalid_session(false).to_string()));
                return Ok(());
            }
            if let Some((_, old)) = s.conn.take() {
                let _ = old.send(Out::Drop);
            }
            for (n, frame) in &s.buffer {
                if *n > last {
                    let _ = tx.send(Out::Frame(frame.clone()));
                }
            }
            s.conn = Some((conn_id, tx.clone()));
            Inner::send_to(
                s,
                "RESUMED",
                &payloads::resumed(),
                inner.config.replay_buffer,
            );
            drop(sessions);
            inner
                .resumes
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            *session_id = Some(sid);
            inner.bump();
        }
        3 => {}
        4 => {
            if session_id.is_none() {
                return Err(4003);
            }
            voice_update(inner, d);
        }
        8 => {
            let Some(sid) = session_id.clone() else {
                return Err(4003);
            };
            request_members(inner, &sid, d);
        }
        _ => return Err(4001),
    }
    Ok(())
}

/// Send a new session's GUILD_CREATEs one by one after READY (as Discord streams them, instead
/// of building them all before READY leaves), each followed by the events held back for its
/// guild meanwhile.
async fn stream_guilds(inner: Arc<Inner>, sid: String) {
    let cap = inner.config.replay_buffer;
    loop {
        {
            let state = inner.state.lock();
            let mut sessions = inner.sessions.lock();
            let Some(s) = sessions.get_mut(&sid) else {
                return;
            };
            let Some(gid) = s.pending.keys().next().copied() else {
                return;
            };
            let held = s.pending.remove(&gid).unwrap_or_default();
            if let Some(g) = state.guilds.get(&gid) {
                let gc = payloads::guild_create_for(&state, g, s.large_threshold);
                Inner::send_to(s, "GUILD_CREATE", &gc, cap);
            }
            for (event, data) in held {
                Inner::send_to(s, &event, &data, cap);
            }
        }
        inner.bump();
        tokio::task::yield_now().await;
    }
}

/// Op 4: the bot joins/leaves/moves in voice → VOICE_STATE_UPDATE (+ VOICE_SERVER_UPDATE).
fn voice_update(inner: &Arc<Inner>, d: &Value) {
    let Some(guild_id) = parse_id(&d["guild_id"]) else {
        return;
    };
    let channel_id = parse_id(&d["channel_id"]);
    let (vs_json, gid) = {
        let mut state = inner.state.lock();
        let bot = state.bot_id;
        let vs = VoiceState {
            guild_id,
            user_id: bot,
            channel_id,
            session_id: format!("{:032x}", rand::random::<u128>()),
            self_mute: d["self_mute"].as_bool().unwrap_or(false),
            self_deaf: d["self_deaf"].as_bool().unwrap_or(false),
        };
        let j = payloads::voice_state(&state, &vs);
        if channel_id.is_some() {
            state.voice_states.insert((guild_id, bot), vs);
        } else {
            state.voice_states.remove(&(guild_id, bot));
        }
        (j, guild_id)
    };
    let gate = Gate {
        intent: Some(intents::GUILD_VOICE_STATES),
        guild_id: Some(gid),
        content_gated: false,
    };
    inner.dispatch("VOICE_STATE_UPDATE", &vs_json, gate);
    if channel_id.is_some() {
        let token = format!("{:016x}", rand::random::<u64>());
        let host = inner.base_url.trim_start_matches("http://").to_owned();
        let server = payloads::voice_server_update(gid, &host, &token);
        inner.dispatch(
            "VOICE_SERVER_UPDATE",
            &server,
            Gate {
                intent: None,
                guild_id: Some(gid),
                content_gated: false,
            },
        );
    }
}

/// Members per GUILD_MEMBERS_CHUNK (Discord's chunk size).
const MEMBERS_PER_CHUNK: usize = 1000;

/// Op 8: answer with GUILD_MEMBERS_CHUNKs (to the requesting session only).
fn request_members(inner: &Arc<Inner>, sid: &str, d: &Value) {
    let guilds: Vec<Id> = match &d["guild_id"] {
        Value::Array(a) => a.iter().filter_map(parse_id).collect(),
        other => parse_id(other).into_iter().collect(),
    };
    let query = d["query"].as_str().unwrap_or("").to_lowercase();
    let limit = d["limit"].as_u64().unwrap_or(0) as usize;
    let user_ids: Option<Vec<Id>> = match &d["user_ids"] {
        Value::Array(a) => Some(a.iter().filter_map(parse_id).collect()),
        Value::Null => None,
        other => parse_id(other).map(|x| vec![x]),
    };
    let nonce = d["nonce"].as_str().map(str::to_owned);
    let presences = d["presences"].as_bool().unwrap_or(false);
    let state = inner.state.lock();
    let mut sessions = inner.sessions.lock();
    let Some(s) = sessions.get_mut(sid) else {
        return;
    };
    // "GUILD_PRESENCES intent is required to set presences = true. Otherwise, it will always be
    // false" (Discord's docs)
    let presences = presences && s.intents & intents::GUILD_PRESENCES != 0;
    for gid in guilds {
        let members = state.guild_members(gid);
        let (chosen, not_found): (Vec<_>, Vec<Id>) = match &user_ids {
            Some(ids) => (
                members
                    .iter()
                    .copied()
                    .filter(|m| ids.contains(&m.user_id))
                    .collect(),
                ids.iter()
                    .copied()
                    .filter(|u| !members.iter().any(|m| m.user_id == *u))
                    .collect(),
            ),
            None => {
                let mut v: Vec<_> = members
                    .iter()
                    .copied()
                    .filter(|m| {
                        query.is_empty()
                            || state
                                .users
                                .get(&m.user_id)
                                .is_some_and(|u| u.name.to_lowercase().starts_with(&query))
                            || m.nick
                                .as_ref()
                                .is_some_and(|n| n.to_lowercase().starts_with(&query))
                    })
                    .collect();
                if limit > 0 {
                    v.truncate(limit);
                }
                (v, vec![])
            }
        };
        // Discord sends at most 1,000 members per chunk, each chunk with its index, the count
        // and the request's nonce; ids that are not members come in the first chunk
        let chunks: Vec<&[&crate::state::Member]> = if chosen.is_empty() {
            vec![&[]]
        } else {
            chosen.chunks(MEMBERS_PER_CHUNK).collect()
        };
        let count = chunks.len();
        for (i, members) in chunks.into_iter().enumerate() {
            let not_found: &[Id] = if i == 0 { &not_found } else { &[] };
            let mut chunk =
                payloads::members_chunk(&state, gid, members, nonce.as_deref(), not_found);
            chunk["chunk_index"] = json!(i);
            chunk["chunk_count"] = json!(count);
            if presences {
                chunk["presences"] = json!([]);
            }
            Inner::send_to(s, "GUILD_MEMBERS_CHUNK", &chunk, inner.config.replay_buffer);
        }
    }
    drop(sessions);
    drop(state);
    inner.bump();
}
