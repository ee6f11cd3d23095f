//! Per-user rate limits as pure rules: at most `max` hits of one action per fixed window of
//! `window_secs` (windows are aligned to the Unix epoch, so every process computes the same
//! window for the same instant). The count itself is stored by the caller
//! (`chronix_storage::rate_limits` keeps it in the database, atomically, shared by every bot
//! process); this module only says which window an instant falls in and whether a count is
//! over the limit.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// At most `max` hits per `window_secs`. `max == 0` or `window_secs == 0` means "no limit".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Hits allowed per window.
    pub max: u32,
    /// Window length in seconds.
    pub window_secs: u32,
}

/// What a hit got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; `remaining` more hits fit in this window.
    Allowed {
        /// Hits still allowed in the current window.
        remaining: u32,
    },
    /// Over the limit until `retry_at` (the start of the next window).
    Limited {
        /// When the next window starts.
        retry_at: DateTime<Utc>,
    },
}

impl Decision {
    /// True when the hit is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }
}

/// Why a rate-limit text did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a rate limit is `<hits>/<window>` such as 5/10s, 20/1m or 100/1h (or 0 / off for none)")]
pub struct RateLimitParseError;

impl RateLimit {
    /// No limit.
    pub const OFF: RateLimit = RateLimit::new(0, 0);

    /// `max` hits per `window_secs`.
    pub const fn new(max: u32, window_secs: u32) -> Self {
        Self { max, window_secs }
    }

    /// Parses a limit as configured: `<hits>/<window>` with the window in seconds (`10`,
    /// `10s`), minutes (`1m`) or hours (`1h`), e.g. `5/10s`; `0`, `off` or `none` (any case)
    /// mean no limit, as does a zero on either side. Spaces around the parts are allowed.
    pub fn parse(text: &str) -> Result<RateLimit, RateLimitParseError> {
        let t = text.trim();
        if t == "0" || t.eq_ignore_ascii_case("off") || t.eq_ignore_ascii_case("none") {
            return Ok(RateLimit::OFF);
        }
        let (hits, window) = t.split_once('/').ok_or(RateLimitParseError)?;
        let max: u32 = hits.trim().parse().map_err(|_| RateLimitParseError)?;
        let window = window.trim();
        let (number, unit) = match window.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            Some((i, _)) => (&window[..i], window[i..].trim()),
            None => (window, "s"),
        };
        let factor: u32 = match unit {
            "s" | "sec" | "secs" => 1,
            "m" | "min" | "mins" => 60,
            "h" | "hour" | "hours" => 3_600,
            _ => return Err(RateLimitParseError),
        };
        let n: u32 = number.parse().map_err(|_| RateLimitParseError)?;
        let window_secs = n.checked_mul(factor).ok_or(RateLimitParseError)?;
        Ok(RateLimit::new(max, window_secs))
    }

    /// True when this limit never refuses (`max` or `window_secs` is 0).
    pub fn is_off(&self) -> bool {
        self.max == 0 || self.window_secs == 0
    }

    /// Start of the window containing `now` (as a Unix timestamp in seconds).
    pub fn window_start(&self, now: DateTime<Utc>) -> i64 {
        let w = i64::from(self.window_secs.max(1));
        now.timestamp().div_euclid(w) * w
    }

    /// The decision for the `hits`-th hit (counting this one) in the window starting at
    /// `window_start` (from [`RateLimit::window_start`]).
    pub fn decide(&self, hits: u64, window_start: i64) -> Decision {
        if self.is_off() {
            return Decision::Allowed {
                remaining: u32::MAX,
            };
        }
        if hits <= u64::from(self.max) {
            let remaining = u64::from(self.max) - hits;
            return Decision::Allowed {
                remaining: u32::try_from(remaining).unwrap_or(u32::MAX),
            };
        }
        let next = window_start.saturating_add(i64::from(self.window_secs));
        Decision::Limited {
            retry_at: Utc
                .timestamp_opt(next, 0)
                .single()
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        }
    }
}

impl std::fmt::Display for RateLimit {
    /// `5/10s`, or `off`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_off() {
            f.write_str("off")
        } else {
            write!(f, "{}/{}s", self.max, self.window_secs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(secs, 0).unwrap()
    }

    #[test]
    fn windows_are_aligned() {
        let l = RateLimit::new(3, 60);
        assert_eq!(l.window_start(at(0)), 0);
        assert_eq!(l.window_start(at(59)), 0);
        assert_eq!(l.window_start(at(60)), 60);
        assert_eq!(l.window_start(at(-1)), -60);
    }

    #[test]
    fn allows_max_then_limits_until_next_window() {
        let l = RateLimit::new(3, 60);
        assert_eq!(l.decide(1, 120), Decision::Allowed { remaining: 2 });
        assert_eq!(l.decide(3, 120), Decision::Allowed { remaining: 0 });
        assert_eq!(l.decide(4, 120), Decision::Limited { retry_at: at(180) });
        assert!(!l.decide(100, 120).is_allowed());
    }

    #[test]
    fn zero_means_off() {
        for l in [RateLimit::new(0, 60), RateLimit::new(5, 0)] {
            assert!(l.is_off());
            assert!(l.decide(1_000_000, 0).is_allowed());
        }
    }

    #[test]
    fn parses_the_configured_forms() {
        let ok = |t: &str| RateLimit::parse(t).unwrap();
        assert_eq!(ok("5/10s"), RateLimit::new(5, 10));
        assert_eq!(ok(" 5 / 10 s "), RateLimit::new(5, 10));
        assert_eq!(ok("5/10"), RateLimit::new(5, 10));
        assert_eq!(ok("20/1m"), RateLimit::new(20, 60));
        assert_eq!(ok("100/2h"), RateLimit::new(100, 7_200));
        assert_eq!(ok("3/90sec"), RateLimit::new(3, 90));
        for off in ["0", "off", "OFF", "none", "0/10s", "5/0s"] {
            assert!(ok(off).is_off(), "{off}");
        }
        for bad in [
            "",
            "5",
            "5/",
            "/10s",
            "x/10s",
            "5/10d",
            "5/ms",
            "-1/10s",
            "5/4294967296s",
        ] {
            assert_eq!(RateLimit::parse(bad), Err(RateLimitParseError), "{bad:?}");
        }
        assert!(
            RateLimit::parse("5/4294967295h").is_err(),
            "overflowing window"
        );
        assert_eq!(ok("5/10s").to_string(), "5/10s");
        assert_eq!(RateLimit::OFF.to_string(), "off");
        assert_eq!(ok(&ok("7/2m").to_string()), RateLimit::new(7, 120));
    }
}
