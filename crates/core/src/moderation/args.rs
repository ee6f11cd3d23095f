//! The words after a moderation command's target: duration, reason, message-deletion window.

use super::*;

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

pub(super) fn split_word(text: &str) -> (&str, &str) {
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
