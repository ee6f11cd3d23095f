//! Log channels as pure rules: the categories and their emoji-prefixed channel names (spec
//! §XII), which suite `create-logs` builds for whom, the bounded message cache that gives
//! edits and deletes their "before", the packing of log embeds into as few Discord messages
//! as the limits allow, a per-channel posting budget and the bulk-delete transcript.
//!
//! No clock: everything that ages takes `now`.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use chrono::{DateTime, Duration, Utc};

use crate::ids::{ChannelId, MessageId, UserId};
use crate::ratelimit::RateLimit;

/// A log category: one channel each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogCategory {
    /// Message edits, deletes, bulk deletes, pins.
    Message,
    /// Bans, unbans, kicks, timeouts, warns.
    Mod,
    /// Voice joins, leaves, moves.
    Vc,
    /// Roles, channels, permissions, emojis, stickers, webhooks, integrations, threads.
    Server,
    /// Joins, leaves, nickname and role changes.
    Member,
    /// Invites created and deleted.
    Invite,
    /// Uncaught errors.
    Error,
    /// Gameplay events (owner suite only).
    Gameplay,
}

impl LogCategory {
    /// Every category, in the order channels are created.
    pub const ALL: [LogCategory; 8] = [
        LogCategory::Message,
        LogCategory::Mod,
        LogCategory::Vc,
        LogCategory::Server,
        LogCategory::Member,
        LogCategory::Invite,
        LogCategory::Error,
        LogCategory::Gameplay,
    ];

    /// The key stored in `guild_settings.log_channels` and `logs.category` (`message`, `mod`,
    /// …).
    pub fn key(self) -> &'static str {
        match self {
            LogCategory::Message => "message",
            LogCategory::Mod => "mod",
            LogCategory::Vc => "vc",
            LogCategory::Server => "server",
            LogCategory::Member => "member",
            LogCategory::Invite => "invite",
            LogCategory::Error => "error",
            LogCategory::Gameplay => "gameplay",
        }
    }

    /// The channel name `create-logs` gives it, with the spec's emoji prefix
    /// (`🔒 | mod-logs`, `🧭 | invite-logs`, `🎮 | gameplay-logs`).
    pub fn channel_name(self) -> &'static str {
        match self {
            LogCategory::Message => "💬 | message-logs",
            LogCategory::Mod => "🔒 | mod-logs",
            LogCategory::Vc => "🔊 | vc-logs",
            LogCategory::Server => "🛠️ | server-logs",
            LogCategory::Member => "👥 | member-logs",
            LogCategory::Invite => "🧭 | invite-logs",
            LogCategory::Error => "⚠️ | error-logs",
            LogCategory::Gameplay => "🎮 | gameplay-logs",
        }
    }

    /// Parses a key or a channel name (`message`, `message-logs`, `mod_logs`, `vc`).
    pub fn parse(text: &str) -> Option<LogCategory> {
        let t = text.trim().to_ascii_lowercase().replace('_', "-");
        let t = t.strip_suffix("-logs").unwrap_or(&t);
        let t = t.strip_suffix("-log").unwrap_or(t);
        LogCategory::ALL.into_iter().find(|c| {
            c.key() == t
                || (t == "voice" && *c == LogCategory::Vc)
                || (t == "msg" && *c == LogCategory::Message)
        })
    }

    /// The categories `create-logs` builds: the bot owner gets every one, a server admin all
    /// but gameplay (spec §XII).
    pub fn suite(owner: bool) -> Vec<LogCategory> {
        LogCategory::ALL
            .into_iter()
            .filter(|c| owner || *c != LogCategory::Gameplay)
            .collect()
    }
}

/// What the cache keeps about a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedMessage {
    /// Its channel.
    pub channel_id: ChannelId,
    /// Its author.
    pub author_id: UserId,
    /// Whether the author is a bot (bots' messages are not logged).
    pub author_bot: bool,
    /// Its content, or `None` when the server does not let the bot store content.
    pub content: Option<String>,
    /// Attachment file names (with their URLs).
    pub attachments: Vec<String>,
    /// When it was cached.
    pub cached_at: DateTime<Utc>,
}

