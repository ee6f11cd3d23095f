//! Server events (the `eventboard` feature; the kernel's `events` module is the gateway event
//! dispatcher, hence the name): the create options with one validation, start times
//! (`2h30m` from now, RFC 3339, or `YYYY-MM-DD HH:MM` in UTC), recurrence (none, daily,
//! weekly) and the next occurrence, RSVP states, the attendee bonus rule, and the iCalendar
//! (RFC 5545) export.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest title (Discord's scheduled events allow 100).
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
/// Longest event: 7 days.
pub const MAX_DURATION_SECS: i64 = 7 * 86_400;
/// Furthest start: one year ahead.
pub const MAX_AHEAD_SECS: i64 = 366 * 86_400;
/// Largest capacity.
pub const MAX_CAPACITY: u32 = 10_000;
/// Default reminder: 15 minutes before the start.
pub const DEFAULT_REMIND_SECS: i64 = 15 * 60;
/// Server XP each attendee of an occurrence gets (see [`AttendeeBonus`]).
pub const ATTEND_XP: i64 = 50;
/// Chrons each attendee of an occurrence gets (through the ledger).
pub const ATTEND_CHRONS: i64 = 100;

/// The attendee bonus rule, documented in `docs/events.md`: when an occurrence ends, every
/// member whose RSVP is **going** (not maybe, not the waitlist) gets [`ATTEND_XP`] server XP
/// and [`ATTEND_CHRONS`] Chrons, once per occurrence (a stored grant keyed by event,
/// occurrence start and member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendeeBonus {
    /// Server XP.
    pub xp: i64,
    /// Chrons.
    pub chrons: i64,
}

impl Default for AttendeeBonus {
    fn default() -> Self {
        Self {
            xp: ATTEND_XP,
            chrons: ATTEND_CHRONS,
        }
    }
}

/// How an event repeats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recurrence {
    /// Once.
    #[default]
    None,
    /// Every day at the same time (UTC).
    Daily,
    /// Every week at the same time (UTC).
    Weekly,
}

impl Recurrence {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Recurrence::None => "none",
            Recurrence::Daily => "daily",
            Recurrence::Weekly => "weekly",
        }
    }
    /// From the stored or typed text.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "none" | "once" | "no" => Recurrence::None,
            "daily" | "day" | "everyday" => Recurrence::Daily,
            "weekly" | "week" => Recurrence::Weekly,
            _ => return None,
        })
    }
    fn period(self) -> Option<Duration> {
        match self {
            Recurrence::None => None,
            Recurrence::Daily => Some(Duration::days(1)),
            Recurrence::Weekly => Some(Duration::weeks(1)),
        }
    }
    /// The RRULE of an iCalendar event.
    fn rrule(self) -> Option<&'static str> {
        match self {
            Recurrence::None => None,
            Recurrence::Daily => Some("FREQ=DAILY"),
            Recurrence::Weekly => Some("FREQ=WEEKLY"),
        }
    }
}

/// The first occurrence of a repeating event that starts after `now` (`None` for a one-off
/// event). Times are UTC, so a daily event keeps its UTC hour.
pub fn next_occurrence(
    start: DateTime<Utc>,
    rec: Recurrence,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let p = rec.period()?;
    if start > now {
        return Some(start + p);
    }
    let behind = (now - start).num_seconds();
    let steps = behind / p.num_seconds() + 1;
    Some(start + p * i32::try_from(steps).ok()?)
}

/// How a member answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rsvp {
    /// Going (within the capacity).
    Going,
    /// Maybe.
    Maybe,
    /// Not going.
    NotGoing,
    /// Wants to go but the event is full: in line, promoted when a place frees up.
    Waitlist,
}

impl Rsvp {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Rsvp::Going => "going",
            Rsvp::Maybe => "maybe",
            Rsvp::NotGoing => "not_going",
            Rsvp::Waitlist => "waitlist",
        }
    }
    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "going" => Rsvp::Going,
            "maybe" => Rsvp::Maybe,
            "not_going" => Rsvp::NotGoing,
            "waitlist" => Rsvp::Waitlist,
            _ => return None,
        })
    }
}

/// How a reminder reaches the members who are going.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RemindBy {
    /// A direct message to each.
    #[default]
    Dm,
    /// One message in the event's channel mentioning them.
    Ping,
    /// No reminder.
    Off,
}

