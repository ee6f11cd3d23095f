//! The shared core: state, gateway sessions and event dispatch, the REST log, faults and the
//! feed of everything the bot did (which the driver's `wait_for_*` methods read).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::payloads;
use crate::state::{Id, Message, State};

/// Gateway intent bits.
#[allow(missing_docs)]
pub mod intents {
    pub const GUILDS: u64 = 1 << 0;
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    pub const GUILD_MODERATION: u64 = 1 << 2;
    pub const GUILD_EXPRESSIONS: u64 = 1 << 3;
    pub const GUILD_INTEGRATIONS: u64 = 1 << 4;
    pub const GUILD_WEBHOOKS: u64 = 1 << 5;
    pub const GUILD_INVITES: u64 = 1 << 6;
    pub const GUILD_VOICE_STATES: u64 = 1 << 7;
    pub const GUILD_PRESENCES: u64 = 1 << 8;
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    pub const GUILD_MESSAGE_REACTIONS: u64 = 1 << 10;
    pub const GUILD_MESSAGE_TYPING: u64 = 1 << 11;
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    pub const DIRECT_MESSAGE_REACTIONS: u64 = 1 << 13;
    pub const DIRECT_MESSAGE_TYPING: u64 = 1 << 14;
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
    pub const GUILD_SCHEDULED_EVENTS: u64 = 1 << 16;
}

/// Tuning knobs of a sandbox.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Heartbeat interval announced in HELLO.
    pub heartbeat_interval: Duration,
    /// Window for the initial interaction response (Discord: 3 s).
    pub interaction_ack_timeout: Duration,
    /// Lifetime of interaction tokens for follow-ups and `@original` (Discord: 15 min).
    pub interaction_token_ttl: Duration,
    /// The bot's username.
    pub bot_name: String,
    /// How many events a session keeps for RESUME replay.
    pub replay_buffer: usize,
    /// Privileged intents the application is allowed to use (GUILD_MEMBERS, GUILD_PRESENCES,
    /// MESSAGE_CONTENT by default); asking for others closes the gateway with 4014 like Discord.
    pub privileged_intents: u64,
    /// Enforce Discord's rate limits (5 messages / 5 s per channel, 50 requests / s global;
    /// interaction callbacks exempt) with 429 + `retry-after`. Off by default.
    pub rate_limits: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval: Duration::from_millis(41_250),
            interaction_ack_timeout: Duration::from_secs(3),
            interaction_token_ttl: Duration::from_secs(15 * 60),
            bot_name: "Chronix".into(),
            replay_buffer: 10_000,
            privileged_intents: intents::GUILD_MEMBERS
                | intents::GUILD_PRESENCES
                | intents::MESSAGE_CONTENT,
            rate_limits: false,
        }
    }
}

/// What the gateway connection task should do.
#[derive(Debug)]
pub(crate) enum Out {
    /// Send this text frame.
    Frame(String),
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code, then end.
    Close(u16),
}

/// A gateway session (survives disconnects so it can be resumed).
#[derive(Debug)]
pub(crate) struct Session {
    pub intents: u64,
    pub seq: u64,
    pub shard: Option<[u64; 2]>,
    pub buffer: VecDeque<(u64, String)>,
    pub conn: Option<(u64, mpsc::UnboundedSender<Out>)>,
    /// Whether the GUILD_CREATEs after READY were sent.
    pub ready: bool,
    /// IDENTIFY's `large_threshold` (50–250, default 50): guilds with more members arrive in
    /// GUILD_CREATE without their member list (request them with op 8).
    pub large_threshold: u64,
    /// Guilds whose GUILD_CREATE is still to be streamed after READY, each with the events for
    /// it held back until it is sent (Discord sends a guild's GUILD_CREATE before its events).
    pub pending: BTreeMap<Id, Vec<(String, Value)>>,
}

/// Who may receive a dispatch.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Gate {
    /// Intent required (any of these bits), `None` = always delivered.
    pub intent: Option<u64>,
    /// Guild the event belongs to (for shard routing).
    pub guild_id: Option<Id>,
    /// Strip message content fields unless the session has MESSAGE_CONTENT.
    pub content_gated: bool,
}

/// One REST call the bot made.
#[derive(Clone, Debug, PartialEq)]
pub struct RestCall {
    /// HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// Route template, e.g. `/channels/{channel_id}/messages`.
    pub route: String,
    /// Concrete path after `/api/v10`, e.g. `/channels/42/messages`.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// JSON body (for multipart requests: the `payload_json` part).
    pub body: Option<Value>,
    /// Names of uploaded files (multipart).
    pub files: Vec<String>,
    /// `X-Audit-Log-Reason` header (percent-decoded).
    pub reason: Option<String>,
    /// Response status.
    pub status: u16,
    /// Response body, if JSON.
    pub response: Option<Value>,
}

/// A fault to inject into REST responses.
#[derive(Clone, Debug)]
pub struct RestFault {
    /// Only calls with this method (`None` = any).
    pub method: Option<String>,
    /// Only calls whose route template or path contains this (`None` = any).
    pub route_contains: Option<String>,
    /// What happens.
    pub kind: FaultKind,
    /// How many calls it affects.
    pub times: usize,
}

/// Kinds of REST faults.
#[derive(Clone, Debug)]
pub enum FaultKind {
    /// Answer with this status (e.g. 500, 502, 503) and a Discord-like body.
    Status(u16),
    /// Answer 429 with `retry-after` header and JSON body.
    RateLimit {
        /// Seconds to wait.
        retry_after: f64,
        /// Global rate limit flag.
        global: bool,
    },
    /// Sleep before processing normally.
    Delay(Duration),
}

