//! The welcomer's rules (issue 15, spec §16 and §26): a server's welcome settings and their
//! validation, the placeholders of welcome and farewell texts, which auto roles a joining
//! member gets and when ([`role_plan`]), which roles the bot may give ([`check_roles`]), the
//! account age and the welcome XP boost. The bot feature `features/welcome` builds on it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, RoleId, UserId};
use crate::levels::XpBoost;

/// The longest welcome or farewell text.
pub const MAX_TEXT: usize = 1_500;
/// At most this many auto roles (members and bots, each).
pub const MAX_ROLES: usize = 10;
/// The longest delay before auto roles are given (one day).
pub const MAX_ROLE_DELAY_SECS: u32 = 86_400;
/// The largest starter kit in Chrons.
pub const MAX_STARTER_CHRONS: i64 = 1_000_000;
/// The most kinds of items in a starter kit.
pub const MAX_STARTER_ITEMS: usize = 5;
/// The most of one item in a starter kit.
pub const MAX_STARTER_QUANTITY: u32 = 100;

/// One line of a starter kit: an item (a shop item or a crate, by its id) and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitItem {
    /// The item's id (`lure`, `basic_crate`, …).
    pub item: String,
    /// How many (1–[`MAX_STARTER_QUANTITY`]).
    pub quantity: u32,
}

/// Reads a starter kit's items as an admin types them: entries separated by commas or new
/// lines, each `item`, `item x3`, `item 3`, `3 item` or `3x item` (ids are case-insensitive;
/// an empty text is no items). Checks the limits ([`WelcomeSettings::validate`] checks them
/// again); whether each id exists is the caller's check ([`WelcomeSettings::unknown_item`]).
pub fn parse_kit(text: &str) -> Result<Vec<KitItem>, WelcomeError> {
    let mut out: Vec<KitItem> = Vec::new();
    for entry in text.split([',', '\n', ';']) {
        let words: Vec<String> = entry
            .split_whitespace()
            .map(str::to_lowercase)
            .filter(|w| w != "x" && w != "×")
            .collect();
        if words.is_empty() {
            continue;
        }
        let count = |w: &str| -> Option<u32> {
            let w = w
                .trim_start_matches(['x', '×'])
                .trim_end_matches(['x', '×']);
            (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
                .then(|| w.parse::<u32>().unwrap_or(u32::MAX))
        };
        let (item, quantity) = match words.as_slice() {
            [item] => (item.clone(), 1),
            [a, b] => match (count(a), count(b)) {
                (None, Some(n)) => (a.clone(), n),
                (Some(n), None) => (b.clone(), n),
                _ => return Err(WelcomeError::StarterItems),
            },
            _ => return Err(WelcomeError::StarterItems),
        };
        out.push(KitItem { item, quantity });
    }
    check_kit(&out)?;
    Ok(out)
}

fn check_kit(items: &[KitItem]) -> Result<(), WelcomeError> {
    if items.len() > MAX_STARTER_ITEMS {
        return Err(WelcomeError::StarterItems);
    }
    let mut seen = std::collections::HashSet::new();
    for i in items {
        let id_ok = !i.item.is_empty()
            && i.item.len() <= 64
            && i.item
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !id_ok || !(1..=MAX_STARTER_QUANTITY).contains(&i.quantity) || !seen.insert(&i.item) {
            return Err(WelcomeError::StarterItems);
        }
    }
    Ok(())
}
/// The default welcome text.
pub const DEFAULT_WELCOME: &str =
    "👋 Welcome {mention} to **{server}**! You are member #{position}.";
/// The default farewell text.
pub const DEFAULT_FAREWELL: &str = "👋 {user} left **{server}**.";
/// The default intro guide sent by DM.
pub const DEFAULT_DM: &str =
    "👋 Welcome to **{server}**, {user}! Read the rules and say hello in the chat.";
/// The largest welcome XP boost, in percent (100 = none).
pub const MAX_BOOST_PCT: u32 = 500;
/// The longest welcome XP boost, in hours (one week).
pub const MAX_BOOST_HOURS: u32 = 168;

/// A server's welcomer settings (stored as JSON, checked by [`WelcomeSettings::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WelcomeSettings {
    /// The welcomer is on (`welcome disable` turns it off, keeping the settings).
    pub enabled: bool,
    /// Where welcomes go (`None`: no channel message).
    pub channel: Option<ChannelId>,
    /// Also (or only) by DM: the intro guide.
    pub dm: bool,
    /// The intro guide's text (sent by DM when `dm`).
    pub dm_message: String,
    /// The welcome text.
    pub message: String,
    /// Send the text inside an embed.
    pub embed: bool,
    /// Attach the generated banner.
    pub banner: bool,
    /// The banner's background, `#rrggbb`.
    pub banner_color: String,
    /// Where farewells go (`None`: none).
    pub farewell_channel: Option<ChannelId>,
    /// The farewell text.
    pub farewell: String,
    /// Send the farewell inside an embed.
    pub farewell_embed: bool,
    /// Roles given to members who join.
    pub auto_roles: Vec<RoleId>,
    /// Roles given to bots that join.
    pub bot_roles: Vec<RoleId>,
    /// Seconds to wait before giving auto roles (0: at once).
    pub role_delay_secs: u32,
    /// Give auto roles only once the member passed membership screening.
    pub after_screening: bool,
    /// Chrons given once to a new member (0: none), through the ledger.
    pub starter_chrons: i64,
    /// Items given once to a new member, with the Chrons.
    pub starter_items: Vec<KitItem>,
    /// XP multiplier of new members, in percent (100: no boost).
    pub xp_boost_pct: u32,
    /// How long new members keep the boost, in hours (0: no boost).
    pub xp_boost_hours: u32,
}

