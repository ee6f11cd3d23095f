//! Moderation rules: durations (`10m`, `2h`, `7d`, `1h30m`), the role-hierarchy checks every
//! moderation command runs before acting, case kinds, and the argument parsing of the prefix
//! commands (`ban @x 7d spam`). Pure: the caller supplies role positions, owner and ids.

pub mod mass;

use std::collections::HashMap;

use chrono::Duration;

use crate::ids::{ChannelId, GuildId, RoleId, UserId};

/// Discord's longest timeout: 28 days.
pub const MAX_TIMEOUT_SECS: i64 = 28 * 86_400;
/// The longest temp-ban or other punishment Chronix schedules: 5 years.
pub const MAX_DURATION_SECS: i64 = 5 * 365 * 86_400;
/// Discord's longest message-deletion window of a ban: 7 days.
pub const MAX_BAN_DELETE_SECS: i64 = 7 * 86_400;
/// Discord's longest audit-log reason: 512 characters.
pub const MAX_REASON_CHARS: usize = 512;

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Nothing was given.
    #[error("no duration given: write it like 10m, 2h, 7d or 1h30m")]
    Empty,
    /// A number without a unit (`10`).
    #[error("`{0}` has no unit: add s, m, h, d or w (for example 10m)")]
    MissingUnit(String),
    /// A unit that is not one of s, m, h, d, w (`10x`).
    #[error("`{0}` is not a time unit: use s, m, h, d or w")]
    UnknownUnit(String),
    /// A unit without a number (`h`), or a character that belongs to neither.
    #[error("`{0}` is not a duration: write it like 10m, 2h, 7d or 1h30m")]
    Malformed(String),
    /// Zero in total.
    #[error("the duration must be longer than zero")]
    Zero,
    /// Longer than allowed.
    #[error("the duration is too long (at most {})", format_span(Duration::seconds(*max_secs)))]
    TooLong {
        /// The limit, in seconds.
        max_secs: i64,
    },
}

fn unit_secs(unit: &str) -> Option<i64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "wk" | "wks" | "week" | "weeks" => 7 * 86_400,
        _ => return None,
    })
}

/// Reads a duration: one or more `<number><unit>` parts (`10m`, `2h`, `7d`, `1w`, `1h30m`,
/// `1d 12h`, `90s`), units `s`/`m`/`h`/`d`/`w` or their words (`min`, `hours`, `days`, …),
/// case-insensitive, spaces between parts allowed. At most [`MAX_DURATION_SECS`].
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    parse_duration_max(text, MAX_DURATION_SECS)
}

/// Like [`parse_duration`] with a limit in seconds (a timeout: [`MAX_TIMEOUT_SECS`]).
pub fn parse_duration_max(text: &str, max_secs: i64) -> Result<Duration, DurationError> {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() {
        return Err(DurationError::Empty);
    }
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    let mut total: i64 = 0;
    let too_long = DurationError::TooLong { max_secs };
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        if !digits.is_empty() {
            // `3 days`: a space may separate the number from its unit
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
        }
        let unit_start = i;
        while i < chars.len() && chars[i].is_alphabetic() {
            i += 1;
        }
        let unit: String = chars[unit_start..i].iter().collect();
        let part: String = chars[start..i]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if digits.is_empty() {
            let bad: String = if part.is_empty() {
                chars[start..].iter().take(20).collect()
            } else {
                part
            };
            return Err(DurationError::Malformed(bad));
        }
        if unit.is_empty() {
            if i < chars.len() && !chars[i].is_whitespace() {
                let bad: String = chars[start..].iter().take(20).collect();
                return Err(DurationError::Malformed(bad));
            }
            return Err(DurationError::MissingUnit(part));
        }
        let Some(mult) = unit_secs(&unit) else {
            return Err(DurationError::UnknownUnit(part));
        };
        let n: i64 = digits.parse().map_err(|_| too_long.clone())?;
        let secs = n.checked_mul(mult).ok_or_else(|| too_long.clone())?;
        total = total.checked_add(secs).ok_or_else(|| too_long.clone())?;
        if total > max_secs {
            return Err(too_long);
        }
    }
    if total == 0 {
        return Err(DurationError::Zero);
    }
    Ok(Duration::seconds(total))
}

/// Whether `token` looks like a duration (starts with a digit and parses).
pub fn looks_like_duration(token: &str) -> bool {
    token.chars().next().is_some_and(|c| c.is_ascii_digit()) && parse_duration(token).is_ok()
}

/// A duration as moderators write it: its non-zero parts, largest first (`7d`, `1h 30m`,
/// `2s`, `1d 0h 0m 5s` is `1d 5s`).
pub fn format_span(d: Duration) -> String {
    let mut secs = d.num_seconds().max(0);
    if secs == 0 {
        return "0s".into();
    }
    let mut parts = Vec::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        let n = secs / size;
        secs %= size;
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    parts.join(" ")
}