impl RestFault {
    /// A fault for `times` calls matching `route_contains` (any method).
    pub fn new(route_contains: Option<&str>, kind: FaultKind, times: usize) -> Self {
        Self {
            method: None,
            route_contains: route_contains.map(str::to_owned),
            kind,
            times,
        }
    }
}

/// What happened to a message, as seen in the feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedKind {
    /// Created by the bot (REST create, interaction response, follow-up).
    Created,
    /// Edited by the bot.
    Edited,
    /// Deleted by the bot.
    Deleted,
}

/// An entry of the bot's activity feed.
#[derive(Clone, Debug)]
pub struct FeedItem {
    /// What happened.
    pub kind: FeedKind,
    /// The message after the change (before, for deletes).
    pub message: Message,
}

pub(crate) struct Inner {
    pub state: Mutex<State>,
    pub sessions: Mutex<HashMap<String, Session>>,
    pub log: Mutex<Vec<RestCall>>,
    pub faults: Mutex<Vec<RestFault>>,
    pub feed: Mutex<Vec<FeedItem>>,
    pub cursors: Mutex<HashMap<(u8, Id), usize>>,
    pub buckets: Mutex<HashMap<String, VecDeque<std::time::Instant>>>,
    pub changed: watch::Sender<u64>,
    pub config: SandboxConfig,
    pub base_url: String,
    pub token: String,
    last_id: AtomicU64,
    pub resumes: AtomicU64,
    /// IDENTIFYs answered with READY (new sessions).
    pub identifies: AtomicU64,
    next_conn: AtomicU64,
}

impl Inner {
    pub fn new(config: SandboxConfig, base_url: String, token: String) -> Self {
        let (changed, _) = watch::channel(0);
        Self {
            state: Mutex::new(State::default()),
            sessions: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            feed: Mutex::new(Vec::new()),
            cursors: Mutex::new(HashMap::new()),
            buckets: Mutex::new(HashMap::new()),
            changed,
            config,
            base_url,
            token,
            last_id: AtomicU64::new(0),
            resumes: AtomicU64::new(0),
            identifies: AtomicU64::new(0),
            next_conn: AtomicU64::new(1),
        }
    }

    /// A fresh snowflake (timestamp-based, strictly increasing).
    pub fn snowflake(&self) -> Id {
        let ms = chrono::Utc::now().timestamp_millis() as u64;
        let ts = ms.saturating_sub(crate::state::DISCORD_EPOCH_MS);
        let candidate = ts << 22;
        // strictly increasing even within the same millisecond
        let mut prev = self.last_id.load(Ordering::Relaxed);
        loop {
            let next = candidate.max(prev + 1);
            match self
                .last_id
                .compare_exchange(prev, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(p) => prev = p,
            }
        }
    }

    pub fn conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Wake every waiter.
    pub fn bump(&self) {
        self.changed.send_modify(|v| *v += 1);
    }

    pub fn gateway_url(&self) -> String {
        format!(
            "{}/gateway-ws",
            self.base_url.replacen("http://", "ws://", 1)
        )
    }

    /// Send an event to every session that may receive it, buffering it for RESUME.
    pub fn dispatch(&self, event: &str, data: &Value, gate: Gate) {
        let mut sessions = self.sessions.lock();
        for s in sessions.values_mut() {
            if !s.ready {
                continue;
            }
            if let Some(bits) = gate.intent {
                if s.intents & bits == 0 {
                    continue;
                }
            }
            if let Some([shard_id, num]) = s.shard {
                let target = gate.guild_id.map_or(0, |g| (g >> 22) % num.max(1));
                if target != shard_id {
                    continue;
                }
            }
            let mut d = data.clone();
            if gate.content_gated && s.intents & intents::MESSAGE_CONTENT == 0 {
                strip_content(&mut d);
            }
            if let Some(held) = gate.guild_id.and_then(|g| s.pending.get_mut(&g)) {
                held.push((event.to_owned(), d));
                continue;
            }
            Self::send_to(s, event, &d, self.config.replay_buffer);
        }
        drop(sessions);
        self.bump();
    }

    pub(crate) fn send_to(s: &mut Session, event: &str, data: &Value, cap: usize) {
        s.seq += 1;
        let frame = payloads::dispatch(event, s.seq, data).to_string();
        s.buffer.push_back((s.seq, frame.clone()));
        while s.buffer.len() > cap {
            s.buffer.pop_front();
        }
        if let Some((_, tx)) = &s.conn {
            let _ = tx.send(Out::Frame(frame));
        }
    }

    /// Count a request in a sliding-window bucket; `Some(retry_after_secs)` if over the limit.
    pub fn take_bucket(&self, key: &str, limit: usize, window: Duration) -> Option<f64> {
        let now = std::time::Instant::now();
        let mut buckets = self.buckets.lock();
        let b = buckets.entry(key.to_owned()).or_default();
        while b.front().is_some_and(|t| now.duration_since(*t) >= window) {
            b.pop_front();
        }
        if b.len() >= limit {
            let oldest = *b.front().expect("non-empty");
            let wait = window.saturating_sub(now.duration_since(oldest));
            return Some((wait.as_secs_f64() * 1000.0).ceil() / 1000.0);
        }
        b.push_back(now);
        None
    }

    /// Record a bot action in the feed.
    pub fn feed(&self, kind: FeedKind, message: Message) {
        self.feed.lock().push(FeedItem { kind, message });
        self.bump();
    }
}

/// Blank what the MESSAGE_CONTENT intent protects.
fn strip_content(d: &mut Value) {
    if let Some(o) = d.as_object_mut() {
        if o.contains_key("content") {
            o.insert("content".into(), Value::String(String::new()));
        }
        for k in ["embeds", "attachments", "components"] {
            if o.contains_key(k) {
                o.insert(k.into(), Value::Array(vec![]));
            }
        }
    }
}
