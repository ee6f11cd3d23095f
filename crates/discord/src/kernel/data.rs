//! The bot's shared state (poise's user data).

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chronix_config::Config;
use chronix_storage::Storage;
use poise::serenity_prelude as serenity;

use crate::guilds::GuildCache;
use crate::metrics::{Gauges, Metrics};
use crate::registry::{ALWAYS_ON, Feature, Registry};
use crate::settings::SettingsCache;
use crate::throttle::Throttle;

/// Shared state; cheap to clone.
#[derive(Clone, Debug)]
pub struct Data(Arc<Inner>);

/// The fields behind [`Data`].
#[derive(Debug)]
pub struct Inner {
    config: Arc<Config>,
    storage: Storage,
    registry: Registry,
    settings: SettingsCache,
    guilds: Arc<GuildCache>,
    flood: Arc<crate::flood::Flood>,
    metrics: Metrics,
    started: Instant,
    shutting_down: AtomicBool,
    shard_manager: OnceLock<Arc<serenity::ShardManager>>,
    cache: OnceLock<Arc<serenity::Cache>>,
    http: OnceLock<Arc<serenity::Http>>,
    gateway_context: OnceLock<GatewayContext>,
    pending_confirms: dashmap::DashMap<String, (u64, Option<Instant>)>,
    error_log_throttle: Throttle<(u64, String)>,
    unknown_command_throttle: Throttle<u64>,
    recent_errors: parking_lot::Mutex<std::collections::VecDeque<crate::errors::Report>>,
    blocked_users: dashmap::DashSet<u64>,
    switched_off: dashmap::DashSet<&'static str>,
    states: dashmap::DashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>,
}

/// The gateway context the bot received its first event with (for [`Inner::gateway_context`]).
#[derive(Clone)]
pub struct GatewayContext(pub serenity::Context);

impl std::fmt::Debug for GatewayContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GatewayContext")
    }
}

/// How many error reports [`Inner::recent_errors`] keeps.
pub const RECENT_ERRORS: usize = 50;

impl Deref for Data {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Data {
    /// New state over a configuration, a (migrated) storage and the bot's features.
    pub fn new(config: Config, storage: Storage, features: Vec<Feature>) -> Self {
        let error_log_window = Duration::from_secs(config.error_log_repeat_window_secs);
        Data(Arc::new(Inner {
            error_log_throttle: Throttle::new(error_log_window),
            unknown_command_throttle: Throttle::new(crate::throttle::UNKNOWN_COMMAND_WINDOW),
            config: Arc::new(config),
            registry: Registry::new(features),
            settings: SettingsCache::new(storage.clone()),
            guilds: Arc::default(),
            flood: Arc::default(),
            storage,
            metrics: Metrics::default(),
            started: Instant::now(),
            shutting_down: AtomicBool::new(false),
            shard_manager: OnceLock::new(),
            cache: OnceLock::new(),
            http: OnceLock::new(),
            gateway_context: OnceLock::new(),
            pending_confirms: dashmap::DashMap::new(),
            recent_errors: parking_lot::Mutex::new(std::collections::VecDeque::new()),
            blocked_users: dashmap::DashSet::new(),
            switched_off: dashmap::DashSet::new(),
            states: dashmap::DashMap::new(),
        }))
    }

