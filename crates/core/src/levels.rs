//! Chat XP and levels (issue 15, spec §13): a server's level settings, the anti-spam rules that
//! decide whether a message earns XP, multipliers, role rewards and the level-up text.
//!
//! The curve itself is [`crate::xp::XpCurve`]; the default for levels is `5·L² + 50·L + 100`
//! XP per level, levels 0–[`MAX_LEVEL`]. Everything here is pure: the bot passes the facts of a
//! message ([`MessageFacts`]) and the clock and RNG ([`award`]).

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, RoleId};
use crate::xp::{MessageXpRules, XpCurve};

/// The highest level a server can configure (and the default curve's `max_level`).
pub const MAX_LEVEL: u32 = 500;
/// At most this many role rewards per server (one per level at most).
pub const MAX_REWARDS: usize = 500;
/// At most this many ignored channels and roles (each) and multipliers (each).
pub const MAX_LIST: usize = 50;
/// The longest level-up message template.
pub const MAX_TEMPLATE: usize = 500;
/// The largest single multiplier, in percent, and the cap of their product.
pub const MAX_MULTIPLIER_PCT: u32 = 1_000;
/// The largest XP a single message may grant before multipliers.
pub const MAX_MESSAGE_XP: i64 = 1_000;
/// The longest cooldown, in seconds (one day).
pub const MAX_COOLDOWN_SECS: u32 = 86_400;
/// The default level-up message.
pub const DEFAULT_TEMPLATE: &str = "🎉 {mention} reached level **{level}**!";

/// Which XP a server shows by default in `rank` and `levels`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// XP earned in this server.
    #[default]
    Server,
    /// XP earned everywhere (chat in every server, hunts, …).
    Global,
}

/// Where a level-up is announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "mode", content = "channel")]
pub enum Announce {
    /// Not announced.
    Off,
    /// In the channel of the message that levelled up.
    #[default]
    Here,
    /// In a fixed channel.
    Channel(ChannelId),
    /// By direct message.
    Dm,
}

/// A role given at a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleReward {
    /// The level (1..=[`MAX_LEVEL`]).
    pub level: u32,
    /// The role.
    pub role: RoleId,
}

/// A percentage multiplier on a role or channel (150 = +50 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Multiplier<T> {
    /// The role or channel.
    pub target: T,
    /// Percent (1..=[`MAX_MULTIPLIER_PCT`]).
    pub pct: u32,
}

/// A server's level settings (stored as JSON, checked by [`LevelSettings::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LevelSettings {
    /// XP per message and the cooldown.
    pub xp: MessageXpRules,
    /// Messages shorter than this (in characters, trimmed) earn nothing.
    pub min_length: u32,
    /// Channels where chatting earns nothing.
    pub ignored_channels: Vec<ChannelId>,
    /// Members with one of these roles earn nothing.
    pub ignored_roles: Vec<RoleId>,
    /// The level curve.
    pub curve: XpCurve,
    /// Which XP `rank` and `levels` show by default.
    pub scope: Scope,
    /// Where level-ups are announced.
    pub announce: Announce,
    /// The level-up text (placeholders: see [`render_template`]).
    pub message: String,
    /// Announce with the rank card image instead of text only.
    pub card: bool,
    /// Role rewards, sorted by level.
    pub rewards: Vec<RoleReward>,
    /// Keep earlier reward roles (true) or replace them with the newest (false).
    pub stack: bool,
    /// Multiplier for server boosters, in percent (100 = none).
    pub booster_pct: u32,
    /// Multipliers for members with a role (the best one applies).
    pub role_multipliers: Vec<Multiplier<RoleId>>,
    /// Multipliers for messages in a channel.
    pub channel_multipliers: Vec<Multiplier<ChannelId>>,
    /// The rank card's background colour, `#rrggbb`.
    pub card_color: String,
}

