//! Chronix configuration: built-in defaults, then a `.env` file, then the process
//! environment (later wins). Every key is declared once in [`keys::KEYS`]; the loader,
//! `.env.example` and the README table all follow that list.
//!
//! Rules: booleans accept only `true`/`false`; a bad value stops start-up with a message
//! that names the key, says what is wrong and shows an example; an unknown key in `.env`
//! is refused (typos would otherwise be silently ignored); secrets never appear in
//! `Debug` output or error messages.

pub mod keys;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use chronix_core::ratelimit::RateLimit;
pub use keys::{FEATURES, KEYS, Key, Kind};

/// A secret value: `Debug` and `Display` print `[redacted]`, never the value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Option<String>);

impl Secret {
    /// Wrap a value (empty text counts as unset).
    pub fn new(value: Option<String>) -> Self {
        Secret(value.filter(|v| !v.is_empty()))
    }
    /// The value, for the one place that needs it (the HTTP client, the DB driver).
    pub fn expose(&self) -> Option<&str> {
        self.0.as_deref()
    }
    /// Whether a value is set.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "[redacted]"
        } else {
            "[unset]"
        })
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// One problem with one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The key.
    pub key: String,
    /// What is wrong (never contains a secret's value).
    pub message: String,
}

/// Why the configuration could not be loaded. Lists every problem, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// All problems found.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invalid configuration ({} problem(s)):",
            self.problems.len()
        )?;
        for p in &self.problems {
            writeln!(f, "  - {}: {}", p.key, p.message)?;
        }
        Ok(())
    }
}

/// Feature switches (`ENABLE_*`), by feature name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features(BTreeMap<&'static str, bool>);

impl Features {
    /// Whether a feature is switched on. Unknown names are off.
    pub fn enabled(&self, feature: &str) -> bool {
        self.0.get(feature).copied().unwrap_or(false)
    }
    /// Every feature name with its switch.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, bool)> + '_ {
        self.0.iter().map(|(k, v)| (*k, *v))
    }
    /// Switch a feature (tests and the dashboard).
    pub fn set(&mut self, feature: &str, on: bool) {
        if let Some((name, _, _)) = FEATURES.iter().find(|(n, _, _)| *n == feature) {
            self.0.insert(name, on);
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Coloured, human-readable.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// The whole configuration, typed.
#[derive(Debug, Clone)]
pub struct Config {
    pub discord_token: Secret,
    pub owner_id: Option<u64>,
    pub dev_guild_id: Option<u64>,
    pub dev_ids: Vec<u64>,
    pub dev_mode: bool,
    pub prefix: String,
    pub prefix_short: String,
    pub discord_api_proxy: Option<String>,
    pub discord_cdn_url: String,
    pub force_owner_override: bool,
    pub database_url: Secret,
    pub database_max_connections: u32,
    pub data_dir: PathBuf,
    pub log_level: String,
    pub log_format: LogFormat,
    pub health_bind: SocketAddr,
    pub error_log_repeat_window_secs: u64,
    pub features: Features,
    pub hunt_cooldown_secs: u64,
    pub autohunt_interval_secs: u64,
    pub autohunt_batch_size: u32,
    pub autohunt_workers: u32,
    pub scheduler_tick_ms: u64,
    /// `CRATE_DEFAULTS`: the crate kinds on offer (crate ids of `assets/tables/crates.yaml`).
    pub crate_defaults: Vec<String>,
    /// `ITEMS_CONFIRM_TTL_SECS`: how long item confirm dialogs wait.
    pub items_confirm_ttl_secs: u64,
    pub economy: EconomyConfig,
    pub music_dj_role_required: bool,
    pub tickets_delete_delay_secs: u64,
    /// `TEMPVOICE_CREATE_LIMIT`: temporary channels created per member and window.
    pub tempvoice_create_limit: RateLimit,
    /// `OWNER_DM_WEBHOOK_URL`: copies of owner actions.
    pub owner_dm_webhook_url: Secret,
    /// `OWNER_CONFIRM_TTL_SECS`: how long a pending owner action waits.
    pub owner_confirm_ttl_secs: u64,
    /// `HEALTH_REPORT_CHANNEL_ID`: the hourly health report's channel.
    pub health_report_channel_id: Option<u64>,
    /// `BACKUP_INTERVAL`: seconds between scheduled backups (0: none).
    pub backup_interval_secs: u64,
    /// `BACKUP_KEEP`: backups kept.
    pub backup_keep: u64,
    /// `BACKUP_DIR` (or `DATA_DIR/backups`).
    pub backup_dir: PathBuf,
    pub logging: LoggingConfig,
    /// `INVITES_FAKE_ACCOUNT_DAYS`: a join by a younger account is fake (0: never).
    pub invites_fake_account_days: u64,
    /// `MASS_ACTION_RATE_LIMIT`: massban/masskick runs per server and window.
    pub mass_action_rate_limit: RateLimit,
    /// `MASS_ACTION_BATCH`: members handled per step of a mass action.
    pub mass_action_batch: u64,
    /// `CLANS_CREATE_COST`: Chrons a new clan costs.
    pub clans_create_cost: i64,
    /// `CLANS_WAR_PRIZE`: Chrons a war winner's treasury gets.
    pub clans_war_prize: i64,
    /// `BATTLE_*`: battle timers.
    pub battles: BattleConfig,
}

/// Battle settings (`BATTLE_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BattleConfig {
    /// `BATTLE_TURN_SECS`: time per turn.
    pub battle_turn_secs: u64,
    /// `BATTLE_MAX_MISSED_TURNS`: timed-out turns in a row before a forfeit.
    pub battle_max_missed_turns: u32,
    /// `BATTLE_CHALLENGE_SECS`: how long a challenge waits.
    pub battle_challenge_secs: u64,
    /// `BATTLE_MAX_PENDING_CHALLENGES`: most open challenges per challenger.
    pub battle_max_pending_challenges: u32,
    /// `BATTLE_RECHALLENGE_SECS`: wait before challenging the same player after a decline or
    /// an expiry.
    pub battle_rechallenge_secs: u64,
}

/// Log-channel settings (`LOG_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggingConfig {
    /// `LOG_NON_AUDIT_EVENTS`: log events Discord's audit log misses.
    pub non_audit_events: bool,
    /// `LOG_RETENTION_DAYS`: age after which `logs` rows are pruned.
    pub retention_days: u64,
    /// `LOG_MESSAGE_CACHE_SIZE`: messages kept for before/after.
    pub message_cache_size: u64,
    /// `LOG_MESSAGE_CACHE_SECS`: how long a cached message is kept.
    pub message_cache_secs: u64,
    /// `LOG_POST_RATE`: log messages per channel and window.
    pub post_rate: RateLimit,
    /// `LOG_CHANNEL_BACKLOG`: entries waiting per log channel.
    pub channel_backlog: u64,
    /// `LOG_GAMEPLAY_MIN_CHRONS`: the smallest payment or bet gameplay-logs gets.
    pub gameplay_min_chrons: u64,
}

