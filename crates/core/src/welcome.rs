//! The welcomer's rules (issue 15, spec §16 and §26): a server's welcome settings and their
//! validation, and the placeholders of welcome and farewell texts. Groundwork: the bot feature
//! (wizard panel, join/leave listeners, banner, auto roles, starter kit) builds on it.

use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, RoleId};

/// The longest welcome or farewell text.
pub const MAX_TEXT: usize = 1_500;
/// At most this many auto roles (members and bots, each).
pub const MAX_ROLES: usize = 10;
/// The longest delay before auto roles are given (one day).
pub const MAX_ROLE_DELAY_SECS: u32 = 86_400;
/// The largest starter kit in Chrons.
pub const MAX_STARTER_CHRONS: i64 = 1_000_000;
/// The default welcome text.
pub const DEFAULT_WELCOME: &str =
    "👋 Welcome {mention} to **{server}**! You are member #{position}.";
/// The default farewell text.
pub const DEFAULT_FAREWELL: &str = "👋 {user} left **{server}**.";

/// A server's welcomer settings (stored as JSON, checked by [`WelcomeSettings::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WelcomeSettings {
    /// Where welcomes go (`None`: no channel message).
    pub channel: Option<ChannelId>,
    /// Also (or only) by DM: the intro guide.
    pub dm: bool,
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
}

impl Default for WelcomeSettings {
    fn default() -> Self {
        WelcomeSettings {
            channel: None,
            dm: false,
            message: DEFAULT_WELCOME.to_string(),
            embed: false,
            banner: true,
            banner_color: "#5865f2".to_string(),
            farewell_channel: None,
            farewell: DEFAULT_FAREWELL.to_string(),
            auto_roles: Vec::new(),
            bot_roles: Vec::new(),
            role_delay_secs: 0,
            after_screening: false,
            starter_chrons: 0,
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
    /// Not a `#rrggbb` colour.
    #[error("bad colour")]
    Color,
}

impl WelcomeSettings {
    /// Checks every limit; the one check before every write.
    pub fn validate(&self) -> Result<(), WelcomeError> {
        for t in [&self.message, &self.farewell] {
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
        crate::levels::parse_color(&self.banner_color).ok_or(WelcomeError::Color)?;
        Ok(())
    }
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
}
