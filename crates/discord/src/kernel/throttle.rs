//! In-memory repeat throttles (per process): "at most one X per key per window", counting what
//! was held back.
//!
//! * The error-log channel: the same internal error (same server, same command or job, same
//!   first line of the error) repeated within `ERROR_LOG_REPEAT_WINDOW_SECS` is counted, not
//!   posted again; the next report after the window says how many were held back.
//! * Unknown prefix commands: at most one "unknown command" reply per user per
//!   [`UNKNOWN_COMMAND_WINDOW`].
//!
//! The state is memory only: a restart forgets it (at worst one extra report or reply).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One "unknown command" reply per user per this long.
pub const UNKNOWN_COMMAND_WINDOW: Duration = Duration::from_secs(5);

/// Keys kept before windows that are over are swept.
const SWEEP_ABOVE: usize = 10_000;

/// What [`Throttle::check`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead; `suppressed` earlier ones were held back since the last one that went ahead.
    Pass {
        /// Held back since the last pass of this key.
        suppressed: u64,
    },
    /// Hold this one back (counted).
    Hold,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    passed_at: Instant,
    suppressed: u64,
}

/// At most one pass per key per window; a zero window lets everything pass.
#[derive(Debug)]
pub struct Throttle<K> {
    window: Duration,
    seen: Mutex<HashMap<K, Entry>>,
}

impl<K: Hash + Eq> Throttle<K> {
    /// A throttle with `window` (zero: off).
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Decides for one occurrence of `key` at `now` and records it.
    pub fn check(&self, key: K, now: Instant) -> Verdict {
        if self.window.is_zero() {
            return Verdict::Pass { suppressed: 0 };
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > SWEEP_ABOVE {
            let window = self.window;
            seen.retain(|_, e| now.saturating_duration_since(e.passed_at) < window);
        }
        match seen.get_mut(&key) {
            Some(e) if now.saturating_duration_since(e.passed_at) < self.window => {
                e.suppressed += 1;
                Verdict::Hold
            }
            Some(e) => {
                let suppressed = e.suppressed;
                *e = Entry {
                    passed_at: now,
                    suppressed: 0,
                };
                Verdict::Pass { suppressed }
            }
            None => {
                seen.insert(
                    key,
                    Entry {
                        passed_at: now,
                        suppressed: 0,
                    },
                );
                Verdict::Pass { suppressed: 0 }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_per_window_and_the_next_pass_counts_the_held_ones() {
        let t = Throttle::new(Duration::from_secs(300));
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        assert_eq!(t.check("a", at(0)), Verdict::Pass { suppressed: 0 });
        assert_eq!(t.check("a", at(1)), Verdict::Hold);
        assert_eq!(t.check("a", at(299)), Verdict::Hold);
        // Another key is independent.
        assert_eq!(t.check("b", at(2)), Verdict::Pass { suppressed: 0 });
        assert_eq!(t.check("a", at(300)), Verdict::Pass { suppressed: 2 });
        assert_eq!(t.check("a", at(301)), Verdict::Hold);
        assert_eq!(t.check("a", at(1000)), Verdict::Pass { suppressed: 1 });
        assert_eq!(t.check("a", at(1300)), Verdict::Pass { suppressed: 0 });
    }

    #[test]
    fn a_zero_window_is_off() {
        let t = Throttle::new(Duration::ZERO);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.check(1, now), Verdict::Pass { suppressed: 0 });
        }
    }

    #[test]
    fn old_keys_are_swept_when_many() {
        let t = Throttle::new(Duration::from_secs(5));
        let t0 = Instant::now();
        for k in 0..=SWEEP_ABOVE {
            t.check(k, t0);
        }
        t.check(usize::MAX, t0 + Duration::from_secs(10));
        assert_eq!(t.seen.lock().unwrap().len(), 1);
    }
}