impl Default for LevelSettings {
    fn default() -> Self {
        LevelSettings {
            xp: MessageXpRules::default(),
            min_length: 3,
            ignored_channels: Vec::new(),
            ignored_roles: Vec::new(),
            curve: default_curve(),
            scope: Scope::Server,
            announce: Announce::Here,
            message: DEFAULT_TEMPLATE.to_string(),
            card: false,
            rewards: Vec::new(),
            stack: true,
            booster_pct: 100,
            role_multipliers: Vec::new(),
            channel_multipliers: Vec::new(),
            card_color: "#23272a".to_string(),
        }
    }
}

/// The documented default curve: `5·L² + 50·L + 100`, levels 0–500.
pub fn default_curve() -> XpCurve {
    XpCurve {
        max_level: MAX_LEVEL,
        ..XpCurve::default()
    }
}

/// Why a settings record is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// min > max, negative, or above [`MAX_MESSAGE_XP`].
    #[error("bad XP range {min}..{max}")]
    XpRange {
        /// Smallest grant.
        min: i64,
        /// Largest grant.
        max: i64,
    },
    /// Cooldown above [`MAX_COOLDOWN_SECS`].
    #[error("cooldown too long")]
    Cooldown,
    /// Curve with all coefficients zero, or max level outside 1..=500.
    #[error("bad curve")]
    Curve,
    /// A reward level outside 1..=max level.
    #[error("reward level {0} out of range")]
    RewardLevel(u32),
    /// Two rewards on one level.
    #[error("two rewards at level {0}")]
    DuplicateReward(u32),
    /// Too many rewards, ignored entries or multipliers.
    #[error("too many entries (max {0})")]
    TooMany(usize),
    /// Template too long.
    #[error("message too long (max {0})")]
    TemplateTooLong(usize),
    /// A multiplier outside 1..=1000 %.
    #[error("multiplier {0}% out of range")]
    Multiplier(u32),
    /// Not a `#rrggbb` colour.
    #[error("bad colour")]
    Color,
}

impl LevelSettings {
    /// Checks every limit; the one check before every write.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let (min, max) = (self.xp.min, self.xp.max);
        if min < 0 || max < min || max > MAX_MESSAGE_XP {
            return Err(SettingsError::XpRange { min, max });
        }
        if self.xp.cooldown_secs > MAX_COOLDOWN_SECS {
            return Err(SettingsError::Cooldown);
        }
        let c = &self.curve;
        if (c.quadratic == 0 && c.linear == 0 && c.constant == 0)
            || !(1..=MAX_LEVEL).contains(&c.max_level)
            || c.quadratic > 1_000_000
            || c.linear > 1_000_000
            || c.constant > 1_000_000
        {
            return Err(SettingsError::Curve);
        }
        if self.rewards.len() > MAX_REWARDS {
            return Err(SettingsError::TooMany(MAX_REWARDS));
        }
        let mut levels = std::collections::HashSet::new();
        for r in &self.rewards {
            if r.level == 0 || r.level > c.max_level {
                return Err(SettingsError::RewardLevel(r.level));
            }
            if !levels.insert(r.level) {
                return Err(SettingsError::DuplicateReward(r.level));
            }
        }
        if self.ignored_channels.len() > MAX_LIST
            || self.ignored_roles.len() > MAX_LIST
            || self.role_multipliers.len() > MAX_LIST
            || self.channel_multipliers.len() > MAX_LIST
        {
            return Err(SettingsError::TooMany(MAX_LIST));
        }
        if self.message.chars().count() > MAX_TEMPLATE {
            return Err(SettingsError::TemplateTooLong(MAX_TEMPLATE));
        }
        let pcts = std::iter::once(self.booster_pct)
            .chain(self.role_multipliers.iter().map(|m| m.pct))
            .chain(self.channel_multipliers.iter().map(|m| m.pct));
        for p in pcts {
            if p == 0 || p > MAX_MULTIPLIER_PCT {
                return Err(SettingsError::Multiplier(p));
            }
        }
        parse_color(&self.card_color).ok_or(SettingsError::Color)?;
        Ok(())
    }

    /// Adds or replaces the reward at `level` (kept sorted by level).
    pub fn set_reward(&mut self, level: u32, role: RoleId) {
        self.rewards.retain(|r| r.level != level);
        self.rewards.push(RoleReward { level, role });
        self.rewards.sort_by_key(|r| r.level);
    }
}