impl Default for WelcomeSettings {
    fn default() -> Self {
        WelcomeSettings {
            enabled: true,
            channel: None,
            dm: false,
            dm_message: DEFAULT_DM.to_string(),
            message: DEFAULT_WELCOME.to_string(),
            embed: false,
            banner: true,
            banner_color: "#5865f2".to_string(),
            farewell_channel: None,
            farewell: DEFAULT_FAREWELL.to_string(),
            farewell_embed: false,
            auto_roles: Vec::new(),
            bot_roles: Vec::new(),
            role_delay_secs: 0,
            after_screening: false,
            starter_chrons: 0,
            starter_items: Vec::new(),
            xp_boost_pct: 100,
            xp_boost_hours: 0,
        }
    }
}

/// Why welcome settings are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WelcomeError {
    /// A text is empty or too long.
    #[error("text length (max {0})")]
    Text(usize),
    /// Too many roles.
    #[error("too many roles (max {0})")]
    TooManyRoles(usize),
    /// Role delay too long.
    #[error("role delay too long")]
    Delay,
    /// Starter kit negative or too large.
    #[error("starter kit out of range")]
    Starter,
    /// Starter items: too many kinds, a quantity of 0 or over the maximum, an item listed
    /// twice, or an entry that is not `item [count]`.
    #[error("starter items out of range")]
    StarterItems,
    /// A starter item that does not exist.
    #[error("unknown item {0}")]
    UnknownItem(String),
    /// Not a `#rrggbb` colour.
    #[error("bad colour")]
    Color,
    /// XP boost out of range (100–[`MAX_BOOST_PCT`] %, up to [`MAX_BOOST_HOURS`] hours).
    #[error("XP boost out of range")]
    Boost,
    /// A role is both a member and a bot auto role, or listed twice.
    #[error("role listed twice")]
    DuplicateRole(RoleId),
}

impl WelcomeSettings {
    /// Checks every limit; the one check before every write.
    pub fn validate(&self) -> Result<(), WelcomeError> {
        for t in [&self.message, &self.farewell, &self.dm_message] {
            let n = t.chars().count();
            if n == 0 || n > MAX_TEXT {
                return Err(WelcomeError::Text(MAX_TEXT));
            }
        }
        if self.auto_roles.len() > MAX_ROLES || self.bot_roles.len() > MAX_ROLES {
            return Err(WelcomeError::TooManyRoles(MAX_ROLES));
        }
        if self.role_delay_secs > MAX_ROLE_DELAY_SECS {
            return Err(WelcomeError::Delay);
        }
        if !(0..=MAX_STARTER_CHRONS).contains(&self.starter_chrons) {
            return Err(WelcomeError::Starter);
        }
        check_kit(&self.starter_items)?;
        crate::levels::parse_color(&self.banner_color).ok_or(WelcomeError::Color)?;
        if !(100..=MAX_BOOST_PCT).contains(&self.xp_boost_pct)
            || self.xp_boost_hours > MAX_BOOST_HOURS
        {
            return Err(WelcomeError::Boost);
        }
        let mut seen = std::collections::HashSet::new();
        for r in self.auto_roles.iter().chain(&self.bot_roles) {
            if !seen.insert(*r) {
                return Err(WelcomeError::DuplicateRole(*r));
            }
        }
        Ok(())
    }

