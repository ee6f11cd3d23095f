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

/// When an announcement is posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Schedule {
    /// Kept as a draft: not posted until scheduled or sent.
    #[default]
    Draft,
    /// Posted when confirmed.
    Now,
    /// Once, at this instant.
    Once {
        /// When.
        at: DateTime<Utc>,
    },
    /// Every day at this local time.
    Daily {
        /// Local time of day.
        time: NaiveTime,
    },
    /// Every week on this day at this local time.
    Weekly {
        /// Day of the week.
        day: Weekday,
        /// Local time of day.
        time: NaiveTime,
    },
    /// A five-field cron expression in local time.
    Cron {
        /// The expression as written.
        expr: String,
    },
}

/// Why a schedule line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Nothing understood.
    #[error("schedule not understood")]
    NotUnderstood,
    /// A time of day that does not parse (`25:00`).
    #[error("bad time of day")]
    BadTime,
    /// A day of the week that does not parse.
    #[error("bad day of the week")]
    BadDay,
    /// A date that does not parse or does not exist in the time zone.
    #[error("bad date")]
    BadDate,
    /// A one-off time in the past.
    #[error("that time has passed")]
    InThePast,
    /// Too far ahead.
    #[error("more than {max_days} days ahead")]
    TooFar {
        /// The limit.
        max_days: i64,
    },
    /// A cron expression the parser refused (its message).
    #[error("cron expression refused: {0}")]
    BadCron(String),
    /// A cron expression with no future occurrence (`0 0 30 2 *`).
    #[error("this cron expression never runs")]
    NeverRuns,
    /// A duration that does not parse.
    #[error("bad duration")]
    BadDuration,
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

/// Parses a cron expression of five fields (minute hour day month weekday; names such as
/// `MON` and `JAN` allowed, no seconds or years).
pub fn parse_cron(expr: &str) -> Result<Cron, ScheduleError> {
    let fields = expr.split_whitespace().count();
    if fields != 5 && !expr.trim().starts_with('@') {
        return Err(ScheduleError::BadCron(format!(
            "expected 5 fields (minute hour day month weekday), got {fields}"
        )));
    }
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .build()
        .parse(expr.trim())
        .map_err(|e| ScheduleError::BadCron(e.to_string()))
}

/// Parses a time zone name (`Europe/Paris`, `UTC`; case-insensitive).
pub fn parse_timezone(name: &str) -> Option<Tz> {
    let name = name.trim();
    Tz::from_str(name).ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    })
}

fn parse_time(s: &str) -> Result<NaiveTime, ScheduleError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| ScheduleError::BadTime)
}

fn parse_day(s: &str) -> Result<Weekday, ScheduleError> {
    Weekday::from_str(s.trim()).map_err(|_| ScheduleError::BadDay)
}

fn parse_duration(s: &str) -> Result<Duration, ScheduleError> {
    let s = s.trim().to_ascii_lowercase();
    let split = s
        .find(|c: char| !c.is_ascii_digit())
        .ok_or(ScheduleError::BadDuration)?;
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().map_err(|_| ScheduleError::BadDuration)?;
    let d = match unit.trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => Duration::seconds(n),
        "m" | "min" | "mins" | "minute" | "minutes" => Duration::minutes(n),
        "h" | "hour" | "hours" => Duration::hours(n),
        "d" | "day" | "days" => Duration::days(n),
        _ => return Err(ScheduleError::BadDuration),
    };
    if n <= 0 {
        return Err(ScheduleError::BadDuration);
    }
    Ok(d)
}