/// A bounded message cache: at most `capacity` messages (the oldest go first), each kept for
/// `retention`; [`MessageCache::get`] of an older one is `None` ("old content unknown").
#[derive(Debug)]
pub struct MessageCache {
    capacity: usize,
    retention: Duration,
    map: HashMap<MessageId, CachedMessage>,
    order: VecDeque<(MessageId, DateTime<Utc>)>,
}

impl MessageCache {
    /// An empty cache.
    pub fn new(capacity: usize, retention: Duration) -> Self {
        Self {
            capacity,
            retention,
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Messages held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Keeps (or replaces) a message; evicts expired and, past the capacity, the oldest ones.
    pub fn insert(&mut self, id: MessageId, msg: CachedMessage, now: DateTime<Utc>) {
        if self.capacity == 0 {
            return;
        }
        self.expire(now);
        if self.map.insert(id, msg).is_none() {
            self.order.push_back((id, now));
        }
        while self.map.len() > self.capacity {
            self.pop_oldest();
        }
    }

    /// The message, unless unknown or older than the retention window.
    pub fn get(&self, id: MessageId, now: DateTime<Utc>) -> Option<&CachedMessage> {
        self.map
            .get(&id)
            .filter(|m| now - m.cached_at <= self.retention)
    }

    /// Takes a message out (a delete).
    pub fn remove(&mut self, id: MessageId, now: DateTime<Utc>) -> Option<CachedMessage> {
        let m = self.map.remove(&id)?;
        (now - m.cached_at <= self.retention).then_some(m)
    }

    /// Replaces a cached message's content after an edit (keeps its age); returns the old one.
    pub fn replace_content(
        &mut self,
        id: MessageId,
        content: Option<String>,
        now: DateTime<Utc>,
    ) -> Option<Option<String>> {
        let retention = self.retention;
        let m = self.map.get_mut(&id)?;
        if now - m.cached_at > retention {
            return None;
        }
        Some(std::mem::replace(&mut m.content, content))
    }

    /// Drops the content of the messages `pred` picks (a server turned its privacy switch on);
    /// returns how many.
    pub fn forget_content_where(&mut self, pred: impl Fn(&CachedMessage) -> bool) -> usize {
        let mut n = 0;
        for m in self.map.values_mut() {
            if m.content.is_some() && pred(m) {
                m.content = None;
                n += 1;
            }
        }
        n
    }

    fn expire(&mut self, now: DateTime<Utc>) {
        while let Some((_, at)) = self.order.front() {
            if now - *at <= self.retention {
                break;
            }
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        while let Some((id, at)) = self.order.pop_front() {
            // An id re-inserted after removal has a newer slot; drop only its own.
            if self.map.get(&id).is_some_and(|m| m.cached_at <= at) {
                self.map.remove(&id);
                return;
            }
        }
    }
}

/// Discord's limits for one message: 10 embeds and 6,000 characters over all of them.
pub const MAX_EMBEDS_PER_MESSAGE: usize = 10;
/// Characters over all embeds of one message.
pub const MAX_CHARS_PER_MESSAGE: usize = 6_000;

/// Groups embeds (given by their character counts, in order) into messages of at most
/// `max_embeds` embeds and `max_chars` characters. Order is kept and every embed lands in
/// exactly one group; an embed larger than `max_chars` alone gets its own group (the caller
/// clips embeds to Discord's per-embed limits first).
pub fn pack(sizes: &[usize], max_embeds: usize, max_chars: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = 0;
    for (i, &n) in sizes.iter().enumerate() {
        let count = i - start;
        if count > 0 && (count >= max_embeds || chars + n > max_chars) {
            out.push(start..i);
            start = i;
            chars = 0;
        }
        chars += n;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// How many messages a channel may still get: a fixed window per channel (`rate.max` per
/// `rate.window_secs`; [`RateLimit::OFF`] means no limit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PostBudget {
    window_start: i64,
    used: u32,
}

impl PostBudget {
    /// Messages allowed now (and counts them as used). `wanted` is how many the caller has.
    pub fn take(&mut self, rate: RateLimit, wanted: usize, now: DateTime<Utc>) -> usize {
        if rate.max == 0 || rate.window_secs == 0 {
            return wanted;
        }
        let w = i64::from(rate.window_secs);
        let start = now.timestamp().div_euclid(w) * w;
        if start != self.window_start {
            self.window_start = start;
            self.used = 0;
        }
        let n = (rate.max.saturating_sub(self.used) as usize).min(wanted);
        self.used += n as u32;
        n
    }
}

/// Shortens `text` to at most `max` characters, ending with `…` when it was cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// One line of a bulk-delete transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptLine {
    /// The message id.
    pub message_id: MessageId,
    /// What is known about it (`None`: not cached).
    pub message: Option<CachedMessage>,
}

/// The plain-text transcript attached to a bulk-delete entry: one line per message, oldest
/// first, `[id] author: content` or a note that the content is unknown or not stored.
pub fn transcript(lines: &[TranscriptLine], unknown: &str, not_stored: &str) -> String {
    let mut sorted: Vec<&TranscriptLine> = lines.iter().collect();
    sorted.sort_by_key(|l| l.message_id);
    let mut out = String::new();
    for l in sorted {
        let text = match &l.message {
            None => format!("[{}] {unknown}", l.message_id),
            Some(m) => {
                let content = m.content.clone().unwrap_or_else(|| not_stored.to_string());
                let files = if m.attachments.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", m.attachments.join(", "))
                };
                format!("[{}] {}: {content}{files}", l.message_id, m.author_id)
            }
        };
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// `(added, removed)` between two id lists (order of `after` / `before` kept).
pub fn diff_ids<T: PartialEq + Copy>(before: &[T], after: &[T]) -> (Vec<T>, Vec<T>) {
    let added = after
        .iter()
        .filter(|x| !before.contains(x))
        .copied()
        .collect();
    let removed = before
        .iter()
        .filter(|x| !after.contains(x))
        .copied()
        .collect();
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
    }

    fn msg(content: &str, at: DateTime<Utc>) -> CachedMessage {
        CachedMessage {
            channel_id: ChannelId::new(1),
            author_id: UserId::new(2),
            author_bot: false,
            content: Some(content.into()),
            attachments: vec![],
            cached_at: at,
        }
    }

    #[test]
    fn categories_have_the_spec_names_and_suites() {
        assert_eq!(LogCategory::Mod.channel_name(), "🔒 | mod-logs");
        assert_eq!(LogCategory::Invite.channel_name(), "🧭 | invite-logs");
        assert_eq!(LogCategory::Gameplay.channel_name(), "🎮 | gameplay-logs");
        assert_eq!(LogCategory::suite(true).len(), 8);
        let admin = LogCategory::suite(false);
        assert_eq!(admin.len(), 7);
        assert!(!admin.contains(&LogCategory::Gameplay));
        assert_eq!(
            LogCategory::parse("message-logs"),
            Some(LogCategory::Message)
        );
        assert_eq!(LogCategory::parse("MOD_LOGS"), Some(LogCategory::Mod));
        assert_eq!(LogCategory::parse("voice"), Some(LogCategory::Vc));
        assert_eq!(LogCategory::parse("gameplay"), Some(LogCategory::Gameplay));
        assert_eq!(LogCategory::parse("nope"), None);
        for c in LogCategory::ALL {
            assert_eq!(LogCategory::parse(c.key()), Some(c));
        }
    }

    #[test]
    fn the_cache_is_bounded_by_size_and_age() {
        let mut c = MessageCache::new(2, Duration::seconds(60));
        c.insert(MessageId::new(1), msg("a", t(0)), t(0));
        c.insert(MessageId::new(2), msg("b", t(1)), t(1));
        c.insert(MessageId::new(3), msg("c", t(2)), t(2));
        assert_eq!(c.len(), 2);
        assert!(c.get(MessageId::new(1), t(2)).is_none(), "oldest evicted");
        assert_eq!(
            c.get(MessageId::new(2), t(2)).unwrap().content.as_deref(),
            Some("b")
        );
        // Past the retention window the content is unknown.
        assert!(c.get(MessageId::new(3), t(63)).is_none());
        assert!(c.get(MessageId::new(3), t(62)).is_some());
        // An edit swaps the content and returns the old one.
        assert_eq!(
            c.replace_content(MessageId::new(3), Some("c2".into()), t(3)),
            Some(Some("c".into()))
        );
        assert_eq!(
            c.remove(MessageId::new(3), t(4))
                .unwrap()
                .content
                .as_deref(),
            Some("c2")
        );
        assert!(c.remove(MessageId::new(3), t(4)).is_none());
        // Inserting after the window expires the old ones.
        c.insert(MessageId::new(4), msg("d", t(200)), t(200));
        assert_eq!(c.len(), 1);
        c.insert(MessageId::new(5), msg("e", t(200)), t(200));
        assert_eq!(
            c.forget_content_where(|m| m.channel_id == ChannelId::new(1)),
            2
        );
        assert_eq!(c.get(MessageId::new(5), t(200)).unwrap().content, None);
        let mut none = MessageCache::new(0, Duration::seconds(60));
        none.insert(MessageId::new(1), msg("a", t(0)), t(0));
        assert!(none.is_empty());
    }

    #[test]
    fn packing_keeps_order_and_respects_both_limits() {
        let sizes = vec![100; 25];
        let groups = pack(&sizes, 10, 6_000);
        assert_eq!(groups, vec![0..10, 10..20, 20..25]);
        let sizes = vec![2_500, 2_500, 2_500, 10];
        assert_eq!(pack(&sizes, 10, 6_000), vec![0..2, 2..4]);
        let sizes = vec![7_000, 1];
        assert_eq!(pack(&sizes, 10, 6_000), vec![0..1, 1..2]);
        assert!(pack(&[], 10, 6_000).is_empty());
        // Every index exactly once, for 500 mixed entries.
        let sizes: Vec<usize> = (0..500).map(|i| 100 + (i * 37) % 900).collect();
        let groups = pack(&sizes, 10, 6_000);
        let covered: usize = groups.iter().map(|r| r.len()).sum();
        assert_eq!(covered, 500);
        for r in &groups {
            assert!(r.len() <= 10);
            assert!(sizes[r.clone()].iter().sum::<usize>() <= 6_000);
        }
        assert!(
            groups.len() <= 500 / 5,
            "coalesced: {} messages",
            groups.len()
        );
    }

    #[test]
    fn the_budget_follows_fixed_windows() {
        let rate = RateLimit::new(5, 5);
        let mut b = PostBudget::default();
        assert_eq!(b.take(rate, 3, t(0)), 3);
        assert_eq!(b.take(rate, 3, t(1)), 2);
        assert_eq!(b.take(rate, 3, t(2)), 0);
        assert_eq!(b.take(rate, 9, t(5)), 5);
        assert_eq!(b.take(RateLimit::OFF, 9, t(5)), 9);
    }

    #[test]
    fn clip_and_diff_and_transcript() {
        assert_eq!(clip("hello", 5), "hello");
        assert_eq!(clip("hello!", 5), "hell…");
        let (a, r) = diff_ids(&[1, 2, 3], &[2, 3, 4]);
        assert_eq!((a, r), (vec![4], vec![1]));
        let mut m = msg("hi", t(0));
        m.attachments = vec!["a.png".into()];
        let lines = vec![
            TranscriptLine {
                message_id: MessageId::new(9),
                message: None,
            },
            TranscriptLine {
                message_id: MessageId::new(5),
                message: Some(m),
            },
        ];
        assert_eq!(
            transcript(&lines, "(unknown)", "(not stored)"),
            "[5] 2: hi [a.png]\n[9] (unknown)\n"
        );
    }
}
