//! `purge` filters and the facts of a message they read.

use super::*;

/// Discord's bulk delete takes messages younger than 14 days only.
pub const BULK_DELETE_MAX_AGE_SECS: i64 = 14 * 86_400;
/// The most messages `purge` looks at.
pub const PURGE_MAX: u32 = 1_000;

/// Which messages `purge` deletes (every given filter must match).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeFilter {
    /// Only this author.
    pub user: Option<UserId>,
    /// Only bots (and webhooks).
    pub bots: bool,
    /// Only messages containing this text (case-insensitive).
    pub contains: Option<String>,
    /// Only messages with a link.
    pub links: bool,
    /// Only messages with an attachment.
    pub attachments: bool,
    /// Only messages with an embed.
    pub embeds: bool,
}

/// What `purge` needs to know about a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageFacts {
    /// Its author.
    pub author: UserId,
    /// Whether the author is a bot or a webhook.
    pub bot: bool,
    /// Its text.
    pub content: String,
    /// Attachments.
    pub attachments: usize,
    /// Embeds.
    pub embeds: usize,
    /// Pinned messages are kept.
    pub pinned: bool,
}

impl PurgeFilter {
    /// Whether a message is to be deleted (pinned messages never are).
    pub fn matches(&self, m: &MessageFacts) -> bool {
        if m.pinned {
            return false;
        }
        if self.user.is_some_and(|u| u != m.author) || (self.bots && !m.bot) {
            return false;
        }
        if let Some(t) = &self.contains {
            if !m.content.to_lowercase().contains(&t.to_lowercase()) {
                return false;
            }
        }
        if self.links && !has_link(&m.content) {
            return false;
        }
        if self.attachments && m.attachments == 0 {
            return false;
        }
        if self.embeds && m.embeds == 0 {
            return false;
        }
        true
    }
}

/// Whether text holds a link (`http://`, `https://` or a Discord invite).
pub fn has_link(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("http://") || t.contains("https://") || t.contains("discord.gg/")
}

/// Why `purge`'s words could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurgeError {
    /// The count is missing, zero or above the limit.
    #[error("give how many messages to look at, from 1 to {max}")]
    BadCount {
        /// The limit.
        max: u32,
    },
    /// A word that is no filter.
    #[error(
        "`{0}` is not a filter: use bots, links, attachments, embeds, a user or contains <text>"
    )]
    UnknownFilter(String),
    /// `contains` without text.
    #[error("`contains` needs the text to look for")]
    ContainsWithoutText,
}

/// Reads `purge`'s words after the count: `bots`, `links`, `attachments` (`files`, `images`),
/// `embeds`, a user mention or id, `contains <text…>` (the rest of the line).
pub fn parse_purge_filters(words: &str) -> Result<PurgeFilter, PurgeError> {
    let mut f = PurgeFilter::default();
    let mut rest = words.trim();
    while !rest.is_empty() {
        let (w, after) = split_word(rest);
        let lower = w.to_lowercase();
        match lower.as_str() {
            "bots" | "bot" => f.bots = true,
            "links" | "link" => f.links = true,
            "attachments" | "attachment" | "files" | "images" => f.attachments = true,
            "embeds" | "embed" => f.embeds = true,
            "contains" | "text" => {
                let t = after.trim();
                if t.is_empty() {
                    return Err(PurgeError::ContainsWithoutText);
                }
                f.contains = Some(t.chars().take(200).collect());
                break;
            }
            _ => match parse_user(w) {
                Some(u) => f.user = Some(u),
                None => {
                    return Err(PurgeError::UnknownFilter(w.chars().take(30).collect()));
                }
            },
        }
        rest = after;
    }
    Ok(f)
}

/// A user mention (`<@1>`, `<@!1>`) or a plain id.
pub fn parse_user(word: &str) -> Option<UserId> {
    let inner = word
        .strip_prefix("<@")
        .and_then(|w| w.strip_suffix('>'))
        .map(|w| w.trim_start_matches('!'))
        .unwrap_or(word);
    inner
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(UserId::new)
}