/// A local date and time in `tz` as an instant; a time skipped by a DST change is refused, a
/// repeated one is its first occurrence.
fn local_instant(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, ScheduleError> {
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(ScheduleError::BadDate)
}

impl Schedule {
    /// Parses a schedule line (see the module docs) written at `now` in the server's `tz`.
    pub fn parse(text: &str, tz: Tz, now: DateTime<Utc>) -> Result<Schedule, ScheduleError> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let word = |w: &str| {
            lower
                .strip_prefix(w)
                .filter(|r| r.starts_with(' '))
                .map(|_| t[w.len()..].trim())
        };
        if lower == "now" {
            return Ok(Schedule::Now);
        }
        if lower == "draft" {
            return Ok(Schedule::Draft);
        }
        if let Some(rest) = word("in") {
            let at = now + parse_duration(rest)?;
            return Schedule::once(at, now);
        }
        if let Some(rest) = word("daily") {
            return Ok(Schedule::Daily {
                time: parse_time(rest)?,
            });
        }
        if let Some(rest) = word("weekly") {
            let (day, time) = rest.split_once(' ').ok_or(ScheduleError::NotUnderstood)?;
            return Ok(Schedule::Weekly {
                day: parse_day(day)?,
                time: parse_time(time)?,
            });
        }
        if let Some(rest) = word("cron") {
            return Schedule::cron(rest, tz, now);
        }
        if let Ok(local) = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M") {
            return Schedule::once(local_instant(tz, local)?, now);
        }
        if t.split_whitespace().count() == 5 {
            return Schedule::cron(t, tz, now);
        }
        Err(ScheduleError::NotUnderstood)
    }

    fn once(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Schedule, ScheduleError> {
        if at <= now {
            return Err(ScheduleError::InThePast);
        }
        if at - now > Duration::days(MAX_AHEAD_DAYS) {
            return Err(ScheduleError::TooFar {
                max_days: MAX_AHEAD_DAYS,
            });
        }
        Ok(Schedule::Once { at })
    }

    fn cron(expr: &str, tz: Tz, now: DateTime<Utc>) -> Result<Schedule, ScheduleError> {
        let s = Schedule::Cron {
            expr: expr.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        parse_cron(expr)?;
        if s.next_after(now, tz).is_none() {
            return Err(ScheduleError::NeverRuns);
        }
        Ok(s)
    }

    /// Whether it repeats.
    pub fn is_recurring(&self) -> bool {
        matches!(
            self,
            Schedule::Daily { .. } | Schedule::Weekly { .. } | Schedule::Cron { .. }
        )
    }

    /// The cron expression of a recurring schedule.
    fn cron_expr(&self) -> Option<String> {
        match self {
            Schedule::Daily { time } => Some(format!("{} {} * * *", minute(time), hour(time))),
            Schedule::Weekly { day, time } => Some(format!(
                "{} {} * * {}",
                minute(time),
                hour(time),
                day.num_days_from_sunday()
            )),
            Schedule::Cron { expr } => Some(expr.clone()),
            _ => None,
        }
    }

    /// The first occurrence strictly after `after` (`Now`: `after` itself is not used;
    /// see [`Schedule::first`]). `None` for a draft, a past one-off, or a cron that never runs.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Draft | Schedule::Now => None,
            Schedule::Once { at } => (*at > after).then_some(*at),
            _ => {
                let cron = parse_cron(&self.cron_expr()?).ok()?;
                cron.find_next_occurrence(&after.with_timezone(&tz), false)
                    .ok()
                    .map(|t| t.with_timezone(&Utc))
            }
        }
    }

    /// The first time it posts when confirmed at `now` (`Now`: `now`).
    pub fn first(&self, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Now => Some(now),
            other => other.next_after(now, tz),
        }
    }

    /// The next `n` occurrences after `now` (the wizard shows 3).
    pub fn upcoming(&self, now: DateTime<Utc>, tz: Tz, n: usize) -> Vec<DateTime<Utc>> {
        let mut out = Vec::with_capacity(n);
        let mut t = match self.first(now, tz) {
            Some(t) => t,
            None => return out,
        };
        out.push(t);
        while out.len() < n {
            match self.next_after(t, tz) {
                Some(next) => {
                    out.push(next);
                    t = next;
                }
                None => break,
            }
        }
        out
    }

    /// The schedule in words (English; the bot puts localised words around it).
    pub fn describe(&self) -> String {
        match self {
            Schedule::Draft => "draft (not scheduled)".into(),
            Schedule::Now => "now".into(),
            Schedule::Once { at } => format!("once, {}", at.format("%Y-%m-%d %H:%M UTC")),
            Schedule::Daily { time } => format!("every day at {}", time.format("%H:%M")),
            Schedule::Weekly { day, time } => {
                format!("every {} at {}", day_name(*day), time.format("%H:%M"))
            }
            Schedule::Cron { expr } => match parse_cron(expr) {
                Ok(c) => format!("cron `{expr}`: {}", c.describe()),
                Err(_) => format!("cron `{expr}`"),
            },
        }
    }
}

fn minute(t: &NaiveTime) -> u32 {
    chrono::Timelike::minute(t)
}

fn hour(t: &NaiveTime) -> u32 {
    chrono::Timelike::hour(t)
}

fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// What to do when the job of the occurrence `due` runs at `now` (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The occurrence to post now (`None`: too late, skipped).
    pub post: Option<DateTime<Utc>>,
    /// Occurrences missed and not posted.
    pub skipped: u32,
    /// The next occurrence (`None`: the announcement is finished).
    pub next: Option<DateTime<Utc>>,
}

/// The missed-occurrence rule: of the occurrences from `due` up to `now`, post the latest if
/// it is at most `grace` old, skip the others; the next one is the first after `now`.
pub fn on_due(
    schedule: &Schedule,
    tz: Tz,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    grace: Duration,
) -> Due {
    let mut latest = due;
    let mut missed = 0u32;
    if schedule.is_recurring() {
        while let Some(n) = schedule.next_after(latest, tz) {
            if n > now || missed > 100_000 {
                break;
            }
            latest = n;
            missed += 1;
        }
    }
    let fresh = now - latest <= grace;
    let next = if schedule.is_recurring() {
        schedule.next_after(now.max(latest), tz)
    } else {
        None
    };
    Due {
        post: fresh.then_some(latest),
        skipped: missed + u32::from(!fresh),
        next,
    }
}

/// The local date of an instant in `tz` (for "today"/"tomorrow" style texts).
pub fn local_date(t: DateTime<Utc>, tz: Tz) -> chrono::NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// `2026-12-24 18:00 (Europe/Paris)`.
pub fn format_local(t: DateTime<Utc>, tz: Tz) -> String {
    let l = t.with_timezone(&tz);
    format!(
        "{} {:02}:{:02} ({})",
        l.date_naive(),
        chrono::Timelike::hour(&l),
        chrono::Timelike::minute(&l),
        tz.name()
    )
}

