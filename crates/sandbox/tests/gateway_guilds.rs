//! Guilds at session start, at the frame level: GUILD_CREATEs streamed after READY (a guild's
//! events never before its GUILD_CREATE), IDENTIFY's `large_threshold` (large guilds arrive
//! without their member list) and op 8 Request Guild Members answered in chunks of 1,000 with
//! the nonce.

use std::collections::HashSet;
use std::time::Duration;

use chronix_sandbox::{Sandbox, intents};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMsg;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("frame in time")
            .expect("open")
            .expect("frame");
        if let WsMsg::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

async fn send(ws: &mut Ws, v: Value) {
    ws.send(WsMsg::Text(v.to_string())).await.unwrap();
}

/// Connect and IDENTIFY with `extra` merged into `d`; returns the socket after READY.
async fn identify(sb: &Sandbox, intents: u64, extra: Value) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}?v=10", sb.gateway_url()))
        .await
        .unwrap();
    assert_eq!(next(&mut ws).await["op"], 10);
    let mut d = json!({"token": sb.token(), "intents": intents, "properties": {}});
    for (k, v) in extra.as_object().unwrap() {
        d[k] = v.clone();
    }
    send(&mut ws, json!({"op": 2, "d": d})).await;
    let ready = next(&mut ws).await;
    assert_eq!(
        (ready["t"].as_str(), ready["s"].as_u64()),
        (Some("READY"), Some(1))
    );
    ws
}

/// A guild with `extra` more members (besides the owner and the bot).
fn guild_with_members(
    sb: &Sandbox,
    name: &str,
    extra: usize,
) -> (chronix_sandbox::GuildSetup, Vec<u64>) {
    let g = sb.create_guild(name);
    let users: Vec<u64> = (0..extra)
        .map(|i| {
            let u = sb.create_user(&format!("{name}-user{i}"));
            sb.add_member(g.id, u);
            u
        })
        .collect();
    (g, users)
}