/// `#rrggbb` → `(r, g, b)`.
pub fn parse_color(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

/// What the bot knows about a message when deciding on XP.
#[derive(Debug, Clone, Copy)]
pub struct MessageFacts<'a> {
    /// The text.
    pub content: &'a str,
    /// The author is a bot or a webhook.
    pub author_is_bot: bool,
    /// The text starts with one of the bot's prefixes (a command, not chat).
    pub is_command: bool,
    /// Where it was sent.
    pub channel: ChannelId,
    /// The parent channel of a thread (ignored/multiplied like its parent).
    pub parent: Option<ChannelId>,
    /// The author's roles.
    pub roles: &'a [RoleId],
    /// The author boosts the server.
    pub booster: bool,
}

/// Why a message earns nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Written by a bot or webhook.
    Bot,
    /// A bot command.
    Command,
    /// Shorter than the minimum length.
    TooShort,
    /// In an ignored channel.
    IgnoredChannel,
    /// The author has an ignored role.
    IgnoredRole,
    /// The same text as the member's last counted message.
    Repeated,
    /// Inside the cooldown window.
    Cooldown,
}

/// A fingerprint of a message's text for the repeated-text rule: case, spaces and punctuation
/// do not matter (`"Hello!!"` repeats `"hello"`). FNV-1a over the normalised characters.
pub fn text_fingerprint(content: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in content
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
    {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The anti-spam rules that do not depend on the member's history: bots, commands, length,
/// ignored channels and roles. Cheap; run first on every message.
pub fn screen(s: &LevelSettings, m: &MessageFacts<'_>) -> Result<(), Skip> {
    if m.author_is_bot {
        return Err(Skip::Bot);
    }
    if m.is_command {
        return Err(Skip::Command);
    }
    let here = |c: &ChannelId| *c == m.channel || Some(*c) == m.parent;
    if s.ignored_channels.iter().any(here) {
        return Err(Skip::IgnoredChannel);
    }
    if s.ignored_roles.iter().any(|r| m.roles.contains(r)) {
        return Err(Skip::IgnoredRole);
    }
    let len = m.content.trim().chars().count();
    if len < s.min_length as usize {
        return Err(Skip::TooShort);
    }
    Ok(())
}

/// The combined multiplier in percent: booster × best role × channel × `extra_pct` (a clan perk,
/// an event; 100 = none), each a factor, the product capped at [`MAX_MULTIPLIER_PCT`].
pub fn multiplier_pct(s: &LevelSettings, m: &MessageFacts<'_>, extra_pct: u32) -> u32 {
    let role = s
        .role_multipliers
        .iter()
        .filter(|x| m.roles.contains(&x.target))
        .map(|x| x.pct)
        .max()
        .unwrap_or(100);
    let channel = s
        .channel_multipliers
        .iter()
        .find(|x| x.target == m.channel)
        .or_else(|| {
            s.channel_multipliers
                .iter()
                .find(|x| Some(x.target) == m.parent)
        })
        .map_or(100, |x| x.pct);
    let booster = if m.booster { s.booster_pct } else { 100 };
    combine_pct(&[booster, role, channel, extra_pct])
}

/// A timed XP boost of one member (the welcomer's boost for new members): its multiplier
/// joins `extra_pct` of [`multiplier_pct`] while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct XpBoost {
    /// Percent (150 = +50 %).
    pub pct: u32,
    /// When it ends.
    pub until: DateTime<Utc>,
}

impl XpBoost {
    /// The boost's multiplier at `now` in percent (100 once it ended).
    pub fn pct_at(&self, now: DateTime<Utc>) -> u32 {
        if now < self.until { self.pct } else { 100 }
    }
}

/// Combines extra multipliers (each in percent, 100 = none) into one `extra_pct`.
pub fn combine_pct(factors: &[u32]) -> u32 {
    let mut pct: u64 = 100;
    for f in factors {
        pct = pct * u64::from(*f) / 100;
    }
    pct.min(u64::from(MAX_MULTIPLIER_PCT)) as u32
}

/// What the member's recent history says (kept in memory by the bot).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberMemory {
    /// When the member last earned chat XP here.
    pub last_award: Option<DateTime<Utc>>,
    /// [`text_fingerprint`] of that message.
    pub last_fingerprint: Option<u64>,
}