/// The weekday of an instant in `tz`.
pub fn local_weekday(t: DateTime<Utc>, tz: Tz) -> Weekday {
    t.with_timezone(&tz).weekday()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn paris() -> Tz {
        parse_timezone("Europe/Paris").unwrap()
    }

    fn ann() -> Announcement {
        Announcement {
            channels: vec![ChannelId::new(1)],
            title: "Hello".into(),
            schedule: Schedule::Now,
            ..Announcement::default()
        }
    }

    #[test]
    fn schedules_parse_from_one_line() {
        let now = utc("2026-12-01T12:00:00Z");
        let tz = paris();
        assert_eq!(Schedule::parse("now", tz, now), Ok(Schedule::Now));
        assert_eq!(
            Schedule::parse("in 10m", tz, now),
            Ok(Schedule::Once {
                at: utc("2026-12-01T12:10:00Z")
            })
        );
        // Paris is UTC+1 in December.
        assert_eq!(
            Schedule::parse("2026-12-24 18:00", tz, now),
            Ok(Schedule::Once {
                at: utc("2026-12-24T17:00:00Z")
            })
        );
        assert_eq!(
            Schedule::parse("Daily 09:30", tz, now),
            Ok(Schedule::Daily {
                time: NaiveTime::from_hms_opt(9, 30, 0).unwrap()
            })
        );
        assert_eq!(
            Schedule::parse("weekly mon 09:00", tz, now),
            Ok(Schedule::Weekly {
                day: Weekday::Mon,
                time: NaiveTime::from_hms_opt(9, 0, 0).unwrap()
            })
        );
        assert_eq!(
            Schedule::parse("cron 0  9 * * 1-5", tz, now),
            Ok(Schedule::Cron {
                expr: "0 9 * * 1-5".into()
            })
        );
        assert_eq!(
            Schedule::parse("*/15 * * * *", tz, now),
            Ok(Schedule::Cron {
                expr: "*/15 * * * *".into()
            })
        );
    }

    #[test]
    fn malformed_schedules_are_refused_with_a_reason() {
        let now = utc("2026-12-01T12:00:00Z");
        let tz = paris();
        assert_eq!(
            Schedule::parse("sometimes", tz, now),
            Err(ScheduleError::NotUnderstood)
        );
        assert_eq!(
            Schedule::parse("daily 25:00", tz, now),
            Err(ScheduleError::BadTime)
        );
        assert_eq!(
            Schedule::parse("weekly funday 09:00", tz, now),
            Err(ScheduleError::BadDay)
        );
        assert_eq!(
            Schedule::parse("2020-01-01 10:00", tz, now),
            Err(ScheduleError::InThePast)
        );
        assert_eq!(
            Schedule::parse("in 0m", tz, now),
            Err(ScheduleError::BadDuration)
        );
        assert!(matches!(
            Schedule::parse("cron 61 * * * *", tz, now),
            Err(ScheduleError::BadCron(_))
        ));
        assert!(matches!(
            Schedule::parse("cron * * *", tz, now),
            Err(ScheduleError::BadCron(m)) if m.contains("5 fields")
        ));
        assert!(matches!(
            Schedule::parse("cron 0 0 0 * * *", tz, now),
            Err(ScheduleError::BadCron(_))
        ));
        assert!(matches!(
            Schedule::parse("cron 0 9 * * xyz", tz, now),
            Err(ScheduleError::BadCron(_))
        ));
        assert_eq!(
            Schedule::parse("cron 0 0 30 2 *", tz, now),
            Err(ScheduleError::NeverRuns)
        );
        // 02:30 on the spring-forward night does not exist in Paris.
        assert_eq!(
            Schedule::parse("2027-03-28 02:30", tz, now),
            Err(ScheduleError::BadDate)
        );
    }

    #[test]
    fn daily_occurrences_keep_local_time_across_dst() {
        let tz = paris();
        let s = Schedule::parse("daily 09:00", tz, utc("2027-03-26T12:00:00Z")).unwrap();
        // 27 March is CET (UTC+1), 28 March is CEST (UTC+2) after the change.
        let runs = s.upcoming(utc("2027-03-26T12:00:00Z"), tz, 3);
        assert_eq!(
            runs,
            vec![
                utc("2027-03-27T08:00:00Z"),
                utc("2027-03-28T07:00:00Z"),
                utc("2027-03-29T07:00:00Z"),
            ]
        );
        // Autumn: back to UTC+1 on 31 October 2027.
        let runs = s.upcoming(utc("2027-10-29T12:00:00Z"), tz, 3);
        assert_eq!(
            runs,
            vec![
                utc("2027-10-30T07:00:00Z"),
                utc("2027-10-31T08:00:00Z"),
                utc("2027-11-01T08:00:00Z"),
            ]
        );
    }

    #[test]
    fn a_time_in_the_dst_gap_runs_after_it_and_a_repeated_time_runs_once() {
        let tz = paris();
        // 02:30 does not exist on 28 March 2027 (02:00 → 03:00).
        let s = Schedule::parse("daily 02:30", tz, utc("2027-03-26T12:00:00Z")).unwrap();
        let runs = s.upcoming(utc("2027-03-27T12:00:00Z"), tz, 2);
        assert_eq!(
            runs[0],
            utc("2027-03-28T01:00:00Z"),
            "first instant after the gap"
        );
        assert_eq!(runs[1], utc("2027-03-29T00:30:00Z"));
        // 02:30 happens twice on 31 October 2027: once (the first, CEST).
        let runs = s.upcoming(utc("2027-10-30T12:00:00Z"), tz, 2);
        assert_eq!(
            runs,
            vec![utc("2027-10-31T00:30:00Z"), utc("2027-11-01T01:30:00Z")]
        );
    }

    #[test]
    fn weekly_and_cron_schedules_follow_the_time_zone() {
        let ny = parse_timezone("america/new_york").unwrap();
        let s = Schedule::parse("weekly sun 10:00", ny, utc("2027-03-10T00:00:00Z")).unwrap();
        // Sunday 14 March 2027 is the US change (EDT, UTC-4 from 02:00).
        assert_eq!(
            s.upcoming(utc("2027-03-06T00:00:00Z"), ny, 2),
            vec![utc("2027-03-07T15:00:00Z"), utc("2027-03-14T14:00:00Z")]
        );
        let c = Schedule::parse("cron 0 9 * * 1-5", ny, utc("2027-03-10T00:00:00Z")).unwrap();
        assert_eq!(
            c.upcoming(utc("2027-03-12T00:00:00Z"), ny, 2),
            vec![utc("2027-03-12T14:00:00Z"), utc("2027-03-15T13:00:00Z")]
        );
        assert!(c.describe().contains("0 9 * * 1-5"), "{}", c.describe());
        assert_eq!(s.describe(), "every Sunday at 10:00");
    }

    #[test]
    fn the_latest_missed_occurrence_is_posted_once_within_the_grace_window() {
        let tz = parse_timezone("UTC").unwrap();
        let hourly = Schedule::Cron {
            expr: "0 * * * *".into(),
        };
        // On time.
        let d = on_due(
            &hourly,
            tz,
            utc("2026-12-01T10:00:00Z"),
            utc("2026-12-01T10:00:02Z"),
            MISSED_GRACE,
        );
        assert_eq!(d.post, Some(utc("2026-12-01T10:00:00Z")));
        assert_eq!(d.skipped, 0);
        assert_eq!(d.next, Some(utc("2026-12-01T11:00:00Z")));
        // Down from 09:59 to 13:10: 10, 11, 12 skipped; 13:00 posted (10 min late).
        let d = on_due(
            &hourly,
            tz,
            utc("2026-12-01T10:00:00Z"),
            utc("2026-12-01T13:10:00Z"),
            MISSED_GRACE,
        );
        assert_eq!(d.post, Some(utc("2026-12-01T13:00:00Z")));
        assert_eq!(d.skipped, 3);
        assert_eq!(d.next, Some(utc("2026-12-01T14:00:00Z")));
        // Down until 13:45: nothing fresh enough; all four skipped.
        let d = on_due(
            &hourly,
            tz,
            utc("2026-12-01T10:00:00Z"),
            utc("2026-12-01T13:45:00Z"),
            MISSED_GRACE,
        );
        assert_eq!(d.post, None);
        assert_eq!(d.skipped, 4);
        assert_eq!(d.next, Some(utc("2026-12-01T14:00:00Z")));
        // A one-off two hours late is missed.
        let once = Schedule::Once {
            at: utc("2026-12-01T10:00:00Z"),
        };
        let d = on_due(
            &once,
            tz,
            utc("2026-12-01T10:00:00Z"),
            utc("2026-12-01T12:00:00Z"),
            MISSED_GRACE,
        );
        assert_eq!((d.post, d.skipped, d.next), (None, 1, None));
    }

    #[test]
    fn sanitising_breaks_mass_and_role_pings_only() {
        assert_eq!(sanitise("hi @everyone"), "hi @\u{200B}everyone");
        assert_eq!(sanitise("@HERE now"), "@\u{200B}HERE now");
        assert_eq!(
            sanitise("<@&42> and <@7> <@!8>"),
            "<@\u{200B}&42> and <@\u{200B}7> <@\u{200B}!8>"
        );
        assert_eq!(sanitise("mail me@example.org"), "mail me@example.org");
        assert_eq!(sanitise("@"), "@");
        assert_eq!(sanitise("and @here."), "and @\u{200B}here.");
        assert_eq!(sanitise("@é@everyone"), "@é@\u{200B}everyone");
    }

    #[test]
    fn the_ping_line_has_only_what_was_chosen() {
        let mut a = ann();
        assert_eq!(a.ping_line(), None);
        a.ping_roles = vec![RoleId::new(5), RoleId::new(6)];
        assert_eq!(a.ping_line().as_deref(), Some("<@&5> <@&6>"));
        a.ping_everyone = true;
        assert_eq!(a.ping_line().as_deref(), Some("@everyone <@&5> <@&6>"));
    }

    #[test]
    fn the_record_is_validated_in_one_place() {
        assert_eq!(ann().validate(), Ok(()));
        let mut a = ann();
        a.channels.clear();
        assert_eq!(a.validate(), Err(AnnounceError::NoChannel));
        let mut a = ann();
        a.title = "  ".into();
        assert_eq!(a.validate(), Err(AnnounceError::EmptyTitle));
        let mut a = ann();
        a.image = Some("javascript:alert(1)".into());
        assert!(matches!(a.validate(), Err(AnnounceError::BadUrl(_))));
        let mut a = ann();
        a.schedule = Schedule::Cron { expr: "bad".into() };
        assert!(matches!(
            a.validate(),
            Err(AnnounceError::Schedule(ScheduleError::BadCron(_)))
        ));
        assert_eq!(
            parse_buttons("Site | https://example.org\n\nDocs|http://d.example"),
            Ok(vec![
                LinkButton {
                    label: "Site".into(),
                    url: "https://example.org".into()
                },
                LinkButton {
                    label: "Docs".into(),
                    url: "http://d.example".into()
                },
            ])
        );
        assert!(matches!(
            parse_buttons("no url here"),
            Err(AnnounceError::BadLabel { .. })
        ));
        assert!(matches!(
            parse_buttons("x | ftp://x"),
            Err(AnnounceError::BadUrl(_))
        ));
        let json = serde_json::to_value(ann()).unwrap();
        let back: Announcement = serde_json::from_value(json).unwrap();
        assert_eq!(back, ann());
    }
}