    pub(crate) fn attach(
        &self,
        shard_manager: Arc<serenity::ShardManager>,
        cache: Arc<serenity::Cache>,
        http: Arc<serenity::Http>,
    ) {
        let _ = self.shard_manager.set(shard_manager);
        let _ = self.cache.set(cache);
        let _ = self.http.set(http);
    }
}

impl Inner {
    /// A feature's in-memory state of type `T` for this bot (created with `T::default()` on
    /// first use): caches and coalescing buffers that may be lost on restart (levels keeps its
    /// cooldowns and unwritten XP here). One value per type and per bot, so two bots in one
    /// process (the end-to-end tests) never share it.
    pub fn state<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let any = self
            .states
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()))
            .clone();
        any.downcast::<T>()
            .unwrap_or_else(|_| unreachable!("states are keyed by their type"))
    }

    /// Keeps the first gateway context (set by the event handler), so work that runs outside
    /// an event (scheduler jobs) can hand notes to listeners ([`crate::events::note_from_job`]).
    pub(crate) fn remember_context(&self, ctx: &serenity::Context) {
        if self.gateway_context.get().is_none() {
            let _ = self.gateway_context.set(GatewayContext(ctx.clone()));
        }
    }

    /// The gateway context kept by [`Inner::remember_context`] (`None` before the first event).
    pub fn gateway_context(&self) -> Option<&serenity::Context> {
        self.gateway_context.get().map(|c| &c.0)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// The database.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }
    /// The features this bot runs with.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
    /// Cached guild settings.
    pub fn settings(&self) -> &SettingsCache {
        &self.settings
    }
    /// What the bot keeps about guilds (roles, channels, overwrites, owner; no members).
    pub fn guilds(&self) -> &Arc<GuildCache> {
        &self.guilds
    }
    /// The gateway's flood control (events held, times the gateway loop waited).
    pub fn flood(&self) -> &Arc<crate::flood::Flood> {
        &self.flood
    }
    /// Command metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    /// Time since start.
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }
    /// Whether a feature is switched on in the configuration (`ENABLE_*`). Listeners of a
    /// switched-off feature must stay idle: check this (the registry does for you).
    pub fn feature_enabled(&self, feature: &str) -> bool {
        crate::registry::enabled(&self.config, feature)
    }
    /// Whether a feature is on for a guild (configuration, the runtime switch and the guild's
    /// module switches).
    pub async fn feature_enabled_in(&self, feature: &str, guild_id: Option<u64>) -> bool {
        if !self.feature_enabled(feature) || self.is_switched_off(feature) {
            return false;
        }
        match guild_id {
            Some(g) if feature != ALWAYS_ON => self
                .settings
                .get(g)
                .await
                .map(|s| !s.is_module_disabled(feature))
                .unwrap_or(true),
            _ => true,
        }
    }
    /// Whether a feature was switched off at run time for everyone (the dev panel's switch;
    /// `general` cannot be).
    pub fn is_switched_off(&self, feature: &str) -> bool {
        feature != ALWAYS_ON && self.switched_off.contains(feature)
    }
    /// Switches a feature (a name of the registry) off (`on = false`) or back on at run time.
    /// Returns false for an unknown feature or `general`.
    pub fn switch_feature(&self, feature: &str, on: bool) -> bool {
        let Some(name) = self
            .registry
            .all()
            .iter()
            .map(|f| f.switch)
            .find(|s| *s == feature && *s != ALWAYS_ON)
        else {
            return false;
        };
        if on {
            self.switched_off.remove(name);
        } else {
            self.switched_off.insert(name);
        }
        true
    }
    /// Users whose commands are refused (the owner blacklist, loaded by the owner feature).
    pub fn blocked_users(&self) -> &dashmap::DashSet<u64> {
        &self.blocked_users
    }
    /// Keeps an error report for the dev panel (the newest [`RECENT_ERRORS`]).
    pub fn remember_error(&self, report: &crate::errors::Report) {
        let mut q = self.recent_errors.lock();
        if q.len() == RECENT_ERRORS {
            q.pop_front();
        }
        q.push_back(report.clone());
    }
    /// The kept error reports, newest first.
    pub fn recent_errors(&self) -> Vec<crate::errors::Report> {
        self.recent_errors.lock().iter().rev().cloned().collect()
    }
    /// Whether graceful shutdown began (no new commands are taken).
    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
    pub(crate) fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }
    /// Confirm dialogs: nonce → (invoker, when they answered). An answered dialog stays a minute
    /// so the kernel's button handler, which sees the same click, knows it is taken care of.
    pub fn pending_confirms(&self) -> &dashmap::DashMap<String, (u64, Option<Instant>)> {
        &self.pending_confirms
    }
    /// Error-log reports: one per (server, error) per `ERROR_LOG_REPEAT_WINDOW_SECS`.
    pub fn error_log_throttle(&self) -> &Throttle<(u64, String)> {
        &self.error_log_throttle
    }
    /// Unknown-command replies: one per user per [`crate::throttle::UNKNOWN_COMMAND_WINDOW`].
    pub fn unknown_command_throttle(&self) -> &Throttle<u64> {
        &self.unknown_command_throttle
    }
    /// The REST client, once the client exists.
    pub fn http(&self) -> Option<&Arc<serenity::Http>> {
        self.http.get()
    }
    /// The shard manager, once the client exists.
    pub fn shard_manager(&self) -> Option<&Arc<serenity::ShardManager>> {
        self.shard_manager.get()
    }

    /// Whether at least one shard is connected, and the best known heartbeat latency.
    pub async fn gateway_status(&self) -> (bool, Option<Duration>) {
        let Some(sm) = self.shard_manager.get() else {
            return (false, None);
        };
        let runners = sm.runners.lock().await;
        let connected = runners
            .values()
            .any(|r| r.stage == serenity::ConnectionStage::Connected);
        let latency = runners.values().filter_map(|r| r.latency).min();
        (connected, latency)
    }

    /// serenity's cache (the current user and private channels only: guilds and users are
    /// kept by [`crate::guilds`], see [`crate::guilds::cache_settings`]).
    pub fn serenity_cache(&self) -> Option<&Arc<serenity::Cache>> {
        self.cache.get()
    }

    /// Guilds in the cache.
    pub fn guild_count(&self) -> usize {
        self.guilds.len()
    }

    /// Whether the database answers, within `timeout`.
    pub async fn database_ok(&self, timeout: Duration) -> bool {
        matches!(
            tokio::time::timeout(timeout, self.storage.ping()).await,
            Ok(Ok(()))
        )
    }

    /// Gauges for the metrics exposition.
    pub async fn gauges(&self) -> Gauges {
        Gauges {
            uptime_secs: self.uptime().as_secs_f64(),
            guilds: self.guild_count() as u64,
            gateway_connected: self.gateway_status().await.0,
            rss_bytes: crate::metrics::rss_bytes(),
        }
    }
}

impl Inner {
    /// `(gateway connected, database answers)` for `/readyz`.
    pub async fn readiness(&self) -> (bool, bool) {
        let gateway = self.gateway_status().await.0;
        let database = self.database_ok(Duration::from_secs(2)).await;
        (gateway, database)
    }

    /// The Prometheus exposition for `/metrics`.
    pub async fn metrics_text(&self) -> String {
        let gauges = self.gauges().await;
        self.metrics.render(&gauges)
    }
}