/// The XP a message earns at `now` (after [`screen`]), or why it earns nothing. On success the
/// memory is updated (the cooldown starts now).
pub fn award(
    s: &LevelSettings,
    m: &MessageFacts<'_>,
    memory: &mut MemberMemory,
    now: DateTime<Utc>,
    extra_pct: u32,
    rng: &mut impl Rng,
) -> Result<i64, Skip> {
    screen(s, m)?;
    let fp = text_fingerprint(m.content);
    if memory.last_fingerprint == Some(fp) {
        return Err(Skip::Repeated);
    }
    let pct = multiplier_pct(s, m, extra_pct);
    let xp =
        crate::xp::message_xp(&s.xp, memory.last_award, now, pct, rng).ok_or(Skip::Cooldown)?;
    memory.last_award = Some(now);
    memory.last_fingerprint = Some(fp);
    Ok(xp)
}

/// The reward roles to add and remove for a member at `level` (given what the settings list):
/// stacked, every reward at or below the level; replacing, only the highest one, and the
/// lower ones are removed. The caller grants each level once (storage remembers grants).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RewardPlan {
    /// Rewards due (level, role), lowest level first.
    pub add: Vec<RoleReward>,
    /// Roles to take away (replace mode).
    pub remove: Vec<RoleId>,
}

/// See [`RewardPlan`]. `level` is the member's level now.
pub fn rewards_at(s: &LevelSettings, level: u32) -> RewardPlan {
    let mut reached: Vec<RoleReward> = s
        .rewards
        .iter()
        .copied()
        .filter(|r| r.level <= level)
        .collect();
    reached.sort_by_key(|r| r.level);
    if s.stack {
        return RewardPlan {
            add: reached,
            remove: Vec::new(),
        };
    }
    let Some(top) = reached.pop() else {
        return RewardPlan::default();
    };
    let mut remove: Vec<RoleId> = reached
        .iter()
        .map(|r| r.role)
        .filter(|r| *r != top.role)
        .collect();
    remove.dedup();
    RewardPlan {
        add: vec![top],
        remove,
    }
}

/// The values of a level-up message's placeholders.
#[derive(Debug, Clone, Default)]
pub struct Placeholders<'a> {
    /// `{user}`: the member's name.
    pub user: &'a str,
    /// `{mention}`: `<@id>`.
    pub mention: &'a str,
    /// `{level}`.
    pub level: u32,
    /// `{server}`: the server's name.
    pub server: &'a str,
    /// `{xp}`: total XP.
    pub xp: i64,
    /// `{rank}`: position in the server, when known.
    pub rank: Option<i64>,
}