impl RemindBy {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            RemindBy::Dm => "dm",
            RemindBy::Ping => "ping",
            RemindBy::Off => "off",
        }
    }
    /// From the stored or typed text.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "dm" => RemindBy::Dm,
            "ping" => RemindBy::Ping,
            "off" | "none" => RemindBy::Off,
            _ => return None,
        })
    }
}

/// What an event is created with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSpec {
    /// Title.
    pub title: String,
    /// Description (may be empty).
    pub description: String,
    /// First start.
    pub starts_at: DateTime<Utc>,
    /// Length of each occurrence.
    pub duration: Duration,
    /// Repeat.
    pub recurrence: Recurrence,
    /// Places (`None`: no limit).
    pub capacity: Option<u32>,
    /// How the going members are reminded.
    pub remind_by: RemindBy,
    /// How long before the start.
    pub remind_before: Duration,
}

/// Why an event cannot be created as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// No title.
    #[error("the title is empty")]
    EmptyTitle,
    /// Title too long.
    #[error("the title is longer than {max} characters")]
    TitleTooLong {
        /// Limit.
        max: usize,
    },
    /// Description too long.
    #[error("the description is longer than {max} characters")]
    DescriptionTooLong {
        /// Limit.
        max: usize,
    },
    /// Start in the past.
    #[error("the start is in the past")]
    InThePast,
    /// Start too far ahead.
    #[error("the start is more than a year ahead")]
    TooFar,
    /// Duration out of range.
    #[error("the duration must be between 1 minute and 7 days")]
    Duration,
    /// Capacity 0 or too high.
    #[error("the capacity must be between 1 and {max}")]
    Capacity {
        /// Limit.
        max: u32,
    },
    /// A time that does not parse.
    #[error("`{0}` is not a time")]
    BadTime(String),
    /// An option value that does not parse.
    #[error("bad value for `{0}`")]
    BadOption(String),
}

impl EventSpec {
    /// The one validation of an event's options at `now`.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), EventError> {
        let t = self.title.trim();
        if t.is_empty() {
            return Err(EventError::EmptyTitle);
        }
        if t.chars().count() > MAX_TITLE_CHARS {
            return Err(EventError::TitleTooLong {
                max: MAX_TITLE_CHARS,
            });
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(EventError::DescriptionTooLong {
                max: MAX_DESCRIPTION_CHARS,
            });
        }
        if self.starts_at <= now {
            return Err(EventError::InThePast);
        }
        if self.starts_at > now + Duration::seconds(MAX_AHEAD_SECS) {
            return Err(EventError::TooFar);
        }
        let d = self.duration.num_seconds();
        if !(60..=MAX_DURATION_SECS).contains(&d) {
            return Err(EventError::Duration);
        }
        if self.capacity.is_some_and(|c| c == 0 || c > MAX_CAPACITY) {
            return Err(EventError::Capacity { max: MAX_CAPACITY });
        }
        Ok(())
    }

    /// When the reminder is due (`None`: no reminder, or its time has passed already).
    pub fn remind_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        remind_at(self.starts_at, self.remind_by, self.remind_before, now)
    }
}

/// When the reminder of an occurrence starting at `start` is due (`None`: off, or past).
pub fn remind_at(
    start: DateTime<Utc>,
    by: RemindBy,
    before: Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if by == RemindBy::Off {
        return None;
    }
    let at = start - before;
    (at > now).then_some(at)
}

/// Reads a start time: a duration from `now` (`2h30m`, `in 2h`), an RFC 3339 time
/// (`2026-12-24T18:00:00Z`, any offset), or `YYYY-MM-DD HH:MM` (also with `T`) read as UTC.
pub fn parse_when(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, EventError> {
    let t = text.trim();
    let bad = || EventError::BadTime(t.chars().take(40).collect());
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(n.and_utc());
        }
    }
    let rest = t.strip_prefix("in ").unwrap_or(t);
    let d = crate::moderation::parse_duration(rest).map_err(|_| bad())?;
    Ok(now + d)
}

