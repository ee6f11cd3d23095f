//! Durations: `10m`, `2h`, `7d`, `1h30m`, their limits and how they are shown.

use super::*;

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
