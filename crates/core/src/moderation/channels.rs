//! Channel locks, slowmode, nicknames and message ages.

use super::*;

/// Discord permission bits `lock` denies (from Discord's permission table).
pub mod lock_bits {
    /// Add Reactions.
    pub const ADD_REACTIONS: u64 = 1 << 6;
    /// Send Messages (and create forum posts).
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// Connect (voice).
    pub const CONNECT: u64 = 1 << 20;
    /// Create Public Threads.
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    /// Create Private Threads.
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    /// Send Messages in Threads.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
}

/// A channel's kind, as far as locking goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockableKind {
    /// Text or announcement channel.
    Text,
    /// Forum or media channel.
    Forum,
    /// Voice or stage channel.
    Voice,
    /// A thread: its permissions are its parent's.
    Thread,
    /// A category or anything else: not locked.
    Other,
}

impl LockableKind {
    /// From Discord's channel type number.
    pub const fn from_discord(kind: u8) -> Self {
        match kind {
            0 | 5 => LockableKind::Text,
            15 | 16 => LockableKind::Forum,
            2 | 13 => LockableKind::Voice,
            10..=12 => LockableKind::Thread,
            _ => LockableKind::Other,
        }
    }

    /// The permissions a lock denies `@everyone` here (`None`: this kind is not locked).
    pub const fn denied(self) -> Option<u64> {
        use lock_bits::*;
        match self {
            LockableKind::Text => Some(
                SEND_MESSAGES
                    | SEND_MESSAGES_IN_THREADS
                    | CREATE_PUBLIC_THREADS
                    | CREATE_PRIVATE_THREADS,
            ),
            LockableKind::Forum => {
                Some(SEND_MESSAGES | SEND_MESSAGES_IN_THREADS | CREATE_PUBLIC_THREADS)
            }
            LockableKind::Voice => Some(CONNECT | SEND_MESSAGES),
            LockableKind::Thread | LockableKind::Other => None,
        }
    }
}

/// A permission overwrite's two sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Overwrite {
    /// Allowed bits.
    pub allow: u64,
    /// Denied bits.
    pub deny: u64,
}

/// The `@everyone` overwrite of a locked channel: `bits` denied (and no longer allowed), every
/// other bit as it was (`prev` is `None` when there was no overwrite).
pub const fn locked_overwrite(prev: Option<Overwrite>, bits: u64) -> Overwrite {
    let (allow, deny) = match prev {
        Some(o) => (o.allow, o.deny),
        None => (0, 0),
    };
    Overwrite {
        allow: allow & !bits,
        deny: deny | bits,
    }
}

/// Reads `slowmode`'s delay: `off`/`0`/`none`, or a duration of at most 6 hours, in seconds.
pub fn parse_slowmode(text: &str) -> Result<u16, DurationError> {
    if matches!(text.trim().to_lowercase().as_str(), "off" | "0" | "none") {
        return Ok(0);
    }
    let d = parse_duration_max(text, SLOWMODE_MAX_SECS)?;
    Ok(u16::try_from(d.num_seconds()).unwrap_or(SLOWMODE_MAX_SECS as u16))
}

/// Discord's longest slowmode: 6 hours.
pub const SLOWMODE_MAX_SECS: i64 = 6 * 3_600;
/// Discord's longest nickname: 32 characters.
pub const MAX_NICK_CHARS: usize = 32;

/// Checks a nickname: trimmed, empty clears it (`None`), `Err(length)` past 32 characters.
pub fn clean_nick(nick: Option<&str>) -> Result<Option<String>, usize> {
    let Some(n) = nick.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let chars = n.chars().count();
    if chars > MAX_NICK_CHARS {
        return Err(chars);
    }
    Ok(Some(n.to_string()))
}

/// The creation time (Unix ms) of a Discord snowflake.
pub fn snowflake_ms(id: u64) -> i64 {
    ((id >> 22) + 1_420_070_400_000) as i64
}

/// Whether a message (by id) can still be bulk-deleted at `now_ms` (younger than 14 days, with a
/// minute of margin).
pub fn bulk_deletable(id: u64, now_ms: i64) -> bool {
    bulk_deletable_at(snowflake_ms(id), now_ms)
}

/// Whether a message created at `created_ms` can still be bulk-deleted at `now_ms`.
pub fn bulk_deletable_at(created_ms: i64, now_ms: i64) -> bool {
    now_ms - created_ms < (BULK_DELETE_MAX_AGE_SECS - 60) * 1_000
}
