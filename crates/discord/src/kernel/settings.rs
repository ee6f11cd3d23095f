//! Per-guild settings, cached.
//!
//! Every command consults the guild's settings (custom prefix, disabled modules) so they are
//! cached in memory. The bot's own setters ([`SettingsCache::set_prefix`] and friends) write
//! through and replace the cached entry at once; entries also expire after [`TTL`] so a change
//! made elsewhere (the dashboard) is picked up within that time.

use chronix_core::ids::{ChannelId, GuildId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronix_storage::Storage;
use chronix_storage::guild_settings::{self, GuildSettings};
use parking_lot::Mutex;

/// How long a cached entry is trusted.
pub const TTL: Duration = Duration::from_secs(60);

/// Settings of one guild as the bot uses them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// Custom prefix (replaces the default prefixes when set).
    pub prefix: Option<String>,
    /// Disabled modules (feature names).
    pub disabled_modules: Vec<String>,
    /// Channel receiving error reports.
    pub error_log_channel_id: Option<u64>,
    /// DJ role.
    pub dj_role_id: Option<u64>,
    /// The server's language (`language set`, a Discord locale code; column `locale`).
    pub language: Option<String>,
}

impl Settings {
    /// Whether `module` is switched off for the guild.
    pub fn is_module_disabled(&self, module: &str) -> bool {
        self.disabled_modules.iter().any(|m| m == module)
    }
}

impl From<GuildSettings> for Settings {
    fn from(s: GuildSettings) -> Self {
        Self {
            prefix: s.prefix,
            disabled_modules: s.disabled_modules,
            error_log_channel_id: s.error_log_channel_id.map(|c| c.get()),
            dj_role_id: s.dj_role_id.map(|r| r.get()),
            language: s.locale,
        }
    }
}

/// The cache.
#[derive(Debug)]
pub struct SettingsCache {
    storage: Storage,
    entries: Mutex<HashMap<u64, (Instant, Arc<Settings>)>>,
}

impl SettingsCache {
    /// A cache over `storage`.
    pub fn new(storage: Storage) -> Self {
        Self {
            storage,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Settings of a guild (cached).
    pub async fn get(&self, guild_id: u64) -> chronix_storage::Result<Arc<Settings>> {
        if let Some((at, s)) = self.entries.lock().get(&guild_id) {
            if at.elapsed() < TTL {
                return Ok(s.clone());
            }
        }
        let s: Arc<Settings> = Arc::new(
            guild_settings::get(&self.storage, GuildId::new(guild_id))
                .await?
                .into(),
        );
        self.put(guild_id, s.clone());
        Ok(s)
    }

    /// The cached entry only (no database access), for the prefix fast path in tests.
    pub fn peek(&self, guild_id: u64) -> Option<Arc<Settings>> {
        self.entries.lock().get(&guild_id).map(|(_, s)| s.clone())
    }

    fn put(&self, guild_id: u64, s: Arc<Settings>) {
        self.entries.lock().insert(guild_id, (Instant::now(), s));
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.entries.lock().len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.lock().is_empty()
    }

    /// Drop a guild's entry (next read goes to the database).
    pub fn invalidate(&self, guild_id: u64) {
        self.entries.lock().remove(&guild_id);
    }

    /// Set (`Some`) or reset (`None`) the custom prefix; the cache is updated at once.
    pub async fn set_prefix(
        &self,
        guild_id: u64,
        prefix: Option<String>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_prefix(&self.storage, GuildId::new(guild_id), prefix).await;
        self.after_write(guild_id, s)
    }

    /// Enable or disable a module for the guild.
    pub async fn set_module_enabled(
        &self,
        guild_id: u64,
        module: &str,
        enabled: bool,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_module_enabled(
            &self.storage,
            GuildId::new(guild_id),
            module,
            enabled,
        )
        .await;
        self.after_write(guild_id, s)
    }

    /// Set or clear the error-log channel.
    pub async fn set_error_log_channel(
        &self,
        guild_id: u64,
        channel_id: Option<u64>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_error_log_channel(
            &self.storage,
            GuildId::new(guild_id),
            channel_id.map(ChannelId::new),
        )
        .await;
        self.after_write(guild_id, s)
    }

    /// Set (`Some`, a supported locale code) or reset (`None`) the server's language.
    pub async fn set_language(
        &self,
        guild_id: u64,
        language: Option<String>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_locale(&self.storage, GuildId::new(guild_id), language).await;
        self.after_write(guild_id, s)
    }

    fn after_write(
        &self,
        guild_id: u64,
        result: chronix_storage::Result<GuildSettings>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        match result {
            Ok(s) => {
                let s = Arc::new(Settings::from(s));
                self.put(guild_id, s.clone());
                Ok(s)
            }
            Err(e) => {
                self.invalidate(guild_id);
                Err(e)
            }
        }
    }
}
