//! Flood control: the bot reads the gateway no faster than it handles what it read.
//!
//! serenity reads each shard's gateway connection in a loop and starts a task per event without
//! waiting for anything, so when events come faster than the listeners finish (a raid of joins,
//! a big server's member list, a benchmark's million joins) the tasks pile up in memory, each
//! holding its event. The kernel counts the events it holds ([`Flood::enter`], from the start of
//! an event's task to its end, waiting at the kernel's gate included). Before the shard's loop
//! hands serenity the next event, a callback of the kernel's (serenity's collector hook, the one
//! synchronous step of that loop) checks the count: at [`HOLD_AT`] events or more, the loop
//! waits until the count is back under [`RESUME_AT`], at most [`MAX_WAIT`] per event. Meanwhile
//! the unread events stay in the connection (Discord's side holds them), and the loop's
//! heartbeats go on between events. Memory is then bounded by [`HOLD_AT`] events whatever the
//! rate.
//!
//! The wait blocks the loop's thread with `tokio::task::block_in_place` (Tokio moves the other
//! tasks of that worker elsewhere), so it only happens on a multi-threaded runtime; on a
//! current-thread runtime (some tests) the loop never waits. While it waits, serenity's collector
//! list is locked: a command that starts a serenity collector then (the confirm dialog does)
//! waits too, at most [`MAX_WAIT`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use poise::serenity_prelude as serenity;

/// Events held at which the gateway loop waits. Far more than the kernel's gate lets run at
/// once (64), so the listeners always have work; few enough that the held events stay small
/// (serenity's `FullEvent` alone is about 4 KB, and a held event's task holds it twice).
pub const HOLD_AT: usize = 256;
/// Events held under which it reads again.
pub const RESUME_AT: usize = HOLD_AT * 3 / 4;
/// Longest wait before one event (the loop's heartbeats run between events; if the listeners
/// are stuck, the bot reads slowly rather than not at all).
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// Least time between two warnings about a flood in the log.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// The kernel's count of held events and the callbacks installed per shard.
#[derive(Debug)]
pub struct Flood {
    held: AtomicUsize,
    /// The most events held at once since start.
    peak: AtomicUsize,
    hold_at: usize,
    resume_at: usize,
    max_wait: Duration,
    /// The retirement flag of each shard's installed callback: a callback whose flag is set
    /// removes itself (serenity keeps a shard's collectors when it identifies again).
    installed: Mutex<HashMap<u32, Arc<AtomicBool>>>,
    /// Times the loop waited (for the dev panel and tests).
    waits: AtomicU64,
    /// When the last warning about a flood was logged (one a minute at most).
    warned: Mutex<Option<Instant>>,
}

impl Default for Flood {
    fn default() -> Self {
        Self::new(HOLD_AT, RESUME_AT, MAX_WAIT)
    }
}

/// One held event; the count goes down when it is dropped.
#[derive(Debug)]
pub struct Held(Arc<Flood>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Flood {
    /// A flood control that waits at `hold_at` held events until fewer than `resume_at`, at
    /// most `max_wait` per event.
    pub fn new(hold_at: usize, resume_at: usize, max_wait: Duration) -> Self {
        Self {
            held: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            hold_at: hold_at.max(1),
            resume_at: resume_at.clamp(1, hold_at.max(1)),
            max_wait,
            installed: Mutex::new(HashMap::new()),
            waits: AtomicU64::new(0),
            warned: Mutex::new(None),
        }
    }

    /// Counts an event as held until the returned guard is dropped.
    pub fn enter(self: &Arc<Self>) -> Held {
        let now = self.held.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        Held(self.clone())
    }

    /// The most events held at once since start.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Events held now.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }

    /// Times the gateway loop waited since start.
    pub fn waits(&self) -> u64 {
        self.waits.load(Ordering::Relaxed)
    }

    /// Called by the gateway loop before each event: returns at once under the limit, else
    /// waits (blocking this thread, see the module docs) until under [`RESUME_AT`] or
    /// `max_wait`. Returns whether it waited.
    pub fn before_event(&self) -> bool {
        if self.held() < self.hold_at {
            return false;
        }
        let multi = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if !multi {
            return false;
        }
        let waits = self.waits.fetch_add(1, Ordering::Relaxed) + 1;
        self.warn_now_and_then(waits);
        tokio::task::block_in_place(|| self.wait_below_resume());
        true
    }

    fn warn_now_and_then(&self, waits: u64) {
        let mut warned = self.warned.lock();
        if warned.is_none_or(|t| t.elapsed() >= WARN_EVERY) {
            *warned = Some(Instant::now());
            tracing::warn!(
                held = self.held(),
                waits,
                "events arrive faster than the listeners handle them: the gateway is read more slowly"
            );
        }
    }

    fn wait_below_resume(&self) {
        let end = Instant::now() + self.max_wait;
        while self.held() >= self.resume_at && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Installs the check in the gateway loop of the shard `ctx` belongs to. Called on each
    /// READY; a callback installed before on the same shard removes itself at its next event.
    pub fn install(self: &Arc<Self>, ctx: &serenity::Context) {
        let retired = Arc::new(AtomicBool::new(false));
        if let Some(old) = self
            .installed
            .lock()
            .insert(ctx.shard_id.0, retired.clone())
        {
            old.store(true, Ordering::Release);
        }
        let me = self.clone();
        // Runs before every event of the shard: one atomic read unless the mark is reached.
        ctx.shard
            .add_collector(serenity::CollectorCallback(Box::new(move |_event| {
                if retired.load(Ordering::Acquire) {
                    return false;
                }
                me.before_event();
                true
            })));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_loop_waits_while_too_many_events_are_held_and_reads_again_under_the_mark() {
        let flood = Arc::new(Flood::new(4, 2, Duration::from_secs(5)));
        let mut held: Vec<Held> = (0..3).map(|_| flood.enter()).collect();
        assert!(!flood.before_event(), "under the mark: no wait");
        held.push(flood.enter());
        assert_eq!(flood.held(), 4);
        // Two events finish 100 ms later: the loop waits until then (under 2 held is 1).
        let release: Vec<Held> = held.drain(..3).collect();
        let t = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            drop(release);
        });
        let start = Instant::now();
        assert!(flood.before_event());
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(90), "waited {waited:?}");
        assert!(waited < Duration::from_secs(4), "waited {waited:?}");
        assert_eq!(flood.held(), 1);
        assert_eq!(flood.peak(), 4);
        assert_eq!(flood.waits(), 1);
        t.await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stuck_listener_slows_the_loop_but_never_stops_it() {
        let flood = Arc::new(Flood::new(1, 1, Duration::from_millis(50)));
        let _stuck = flood.enter();
        let start = Instant::now();
        assert!(flood.before_event());
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(45), "waited {waited:?}");
        assert!(waited < Duration::from_secs(2), "waited {waited:?}");
    }

    #[tokio::test]
    async fn a_current_thread_runtime_never_waits() {
        let flood = Arc::new(Flood::new(1, 1, Duration::from_secs(5)));
        let _held = flood.enter();
        assert!(!flood.before_event());
        assert_eq!(flood.waits(), 0);
    }
}