    /// The first starter item that `exists` does not know (the game tables' items and crates).
    pub fn unknown_item(&self, exists: impl Fn(&str) -> bool) -> Result<(), WelcomeError> {
        match self.starter_items.iter().find(|i| !exists(&i.item)) {
            Some(i) => Err(WelcomeError::UnknownItem(i.item.clone())),
            None => Ok(()),
        }
    }

    /// Whether the server gives a starter kit (Chrons or items).
    pub fn has_kit(&self) -> bool {
        self.starter_chrons > 0 || !self.starter_items.is_empty()
    }

    /// The XP boost a member who joins at `joined` gets (`None`: the server gives none).
    pub fn xp_boost(&self, joined: DateTime<Utc>) -> Option<XpBoost> {
        (self.xp_boost_pct > 100 && self.xp_boost_hours > 0).then(|| XpBoost {
            pct: self.xp_boost_pct,
            until: joined + chrono::Duration::hours(i64::from(self.xp_boost_hours)),
        })
    }
}

/// When a joining member's auto roles are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleTiming {
    /// Right away.
    Now,
    /// After this many seconds (a job).
    After(u32),
    /// Once the member passed membership screening (`pending` turned false).
    OnScreening,
}

/// Which auto roles a joining member gets, and when (`None`: none to give).
pub fn role_plan(
    s: &WelcomeSettings,
    is_bot: bool,
    pending: bool,
) -> Option<(Vec<RoleId>, RoleTiming)> {
    let roles = if is_bot { &s.bot_roles } else { &s.auto_roles };
    if roles.is_empty() || !s.enabled {
        return None;
    }
    // Bots never see the screening form; their roles come at once.
    let timing = if is_bot {
        RoleTiming::Now
    } else if s.after_screening && pending {
        RoleTiming::OnScreening
    } else if s.role_delay_secs > 0 {
        RoleTiming::After(s.role_delay_secs)
    } else {
        RoleTiming::Now
    };
    Some((roles.clone(), timing))
}

/// A role the server offers as an auto role, with what decides whether the bot may give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleFacts {
    /// The role.
    pub id: RoleId,
    /// Its name.
    pub name: String,
    /// Its position in the role list (higher is above).
    pub position: i64,
    /// Managed by an integration (a bot's own role, the booster role): nobody can give it.
    pub managed: bool,
}

/// Why the bot cannot give a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleProblem {
    /// The role is at or above the bot's highest role (Discord refuses it).
    AboveBot(String),
    /// The role is managed by an integration.
    Managed(String),
}

/// Checks that the bot (highest role at `bot_top`) may give every picked role; the first
/// problem found, in the order picked.
pub fn check_roles(
    picked: &[RoleId],
    roles: &[RoleFacts],
    bot_top: i64,
) -> Result<(), RoleProblem> {
    for id in picked {
        let Some(r) = roles.iter().find(|r| r.id == *id) else {
            continue;
        };
        if r.managed {
            return Err(RoleProblem::Managed(r.name.clone()));
        }
        if r.position >= bot_top {
            return Err(RoleProblem::AboveBot(r.name.clone()));
        }
    }
    Ok(())
}

/// When a Discord account was created (from its snowflake id).
pub fn account_created(user: UserId) -> DateTime<Utc> {
    const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
    let ms = (user.get() >> 22) as i64 + DISCORD_EPOCH_MS;
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Whole days since the account was created (0 for a clock behind it).
pub fn account_age_days(user: UserId, now: DateTime<Utc>) -> i64 {
    (now - account_created(user)).num_days().max(0)
}

/// The values of a welcome or farewell text's placeholders.
#[derive(Debug, Clone, Default)]
pub struct JoinFacts<'a> {
    /// `{user}`: the member's name.
    pub user: &'a str,
    /// `{mention}`.
    pub mention: &'a str,
    /// `{server}`.
    pub server: &'a str,
    /// `{members}`: the member count now.
    pub members: u64,
    /// `{position}`: the member's join position.
    pub position: u64,
    /// `{inviter}`: who invited them (from the invite tracker), when known.
    pub inviter: Option<&'a str>,
    /// `{account_age}`: days since the account was created.
    pub account_age_days: i64,
}

