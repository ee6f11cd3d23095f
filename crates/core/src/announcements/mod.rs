//! Announcements (spec §XI, feature list §14, §XVII): the announcement record and its one
//! validation ([`Announcement::validate`], used by every entry point: the wizard, `announce
//! edit`, storage before every write, later the dashboard), the four templates, sanitising of
//! user text, and schedules (once, daily, weekly, cron) in a server's time zone.
//!
//! # Schedules
//!
//! A schedule is written as one line ([`Schedule::parse`]):
//!
//! | text | meaning |
//! |---|---|
//! | `now` | posted when confirmed |
//! | `in 30s`, `in 10m`, `in 2h`, `in 1d` | once, that long after it was written |
//! | `2026-12-24 18:00` | once, at that local time of the server's time zone |
//! | `daily 09:00` | every day at 09:00 local time |
//! | `weekly mon 09:00` | every Monday at 09:00 local time |
//! | `cron 0 9 * * 1-5` (or the five fields alone) | a cron expression (minute hour day month weekday) in local time |
//!
//! Daily and weekly schedules are cron expressions underneath; occurrences are computed by the
//! `croner` crate in the server's time zone (`chrono-tz`), so they follow daylight saving time:
//! a local time skipped by a spring-forward change runs at the first instant after the gap; a
//! local time that happens twice (fall back) runs once, at its first occurrence.
//!
//! # Missed occurrences
//!
//! When the bot was down, the posting job runs late. Rule ([`on_due`]): of the occurrences that
//! were missed, only the latest is posted, and only if it is at most [`MISSED_GRACE`] old; older
//! ones are skipped (counted, not posted). The next occurrence is the first one after the time
//! the job ran, so a long outage never floods a channel. A one-off announcement missed by more
//! than the grace window is marked missed instead of posted.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, RoleId};

mod schedule;
#[cfg(test)]
mod tests;

pub use schedule::*;

/// Channels one announcement may post to.
pub const MAX_CHANNELS: usize = 10;
/// Ping roles.
pub const MAX_ROLES: usize = 10;
/// Link buttons (one action row).
pub const MAX_BUTTONS: usize = 5;
/// Title length (Discord's embed title limit).
pub const MAX_TITLE: usize = 256;
/// Description length (below Discord's 4,096 so the template's footer line fits).
pub const MAX_DESCRIPTION: usize = 4000;
/// Button label length (Discord's limit).
pub const MAX_LABEL: usize = 80;
/// URL length (Discord's limit for link buttons).
pub const MAX_URL: usize = 512;
/// How late a missed occurrence may still be posted (see the module docs).
pub const MISSED_GRACE: Duration = Duration::minutes(30);
/// How far ahead a one-off announcement may be scheduled.
pub const MAX_AHEAD_DAYS: i64 = 366;

/// The theme of an announcement's embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Template {
    /// 📢 blue: general information.
    #[default]
    Info,
    /// 📅 purple: an event.
    Event,
    /// 🆕 green: an update or release.
    Update,
    /// 🚨 red: an alert.
    Alert,
}

impl Template {
    /// All templates, in menu order.
    pub const ALL: [Template; 4] = [
        Template::Info,
        Template::Event,
        Template::Update,
        Template::Alert,
    ];

    /// The stored and typed name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Template::Info => "info",
            Template::Event => "event",
            Template::Update => "update",
            Template::Alert => "alert",
        }
    }

    /// From its name (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The emoji put before the title.
    pub const fn emoji(self) -> &'static str {
        match self {
            Template::Info => "📢",
            Template::Event => "📅",
            Template::Update => "🆕",
            Template::Alert => "🚨",
        }
    }

    /// The embed's side colour (RGB).
    pub const fn colour(self) -> u32 {
        match self {
            Template::Info => 0x3498DB,
            Template::Event => 0x9B59B6,
            Template::Update => 0x2ECC71,
            Template::Alert => 0xE74C3C,
        }
    }
}

/// A link button under the announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkButton {
    /// Its label.
    pub label: String,
    /// Where it leads (http or https).
    pub url: String,
}

/// Why an announcement record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnounceError {
    /// No channel picked.
    #[error("pick at least one channel")]
    NoChannel,
    /// Too many channels.
    #[error("at most {max} channels")]
    TooManyChannels {
        /// The limit.
        max: usize,
    },
    /// An empty title.
    #[error("the title is empty")]
    EmptyTitle,
    /// The title is too long.
    #[error("the title is longer than {max} characters")]
    TitleTooLong {
        /// The limit.
        max: usize,
    },
    /// The description is too long.
    #[error("the text is longer than {max} characters")]
    DescriptionTooLong {
        /// The limit.
        max: usize,
    },
    /// A bad image or link URL.
    #[error("not an http(s) link: {0}")]
    BadUrl(String),
    /// Too many buttons.
    #[error("at most {max} buttons")]
    TooManyButtons {
        /// The limit.
        max: usize,
    },
    /// A button label empty or too long.
    #[error("a button label must have 1 to {max} characters")]
    BadLabel {
        /// The limit.
        max: usize,
    },
    /// Too many ping roles.
    #[error("at most {max} ping roles")]
    TooManyRoles {
        /// The limit.
        max: usize,
    },
    /// The schedule is invalid.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