/// Economy settings (`ECONOMY_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyConfig {
    /// House edge of bets, basis points.
    pub house_edge_bp: u32,
    /// Smallest bet.
    pub bet_min: i64,
    /// Largest bet.
    pub bet_max: i64,
    /// Daily reset hour, UTC.
    pub daily_reset_hour: u32,
    /// Bank interest per period, basis points.
    pub bank_rate_bp: u32,
    /// Most interest per account and period.
    pub bank_cap: i64,
    /// `pay` above this asks for confirmation.
    pub pay_confirm_above: i64,
    /// How long a `pay` confirmation stays valid, seconds.
    pub pay_confirm_ttl_secs: u64,
    /// `ECONOMY_RATE_LIMIT_BETS`: coinflip, slots, dice per player.
    pub rate_limit_bets: RateLimit,
    /// `ECONOMY_RATE_LIMIT_PAY`: pay per player.
    pub rate_limit_pay: RateLimit,
    /// `ECONOMY_RATE_LIMIT_TRADE`: trade per player.
    pub rate_limit_trade: RateLimit,
    /// `ECONOMY_RATE_LIMIT_MARKET`: market per player.
    pub rate_limit_market: RateLimit,
    /// `ECONOMY_RATE_LIMIT_LEADERBOARD`: leaderboard per player.
    pub rate_limit_leaderboard: RateLimit,
}

impl EconomyConfig {
    /// The economy's per-user rate limits.
    pub fn rate_limits(&self) -> [RateLimit; 5] {
        [
            self.rate_limit_bets,
            self.rate_limit_pay,
            self.rate_limit_trade,
            self.rate_limit_market,
            self.rate_limit_leaderboard,
        ]
    }