/// Splits `key:value` options out of free text (the prefix form of `event create`):
/// `capacity:10`, `repeat:weekly`, `remind:dm|ping|off`, `before:30m`. The rest, split at the
/// first `|`, is the title and the description.
pub fn split_options(text: &str, spec: &mut EventSpec) -> Result<(), EventError> {
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        let Some((key, value)) = word.split_once(':') else {
            words.push(word);
            continue;
        };
        let bad = || EventError::BadOption(key.to_string());
        match key.to_ascii_lowercase().as_str() {
            "capacity" | "cap" => spec.capacity = Some(value.parse().map_err(|_| bad())?),
            "repeat" | "recurrence" => {
                spec.recurrence = Recurrence::parse(value).ok_or_else(bad)?;
            }
            "remind" => spec.remind_by = RemindBy::parse(value).ok_or_else(bad)?,
            "before" => {
                spec.remind_before = crate::moderation::parse_duration(value).map_err(|_| bad())?;
            }
            _ => words.push(word),
        }
    }
    let joined = words.join(" ");
    let (title, description) = match joined.split_once('|') {
        Some((t, d)) => (t.trim().to_string(), d.trim().to_string()),
        None => (joined.trim().to_string(), String::new()),
    };
    spec.title = title;
    if !description.is_empty() {
        spec.description = description;
    }
    Ok(())
}

