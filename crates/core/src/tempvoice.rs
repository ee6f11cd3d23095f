//! Temporary voice channels (spec §17): a hub's configuration record and its ONE validation
//! ([`HubConfig::validate`], used by the setup panel and by storage before every write), the
//! name of a member's channel ([`channel_name`]: the hub's format with `{user}` and `{n}`,
//! sanitised and cut to Discord's 100 characters), and the counter ([`next_number`]: the
//! lowest number not taken by the hub's live channels).
//!
//! Pure: no clock, no I/O.

use serde::{Deserialize, Serialize};

/// Discord's longest channel name.
pub const MAX_NAME: usize = 100;
/// Longest name format.
pub const MAX_FORMAT: usize = 100;
/// Discord's highest voice user limit (0 is "no limit").
pub const MAX_USER_LIMIT: u32 = 99;
/// Discord's lowest voice bitrate (bits per second).
pub const MIN_BITRATE: u32 = 8_000;
/// Discord's highest voice bitrate without server boosts.
pub const MAX_BITRATE: u32 = 96_000;
/// The format a hub starts with.
pub const DEFAULT_FORMAT: &str = "{user}'s VC";
/// Used when a member's name sanitises to nothing.
pub const FALLBACK_USER: &str = "member";

/// A hub's configuration: a plain record stored as JSON in `tempvoice_hubs.config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubConfig {
    /// The channel name format: `{user}` is the creator's display name, `{n}` the counter.
    pub name_format: String,
    /// The new channels' user limit (0: none).
    #[serde(default)]
    pub user_limit: u32,
    /// The new channels' bitrate (none: Discord's default).
    #[serde(default)]
    pub bitrate: Option<u32>,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            name_format: DEFAULT_FORMAT.to_string(),
            user_limit: 0,
            bitrate: None,
        }
    }
}

/// Why a hub configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// The format is empty (or only spaces).
    #[error("the name format is empty")]
    EmptyFormat,
    /// The format is too long.
    #[error("the name format is longer than {max} characters")]
    FormatTooLong {
        /// The limit.
        max: usize,
    },
    /// The user limit is above Discord's.
    #[error("the user limit is above {max}")]
    UserLimit {
        /// The limit.
        max: u32,
    },
    /// The bitrate is outside Discord's range.
    #[error("the bitrate must be between {min} and {max}")]
    Bitrate {
        /// Lowest.
        min: u32,
        /// Highest.
        max: u32,
    },
}

impl HubConfig {
    /// The one check of a hub configuration.
    pub fn validate(&self) -> Result<(), HubError> {
        let format = self.name_format.trim();
        if format.is_empty() {
            return Err(HubError::EmptyFormat);
        }
        if format.chars().count() > MAX_FORMAT {
            return Err(HubError::FormatTooLong { max: MAX_FORMAT });
        }
        check_user_limit(self.user_limit)?;
        if let Some(b) = self.bitrate {
            if !(MIN_BITRATE..=MAX_BITRATE).contains(&b) {
                return Err(HubError::Bitrate {
                    min: MIN_BITRATE,
                    max: MAX_BITRATE,
                });
            }
        }
        Ok(())
    }
}

/// Checks a user limit (0..=99; 0 is "no limit"), for the hub and for `vc limit`.
pub fn check_user_limit(limit: u32) -> Result<(), HubError> {
    if limit > MAX_USER_LIMIT {
        return Err(HubError::UserLimit {
            max: MAX_USER_LIMIT,
        });
    }
    Ok(())
}

/// Makes text fit for a channel name: control characters and line breaks become spaces,
/// runs of white space become one space, the ends are trimmed, and the result is cut to
/// [`MAX_NAME`] characters (never inside a character).
pub fn sanitise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_control() || c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out.chars()
        .take(MAX_NAME)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// The name of a member's channel: `format` with `{user}` (the member's name, sanitised) and
/// `{n}` (the counter) filled in once (a name containing `{n}` is not expanded), sanitised and
/// cut to 100 characters. A result that is empty falls back to [`DEFAULT_FORMAT`].
pub fn channel_name(format: &str, user: &str, n: u32) -> String {
    let user = match sanitise(user) {
        u if u.is_empty() => FALLBACK_USER.to_string(),
        u => u,
    };
    let fill = |f: &str| {
        crate::text::fill_placeholders(f, |k| match k {
            "user" => Some(user.clone()),
            "n" => Some(n.to_string()),
            _ => None,
        })
    };
    match sanitise(&fill(format)) {
        name if name.is_empty() => sanitise(&fill(DEFAULT_FORMAT)),
        name => name,
    }
}

/// The counter of a hub's next channel: the lowest number from 1 not in `taken` (the numbers of
/// the hub's live channels), so numbers are reused once a channel is gone.
pub fn next_number(taken: &[u32]) -> u32 {
    let mut n = 1;
    while taken.contains(&n) {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fill_user_and_counter() {
        assert_eq!(channel_name(DEFAULT_FORMAT, "Alice", 1), "Alice's VC");
        assert_eq!(channel_name("Room {n} – {user}", "Bob", 3), "Room 3 – Bob");
        assert_eq!(channel_name("{unknown} {user}", "Bob", 3), "{unknown} Bob");
    }

    #[test]
    fn a_user_name_cannot_inject_placeholders() {
        assert_eq!(channel_name("{user} #{n}", "{n}", 7), "{n} #7");
    }

    #[test]
    fn names_are_sanitised() {
        assert_eq!(
            channel_name("{user}'s  VC", " A\nli\tce\u{7} ", 1),
            "A li ce's VC"
        );
        assert_eq!(channel_name("{user}", " \n\t", 1), "member");
        assert_eq!(channel_name("   ", "Alice", 1), "Alice's VC");
        assert_eq!(channel_name("\n{user}\n", "", 1), "member");
    }

    #[test]
    fn names_are_cut_to_100_characters() {
        let long = "é".repeat(150);
        let name = channel_name("{user}'s VC", &long, 1);
        assert_eq!(name.chars().count(), MAX_NAME);
        assert!(name.chars().all(|c| c == 'é'));
        // Cutting never leaves a trailing space.
        let name = channel_name(&format!("{} x", "a".repeat(99)), "u", 1);
        assert_eq!(name, "a".repeat(99));
    }

    #[test]
    fn the_counter_reuses_the_lowest_free_number() {
        assert_eq!(next_number(&[]), 1);
        assert_eq!(next_number(&[1, 2, 3]), 4);
        assert_eq!(next_number(&[3, 1]), 2);
        assert_eq!(next_number(&[2]), 1);
    }

    #[test]
    fn hub_configs_are_validated() {
        assert_eq!(HubConfig::default().validate(), Ok(()));
        let c = |f: &str, limit: u32, bitrate: Option<u32>| HubConfig {
            name_format: f.into(),
            user_limit: limit,
            bitrate,
        };
        assert_eq!(c(" ", 0, None).validate(), Err(HubError::EmptyFormat));
        assert_eq!(
            c(&"x".repeat(101), 0, None).validate(),
            Err(HubError::FormatTooLong { max: 100 })
        );
        assert_eq!(c("x", 99, None).validate(), Ok(()));
        assert_eq!(
            c("x", 100, None).validate(),
            Err(HubError::UserLimit { max: 99 })
        );
        assert_eq!(c("x", 0, Some(64_000)).validate(), Ok(()));
        for b in [7_999, 96_001] {
            assert_eq!(
                c("x", 0, Some(b)).validate(),
                Err(HubError::Bitrate {
                    min: 8_000,
                    max: 96_000
                })
            );
        }
    }
}