/// What a moderation action is, as stored in `mod_cases.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseKind {
    /// A permanent ban.
    Ban,
    /// A ban with an end.
    TempBan,
    /// A ban lifted.
    Unban,
    /// Ban then unban at once (deletes the member's recent messages).
    Softban,
    /// Removed from the server.
    Kick,
    /// Discord's timeout.
    Timeout,
    /// A timeout lifted.
    Untimeout,
    /// A warning.
    Warn,
    /// The summary of a `massban` run (target: the moderator who ran it).
    MassBan,
    /// The summary of a `masskick` run (target: the moderator who ran it).
    MassKick,
    /// A channel locked for `@everyone` (`lock`).
    Lock,
    /// A locked channel restored (`unlock`).
    Unlock,
    /// Every channel of the server locked (`lockdown`).
    Lockdown,
    /// A lockdown ended, every channel restored (`lockdown end`).
    LockdownEnd,
    /// A role given to a member (`role add`).
    RoleAdd,
    /// A role taken from a member (`role remove`).
    RoleRemove,
}

/// What a case is about: a member (most kinds), a channel (`lock`) or the whole server
/// (`lockdown`). Decided by the kind, so the stored target id needs no type column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseTarget {
    /// A user or member.
    User(UserId),
    /// A channel.
    Channel(ChannelId),
    /// The server itself.
    Server(GuildId),
}

impl CaseTarget {
    /// The raw id (stored in `mod_cases.target_id`).
    pub const fn id(self) -> u64 {
        match self {
            CaseTarget::User(u) => u.get(),
            CaseTarget::Channel(c) => c.get(),
            CaseTarget::Server(g) => g.get(),
        }
    }

    /// The target of a case of `kind` whose stored id is `raw`.
    pub const fn of(kind: CaseKind, raw: u64) -> Self {
        match kind {
            CaseKind::Lock | CaseKind::Unlock => CaseTarget::Channel(ChannelId::new(raw)),
            CaseKind::Lockdown | CaseKind::LockdownEnd => CaseTarget::Server(GuildId::new(raw)),
            _ => CaseTarget::User(UserId::new(raw)),
        }
    }

    /// The user, when the case is about one.
    pub const fn user(self) -> Option<UserId> {
        match self {
            CaseTarget::User(u) => Some(u),
            _ => None,
        }
    }

    /// How Discord shows it: `<@user>`, `<#channel>`, or "the server" (given by the caller).
    pub fn mention(self, server: &str) -> String {
        match self {
            CaseTarget::User(u) => format!("<@{}>", u.get()),
            CaseTarget::Channel(c) => format!("<#{}>", c.get()),
            CaseTarget::Server(_) => server.to_string(),
        }
    }
}

impl From<UserId> for CaseTarget {
    fn from(u: UserId) -> Self {
        CaseTarget::User(u)
    }
}

impl CaseKind {
    /// Every kind.
    pub const ALL: [CaseKind; 16] = [
        CaseKind::Ban,
        CaseKind::TempBan,
        CaseKind::Unban,
        CaseKind::Softban,
        CaseKind::Kick,
        CaseKind::Timeout,
        CaseKind::Untimeout,
        CaseKind::Warn,
        CaseKind::MassBan,
        CaseKind::MassKick,
        CaseKind::Lock,
        CaseKind::Unlock,
        CaseKind::Lockdown,
        CaseKind::LockdownEnd,
        CaseKind::RoleAdd,
        CaseKind::RoleRemove,
    ];

    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            CaseKind::Ban => "ban",
            CaseKind::TempBan => "tempban",
            CaseKind::Unban => "unban",
            CaseKind::Softban => "softban",
            CaseKind::Kick => "kick",
            CaseKind::Timeout => "timeout",
            CaseKind::Untimeout => "untimeout",
            CaseKind::Warn => "warn",
            CaseKind::MassBan => "massban",
            CaseKind::MassKick => "masskick",
            CaseKind::Lock => "lock",
            CaseKind::Unlock => "unlock",
            CaseKind::Lockdown => "lockdown",
            CaseKind::LockdownEnd => "lockdown_end",
            CaseKind::RoleAdd => "role_add",
            CaseKind::RoleRemove => "role_remove",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a case of this kind ends by itself (and stays "active" until then).
    pub const fn is_timed(self) -> bool {
        matches!(self, CaseKind::TempBan | CaseKind::Timeout)
    }
}

/// What is being done, for the hierarchy rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Ban, kick, timeout, softban, nick: acts on a member (if they are one).
    OnMember,
    /// Warn: needs no bot permission, but the moderator must outrank the member.
    Warn,
}

/// The role facts the hierarchy rules read.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    /// The server owner.
    pub owner: UserId,
    /// The bot.
    pub bot: UserId,
    /// Each role's position (`@everyone` is 0).
    pub positions: HashMap<RoleId, i64>,
}

impl Hierarchy {
    /// The highest position among `roles` (0 when none is known: `@everyone`).
    pub fn top(&self, roles: &[RoleId]) -> i64 {
        roles
            .iter()
            .filter_map(|r| self.positions.get(r))
            .copied()
            .max()
            .unwrap_or(0)
    }
}