/// One event in a calendar export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// A stable id (the row id).
    pub id: i64,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Start of the (next) occurrence.
    pub starts_at: DateTime<Utc>,
    /// End of it.
    pub ends_at: DateTime<Utc>,
    /// Repeat.
    pub recurrence: Recurrence,
    /// When the row last changed (the `LAST-MODIFIED`).
    pub updated_at: DateTime<Utc>,
    /// Cancelled (exported with `STATUS:CANCELLED`).
    pub cancelled: bool,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline.
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character; each
/// line ends with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn ics_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar (`text/calendar`) of `events`, stamped `now`, for the server `calendar_name`.
/// UIDs are `event-<id>@<domain>`.
pub fn render_ics(
    calendar_name: &str,
    domain: &str,
    events: &[CalendarEvent],
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let mut line = |s: String| fold(&s, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Chronix//Events//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", ics_escape(calendar_name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:event-{}@{}", e.id, domain));
        line(format!("DTSTAMP:{}", ics_time(now)));
        line(format!("LAST-MODIFIED:{}", ics_time(e.updated_at)));
        line(format!("DTSTART:{}", ics_time(e.starts_at)));
        line(format!("DTEND:{}", ics_time(e.ends_at)));
        if let Some(r) = e.recurrence.rrule() {
            line(format!("RRULE:{r}"));
        }
        line(format!("SUMMARY:{}", ics_escape(&e.title)));
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", ics_escape(&e.description)));
        }
        if e.cancelled {
            line("STATUS:CANCELLED".into());
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn spec(now: DateTime<Utc>) -> EventSpec {
        EventSpec {
            title: "Game night".into(),
            description: String::new(),
            starts_at: now + Duration::hours(2),
            duration: Duration::hours(1),
            recurrence: Recurrence::None,
            capacity: None,
            remind_by: RemindBy::Dm,
            remind_before: Duration::seconds(DEFAULT_REMIND_SECS),
        }
    }

    #[test]
    fn times_parse_as_durations_rfc3339_or_utc_dates() {
        let now = at(2026, 12, 1, 14, 30);
        assert_eq!(parse_when("2h30m", now), Ok(at(2026, 12, 1, 17, 0)));
        assert_eq!(parse_when("in 1d", now), Ok(at(2026, 12, 2, 14, 30)));
        assert_eq!(
            parse_when("2026-12-24T18:00:00+01:00", now),
            Ok(at(2026, 12, 24, 17, 0))
        );
        assert_eq!(
            parse_when("2026-12-24 18:00", now),
            Ok(at(2026, 12, 24, 18, 0))
        );
        assert_eq!(
            parse_when("2026-12-24T18:00", now),
            Ok(at(2026, 12, 24, 18, 0))
        );
        assert!(matches!(
            parse_when("tomorrow", now),
            Err(EventError::BadTime(_))
        ));
    }

    #[test]
    fn recurring_events_move_to_the_next_occurrence() {
        let start = at(2026, 12, 1, 20, 0);
        assert_eq!(next_occurrence(start, Recurrence::None, start), None);
        // Right after the start: the next day / week.
        let now = start + Duration::minutes(1);
        assert_eq!(
            next_occurrence(start, Recurrence::Daily, now),
            Some(at(2026, 12, 2, 20, 0))
        );
        assert_eq!(
            next_occurrence(start, Recurrence::Weekly, now),
            Some(at(2026, 12, 8, 20, 0))
        );
        // After a long downtime the missed occurrences are skipped, not replayed.
        let late = at(2026, 12, 10, 9, 0);
        assert_eq!(
            next_occurrence(start, Recurrence::Daily, late),
            Some(at(2026, 12, 10, 20, 0))
        );
        assert_eq!(
            next_occurrence(start, Recurrence::Weekly, late),
            Some(at(2026, 12, 15, 20, 0))
        );
        // Exactly at an occurrence: the one after it.
        assert_eq!(
            next_occurrence(start, Recurrence::Daily, at(2026, 12, 3, 20, 0)),
            Some(at(2026, 12, 4, 20, 0))
        );
    }

    #[test]
    fn the_spec_is_validated_and_reminders_are_before_the_start() {
        let now = at(2026, 12, 1, 14, 30);
        assert_eq!(spec(now).validate(now), Ok(()));
        let mut s = spec(now);
        s.starts_at = now - Duration::minutes(1);
        assert_eq!(s.validate(now), Err(EventError::InThePast));
        let mut s = spec(now);
        s.capacity = Some(0);
        assert!(matches!(s.validate(now), Err(EventError::Capacity { .. })));
        let mut s = spec(now);
        s.duration = Duration::seconds(30);
        assert_eq!(s.validate(now), Err(EventError::Duration));
        let mut s = spec(now);
        s.title = " ".into();
        assert_eq!(s.validate(now), Err(EventError::EmptyTitle));
        let s = spec(now);
        assert_eq!(s.remind_at(now), Some(now + Duration::minutes(105)));
        let mut s = spec(now);
        s.remind_before = Duration::hours(3);
        assert_eq!(s.remind_at(now), None, "already past");
        let mut s = spec(now);
        s.remind_by = RemindBy::Off;
        assert_eq!(s.remind_at(now), None);
    }

    #[test]
    fn options_are_split_from_title_and_description() {
        let now = at(2026, 12, 1, 14, 30);
        let mut s = spec(now);
        split_options(
            "Raid night capacity:5 repeat:weekly remind:ping before:30m | Bring potions, please",
            &mut s,
        )
        .unwrap();
        assert_eq!(s.title, "Raid night");
        assert_eq!(s.description, "Bring potions, please");
        assert_eq!(s.capacity, Some(5));
        assert_eq!(s.recurrence, Recurrence::Weekly);
        assert_eq!(s.remind_by, RemindBy::Ping);
        assert_eq!(s.remind_before, Duration::minutes(30));
        assert_eq!(
            split_options("x repeat:hourly", &mut spec(now)),
            Err(EventError::BadOption("repeat".into()))
        );
    }

    #[test]
    fn ics_is_escaped_folded_and_crlf_terminated() {
        let now = at(2026, 12, 1, 14, 30);
        let e = CalendarEvent {
            id: 7,
            title: "Raid; night, part\\2".into(),
            description: format!("Line one\nLine two {}", "é".repeat(60)),
            starts_at: at(2026, 12, 24, 18, 0),
            ends_at: at(2026, 12, 24, 20, 0),
            recurrence: Recurrence::Weekly,
            updated_at: at(2026, 12, 1, 12, 0),
            cancelled: false,
        };
        let ics = render_ics("Test, Guild", "chronix", &[e], now);
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Chronix//Events//EN\r\n")
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        assert!(!ics.replace("\r\n", "").contains('\r'));
        assert!(ics.contains("\r\nX-WR-CALNAME:Test\\, Guild\r\n"));
        assert!(ics.contains("\r\nUID:event-7@chronix\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20261201T143000Z\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261224T180000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261224T200000Z\r\n"));
        assert!(ics.contains("\r\nRRULE:FREQ=WEEKLY\r\n"));
        assert!(ics.contains("\r\nSUMMARY:Raid\\; night\\, part\\\\2\r\n"));
        // Every physical line is at most 75 octets; unfolded, the description is intact.
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!(
            "DESCRIPTION:Line one\\nLine two {}\r\n",
            "é".repeat(60)
        )));
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1);
    }
}