    /// The longest window of the rate limits that are on (for pruning old counts), in seconds.
    pub fn longest_rate_limit_window_secs(&self) -> u32 {
        self.rate_limits()
            .iter()
            .filter(|l| !l.is_off())
            .map(|l| l.window_secs)
            .max()
            .unwrap_or(0)
    }
}

/// Where the values came from, before typing.
pub type RawValues = HashMap<String, String>;

impl Config {
    /// Load from `.env` in the working directory (if present) and the environment.
    pub fn load() -> Result<Config, ConfigError> {
        Self::load_from(Path::new(".env"), std::env::vars())
    }

    /// Load from a given `.env` path (absent file is fine) and a set of environment variables.
    pub fn load_from(
        env_file: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut raw = RawValues::new();
        let mut problems = Vec::new();
        if env_file.exists() {
            match dotenvy::from_path_iter(env_file) {
                Ok(iter) => {
                    for item in iter {
                        match item {
                            Ok((k, v)) if keys::find(&k).is_some() => {
                                raw.insert(k, v);
                            }
                            Ok((k, _)) => problems.push(Problem {
                                message: unknown_key_message(&k, env_file),
                                key: k,
                            }),
                            Err(e) => problems.push(Problem {
                                key: env_file.display().to_string(),
                                message: format!("cannot parse the file: {e}"),
                            }),
                        }
                    }
                }
                Err(e) => problems.push(Problem {
                    key: env_file.display().to_string(),
                    message: format!("cannot read the file: {e}"),
                }),
            }
        }
        for (k, v) in env {
            if keys::find(&k).is_some() {
                raw.insert(k, v);
            } else if k.starts_with("ENABLE_") {
                problems.push(Problem {
                    message: unknown_key_message(&k, Path::new("the environment")),
                    key: k,
                });
            }
        }
        match Self::from_values(&raw) {
            Ok(cfg) if problems.is_empty() => Ok(cfg),
            Ok(_) => Err(ConfigError { problems }),
            Err(mut e) => {
                problems.append(&mut e.problems);
                Err(ConfigError { problems })
            }
        }
    }