/// Why the hierarchy forbids an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HierarchyRefusal {
    /// The moderator aimed at themself.
    #[error("you cannot do that to yourself")]
    SelfTarget,
    /// The target owns the server.
    #[error("the server owner cannot be moderated")]
    TargetIsOwner,
    /// The target is the bot.
    #[error("I will not do that to myself")]
    TargetIsBot,
    /// The target's highest role is not below the moderator's.
    #[error("their highest role is not below yours")]
    ModeratorTooLow,
    /// The target's highest role is not below the bot's.
    #[error("their highest role is not below mine")]
    BotTooLow,
    /// A role to give or take is not below the moderator's highest role.
    #[error("that role is not below your highest role")]
    RoleAboveModerator,
    /// A role to give or take is not below the bot's highest role.
    #[error("that role is not below my highest role")]
    RoleAboveBot,
    /// `@everyone` or a managed role cannot be given or taken.
    #[error("that role cannot be given or taken")]
    RoleNotAssignable,
}

/// Checks an action by `actor` (with `actor_roles`) on `target` (with `target_roles`, `None` when
/// the target is not a member: a ban by id), the bot having `bot_roles`. The owner may act on
/// anyone below the bot; nobody acts on the owner, on themself or on the bot.
pub fn check_target(
    h: &Hierarchy,
    act: Act,
    actor: UserId,
    actor_roles: &[RoleId],
    bot_roles: &[RoleId],
    target: UserId,
    target_roles: Option<&[RoleId]>,
) -> Result<(), HierarchyRefusal> {
    if target == actor {
        return Err(HierarchyRefusal::SelfTarget);
    }
    if target == h.owner {
        return Err(HierarchyRefusal::TargetIsOwner);
    }
    if target == h.bot {
        return Err(HierarchyRefusal::TargetIsBot);
    }
    let Some(target_roles) = target_roles else {
        return Ok(()); // not a member: no roles to compare
    };
    let target_top = h.top(target_roles);
    if actor != h.owner && h.top(actor_roles) <= target_top {
        return Err(HierarchyRefusal::ModeratorTooLow);
    }
    if act == Act::OnMember && h.top(bot_roles) <= target_top {
        return Err(HierarchyRefusal::BotTooLow);
    }
    Ok(())
}

/// Checks giving or taking `role` (the target member is checked with [`check_target`] first
/// when it is someone else). `@everyone` (the guild's id) cannot be given.
pub fn check_role(
    h: &Hierarchy,
    actor: UserId,
    actor_roles: &[RoleId],
    bot_roles: &[RoleId],
    role: RoleId,
    is_everyone: bool,
) -> Result<(), HierarchyRefusal> {
    if is_everyone {
        return Err(HierarchyRefusal::RoleNotAssignable);
    }
    let pos = h.positions.get(&role).copied().unwrap_or(0);
    if actor != h.owner && h.top(actor_roles) <= pos {
        return Err(HierarchyRefusal::RoleAboveModerator);
    }
    if h.top(bot_roles) <= pos {
        return Err(HierarchyRefusal::RoleAboveBot);
    }
    Ok(())
}

/// Why the words after the target could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgsError {
    /// A bad duration.
    #[error(transparent)]
    Duration(#[from] DurationError),
    /// The reason is longer than Discord keeps.
    #[error("the reason is too long ({chars} characters, at most {max})")]
    ReasonTooLong {
        /// Its length.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `--delete` without a value.
    #[error("`--delete` needs a duration of at most 7 days (for example --delete 1d)")]
    DeleteWithoutValue,
}

/// The words after a target, read: an optional leading duration, an optional message-deletion
/// window (`--delete 1d`, bans only) and the reason (the rest, trimmed, `None` when empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionArgs {
    /// A duration (temp-ban, timeout).
    pub duration: Option<Duration>,
    /// Messages of the last … to delete (bans).
    pub delete: Option<Duration>,
    /// The reason.
    pub reason: Option<String>,
}

/// Checks and trims a reason (at most [`MAX_REASON_CHARS`]; empty becomes `None`).
pub fn clean_reason(reason: Option<&str>) -> Result<Option<String>, ArgsError> {
    let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let chars = r.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(ArgsError::ReasonTooLong {
            chars,
            max: MAX_REASON_CHARS,
        });
    }
    Ok(Some(r.to_string()))
}