/// Fills `{user}`, `{mention}`, `{server}`, `{members}`, `{position}`, `{inviter}` (`unknown`
/// text comes from the caller: `unknown_inviter`) and `{account_age}` (days) in one pass;
/// unknown `{…}` stay as written.
pub fn render(template: &str, f: &JoinFacts<'_>, unknown_inviter: &str) -> String {
    crate::text::fill_placeholders(template, |key| match key {
        "user" => Some(f.user.to_string()),
        "mention" => Some(f.mention.to_string()),
        "server" => Some(f.server.to_string()),
        "members" => Some(crate::render::format_number(f.members as i64)),
        "position" => Some(crate::render::format_number(f.position as i64)),
        "inviter" => Some(f.inviter.unwrap_or(unknown_inviter).to_string()),
        "account_age" => Some(f.account_age_days.max(0).to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_limits_hold() {
        assert_eq!(WelcomeSettings::default().validate(), Ok(()));
        let bad = |f: fn(&mut WelcomeSettings)| {
            let mut s = WelcomeSettings::default();
            f(&mut s);
            s.validate()
        };
        assert_eq!(
            bad(|s| s.message.clear()),
            Err(WelcomeError::Text(MAX_TEXT))
        );
        assert_eq!(
            bad(|s| s.farewell = "x".repeat(MAX_TEXT + 1)),
            Err(WelcomeError::Text(MAX_TEXT))
        );
        assert_eq!(
            bad(|s| s.auto_roles = (1..=11).map(RoleId::new).collect()),
            Err(WelcomeError::TooManyRoles(MAX_ROLES))
        );
        assert_eq!(
            bad(|s| s.role_delay_secs = MAX_ROLE_DELAY_SECS + 1),
            Err(WelcomeError::Delay)
        );
        assert_eq!(bad(|s| s.starter_chrons = -1), Err(WelcomeError::Starter));
        assert_eq!(
            bad(|s| s.banner_color = "blue".into()),
            Err(WelcomeError::Color)
        );
    }

    #[test]
    fn starter_items_are_read_as_admins_type_them() {
        let kit = |t: &str| parse_kit(t);
        let item = |i: &str, n: u32| KitItem {
            item: i.into(),
            quantity: n,
        };
        assert_eq!(kit(""), Ok(vec![]));
        assert_eq!(kit(" , \n"), Ok(vec![]));
        assert_eq!(
            kit("Lure x2, basic_crate; 3 net\nscroll 4, 5x magnet"),
            Ok(vec![
                item("lure", 2),
                item("basic_crate", 1),
                item("net", 3),
                item("scroll", 4),
                item("magnet", 5),
            ])
        );
        assert_eq!(kit("lure × 2"), Ok(vec![item("lure", 2)]));
        // Too many kinds, zero, too many, twice, nonsense, a mention: refused.
        assert_eq!(kit("a, b, c, d, e, f"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("lure 0"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("lure 101"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("lure 99999999999"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("lure, LURE 2"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("two big lures"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("3 4"), Err(WelcomeError::StarterItems));
        assert_eq!(kit("@everyone"), Err(WelcomeError::StarterItems));
        let s = WelcomeSettings {
            starter_items: vec![item("lure", 2), item("dragon", 1)],
            ..WelcomeSettings::default()
        };
        assert!(s.has_kit());
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(
            s.unknown_item(|i| i == "lure"),
            Err(WelcomeError::UnknownItem("dragon".into()))
        );
        assert_eq!(s.unknown_item(|_| true), Ok(()));
        let over = WelcomeSettings {
            starter_items: vec![item("lure", MAX_STARTER_QUANTITY + 1)],
            ..WelcomeSettings::default()
        };
        assert_eq!(over.validate(), Err(WelcomeError::StarterItems));
        assert!(!WelcomeSettings::default().has_kit());
    }

    #[test]
    fn placeholders_are_filled_once() {
        let f = JoinFacts {
            user: "Ann {server}",
            mention: "<@1>",
            server: "Chronix",
            members: 1_234,
            position: 1_234,
            inviter: None,
            account_age_days: 3,
        };
        assert_eq!(
            render(
                "{mention} ({user}) #{position}/{members} on {server}, invited by {inviter}, {account_age} days, {x}",
                &f,
                "someone"
            ),
            "<@1> (Ann {server}) #1,234/1,234 on Chronix, invited by someone, 3 days, {x}"
        );
        let f = JoinFacts {
            inviter: Some("Bob"),
            ..f
        };
        assert_eq!(render("{inviter}", &f, "?"), "Bob");
        assert_eq!(
            render(DEFAULT_WELCOME, &f, "?"),
            "👋 Welcome <@1> to **Chronix**! You are member #1,234."
        );
    }

    #[test]
    fn boost_and_duplicate_roles_are_checked() {
        let mut s = WelcomeSettings {
            xp_boost_pct: 99,
            ..WelcomeSettings::default()
        };
        assert_eq!(s.validate(), Err(WelcomeError::Boost));
        s.xp_boost_pct = 200;
        s.xp_boost_hours = MAX_BOOST_HOURS + 1;
        assert_eq!(s.validate(), Err(WelcomeError::Boost));
        s.xp_boost_hours = 24;
        assert_eq!(s.validate(), Ok(()));
        let joined = DateTime::from_timestamp(1_900_000_000, 0).unwrap();
        let b = s.xp_boost(joined).unwrap();
        assert_eq!(b.pct, 200);
        assert_eq!(b.until, joined + chrono::Duration::hours(24));
        assert_eq!(b.pct_at(joined + chrono::Duration::hours(23)), 200);
        assert_eq!(b.pct_at(joined + chrono::Duration::hours(24)), 100);
        s.xp_boost_pct = 100;
        assert_eq!(s.xp_boost(joined), None, "100 % is no boost");
        s.auto_roles = vec![RoleId::new(5)];
        s.bot_roles = vec![RoleId::new(5)];
        assert_eq!(
            s.validate(),
            Err(WelcomeError::DuplicateRole(RoleId::new(5)))
        );
        s.dm_message = "x".repeat(MAX_TEXT + 1);
        s.bot_roles.clear();
        assert_eq!(s.validate(), Err(WelcomeError::Text(MAX_TEXT)));
    }

    #[test]
    fn role_plan_picks_the_list_and_the_timing() {
        let member = RoleId::new(1);
        let bot = RoleId::new(2);
        let mut s = WelcomeSettings {
            auto_roles: vec![member],
            bot_roles: vec![bot],
            ..WelcomeSettings::default()
        };
        assert_eq!(
            role_plan(&s, false, false),
            Some((vec![member], RoleTiming::Now))
        );
        assert_eq!(
            role_plan(&s, true, false),
            Some((vec![bot], RoleTiming::Now))
        );
        s.role_delay_secs = 60;
        assert_eq!(
            role_plan(&s, false, true),
            Some((vec![member], RoleTiming::After(60))),
            "pending alone does not wait when the server does not ask for screening"
        );
        s.after_screening = true;
        assert_eq!(
            role_plan(&s, false, true),
            Some((vec![member], RoleTiming::OnScreening))
        );
        assert_eq!(
            role_plan(&s, false, false),
            Some((vec![member], RoleTiming::After(60))),
            "screening passed (or none): the delay applies"
        );
        assert_eq!(
            role_plan(&s, true, true),
            Some((vec![bot], RoleTiming::Now))
        );
        s.bot_roles.clear();
        assert_eq!(role_plan(&s, true, false), None);
        s.enabled = false;
        assert_eq!(role_plan(&s, false, false), None);
    }

    #[test]
    fn roles_above_the_bot_or_managed_are_refused() {
        let facts = |id, name: &str, position, managed| RoleFacts {
            id: RoleId::new(id),
            name: name.into(),
            position,
            managed,
        };
        let roles = [
            facts(1, "Member", 1, false),
            facts(2, "Chronix", 2, true),
            facts(3, "Admin", 3, false),
        ];
        let bot_top = 2;
        assert_eq!(check_roles(&[RoleId::new(1)], &roles, bot_top), Ok(()));
        assert_eq!(
            check_roles(&[RoleId::new(1), RoleId::new(3)], &roles, bot_top),
            Err(RoleProblem::AboveBot("Admin".into()))
        );
        assert_eq!(
            check_roles(&[RoleId::new(2)], &roles, bot_top),
            Err(RoleProblem::Managed("Chronix".into()))
        );
        assert_eq!(
            check_roles(&[RoleId::new(3)], &roles, 4),
            Ok(()),
            "below a higher bot role"
        );
    }

    #[test]
    fn account_age_comes_from_the_snowflake() {
        // Discord's documented example: 175928847299117063 was created 2016-04-30 11:18:25.796 UTC.
        let id = UserId::new(175_928_847_299_117_063);
        assert_eq!(
            account_created(id).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "2016-04-30T11:18:25.796Z"
        );
        let now = account_created(id) + chrono::Duration::days(10) + chrono::Duration::hours(5);
        assert_eq!(account_age_days(id, now), 10);
        assert_eq!(
            account_age_days(id, account_created(id) - chrono::Duration::days(1)),
            0
        );
    }
}