    /// Type-check a set of raw values (missing keys take their defaults).
    pub fn from_values(raw: &RawValues) -> Result<Config, ConfigError> {
        let mut r = Reader {
            raw,
            problems: Vec::new(),
        };
        let data_dir = PathBuf::from(r.text("DATA_DIR"));
        let mut database_url = r.secret("DATABASE_URL");
        if let Some(url) = database_url.expose() {
            let ok = ["postgres://", "postgresql://", "sqlite:"]
                .iter()
                .any(|p| url.starts_with(p));
            if !ok {
                r.problem(
                    "DATABASE_URL",
                    "must start with postgres://, postgresql:// or sqlite: (value hidden: it may \
                     hold a password); example: DATABASE_URL=postgres://chronix:secret@db:5432/chronix"
                        .into(),
                );
            }
        } else {
            let file = data_dir.join("chronix.db");
            database_url = Secret::new(Some(format!("sqlite://{}?mode=rwc", file.display())));
        }
        let mut features = BTreeMap::new();
        for (name, env_key, _) in FEATURES {
            features.insert(*name, r.bool(env_key));
        }
        let log_format = match r.text("LOG_FORMAT").as_str() {
            "json" => LogFormat::Json,
            _ => LogFormat::Pretty,
        };
        let backup_dir = match r.text("BACKUP_DIR") {
            d if d.is_empty() => data_dir.join("backups"),
            d => PathBuf::from(d),
        };
        let cfg = Config {
            discord_token: r.secret("DISCORD_TOKEN"),
            owner_id: r.snowflake("OWNER_ID"),
            dev_guild_id: r.snowflake("DEV_GUILD_ID"),
            dev_ids: r.snowflakes("DEV_IDS"),
            dev_mode: r.bool("DEV_MODE"),
            prefix: r.nonempty("PREFIX"),
            prefix_short: r.nonempty("PREFIX_SHORT"),
            discord_api_proxy: r.optional_url("DISCORD_API_PROXY"),
            discord_cdn_url: r
                .optional_url("DISCORD_CDN_URL")
                .unwrap_or_else(|| "https://cdn.discordapp.com".into()),
            force_owner_override: r.bool("FORCE_OWNER_OVERRIDE"),
            database_url,
            database_max_connections: r.int("DATABASE_MAX_CONNECTIONS") as u32,
            data_dir,
            log_level: r.nonempty("LOG_LEVEL"),
            log_format,
            health_bind: r.socket_addr("HEALTH_BIND"),
            error_log_repeat_window_secs: r.int("ERROR_LOG_REPEAT_WINDOW_SECS"),
            features: Features(features),
            hunt_cooldown_secs: r.int("HUNT_COOLDOWN_SECS"),
            autohunt_interval_secs: r.int("AUTOHUNT_INTERVAL_SECS"),
            autohunt_batch_size: r.int("AUTOHUNT_BATCH_SIZE") as u32,
            autohunt_workers: r.int("AUTOHUNT_WORKERS") as u32,
            scheduler_tick_ms: r.int("SCHEDULER_TICK_MS"),
            crate_defaults: r.words("CRATE_DEFAULTS"),
            items_confirm_ttl_secs: r.int("ITEMS_CONFIRM_TTL_SECS"),
            economy: EconomyConfig {
                house_edge_bp: r.int("ECONOMY_HOUSE_EDGE_BP") as u32,
                bet_min: r.int("ECONOMY_BET_MIN") as i64,
                bet_max: r.int("ECONOMY_BET_MAX") as i64,
                daily_reset_hour: r.int("ECONOMY_DAILY_RESET_HOUR") as u32,
                bank_rate_bp: r.int("ECONOMY_BANK_RATE_BP") as u32,
                bank_cap: r.int("ECONOMY_BANK_CAP") as i64,
                pay_confirm_above: r.int("ECONOMY_PAY_CONFIRM_ABOVE") as i64,
                pay_confirm_ttl_secs: r.int("ECONOMY_PAY_CONFIRM_TTL_SECS"),
                rate_limit_bets: r.rate_limit("ECONOMY_RATE_LIMIT_BETS"),
                rate_limit_pay: r.rate_limit("ECONOMY_RATE_LIMIT_PAY"),
                rate_limit_trade: r.rate_limit("ECONOMY_RATE_LIMIT_TRADE"),
                rate_limit_market: r.rate_limit("ECONOMY_RATE_LIMIT_MARKET"),
                rate_limit_leaderboard: r.rate_limit("ECONOMY_RATE_LIMIT_LEADERBOARD"),
            },
            music_dj_role_required: r.bool("MUSIC_DJ_ROLE_REQUIRED"),
            tickets_delete_delay_secs: r.int("TICKETS_DELETE_DELAY_SECS"),
            tempvoice_create_limit: r.rate_limit("TEMPVOICE_CREATE_LIMIT"),
            owner_dm_webhook_url: r.secret("OWNER_DM_WEBHOOK_URL"),
            owner_confirm_ttl_secs: r.int("OWNER_CONFIRM_TTL_SECS"),
            health_report_channel_id: r.snowflake("HEALTH_REPORT_CHANNEL_ID"),
            backup_interval_secs: r.int("BACKUP_INTERVAL"),
            backup_keep: r.int("BACKUP_KEEP"),
            backup_dir,
            logging: LoggingConfig {
                non_audit_events: r.bool("LOG_NON_AUDIT_EVENTS"),
                retention_days: r.int("LOG_RETENTION_DAYS"),
                message_cache_size: r.int("LOG_MESSAGE_CACHE_SIZE"),
                message_cache_secs: r.int("LOG_MESSAGE_CACHE_SECS"),
                post_rate: r.rate_limit("LOG_POST_RATE"),
                channel_backlog: r.int("LOG_CHANNEL_BACKLOG"),
                gameplay_min_chrons: r.int("LOG_GAMEPLAY_MIN_CHRONS"),
            },
            invites_fake_account_days: r.int("INVITES_FAKE_ACCOUNT_DAYS"),
            mass_action_rate_limit: r.rate_limit("MASS_ACTION_RATE_LIMIT"),
            mass_action_batch: r.int("MASS_ACTION_BATCH").clamp(1, 200),
            battles: BattleConfig {
                battle_turn_secs: r.int("BATTLE_TURN_SECS").max(1),
                battle_max_missed_turns: (r.int("BATTLE_MAX_MISSED_TURNS") as u32).max(1),
                battle_challenge_secs: r.int("BATTLE_CHALLENGE_SECS").max(1),
                battle_max_pending_challenges: u32::try_from(
                    r.int("BATTLE_MAX_PENDING_CHALLENGES"),
                )
                .unwrap_or(u32::MAX)
                .max(1),
                battle_rechallenge_secs: r.int("BATTLE_RECHALLENGE_SECS").min(u64::from(u32::MAX)),
            },
            clans_create_cost: i64::try_from(r.int("CLANS_CREATE_COST")).unwrap_or(i64::MAX),
            clans_war_prize: i64::try_from(r.int("CLANS_WAR_PRIZE")).unwrap_or(i64::MAX),
        };
        let e = &cfg.economy;
        if e.house_edge_bp > 5_000 {
            r.bad("ECONOMY_HOUSE_EDGE_BP", "is above 5000 (a 50 % edge)");
        }
        if e.bank_rate_bp > 10_000 {
            r.bad("ECONOMY_BANK_RATE_BP", "is above 10000 (100 % per period)");
        }
        if e.bet_min > e.bet_max {
            r.bad(
                "ECONOMY_BET_MIN",
                &format!("is larger than ECONOMY_BET_MAX ({})", e.bet_max),
            );
        }
        if r.problems.is_empty() {
            return Ok(cfg);
        }
        // Report in the order of the key table, so the output reads like `.env.example`.
        r.problems
            .sort_by_key(|p| KEYS.iter().position(|k| k.name == p.key));
        Err(ConfigError {
            problems: r.problems,
        })
    }