/// Replaces `{user}`, `{mention}`, `{level}`, `{server}`, `{xp}` and `{rank}` in `template`;
/// unknown `{…}` are left as written. One pass: a value containing `{level}` is not expanded.
pub fn render_template(template: &str, p: &Placeholders<'_>) -> String {
    crate::text::fill_placeholders(template, |key| match key {
        "user" => Some(p.user.to_string()),
        "mention" => Some(p.mention.to_string()),
        "level" => Some(p.level.to_string()),
        "server" => Some(p.server.to_string()),
        "xp" => Some(crate::render::format_number(p.xp)),
        "rank" => Some(p.rank.map_or_else(|| "?".to_string(), |r| format!("#{r}"))),
        _ => None,
    })
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)] // settings built field by field read best
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn facts<'a>(content: &'a str, roles: &'a [RoleId]) -> MessageFacts<'a> {
        MessageFacts {
            content,
            author_is_bot: false,
            is_command: false,
            channel: ChannelId::new(10),
            parent: None,
            roles,
            booster: false,
        }
    }

    #[test]
    fn default_settings_are_valid_and_use_the_documented_curve() {
        let s = LevelSettings::default();
        assert_eq!(s.validate(), Ok(()));
        let c = &s.curve;
        assert_eq!(
            (c.quadratic, c.linear, c.constant, c.max_level),
            (5, 50, 100, 500)
        );
        for l in [0u32, 1, 10, 499] {
            let ll = i64::from(l);
            assert_eq!(c.xp_to_next(l), 5 * ll * ll + 50 * ll + 100);
        }
    }

    #[test]
    fn curve_is_consistent_for_every_level_up_to_500() {
        let c = default_curve();
        let mut total = 0i64;
        for l in 0..=MAX_LEVEL {
            assert_eq!(c.total_xp_for_level(l), total, "level {l}");
            assert_eq!(c.level_for_xp(total), l);
            if l > 0 {
                assert_eq!(c.level_for_xp(total - 1), l - 1);
            }
            total += c.xp_to_next(l);
        }
        // Level 500 is the cap: 213,996,250 XP reach it (5·Σi² + 50·Σi + 100·500 for i < 500), more XP stays at 500.
        assert_eq!(c.total_xp_for_level(500), 213_996_250);
        assert_eq!(c.level_for_xp(i64::MAX), 500);
        assert_eq!(c.progress(i64::MAX).xp_for_next, None);
    }

    #[test]
    fn screen_applies_the_anti_spam_rules_in_order() {
        let mut s = LevelSettings::default();
        s.ignored_channels.push(ChannelId::new(99));
        s.ignored_roles.push(RoleId::new(7));
        let roles = [RoleId::new(7)];
        assert_eq!(screen(&s, &facts("hello there", &[])), Ok(()));
        assert_eq!(
            screen(
                &s,
                &MessageFacts {
                    author_is_bot: true,
                    ..facts("hello", &[])
                }
            ),
            Err(Skip::Bot)
        );
        assert_eq!(
            screen(
                &s,
                &MessageFacts {
                    is_command: true,
                    ..facts("chro rank", &[])
                }
            ),
            Err(Skip::Command)
        );
        assert_eq!(screen(&s, &facts("  hi  ", &[])), Err(Skip::TooShort));
        assert_eq!(
            screen(&s, &facts("héé", &[])),
            Ok(()),
            "characters, not bytes"
        );
        assert_eq!(screen(&s, &facts("hello", &roles)), Err(Skip::IgnoredRole));
        let in_thread = MessageFacts {
            channel: ChannelId::new(500),
            parent: Some(ChannelId::new(99)),
            ..facts("hello", &[])
        };
        assert_eq!(
            screen(&s, &in_thread),
            Err(Skip::IgnoredChannel),
            "a thread of an ignored channel"
        );
    }

    #[test]
    fn award_has_a_cooldown_and_refuses_repeated_text() {
        let s = LevelSettings::default();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut mem = MemberMemory::default();
        let xp = award(
            &s,
            &facts("hello world", &[]),
            &mut mem,
            t(0),
            100,
            &mut rng,
        )
        .unwrap();
        assert!((15..=25).contains(&xp), "{xp}");
        assert_eq!(mem.last_award, Some(t(0)));
        assert_eq!(
            award(
                &s,
                &facts("something else", &[]),
                &mut mem,
                t(59),
                100,
                &mut rng
            ),
            Err(Skip::Cooldown)
        );
        assert_eq!(
            award(
                &s,
                &facts("Hello, WORLD!", &[]),
                &mut mem,
                t(120),
                100,
                &mut rng
            ),
            Err(Skip::Repeated),
            "case and punctuation do not make a new message"
        );
        assert_eq!(
            mem.last_award,
            Some(t(0)),
            "a skipped message keeps the window"
        );
        let xp = award(&s, &facts("new words", &[]), &mut mem, t(60), 100, &mut rng).unwrap();
        assert!((15..=25).contains(&xp));
        assert_eq!(mem.last_award, Some(t(60)));
    }

    #[test]
    fn award_amounts_stay_in_the_configured_range() {
        let mut s = LevelSettings::default();
        s.xp = MessageXpRules {
            min: 5,
            max: 7,
            cooldown_secs: 0,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..200 {
            let mut mem = MemberMemory::default();
            let text = format!("message {i}");
            seen.insert(award(&s, &facts(&text, &[]), &mut mem, t(i), 100, &mut rng).unwrap());
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec![5, 6, 7]);
    }

    #[test]
    fn a_boost_counts_while_it_lasts_and_factors_combine() {
        let t = DateTime::from_timestamp(1_900_000_000, 0).unwrap();
        let b = XpBoost {
            pct: 150,
            until: t + chrono::Duration::hours(1),
        };
        assert_eq!(b.pct_at(t), 150);
        assert_eq!(b.pct_at(t + chrono::Duration::hours(1)), 100);
        assert_eq!(combine_pct(&[]), 100);
        assert_eq!(combine_pct(&[150, 200]), 300);
        assert_eq!(combine_pct(&[1_000, 200]), MAX_MULTIPLIER_PCT);
    }

    #[test]
    fn multipliers_multiply_and_are_capped() {
        let mut s = LevelSettings::default();
        s.booster_pct = 150;
        s.role_multipliers = vec![
            Multiplier {
                target: RoleId::new(1),
                pct: 120,
            },
            Multiplier {
                target: RoleId::new(2),
                pct: 200,
            },
        ];
        s.channel_multipliers = vec![Multiplier {
            target: ChannelId::new(10),
            pct: 50,
        }];
        let roles = [RoleId::new(1), RoleId::new(2)];
        // best role 200 × channel 50 = 100
        assert_eq!(multiplier_pct(&s, &facts("x", &roles), 100), 100);
        let boosted = MessageFacts {
            booster: true,
            ..facts("x", &roles)
        };
        // 150 × 200 × 50 = 150; clan perk 110 → 165
        assert_eq!(multiplier_pct(&s, &boosted, 100), 150);
        assert_eq!(multiplier_pct(&s, &boosted, 110), 165);
        s.channel_multipliers.clear();
        s.booster_pct = 1_000;
        assert_eq!(multiplier_pct(&s, &boosted, 1_000), MAX_MULTIPLIER_PCT);
        let thread = MessageFacts {
            channel: ChannelId::new(77),
            parent: Some(ChannelId::new(10)),
            ..facts("x", &[])
        };
        s.channel_multipliers = vec![Multiplier {
            target: ChannelId::new(10),
            pct: 300,
        }];
        assert_eq!(
            multiplier_pct(&s, &thread, 100),
            300,
            "threads take their parent's"
        );
    }

    #[test]
    fn role_rewards_stacked_or_replacing_for_every_level() {
        let mut s = LevelSettings::default();
        s.set_reward(10, RoleId::new(100));
        s.set_reward(5, RoleId::new(50));
        s.set_reward(500, RoleId::new(5000));
        s.set_reward(10, RoleId::new(101)); // replaces level 10's role
        assert_eq!(
            s.rewards.iter().map(|r| r.level).collect::<Vec<_>>(),
            [5, 10, 500]
        );
        assert_eq!(s.validate(), Ok(()));
        for level in 0..=MAX_LEVEL {
            let plan = rewards_at(&s, level);
            let expected: Vec<u32> = [5, 10, 500].into_iter().filter(|l| *l <= level).collect();
            assert_eq!(
                plan.add.iter().map(|r| r.level).collect::<Vec<_>>(),
                expected
            );
            assert!(plan.remove.is_empty());
        }
        s.stack = false;
        assert_eq!(rewards_at(&s, 4), RewardPlan::default());
        assert_eq!(
            rewards_at(&s, 7),
            RewardPlan {
                add: vec![RoleReward {
                    level: 5,
                    role: RoleId::new(50)
                }],
                remove: vec![]
            }
        );
        assert_eq!(
            rewards_at(&s, 499),
            RewardPlan {
                add: vec![RoleReward {
                    level: 10,
                    role: RoleId::new(101)
                }],
                remove: vec![RoleId::new(50)]
            }
        );
        assert_eq!(
            rewards_at(&s, 500).remove,
            vec![RoleId::new(50), RoleId::new(101)]
        );
    }

    #[test]
    fn invalid_settings_are_refused() {
        let ok = LevelSettings::default;
        let mut s = ok();
        s.xp.min = 30;
        assert_eq!(
            s.validate(),
            Err(SettingsError::XpRange { min: 30, max: 25 })
        );
        let mut s = ok();
        s.xp.cooldown_secs = MAX_COOLDOWN_SECS + 1;
        assert_eq!(s.validate(), Err(SettingsError::Cooldown));
        let mut s = ok();
        s.curve = XpCurve {
            quadratic: 0,
            linear: 0,
            constant: 0,
            max_level: 500,
        };
        assert_eq!(s.validate(), Err(SettingsError::Curve));
        let mut s = ok();
        s.curve.max_level = 501;
        assert_eq!(s.validate(), Err(SettingsError::Curve));
        let mut s = ok();
        s.rewards.push(RoleReward {
            level: 0,
            role: RoleId::new(1),
        });
        assert_eq!(s.validate(), Err(SettingsError::RewardLevel(0)));
        let mut s = ok();
        s.rewards = vec![
            RoleReward {
                level: 3,
                role: RoleId::new(1),
            },
            RoleReward {
                level: 3,
                role: RoleId::new(2),
            },
        ];
        assert_eq!(s.validate(), Err(SettingsError::DuplicateReward(3)));
        let mut s = ok();
        s.rewards = (1..=500)
            .map(|l| RoleReward {
                level: l,
                role: RoleId::new(u64::from(l)),
            })
            .collect();
        assert_eq!(s.validate(), Ok(()), "one reward on every level up to 500");
        let mut s = ok();
        s.message = "x".repeat(MAX_TEMPLATE + 1);
        assert_eq!(
            s.validate(),
            Err(SettingsError::TemplateTooLong(MAX_TEMPLATE))
        );
        let mut s = ok();
        s.booster_pct = 0;
        assert_eq!(s.validate(), Err(SettingsError::Multiplier(0)));
        let mut s = ok();
        s.card_color = "red".into();
        assert_eq!(s.validate(), Err(SettingsError::Color));
        assert_eq!(parse_color("#ff8000"), Some((255, 128, 0)));
    }

    #[test]
    fn settings_round_trip_through_json_and_fill_defaults() {
        let mut s = LevelSettings::default();
        s.announce = Announce::Channel(ChannelId::new(42));
        s.set_reward(5, RoleId::new(9));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<LevelSettings>(&json).unwrap(), s);
        let partial: LevelSettings = serde_json::from_str(r#"{"min_length": 8}"#).unwrap();
        assert_eq!(partial.min_length, 8);
        assert_eq!(partial.curve, default_curve());
    }

    #[test]
    fn templates_fill_placeholders_once() {
        let p = Placeholders {
            user: "Ann {level}",
            mention: "<@1>",
            level: 12,
            server: "Chronix",
            xp: 12_345,
            rank: Some(3),
        };
        assert_eq!(
            render_template(
                "GG {mention} ({user}) → level {level} on {server}, {xp} XP, {rank} {nope} {",
                &p
            ),
            "GG <@1> (Ann {level}) → level 12 on Chronix, 12,345 XP, #3 {nope} {"
        );
        assert_eq!(
            render_template(DEFAULT_TEMPLATE, &p),
            "🎉 <@1> reached level **12**!"
        );
    }
}