/// The announcement record (stored as the `payload` of `announcements`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Announcement {
    /// Where it is posted.
    pub channels: Vec<ChannelId>,
    /// Its theme.
    pub template: Template,
    /// The embed title.
    pub title: String,
    /// The embed text.
    #[serde(default)]
    pub description: String,
    /// Small image at the top right.
    #[serde(default)]
    pub thumbnail: Option<String>,
    /// Large image at the bottom.
    #[serde(default)]
    pub image: Option<String>,
    /// Link buttons.
    #[serde(default)]
    pub buttons: Vec<LinkButton>,
    /// Roles pinged (and only these).
    #[serde(default)]
    pub ping_roles: Vec<RoleId>,
    /// Whether `@everyone` is pinged (chosen explicitly).
    #[serde(default)]
    pub ping_everyone: bool,
    /// When it is posted.
    #[serde(default)]
    pub schedule: Schedule,
    /// The announcement network it is also broadcast to (its id), if any.
    #[serde(default)]
    pub network: Option<i64>,
}

fn check_url(u: &Option<String>) -> Result<(), AnnounceError> {
    match u {
        Some(u) if !is_url(u) => Err(AnnounceError::BadUrl(u.clone())),
        _ => Ok(()),
    }
}

/// Whether `u` is an http(s) URL of acceptable length without spaces.
pub fn is_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/'))
        && u.len() <= MAX_URL
        && !u.chars().any(char::is_whitespace)
}

impl Announcement {
    /// The one validation of an announcement, used by every entry point (wizard, edit,
    /// storage). The schedule's own times are checked when it is parsed ([`Schedule::parse`]);
    /// here a cron expression must still parse.
    pub fn validate(&self) -> Result<(), AnnounceError> {
        if self.channels.is_empty() {
            return Err(AnnounceError::NoChannel);
        }
        if self.channels.len() > MAX_CHANNELS {
            return Err(AnnounceError::TooManyChannels { max: MAX_CHANNELS });
        }
        self.check_text()?;
        check_url(&self.thumbnail)?;
        check_url(&self.image)?;
        check_buttons(&self.buttons)?;
        if self.ping_roles.len() > MAX_ROLES {
            return Err(AnnounceError::TooManyRoles { max: MAX_ROLES });
        }
        if let Schedule::Cron { expr } = &self.schedule {
            parse_cron(expr)?;
        }
        Ok(())
    }

    /// The title and text checks alone (the wizard's text step).
    pub fn check_text(&self) -> Result<(), AnnounceError> {
        if self.title.trim().is_empty() {
            return Err(AnnounceError::EmptyTitle);
        }
        if self.title.chars().count() > MAX_TITLE {
            return Err(AnnounceError::TitleTooLong { max: MAX_TITLE });
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            return Err(AnnounceError::DescriptionTooLong {
                max: MAX_DESCRIPTION,
            });
        }
        Ok(())
    }

    /// The text of the message carrying the pings (`None`: no pings, the message is the embed
    /// alone). Only what was chosen: the roles and, if picked, `@everyone`.
    pub fn ping_line(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if self.ping_everyone {
            parts.push("@everyone".into());
        }
        parts.extend(self.ping_roles.iter().map(|r| format!("<@&{r}>")));
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Whether it repeats.
    pub fn is_recurring(&self) -> bool {
        self.schedule.is_recurring()
    }
}

/// Checks link buttons (count, labels, URLs).
pub fn check_buttons(buttons: &[LinkButton]) -> Result<(), AnnounceError> {
    if buttons.len() > MAX_BUTTONS {
        return Err(AnnounceError::TooManyButtons { max: MAX_BUTTONS });
    }
    for b in buttons {
        let n = b.label.trim().chars().count();
        if n == 0 || n > MAX_LABEL {
            return Err(AnnounceError::BadLabel { max: MAX_LABEL });
        }
        if !is_url(&b.url) {
            return Err(AnnounceError::BadUrl(b.url.clone()));
        }
    }
    Ok(())
}

/// Parses buttons written one per line as `label | url`. Blank lines are ignored.
pub fn parse_buttons(text: &str) -> Result<Vec<LinkButton>, AnnounceError> {
    let buttons: Vec<LinkButton> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.rsplit_once('|') {
            Some((label, url)) => LinkButton {
                label: label.trim().to_string(),
                url: url.trim().to_string(),
            },
            None => LinkButton {
                label: String::new(),
                url: l.to_string(),
            },
        })
        .collect();
    check_buttons(&buttons)?;
    Ok(buttons)
}

/// Makes user text unable to ping: `@everyone` and `@here` get a zero-width space after the
/// `@`, and user and role mentions (`<@123>`, `<@!123>`, `<@&123>`) are broken the same way.
/// Mentions are added by the bot itself ([`Announcement::ping_line`]), never read from text;
/// every message also sets `allowed_mentions` explicitly, so this is the second guard.
pub fn sanitise(text: &str) -> String {
    const ZWSP: char = '\u{200B}';
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(pos) = rest.find('@') {
        let (before, from_at) = rest.split_at(pos);
        out.push_str(before);
        let after = &from_at[1..];
        let lower: String = after
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        let is_mass = lower.starts_with("everyone") || lower.starts_with("here");
        let is_mention = before.ends_with('<')
            && (after.starts_with(|c: char| c.is_ascii_digit())
                || after.starts_with('&')
                || after.starts_with('!'));
        out.push('@');
        if is_mass || is_mention {
            out.push(ZWSP);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}