    /// Whether Chronix should start the local sandbox playground (no token given).
    pub fn is_playground(&self) -> bool {
        !self.discord_token.is_set()
    }

    /// Whether the database is PostgreSQL (otherwise SQLite).
    pub fn uses_postgres(&self) -> bool {
        self.database_url
            .expose()
            .is_some_and(|u| u.starts_with("postgres"))
    }

    /// A human summary for `chronix check-config`: every key with its value, secrets
    /// shown only as set/unset.
    pub fn summary(raw: &RawValues) -> Vec<(String, String)> {
        KEYS.iter()
            .map(|k| {
                let value = raw.get(k.name).map(String::as_str).unwrap_or(k.default);
                let shown = if k.secret {
                    if value.is_empty() {
                        "[unset]".to_string()
                    } else {
                        "[set]".to_string()
                    }
                } else if value.is_empty() {
                    "(unset)".to_string()
                } else {
                    value.to_string()
                };
                (k.name.to_string(), shown)
            })
            .collect()
    }
}

fn unknown_key_message(key: &str, source: &Path) -> String {
    let names = KEYS.iter().map(|k| (k.name, k.name));
    let suggestion = chronix_core::text::closest(key, names, 3)
        .map(|name| format!("; did you mean {name}?"))
        .unwrap_or_default();
    format!(
        "unknown key in {}{suggestion} (see .env.example for every key)",
        source.display()
    )
}