/// Reads `rest` (the words after the target of `ban`, `timeout`, …). With `allow_delete`,
/// `--delete <dur>` (or `--delete=<dur>`) is read before or after the duration. A first word that
/// starts with a digit and reads as a duration is the duration; one that starts with a digit and
/// has a unit but is bad (`10x`, `0m`, `99999d`) is an error rather than part of the reason.
pub fn parse_action_args(
    rest: Option<&str>,
    allow_delete: bool,
    max_secs: i64,
) -> Result<ActionArgs, ArgsError> {
    let mut out = ActionArgs::default();
    let mut text = rest.unwrap_or("").trim();
    for _ in 0..2 {
        let (word, after) = split_word(text);
        if word.is_empty() {
            break;
        }
        if allow_delete && out.delete.is_none() {
            if let Some(v) = word.strip_prefix("--delete=") {
                out.delete = Some(parse_duration_max(v, MAX_BAN_DELETE_SECS)?);
                text = after;
                continue;
            }
            if word == "--delete" {
                let (v, after2) = split_word(after);
                if v.is_empty() {
                    return Err(ArgsError::DeleteWithoutValue);
                }
                out.delete = Some(parse_duration_max(v, MAX_BAN_DELETE_SECS)?);
                text = after2;
                continue;
            }
        }
        if out.duration.is_none() && word.starts_with(|c: char| c.is_ascii_digit()) {
            let has_letter = word.chars().any(|c| c.is_alphabetic());
            if has_letter {
                out.duration = Some(parse_duration_max(word, max_secs)?);
                text = after;
                continue;
            }
        }
        break;
    }
    out.reason = clean_reason(Some(text))?;
    Ok(out)
}

fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

/// The ban's message-deletion window in whole days (0 ..= 7), rounded up: the bot's Discord
/// library sends days (`delete_message_seconds` = days × 86,400), so `2h` deletes a day.
pub fn delete_message_days(window: Option<Duration>) -> u8 {
    window
        .map(|d| {
            let secs = d.num_seconds().clamp(0, MAX_BAN_DELETE_SECS);
            ((secs + 86_399) / 86_400) as u8
        })
        .unwrap_or(0)
}

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

/// A role of the server, as the role argument reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFacts {
    /// Its id.
    pub id: RoleId,
    /// Its name.
    pub name: String,
}

/// Why a role argument could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleArgError {
    /// Nothing was given.
    #[error("name the role: a mention, its id or its name")]
    Empty,
    /// No role is named or numbered so.
    #[error("there is no role `{0}` on this server")]
    NotFound(String),
    /// Several roles match: their names (at most [`AMBIGUOUS_SHOWN`]) and how many matched.
    #[error("`{text}` matches {count} roles: {}", names.join(", "))]
    Ambiguous {
        /// The text given.
        text: String,
        /// The first matching names, sorted.
        names: Vec<String>,
        /// How many roles matched.
        count: usize,
    },
}

/// How many matching names an ambiguous role refusal lists.
pub const AMBIGUOUS_SHOWN: usize = 10;

