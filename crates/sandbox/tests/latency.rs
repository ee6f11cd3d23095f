//! Small frames are not held back by Nagle's algorithm: every accepted socket (REST and gateway)
//! has TCP_NODELAY, so back-to-back small responses and gateway frames do not wait ~40 ms for the
//! peer's delayed ACK.
//!
//! Measured by counts, not by tight totals, so a loaded machine does not make these tests flaky:
//! each round trip is timed, and fewer than half may take 35 ms or more (with a Nagle stall
//! nearly every one does). The gateway test is the one that catches a missing TCP_NODELAY on
//! Linux loopback (without it every round trip took ~44 ms); the REST tests guard the
//! request/response paths (hyper writes a small response in one segment, so they pass either way
//! today).

use std::time::{Duration, Instant};

use chronix_sandbox::{Sandbox, intents};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMsg;

const ROUND_TRIPS: u32 = 200;
/// Fewer on the gateway: Discord (and the sandbox) close a connection past 120 client frames a minute.
const GATEWAY_TRIPS: u32 = 100;

/// A round trip this slow looks like a delayed-ACK stall (Linux's minimum delayed ACK is 40 ms).
const STALL: Duration = Duration::from_millis(35);

/// Fewer than half of the round trips may look stalled.
fn assert_few_stalls(what: &str, times: &[Duration]) {
    let stalled = times.iter().filter(|t| **t >= STALL).count();
    assert!(
        stalled * 2 < times.len(),
        "{what}: {stalled} of {} round trips took {STALL:?} or more",
        times.len()
    );
}

/// One HTTP/1.1 keep-alive connection that writes each request in a single `write` (so the
/// client side cannot cause a Nagle stall) and reads exactly one response.
struct Conn {
    tcp: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(sb: &Sandbox) -> Conn {
        let addr = sb.base_url().trim_start_matches("http://").to_owned();
        let tcp = TcpStream::connect(addr).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        Conn {
            tcp,
            buf: Vec::new(),
        }
    }

    /// Send `GET path` and return (status, body).
    async fn get(&mut self, path: &str, token: &str) -> (u16, Value) {
        let req =
            format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bot {token}\r\n\r\n");
        self.tcp.write_all(req.as_bytes()).await.unwrap();
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).to_string();
                let status: u16 = head[9..12].parse().unwrap();
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .expect("content-length");
                if self.buf.len() >= end + 4 + len {
                    let body: Vec<u8> = self.buf.drain(..end + 4 + len).skip(end + 4).collect();
                    return (status, serde_json::from_slice(&body).unwrap());
                }
            }
            let mut chunk = [0u8; 8192];
            let n = self.tcp.read(&mut chunk).await.unwrap();
            assert!(n > 0, "server closed the keep-alive connection");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn sequential_rest_round_trips_on_one_connection_do_not_stall() {
    let sb = Sandbox::start().await.unwrap();
    let mut conn = Conn::open(&sb).await;
    // warm up (first-request costs are not what is measured)
    assert_eq!(conn.get("/api/v10/users/@me", sb.token()).await.0, 200);
    let mut times = Vec::new();
    for _ in 0..ROUND_TRIPS {
        let start = Instant::now();
        let (status, body) = conn.get("/api/v10/users/@me", sb.token()).await;
        times.push(start.elapsed());
        assert_eq!(status, 200);
        assert_eq!(body["id"], sb.bot_id().to_string());
    }
    assert_few_stalls("sequential REST", &times);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_rest_connections_do_not_stall() {
    let sb = Sandbox::start().await.unwrap();
    let per_conn = ROUND_TRIPS / 16 + 1;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let sb = sb.clone();
            tokio::spawn(async move {
                let mut conn = Conn::open(&sb).await;
                let mut times = Vec::new();
                for _ in 0..per_conn {
                    let start = Instant::now();
                    assert_eq!(conn.get("/api/v10/gateway/bot", sb.token()).await.0, 200);
                    times.push(start.elapsed());
                }
                times
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    assert_eq!(times.len(), 16 * per_conn as usize);
    assert_few_stalls("16 concurrent REST connections", &times);
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_frame(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("frame in time")
            .expect("open")
            .expect("frame");
        if let WsMsg::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

#[tokio::test]
async fn back_to_back_gateway_dispatches_do_not_stall() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Latency");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}?v=10", sb.gateway_url()))
        .await
        .unwrap();
    if let tokio_tungstenite::MaybeTlsStream::Plain(tcp) = ws.get_ref() {
        tcp.set_nodelay(true).unwrap();
    }
    assert_eq!(next_frame(&mut ws).await["op"], 10);
    let identify = json!({"op": 2, "d": {"token": sb.token(),
        "intents": intents::GUILDS | intents::GUILD_MESSAGES | intents::MESSAGE_CONTENT,
        "properties": {}}});
    ws.send(WsMsg::Text(identify.to_string())).await.unwrap();
    while next_frame(&mut ws).await["t"] != "GUILD_CREATE" {}

    // A heartbeat and its ACK, then a dispatch: the dispatch follows the ACK frame while the
    // client (which just sent data, so it delays its ACKs) has not acknowledged it yet. With
    // Nagle on, the dispatch waits for that delayed ACK.
    let mut times = Vec::new();
    for i in 0..GATEWAY_TRIPS {
        let start = Instant::now();
        ws.send(WsMsg::Text(json!({"op": 1, "d": i}).to_string()))
            .await
            .unwrap();
        while next_frame(&mut ws).await["op"] != 11 {}
        sb.send_message(alice, g.general, &format!("m{i}"));
        let f = loop {
            let f = next_frame(&mut ws).await;
            if f["t"] == "MESSAGE_CREATE" {
                break f;
            }
        };
        times.push(start.elapsed());
        assert_eq!(f["d"]["content"], format!("m{i}"));
    }
    assert_few_stalls("gateway heartbeat + dispatch", &times);
}
