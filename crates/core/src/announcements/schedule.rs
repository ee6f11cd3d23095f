//! Schedules: once, daily, weekly or cron, in a server's time zone; their next occurrences
//! and the missed-occurrence rule (see the module above).

use super::*;

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