/// Reads raw values by key, collecting problems instead of stopping at the first.
struct Reader<'a> {
    raw: &'a RawValues,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn spec(&self, name: &str) -> &'static Key {
        keys::find(name).unwrap_or_else(|| panic!("config key {name} is not declared in KEYS"))
    }

    fn value(&self, name: &str) -> String {
        let spec = self.spec(name);
        self.raw
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| spec.default.into())
    }

    fn problem(&mut self, name: &str, message: String) {
        self.problems.push(Problem {
            key: name.to_string(),
            message,
        });
    }

    fn bad(&mut self, name: &str, what: &str) {
        let spec = self.spec(name);
        let shown = if spec.secret {
            "(hidden)".to_string()
        } else {
            format!("{:?}", self.value(name))
        };
        let message = format!(
            "value {shown} {what}; example: {}={}",
            spec.name, spec.example
        );
        self.problem(name, message);
    }

    fn text(&mut self, name: &str) -> String {
        let v = self.value(name);
        if let Kind::Choice(options) = self.spec(name).kind {
            if !options.contains(&v.as_str()) {
                self.bad(name, &format!("is not one of {}", options.join(", ")));
            }
        }
        v
    }

    fn nonempty(&mut self, name: &str) -> String {
        let v = self.text(name);
        if v.is_empty() {
            self.bad(name, "must not be empty");
        }
        v
    }

    fn secret(&mut self, name: &str) -> Secret {
        Secret::new(Some(self.value(name)))
    }

    fn bool(&mut self, name: &str) -> bool {
        match self.value(name).as_str() {
            "true" => true,
            "false" => false,
            _ => {
                self.bad(name, "is not a boolean: use exactly true or false");
                false
            }
        }
    }

    fn int(&mut self, name: &str) -> u64 {
        let v = self.value(name);
        let (min, max) = match self.spec(name).kind {
            Kind::Port => (1, u64::from(u16::MAX)),
            Kind::Hour => (0, 23),
            Kind::Count => (0, 1_000_000_000_000_000),
            _ => (1, u64::from(u32::MAX)),
        };
        match v.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => n,
            Ok(_) => {
                self.bad(name, &format!("is out of range ({min}–{max})"));
                min
            }
            Err(_) => {
                self.bad(name, "is not a whole number");
                min
            }
        }
    }

    fn rate_limit(&mut self, name: &str) -> RateLimit {
        match RateLimit::parse(&self.value(name)) {
            Ok(l) => l,
            Err(e) => {
                self.bad(name, &format!("is not a rate limit: {e}"));
                RateLimit::OFF
            }
        }
    }

    fn snowflake(&mut self, name: &str) -> Option<u64> {
        let v = self.value(name);
        if v.is_empty() {
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                self.bad(
                    name,
                    "is not a Discord id (a positive number, enable Developer Mode \
                                 in Discord and use Copy ID)",
                );
                None
            }
        }
    }

    /// A comma-separated list of lower-case words (`[a-z0-9_]+`); empty parts are skipped.
    fn words(&mut self, name: &str) -> Vec<String> {
        let v = self.value(name);
        let mut out = Vec::new();
        for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let ok = part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !ok {
                self.bad(
                    name,
                    &format!("contains {part:?}; use lower-case ids separated by commas"),
                );
                return Vec::new();
            }
            out.push(part.to_string());
        }
        out
    }

    fn snowflakes(&mut self, name: &str) -> Vec<u64> {
        let v = self.value(name);
        let mut out = Vec::new();
        for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.parse::<u64>() {
                Ok(n) if n > 0 => out.push(n),
                _ => {
                    self.bad(
                        name,
                        &format!("contains {part:?}, which is not a Discord id"),
                    );
                    return Vec::new();
                }
            }
        }
        out
    }

    fn optional_url(&mut self, name: &str) -> Option<String> {
        let v = self.value(name);
        if v.is_empty() {
            return None;
        }
        match url::Url::parse(&v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Some(v.trim_end_matches('/').into()),
            _ => {
                self.bad(name, "is not an http(s) URL");
                None
            }
        }
    }

    fn socket_addr(&mut self, name: &str) -> SocketAddr {
        let v = self.value(name);
        match v.parse::<SocketAddr>() {
            Ok(a) => a,
            Err(_) => {
                self.bad(name, "is not an address like 127.0.0.1:9090");
                SocketAddr::from(([127, 0, 0, 1], 0))
            }
        }
    }
}

/// The text of `.env.example`, generated from [`KEYS`].
pub fn env_example() -> String {
    let mut out = String::from(
        "# Chronix configuration. Copy to .env and fill in what you need; every key is optional.\n\
         # Order of precedence: built-in default < .env < process environment.\n\
         # Booleans are exactly true or false. Generated from crates/config/src/keys.rs\n\
         # (`chronix config-example`); a test keeps this file in step.\n",
    );
    let mut section = "";
    for k in KEYS {
        if k.section != section {
            section = k.section;
            out.push_str(&format!("\n# ===== {section} =====\n"));
        }
        let secret = if k.secret { ", secret" } else { "" };
        let default = if k.default.is_empty() || k.secret {
            "unset"
        } else {
            k.default
        };
        out.push_str(&format!(
            "# {} ({}{secret}; default: {default})\n",
            k.doc,
            k.kind.name()
        ));
        let value = if k.secret { "" } else { k.default };
        out.push_str(&format!("{}={value}\n", k.name));
    }
    out
}

/// The configuration table for the README (Markdown), generated from [`KEYS`].
pub fn markdown_table() -> String {
    let mut out = String::from("| key | type | default | purpose |\n|---|---|---|---|\n");
    for k in KEYS {
        let default = if k.default.is_empty() || k.secret {
            "—"
        } else {
            k.default
        };
        let ty = if k.secret {
            format!("{} (secret)", k.kind.name())
        } else {
            k.kind.name().into()
        };
        out.push_str(&format!(
            "| `{}` | {ty} | `{default}` | {} |\n",
            k.name,
            k.doc.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests;