fn member_ids(members: &Value) -> HashSet<u64> {
    members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"]["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn guild_creates_stream_after_ready_and_hold_back_their_guilds_events() {
    let sb = Sandbox::start().await.unwrap();
    let alice = sb.create_user("alice");
    let guilds: Vec<_> = (0..40)
        .map(|i| {
            let g = sb.create_guild(&format!("g{i}"));
            sb.add_member(g.id, alice);
            g
        })
        .collect();
    let mut ws = identify(
        &sb,
        intents::GUILDS | intents::GUILD_MESSAGES | intents::MESSAGE_CONTENT,
        json!({}),
    )
    .await;
    // messages in every guild while the GUILD_CREATEs are still streaming (which ones arrive
    // before their guild's GUILD_CREATE was sent depends on timing; the order may not)
    for g in guilds.iter().rev() {
        sb.send_message(alice, g.general, &format!("hi {}", g.id));
    }
    let mut created = HashSet::new();
    let mut messages = 0;
    let mut seq = 1;
    while messages < guilds.len() {
        let f = next(&mut ws).await;
        seq += 1;
        assert_eq!(f["s"], seq, "sequence numbers stay contiguous");
        let gid: u64 = f["d"]["guild_id"]
            .as_str()
            .or(f["d"]["id"].as_str())
            .unwrap()
            .parse()
            .unwrap();
        match f["t"].as_str().unwrap() {
            "GUILD_CREATE" => assert!(created.insert(gid), "one GUILD_CREATE per guild"),
            "MESSAGE_CREATE" => {
                assert!(created.contains(&gid), "MESSAGE_CREATE before GUILD_CREATE");
                assert_eq!(f["d"]["content"], format!("hi {gid}"));
                messages += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created.len(), guilds.len());
}

#[tokio::test]
async fn large_guilds_arrive_without_their_member_list() {
    let sb = Sandbox::start().await.unwrap();
    // 60 + owner + bot = 62 members; 48 + 2 = 50 (not above the minimum threshold)
    let (big, users) = guild_with_members(&sb, "big", 60);
    let (small, _) = guild_with_members(&sb, "small", 48);
    sb.join_voice(users[7], big.id, big.voice);

    let guild_creates = |threshold: Value| {
        let sb = sb.clone();
        async move {
            let mut ws =
                identify(&sb, intents::GUILDS, json!({"large_threshold": threshold})).await;
            let mut out = std::collections::HashMap::new();
            for _ in 0..2 {
                let f = next(&mut ws).await;
                assert_eq!(f["t"], "GUILD_CREATE");
                out.insert(
                    f["d"]["id"].as_str().unwrap().parse::<u64>().unwrap(),
                    f["d"].clone(),
                );
            }
            out
        }
    };
    // default 50 (and values below 50 count as 50)
    for threshold in [Value::Null, json!(10), json!(50)] {
        let gc = guild_creates(threshold.clone()).await;
        let b = &gc[&big.id];
        assert_eq!(b["large"], true, "{threshold}");
        assert_eq!(b["member_count"], 62);
        // only the bot and the member in voice
        assert_eq!(
            member_ids(&b["members"]),
            HashSet::from([sb.bot_id(), users[7]])
        );
        assert_eq!(b["voice_states"].as_array().unwrap().len(), 1);
        let s = &gc[&small.id];
        assert_eq!(s["large"], false);
        assert_eq!(s["member_count"], 50);
        assert_eq!(s["members"].as_array().unwrap().len(), 50);
    }
    // serenity's default (250) and values above 250 (which count as 250) keep the list
    for threshold in [json!(250), json!(1000)] {
        let gc = guild_creates(threshold).await;
        assert_eq!(gc[&big.id]["large"], false);
        assert_eq!(gc[&big.id]["members"].as_array().unwrap().len(), 62);
    }
}

#[tokio::test]
async fn request_guild_members_answers_in_chunks_of_1000_with_the_nonce() {
    let sb = Sandbox::start().await.unwrap();
    let (g, users) = guild_with_members(&sb, "huge", 2098); // + owner + bot = 2,100
    let mut ws = identify(
        &sb,
        intents::GUILDS | intents::GUILD_MEMBERS | intents::GUILD_PRESENCES,
        json!({"large_threshold": 250}),
    )
    .await;
    let gc = next(&mut ws).await;
    assert_eq!(
        (gc["t"].as_str(), &gc["d"]["large"]),
        (Some("GUILD_CREATE"), &json!(true))
    );
    assert_eq!(gc["d"]["members"].as_array().unwrap().len(), 1);

    send(
        &mut ws,
        json!({"op": 8, "d": {"guild_id": g.id.to_string(), "query": "", "limit": 0,
            "presences": true, "nonce": "all-1"}}),
    )
    .await;
    let mut seen = HashSet::new();
    for i in 0..3 {
        let f = next(&mut ws).await;
        assert_eq!(f["t"], "GUILD_MEMBERS_CHUNK");
        let d = &f["d"];
        assert_eq!(d["guild_id"], g.id.to_string());
        assert_eq!(
            (d["chunk_index"].as_u64(), d["chunk_count"].as_u64()),
            (Some(i), Some(3))
        );
        assert_eq!(d["nonce"], "all-1");
        assert_eq!(d["presences"], json!([]));
        let n = d["members"].as_array().unwrap().len();
        assert_eq!(n, if i < 2 { 1000 } else { 100 });
        seen.extend(member_ids(&d["members"]));
    }
    assert_eq!(seen.len(), 2100);
    assert!(seen.contains(&g.owner_id) && seen.contains(&sb.bot_id()));

    // by id: one chunk, unknown ids in not_found
    send(
        &mut ws,
        json!({"op": 8, "d": {"guild_id": g.id.to_string(),
            "user_ids": [users[0].to_string(), "42"], "nonce": "ids-2"}}),
    )
    .await;
    let f = next(&mut ws).await;
    let d = &f["d"];
    assert_eq!(
        (d["chunk_index"].as_u64(), d["chunk_count"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(d["nonce"], "ids-2");
    assert_eq!(member_ids(&d["members"]), HashSet::from([users[0]]));
    assert_eq!(d["not_found"], json!(["42"]));
    assert!(d.get("presences").is_none());

    // without the GUILD_PRESENCES intent, `presences: true` is ignored
    let mut plain = identify(
        &sb,
        intents::GUILDS | intents::GUILD_MEMBERS,
        json!({"large_threshold": 250}),
    )
    .await;
    assert_eq!(next(&mut plain).await["t"], "GUILD_CREATE");
    send(
        &mut plain,
        json!({"op": 8, "d": {"guild_id": g.id.to_string(), "user_ids": [users[1].to_string()],
            "presences": true}}),
    )
    .await;
    let f = next(&mut plain).await;
    assert_eq!(f["t"], "GUILD_MEMBERS_CHUNK");
    assert!(f["d"].get("presences").is_none());

    // a query nobody matches: still one (empty) chunk
    send(
        &mut ws,
        json!({"op": 8, "d": {"guild_id": g.id.to_string(), "query": "zzz", "limit": 10}}),
    )
    .await;
    let f = next(&mut ws).await;
    assert_eq!(f["d"]["members"], json!([]));
    assert_eq!(f["d"]["chunk_count"], 1);
    assert!(f["d"].get("nonce").is_none());
}