/// Reads a role argument against the server's roles: a mention (`<@&id>`), an id, else a name,
/// case-insensitive and without a leading `@` — an exact name first, else a unique prefix.
/// Two roles with the same exact name, or a prefix of several, are [`RoleArgError::Ambiguous`].
pub fn parse_role_arg(text: &str, roles: &[RoleFacts]) -> Result<RoleId, RoleArgError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RoleArgError::Empty);
    }
    let shown: String = text.chars().take(30).collect();
    let mention = text
        .strip_prefix("<@&")
        .and_then(|t| t.strip_suffix('>'))
        .and_then(|t| t.parse::<u64>().ok());
    if let Some(id) = mention {
        return roles
            .iter()
            .find(|r| r.id.get() == id)
            .map(|r| r.id)
            .ok_or(RoleArgError::NotFound(shown));
    }
    if let Ok(id) = text.parse::<u64>() {
        if let Some(r) = roles.iter().find(|r| r.id.get() == id) {
            return Ok(r.id);
        }
    }
    let key = |s: &str| s.trim().trim_start_matches('@').to_lowercase();
    let wanted = key(text);
    if wanted.is_empty() {
        return Err(RoleArgError::NotFound(shown));
    }
    let pick = |matches: Vec<&RoleFacts>| -> Option<Result<RoleId, RoleArgError>> {
        match matches.as_slice() {
            [] => None,
            [one] => Some(Ok(one.id)),
            many => {
                let mut names: Vec<String> = many.iter().map(|r| r.name.clone()).collect();
                names.sort();
                names.truncate(AMBIGUOUS_SHOWN);
                Some(Err(RoleArgError::Ambiguous {
                    text: shown.clone(),
                    names,
                    count: many.len(),
                }))
            }
        }
    };
    let exact: Vec<&RoleFacts> = roles.iter().filter(|r| key(&r.name) == wanted).collect();
    if let Some(res) = pick(exact) {
        return res;
    }
    let prefixed: Vec<&RoleFacts> = roles
        .iter()
        .filter(|r| key(&r.name).starts_with(&wanted))
        .collect();
    pick(prefixed).unwrap_or(Err(RoleArgError::NotFound(shown)))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secs(s: &str) -> i64 {
        parse_duration(s).unwrap().num_seconds()
    }

    #[test]
    fn every_accepted_form() {
        assert_eq!(secs("10m"), 600);
        assert_eq!(secs("2h"), 7_200);
        assert_eq!(secs("7d"), 604_800);
        assert_eq!(secs("1w"), 604_800);
        assert_eq!(secs("90s"), 90);
        assert_eq!(secs("1h30m"), 5_400);
        assert_eq!(secs("1d 12h"), 129_600);
        assert_eq!(secs("1D2H3M4S"), 93_784);
        assert_eq!(secs("  3 days "), 259_200);
        assert_eq!(secs("5min"), 300);
        assert_eq!(secs("2 hours 15 minutes"), 8_100);
        assert_eq!(secs("1wk"), 604_800);
        assert_eq!(secs("45 sec"), 45);
    }

    #[test]
    fn clear_errors_for_the_rest() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert_eq!(parse_duration("   "), Err(DurationError::Empty));
        assert_eq!(
            parse_duration("10"),
            Err(DurationError::MissingUnit("10".into()))
        );
        assert_eq!(
            parse_duration("10x"),
            Err(DurationError::UnknownUnit("10x".into()))
        );
        assert_eq!(
            parse_duration("h"),
            Err(DurationError::Malformed("h".into()))
        );
        assert_eq!(
            parse_duration("1h-5m"),
            Err(DurationError::Malformed("-5m".into()))
        );
        assert_eq!(parse_duration("0m"), Err(DurationError::Zero));
        assert_eq!(
            parse_duration("99999999999999999999d"),
            Err(DurationError::TooLong {
                max_secs: MAX_DURATION_SECS
            })
        );
        assert_eq!(
            parse_duration_max("29d", MAX_TIMEOUT_SECS),
            Err(DurationError::TooLong {
                max_secs: MAX_TIMEOUT_SECS
            })
        );
        assert_eq!(
            parse_duration_max("28d", MAX_TIMEOUT_SECS)
                .unwrap()
                .num_days(),
            28
        );
        assert!(
            DurationError::MissingUnit("10".into())
                .to_string()
                .contains("add s, m, h, d or w")
        );
    }

    fn r(n: u64) -> RoleId {
        RoleId::new(n)
    }

    fn h() -> Hierarchy {
        let mut positions = HashMap::new();
        positions.insert(r(1), 0); // @everyone
        positions.insert(r(10), 1); // member
        positions.insert(r(20), 5); // mod
        positions.insert(r(30), 8); // bot
        positions.insert(r(40), 10); // admin above bot
        Hierarchy {
            owner: UserId::new(100),
            bot: UserId::new(200),
            positions,
        }
    }

    #[test]
    fn hierarchy_rules() {
        let h = h();
        let (owner, bot, m, t) = (
            UserId::new(100),
            UserId::new(200),
            UserId::new(300),
            UserId::new(400),
        );
        let bot_roles = [r(30)];
        let ok = |actor, ar: &[RoleId], tr: Option<&[RoleId]>| {
            check_target(&h, Act::OnMember, actor, ar, &bot_roles, t, tr)
        };
        assert_eq!(ok(m, &[r(20)], Some(&[r(10)])), Ok(()));
        assert_eq!(ok(m, &[r(20)], None), Ok(()), "non-member: no role check");
        assert_eq!(
            ok(m, &[r(20)], Some(&[r(20)])),
            Err(HierarchyRefusal::ModeratorTooLow),
            "same top role"
        );
        assert_eq!(
            ok(m, &[r(40)], Some(&[r(40)])),
            Err(HierarchyRefusal::ModeratorTooLow)
        );
        assert_eq!(
            ok(owner, &[], Some(&[r(40)])),
            Err(HierarchyRefusal::BotTooLow),
            "owner outranks everyone but the bot still must"
        );
        assert_eq!(ok(owner, &[], Some(&[r(20)])), Ok(()));
        assert_eq!(
            check_target(&h, Act::Warn, owner, &[], &bot_roles, t, Some(&[r(40)])),
            Ok(()),
            "a warning needs no bot rank"
        );
        assert_eq!(
            check_target(&h, Act::OnMember, m, &[r(40)], &bot_roles, m, Some(&[])),
            Err(HierarchyRefusal::SelfTarget)
        );
        assert_eq!(
            check_target(&h, Act::OnMember, m, &[r(40)], &bot_roles, owner, None),
            Err(HierarchyRefusal::TargetIsOwner)
        );
        assert_eq!(
            check_target(&h, Act::OnMember, m, &[r(40)], &bot_roles, bot, None),
            Err(HierarchyRefusal::TargetIsBot)
        );
        assert_eq!(
            ok(m, &[], Some(&[])),
            Err(HierarchyRefusal::ModeratorTooLow),
            "no roles against no roles"
        );
    }

    #[test]
    fn role_rules() {
        let h = h();
        let m = UserId::new(300);
        assert_eq!(check_role(&h, m, &[r(20)], &[r(30)], r(10), false), Ok(()));
        assert_eq!(
            check_role(&h, m, &[r(20)], &[r(30)], r(20), false),
            Err(HierarchyRefusal::RoleAboveModerator)
        );
        assert_eq!(
            check_role(&h, UserId::new(100), &[], &[r(30)], r(40), false),
            Err(HierarchyRefusal::RoleAboveBot)
        );
        assert_eq!(
            check_role(&h, m, &[r(40)], &[r(30)], r(1), true),
            Err(HierarchyRefusal::RoleNotAssignable)
        );
    }

    #[test]
    fn action_args() {
        let a = parse_action_args(Some("7d spamming links"), true, MAX_DURATION_SECS).unwrap();
        assert_eq!(a.duration, Some(Duration::days(7)));
        assert_eq!(a.reason.as_deref(), Some("spamming links"));
        let a = parse_action_args(Some("spamming"), true, MAX_DURATION_SECS).unwrap();
        assert_eq!(a.duration, None);
        assert_eq!(a.reason.as_deref(), Some("spamming"));
        let a = parse_action_args(Some("--delete 1d 2h raid"), true, MAX_DURATION_SECS).unwrap();
        assert_eq!(a.delete, Some(Duration::days(1)));
        assert_eq!(a.duration, Some(Duration::hours(2)));
        assert_eq!(a.reason.as_deref(), Some("raid"));
        let a = parse_action_args(Some("2h --delete=7d"), true, MAX_DURATION_SECS).unwrap();
        assert_eq!(
            (a.duration, a.delete, a.reason),
            (Some(Duration::hours(2)), Some(Duration::days(7)), None)
        );
        assert_eq!(
            parse_action_args(Some("--delete 8d"), true, MAX_DURATION_SECS),
            Err(ArgsError::Duration(DurationError::TooLong {
                max_secs: MAX_BAN_DELETE_SECS
            }))
        );
        assert_eq!(
            parse_action_args(Some("--delete"), true, MAX_DURATION_SECS),
            Err(ArgsError::DeleteWithoutValue)
        );
        // without --delete support the flag is part of the reason
        let a = parse_action_args(Some("--delete 1d"), false, MAX_DURATION_SECS).unwrap();
        assert_eq!(a.reason.as_deref(), Some("--delete 1d"));
        // a number alone is a reason ("3 strikes"), a bad duration is an error
        let a = parse_action_args(Some("3 strikes"), true, MAX_DURATION_SECS).unwrap();
        assert_eq!(a.reason.as_deref(), Some("3 strikes"));
        assert_eq!(
            parse_action_args(Some("10x rude"), false, MAX_DURATION_SECS),
            Err(ArgsError::Duration(DurationError::UnknownUnit(
                "10x".into()
            )))
        );
        assert_eq!(
            parse_action_args(Some("30d"), false, MAX_TIMEOUT_SECS),
            Err(ArgsError::Duration(DurationError::TooLong {
                max_secs: MAX_TIMEOUT_SECS
            }))
        );
        let long = "x".repeat(513);
        assert_eq!(
            parse_action_args(Some(&long), false, MAX_DURATION_SECS),
            Err(ArgsError::ReasonTooLong {
                chars: 513,
                max: 512
            })
        );
        assert_eq!(
            parse_action_args(None, true, MAX_DURATION_SECS),
            Ok(ActionArgs::default())
        );
        assert_eq!(delete_message_days(Some(Duration::days(1))), 1);
        assert_eq!(delete_message_days(Some(Duration::hours(2))), 1);
        assert_eq!(delete_message_days(Some(Duration::days(7))), 7);
        assert_eq!(delete_message_days(None), 0);
    }

    #[test]
    fn spans_read_back() {
        assert_eq!(format_span(Duration::minutes(10)), "10m");
        assert_eq!(format_span(Duration::minutes(90)), "1h 30m");
        assert_eq!(format_span(Duration::seconds(86_405)), "1d 5s");
        assert_eq!(format_span(Duration::zero()), "0s");
        for s in ["7d", "1h 30m", "2s", "1d 5s"] {
            assert_eq!(format_span(parse_duration(s).unwrap()), s);
        }
    }

    #[test]
    fn case_kinds_round_trip() {
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(CaseKind::parse("nope"), None);
        assert!(CaseKind::TempBan.is_timed() && !CaseKind::Ban.is_timed());
    }

    #[test]
    fn purge_filters() {
        let f = parse_purge_filters("bots links").unwrap();
        assert!(f.bots && f.links && !f.embeds);
        let f = parse_purge_filters("<@42> contains Free Nitro here").unwrap();
        assert_eq!(f.user, Some(UserId::new(42)));
        assert_eq!(f.contains.as_deref(), Some("Free Nitro here"));
        assert_eq!(parse_purge_filters("").unwrap(), PurgeFilter::default());
        assert_eq!(
            parse_purge_filters("everything"),
            Err(PurgeError::UnknownFilter("everything".into()))
        );
        assert_eq!(
            parse_purge_filters("contains"),
            Err(PurgeError::ContainsWithoutText)
        );
        let msg = |author: u64, bot: bool, content: &str| MessageFacts {
            author: UserId::new(author),
            bot,
            content: content.into(),
            ..MessageFacts::default()
        };
        let f = parse_purge_filters("contains nitro").unwrap();
        assert!(f.matches(&msg(1, false, "FREE NITRO")));
        assert!(!f.matches(&msg(1, false, "hello")));
        let f = parse_purge_filters("bots").unwrap();
        assert!(f.matches(&msg(1, true, "x")) && !f.matches(&msg(1, false, "x")));
        let f = parse_purge_filters("links").unwrap();
        assert!(f.matches(&msg(1, false, "see https://x.y")));
        assert!(f.matches(&msg(1, false, "join discord.gg/abc")));
        assert!(!f.matches(&msg(1, false, "no link")));
        let mut a = msg(1, false, "");
        assert!(!parse_purge_filters("files").unwrap().matches(&a));
        a.attachments = 1;
        assert!(parse_purge_filters("files").unwrap().matches(&a));
        a.pinned = true;
        assert!(
            !PurgeFilter::default().matches(&a),
            "pinned messages are kept"
        );
        let mut e = msg(1, false, "");
        e.embeds = 2;
        assert!(parse_purge_filters("embeds").unwrap().matches(&e));
        let f = parse_purge_filters("2").unwrap();
        assert!(f.matches(&msg(2, false, "")) && !f.matches(&msg(3, false, "")));
    }

    #[test]
    fn bulk_delete_age() {
        let now_ms = 1_800_000_000_000i64;
        let id_at = |ms: i64| ((ms - 1_420_070_400_000) as u64) << 22;
        assert_eq!(snowflake_ms(id_at(now_ms)), now_ms);
        assert!(bulk_deletable(id_at(now_ms - 86_400_000), now_ms));
        assert!(!bulk_deletable(id_at(now_ms - 15 * 86_400_000), now_ms));
    }

    fn roles() -> Vec<RoleFacts> {
        [
            (1, "@everyone"),
            (10, "Members"),
            (11, "Moderators"),
            (12, "Mods"),
            (13, "VIP"),
            (14, "vip"),
            (15, "Muted"),
        ]
        .into_iter()
        .map(|(id, name)| RoleFacts {
            id: RoleId::new(id),
            name: name.into(),
        })
        .collect()
    }

    #[test]
    fn role_arguments() {
        let rs = roles();
        let ok = |t: &str| parse_role_arg(t, &rs);
        assert_eq!(ok("<@&11>"), Ok(r(11)));
        assert_eq!(ok("12"), Ok(r(12)));
        assert_eq!(ok("members"), Ok(r(10)), "case-insensitive");
        assert_eq!(ok("@Muted"), Ok(r(15)), "a leading @ is ignored");
        assert_eq!(ok("mods"), Ok(r(12)), "an exact name beats a prefix");
        assert_eq!(ok("mut"), Ok(r(15)), "a unique prefix");
        assert_eq!(
            ok("everyone"),
            Ok(r(1)),
            "found; refused later as unassignable"
        );
        assert_eq!(ok("  "), Err(RoleArgError::Empty));
        assert_eq!(ok("<@&99>"), Err(RoleArgError::NotFound("<@&99>".into())));
        assert_eq!(ok("admins"), Err(RoleArgError::NotFound("admins".into())));
        assert_eq!(ok("@"), Err(RoleArgError::NotFound("@".into())));
        assert_eq!(
            ok("mod"),
            Err(RoleArgError::Ambiguous {
                text: "mod".into(),
                names: vec!["Moderators".into(), "Mods".into()],
                count: 2
            })
        );
        assert_eq!(
            ok("VIP"),
            Err(RoleArgError::Ambiguous {
                text: "VIP".into(),
                names: vec!["VIP".into(), "vip".into()],
                count: 2
            }),
            "two roles with the same name"
        );
        assert!(
            RoleArgError::NotFound("x".into())
                .to_string()
                .contains("no role `x`")
        );
    }

    #[test]
    fn locking_keeps_the_other_bits() {
        use lock_bits::*;
        let bits = LockableKind::Text.denied().unwrap();
        assert_eq!(
            locked_overwrite(None, bits),
            Overwrite {
                allow: 0,
                deny: bits
            }
        );
        let prev = Overwrite {
            allow: SEND_MESSAGES | ADD_REACTIONS,
            deny: 1 << 15,
        };
        assert_eq!(
            locked_overwrite(Some(prev), bits),
            Overwrite {
                allow: ADD_REACTIONS,
                deny: (1 << 15) | bits
            }
        );
        assert_eq!(
            LockableKind::from_discord(2).denied(),
            Some(CONNECT | SEND_MESSAGES)
        );
        assert_eq!(LockableKind::from_discord(15), LockableKind::Forum);
        assert_eq!(LockableKind::from_discord(11).denied(), None);
        assert_eq!(LockableKind::from_discord(4).denied(), None, "categories");
    }

    #[test]
    fn case_targets_follow_the_kind() {
        assert_eq!(
            CaseTarget::of(CaseKind::Lock, 7),
            CaseTarget::Channel(ChannelId::new(7))
        );
        assert_eq!(
            CaseTarget::of(CaseKind::LockdownEnd, 7),
            CaseTarget::Server(GuildId::new(7))
        );
        assert_eq!(
            CaseTarget::of(CaseKind::RoleAdd, 7).user(),
            Some(UserId::new(7))
        );
        assert_eq!(CaseTarget::Channel(ChannelId::new(7)).mention("x"), "<#7>");
    }

    #[test]
    fn slowmode_and_nicknames() {
        assert_eq!(parse_slowmode("off"), Ok(0));
        assert_eq!(parse_slowmode("10s"), Ok(10));
        assert_eq!(parse_slowmode("6h"), Ok(21_600));
        assert_eq!(
            parse_slowmode("7h"),
            Err(DurationError::TooLong {
                max_secs: SLOWMODE_MAX_SECS
            })
        );
        assert_eq!(clean_nick(Some("  ")), Ok(None));
        assert_eq!(clean_nick(Some(" Bob ")), Ok(Some("Bob".into())));
        assert_eq!(clean_nick(Some(&"x".repeat(33))), Err(33));
    }

    proptest! {
        /// Random purge words never panic.
        #[test]
        fn purge_filters_never_panic(s in "\\PC{0,200}") {
            let _ = parse_purge_filters(&s);
        }

        /// Random text never panics: a duration within bounds or a typed error.
        #[test]
        fn durations_never_panic(s in "\\PC{0,40}") {
            match parse_duration(&s) {
                Ok(d) => prop_assert!(d.num_seconds() > 0 && d.num_seconds() <= MAX_DURATION_SECS),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }

        /// Random argument text never panics and a valid result keeps its limits.
        #[test]
        fn action_args_never_panic(s in "\\PC{0,600}", del in any::<bool>()) {
            if let Ok(a) = parse_action_args(Some(&s), del, MAX_TIMEOUT_SECS) {
                prop_assert!(a.duration.is_none_or(|d| d.num_seconds() > 0 && d.num_seconds() <= MAX_TIMEOUT_SECS));
                prop_assert!(a.delete.is_none_or(|d| d.num_seconds() <= MAX_BAN_DELETE_SECS));
                prop_assert!(a.reason.is_none_or(|r| !r.is_empty() && r.chars().count() <= MAX_REASON_CHARS));
            }
        }

        /// Random role text against random roles: a role of the list or a typed refusal.
        #[test]
        fn role_args_never_panic(
            s in "\\PC{0,60}",
            names in proptest::collection::vec("\\PC{0,12}", 0..12),
        ) {
            let rs: Vec<RoleFacts> = names
                .into_iter()
                .enumerate()
                .map(|(i, name)| RoleFacts { id: RoleId::new(i as u64 + 1), name })
                .collect();
            match parse_role_arg(&s, &rs) {
                Ok(id) => prop_assert!(rs.iter().any(|r| r.id == id)),
                Err(RoleArgError::Ambiguous { names, count, .. }) => {
                    prop_assert!(count >= 2 && !names.is_empty() && names.len() <= AMBIGUOUS_SHOWN);
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }

        /// A mention or id of a listed role always finds it.
        #[test]
        fn role_mentions_find_their_role(n in 1usize..20, pick in 0usize..20, mention in any::<bool>()) {
            let rs: Vec<RoleFacts> = (0..n)
                .map(|i| RoleFacts { id: RoleId::new(1_000 + i as u64), name: format!("r{i}") })
                .collect();
            let want = rs[pick % n].id;
            let text = if mention { format!("<@&{}>", want.get()) } else { want.get().to_string() };
            prop_assert_eq!(parse_role_arg(&text, &rs), Ok(want));
        }

        /// Random member text: a non-zero user id or nothing.
        #[test]
        fn member_args_never_panic(s in "\\PC{0,40}") {
            if let Some(u) = parse_user(&s) {
                prop_assert!(u.get() > 0);
            }
        }

        /// Random reasons: trimmed and within Discord's limit, or too long.
        #[test]
        fn reasons_never_panic(s in "\\PC{0,700}") {
            match clean_reason(Some(&s)) {
                Ok(Some(r)) => prop_assert!(!r.is_empty() && r == r.trim() && r.chars().count() <= MAX_REASON_CHARS),
                Ok(None) => prop_assert!(s.trim().is_empty()),
                Err(ArgsError::ReasonTooLong { chars, max }) => prop_assert!(chars > max),
                Err(e) => prop_assert!(false, "unexpected {e:?}"),
            }
        }

        /// Random slowmode and nickname text: within Discord's limits or a typed refusal.
        #[test]
        fn slowmode_and_nicks_never_panic(s in "\\PC{0,40}") {
            if let Ok(secs) = parse_slowmode(&s) {
                prop_assert!(i64::from(secs) <= SLOWMODE_MAX_SECS);
            }
            if let Ok(Some(n)) = clean_nick(Some(&s)) {
                prop_assert!(!n.is_empty() && n.chars().count() <= MAX_NICK_CHARS);
            }
        }

        /// Durations built from parts read back to their sum.
        #[test]
        fn composed_durations_read_back(d in 0i64..30, h in 0i64..24, m in 0i64..60) {
            prop_assume!(d + h + m > 0);
            let text = format!("{d}d{h}h{m}m");
            prop_assert_eq!(secs(&text), d * 86_400 + h * 3_600 + m * 60);
        }
    }
}
